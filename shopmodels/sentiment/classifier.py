"""The review-sentiment classifier both languages fine-tune: a pretrained encoder, mean pooling, a linear head.

English wraps all-MiniLM-L6-v2 (``english/model.py``), Chinese multilingual-e5-small
(``chinese/model.py``); ``fine_tuning.py`` trains either. The config is a ``FineTuningConfig``
(``config.py``): ``dropout`` is read here, the rest by training and serving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from shopmodels.sentiment.labels import LABEL_NAMES

if TYPE_CHECKING:  # transformers is imported after HF_HUB_OFFLINE is set
    from transformers import PreTrainedModel

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
