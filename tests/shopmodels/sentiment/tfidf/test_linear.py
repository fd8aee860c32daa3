"""The array form of a TF-IDF + logistic regression equals the scikit-learn pipeline, words and characters."""

import numpy as np
import pytest
import torch

from shopmodels.sentiment.labels import POSITIVE
from shopmodels.sentiment.split import sample_training
from shopmodels.sentiment.tfidf.linear import TfidfLogistic
from shopmodels.sentiment.tfidf.model import recipe_for

ODD_TEXTS = ["", "   ", "Café DÉCOR, naïve fit!!", "质量  很好\t\t物流快", "😀😀 ok", "a"]


@pytest.fixture(scope="module", params=["en", "zh"])
def fitted(request, english_split, chinese_split):
    """(language, the recipe's pipeline fitted on 3,000 real training reviews with C = 4, the split)."""
    split = english_split if request.param == "en" else chinese_split
    small = sample_training(split, 3000, seed=0)
    pipeline = recipe_for(request.param).pipeline(4.0)
    return request.param, pipeline.fit(small.train["text"].tolist(), small.train["label"].to_numpy()), split


def test_it_equals_the_pipeline_on_real_reviews(fitted):
    language, pipeline, split = fitted
    linear = TfidfLogistic.from_pipeline(pipeline)
    texts = split.test["text"].head(400).tolist() + ODD_TEXTS
    np.testing.assert_allclose(linear.log_odds(texts), pipeline.decision_function(texts), rtol=0, atol=1e-9)
    probability = 1 / (1 + np.exp(-linear.log_odds(texts)))
    np.testing.assert_allclose(probability, pipeline.predict_proba(texts)[:, POSITIVE], rtol=0, atol=1e-9)


def test_the_checkpoint_form_is_plain_and_scores_the_same(fitted, tmp_path):
    _, pipeline, split = fitted
    linear = TfidfLogistic.from_pipeline(pipeline)
    torch.save(linear.to_checkpoint(), tmp_path / "linear.pt")
    settings, tensors, ngrams = torch.load(tmp_path / "linear.pt", weights_only=True)
    reloaded = TfidfLogistic.from_checkpoint(settings, tensors, ngrams)
    texts = split.valid["text"].head(100).tolist()
    assert reloaded.log_odds(texts).tolist() == linear.log_odds(texts).tolist()


def test_settings_it_cannot_reproduce_are_refused():
    pipeline = recipe_for("en").pipeline(1.0)
    pipeline.named_steps["tfidf"].set_params(binary=True)
    pipeline.fit(["great dress", "awful fit", "love it", "hate it"], [1, 0, 1, 0])
    with pytest.raises(ValueError, match="cannot reproduce"):
        TfidfLogistic.from_pipeline(pipeline)
