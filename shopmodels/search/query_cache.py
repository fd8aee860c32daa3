"""Embeddings of recent search queries, so that a query is embedded once, not once per list.

Each list of a user who searched lately carries that search's query; without a cache the inference
agent ran MiniLM on it for every such list, which on a 2-core CPU took more than the rest of the
worker together. Shops' queries repeat (and a user's own query repeats in each of their lists).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import torch


class QueryVectors:
    """The ``size`` most recently used query embeddings; ``embed`` is called only on the queries it lacks."""

    def __init__(self, embed: Callable[[list[str]], torch.Tensor], size: int = 10_000) -> None:
        if size < 1:
            raise ValueError(f"size must be at least 1, got {size}")
        self.embed, self.size = embed, size
        self._vectors: OrderedDict[str, torch.Tensor] = OrderedDict()
        self.hits = self.misses = 0

    def __call__(self, queries: list[str]) -> torch.Tensor:
        """One embedding per query, in order (``[N, H]``), as ``embed`` gives them."""
        missing = list(dict.fromkeys(query for query in queries if query not in self._vectors))
        if missing:
            for query, vector in zip(missing, self.embed(missing)):
                self._vectors[query] = vector
        self.misses += len(missing)
        self.hits += len(queries) - len(missing)
        for query in queries:
            self._vectors.move_to_end(query)
        vectors = torch.stack([self._vectors[query] for query in queries])
        while len(self._vectors) > self.size:
            self._vectors.popitem(last=False)
        return vectors

    def __len__(self) -> int:
        return len(self._vectors)
