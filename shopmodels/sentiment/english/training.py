"""Seeded fine-tuning of the sentiment classifier with early stopping on validation macro-F1.

Training reads only ``split.train``; ``split.valid`` picks the best weights
(validated every ``eval_every`` steps and at each epoch's end) and fits the
temperature; ``split.test`` is never read. AdamW with linear warmup and
linear decay over the planned steps.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import torch
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sklearn.metrics import accuracy_score, f1_score
from torch.nn import functional

from shopmodels.sentiment.english.config import SentimentConfig
from shopmodels.sentiment.english.data import SentimentSplit
from shopmodels.sentiment.english.model import SentimentClassifier

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

_POOL_BATCHES = 50  # batches per pool of similar-length reviews (group_by_length)
_EVAL_BATCH = 64  # reviews per validation forward pass


@dataclass(frozen=True)
class EvalRecord:
    """One validation pass: where training was and how the model did."""

    step: int  # optimiser steps so far
    epoch: int  # epoch the step belongs to (1-based)
    loss: float  # mean training loss since the previous pass
    valid_accuracy: float
    valid_macro_f1: float
    seconds: float  # wall time since training started


@dataclass
class TrainResult:
    """The trained model (best pass's weights loaded), its temperature and how it got there."""

    model: SentimentClassifier
    best_state: dict[str, torch.Tensor]
    best_step: int = 0
    best_valid_macro_f1: float = float("-inf")
    best_valid_logits: torch.Tensor | None = None  # [V, 2] validation logits of the best pass
    temperature: float = 1.0  # divides the logits; fitted on the validation part (NLL)
    stopped_because: str = ""
    steps: int = 0  # optimiser steps run
    history: list[EvalRecord] = field(default_factory=list)


@dataclass(frozen=True)
class _Encoded:
    """The split's training and validation reviews as token ids and label tensors."""

    train_ids: list[list[int]]
    train_labels: torch.Tensor  # [N]
    valid_ids: list[list[int]]
    valid_labels: torch.Tensor  # [V]


def train_sentiment(model: SentimentClassifier, tokenizer: PreTrainedTokenizerBase, split: SentimentSplit, *,
                    progress: bool = True, time_budget_s: float | None = None) -> TrainResult:
    """Fine-tune ``model`` (pretrained encoder, fresh head) on ``split.train`` with ``model.config``.

    Stops after ``config.epochs``, after ``config.patience`` validation passes
    without a better macro-F1, or once ``time_budget_s`` seconds have passed
    (checked after every step, then one last validation pass). Then loads the
    best weights and fits the temperature on their validation logits.
    """
    config = model.config
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    data = _encode_split(tokenizer, split, config.max_tokens)
    steps_per_epoch = math.ceil(len(data.train_ids) / config.batch_size)
    optimizer, scheduler = _optimizer(model, steps_per_epoch * config.epochs)
    weights = _class_weights(data.train_labels) if config.class_weighting else None
    result = TrainResult(model, _copy_state(model))
    started, losses = time.monotonic(), []
    with _progress_bar(progress) as bar:
        task = bar.add_task("Fine-tuning MiniLM", total=steps_per_epoch * config.epochs, status="")
        for epoch in range(1, config.epochs + 1):
            batches = _epoch_batches([len(ids) for ids in data.train_ids], config, generator)
            for position, batch in enumerate(batches, start=1):
                losses.append(_train_step(model, optimizer, scheduler, data, batch, weights))
                result.steps += 1
                bar.update(task, advance=1, status=_status(losses[-1], result))
                out_of_time = time_budget_s is not None and time.monotonic() - started >= time_budget_s
                if out_of_time or position == len(batches) or _validation_due(config, result.steps):
                    _validate(model, data, result, epoch, losses, time.monotonic() - started)
                    losses = []
                    result.stopped_because = _stop_reason(config, result, time_budget_s if out_of_time else None)
                if result.stopped_because:
                    break
            if result.stopped_because:
                break
    result.stopped_because = result.stopped_because or "reached the epoch limit"
    model.load_state_dict(result.best_state)
    model.eval()
    result.temperature = fit_temperature(result.best_valid_logits, data.valid_labels)
    return result


def encode(tokenizer: PreTrainedTokenizerBase, texts: Sequence[str], max_tokens: int) -> list[list[int]]:
    """Token ids per text ([CLS] ... [SEP]), cut to ``max_tokens``; no padding."""
    if not texts:
        return []
    return tokenizer(list(texts), truncation=True, max_length=max_tokens)["input_ids"]


def pad_batch(token_ids: Sequence[Sequence[int]], pad_id: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad to the longest sequence: input ids and attention mask, ``[B, L]`` each."""
    length = max(len(ids) for ids in token_ids)
    input_ids = torch.full((len(token_ids), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(token_ids), length), dtype=torch.long)
    for row, ids in enumerate(token_ids):
        input_ids[row, :len(ids)] = torch.tensor(ids, dtype=torch.long)
        mask[row, :len(ids)] = 1
    return input_ids, mask


def predict_logits(model: SentimentClassifier, token_ids: Sequence[Sequence[int]]) -> torch.Tensor:
    """Logits ``[N, 2]`` (fp32, CPU, input order) in eval mode, batched by similar length."""
    model.eval()
    order = sorted(range(len(token_ids)), key=lambda i: len(token_ids[i]))
    logits = torch.zeros(len(token_ids), 2)
    device = next(model.parameters()).device
    with torch.inference_mode():
        for start in range(0, len(order), _EVAL_BATCH):
            rows = order[start:start + _EVAL_BATCH]
            input_ids, mask = pad_batch([token_ids[i] for i in rows])
            logits[rows] = model(input_ids.to(device), mask.to(device)).float().cpu()
    return logits


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


def _encode_split(tokenizer: PreTrainedTokenizerBase, split: SentimentSplit, max_tokens: int) -> _Encoded:
    """Tokenise the training and validation reviews once."""
    return _Encoded(encode(tokenizer, split.train["text"].tolist(), max_tokens),
                    torch.tensor(split.train["label"].to_numpy()),
                    encode(tokenizer, split.valid["text"].tolist(), max_tokens),
                    torch.tensor(split.valid["label"].to_numpy()))


def _train_step(model: SentimentClassifier, optimizer: torch.optim.Optimizer,
                scheduler: torch.optim.lr_scheduler.LRScheduler, data: _Encoded, batch: torch.Tensor,
                weights: torch.Tensor | None) -> float:
    """One optimiser step on the training reviews ``batch`` indexes; returns the batch loss."""
    model.train()
    input_ids, mask = pad_batch([data.train_ids[i] for i in batch.tolist()])  # [B, L] each
    loss = functional.cross_entropy(model(input_ids, mask), data.train_labels[batch], weight=weights)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    scheduler.step()
    return loss.item()


def _validate(model: SentimentClassifier, data: _Encoded, result: TrainResult, epoch: int, losses: list[float],
              seconds: float) -> None:
    """Score the validation reviews, append the record and keep the weights if they are the best yet."""
    logits = predict_logits(model, data.valid_ids)  # [V, 2]
    predicted, labels = logits.argmax(dim=1).numpy(), data.valid_labels.numpy()
    record = EvalRecord(result.steps, epoch, sum(losses) / max(1, len(losses)),
                        float(accuracy_score(labels, predicted)),
                        float(f1_score(labels, predicted, average="macro", labels=[0, 1], zero_division=0)), seconds)
    result.history.append(record)
    if record.valid_macro_f1 > result.best_valid_macro_f1:
        result.best_state, result.best_step = _copy_state(model), record.step
        result.best_valid_macro_f1, result.best_valid_logits = record.valid_macro_f1, logits


def _validation_due(config: SentimentConfig, steps: int) -> bool:
    """Whether ``eval_every`` asks for a validation pass after this many steps."""
    return config.eval_every > 0 and steps % config.eval_every == 0


def _optimizer(model: SentimentClassifier, total_steps: int) -> tuple[torch.optim.Optimizer,
                                                                       torch.optim.lr_scheduler.LRScheduler]:
    """AdamW (no decay on biases and LayerNorm) and a linear warmup / linear decay schedule."""
    config = model.config
    decayed = [p for name, p in model.named_parameters() if p.ndim > 1 and "LayerNorm" not in name]
    plain = [p for name, p in model.named_parameters() if not (p.ndim > 1 and "LayerNorm" not in name)]
    optimizer = torch.optim.AdamW([{"params": decayed, "weight_decay": config.weight_decay},
                                   {"params": plain, "weight_decay": 0.0}], lr=config.lr)
    warmup = max(1, round(total_steps * config.warmup_fraction))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def _epoch_batches(lengths: list[int], config: SentimentConfig, generator: torch.Generator) -> list[torch.Tensor]:
    """Shuffled batches of review indices; with ``group_by_length``, similar lengths share a batch."""
    order = torch.randperm(len(lengths), generator=generator)
    if config.group_by_length:
        pool = config.batch_size * _POOL_BATCHES
        lengths_tensor = torch.tensor(lengths)
        order = torch.cat([chunk[lengths_tensor[chunk].argsort(stable=True)] for chunk in order.split(pool)])
    batches = list(order.split(config.batch_size))
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def _class_weights(labels: torch.Tensor) -> torch.Tensor:
    """Inverse-frequency ("balanced") weights per class: ``[2]``."""
    counts = torch.bincount(labels, minlength=2).clamp(min=1).float()
    return len(labels) / (2 * counts)


def _stop_reason(config: SentimentConfig, result: TrainResult, spent_budget_s: float | None) -> str:
    """Why training should stop after this validation pass, or "" to go on."""
    passes_since_best = sum(1 for record in result.history if record.step > result.best_step)
    if passes_since_best >= config.patience:
        return f"no better validation macro-F1 for {config.patience} validation passes"
    if spent_budget_s is not None:
        return f"time budget of {spent_budget_s:.0f} s spent"
    return ""


def _copy_state(model: SentimentClassifier) -> dict[str, torch.Tensor]:
    """A detached copy of the model's weights."""
    return {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}


def _status(loss: float, result: TrainResult) -> str:
    """One line for the progress bar."""
    best = "-" if not result.history else f"{result.best_valid_macro_f1:.4f} @ step {result.best_step}"
    return f"loss {loss:.3f}  best valid macro-F1 {best}"


def _progress_bar(enabled: bool) -> Progress:
    """A rich progress bar over optimiser steps; silent when ``enabled`` is false."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.fields[status]}"), disable=not enabled)
