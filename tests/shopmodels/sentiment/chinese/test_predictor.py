"""Checkpoint round trip (weights_only, word embeddings left out), with and without the ensemble, and the predictor."""

import pytest
import torch

from shopmodels.checkpoints import load_checkpoint
from shopmodels.sentiment.chinese.model import WORD_EMBEDDINGS
from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
from shopmodels.sentiment.chinese.registry import KIND, load_chinese_sentiment, load_ensemble, save_chinese_sentiment
from shopmodels.sentiment.labels import LABEL_NAMES
from shopmodels.sentiment.predictor import SentimentPrediction
from tests.shopmodels.sentiment.resave import resave

TEXTS = ["质量很好，物流很快，五星好评！", "太差了，用了两天就坏了，千万别买。", "", "一般"]
CLEAR = ["屏幕太差了，反应很慢，客服也不理人，退货！", "宝贝收到了，质量很好，包装完好，物流很快，满意！"]  # neg, pos


@pytest.fixture(scope="module")
def saved(fresh_model, weights, tmp_path_factory):
    """The untrained classifier saved once: temperature 1.7, split seed 5."""
    return save_chinese_sentiment(tmp_path_factory.mktemp("zh"), fresh_model, weights, temperature=1.7, split_seed=5,
                                  extra={"valid_macro_f1": 0.9})


def test_checkpoint_round_trip_keeps_config_and_weights_but_not_the_frozen_embeddings(fresh_model, weights, saved):
    assert saved.parent.parent.name == KIND and saved.parent.name.startswith("zh-sentiment-")
    raw = torch.load(saved, weights_only=True)
    assert raw["extra"]["label_names"] == list(LABEL_NAMES) and raw["extra"]["e5_sha256"] == weights.sha256
    assert WORD_EMBEDDINGS not in raw["state_dict"] and saved.stat().st_size < 120_000_000

    model, checkpoint = load_chinese_sentiment(saved, weights)
    assert model.config == fresh_model.config and not model.training
    assert checkpoint.extra["temperature"] == 1.7 and checkpoint.extra["split_seed"] == 5
    for name, tensor in fresh_model.state_dict().items():
        torch.testing.assert_close(model.state_dict()[name], tensor)


def test_a_reloaded_checkpoint_predicts_exactly_the_same(fresh_model, tokenizer, dataset_paths, saved):
    before = ChineseSentimentPredictor(fresh_model, tokenizer, temperature=1.7, version="v", device="cpu")
    after = ChineseSentimentPredictor.from_checkpoint(saved, device="cpu", e5_path=dataset_paths.e5_weights)
    assert after.version == saved.parent.name
    assert after.positive_probability(TEXTS).tolist() == before.positive_probability(TEXTS).tolist()


def test_loading_refuses_another_kind_an_old_model_and_another_e5_file(weights, saved, tmp_path):
    checkpoint = load_checkpoint(saved)
    cases = ((resave(checkpoint, tmp_path / "a.pt", kind="sentiment"), "not a 'sentiment-zh'"),
             (resave(checkpoint, tmp_path / "b.pt", e5_sha256=None), "earlier from-scratch Chinese model"),
             (resave(checkpoint, tmp_path / "c.pt", e5_sha256="0" * 64), "fine-tuned from an e5 file with SHA-256"))
    for path, message in cases:
        with pytest.raises(ValueError, match=message):
            load_chinese_sentiment(path, weights)


def test_predictor_labels_each_text_in_order_with_a_probability(fresh_model, tokenizer):
    predictor = ChineseSentimentPredictor(fresh_model, tokenizer, temperature=2.0, version="v", device="cpu")
    predictions = predictor.predict(TEXTS, batch_size=3)
    assert len(predictions) == 4 and all(isinstance(p, SentimentPrediction) for p in predictions)
    assert {p.label for p in predictions} <= {"negative", "neutral", "positive"}
    alone = [predictor.predict([text])[0].positive_probability for text in TEXTS]
    assert [p.positive_probability for p in predictions] == pytest.approx(alone, abs=1e-5)
    assert predictor.predict([]) == [] and predictor.positive_probability([]).shape == (0,)


