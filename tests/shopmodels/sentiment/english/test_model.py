"""The config's checks and the classifier's forward pass, with the real MiniLM."""

import pytest
import torch

from shopmodels.sentiment.english.config import SentimentConfig
from shopmodels.sentiment.classifier import encode, pad_batch


def test_config_round_trips_and_refuses_bad_values():
    config = SentimentConfig(max_tokens=64, class_weighting=True)
    assert SentimentConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="max_tokens must be >= 3"):
        SentimentConfig(max_tokens=2)
    with pytest.raises(ValueError, match="neutral_low <= neutral_high"):
        SentimentConfig(neutral_low=0.8, neutral_high=0.2)
    with pytest.raises(ValueError, match="Unknown SentimentConfig keys"):
        SentimentConfig.from_dict({"hidden": 3})


def test_forward_gives_two_logits_per_review_and_ignores_padding(minilm_classifier, tokenizer, split):
    ids = encode(tokenizer, split.train["text"].head(3).tolist(), minilm_classifier.config.max_tokens)
    input_ids, mask = pad_batch(ids)  # [3, L]
    minilm_classifier.eval()
    with torch.inference_mode():
        logits = minilm_classifier(input_ids, mask)  # [3, 2]
        padded = minilm_classifier(torch.nn.functional.pad(input_ids, (0, 5)),
                                   torch.nn.functional.pad(mask, (0, 5)))
    assert logits.shape == (3, 2) and torch.isfinite(logits).all()
    torch.testing.assert_close(logits, padded, atol=1e-4, rtol=1e-4)
