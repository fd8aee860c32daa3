"""Map the shop's product ids (strings) to the dense indices the model uses, and back.

Index 0 is padding; products get 1..N in the order given. A product the
vocabulary has never seen has no index: ``encode`` drops it from a sequence
(the model cannot represent it), so unknown products never crash a request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from shopmodels.recommender.model import PADDING


class Vocabulary:
    """A fixed, ordered set of product ids; ``index(product) in 1..len(self)``."""

    def __init__(self, product_ids: Sequence[str]) -> None:
        self._products: list[str] = list(product_ids)
        self._index = {product: i for i, product in enumerate(self._products, start=1)}
        if len(self._index) != len(self._products):
            raise ValueError("A vocabulary needs distinct product ids; this list repeats some.")

    @classmethod
    def build(cls, sequences: Iterable[Iterable[str]]) -> Vocabulary:
        """Collect every product in ``sequences``, sorted, into a vocabulary."""
        return cls(sorted({product for sequence in sequences for product in sequence}))

    def __len__(self) -> int:
        """Number of products, padding excluded."""
        return len(self._products)

    def __contains__(self, product_id: object) -> bool:
        return product_id in self._index

    def index(self, product_id: str) -> int | None:
        """Return the product's index, or None when it is unknown."""
        return self._index.get(product_id)

    def product(self, index: int) -> str:
        """Return the product id at ``index`` (1..len); padding and out-of-range raise."""
        if not 1 <= index <= len(self._products):
            raise IndexError(f"Item index {index} is outside 1..{len(self._products)} (0 is padding).")
        return self._products[index - 1]

    def encode(self, product_ids: Iterable[str]) -> list[int]:
        """Return the indices of the known products, in order; unknown ones are dropped."""
        return [i for i in map(self._index.get, product_ids) if i is not None]

    def decode(self, indices: Iterable[int]) -> list[str]:
        """Return the product ids of ``indices`` (no padding allowed)."""
        return [self.product(int(i)) for i in indices]

    def to_list(self) -> list[str]:
        """Return the products in index order (index = position + 1), for checkpoints."""
        return list(self._products)

    @property
    def padding(self) -> int:
        """The index reserved for padding."""
        return PADDING
