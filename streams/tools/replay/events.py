"""Turn the real datasets into ShopStream input events: pure, deterministic, no Kafka.

``build_replay`` yields the catalog (``shop.catalog``: MovieLens movies ``ml-<item_id>``, then
clothing items ``wc-<clothing_id>``; see ``products.py``), then the timeline in time order (ties:
reviews, then by user, item): one click per MovieLens rating (1-3 view, 4 cart, 5 purchase;
sessions end after 30 minutes without a rating), a search just before a user's first click in a
category new to them, and each clothing review placed evenly on the timeline in row order.
``docs/data.md`` says exactly how each is built and why.

Every event id is derived from the data, so replaying twice yields the same ids (see
``docs/data.md`` for the id formats and what the replay produces).

Clocks: ``"original"`` stamps dataset times (Sept 1997 - April 1998; the
catalog at the first timeline second). ``"replay"`` shifts the same timeline so
it begins at ``start`` (default: now), keeping every gap. To stamp events with
the moment they are sent instead, pass ``clock="replay"`` to ``produce``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from schemas.topics import CATALOG, CLICKS, REVIEWS, SEARCHES
from shopmodels.datasets.movielens import MovieLens
from streams.tools.replay import products as catalog

Clock = Literal["original", "replay"]
Stamp = Callable[[int], str]  # timeline seconds -> ISO-8601 occurred_at
SESSION_GAP_S = 30 * 60  # a gap longer than this between two ratings starts a new session
KIND_BY_RATING = {1: "view", 2: "view", 3: "view", 4: "cart", 5: "purchase"}
_NO_SEARCH_CATEGORY = "unknown"
_TITLE_QUERY_WORDS = 4
_TRAILING_ARTICLE = re.compile(r",\s*(the|a|an|les|la|le|il|el|das|der|die)$", re.IGNORECASE)


@dataclass(frozen=True)
class ReplayEvent:
    """One record to produce: its topic, its key and its JSON-ready value."""

    topic: str
    key: str
    value: dict[str, Any]


class _Entry(NamedTuple):
    """One timeline event before rendering; tuples sort in replay order."""

    ts: int  # Unix seconds on the MovieLens timeline
    group: int  # 0 review, 1 MovieLens (so reviews go first within a second)
    first: int  # review row, or user id
    second: int  # 0, or item id
    step: int  # 0 search, 1 click (a search precedes its click)
    detail: int  # review row, index into the interactions, or search number


def build_replay(
    movielens: MovieLens,
    reviews: pd.DataFrame,
    *,
    users: int | None = None,
    limit: int | None = None,
    clock: Clock = "original",
    start: datetime | None = None,
) -> Iterator[ReplayEvent]:
    """Yield the replay's events: the catalog it needs, then the merged timeline.

    users: keep only MovieLens users 1..N, their searches, and the same share
        of the reviews (rounded).
    limit: yield at most this many events in all, catalog included (the
        timeline is cut where the next event and the products it names would
        not fit).
    clock, start: see the module docstring; ``start`` needs ``clock="replay"``.
    The returned iterator supports ``operator.length_hint`` with the exact count.
    """
    _check_options(users, limit, clock, start)
    movies = catalog.movie_products(movielens.items)
    clothes = catalog.clothing_products(reviews)
    timeline = _Timeline(movielens, reviews, movies, users)
    entries, referenced = timeline.cut(limit)
    origin = entries[0].ts if entries else 0
    stamp = _stamper(clock, start, origin)
    products = [p for p in [*movies.values(), *clothes.values()] if p.product_id in referenced]
    catalog_events = (_catalog_event(p, stamp(origin)) for p in products)
    timeline_events = (timeline.render(entry, stamp) for entry in entries)
    return _Sized(catalog_events, timeline_events, len(products) + len(entries))


def _check_options(users: int | None, limit: int | None, clock: str, start: datetime | None) -> None:
    """Raise ValueError for options build_replay cannot honour."""
    if users is not None and users < 1:
        raise ValueError(f"users must be at least 1 (or None for all), not {users}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 or more (or None for no limit), not {limit}")
    if clock not in ("original", "replay"):
        raise ValueError(f"clock must be 'original' or 'replay', not {clock!r}")
    if start is not None and (clock != "replay" or start.utcoffset() is None):
        raise ValueError("start needs clock='replay' and a timezone-aware datetime")


class _Timeline:
    """The clicks, searches and reviews of a replay, in order, and how to render them."""

    def __init__(self, movielens: MovieLens, reviews: pd.DataFrame,
                 movies: dict[int, catalog.Product], users: int | None) -> None:  # fmt: skip
        ratings = movielens.interactions
        if users is not None:
            ratings = ratings[ratings["user_id"] <= users]
        self._movies = movies
        self._users = ratings["user_id"].to_numpy()
        self._items = ratings["item_id"].to_numpy()
        self._ratings = ratings["rating"].to_numpy()
        self._times = ratings["timestamp"].to_numpy()
        self._sessions = _session_starts(ratings)
        self._shortlists = catalog.search_shortlists(movielens.interactions, movies)
        share = 1.0 if users is None else ratings["user_id"].nunique() / movielens.users.shape[0]
        written = reviews[reviews["review_text"].notna()]
        kept = written.iloc[: round(len(written) * share)]
        self._reviews = {
            int(row): (int(clothing_id), int(rating), title, text)
            for row, clothing_id, rating, title, text in zip(
                kept.index, kept["clothing_id"], kept["rating"], kept["title"], kept["review_text"]
            )
        }
        self.entries = sorted([*self._click_entries(), *self._review_entries()])

    def _click_entries(self) -> Iterator[_Entry]:
        """Yield each rating's click, preceded by a search when it opens a new category."""
        seen: set[str] = set()
        searches, previous_user = 0, None
        for index, (user, item, ts) in enumerate(zip(self._users, self._items, self._times)):
            user, item, ts = int(user), int(item), int(ts)
            if user != previous_user:
                seen, searches, previous_user = set(), 0, user
            category = self._movies[item].category
            if category not in seen and category != _NO_SEARCH_CATEGORY:
                seen.add(category)
                yield _Entry(ts, 1, user, item, 0, searches)
                searches += 1
            yield _Entry(ts, 1, user, item, 1, index)

    def _review_entries(self) -> Iterator[_Entry]:
        """Yield the reviews spread evenly over the ratings' time span."""
        if len(self._times) == 0:
            return
        first, span = int(self._times.min()), int(self._times.max() - self._times.min())
        count = len(self._reviews)
        for k, row in enumerate(self._reviews):
            yield _Entry(first + (k + 1) * span // (count + 1), 0, row, 0, 0, row)

    def products_of(self, entry: _Entry) -> list[str]:
        """Return the product ids an entry names (its click, results or review)."""
        if entry.group == 0:
            return [catalog.clothing_product_id(self._reviews[entry.detail][0])]
        if entry.step == 1:
            return [catalog.movie_product_id(entry.second)]
        return [catalog.movie_product_id(item) for item in self._results(entry.second)]

    def cut(self, limit: int | None) -> tuple[list[_Entry], set[str]]:
        """Return the longest prefix whose events and named products fit in ``limit``."""
        referenced: set[str] = set()
        for kept, entry in enumerate(self.entries):
            named = [p for p in self.products_of(entry) if p not in referenced]
            if limit is not None and kept + 1 + len(referenced) + len(named) > limit:
                return self.entries[:kept], referenced
            referenced.update(named)
        return self.entries, referenced

    def render(self, entry: _Entry, stamp: Stamp) -> ReplayEvent:
        """Return the event an entry stands for, stamped with ``stamp(ts)``."""
        occurred_at = stamp(entry.ts)
        if entry.group == 0:
            return self._review(entry.detail, occurred_at)
        if entry.step == 0:
            return self._search(entry, occurred_at)
        return self._click(entry.detail, occurred_at)

    def _click(self, index: int, occurred_at: str) -> ReplayEvent:
        user, item = int(self._users[index]), int(self._items[index])
        ts, rating = int(self._times[index]), int(self._ratings[index])
        user_id = f"ml-u{user}"
        value = {
            "event_id": f"ml-click-{user}-{item}-{ts}",
            "occurred_at": occurred_at,
            "user_id": user_id,
            "product_id": catalog.movie_product_id(item),
            "kind": KIND_BY_RATING[rating],
            "category": self._movies[item].category,
            "session_id": f"ml-s{user}-{int(self._sessions[index])}",
        }
        return ReplayEvent(CLICKS, user_id, value)

    def _search(self, entry: _Entry, occurred_at: str) -> ReplayEvent:
        user, item, movie = entry.first, entry.second, self._movies[entry.second]
        by_title = entry.detail % 2 == 1 and _title_query(movie.title)
        user_id = f"ml-u{user}"
        value = {
            "event_id": f"ml-search-{user}-{item}-{entry.ts}",
            "occurred_at": occurred_at,
            "user_id": user_id,
            "query": by_title or movie.category.lower(),
            "results": [catalog.movie_product_id(i) for i in self._results(item)],
            "category": None if by_title else movie.category,
        }
        return ReplayEvent(SEARCHES, user_id, value)

    def _review(self, row: int, occurred_at: str) -> ReplayEvent:
        clothing_id, rating, title, text = self._reviews[row]
        product_id = catalog.clothing_product_id(clothing_id)
        value = {
            "event_id": f"wc-review-{row}",
            "occurred_at": occurred_at,
            "review_id": f"wcr-{row}",
            "product_id": product_id,
            "user_id": None,
            "rating": rating,
            "title": None if pd.isna(title) else str(title),
            "text": str(text),
            "language": "en",
        }
        return ReplayEvent(REVIEWS, product_id, value)

    def _results(self, item: int) -> list[int]:
        """Return a search's results: the movie about to be clicked, then its category's top."""
        shortlist = self._shortlists[self._movies[item].category]
        return [item, *(i for i in shortlist if i != item)][: catalog.SEARCH_RESULTS]


def _session_starts(ratings: pd.DataFrame) -> np.ndarray:
    """Return, per rating, the time its session began (ratings sorted by user, time)."""
    times, users = ratings["timestamp"], ratings["user_id"]
    new_session = (users != users.shift()) | (times - times.shift() > SESSION_GAP_S)
    return times.where(new_session).ffill().to_numpy()


def _title_query(title: str) -> str:
    """Return what a user might type for a movie: its title's first words, lower case."""
    title = _TRAILING_ARTICLE.sub("", re.sub(r"\(.*?\)", " ", title).strip())
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", title.lower())
    return " ".join(words[:_TITLE_QUERY_WORDS])


def _stamper(clock: Clock, start: datetime | None, origin: int) -> Stamp:
    """Return the function turning timeline seconds into ISO-8601 UTC strings."""
    if clock == "original":
        return lambda ts: _iso(datetime.fromtimestamp(ts, UTC))
    base = (start or datetime.now(UTC)).astimezone(UTC)
    return lambda ts: _iso(base + timedelta(seconds=ts - origin))


def _iso(moment: datetime) -> str:
    """Return ``moment`` (UTC) as ISO-8601 with a ``Z`` suffix."""
    return moment.isoformat().replace("+00:00", "Z")


def _catalog_event(product: catalog.Product, occurred_at: str) -> ReplayEvent:
    """Return the ProductUpserted event announcing ``product``."""
    event_id = product.product_id.replace("-", "-product-", 1)
    value = {"event_id": event_id, "occurred_at": occurred_at, **product.catalog_value()}
    return ReplayEvent(CATALOG, product.product_id, value)


class _Sized(Iterator[ReplayEvent]):
    """An iterator over catalog then timeline events that knows how many remain."""

    def __init__(
        self, catalog_events: Iterator[ReplayEvent], timeline_events: Iterator[ReplayEvent], total: int
    ) -> None:
        self._events = itertools.chain(catalog_events, timeline_events)
        self._remaining = total

    def __next__(self) -> ReplayEvent:
        event = next(self._events)
        self._remaining -= 1
        return event

    def __length_hint__(self) -> int:
        return self._remaining
