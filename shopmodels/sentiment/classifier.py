"""The review-sentiment classifier both languages fine-tune: a pretrained encoder, mean pooling, a linear head.

English wraps all-MiniLM-L6-v2 (``english/model.py``), Chinese multilingual-e5-small
(``chinese/model.py``); ``fine_tuning.py`` trains either. The config is a ``FineTuningConfig``
(``config.py``): ``dropout`` is read here, the rest by training and serving. ``encode`` and
``pad_batch`` make its inputs, for training and serving alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from shopmodels.sentiment.labels import LABEL_NAMES

if TYPE_CHECKING:  # transformers is imported after HF_HUB_OFFLINE is set
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    from shopmodels.sentiment.config import FineTuningConfig


class SentimentClassifier(nn.Module):
    """Pretrained encoder -> mean of the real tokens' last hidden states -> dropout -> linear head."""

    def __init__(self, config: FineTuningConfig, encoder: PreTrainedModel) -> None:
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


def encode(tokenizer: PreTrainedTokenizerBase, texts: Sequence[str], max_tokens: int) -> list[list[int]]:
    """Token ids per text ([CLS] ... [SEP]), cut to ``max_tokens``; no padding."""
    if not texts:
        return []
    return tokenizer(list(texts), truncation=True, max_length=max_tokens)["input_ids"]


def pad_batch(token_ids: Sequence[Sequence[int]], pad_id: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad to the longest sequence: input ids and attention mask, ``[B, L]`` each."""
    length = max(len(ids) for ids in token_ids)
    input_ids = torch.full((len(token_ids), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(token_ids), length), dtype=torch.long)
    for row, ids in enumerate(token_ids):
        input_ids[row, :len(ids)] = torch.tensor(ids, dtype=torch.long)
        mask[row, :len(ids)] = 1
    return input_ids, mask
