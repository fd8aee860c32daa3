"""Test scores, the majority class and the report table both languages print."""

import numpy as np
import pandas as pd

from shopmodels.sentiment.report import ReportTable, SentimentReport, majority_scorer, score_test, with_served
from shopmodels.sentiment.split import SentimentSplit

REPORTS = [SentimentReport("majority", 4, 0.75, 0.4286),
           SentimentReport("model v1", 4, 1.0, 1.0, 0.25, served_accuracy=0.8, served_macro_f1=0.7)]


def _split(train_labels, test_labels) -> SentimentSplit:
    frame = lambda labels: pd.DataFrame({"text": [f"review {i}" for i in range(len(labels))], "label": labels})
    return SentimentSplit(frame(train_labels), frame([0, 1]), frame(test_labels), seed=0)


def test_scores_threshold_at_one_half_and_the_majority_follows_the_training_part():
    split = _split([1, 1, 0], [1, 1, 1, 0])
    name, always = majority_scorer(split)
    assert name == "positive" and always(["a", "b"]).tolist() == [1.0, 1.0]
    report = score_test("half", lambda texts: np.array([0.5, 0.49, 0.9, 0.1]), split)
    assert (report.reviews, report.accuracy) == (4, 0.75) and round(report.macro_f1, 4) == 0.7333
    assert majority_scorer(_split([0, 0, 1], [0]))[0] == "negative"


def test_the_table_shows_the_neutral_column_only_where_the_language_has_one():
    english = ReportTable("title", neutral_header="3-star reviews labelled neutral")
    assert english.headers[-1] == "3-star reviews labelled neutral"
    assert english.rows(REPORTS) == [("majority", "0.7500", "0.4286", "-", "-", "-"),
                                     ("model v1", "1.0000", "1.0000", "0.8000", "0.7000", "0.2500")]
    assert ReportTable("title").rows(REPORTS)[1] == ("model v1", "1.0000", "1.0000", "0.8000", "0.7000")


def test_markdown_ends_with_the_caption_and_the_full_stop_where_the_caption_has_none():
    lines = ReportTable("title").markdown(REPORTS, "caption.").splitlines()
    assert lines[:2] == ["| Model | Accuracy | Macro-F1 | Served accuracy | Served macro-F1 |", "|---|---|---|---|---|"]
    assert lines[-1] == "caption."
    stops = ReportTable("title", markdown_full_stop=True)
    assert stops.markdown(REPORTS, "caption").endswith("\n\ncaption.") and stops.caption_end == ""
    assert ReportTable("title").caption_end == "."


def test_served_figures_score_the_neutral_reviews_as_their_own_class():
    frame = lambda texts, labels: pd.DataFrame({"text": texts, "label": labels})
    split = SentimentSplit(frame(["a", "b"], [0, 1]), frame(["c"], [1]), frame(["neg", "pos"], [0, 1]), seed=0,
                           test_neutral=frame(["mid"], [-1]))
    served = {"neg": 0, "pos": 1, "mid": -1}
    report = with_served(SentimentReport("exact", 2, 1.0, 1.0), lambda texts: [served[t] for t in texts], split)
    assert (report.served_accuracy, report.served_macro_f1) == (1.0, 1.0)
    wrong = with_served(SentimentReport("no neutral", 2, 1.0, 1.0), lambda texts: [1 if t != "neg" else 0
                                                                                    for t in texts], split)
    assert wrong.served_accuracy == 2 / 3 and round(wrong.served_macro_f1, 4) == round((1 + 2 / 3 + 0) / 3, 4)
