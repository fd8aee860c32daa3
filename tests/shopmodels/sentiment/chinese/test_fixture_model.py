"""The session's small real Chinese model (tests/conftest.py) tells clear reviews apart."""

from shopmodels.checkpoints import latest_version
from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
from shopmodels.sentiment.chinese.registry import KIND


def test_the_fixture_model_tells_a_clearly_negative_review_from_a_clearly_positive_one(chinese_sentiment_registry,
                                                                                     dataset_paths):
    version = latest_version(chinese_sentiment_registry, KIND)
    predictor = ChineseSentimentPredictor.from_checkpoint(chinese_sentiment_registry / KIND / version / "model.pt",
                                                          device="cpu", tokenizer_dir=dataset_paths.qwen3_tokenizer)
    negative, positive = predictor.positive_probability(["质量太差了，用了两天就坏了，非常失望，千万别买。",
                                                         "非常好，质量很好，物流也快，很满意，值得购买！"])
    assert negative < 0.5 < positive and predictor.version == version
    assert predictor.ensemble is not None, "the stream tests should serve what production serves: the ensemble"
