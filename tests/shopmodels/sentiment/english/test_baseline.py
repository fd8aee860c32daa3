"""The TF-IDF baseline and the test scoring, on a small sample of the real reviews."""

from shopmodels.sentiment.baseline import fit_baseline
from shopmodels.sentiment.english.evaluation import BASELINE, TABLE
from shopmodels.sentiment.report import majority_scorer, score_test
from shopmodels.sentiment.split import sample_training


def test_baseline_beats_the_majority_class_on_held_out_reviews(split):
    small = sample_training(split, 2000, seed=0)
    baseline = fit_baseline(small, BASELINE)
    assert baseline.class_weight in (None, "balanced") and baseline.valid_macro_f1 > 0.7

    majority = score_test("majority", majority_scorer(small)[1], split)
    report = score_test("baseline", baseline.positive_probability, split)
    assert majority.macro_f1 < 0.5 < 0.75 < report.macro_f1
    assert report.reviews == majority.reviews == len(split.test)
    table = TABLE.markdown([majority, report], "caption")
    assert "| baseline | " in table and table.endswith("caption")
