"""The training loop both languages share, and how every run scores and calibrates.

``run_epochs`` drives one language's ``TrainingRun``: each epoch it asks the run for its
batches and takes one optimiser step per batch; it validates after every ``eval_every`` steps
(0: never mid-epoch), at each epoch's end and once the time budget is spent, and after each
validation pass the run says whether to stop (patience, the spent budget). Fine-tuning a pretrained encoder (``fine_tuning.py``, both
languages) is such a run. Validation keeps the best weights;
``fit_temperature`` then calibrates their validation logits. The test part is never read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

import torch
from rich.progress import Progress
from torch import nn
from torch.nn import functional

from shopmodels.sentiment.report import binary_scores

EPOCH_LIMIT = "reached the epoch limit"  # why a run that used every epoch stopped


class TrainingRun(Protocol):
    """One language's training, as ``run_epochs`` drives it."""

    steps_per_epoch: int  # optimiser steps in one epoch (for the progress bar)

    def epoch_batches(self, epoch: int) -> Sequence[Sequence[int]]:
        """The training rows of each step of ``epoch`` (1-based), in order."""

    def step(self, rows: Sequence[int]) -> float:
        """One optimiser step on the training reviews ``rows``; returns its loss."""

    def status(self, loss: float) -> str:
        """One line for the progress bar after a step with ``loss``."""

    def validate(self, epoch: int, steps: int, loss: float, seconds: float) -> None:
        """Score the validation reviews, record it (``loss``: the mean since the last pass) and keep the best."""

    def stop_reason(self, epoch: int, budget_spent: str) -> str:
        """Why to stop after this validation pass, or "" to go on; ``budget_spent`` is the budget's reason or ""."""


def run_epochs(run: TrainingRun, bar: Progress, description: str, *, epochs: int, started: float,
               eval_every: int = 0, budget_s: float | None = None) -> tuple[int, str]:
    """Train ``run`` for at most ``epochs``; return the optimiser steps taken and why it stopped.

    ``started`` is the ``time.monotonic()`` the run's seconds and ``budget_s`` count from; the
    budget is checked after every step.
    """
    task = bar.add_task(description, total=run.steps_per_epoch * epochs, status="")
    steps, losses = 0, []
    for epoch in range(1, epochs + 1):
        batches = run.epoch_batches(epoch)
        for position, rows in enumerate(batches, start=1):
            losses.append(run.step(rows))
            steps += 1
            bar.update(task, advance=1, status=run.status(losses[-1]))
            out_of_time = budget_s is not None and time.monotonic() - started >= budget_s
            if out_of_time or position == len(batches) or (eval_every > 0 and steps % eval_every == 0):
                run.validate(epoch, steps, sum(losses) / max(1, len(losses)), time.monotonic() - started)
                losses = []
                reason = run.stop_reason(epoch, f"time budget of {budget_s:.0f} s spent" if out_of_time else "")
                if reason:
                    return steps, reason
    return steps, EPOCH_LIMIT


def classification_scores(logits: torch.Tensor, labels: torch.Tensor) -> tuple[float, float]:
    """Accuracy and macro-F1 of the argmax of ``logits`` ``[V, 2]``."""
    return binary_scores(labels.numpy(), logits.argmax(dim=1).numpy())


def fit_temperature(logits: torch.Tensor | None, labels: torch.Tensor) -> float:
    """The single temperature T > 0 minimising the NLL of ``softmax(logits / T)`` (Guo et al., 2017).

    Returns 1.0 (no scaling) when there are no logits; T is kept in [0.05, 20].
    """
    if logits is None or len(logits) == 0:
        return 1.0
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = functional.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(log_t.detach().exp().clamp(0.05, 20.0))


def copy_state(model: nn.Module, keep: Callable[[str], bool] = lambda name: True) -> dict[str, torch.Tensor]:
    """A detached copy of the model's weights (those whose names ``keep`` accepts), on the CPU."""
    return {name: tensor.detach().to("cpu", copy=True) for name, tensor in model.state_dict().items()
            if keep(name)}
