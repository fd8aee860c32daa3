"""The array form of the TF-IDF + logistic regression reproduces the scikit-learn pipeline on real reviews."""

import numpy as np
import pytest
import torch

from shopmodels.sentiment.chinese.data import normalise_text
from shopmodels.sentiment.chinese.evaluation import BASELINE
from shopmodels.sentiment.chinese.linear import CharNgramLogisticRegression, char_ngrams
from shopmodels.sentiment.labels import POSITIVE

# Beyond the corpus: empty, whitespace runs and tabs, Latin capitals, full-width forms and unseen characters.
ODD_TEXTS = ["", "   ", "质量  很好\t\t物流快", "iPhone 手机 GOOD，ＡＢＣ１２３", "😀😀 嗯", "好"]


@pytest.fixture(scope="module")
def pipeline(small_split):
    """The baseline's pipeline fitted on ``small_split``'s training reviews with C = 4."""
    return BASELINE.pipeline(4.0).fit(small_split.train["text"].tolist(), small_split.train["label"].to_numpy())


def test_it_equals_the_pipelines_predict_proba_on_real_reviews(pipeline, split):
    linear = CharNgramLogisticRegression.from_pipeline(pipeline, 4.0)
    texts = split.test["text"].head(500).tolist() + split.valid["text"].tail(100).tolist() + ODD_TEXTS
    normalised = [normalise_text(text) for text in texts]  # the reimplementation normalises, as the baseline does
    np.testing.assert_allclose(linear.positive_probability(texts), pipeline.predict_proba(normalised)[:, POSITIVE],
                               rtol=0, atol=1e-6)
    np.testing.assert_allclose(linear.log_odds(texts), pipeline.decision_function(normalised), rtol=0, atol=1e-6)


def test_its_ngrams_are_the_vectorizers(small_split):
    analyzer = BASELINE.pipeline(1.0).named_steps["tfidf"].build_analyzer()
    for text in small_split.valid["text"].head(50).tolist() + ODD_TEXTS:
        assert char_ngrams(text.lower(), (1, 3)) == analyzer(text), text


def test_the_checkpoint_form_is_plain_and_gives_the_same_scores(pipeline, small_split, tmp_path):
    linear = CharNgramLogisticRegression.from_pipeline(pipeline, 4.0)
    torch.save(linear.to_checkpoint(), tmp_path / "linear.pt")
    stored = torch.load(tmp_path / "linear.pt", weights_only=True)
    assert all(isinstance(ngram, str) for ngram in stored["ngrams"]) and stored["c"] == 4.0
    texts = small_split.valid["text"].head(200).tolist()
    reloaded = CharNgramLogisticRegression.from_checkpoint(stored)
    assert reloaded.log_odds(texts).tolist() == linear.log_odds(texts).tolist()


def test_settings_it_cannot_reproduce_are_refused():
    pipeline = BASELINE.pipeline(1.0)
    pipeline.named_steps["tfidf"].set_params(analyzer="char_wb")
    pipeline.fit(["很好很好", "太差了", "好评", "差评"], [1, 0, 1, 0])
    with pytest.raises(ValueError, match="cannot reproduce.*char_wb"):
        CharNgramLogisticRegression.from_pipeline(pipeline, 1.0)
