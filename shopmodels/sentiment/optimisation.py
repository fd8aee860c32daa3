"""What every sentiment training run shares: seeded batches, AdamW groups, the learning-rate schedule, progress.

English fine-tuning, the Chinese training and its masked-token pretraining all cut an epoch
with ``length_grouped_batches``, decay only weight matrices (``adamw``), warm the learning rate
up and let it fall linearly (``warmup_then_decay``), and show a ``progress_bar``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import torch
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from torch import nn

POOL_BATCHES = 50  # int: batches per pool of similar-length reviews


def steps_per_epoch(examples: int, batch_size: int) -> int:
    """Optimiser steps in one pass over ``examples`` reviews."""
    return math.ceil(examples / batch_size)


def length_grouped_batches(lengths: Sequence[int], batch_size: int, generator: torch.Generator, *,
                           group_by_length: bool = True) -> list[list[int]]:
    """Shuffled batches of indices in which similar lengths share a batch (less padding); seeded.

    The order is shuffled, cut into pools of ``POOL_BATCHES`` batches, each pool sorted by
    length and cut into batches; then the batches are shuffled. Without ``group_by_length`` the
    pools are not sorted (plain shuffled batches, the same draws from ``generator``).
    """
    order = torch.randperm(len(lengths), generator=generator)
    if group_by_length:
        lengths_tensor = torch.tensor(list(lengths))
        pool = batch_size * POOL_BATCHES
        order = torch.cat([chunk[lengths_tensor[chunk].argsort(stable=True)] for chunk in order.split(pool)])
    batches = [batch.tolist() for batch in order.split(batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def is_weight_matrix(name: str, parameter: nn.Parameter) -> bool:
    """Whether AdamW decays ``parameter``: a matrix that is no embedding table and no norm's weight."""
    return parameter.ndim > 1 and "embedding" not in name and "norm" not in name


def adamw(parameters: Iterable[tuple[str, nn.Parameter]], lr: float, weight_decay: float, *,
          decays: Callable[[str, nn.Parameter], bool] = is_weight_matrix) -> torch.optim.AdamW:
    """AdamW with ``weight_decay`` on the parameters ``decays`` picks (by default weight matrices only)."""
    decayed, plain = [], []
    for name, parameter in parameters:
        (decayed if decays(name, parameter) else plain).append(parameter)
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
