"""What every sentiment config shares: the neutral band of inference and the checks of the hyperparameters both have.

Each language's config (``english/config.py``, ``chinese/config.py``) subclasses
``SentimentConfigBase``, documents its own hyperparameters and defaults, and lists the checks
only it needs (``own_checks``). No torch import (``shopstream --help`` reads the configs).
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
