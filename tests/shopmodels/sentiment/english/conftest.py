"""Real reviews (../conftest.py) and the real MiniLM (loaded once per session); models are copied before a test
trains them."""

import copy

import pytest
import torch

from shopmodels.sentiment.english.config import SentimentConfig
from shopmodels.sentiment.english.model import SentimentClassifier, encoder_from_config, load_pretrained_encoder, load_tokenizer
from shopmodels.sentiment.split import SentimentSplit

TINY_ENCODER = {"model_type": "bert", "vocab_size": 30522, "hidden_size": 32, "num_hidden_layers": 1,
                "num_attention_heads": 2, "intermediate_size": 64, "max_position_embeddings": 64}


@pytest.fixture(scope="session")
def split(english_split) -> SentimentSplit:
    """The default held-out split of the real reviews."""
    return english_split


@pytest.fixture(scope="session")
def tokenizer():
    """all-MiniLM-L6-v2's tokenizer from its package."""
    return load_tokenizer()


@pytest.fixture(scope="session")
def pretrained_encoder():
    """all-MiniLM-L6-v2's pretrained encoder, loaded once; copy it before changing its weights."""
    return load_pretrained_encoder()


@pytest.fixture
def tiny_config() -> SentimentConfig:
    """Short inputs and small batches: a step takes a fraction of a second."""
    return SentimentConfig(max_tokens=32, batch_size=4, epochs=1, eval_every=0, lr=5e-5, train_neutral=False, seed=3)


@pytest.fixture
def minilm_classifier(tiny_config, pretrained_encoder) -> SentimentClassifier:
    """The real MiniLM (a private copy) with a fresh head."""
    torch.manual_seed(0)
    return SentimentClassifier(tiny_config, copy.deepcopy(pretrained_encoder))


@pytest.fixture
def tiny_classifier(tiny_config) -> SentimentClassifier:
    """A one-layer, 32-wide BERT with MiniLM's vocabulary: for checkpoint and predictor plumbing."""
    torch.manual_seed(0)
    return SentimentClassifier(tiny_config, encoder_from_config(TINY_ENCODER))
