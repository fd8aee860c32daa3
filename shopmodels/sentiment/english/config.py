"""Hyperparameters of the sentiment classifier, in one frozen, documented object.

Kept apart from ``model.py`` so the command line reads the defaults without
importing torch (``shopstream --help`` stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass

from shopmodels.configs import CheckedConfig


@dataclass(frozen=True)
class SentimentConfig(CheckedConfig):
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

    Inference:
        neutral_low, neutral_high (float): a review whose calibrated
            P(positive) lies in [neutral_low, neutral_high) is labelled
            "neutral"; below is "negative", at or above is "positive". The
            binary metrics ignore the band (positive when P >= 0.5).

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
    neutral_low: float = 0.3
    neutral_high: float = 0.7

    def problems(self) -> list[str]:
        """What is wrong with this config, in words; empty when it is valid."""
        return _problems(self)


def _problems(config: SentimentConfig) -> list[str]:
    """Return what is wrong with ``config``, in words; empty when it is valid."""
    checks = [
        (config.max_tokens >= 3, f"max_tokens must be >= 3 ([CLS], a word piece, [SEP]), got {config.max_tokens}"),
        (0.0 <= config.dropout < 1.0, f"dropout must be in [0, 1), got {config.dropout}"),
        (config.lr > 0, f"lr must be > 0, got {config.lr}"),
        (config.weight_decay >= 0, f"weight_decay must be >= 0, got {config.weight_decay}"),
        (0.0 <= config.warmup_fraction < 1.0, f"warmup_fraction must be in [0, 1), got {config.warmup_fraction}"),
        (config.batch_size >= 1, f"batch_size must be >= 1, got {config.batch_size}"),
        (config.epochs >= 1, f"epochs must be >= 1, got {config.epochs}"),
        (config.eval_every >= 0, f"eval_every must be >= 0, got {config.eval_every}"),
        (config.patience >= 1, f"patience must be >= 1, got {config.patience}"),
        (0.0 <= config.neutral_low <= config.neutral_high <= 1.0,
         f"need 0 <= neutral_low <= neutral_high <= 1, got {config.neutral_low} and {config.neutral_high}"),
    ]  # fmt: skip
    return [message for ok, message in checks if not ok]
