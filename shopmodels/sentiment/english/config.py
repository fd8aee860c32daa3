"""Hyperparameters of the English sentiment classifier, in one frozen, documented object.

Kept apart from ``model.py`` so the command line reads the defaults without
importing torch (``shopstream --help`` stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass

from shopmodels.sentiment.config import FineTuningConfig


@dataclass(frozen=True)
class SentimentConfig(FineTuningConfig):
    """Every hyperparameter of the English classifier (fine-tuned MiniLM) and its training run.

    The fields and their meaning are ``FineTuningConfig``'s (``shopmodels/sentiment/config.py``);
    here: ``max_tokens`` counts word pieces, title first, [CLS] and [SEP] included (96 keeps 63%
    of the training reviews whole, 128 keeps 89%); the encoder keeps its own dropout (0.1)
    besides ``dropout``; one epoch of the full training part, its 3-star reviews included
    (``train_neutral``), is 567 steps, validated every ``eval_every`` = 100; ``class_weighting``
    would make the ~12% negative reviews count as much as the positive ones. The defaults are
    the recipe measured in ``docs/review-intelligence.md`` (about 20 minutes on one CPU thread).
    """

    max_tokens: int = 96
    epochs: int = 1
    eval_every: int = 100
    train_neutral: bool = True
