"""Search intent: match a query against product titles and let a fresh search reshape recommendations.

Pure logic on tensors and dicts (no model, no Faust): the embedder turns
titles and queries into vectors; ``TitleIndex`` keeps one normalised title
vector per product and finds the nearest ones; ``blend`` mixes the
recommender's scores with those similarities.
"""

from __future__ import annotations

from collections.abc import Collection

import torch

Matches = list[tuple[str, float]]  # (product_id, cosine similarity), best first


class TitleIndex:
    """Product id -> L2-normalised title embedding, with exact cosine top-k search."""

    def __init__(self) -> None:
        self._vectors: dict[str, torch.Tensor] = {}  # product_id -> [H]
        self._matrix: tuple[list[str], torch.Tensor] | None = None  # ids and [N, H]; rebuilt after changes

    def __len__(self) -> int:
        return len(self._vectors)

    def __contains__(self, product_id: object) -> bool:
        return product_id in self._vectors

    def upsert(self, product_id: str, embedding: torch.Tensor) -> None:
        """Store (or replace) a product's title embedding, normalised to unit length."""
        if embedding.dim() != 1:
            raise ValueError(f"expected one embedding of shape [H], got shape {tuple(embedding.shape)}")
        self._vectors[product_id] = torch.nn.functional.normalize(embedding.detach().float().cpu(), dim=0)
        self._matrix = None

    def remove(self, product_id: str) -> None:
        """Forget a product (delisted); unknown ids are ignored."""
        if self._vectors.pop(product_id, None) is not None:
            self._matrix = None

    def top_matches(self, query_embedding: torch.Tensor, k: int, exclude: Collection[str] = frozenset()) -> Matches:
        """Return up to ``k`` (product_id, cosine) pairs most similar to the query, skipping ``exclude``."""
        ids, matrix = self._stacked()
        if k <= 0 or not ids:
            return []
        query = torch.nn.functional.normalize(query_embedding.detach().float().cpu().reshape(-1), dim=0)  # [H]
        cosines = matrix @ query  # [N]
        if exclude:
            excluded = torch.tensor([product_id in exclude for product_id in ids])
            cosines = cosines.masked_fill(excluded, float("-inf"))
        best = torch.topk(cosines, min(k, len(ids)))
        pairs = zip(best.indices.tolist(), best.values.tolist())
        return [(ids[i], score) for i, score in pairs if score != float("-inf")]

    def _stacked(self) -> tuple[list[str], torch.Tensor]:
        """The ids and their vectors as one ``[N, H]`` matrix, cached until the next change."""
        if self._matrix is None:
            ids = list(self._vectors)
            matrix = torch.stack([self._vectors[i] for i in ids]) if ids else torch.empty(0, 0)
            self._matrix = (ids, matrix)
        return self._matrix


def blend(model_scores: dict[str, float], query_matches: Matches, weight: float) -> dict[str, float]:
    """Mix recommender scores with query similarity so a fresh search shifts the ranking.

    For every product in either input::

        m = (s - min s) / (max s - min s)        recommender score, min-max to [0, 1]
                                                 (1.0 for all when the scores are equal)
        q = max(cos, 0) / max over matches of max(cos, 0)
                                                 query similarity, best match = 1.0
        blended = (1 - weight) * m + weight * q

    A product missing from one side counts 0 there, so query matches the
    recommender never scored can enter the list, and a product that is both
    recommended and relevant to the query rises. ``weight`` (float in [0, 1]):
    0 keeps the recommender's order, 1 ranks by the query alone. Returns
    product_id -> blended score in [0, 1]; sort it with ``ranked``.
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be between 0 and 1, got {weight}")
    model_part = _min_max(model_scores)
    query_part = _scaled_to_best({product_id: cosine for product_id, cosine in query_matches})
    return {
        product_id: (1.0 - weight) * model_part.get(product_id, 0.0) + weight * query_part.get(product_id, 0.0)
        for product_id in model_part.keys() | query_part.keys()
    }


def ranked(scores: dict[str, float], k: int) -> Matches:
    """Return the ``k`` best (product_id, score) pairs, highest first; ties by product id."""
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:k]


def _min_max(scores: dict[str, float]) -> dict[str, float]:
    """Rescale scores to [0, 1]; equal scores all become 1.0."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return dict.fromkeys(scores, 1.0)
    return {product_id: (score - low) / (high - low) for product_id, score in scores.items()}


def _scaled_to_best(cosines: dict[str, float]) -> dict[str, float]:
    """Clip cosines at 0 and divide by the best one, so the closest match is 1.0."""
    clipped = {product_id: max(cosine, 0.0) for product_id, cosine in cosines.items()}
    best = max(clipped.values(), default=0.0)
    if best == 0.0:
        return dict.fromkeys(clipped, 0.0)
    return {product_id: cosine / best for product_id, cosine in clipped.items()}
