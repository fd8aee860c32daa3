"""Hyperparameters of the sentiment classifier, in one frozen, documented object.

Kept apart from ``model.py`` so the command line reads the defaults without
importing torch (``shopstream --help`` stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass

from shopmodels.sentiment.config import Check, SentimentConfigBase


@dataclass(frozen=True)
class SentimentConfig(SentimentConfigBase):
    """Every hyperparameter of the sentiment classifier and its training run.

    Model and input:
        max_tokens (int): word pieces kept per review (title first), [CLS]
            and [SEP] included; longer reviews are cut at the end.
        dropout (float): dropout on the pooled vector before the head, in
            [0, 1). The encoder keeps its own dropout (0.1).

    Training:
        lr (float): peak AdamW learning rate, reached after warmup.
        weight_decay (float): AdamW weight decay (not applied to biases and
            LayerNorm weights).
        warmup_fraction (float): share of all optimiser steps spent raising
            the learning rate linearly from 0; it then falls linearly to 0 at
            the last planned step.
        batch_size (int): reviews per optimiser step.
        epochs (int): upper bound on passes over the training reviews.
        eval_every (int): optimiser steps between validation passes; 0
            validates only at the end of each epoch. One epoch of the full
            training part is about 500 steps, so mid-epoch checks let early
            stopping and the time budget keep the best weights seen.
        patience (int): stop after this many validation passes without a
            better validation macro-F1; the best pass's weights win.
        class_weighting (bool): weight the cross-entropy by inverse class
            frequency ("balanced", so the ~12% negative reviews count as
            much as the positive ones); False weighs every review alike.
        group_by_length (bool): build each batch from reviews of similar
            length (shuffled within pools of 50 batches), so less padding is
            computed; the order of batches stays random.
        seed (int): seeds the head's initialisation, dropout and shuffling.

    Inference: neutral_low, neutral_high (float), the neutral band
    (documented in ``SentimentConfigBase``).

    The time budget is an argument of ``train_sentiment``, not part of the
    config: it limits one run and does not change what the model is.
    """

    max_tokens: int = 128
    dropout: float = 0.1
    lr: float = 4e-5
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    batch_size: int = 32
    epochs: int = 2
    eval_every: int = 0
    patience: int = 2
    class_weighting: bool = False
    group_by_length: bool = True
    seed: int = 42

    def own_checks(self) -> list[Check]:
        """What must hold of the hyperparameters only this config has (``SentimentConfigBase`` adds the rest)."""
        return [
            (self.max_tokens >= 3, f"max_tokens must be >= 3 ([CLS], a word piece, [SEP]), got {self.max_tokens}"),
            (self.lr > 0, f"lr must be > 0, got {self.lr}"),
            (self.eval_every >= 0, f"eval_every must be >= 0, got {self.eval_every}"),
        ]  # fmt: skip
