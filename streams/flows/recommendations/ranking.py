"""The ranking policy: model candidates, a fresh search and trending products into one explained list.

Pure: no Faust, no models. The models run first, batched (``serving/recommender.py``), and hand
each request its ``Candidates``; ``rank`` then decides the list a person sees:

1. never a purchased product or the product just viewed;
2. the recommender's candidates, blended with products matching a fresh search
   (``shopmodels.search.intent.blend``), scores in [0, 1];
3. filled up with what is trending (else popular) in the category in focus, then in the user's
   strongest categories, then in the whole shop, for users the model knows nothing about
   (cold start, unknown products, no model loaded yet);
4. quality-aware: a product with an active complaint alert (``serving.complaints``) has the
   demotion weight taken off its score (scores are in [0, 1], so a weight of 1 ranks it below
   every product without one), and its reason says where it would have been and what outranked
   it, or that it kept its place. Products pushed out of the top k are the slots it lost.

Every item carries a reason a person can read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from schemas import RecommendedItem
from schemas.requests import RecommendationRequested
from shopmodels.search.intent import blend, ranked

MAX_REASON = 300


class Catalog(Protocol):
    """What ranking needs to know about products (``serving.catalog.CatalogView`` provides it)."""

    def title(self, product_id: str) -> str | None: ...

    def trending(self, category: str | None, k: int, exclude: Collection[str] = ()) -> list[tuple[str, float]]: ...

    def interactions(self, product_id: str) -> int: ...


class Complaints(Protocol):
    """Which products have active complaint alerts (``serving.complaints.ComplaintView`` provides it)."""

    def __bool__(self) -> bool: ...  # any active alert at all

    def active(self, product_id: str) -> dict[str, str]: ...  # aspect -> alert_id


@dataclass(frozen=True)
class Ranking:
    """One request's list, and the products demotion pushed out of it (the slots they lost)."""

    items: list[RecommendedItem]
    displaced: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Candidates:
    """What the models said about one request.

    model: the recommender's (product_id, score) pairs, best first (empty for cold start).
    anchors: recommended product_id -> the history product it is most like (for reasons).
    query_matches: (product_id, cosine) of products whose titles match the fresh search.
    """

    model: list[tuple[str, float]] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)
    query_matches: list[tuple[str, float]] = field(default_factory=list)


def excluded_products(request: RecommendationRequested) -> set[str]:
    """Products never to recommend for this request: purchases and the product just viewed."""
    return set(request.purchased) | ({request.just_viewed} if request.just_viewed else set())


def rank(request: RecommendationRequested, candidates: Candidates, catalog: Catalog, *, k: int,
         search_weight: float, complaints: Complaints | None = None, demotion: float = 0.0) -> Ranking:
    """The final list for one request: at most ``k`` items, best first, each with a reason.

    ``complaints`` and ``demotion`` (0 to 1, 0: off) demote products with active complaint alerts.
    """
    demoting = demotion > 0 and bool(complaints)
    picks = _picks(request, candidates, catalog, 2 * k if demoting else k, search_weight)
    displaced: list[str] = []
    if demoting:
        picks, displaced = _demote(picks, k, catalog, complaints, demotion)
    return Ranking([RecommendedItem(product_id=pid, score=float(score), reason=reason, rank=position)
                    for position, (pid, score, reason) in enumerate(picks[:k], start=1)], displaced)


def _picks(request: RecommendationRequested, candidates: Candidates, catalog: Catalog, k: int,
           search_weight: float) -> list[tuple[str, float, str]]:
    """The best ``k`` (product_id, score, reason) before any demotion: model and search, then trending."""
    excluded = excluded_products(request)
    model = {pid: score for pid, score in candidates.model if pid not in excluded}
    matches = [(pid, cos) for pid, cos in candidates.query_matches if pid not in excluded and search_weight > 0]
    weight = search_weight if matches else 0.0
    model_part = blend(model, matches, 0.0)  # each part in [0, 1]
    query_part = blend(model, matches, 1.0) if matches else {}
    picks = []
    for pid, score in ranked(blend(model, matches, weight) if matches else model_part, k):
        query = query_part.get(pid, 0.0)
        searched = query > 0 and weight * query >= (1.0 - weight) * model_part[pid]
        picks.append((pid, score, _reason(pid, request, candidates, catalog, searched)))
    ceiling = min((score for _, score, _ in picks), default=1.0)
    chosen = excluded | {pid for pid, _, _ in picks}
    return picks + _trending_fill(request, catalog, k - len(picks), chosen, ceiling)


