"""Sequences, the leave-one-out protocol, training windows and the vocabulary."""

import pandas as pd
import pytest

from shopmodels.recommender.data import (
    leave_one_out,
    pad_left,
    sequences_from_click_events,
    sequences_from_frame,
    training_windows,
)
from shopmodels.recommender.vocabulary import Vocabulary


def test_leave_one_out_sorts_by_timestamp_then_item_id():
    frame = pd.DataFrame({
        "user_id":   [1,  1,  1,  1,  1,  2,  2],
        "item_id":   [10, 7,  9,  4,  3,  3,  8],
        "timestamp": [50, 20, 50, 90, 10, 5,  6],
    })  # fmt: skip
    sequences = sequences_from_frame(frame, user_prefix="u", item_prefix="i")
    # User 1: 3 @10, 7 @20, then 9 and 10 tie @50 (numeric item order), 4 @90.
    assert sequences == {"u1": ["i3", "i7", "i9", "i10", "i4"], "u2": ["i3", "i8"]}

    split = leave_one_out({user: [int(item[1:]) for item in items] for user, items in sequences.items()})
    assert split.users == ["u1"]
    assert split.train == [[3, 7, 9]]
    assert split.valid_targets == [10] and split.test_targets == [4]
    assert split.valid_inputs() == [[3, 7, 9]]
    assert split.test_inputs() == [[3, 7, 9, 10]]
    assert split.train_only == [[3, 8]]  # too short to evaluate, still trained on


def test_click_events_become_time_ordered_sequences_without_repeats():
    events = [
        {"user_id": "u1", "product_id": "b", "kind": "view", "occurred_at": "2024-05-01T12:00:05Z"},
        {"user_id": "u1", "product_id": "a", "kind": "view", "occurred_at": "2024-05-01T14:00:00+02:00"},
        {"user_id": "u1", "product_id": "b", "kind": "purchase", "occurred_at": "2024-05-01T12:00:09Z"},
        {"user_id": "u2", "product_id": "c", "kind": "cart", "occurred_at": "2024-05-01T12:00:00Z"},
        {"user_id": "u2", "product_id": "d", "kind": "wishlist", "occurred_at": "2024-05-01T12:00:01Z"},
    ]
    assert sequences_from_click_events(events) == {"u1": ["a", "b"], "u2": ["c"]}


def test_click_events_without_an_offset_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="UTC offset"):
        sequences_from_click_events([{"user_id": "u", "product_id": "p", "kind": "view",
                                      "occurred_at": "2024-05-01T12:00:00"}])


def test_training_windows_make_every_later_item_a_target_exactly_once():
    inputs, targets = training_windows([[1, 2, 3, 4, 5, 6], [7]], max_len=3)
    assert inputs.tolist() == [[3, 4, 5], [0, 1, 2]]
    assert targets.tolist() == [[4, 5, 6], [0, 2, 3]]


def test_pad_left_keeps_the_newest_items():
    assert pad_left([[1, 2, 3, 4], [5], []], 3).tolist() == [[2, 3, 4], [0, 0, 5], [0, 0, 0]]


def test_vocabulary_round_trips_and_drops_unknown_products():
    vocabulary = Vocabulary.build([["ml-2", "ml-1"], ["ml-3", "ml-1"]])
    assert len(vocabulary) == 3 and vocabulary.padding == 0
    assert vocabulary.encode(["ml-3", "nope", "ml-1"]) == [3, 1]
    assert vocabulary.decode([3, 1]) == ["ml-3", "ml-1"]
    assert Vocabulary(vocabulary.to_list()).encode(["ml-2"]) == [2]
    with pytest.raises(IndexError):
        vocabulary.product(0)
