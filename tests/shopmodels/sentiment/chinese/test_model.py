"""The config's checks and the model's forward pass."""

import pytest
import torch

from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.features import Featurizer, collate


def test_config_round_trips_and_refuses_bad_values():
    config = ChineseSentimentConfig(hidden=64, heads=4, pretrain_epochs=1)
    assert ChineseSentimentConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="multiple of heads"):
        ChineseSentimentConfig(hidden=30, heads=4)
    with pytest.raises(ValueError, match="neutral_low <= neutral_high"):
        ChineseSentimentConfig(neutral_low=0.8, neutral_high=0.2)
    with pytest.raises(ValueError, match="Unknown ChineseSentimentConfig keys"):
        ChineseSentimentConfig.from_dict({"width": 3})


def test_forward_weighs_the_branch_logits_and_ignores_padding(tiny_model, tokenizer, vocabulary, split):
    short = split.train["text"][split.train["text"].str.len() < 15].head(3).tolist()
    batch = collate(Featurizer(tokenizer, vocabulary, tiny_model.config).examples(short))
    assert batch.token_ids.shape[1] <= tiny_model.config.max_tokens - 5
    padded = torch.nn.functional.pad(batch.token_ids, (0, 5))  # five more PAD columns
    tiny_model.branch_weight.fill_(0.25)
    with torch.inference_mode():
        logits = tiny_model(batch.token_ids, batch.ngram_ids, batch.ngram_offsets)  # [3, 2]
        token_logits = tiny_model.token_logits(batch.token_ids)
        ngram_logits = tiny_model.ngram_logits(batch.ngram_ids, batch.ngram_offsets)
        logits_padded = tiny_model(padded, batch.ngram_ids, batch.ngram_offsets)
    assert logits.shape == token_logits.shape == ngram_logits.shape == (3, 2) and torch.isfinite(logits).all()
    torch.testing.assert_close(logits, 0.25 * token_logits + ngram_logits)
    torch.testing.assert_close(logits, logits_padded, atol=1e-5, rtol=1e-5)
