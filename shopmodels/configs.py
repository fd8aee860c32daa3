"""What every frozen hyperparameter object of ``shopmodels`` shares: checked at construction, and a
round trip through plain types for checkpoints."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any, Self


class CheckedConfig:
    """Base of the frozen config dataclasses (``SASRecConfig``, ``SentimentConfig``, ``ChineseSentimentConfig``).

    A subclass lists what is wrong with it in ``problems``; building an invalid one raises ValueError
    with every problem in words.
    """

    def problems(self) -> list[str]:
        """What is wrong with this config, in words; empty when it is valid."""
        raise NotImplementedError

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError(f"Invalid {type(self).__name__}: " + "; ".join(problems) + ".")

    def to_dict(self) -> dict[str, Any]:
        """Return the config as plain types, for checkpoints."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Self:
        """Build a config from ``to_dict``'s output; unknown keys are an error."""
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"Unknown {cls.__name__} keys {unknown}; expected some of {sorted(known)}. "
                             "Was the checkpoint written by a newer ShopStream?")
        return cls(**values)
