"""Seeded training of the Chinese sentiment model: two branches, each with its own loss and best epoch.

Reads only ``split.train`` to build the vocabulary, pretrain and train;
``split.valid`` picks each branch's best epoch and fits the branch weight
and the temperature; ``split.test`` is never read.

Each step adds the token branch's and the n-gram branch's cross-entropy, so
the branches learn independently. After every epoch both are scored on the
validation reviews and each keeps the weights of its best epoch by macro-F1;
a branch that has not improved for ``patience`` epochs stops training (the
transformer usually peaks in a few epochs, the cheap n-gram bag later).
Finally ``fit_mix`` picks ``alpha`` (the token branch's weight) by
validation macro-F1 and fits the temperature T of
``softmax((alpha * token + n-gram) / T)`` on the best validation logits. The transformer and the heads use
AdamW, the n-gram table SparseAdam; both warm up and decay linearly.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import torch
from sklearn.metrics import accuracy_score, f1_score
from torch.nn import functional

from shopmodels.sentiment.english.training import fit_temperature
from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.data import ChineseSplit
from shopmodels.sentiment.chinese.features import Example, Featurizer, TokenVocabulary, collate, qwen3_ids
from shopmodels.sentiment.chinese.model import ChineseSentimentModel
from shopmodels.sentiment.chinese.optimisation import adamw, length_grouped_batches, progress_bar, warmup_then_decay
from shopmodels.sentiment.chinese.pretraining import pretrain_tokens

if TYPE_CHECKING:
    from tokenizers import Tokenizer

BRANCHES = ("token", "ngram")
_NGRAM_PREFIXES = ("ngram_table.", "ngram_head.")  # parameters of the n-gram branch; the rest is the token branch
_EVAL_BATCH = 128  # int: reviews per validation forward pass
PRETRAIN_BUDGET_SHARE = 0.4  # float: most of the time budget pretraining may take
ALPHA_GRID = tuple(step / 20 for step in range(41))  # float: token-branch weights tried, 0 to 2 by 0.05


@dataclass(frozen=True)
class EvalRecord:
    """One validation pass, at the end of an epoch (or when time ran out): each branch's scores."""

    step: int  # optimiser steps so far
    epoch: int  # 1-based
    loss: float  # mean training loss (both branches' cross-entropy) since the previous pass
    valid_accuracy: dict[str, float]  # per branch ("token", "ngram")
    valid_macro_f1: dict[str, float]  # per branch
    seconds: float  # wall time since training started (pretraining included)


@dataclass
class _Best:
    """One branch's best epoch so far."""

    macro_f1: float = float("-inf")
    epoch: int = 0
    state: dict[str, torch.Tensor] = field(default_factory=dict)  # the branch's weights then
    logits: torch.Tensor | None = None  # [V, 2] its validation logits then


@dataclass
class TrainResult:
    """The trained model (each branch's best weights, fitted alpha), its vocabulary and how it got there."""

    model: ChineseSentimentModel
    vocabulary: TokenVocabulary
    best: dict[str, _Best] = field(default_factory=lambda: {branch: _Best() for branch in BRANCHES})
    temperature: float = 1.0  # divides the logits; fitted on the validation part with alpha
    valid_accuracy: float = 0.0  # of the final model (alpha, best branches) at P >= 0.5
    valid_macro_f1: float = 0.0
    stopped_because: str = ""
    steps: int = 0  # classification optimiser steps run
    pretrain_losses: list[float] = field(default_factory=list)  # mean masked-token loss per pretraining epoch
    history: list[EvalRecord] = field(default_factory=list)


