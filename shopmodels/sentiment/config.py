"""What every sentiment config shares: the neutral band of inference and the checks of the hyperparameters both have.

Each language's config (``english/config.py``, ``chinese/config.py``) subclasses
``FineTuningConfig`` (a pretrained encoder fine-tuned by ``fine_tuning.py``), which adds the
fine-tuning hyperparameters to ``SentimentConfigBase``; a language sets its own defaults and
lists the checks only it needs (``own_checks``). No torch import (``shopstream --help`` reads
the configs).
"""

from __future__ import annotations

from dataclasses import dataclass

from shopmodels.configs import CheckedConfig

Check = tuple[bool, str]  # (whether it holds, what is wrong in words when it does not)


@dataclass(frozen=True)
class SentimentConfigBase(CheckedConfig):
    """The hyperparameters of inference every sentiment model has, and the checks shared by both languages.

    Inference:
        neutral_low, neutral_high (float): a review whose calibrated
            P(positive) lies in [neutral_low, neutral_high) is labelled
            "neutral"; below is "negative", at or above is "positive". The
            train commands replace the defaults with the band chosen on
            validation (``neutral_band.band_on_validation``); the defaults
            stay only in configs built by hand and in older checkpoints. The
            binary metrics ignore the band (positive when P >= 0.5); the
            served ones of ``eval`` use it.

    A subclass also has dropout, weight_decay, warmup_fraction, batch_size, epochs and patience,
    each documented there (their meaning differs in detail); they are checked alike here.
    """

    neutral_low: float = 0.3
    neutral_high: float = 0.7

    def problems(self) -> list[str]:
        """What is wrong with this config, in words: its own checks, then the shared ones; empty when valid."""
        return [message for ok, message in self.own_checks() + _shared_checks(self) if not ok]

    def own_checks(self) -> list[Check]:
        """The checks only this language's config needs."""
        raise NotImplementedError


@dataclass(frozen=True)
class FineTuningConfig(SentimentConfigBase):
    """The hyperparameters of a pretrained encoder fine-tuned as a classifier (``fine_tuning.py``).

    Model and input:
        max_tokens (int): tokens kept per review, the two that frame it
            included; longer reviews are cut at the end.
        dropout (float): dropout on the pooled vector before the head, in [0, 1).

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
            validates only at the end of each epoch. Mid-epoch checks let
            early stopping and the time budget keep the best weights seen.
        patience (int): stop after this many validation passes without a
            better validation macro-F1; the best pass's weights win.
        class_weighting (bool): weight the cross-entropy by inverse class
            frequency ("balanced"); False weighs every review alike.
        train_neutral (bool): also train on the training part's reviews
            that have no binary label (English: 3 stars), each with the
            target P(positive) = 0.5 (a soft label), so that the model learns
            to be unsure where a reader is, and the neutral band finds them.
            A corpus without such reviews (Chinese) trains as before.
        group_by_length (bool): build each batch from reviews of similar
            length (shuffled within pools of 50 batches), so less padding is
            computed; the order of batches stays random.
        seed (int): seeds the head's initialisation, dropout and shuffling.

    Inference: neutral_low, neutral_high (float), the neutral band (``SentimentConfigBase``).

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
    train_neutral: bool = False
    group_by_length: bool = True
    seed: int = 42

    def own_checks(self) -> list[Check]:
        """The fine-tuning checks; a language's config adds its own to these."""
        return [
            (self.max_tokens >= 3, f"max_tokens must be >= 3 (two framing tokens and one more), got "
                                   f"{self.max_tokens}"),
            (self.lr > 0, f"lr must be > 0, got {self.lr}"),
            (self.eval_every >= 0, f"eval_every must be >= 0, got {self.eval_every}"),
        ]  # fmt: skip


def _shared_checks(config: SentimentConfigBase) -> list[Check]:
    """Dropout, the optimiser's weight decay and warmup, batches, epochs, patience and the neutral band."""
    return [
        (0.0 <= config.dropout < 1.0, f"dropout must be in [0, 1), got {config.dropout}"),
        (config.weight_decay >= 0, f"weight_decay must be >= 0, got {config.weight_decay}"),
        (0.0 <= config.warmup_fraction < 1.0, f"warmup_fraction must be in [0, 1), got {config.warmup_fraction}"),
        (config.batch_size >= 1, f"batch_size must be >= 1, got {config.batch_size}"),
        (config.epochs >= 1, f"epochs must be >= 1, got {config.epochs}"),
        (config.patience >= 1, f"patience must be >= 1, got {config.patience}"),
        (0.0 <= config.neutral_low <= config.neutral_high <= 1.0,
         f"need 0 <= neutral_low <= neutral_high <= 1, got {config.neutral_low} and {config.neutral_high}"),
    ]  # fmt: skip