def test_temperature_scales_logits_and_the_band_decides_the_label(fresh_model, tokenizer):
    predictor = ChineseSentimentPredictor(fresh_model, tokenizer, temperature=2.0, version="v", device="cpu")
    probabilities = predictor.postprocess(torch.tensor([[0.0, 2.0], [1.0, 1.0], [4.0, 0.0]]))
    assert probabilities == pytest.approx(torch.sigmoid(torch.tensor([1.0, 0.0, -2.0])).tolist())
    assert [predictor._prediction(p).label for p in probabilities] == ["positive", "neutral", "negative"]


def test_an_ensemble_checkpoint_round_trips_with_its_linear_part(ensemble_checkpoint, weights, tokenizer, tmp_path):
    model, checkpoint = load_chinese_sentiment(ensemble_checkpoint, weights)
    stored = torch.load(ensemble_checkpoint, weights_only=True)["extra"]["ensemble"]
    assert all(isinstance(ngram, str) for ngram in stored["linear"]["ngrams"])
    assert stored["linear"]["coef"].dtype == torch.float64 and stored["linear"]["ngram_range"] == [1, 3]
    ensemble = load_ensemble(checkpoint)
    again = save_chinese_sentiment(tmp_path, model, weights, temperature=checkpoint.extra["temperature"],
                                   split_seed=5, ensemble=ensemble)
    reloaded = load_ensemble(load_checkpoint(again))
    assert (reloaded.weight, reloaded.temperature, reloaded.linear_temperature) == \
        (ensemble.weight, ensemble.temperature, ensemble.linear_temperature)
    assert reloaded.linear.vocabulary == ensemble.linear.vocabulary
    assert torch.equal(torch.from_numpy(reloaded.linear.coef), torch.from_numpy(ensemble.linear.coef))
    before = ChineseSentimentPredictor.from_loaded(model, checkpoint, tokenizer, device="cpu")
    after = ChineseSentimentPredictor.from_loaded(*load_chinese_sentiment(again, weights), tokenizer, device="cpu")
    assert after.positive_probability(TEXTS).tolist() == before.positive_probability(TEXTS).tolist()


def test_a_remembering_predictor_runs_the_model_once_per_text_and_scores_the_same(ensemble_checkpoint, weights,
                                                                                  tokenizer):
    model, checkpoint = load_chinese_sentiment(ensemble_checkpoint, weights)
    plain = ChineseSentimentPredictor.from_loaded(model, checkpoint, tokenizer, device="cpu")
    expected = (plain.positive_probability(TEXTS), plain.model_alone().positive_probability(TEXTS))
    remembering = ChineseSentimentPredictor.from_loaded(model, checkpoint, tokenizer, device="cpu").remembering()
    passes = []
    hook = model.register_forward_hook(lambda module, args, output: passes.append(len(output)))
    try:
        mixed = remembering.positive_probability(TEXTS, batch_size=2)
        labels = [p.label for p in remembering.predict(TEXTS, batch_size=2)]
        alone = remembering.model_alone().positive_probability(TEXTS, batch_size=2)
    finally:
        hook.remove()
    assert sum(passes) == len(TEXTS)  # the first call ran the model; predict and the model alone reused it
    assert mixed == pytest.approx(expected[0], abs=1e-6) and alone == pytest.approx(expected[1], abs=1e-6)
    assert labels == [p.label for p in plain.predict(TEXTS)]


def test_the_ensemble_predictor_tells_clear_real_reviews_apart(ensemble_checkpoint, dataset_paths):
    predictor = ChineseSentimentPredictor.from_checkpoint(ensemble_checkpoint, device="cpu",
                                                          e5_path=dataset_paths.e5_weights)
    negative, positive = predictor.predict(CLEAR)
    assert predictor.ensemble is not None and predictor.version == ensemble_checkpoint.parent.name
    assert negative.positive_probability < 0.5 < positive.positive_probability
    assert (negative.label, positive.label) == ("negative", "positive")


def test_a_checkpoint_without_an_ensemble_serves_the_model_alone(weights, tokenizer, saved, tmp_path):
    model, checkpoint = load_chinese_sentiment(saved, weights)
    predictor = ChineseSentimentPredictor.from_loaded(model, checkpoint, tokenizer, device="cpu")
    assert load_ensemble(checkpoint) is None and predictor.ensemble is None and predictor.temperature == 1.7
    damaged = resave(checkpoint, tmp_path / "damaged.pt", ensemble={"weight": 0.5})
    with pytest.raises(ValueError, match="damaged 'ensemble' entry"):
        load_ensemble(load_checkpoint(damaged))
