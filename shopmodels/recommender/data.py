"""Per-user item sequences, the leave-one-out split, and training windows.

Protocol (the one every number in ShopStream's reports uses): per user, sort
interactions by (timestamp, item id); the last item is the test target, the
one before it the validation target, and the rest is the training part.
Validation ranks with the training part as input; test ranks with the
training part plus the validation item. Training reads every prefix of the
training part (one loss per position of a causal model).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from shopmodels.datasets.movielens import MovieLens
from shopmodels.recommender.model import PADDING

MOVIELENS_USER_PREFIX = "ml-u"
MOVIELENS_ITEM_PREFIX = "ml-"
_MIN_SPLIT_LENGTH = 3  # a training item, a validation target and a test target


def sequences_from_frame(
    frame: pd.DataFrame, *, user_prefix: str = "", item_prefix: str = ""
) -> dict[str, list[str]]:
    """Return each user's items sorted by (timestamp, item_id), as prefixed strings.

    ``frame`` has columns user_id, item_id and timestamp; ties in time are
    broken by the item id's own order (numeric for integer ids).
    """
    ordered = frame.sort_values(["user_id", "timestamp", "item_id"], kind="stable")
    return {
        f"{user_prefix}{user}": [f"{item_prefix}{item}" for item in items]
        for user, items in ordered.groupby("user_id", sort=True)["item_id"]
    }


def movielens_sequences(movielens: MovieLens) -> dict[str, list[str]]:
    """Return MovieLens users' sequences with stream ids (users ``ml-u<id>``, items ``ml-<id>``)."""
    return sequences_from_frame(
        movielens.interactions, user_prefix=MOVIELENS_USER_PREFIX, item_prefix=MOVIELENS_ITEM_PREFIX
    )


def sequences_from_click_events(
    events: Iterable[Mapping[str, Any]], *, kinds: Iterable[str] = ("view", "cart", "purchase")
) -> dict[str, list[str]]:
    """Return each user's clicked products in time order from ``shop.clicks`` events.

    Each event is a dict with user_id, product_id, kind and occurred_at
    (ISO-8601 with an offset, or an aware ``datetime``). Events of other
    kinds are ignored; ties in time are broken by product id; repeats of the
    same product in a row (view, cart, purchase) count once.
    """
    wanted = set(kinds)
    clicks: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for number, event in enumerate(events, start=1):
        if event.get("kind") not in wanted:
            continue
        user, product, when = _click_fields(event, number)
        clicks[user].append((when, product))
    return {user: _without_repeats(product for _, product in sorted(rows))
            for user, rows in sorted(clicks.items())}


def read_click_events(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL export of ``shop.clicks`` (one event object per line; blank lines skipped)."""
    import orjson  # here, not at module level: GPU machines import the predictor without orjson

    events = []
    with Path(path).open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                events.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise ValueError(f"{path}, line {number}: not a JSON object ({exc}). "
                                 "Expected one click event per line.") from exc
    return events


@dataclass(frozen=True)
class LeaveOneOutSplit:
    """Users' item-index sequences split leave-one-out (see the module docstring).

    users: the evaluated users (at least three interactions each), in order.
    train: each evaluated user's training part (all but the last two items).
    valid_targets, test_targets: each evaluated user's second-to-last and last item.
    train_only: sequences of users too short to evaluate; used for training only.
    """

    users: list[str]
    train: list[list[int]]
    valid_targets: list[int]
    test_targets: list[int]
    train_only: list[list[int]]

    def training_sequences(self) -> list[list[int]]:
        """Every sequence training may read: evaluated users' training parts, then the short users."""
        return self.train + self.train_only

    def valid_inputs(self) -> list[list[int]]:
        """Inputs for ranking the validation targets: the training parts."""
        return self.train

    def test_inputs(self) -> list[list[int]]:
        """Inputs for ranking the test targets: training parts plus the validation item."""
        return [part + [valid] for part, valid in zip(self.train, self.valid_targets)]

    def full_histories(self) -> list[list[int]]:
        """Every item each evaluated user interacted with (for sampling negatives)."""
        return [inputs + [test] for inputs, test in zip(self.test_inputs(), self.test_targets)]


def leave_one_out(sequences: Mapping[str, Sequence[int]]) -> LeaveOneOutSplit:
    """Split time-ordered item-index sequences leave-one-out, users in sorted order."""
    users, train, valid, test, train_only = [], [], [], [], []
    for user in sorted(sequences):
        items = list(sequences[user])
        if len(items) < _MIN_SPLIT_LENGTH:
            train_only.append(items)
            continue
        users.append(user)
        train.append(items[:-2])
        valid.append(items[-2])
        test.append(items[-1])
    return LeaveOneOutSplit(users, train, valid, test, [s for s in train_only if s])


def pad_left(sequences: Sequence[Sequence[int]], length: int) -> torch.Tensor:
    """Keep each sequence's newest ``length`` items and left-pad with 0: ``[B, length]``."""
    batch = torch.full((len(sequences), length), PADDING, dtype=torch.long)
    for row, items in enumerate(sequences):
        newest = list(items)[-length:]
        if newest:
            batch[row, length - len(newest):] = torch.tensor(newest, dtype=torch.long)
    return batch


def training_windows(sequences: Iterable[Sequence[int]], max_len: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Cut sequences into left-padded (inputs, targets) windows, each ``[W, max_len]``.

    ``targets[w, t]`` is the item after ``inputs[w, t]``. A sequence longer than
    ``max_len + 1`` is cut from its end into consecutive windows, so every
    training item is a target exactly once; sequences of one item give none.
    """
    inputs, targets = [], []
    for items in map(list, sequences):
        end = len(items)
        while end >= 2:
            start = max(0, end - 1 - max_len)
            inputs.append(items[start:end - 1])
            targets.append(items[start + 1:end])
            end = start + 1
    return pad_left(inputs, max_len), pad_left(targets, max_len)


def _click_fields(event: Mapping[str, Any], number: int) -> tuple[str, str, float]:
    """Return (user_id, product_id, Unix seconds) of one click event, or say what is missing."""
    missing = [name for name in ("user_id", "product_id", "occurred_at") if not event.get(name)]
    if missing:
        raise ValueError(f"Click event {number} lacks {', '.join(missing)}: {dict(event)!r}")
    when = event["occurred_at"]
    moment = when if isinstance(when, datetime) else datetime.fromisoformat(str(when))
    if moment.tzinfo is None:
        raise ValueError(f"Click event {number} has occurred_at {when!r} without a UTC offset; "
                         "write it like 2024-05-01T12:00:00Z.")
    return str(event["user_id"]), str(event["product_id"]), moment.timestamp()


def _without_repeats(products: Iterable[str]) -> list[str]:
    """Drop a product that repeats the one just before it."""
    kept: list[str] = []
    for product in products:
        if not kept or kept[-1] != product:
            kept.append(product)
    return kept
