"""What pretraining and training share: length-grouped batches, AdamW groups, the learning-rate schedule."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from torch import nn

POOL_BATCHES = 50  # int: batches per pool of similar-length reviews


def length_grouped_batches(lengths: Sequence[int], batch_size: int, generator: torch.Generator) -> list[list[int]]:
    """Shuffled batches of indices in which similar lengths share a batch (less padding); seeded.

    The order is shuffled, cut into pools of ``POOL_BATCHES`` batches, each
    pool sorted by length and cut into batches; then the batches are shuffled.
    """
    order = torch.randperm(len(lengths), generator=generator)
    lengths_tensor = torch.tensor(list(lengths))
    pool = batch_size * POOL_BATCHES
    order = torch.cat([chunk[lengths_tensor[chunk].argsort(stable=True)] for chunk in order.split(pool)])
    batches = [batch.tolist() for batch in order.split(batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def adamw(parameters: Iterable[tuple[str, nn.Parameter]], lr: float, weight_decay: float) -> torch.optim.AdamW:
    """AdamW with decay on weight matrices only (not on biases, norms or embedding tables)."""
    decayed, plain = [], []
    for name, parameter in parameters:
        is_matrix = parameter.ndim > 1 and "embedding" not in name and "norm" not in name
        (decayed if is_matrix else plain).append(parameter)
    return torch.optim.AdamW([{"params": decayed, "weight_decay": weight_decay},
                              {"params": plain, "weight_decay": 0.0}], lr=lr)


def warmup_then_decay(optimizer: torch.optim.Optimizer, total_steps: int,
                      warmup_fraction: float) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warmup over ``warmup_fraction`` of ``total_steps``, then linear decay to 0 at the last step."""
    warmup = max(1, round(total_steps * warmup_fraction))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def progress_bar(enabled: bool) -> Progress:
    """A rich progress bar over optimiser steps; silent when ``enabled`` is false."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.fields[status]}"), disable=not enabled)
