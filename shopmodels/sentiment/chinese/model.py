"""The Chinese sentiment model: a small transformer over Qwen3 tokens and a hashed n-gram bag, in one module.

Two branches read the same review and each has its own linear head; the
review's class logits are ``alpha * token logits + n-gram logits`` (a
weighted product of experts; ``alpha`` is the ``branch_weight`` buffer,
chosen on the validation reviews after training), so one ``state_dict``
holds the whole ensemble:

* token branch: compact-vocabulary token embeddings plus learned positions,
  a pre-norm transformer encoder (trained from scratch, optionally after
  masked-language-model pretraining on the training reviews), a final
  LayerNorm and the mean over real tokens;
* n-gram branch (fastText-style): the mean of learned vectors of the
  review's hashed character n-grams and token bigrams (``EmbeddingBag``
  with sparse gradients, so a step touches only the rows it used).

Training gives each branch its own loss and keeps each branch's best epoch
(``token_logits`` and ``ngram_logits`` expose them), since the transformer
overfits in fewer epochs than the n-gram bag.
Hyperparameters: ``ChineseSentimentConfig`` (``config.py``).
"""

from __future__ import annotations

import torch
from torch import nn

from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.features import PAD
from shopmodels.sentiment.labels import LABEL_NAMES

__all__ = ["ChineseSentimentConfig", "ChineseSentimentModel"]


class ChineseSentimentModel(nn.Module):
    """Token transformer + hashed n-gram bag; logits = token head + n-gram head."""

    def __init__(self, config: ChineseSentimentConfig, vocabulary_size: int) -> None:
        super().__init__()
        self.config = config
        self.vocabulary_size = vocabulary_size
        self.token_embedding = nn.Embedding(vocabulary_size, config.hidden, padding_idx=PAD)
        self.position_embedding = nn.Embedding(config.max_tokens, config.hidden)
        layer = nn.TransformerEncoderLayer(config.hidden, config.heads, config.feedforward, config.dropout,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.final_norm = nn.LayerNorm(config.hidden)
        self.ngram_table = nn.EmbeddingBag(config.ngram_buckets, config.ngram_dim, mode="mean", sparse=True)
        self.dropout = nn.Dropout(config.dropout)
        self.token_head = nn.Linear(config.hidden, len(LABEL_NAMES))
        self.ngram_head = nn.Linear(config.ngram_dim, len(LABEL_NAMES))
        self.register_buffer("branch_weight", torch.ones(()))  # alpha: weight of the token branch's logits
        self._init_weights()

    def forward(self, token_ids: torch.Tensor, ngram_ids: torch.Tensor, ngram_offsets: torch.Tensor) -> torch.Tensor:
        """Class logits ``[B, 2]`` (column 0 negative, 1 positive) for one padded batch.

        Token ids ``[B, L]`` (PAD-padded), n-gram bucket ids ``[N]`` and the
        offsets ``[B]`` where each review's buckets start.
        """
        return self.branch_weight * self.token_logits(token_ids) + self.ngram_logits(ngram_ids, ngram_offsets)

    def token_logits(self, token_ids: torch.Tensor) -> torch.Tensor:
        """The token branch's logits ``[B, 2]``: mean of the real tokens' states, then its head."""
        hidden = self.encode_tokens(token_ids)  # [B, L, H]
        mask = (token_ids != PAD).unsqueeze(-1).to(hidden.dtype)  # [B, L, 1]
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)  # [B, H]
        return self.token_head(self.dropout(pooled))

    def ngram_logits(self, ngram_ids: torch.Tensor, ngram_offsets: torch.Tensor) -> torch.Tensor:
        """The n-gram branch's logits ``[B, 2]``: mean of the review's n-gram vectors, then its head."""
        return self.ngram_head(self.dropout(self.ngram_table(ngram_ids, ngram_offsets)))  # [B, 2]

    def encode_tokens(self, token_ids: torch.Tensor) -> torch.Tensor:
        """Contextual token states ``[B, L, H]`` (after the final LayerNorm) for compact ids ``[B, L]``."""
        positions = torch.arange(token_ids.shape[1], device=token_ids.device)  # [L]
        states = self.token_embedding(token_ids) + self.position_embedding(positions)  # [B, L, H]
        states = self.encoder(self.dropout(states), src_key_padding_mask=token_ids == PAD)
        return self.final_norm(states)

    def _init_weights(self) -> None:
        """Small normal embeddings (BERT's 0.02); the padding row stays zero."""
        for table in (self.token_embedding, self.position_embedding):
            nn.init.normal_(table.weight, std=0.02)
        nn.init.normal_(self.ngram_table.weight, std=0.02)
        with torch.no_grad():
            self.token_embedding.weight[PAD].zero_()
