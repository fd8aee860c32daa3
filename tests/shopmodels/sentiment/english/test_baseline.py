"""The TF-IDF baseline and the test scoring, on a small sample of the real reviews."""

from shopmodels.sentiment.english.baseline import fit_baseline
from shopmodels.sentiment.english.data import sample_training
from shopmodels.sentiment.english.evaluate import majority_scorer, markdown_table, score_test


def test_baseline_beats_the_majority_class_on_held_out_reviews(split):
    small = sample_training(split, 2000, seed=0)
    baseline = fit_baseline(small)
    assert baseline.class_weight in (None, "balanced") and baseline.valid_macro_f1 > 0.7

    majority = score_test("majority", majority_scorer(small), split)
    report = score_test("baseline", baseline.positive_probability, split)
    assert majority.macro_f1 < 0.5 < 0.75 < report.macro_f1
    assert report.reviews == majority.reviews == len(split.test)
    table = markdown_table([majority, report], "caption")
    assert "| baseline | " in table and table.endswith("caption")
