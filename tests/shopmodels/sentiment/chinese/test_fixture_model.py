"""The session's small real Chinese model (tests/conftest.py) tells clear reviews apart and was stored without e5's
word embeddings."""

import torch

from shopmodels.checkpoints import latest_version
from shopmodels.sentiment.chinese.model import WORD_EMBEDDINGS
from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
from shopmodels.sentiment.chinese.registry import KIND


def test_the_fixture_model_tells_a_clearly_negative_review_from_a_clearly_positive_one(chinese_sentiment_registry,
                                                                                     dataset_paths, weights):
    version = latest_version(chinese_sentiment_registry, KIND)
    path = chinese_sentiment_registry / KIND / version / "model.pt"
    predictor = ChineseSentimentPredictor.from_checkpoint(path, device="cpu", e5_path=dataset_paths.e5_weights)
    negative, positive = predictor.positive_probability(["质量太差了，用了两天就坏了，非常失望，千万别买。",
                                                         "非常好，质量很好，物流也快，很满意，值得购买！"])
    assert negative < 0.5 < positive and predictor.version == version
    assert predictor.ensemble is not None, "the stream tests should serve what production serves: the ensemble"
    stored = torch.load(path, weights_only=True)["state_dict"]
    assert WORD_EMBEDDINGS not in stored, "frozen embeddings are read from the e5 file, not stored"
    served = predictor.model.state_dict()
    assert torch.equal(served[WORD_EMBEDDINGS], torch.from_numpy(weights.tensors["emb.word"]).view_as(
        served[WORD_EMBEDDINGS])), "training left the frozen word embeddings as e5 has them"
    layer = "encoder.encoder.layer.11.output.dense.weight"
    assert not torch.equal(stored[layer], torch.from_numpy(weights.tensors["l11.fo.w"]).view_as(stored[layer])), \
        "the encoder itself was fine-tuned"
