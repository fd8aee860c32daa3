"""What ``GET /copy`` answers: the copy a worker holds, published and refused, with the reasons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

DEFAULT_LIMIT = 20  # int: products listed per kind (published, refused) unless the request asks otherwise
MAX_LIMIT = 500  # int: most products one answer lists per kind


def copy_overview(records: Iterable[dict[str, Any]], limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Counts of published and refused copy, the checks that refused it, and the newest ``limit`` of each kind.

    Each refused entry names the checks that failed and why (their ``detail``), so a merchant sees
    what to fix without reading the topic.
    """
    published, refused, failures = [], [], Counter()
    for record in records:
        failed = [check for check in record["checks"] if not check["passed"]]
        failures.update(check["name"] for check in failed)
        entry = {"product_id": record["product_id"], "language": record["language"],
                 "description": record["description"], "model_version": record["model_version"],
                 "occurred_at": record["occurred_at"]}
        if record["published"]:
            published.append(entry)
        else:
            refused.append({**entry, "failed": [{"check": c["name"], "detail": c["detail"]} for c in failed]})
    newest = sorted(published, key=lambda e: e["occurred_at"], reverse=True)[:limit]
    return {"published_count": len(published), "refused_count": len(refused),
            "refused_by_check": dict(failures.most_common()), "published": newest,
            "refused": sorted(refused, key=lambda e: e["occurred_at"], reverse=True)[:limit]}


def parse_limit(raw: str | None) -> int:
    """The ``?limit=`` of a request, or ``ValueError`` saying what is allowed."""
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 0 <= int(raw) <= MAX_LIMIT:
        raise ValueError(f"limit must be a whole number from 0 to {MAX_LIMIT}, not {raw!r}")
    return int(raw)
