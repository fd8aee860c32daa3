"""Seeded training of the Chinese sentiment model: two branches, each with its own loss and best epoch.

The shared loop (``shopmodels/sentiment/training.py``) drives ``_BranchTraining``, validating
at each epoch's end (and once the time budget is spent). Reads only ``split.train`` to build the
vocabulary, pretrain and train; ``split.valid`` picks each branch's best epoch and fits the
branch weight and the temperature; ``split.test`` is never read.

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

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import torch
from rich.progress import Progress
from torch.nn import functional

from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.data import SOURCE
from shopmodels.sentiment.chinese.features import Example, Featurizer, TokenVocabulary, collate, qwen3_ids
from shopmodels.sentiment.chinese.model import ChineseSentimentModel
from shopmodels.sentiment.chinese.pretraining import pretrain_tokens
from shopmodels.sentiment.optimisation import (adamw, length_grouped_batches, progress_bar, steps_per_epoch,
                                               warmup_then_decay)
from shopmodels.sentiment.predictor import length_ordered_batches
from shopmodels.sentiment.split import SentimentSplit
from shopmodels.sentiment.training import classification_scores, copy_state, fit_temperature, run_epochs

if TYPE_CHECKING:
    import pandas as pd
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

    def facts(self, train_reviews: int) -> dict[str, Any]:
        """What a checkpoint records about this run (``train_reviews``: how many reviews it trained on)."""
        return {"source": SOURCE, "train_reviews": train_reviews, "steps_run": self.steps,
                "best_epoch": {branch: best.epoch for branch, best in self.best.items()},
                "valid_accuracy": self.valid_accuracy, "valid_macro_f1": self.valid_macro_f1,
                "branch_weight": float(self.model.branch_weight), "pretrain_losses": self.pretrain_losses,
                "stopped_because": self.stopped_because}

    def summary(self) -> list[str]:
        """What the run did (pretraining, each epoch, the branches' best epochs, the model), for the console."""
        lines = [f"pretraining epoch {epoch}: masked-token loss {loss:.4f}"
                 for epoch, loss in enumerate(self.pretrain_losses, start=1)]
        for r in self.history:
            scores = ", ".join(f"{branch} {r.valid_accuracy[branch]:.4f} / {r.valid_macro_f1[branch]:.4f}"
                               for branch in r.valid_macro_f1)
            lines.append(f"epoch {r.epoch} (step {r.step}, {r.seconds:.0f} s): loss {r.loss:.4f}; "
                         f"valid accuracy / macro-F1: {scores}")
        best = self.best
        return lines + [
            f"Token branch from epoch {best['token'].epoch}, n-gram branch from epoch {best['ngram'].epoch}; "
            f"token weight {float(self.model.branch_weight):.3f}, temperature {self.temperature:.3f}; "
            f"vocabulary {len(self.vocabulary):,} ids; stopped: {self.stopped_because}.",
            f"Model alone: validation accuracy {self.valid_accuracy:.4f}, macro-F1 {self.valid_macro_f1:.4f}."]


@dataclass(frozen=True)
class _Featurized:
    """The split's training and validation reviews as model inputs and label tensors."""

    train: list[Example]
    train_labels: torch.Tensor  # [N]
    valid: list[Example]
    valid_labels: torch.Tensor  # [V]


def train_chinese_sentiment(split: SentimentSplit, tokenizer: Tokenizer, config: ChineseSentimentConfig, *,
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
    data = _Featurized(featurizer.examples(train_texts), _labels(split.train),
                       featurizer.examples(split.valid["text"].tolist()), _labels(split.valid))
    result = TrainResult(ChineseSentimentModel(config, len(vocabulary)), vocabulary)
    with progress_bar(progress) as bar:
        if config.pretrain_epochs:
            result.pretrain_losses = _pretrain(result.model, data.train, generator, bar, started, time_budget_s)
        result.steps, result.stopped_because = run_epochs(
            _BranchTraining(result, data, generator), bar, "Training", epochs=config.epochs, started=started,
            budget_s=time_budget_s)
    _finish(result, data.valid_labels)
    return result


def _pretrain(model: ChineseSentimentModel, train: list[Example], generator: torch.Generator, bar: Progress,
              started: float, budget_s: float | None) -> list[float]:
    """Masked-token pretraining within ``PRETRAIN_BUDGET_SHARE`` of the budget; each epoch's mean loss."""
    config = model.config
    deadline = None if budget_s is None else started + budget_s * PRETRAIN_BUDGET_SHARE
    task = bar.add_task("Pretraining tokens (MLM)", status="",
                        total=steps_per_epoch(len(train), config.batch_size) * config.pretrain_epochs)
    return pretrain_tokens(model, train, generator, deadline=deadline,
                           on_step=lambda loss: bar.update(task, advance=1, status=f"loss {loss:.3f}"))


class _BranchTraining:
    """The Chinese run the shared loop drives: both branches step together until each stalls."""

    def __init__(self, result: TrainResult, data: _Featurized, generator: torch.Generator) -> None:
        model, config = result.model, result.model.config
        self.result, self.data, self.generator = result, data, generator
        self.lengths = [len(example.token_ids) for example in data.train]
        self.steps_per_epoch = steps_per_epoch(len(data.train), config.batch_size)
        self.optimizers = (adamw(_dense_parameters(model), config.lr, config.weight_decay),
                           torch.optim.SparseAdam(list(model.ngram_table.parameters()), lr=config.ngram_lr))
        self.schedulers = [warmup_then_decay(o, self.steps_per_epoch * config.epochs, config.warmup_fraction)
                           for o in self.optimizers]
        self.active = list(BRANCHES)  # the branches still training this epoch

    def epoch_batches(self, epoch: int) -> list[list[int]]:
        """This epoch's batches; a branch without a better macro-F1 for ``patience`` epochs sits it out."""
        patience = self.result.model.config.patience
        self.active = [branch for branch in BRANCHES if not _stalled(self.result, branch, epoch, patience)]
        return length_grouped_batches(self.lengths, self.result.model.config.batch_size, self.generator)

    def step(self, rows: list[int]) -> float:
        """One optimiser step of the active branches: the sum of their cross-entropies; returns it."""
        model, batch = self.result.model, collate([self.data.train[i] for i in rows])
        labels = self.data.train_labels[rows]
        model.train()
        loss = torch.zeros(())
        if "token" in self.active:
            loss = loss + functional.cross_entropy(model.token_logits(batch.token_ids), labels)
        if "ngram" in self.active:
            loss = loss + functional.cross_entropy(model.ngram_logits(batch.ngram_ids, batch.ngram_offsets), labels)
        for optimizer in self.optimizers:
            optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for _, p in _dense_parameters(model)], 1.0)
        for optimizer, scheduler in zip(self.optimizers, self.schedulers):
            optimizer.step()
            scheduler.step()
        return loss.item()

    def status(self, loss: float) -> str:
        """One line for the progress bar."""
        best = " ".join(f"{b} {self.result.best[b].macro_f1:.4f}" for b in BRANCHES if self.result.best[b].epoch)
        return f"loss {loss:.3f}  training {'+'.join(self.active)}  best valid macro-F1 {best or '-'}"

    def validate(self, epoch: int, steps: int, loss: float, seconds: float) -> None:
        """Score each branch on the validation reviews, append the record and keep each branch's best weights."""
        result = self.result
        logits = branch_logits(result.model, self.data.valid)
        scores = {branch: classification_scores(logits[branch], self.data.valid_labels) for branch in BRANCHES}
        result.history.append(EvalRecord(steps, epoch, loss, {b: s[0] for b, s in scores.items()},
                                         {b: s[1] for b, s in scores.items()}, seconds))
        for branch in BRANCHES:
            if scores[branch][1] > result.best[branch].macro_f1:
                state = copy_state(result.model, keep=lambda name: _branch_of(name) == branch)
                result.best[branch] = _Best(scores[branch][1], epoch, state, logits[branch])

    def stop_reason(self, epoch: int, budget_spent: str) -> str:
        """The spent time budget first, then both branches stalled."""
        patience = self.result.model.config.patience
        if budget_spent:
            return budget_spent
        if all(_stalled(self.result, branch, epoch + 1, patience) for branch in BRANCHES):
            return f"neither branch improved its validation macro-F1 for {patience} epochs"
        return ""


