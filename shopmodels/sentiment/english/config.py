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
    here: ``max_tokens`` counts word pieces, title first, [CLS] and [SEP] included; the encoder
    keeps its own dropout (0.1) besides ``dropout``; one epoch of the full training part is
    about 500 steps; ``class_weighting`` would make the ~12% negative reviews count as much as
    the positive ones. The defaults are the English recipe.
    """
