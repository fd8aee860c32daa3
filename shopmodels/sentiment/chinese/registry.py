"""Write a trained Chinese sentiment model to the model registry, and read it back.

A checkpoint (kind ``sentiment-zh``, versions ``zh-sentiment-<UTC time>``), written by the
shared ``shopmodels/sentiment/registry.py``, holds the ``ChineseSentimentConfig`` as a dict,
the fine-tuned weights and in ``extra``: the label names, the encoder (``encoder_source``) and
the SHA-256 of the e5 file it was fine-tuned from (``e5_sha256``), the model's temperature, the
split seed and, under ``ensemble``, the character n-gram TF-IDF + logistic regression as plain
lists and tensors with the mix (``ensemble.py``), plus whatever facts the caller adds. Frozen
word embeddings are left out (about 370 MiB): loading reads them from the same e5 file, which is
why its digest must match. A checkpoint of several fine-tuned models averaged
(``averaging.py``, ``train sentiment-zh-average``) holds each member's weights under
``members.<i>.`` and, under ``members``, each one's version, seed and temperature; loading gives
the members one shared frozen word-embedding table. Checkpoints of ShopStream's earlier
from-scratch Chinese model are refused with a clear message (they need the Qwen3 model code
that was removed).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shopmodels.checkpoints import Checkpoint
from shopmodels.sentiment.averaging import ClassifierAverage
from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.e5_weights import SOURCE, E5Weights
from shopmodels.sentiment.chinese.ensemble import ChineseEnsemble
from shopmodels.sentiment.chinese.model import WORD_EMBEDDINGS, chinese_classifier
from shopmodels.sentiment.classifier import SentimentClassifier
from shopmodels.sentiment.registry import load_sentiment_checkpoint, restore, save_sentiment_model

KIND = "sentiment-zh"
VERSION_PREFIX = "zh-sentiment"


def save_chinese_sentiment(registry: Path, model: SentimentClassifier | ClassifierAverage, weights: E5Weights, *,
                           temperature: float, split_seed: int, ensemble: ChineseEnsemble | None = None,
                           members: list[dict[str, Any]] | None = None, extra: dict[str, Any] | None = None,
                           now: datetime | None = None) -> Path:
    """Save ``model`` (fine-tuned from ``weights``) as a new version under ``<registry>/sentiment-zh/``; its path.

    ``temperature`` divides the model's logits before the softmax (1.0 = none);
    ``split_seed`` is the seed of the split it was trained on, so ``eval sentiment-zh`` scores
    it on the same held-out test part; ``ensemble``, when given, is what the predictor mixes
    with the model. A ``ClassifierAverage`` needs ``members``: one dict of plain facts per
    member (its version and seed), to which its temperature is added.
    """
    facts: dict[str, Any] = {"encoder_source": SOURCE, "e5_sha256": weights.sha256}
    if ensemble is not None:
        facts["ensemble"] = ensemble.to_checkpoint()
    count = 0
    if isinstance(model, ClassifierAverage):
        count = len(model.members)
        if members is None or len(members) != count:
            raise ValueError(f"An average of {count} models needs {count} member records, got "
                             f"{None if members is None else len(members)}.")
        facts["members"] = [{**member, "temperature": t} for member, t in zip(members, model.temperatures)]
    return save_sentiment_model(registry, model, kind=KIND, version_prefix=VERSION_PREFIX, temperature=temperature,
                                split_seed=split_seed, facts=facts, extra=extra, now=now,
                                leave_out=_left_out(model.config, count))


def load_chinese_sentiment(path: Path, weights: E5Weights) -> tuple[SentimentClassifier | ClassifierAverage,
                                                                     Checkpoint]:
    """Load a Chinese sentiment checkpoint onto the e5 ``weights``: the model (CPU, eval mode) and the checkpoint.

    The model is a ``ClassifierAverage`` when the checkpoint holds several members.

    Raises ``ValueError`` when the file is another kind of model, was written by the earlier
    from-scratch model, or was fine-tuned from another e5 file.
    """
    checkpoint = load_sentiment_checkpoint(path, KIND)
    recorded = checkpoint.extra.get("e5_sha256")
    if recorded is None:
        raise ValueError(f"{path} holds ShopStream's earlier from-scratch Chinese model (Qwen3 tokens), which this "
                         "version no longer serves; retrain with `shopstream train sentiment-zh`.")
    if recorded != weights.sha256:
        raise ValueError(f"{path} was fine-tuned from an e5 file with SHA-256 {recorded}, but the cached one has "
                         f"{weights.sha256}; run `shopstream data fetch` or retrain.")
    config = ChineseSentimentConfig.from_dict(checkpoint.config)
    members = checkpoint.extra.get("members")
    if not members:
        return restore(chinese_classifier(config, weights), checkpoint, _left_out(config)), checkpoint
    average = ClassifierAverage(_members(config, weights, len(members)), [m["temperature"] for m in members])
    return restore(average, checkpoint, _left_out(config, len(members))), checkpoint


def load_ensemble(checkpoint: Checkpoint) -> ChineseEnsemble | None:
    """The TF-IDF + LR side and mix of a loaded checkpoint; None for one saved without an ensemble."""
    stored = checkpoint.extra.get("ensemble")
    if stored is None:
        return None
    try:
        return ChineseEnsemble.from_checkpoint(stored)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"Checkpoint {checkpoint.version} has a damaged 'ensemble' entry ({exc!r}); retrain "
                         "with `shopstream train sentiment-zh`.") from exc


def _members(config: ChineseSentimentConfig, weights: E5Weights, count: int) -> list[SentimentClassifier]:
    """``count`` classifiers on e5 for an average's weights; frozen word embeddings built once and shared."""
    members = [chinese_classifier(config, weights) for _ in range(count)]
    if not config.train_word_embeddings:
        for member in members[1:]:
            member.encoder.embeddings.word_embeddings = members[0].encoder.embeddings.word_embeddings
    return members


def _left_out(config: ChineseSentimentConfig, members: int = 0) -> tuple[str, ...]:
    """The weights a checkpoint does not hold: the word embeddings (each member's), unless training changed them."""
    if config.train_word_embeddings:
        return ()
    return tuple(f"members.{i}.{WORD_EMBEDDINGS}" for i in range(members)) if members else (WORD_EMBEDDINGS,)
