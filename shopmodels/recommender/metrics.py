"""Ranks of target items and the HR@K / NDCG@K computed from them.

Ties count against the model: a target's rank is one plus the number of
candidates scoring at least as high. Column 0 of every score matrix is
padding and never a candidate.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from shopmodels.recommender.model import PADDING


def full_ranks(scores: torch.Tensor, targets: torch.Tensor, inputs: Sequence[Sequence[int]]) -> torch.Tensor:
    """Rank each target among all items except padding and the user's input items.

    scores: ``[B, N + 1]``; targets: ``[B]`` item indices; inputs: each
    user's input sequence (those items are not candidates). Returns ``[B]``
    ranks, 1 = best.
    """
    candidates = torch.ones_like(scores, dtype=torch.bool)  # [B, N + 1]
    candidates[:, PADDING] = False
    for row, items in enumerate(inputs):
        candidates[row, list(items)] = False
    candidates[torch.arange(len(targets)), targets] = False  # the target is not its own rival
    target_scores = scores.gather(1, targets.unsqueeze(1))  # [B, 1]
    return 1 + ((scores >= target_scores) & candidates).sum(dim=1)


def sampled_ranks(scores: torch.Tensor, targets: torch.Tensor, negatives: torch.Tensor) -> torch.Tensor:
    """Rank each target among its own sampled negatives ``[B, S]``; returns ``[B]`` ranks."""
    target_scores = scores.gather(1, targets.unsqueeze(1))  # [B, 1]
    negative_scores = scores.gather(1, negatives)  # [B, S]
    return 1 + (negative_scores >= target_scores).sum(dim=1)


def hit_rate(ranks: torch.Tensor, k: int = 10) -> float:
    """Share of targets ranked in the top ``k``."""
    return (ranks <= k).double().mean().item()


def ndcg(ranks: torch.Tensor, k: int = 10) -> float:
    """Mean of 1 / log2(rank + 1) over targets in the top ``k`` (0 for the rest)."""
    gains = 1.0 / torch.log2(ranks.double() + 1.0)
    return torch.where(ranks <= k, gains, torch.zeros_like(gains)).mean().item()
