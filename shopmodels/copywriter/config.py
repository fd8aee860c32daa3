"""Generation settings of the copy writer, in one frozen, documented object.

Kept apart from ``generator.py`` so the command line reads the defaults
without importing torch. The defaults match the worker's ``SHOPSTREAM_COPY_*``
settings (``streams/settings.py``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class GenerationSettings:
    """How one description is sampled.

    max_new_tokens (int): most tokens generated per description (>= 1);
        SmolLM2's tokens average about 4.5 characters of English.
    temperature (float): softmax temperature, >= 0; 0 means greedy
        decoding (the most likely token at each step, no randomness).
    top_p (float): nucleus sampling, in (0, 1]: sample only among the most
        likely tokens whose probabilities add up to ``top_p`` (1: all).
    seed (int): seed of the sampler, >= 0. Each product is sampled with its
        own generator seeded from this, so the same facts and seed give the
        same text whether the product is generated alone or in a batch.
    repetition_penalty (float): >= 1; divides the logit of every token
        already in the prompt or the copy (CTRL-style, 1: off). A 135M model
        loops without it.
    """

    max_new_tokens: int = 120
    temperature: float = 0.3
    top_p: float = 0.9
    seed: int = 7
    repetition_penalty: float = 1.1

    def __post_init__(self) -> None:
        problems = []
        if self.max_new_tokens < 1:
            problems.append(f"max_new_tokens must be at least 1, got {self.max_new_tokens}")
        if not self.temperature >= 0:
            problems.append(f"temperature must be >= 0 (0 is greedy), got {self.temperature}")
        if not 0 < self.top_p <= 1:
            problems.append(f"top_p must be in (0, 1], got {self.top_p}")
        if self.seed < 0:
            problems.append(f"seed must be >= 0, got {self.seed}")
        if not self.repetition_penalty >= 1:
            problems.append(f"repetition_penalty must be >= 1 (1 is off), got {self.repetition_penalty}")
        if problems:
            raise ValueError("Invalid generation settings: " + "; ".join(problems) + ".")

    @property
    def greedy(self) -> bool:
        """Whether decoding is greedy (temperature 0): the seed then changes nothing."""
        return self.temperature == 0

    def to_dict(self) -> dict[str, int | float]:
        """The settings as plain numbers, for a ``ProductCopyGenerated.generation`` record."""
        return asdict(self)