def branch_logits(model: ChineseSentimentModel, examples: list[Example]) -> dict[str, torch.Tensor]:
    """Each branch's logits ``[N, 2]`` (fp32, CPU, input order) in eval mode, batched by similar length."""
    model.eval()
    logits = {branch: torch.zeros(len(examples), 2) for branch in BRANCHES}
    with torch.inference_mode():
        for rows in length_ordered_batches([len(example.token_ids) for example in examples], _EVAL_BATCH):
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


def _dense_parameters(model: ChineseSentimentModel) -> list[tuple[str, torch.nn.Parameter]]:
    """Every named parameter but the n-gram table's (it has sparse gradients and its own optimiser)."""
    return [(n, p) for n, p in model.named_parameters() if not n.startswith("ngram_table")]


def _labels(part: pd.DataFrame) -> torch.Tensor:
    """A part's labels as a tensor ``[N]``."""
    return torch.tensor(part["label"].to_numpy())


def _stalled(result: TrainResult, branch: str, epoch: int, patience: int) -> bool:
    """Whether ``branch`` has had ``patience`` validation passes without improving before ``epoch``."""
    return bool(result.history) and epoch - 1 - result.best[branch].epoch >= patience


def _branch_of(name: str) -> str:
    """Which branch a state-dict entry belongs to ("token" or "ngram"; ``branch_weight`` counts as token)."""
    return "ngram" if name.startswith(_NGRAM_PREFIXES) else "token"
