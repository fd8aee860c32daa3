"""Non-neural baselines scored exactly like the model: popularity and item-kNN.

A scorer takes a batch of users' input sequences (item indices) and returns
scores ``[B, N + 1]`` (column 0 is padding). Both baselines learn only from
the sequences they are given, which must be the training part of a split.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from shopmodels.recommender.model import PADDING

Scorer = Callable[[Sequence[Sequence[int]]], torch.Tensor]


def popularity_scorer(training: Sequence[Sequence[int]], num_items: int) -> Scorer:
    """Score every item by how often it occurs in ``training``, the same for every user."""
    counts = torch.zeros(num_items + 1)
    for items in training:
        counts.index_add_(0, torch.tensor(list(items), dtype=torch.long), torch.ones(len(items)))
    counts[PADDING] = float("-inf")

    def score(inputs: Sequence[Sequence[int]]) -> torch.Tensor:
        return counts.expand(len(inputs), -1).clone()  # [B, N + 1]

    return score


def item_knn_scorer(training: Sequence[Sequence[int]], num_items: int) -> Scorer:
    """Score items by the summed cosine similarity to the user's input items.

    Each item is the binary vector of the training users who interacted with
    it; similarities form a dense ``[N + 1, N + 1]`` matrix, which suits
    catalogs up to some tens of thousands of items.
    """
    users_by_items = _multi_hot(training, num_items)  # [U, N + 1]
    co_counts = users_by_items.T @ users_by_items  # [N + 1, N + 1]
    norms = co_counts.diagonal().sqrt()  # [N + 1]
    similarity = co_counts / (norms[:, None] * norms[None, :]).clamp_min(1e-12)
    similarity.fill_diagonal_(0.0)

    def score(inputs: Sequence[Sequence[int]]) -> torch.Tensor:
        scores = _multi_hot(inputs, num_items) @ similarity  # [B, N + 1]
        scores[:, PADDING] = float("-inf")
        return scores

    return score


def _multi_hot(sequences: Sequence[Sequence[int]], num_items: int) -> torch.Tensor:
    """Return ``[B, N + 1]`` with 1.0 where the row's sequence holds the item."""
    matrix = torch.zeros(len(sequences), num_items + 1)
    for row, items in enumerate(sequences):
        matrix[row, list(items)] = 1.0
    matrix[:, PADDING] = 0.0
    return matrix