def train_chinese_sentiment(split: ChineseSplit, tokenizer: Tokenizer, config: ChineseSentimentConfig, *,
                            progress: bool = True, time_budget_s: float | None = None) -> TrainResult:
    """Build the vocabulary, optionally pretrain, then train both branches and calibrate the model.

    Stops after ``config.epochs``, once neither branch has improved for
    ``config.patience`` epochs, or once ``time_budget_s`` has passed (checked
    after every step, then one last validation pass; pretraining may use at
    most ``PRETRAIN_BUDGET_SHARE`` of it).
    """
    started = time.monotonic()
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    train_texts = split.train["text"].tolist()
    vocabulary = TokenVocabulary.build(qwen3_ids(tokenizer, train_texts), config.min_token_count)
    featurizer = Featurizer(tokenizer, vocabulary, config)
    train, valid = featurizer.examples(train_texts), featurizer.examples(split.valid["text"].tolist())
    train_labels, valid_labels = (torch.tensor(part["label"].to_numpy()) for part in (split.train, split.valid))
    model = ChineseSentimentModel(config, len(vocabulary))
    result = TrainResult(model, vocabulary)
    deadline = None if time_budget_s is None else started + time_budget_s
    with progress_bar(progress) as bar:
        if config.pretrain_epochs:
            pretrain_deadline = None if time_budget_s is None else started + time_budget_s * PRETRAIN_BUDGET_SHARE
            task = bar.add_task("Pretraining tokens (MLM)", total=_steps(train, config) * config.pretrain_epochs,
                                status="")
            result.pretrain_losses = pretrain_tokens(
                model, train, generator, deadline=pretrain_deadline,
                on_step=lambda loss: bar.update(task, advance=1, status=f"loss {loss:.3f}"))
        _fit(model, train, train_labels, valid, valid_labels, result, generator, bar, started, deadline)
    _finish(result, valid_labels)
    return result


def _fit(model: ChineseSentimentModel, train: list[Example], train_labels: torch.Tensor, valid: list[Example],
         valid_labels: torch.Tensor, result: TrainResult, generator: torch.Generator, bar, started: float,
         deadline: float | None) -> None:
    """The classification epochs: steps, a validation pass per epoch, early stopping per branch, the deadline."""
    config = model.config
    lengths = [len(example.token_ids) for example in train]
    dense = adamw([(n, p) for n, p in model.named_parameters() if not n.startswith("ngram_table")],
                  config.lr, config.weight_decay)
    sparse = torch.optim.SparseAdam(list(model.ngram_table.parameters()), lr=config.ngram_lr)
    schedulers = [warmup_then_decay(o, _steps(train, config) * config.epochs, config.warmup_fraction)
                  for o in (dense, sparse)]
    task = bar.add_task("Training", total=_steps(train, config) * config.epochs, status="")
    losses: list[float] = []
    for epoch in range(1, config.epochs + 1):
        active = [branch for branch in BRANCHES if not _stalled(result, branch, epoch, config.patience)]
        for rows in length_grouped_batches(lengths, config.batch_size, generator):
            losses.append(_train_step(model, (dense, sparse), schedulers, collate([train[i] for i in rows]),
                                      train_labels[rows], active))
            result.steps += 1
            bar.update(task, advance=1, status=_status(losses[-1], result, active))
            if deadline is not None and time.monotonic() >= deadline:
                break
        out_of_time = deadline is not None and time.monotonic() >= deadline
        _validate(model, valid, valid_labels, result, epoch, losses, time.monotonic() - started)
        losses = []
        if out_of_time:
            result.stopped_because = f"time budget of {deadline - started:.0f} s spent"
            return
        if all(_stalled(result, branch, epoch + 1, config.patience) for branch in BRANCHES):
            result.stopped_because = f"neither branch improved its validation macro-F1 for {config.patience} epochs"
            return
    result.stopped_because = "reached the epoch limit"


def _train_step(model: ChineseSentimentModel, optimizers: tuple[torch.optim.Optimizer, ...],
                schedulers: list[torch.optim.lr_scheduler.LRScheduler], batch, labels: torch.Tensor,
                active: list[str]) -> float:
    """One optimiser step of the ``active`` branches: the sum of their cross-entropies; returns it."""
    model.train()
    loss = torch.zeros(())
    if "token" in active:
        loss = loss + functional.cross_entropy(model.token_logits(batch.token_ids), labels)
    if "ngram" in active:
        loss = loss + functional.cross_entropy(model.ngram_logits(batch.ngram_ids, batch.ngram_offsets), labels)
    for optimizer in optimizers:
        optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_([p for n, p in model.named_parameters() if not n.startswith("ngram_table")], 1.0)
    for optimizer, scheduler in zip(optimizers, schedulers):
        optimizer.step()
        scheduler.step()
    return loss.item()


def branch_logits(model: ChineseSentimentModel, examples: list[Example]) -> dict[str, torch.Tensor]:
    """Each branch's logits ``[N, 2]`` (fp32, CPU, input order) in eval mode, batched by similar length."""
    model.eval()
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].token_ids))
    logits = {branch: torch.zeros(len(examples), 2) for branch in BRANCHES}
    with torch.inference_mode():
        for start in range(0, len(order), _EVAL_BATCH):
            rows = order[start:start + _EVAL_BATCH]
            batch = collate([examples[i] for i in rows])
            logits["token"][rows] = model.token_logits(batch.token_ids).float()
            logits["ngram"][rows] = model.ngram_logits(batch.ngram_ids, batch.ngram_offsets).float()
    return logits