def _demote(picks: list[tuple[str, float, str]], k: int, catalog: Catalog, complaints: Complaints,
            weight: float) -> tuple[list[tuple[str, float, str]], list[str]]:
    """``picks`` re-ranked with ``weight`` off the score of every product with an active alert.

    Returns the top ``k`` and the products that were in the top ``k`` before and are not now.
    Ties keep their order, so a demoted product never passes one it was behind.
    """
    flagged = {pid: sorted(complaints.active(pid)) for pid, _, _ in picks}
    flagged = {pid: aspects for pid, aspects in flagged.items() if aspects}
    if not flagged:
        return picks[:k], []
    before = {pid: position for position, (pid, _, _) in enumerate(picks[:k], start=1)}
    order = sorted(((pid, score - weight if pid in flagged else score, reason) for pid, score, reason in picks),
                   key=lambda pick: -pick[1])[:k]
    kept = []
    for position, (pid, score, reason) in enumerate(order, start=1):
        if pid in flagged:
            was = before[pid]  # demotion only lowers a score, so it was in the top k before too
            why = _complaint(flagged[pid])
            if position == was:
                reason = f"{reason}; kept at #{position} despite {why}"
            else:
                winner = order[was - 1][0]  # the product that took its place
                above = catalog.title(winner) or winner
                reason = f"{reason}; #{position}, not #{was}, for {why} ({above} ranks above it)"
        kept.append((pid, score, _short(reason)))
    now = {pid for pid, _, _ in kept}
    return kept, [pid for pid in before if pid in flagged and pid not in now]


def _complaint(aspects: list[str]) -> str:
    """"recent complaints about battery and delivery" from the aspect names."""
    names = [aspect.replace("_", " ") for aspect in aspects]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"recent complaints about {listed}"


def _reason(product_id: str, request: RecommendationRequested, candidates: Candidates, catalog: Catalog,
            searched: bool) -> str:
    """Why a personalised pick is in the list: the search it matches, or the product it follows."""
    if searched:
        return _short(f"matches your search '{request.query}'")
    anchor = candidates.anchors.get(product_id)
    if anchor is None:
        return "picked for you from your recent activity"
    return _short(f"because you viewed {catalog.title(anchor) or anchor}")


def _trending_fill(request: RecommendationRequested, catalog: Catalog, wanted: int, chosen: set[str],
                   ceiling: float) -> list[tuple[str, float, str]]:
    """Up to ``wanted`` products that are trending, or failing that popular, from the focus category outwards.

    Trending: interactions in the current window; popular: interactions ever, for products with
    none in the window. Scores keep falling down the list: each group is scaled so its best
    equals the last score so far.
    """
    fill: list[tuple[str, float, str]] = []
    categories = list(dict.fromkeys([c for c in (request.category, *request.top_categories) if c]))
    for category in [*categories, None]:
        if len(fill) >= wanted:
            break
        ranking = catalog.trending(category, wanted - len(fill), exclude=chosen)  # window count, then ever
        trending = [(pid, score) for pid, score in ranking if score > 0]
        popular = [(pid, float(n)) for pid, score in ranking if score <= 0 and (n := catalog.interactions(pid)) > 0]
        where = f"in {category}" if category else "in the shop"
        for group, reason in ((trending, f"trending {where}"), (popular, f"popular {where}")):
            best = max((score for _, score in group), default=1.0)
            fill += [(pid, ceiling * score / best, _short(reason)) for pid, score in group]
            chosen.update(pid for pid, _ in group)
            ceiling = fill[-1][1] if fill else ceiling
    return fill


def _short(text: str) -> str:
    """Cut a reason to the schema's 300 characters."""
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"
