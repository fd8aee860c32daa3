"""SASRec: a causal transformer over item-id sequences (Kang and McAuley, ICDM 2018).

The model maps a left-padded batch of item indices to one hidden state per
position; position ``t``'s state predicts the item at ``t + 1``. Scoring all
items uses the item embeddings again (tied weights). Devices, dtype,
``inference_mode``, masking of seen items and top-k live in the predictor.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from shopmodels.recommender.config import SASRecConfig

PADDING = 0


class SASRec(nn.Module):
    """Item and position embeddings, pre-LN causal self-attention blocks, tied output."""

    def __init__(self, config: SASRecConfig) -> None:
        super().__init__()
        self.config = config
        self.item_embedding = nn.Embedding(config.num_items + 1, config.hidden, padding_idx=PADDING)
        # Position 1 is the newest item, max_len the oldest; 0 marks padding.
        self.position_embedding = nn.Embedding(config.max_len + 1, config.hidden, padding_idx=PADDING)
        self.embedding_dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(_Block(config) for _ in range(config.blocks))
        self.final_norm = nn.LayerNorm(config.hidden)
        self.apply(_init_weights)

    def forward(self, item_seq: torch.Tensor) -> torch.Tensor:
        """Return hidden states ``[B, L, H]`` for left-padded item indices ``[B, L]``, L <= max_len.

        Positions count back from the newest item, so the amount of left
        padding never changes a real position's output.
        """
        batch, length = item_seq.shape
        if length > self.config.max_len:
            raise ValueError(f"Sequences of length {length} exceed max_len={self.config.max_len}; "
                             "keep only the newest max_len items.")
        keep = item_seq != PADDING  # [B, L]
        positions = torch.arange(length, 0, -1, device=item_seq.device).expand(batch, length)
        positions = positions * keep  # [B, L], 0 on padding
        hidden = self.item_embedding(item_seq) + self.position_embedding(positions)  # [B, L, H]
        hidden = self.embedding_dropout(hidden) * keep.unsqueeze(-1)
        attend = _attention_mask(keep)  # [B, 1, L, L]
        for block in self.blocks:
            hidden = block(hidden, attend) * keep.unsqueeze(-1)  # [B, L, H]
        return self.final_norm(hidden)  # [B, L, H]

    def full_sort_scores(self, hidden_last: torch.Tensor) -> torch.Tensor:
        """Score every item for each hidden state ``[B, H]``: ``[B, num_items + 1]``.

        Column 0 (padding) is ``-inf`` so it never ranks; columns 1.. are items.
        """
        scores = hidden_last @ self.item_embedding.weight.T  # [B, N + 1]
        scores[:, PADDING] = float("-inf")
        return scores

    def calculate_loss(
        self,
        item_seq: torch.Tensor,
        targets: torch.Tensor,
        negatives: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Mean next-item loss over positions whose target is not padding.

        item_seq, targets: ``[B, L]``; ``targets[b, t]`` is the item after
        ``item_seq[b, t]`` (0 where there is none). negatives: ``[B, L, K]``
        sampled item indices, required for the "gbce" loss.
        """
        hidden = self.forward(item_seq)  # [B, L, H]
        has_target = targets != PADDING  # [B, L]
        hidden, targets = hidden[has_target], targets[has_target]  # [P, H], [P]
        if self.config.loss == "softmax":
            return F.cross_entropy(self.full_sort_scores(hidden), targets)
        if negatives is None:
            raise ValueError("The 'gbce' loss needs sampled negatives [B, L, K]; pass negatives=...")
        candidates = torch.cat([targets.unsqueeze(-1), negatives[has_target]], dim=-1)  # [P, 1 + K]
        logits = (hidden.unsqueeze(1) * self.item_embedding(candidates)).sum(-1)  # [P, 1 + K]
        return _gbce(logits, self.config)


class _Block(nn.Module):
    """Pre-LN block: causal multi-head self-attention, then a position-wise feed-forward."""

    def __init__(self, config: SASRecConfig) -> None:
        super().__init__()
        self.heads, self.dropout = config.heads, config.dropout
        self.attention_norm = nn.LayerNorm(config.hidden)
        self.qkv = nn.Linear(config.hidden, 3 * config.hidden)
        self.attention_out = nn.Linear(config.hidden, config.hidden)
        self.feed_forward_norm = nn.LayerNorm(config.hidden)
        self.feed_forward = nn.Sequential(
            nn.Linear(config.hidden, config.hidden), nn.GELU(), nn.Dropout(config.dropout),
            nn.Linear(config.hidden, config.hidden),
        )  # fmt: skip
        self.residual_dropout = nn.Dropout(config.dropout)

    def forward(self, hidden: torch.Tensor, attend: torch.Tensor) -> torch.Tensor:
        """Update ``hidden [B, L, H]``; ``attend [B, 1, L, L]`` says which keys each query sees."""
        batch, length, width = hidden.shape
        qkv = self.qkv(self.attention_norm(hidden))  # [B, L, 3H]
        qkv = qkv.view(batch, length, 3, self.heads, width // self.heads).permute(2, 0, 3, 1, 4)
        query, key, value = qkv.unbind(0)  # each [B, heads, L, H / heads]
        context = F.scaled_dot_product_attention(
            query, key, value, attn_mask=attend, dropout_p=self.dropout if self.training else 0.0
        )  # [B, heads, L, H / heads]
        context = context.transpose(1, 2).reshape(batch, length, width)  # [B, L, H]
        hidden = hidden + self.residual_dropout(self.attention_out(context))
        return hidden + self.residual_dropout(self.feed_forward(self.feed_forward_norm(hidden)))


def _attention_mask(keep: torch.Tensor) -> torch.Tensor:
    """Boolean ``[B, 1, L, L]``: query t sees real keys at or before t, and always itself.

    Letting every query see itself keeps padded rows from being all-masked
    (which would turn softmax into NaN); their outputs are zeroed anyway.
    """
    length = keep.shape[1]
    causal = torch.ones(length, length, dtype=torch.bool, device=keep.device).tril()  # [L, L]
    itself = torch.eye(length, dtype=torch.bool, device=keep.device)  # [L, L]
    return ((causal & keep[:, None, :]) | itself).unsqueeze(1)  # [B, 1, L, L]


def _gbce(logits: torch.Tensor, config: SASRecConfig) -> torch.Tensor:
    """gSASRec's generalised BCE; ``logits[:, 0]`` is the positive, the rest negatives.

    The positive's probability is raised to beta = alpha * (t * (1 - 1/alpha) + 1/alpha),
    alpha = K / (N - 1), which offsets the overconfidence negative sampling causes.
    """
    alpha = config.num_negatives / max(config.num_items - 1, 1)
    beta = alpha * (config.gbce_t * (1.0 - 1.0 / alpha) + 1.0 / alpha)
    positive = beta * F.softplus(-logits[:, 0].double())  # -log(sigmoid(s) ** beta)
    negative = F.softplus(logits[:, 1:].double()).sum(-1)  # -sum log(1 - sigmoid(s))
    return ((positive + negative) / logits.shape[1]).mean().to(logits.dtype)


def _init_weights(module: nn.Module) -> None:
    """Truncated-normal weights (std 0.02), zero biases, as BERT-style models do."""
    if isinstance(module, (nn.Linear, nn.Embedding)):
        nn.init.trunc_normal_(module.weight, std=0.02, a=-0.04, b=0.04)
        if isinstance(module, nn.Embedding) and module.padding_idx is not None:
            nn.init.zeros_(module.weight[module.padding_idx])
    if isinstance(module, nn.Linear) and module.bias is not None:
        nn.init.zeros_(module.bias)
