"""Hyperparameters of the SASRec recommender, in one frozen, documented object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shopmodels.configs import CheckedConfig

Loss = Literal["softmax", "gbce"]
LOSSES: tuple[str, ...] = ("softmax", "gbce")


@dataclass(frozen=True)
class SASRecConfig(CheckedConfig):
    """Every hyperparameter of a SASRec model and its training run.

    Model shape:
        num_items (int): vocabulary size, padding excluded; item indices run
            1..num_items and 0 is padding.
        max_len (int): longest input sequence the model reads; older items
            are cut off. Also the number of learned position embeddings.
        hidden (int): width of item, position and hidden vectors.
        blocks (int): number of causal self-attention blocks.
        heads (int): attention heads per block; must divide ``hidden``.
        dropout (float): dropout rate on embeddings, attention weights and the
            feed-forward layers, in [0, 1).

    Loss:
        loss ("softmax" | "gbce"): "softmax" is cross-entropy over all items
            at every position; "gbce" is gSASRec's generalised binary
            cross-entropy against ``num_negatives`` uniformly sampled items
            (Petrov and Macdonald, RecSys 2023).
        num_negatives (int): negatives per position for "gbce"; unused by
            "softmax".
        gbce_t (float): gSASRec's calibration parameter t in [0, 1]; 0 is
            plain BCE, 1 fully corrects the sampling-induced overconfidence.

    Training:
        lr (float): Adam learning rate.
        weight_decay (float): AdamW weight decay.
        batch_size (int): training windows per optimiser step.
        epochs (int): upper bound on passes over the training windows.
        patience (int): stop after this many epochs without a better
            validation NDCG@10 (full ranking); the best epoch's weights win.
        seed (int): seeds initialisation, shuffling and negative sampling.
    """

    num_items: int
    max_len: int = 50
    hidden: int = 64
    blocks: int = 2
    heads: int = 1
    dropout: float = 0.2
    loss: Loss = "softmax"
    num_negatives: int = 256
    gbce_t: float = 0.75
    lr: float = 3e-3
    weight_decay: float = 0.0
    batch_size: int = 64
    epochs: int = 200
    patience: int = 10
    seed: int = 42

    def problems(self) -> list[str]:
        """What is wrong with this config, in words; empty when it is valid."""
        return _problems(self)


def _problems(config: SASRecConfig) -> list[str]:
    """Return what is wrong with ``config``, in words; empty when it is valid."""
    checks = [
        (config.num_items >= 1, f"num_items must be >= 1, got {config.num_items}"),
        (config.max_len >= 1, f"max_len must be >= 1, got {config.max_len}"),
        (config.hidden >= 1, f"hidden must be >= 1, got {config.hidden}"),
        (config.blocks >= 1, f"blocks must be >= 1, got {config.blocks}"),
        (config.heads >= 1 and config.hidden % config.heads == 0,
         f"heads ({config.heads}) must divide hidden ({config.hidden})"),
        (0.0 <= config.dropout < 1.0, f"dropout must be in [0, 1), got {config.dropout}"),
        (config.loss in LOSSES, f"loss must be one of {LOSSES}, got {config.loss!r}"),
        (config.num_negatives >= 1, f"num_negatives must be >= 1, got {config.num_negatives}"),
        (0.0 <= config.gbce_t <= 1.0, f"gbce_t must be in [0, 1], got {config.gbce_t}"),
        (config.lr > 0, f"lr must be > 0, got {config.lr}"),
        (config.weight_decay >= 0, f"weight_decay must be >= 0, got {config.weight_decay}"),
        (config.batch_size >= 1, f"batch_size must be >= 1, got {config.batch_size}"),
        (config.epochs >= 1, f"epochs must be >= 1, got {config.epochs}"),
        (config.patience >= 1, f"patience must be >= 1, got {config.patience}"),
    ]  # fmt: skip
    return [message for ok, message in checks if not ok]
