"""The replayed shop's catalog, built from the real datasets' own columns.

* Every MovieLens-100k movie is a product ``ml-<item_id>``: its title, its
  first genre as category (RecBole lists genres alphabetically), and the
  attributes ``year`` and ``genres``.
* Every clothing item of the Women's Clothing E-Commerce Reviews is a product
  ``wc-<clothing_id>``. The dataset has no product names, so the title is
  ``"<Class Name> <clothing_id>"`` (e.g. ``Dresses 1078``) and the category is
  the class name. An item's reviews sometimes disagree on its division or
  class, so each attribute takes the value most of its reviews give
  (alphabetically first on a tie).

Nothing is invented: there are no prices, brands or descriptions because the
data has none. Pure functions of the DataFrames; no Kafka.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

SEARCH_RESULTS = 10  # products a replayed search shows, at most
_FALLBACK_CLOTHING_CATEGORY = "Clothing"


@dataclass(frozen=True)
class Product:
    """What the catalog says about one product (the body of a ProductUpserted)."""

    product_id: str
    title: str
    category: str
    attributes: dict[str, str] = field(default_factory=dict)

    def catalog_value(self) -> dict[str, object]:
        """Return the ProductUpserted fields this product fills (no id or time)."""
        return {
            "product_id": self.product_id,
            "title": self.title,
            "category": self.category,
            "attributes": dict(self.attributes),
            "language": "en",
            "request_copy": False,
        }


def movie_product_id(item_id: int) -> str:
    """Return the product id of MovieLens item ``item_id``."""
    return f"ml-{item_id}"


def clothing_product_id(clothing_id: int) -> str:
    """Return the product id of clothing item ``clothing_id``."""
    return f"wc-{clothing_id}"


def movie_products(items: pd.DataFrame) -> dict[int, Product]:
    """Return one product per MovieLens item, keyed by item id."""
    products = {}
    for item_id, title, year, genres in items[["item_id", "title", "year", "genres"]].itertuples(
        index=False
    ):
        attributes = {"genres": ", ".join(genres)}
        if not pd.isna(year):
            attributes["year"] = str(int(year))
        products[int(item_id)] = Product(
            product_id=movie_product_id(int(item_id)),
            title=title if isinstance(title, str) else f"MovieLens item {item_id}",
            category=genres[0],
            attributes=attributes,
        )
    return products


def clothing_products(reviews: pd.DataFrame) -> dict[int, Product]:
    """Return one product per clothing id in ``reviews``, keyed by clothing id."""
    columns = {"division": "division", "department": "department", "class_name": "class"}
    tallies: dict[int, dict[str, Counter[str]]] = {}
    for clothing_id, *values in reviews[["clothing_id", *columns]].itertuples(index=False):
        tally = tallies.setdefault(int(clothing_id), {column: Counter() for column in columns})
        for column, value in zip(columns, values):
            if isinstance(value, str):
                tally[column][value] += 1
    products = {}
    for clothing_id in sorted(tallies):
        facts = {column: _most_common(tally) for column, tally in tallies[clothing_id].items()}
        category = facts["class_name"] or facts["department"] or _FALLBACK_CLOTHING_CATEGORY
        products[clothing_id] = Product(
            product_id=clothing_product_id(clothing_id),
            title=f"{category} {clothing_id}",
            category=category,
            attributes={name: facts[column] for column, name in columns.items() if facts[column]},
        )
    return products


def search_shortlists(
    interactions: pd.DataFrame, products: dict[int, Product], size: int = SEARCH_RESULTS
) -> dict[str, list[int]]:
    """Return, per category, its ``size`` most-rated item ids (ties: lower id first).

    Replayed searches show these, so their results are real products of the
    category the user is about to explore.
    """
    counts = interactions["item_id"].value_counts()
    ranked = sorted(products, key=lambda item_id: (-int(counts.get(item_id, 0)), item_id))
    shortlists: dict[str, list[int]] = {}
    for item_id in ranked:
        shortlist = shortlists.setdefault(products[item_id].category, [])
        if len(shortlist) < size:
            shortlist.append(item_id)
    return shortlists


def _most_common(tally: Counter[str]) -> str:
    """Return the most frequent value (alphabetically first on a tie), or "" if none."""
    if not tally:
        return ""
    top = max(tally.values())
    return min(value for value, count in tally.items() if count == top)
