"""Load whatever sentiment model a registry entry holds, as the predictor the stream serves.

A language's registry kind (``sentiment``, ``sentiment-zh``) may hold neural checkpoints (the
fine-tuned MiniLM, the fine-tuned multilingual-e5-small, each with its ensemble) and TF-IDF + logistic regression ones
(``shopmodels/sentiment/tfidf``); the newest version is served, whichever it is. Every predictor
has ``predict``, ``positive_probability``, ``version`` and ``device``. The stream's review service
and ``shopstream eval --checkpoint`` both load through ``load_sentiment_predictor``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shopmodels.checkpoints import load_checkpoint


def load_sentiment_predictor(path: Path, *, device: str = "auto", e5_path: Path | None = None) -> Any:
    """The predictor of the sentiment checkpoint at ``path``.

    ``e5_path`` is multilingual-e5-small's packed file (``DatasetPaths.e5_weights``), needed by Chinese
    neural checkpoints.
    Raises ``ValueError`` for a file that is no sentiment checkpoint. A neural checkpoint is read
    twice (here to see what it is, then by its own loader); that costs a fraction of a second.
    """
    from shopmodels.sentiment.chinese.registry import KIND as CHINESE_KIND
    from shopmodels.sentiment.english.registry import KIND as ENGLISH_KIND
    from shopmodels.sentiment.tfidf.registry import is_tfidf, tfidf_predictor

    checkpoint = load_checkpoint(path)
    if is_tfidf(checkpoint):
        return tfidf_predictor(checkpoint)
    if checkpoint.kind == ENGLISH_KIND:
        from shopmodels.sentiment.english.predictor import SentimentPredictor

        return SentimentPredictor.from_checkpoint(path, device)
    if checkpoint.kind == CHINESE_KIND:
        from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor

        if e5_path is None:
            raise ValueError(f"{path} is a Chinese neural model; it needs multilingual-e5-small's file.")
        return ChineseSentimentPredictor.from_checkpoint(path, device, e5_path=e5_path)
    raise ValueError(f"{path} holds a {checkpoint.kind!r} model, not a sentiment model "
                     f"({ENGLISH_KIND!r} or {CHINESE_KIND!r}).")
