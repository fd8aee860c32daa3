"""Seeded training of SASRec with early stopping on validation NDCG@10 (full ranking).

Training reads only the training part of a leave-one-out split; the
validation targets choose the epoch, and the test targets are never seen.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from shopmodels.recommender.config import SASRecConfig
from shopmodels.recommender.data import LeaveOneOutSplit, training_windows
from shopmodels.recommender.evaluate import sasrec_scorer, validation_ndcg
from shopmodels.recommender.model import SASRec


@dataclass(frozen=True)
class EpochRecord:
    """What one epoch did: mean training loss and validation metrics."""

    epoch: int
    loss: float
    valid_hr: float  # HR@10, full ranking, validation targets
    valid_ndcg: float  # NDCG@10, full ranking, validation targets
    seconds: float  # wall time since training started


@dataclass
class TrainResult:
    """The trained model (best epoch's weights loaded) and how it got there."""

    model: SASRec
    best_state: dict[str, torch.Tensor]
    best_epoch: int
    best_valid_ndcg: float
    stopped_because: str
    history: list[EpochRecord] = field(default_factory=list)


def train_sasrec(config: SASRecConfig, split: LeaveOneOutSplit, *, progress: bool = True,
                 time_budget_s: float | None = None) -> TrainResult:
    """Train SASRec on ``split``'s training part; keep the epoch with the best validation NDCG@10.

    Stops after ``config.epochs``, after ``config.patience`` epochs without
    improvement, or once ``time_budget_s`` seconds have passed (checked
    after each epoch). The same config and split give the same weights.
    """
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    model = SASRec(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    inputs, targets = training_windows(split.training_sequences(), config.max_len)  # [W, L] each
    if len(inputs) == 0:
        raise ValueError("No training windows: every training sequence has fewer than two items. "
                         "Train on more interactions per user.")
    result = TrainResult(model, _copy_state(model), 0, float("-inf"), "reached the epoch limit")
    started = time.monotonic()
    with _progress_bar(progress) as bar:
        task = bar.add_task("Training SASRec", total=config.epochs, status="")
        for epoch in range(1, config.epochs + 1):
            loss = _train_one_epoch(model, optimizer, inputs, targets, generator)
            valid_hr, valid_ndcg = validation_ndcg(sasrec_scorer(model), split)
            record = EpochRecord(epoch, loss, valid_hr, valid_ndcg, time.monotonic() - started)
            result.history.append(record)
            if valid_ndcg > result.best_valid_ndcg:
                result.best_state, result.best_epoch = _copy_state(model), epoch
                result.best_valid_ndcg = valid_ndcg
            bar.update(task, advance=1, status=_status(record, result))
            stop = _stop_reason(config, record, result, time_budget_s)
            if stop:
                result.stopped_because = stop
                break
    model.load_state_dict(result.best_state)
    model.eval()
    return result


def _train_one_epoch(model: SASRec, optimizer: torch.optim.Optimizer, inputs: torch.Tensor,
                     targets: torch.Tensor, generator: torch.Generator) -> float:
    """Run one shuffled pass over the windows; return the mean batch loss."""
    config = model.config
    model.train()
    order = torch.randperm(len(inputs), generator=generator)
    losses = []
    for start in range(0, len(order), config.batch_size):
        batch = order[start:start + config.batch_size]
        negatives = None
        if config.loss == "gbce":
            shape = (len(batch), config.max_len, config.num_negatives)
            negatives = torch.randint(1, config.num_items + 1, shape, generator=generator)  # [B, L, K]
        loss = model.calculate_loss(inputs[batch], targets[batch], negatives)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)


def _stop_reason(config: SASRecConfig, record: EpochRecord, result: TrainResult,
                 time_budget_s: float | None) -> str:
    """Return why training should stop after this epoch, or "" to go on."""
    if record.epoch - result.best_epoch >= config.patience:
        return f"no better validation NDCG@10 for {config.patience} epochs"
    if time_budget_s is not None and record.seconds >= time_budget_s:
        return f"time budget of {time_budget_s:.0f} s spent"
    return ""


def _copy_state(model: SASRec) -> dict[str, torch.Tensor]:
    """Return a detached copy of the model's weights."""
    return {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}


def _status(record: EpochRecord, result: TrainResult) -> str:
    """One line for the progress bar."""
    return (f"loss {record.loss:.4f}  valid NDCG@10 {record.valid_ndcg:.4f}  "
            f"best {result.best_valid_ndcg:.4f} @ {result.best_epoch}")


def _progress_bar(enabled: bool) -> Progress:
    """A rich progress bar over epochs; silent when ``enabled`` is false."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.fields[status]}"), disable=not enabled)
