"""The Qwen3 tokenizer from the cached npm files, the compact vocabulary and the hashed n-grams."""

import pytest
import torch

from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.features import (
    PAD,
    SPECIAL_TOKENS,
    UNK,
    Featurizer,
    TokenizerMissing,
    TokenVocabulary,
    collate,
    hashed_ngrams,
    load_qwen3_tokenizer,
    qwen3_ids,
)


def test_tokenizer_loads_from_the_cached_npm_files_and_keeps_chinese_words_whole(dataset_paths, tokenizer):
    assert (dataset_paths.qwen3_tokenizer / "tokenizer_config.json").is_file()
    assert tokenizer.get_vocab_size() == 151669
    tokens = [tokenizer.decode([i]) for i in qwen3_ids(tokenizer, ["手机电池续航很好，物流也快"])[0]]
    assert {"手机", "电池", "续航", "物流"} <= set(tokens)


def test_a_missing_tokenizer_says_how_to_fetch_it(tmp_path):
    with pytest.raises(TokenizerMissing, match="shopstream data fetch"):
        load_qwen3_tokenizer(tmp_path)


def test_vocabulary_keeps_frequent_tokens_and_maps_the_rest_to_unk():
    vocabulary = TokenVocabulary.build([[7, 9, 7], [9, 7, 5]], min_count=2)
    assert vocabulary.qwen_ids == (7, 9) and len(vocabulary) == SPECIAL_TOKENS + 2
    assert vocabulary.encode([9, 5, 7, 7], max_tokens=3) == [SPECIAL_TOKENS + 1, UNK, SPECIAL_TOKENS]
    assert vocabulary.encode([], max_tokens=3) == [UNK]
    assert TokenVocabulary(list(vocabulary.qwen_ids)) == vocabulary


def test_hashed_ngrams_are_stable_distinct_and_in_range():
    ids = hashed_ngrams("很好很好", [1, 2, 1], char_ngrams=3, buckets=1 << 20)
    # 很, 好, 很好, 好很, 很好很, 好很好; tokens (1), (2), (1 2), (2 1), (1 2 1)
    assert len(ids) == 11 and ids == sorted(set(ids)) and all(0 <= i < 1 << 20 for i in ids)
    assert ids == hashed_ngrams("很好很好", [1, 2, 1], char_ngrams=3, buckets=1 << 20)  # no per-process salt
    assert hashed_ngrams("", [], char_ngrams=3, buckets=8) == [0]


def test_featurizer_normalises_truncates_and_collates(tokenizer, vocabulary):
    config = ChineseSentimentConfig(max_tokens=4, ngram_buckets=64)
    featurizer = Featurizer(tokenizer, vocabulary, config)
    first, second = featurizer.examples(["质量很好，物流很快，下次还来买", "ＯＫ"])
    assert featurizer.examples(["OK"])[0] == second  # full-width folded before tokenising
    assert len(first.token_ids) == 4 and all(0 <= i < 64 for i in first.ngram_ids)
    batch = collate([first, second])
    assert batch.token_ids.shape == (2, 4) and (batch.token_ids[1, len(second.token_ids):] == PAD).all()
    assert batch.ngram_offsets.tolist() == [0, len(first.ngram_ids)]
    assert batch.ngram_ids.tolist() == first.ngram_ids + second.ngram_ids and batch.ngram_ids.dtype == torch.long