def model_logits(model: ChineseSentimentModel, examples: list[Example]) -> torch.Tensor:
    """The whole model's logits ``[N, 2]`` (``alpha * token + n-gram``, as ``forward``), before the temperature."""
    logits = branch_logits(model, examples)
    return model.branch_weight * logits["token"] + logits["ngram"]


def fit_mix(token: torch.Tensor, ngram: torch.Tensor, labels: torch.Tensor) -> tuple[float, float]:
    """The token branch's weight alpha and the temperature T for ``softmax((alpha * token + ngram) / T)``.

    ``token`` and ``ngram`` are validation logits ``[V, 2]``. Alpha is the
    value in ``ALPHA_GRID`` with the best validation macro-F1 (the smallest
    of equals); T then minimises the NLL (Guo et al., 2017). Alpha is not
    fitted by NLL as well: an over-confident branch would skew it away from
    the weight that classifies best.
    """
    scores = [classification_scores(alpha * token + ngram, labels)[1] for alpha in ALPHA_GRID]
    alpha = ALPHA_GRID[scores.index(max(scores))]
    return alpha, fit_temperature(alpha * token + ngram, labels)


def _validate(model: ChineseSentimentModel, valid: list[Example], labels: torch.Tensor, result: TrainResult,
              epoch: int, losses: list[float], seconds: float) -> None:
    """Score each branch on the validation reviews, append the record and keep each branch's best weights."""
    logits = branch_logits(model, valid)
    scores = {branch: classification_scores(logits[branch], labels) for branch in BRANCHES}
    result.history.append(EvalRecord(result.steps, epoch, sum(losses) / max(1, len(losses)),
                                     {b: s[0] for b, s in scores.items()}, {b: s[1] for b, s in scores.items()},
                                     seconds))
    for branch in BRANCHES:
        best = result.best[branch]
        if scores[branch][1] > best.macro_f1:
            state = {n: t.detach().clone() for n, t in model.state_dict().items() if _branch_of(n) == branch}
            result.best[branch] = _Best(scores[branch][1], epoch, state, logits[branch])


def _finish(result: TrainResult, valid_labels: torch.Tensor) -> None:
    """Load each branch's best weights, fit alpha and the temperature, and score the final model."""
    model = result.model
    for best in result.best.values():
        model.load_state_dict(best.state, strict=False)
    token, ngram = result.best["token"].logits, result.best["ngram"].logits
    alpha, result.temperature = fit_mix(token, ngram, valid_labels)
    model.branch_weight.fill_(alpha)
    model.eval()
    result.valid_accuracy, result.valid_macro_f1 = classification_scores(alpha * token + ngram, valid_labels)


def classification_scores(logits: torch.Tensor, labels: torch.Tensor) -> tuple[float, float]:
    """Accuracy and macro-F1 of the argmax of ``logits`` ``[V, 2]``."""
    predicted, truth = logits.argmax(dim=1).numpy(), labels.numpy()
    return (float(accuracy_score(truth, predicted)),
            float(f1_score(truth, predicted, average="macro", labels=[0, 1], zero_division=0)))


def _stalled(result: TrainResult, branch: str, epoch: int, patience: int) -> bool:
    """Whether ``branch`` has had ``patience`` validation passes without improving before ``epoch``."""
    return bool(result.history) and epoch - 1 - result.best[branch].epoch >= patience


def _branch_of(name: str) -> str:
    """Which branch a state-dict entry belongs to ("token" or "ngram"; ``branch_weight`` counts as token)."""
    return "ngram" if name.startswith(_NGRAM_PREFIXES) else "token"


def _steps(examples: list[Example], config: ChineseSentimentConfig) -> int:
    """Optimiser steps per epoch."""
    return math.ceil(len(examples) / config.batch_size)


def _status(loss: float, result: TrainResult, active: list[str]) -> str:
    """One line for the progress bar."""
    best = " ".join(f"{b} {result.best[b].macro_f1:.4f}" for b in BRANCHES if result.best[b].epoch)
    return f"loss {loss:.3f}  training {'+'.join(active)}  best valid macro-F1 {best or '-'}"
