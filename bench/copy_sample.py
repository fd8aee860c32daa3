"""The fixed sample the copy quality is measured on: 60 real products of the demo's catalog.

``python -m bench.copy_sample`` draws it once (seeded) and writes ``bench/data/copy_sample.jsonl``,
which is checked in: the figures of ``bench.copy_quality`` and the hand labels of
``bench/data/copy_labels.jsonl`` refer to exactly these products.

* 30 MovieLens films and 30 clothing items, drawn with ``random.Random(SEED)`` from the catalog
  records the replay sends (``streams.tools.copy_catalog.demo_catalog_records``). The data holds no
  electronics, prices or brands, so the sample has none (those facts are covered by the tests).
* Clothing items carry the aspects their real reviews praise, found as the worker finds them
  (``praised_aspects``: at least 2 positive mentions, at most 25% negative, best 3), with two
  stand-ins the worker does not use: an aspect is mentioned when the keyword matcher
  (``shopmodels.aspects.keywords``) finds it in a clause, and the clause's polarity is the review's
  rating (4-5 positive, 1-2 negative, 3 neither) instead of the sentiment model's.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

SEED = 19  # int: the number; the sample never changes unless this does
PER_KIND = 30  # int: films and clothing items each
SAMPLE_PATH = Path(__file__).parent / "data" / "copy_sample.jsonl"


def praised_by_reviews(reviews) -> dict[str, list[str]]:
    """Product id -> the aspects its reviews praise (see the module doc)."""
    from shopmodels.aspects.catalog import DEFAULT_ASPECTS
    from shopmodels.aspects.clauses import split_clauses
    from shopmodels.aspects.keywords import KeywordMatcher
    from streams.flows.copy.requests import PraiseRule, praised_aspects
    from streams.tools.replay.products import clothing_product_id

    matcher = KeywordMatcher(DEFAULT_ASPECTS)
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for clothing_id, rating, text in reviews[["clothing_id", "rating", "review_text"]].itertuples(index=False):
        if not isinstance(text, str):
            continue
        polarity = "positive" if rating >= 4 else "negative" if rating <= 2 else "neutral"
        aspects = counts[clothing_product_id(int(clothing_id))]
        for clause in split_clauses(text):
            for name in matcher.match(clause):
                tally = aspects.setdefault(name, {"positive": 0, "negative": 0, "mentions": 0})
                tally["mentions"] += 1
                tally[polarity] = tally.get(polarity, 0) + 1
    rule = PraiseRule(most=3, min_mentions=2, max_negative_share=0.25)
    return {product: praised_aspects({"aspects": aspects}, rule) for product, aspects in counts.items()}


def draw_sample() -> list[dict[str, Any]]:
    """The 60 catalog records of the sample, films first, each with its ``praised`` list."""
    from shopmodels.datasets import fetch_datasets, load_clothing_reviews
    from streams.settings import get_settings
    from streams.tools.copy_catalog import demo_catalog_records

    settings = get_settings()
    records = demo_catalog_records(settings)
    praised = praised_by_reviews(load_clothing_reviews(fetch_datasets(settings.cache_dir, progress=False)))
    draw = random.Random(SEED)
    sample = []
    for prefix in ("ml-", "wc-"):
        kind = sorted((r for r in records if r["product_id"].startswith(prefix)), key=lambda r: r["product_id"])
        sample += sorted(draw.sample(kind, PER_KIND), key=lambda r: kind.index(r))
    keep = ("product_id", "title", "category", "attributes", "language")
    return [{**{k: r[k] for k in keep}, "praised": praised.get(r["product_id"], [])} for r in sample]


def load_sample(path: Path = SAMPLE_PATH) -> list[dict[str, Any]]:
    """The checked-in sample's records."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    """Draw the sample and write it to ``SAMPLE_PATH``."""
    sample = draw_sample()
    SAMPLE_PATH.parent.mkdir(parents=True, exist_ok=True)
    SAMPLE_PATH.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample), encoding="utf-8")
    print(f"wrote {len(sample)} products to {SAMPLE_PATH}")


if __name__ == "__main__":
    main()
