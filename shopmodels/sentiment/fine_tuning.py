"""Seeded fine-tuning of a pretrained-encoder classifier (either language), with early stopping on validation macro-F1.

English fine-tunes MiniLM, Chinese multilingual-e5-small (``classifier.py``); the tokenizer is
anything called like a Hugging Face one (``tokenizer(texts, truncation=True,
max_length=n)["input_ids"]`` and a ``pad_token_id``). Parameters with ``requires_grad`` off
(Chinese keeps its word embeddings frozen) are not trained.
The shared loop (``shopmodels/sentiment/training.py``) drives ``_FineTuning``: training reads
only ``split.train`` (and ``split.train_neutral`` when ``config.train_neutral``: soft targets);
``split.valid`` picks the best weights (validated every ``eval_every`` steps and at each
epoch's end) and fits the temperature; ``split.test`` is never read. AdamW
(every matrix but the LayerNorms' decays, as in BERT fine-tuning) with linear warmup and
linear decay over the planned steps. On CUDA (``device``), the steps and validation passes run
in bf16 autocast; the best weights are kept on the CPU, and the model comes back on the CPU.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import torch
from torch import nn
from torch.nn import functional

from shopmodels.devices import choose_device, inference_autocast
from shopmodels.sentiment.classifier import SentimentClassifier, encode, pad_batch
from shopmodels.sentiment.optimisation import (adamw, length_grouped_batches, progress_bar, steps_per_epoch,
                                               warmup_then_decay)
from shopmodels.sentiment.predictor import length_ordered_batches
from shopmodels.sentiment.split import SentimentSplit
from shopmodels.sentiment.training import classification_scores, copy_state, fit_temperature, run_epochs

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from shopmodels.sentiment.config import FineTuningConfig

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

    def facts(self, source: str, train_reviews: int) -> dict[str, Any]:
        """What a checkpoint records about this run: the corpus, how many reviews it trained on, how it went."""
        return {"source": source, "train_reviews": train_reviews, "best_step": self.best_step,
                "steps_run": self.steps, "valid_macro_f1": self.best_valid_macro_f1,
                "stopped_because": self.stopped_because}

    def summary(self) -> list[str]:
        """What the run did, a line per validation pass and one for the best, for the console."""
        lines = [f"step {r.step} (epoch {r.epoch}, {r.seconds:.0f} s): loss {r.loss:.4f}, valid accuracy "
                 f"{r.valid_accuracy:.4f}, macro-F1 {r.valid_macro_f1:.4f}" for r in self.history]
        return lines + [f"Best step {self.best_step} of {self.steps} (validation macro-F1 "
                        f"{self.best_valid_macro_f1:.4f}; temperature {self.temperature:.3f}; "
                        f"stopped: {self.stopped_because})."]


@dataclass(frozen=True)
class _Encoded:
    """The split's training and validation reviews as token ids and label tensors."""

    train_ids: list[list[int]]
    train_targets: torch.Tensor  # [N, 2] P(negative), P(positive) per training review: one-hot, or 0.5 each
    valid_ids: list[list[int]]
    valid_labels: torch.Tensor  # [V]
    pad_id: int  # the tokenizer's padding id


def train_sentiment(model: SentimentClassifier, tokenizer: PreTrainedTokenizerBase, split: SentimentSplit, *,
                    description: str = "Fine-tuning", progress: bool = True,
                    time_budget_s: float | None = None, device: str = "cpu") -> TrainResult:
    """Fine-tune ``model`` (pretrained encoder, fresh head) on ``split.train`` with ``model.config``.

    Stops after ``config.epochs``, after ``config.patience`` validation passes
    without a better macro-F1, or once ``time_budget_s`` seconds have passed
    (checked after every step, then one last validation pass). Then loads the
    best weights and fits the temperature on their validation logits.
    ``device``: "cpu", "cuda", "auto" (CUDA when present)...; the model comes back on the CPU.
    """
    config = model.config
    torch.manual_seed(config.seed)
    run = _FineTuning(model.to(choose_device(device)), _encode_split(tokenizer, split, config),
                      torch.Generator().manual_seed(config.seed))
    with progress_bar(progress) as bar:
        run.result.steps, run.result.stopped_because = run_epochs(
            run, bar, description, epochs=config.epochs, eval_every=config.eval_every,
            started=time.monotonic(), budget_s=time_budget_s)
    model.to("cpu").load_state_dict(run.result.best_state)
    model.eval()
    run.result.temperature = fit_temperature(run.result.best_valid_logits, run.data.valid_labels)
    return run.result


class _FineTuning:
    """The English run the shared loop drives: one model, one AdamW, validated as the config says."""

    def __init__(self, model: SentimentClassifier, data: _Encoded, generator: torch.Generator) -> None:
        config = model.config
        self.model, self.data, self.generator = model, data, generator
        self.device = next(model.parameters()).device
        self.steps_per_epoch = steps_per_epoch(len(data.train_ids), config.batch_size)
        trained = [(name, parameter) for name, parameter in model.named_parameters() if parameter.requires_grad]
        self.optimizer = adamw(trained, config.lr, config.weight_decay, decays=_decays)
        self.scheduler = warmup_then_decay(self.optimizer, self.steps_per_epoch * config.epochs,
                                           config.warmup_fraction)
        self.weights = _class_weights(data.train_targets).to(self.device) if config.class_weighting else None
        self.result = TrainResult(model, copy_state(model))

    def epoch_batches(self, epoch: int) -> list[torch.Tensor]:
        """This epoch's batches of training rows."""
        return _epoch_batches([len(ids) for ids in self.data.train_ids], self.model.config, self.generator)

    def step(self, rows: torch.Tensor) -> float:
        """One optimiser step on the training reviews ``rows``; returns the batch loss."""
        self.model.train()
        input_ids, mask = pad_batch([self.data.train_ids[i] for i in rows.tolist()], self.data.pad_id)  # [B, L]
        with inference_autocast(self.device):
            logits = self.model(input_ids.to(self.device), mask.to(self.device)).float()  # [B, 2]
        loss = functional.cross_entropy(logits, self.data.train_targets[rows].to(self.device), weight=self.weights)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.scheduler.step()
        return loss.item()

    def status(self, loss: float) -> str:
        """One line for the progress bar."""
        result = self.result
        best = "-" if not result.history else f"{result.best_valid_macro_f1:.4f} @ step {result.best_step}"
        return f"loss {loss:.3f}  best valid macro-F1 {best}"

    def validate(self, epoch: int, steps: int, loss: float, seconds: float) -> None:
        """Score the validation reviews, append the record and keep the weights if they are the best yet."""
        logits = predict_logits(self.model, self.data.valid_ids, self.data.pad_id)  # [V, 2]
        record = EvalRecord(steps, epoch, loss, *classification_scores(logits, self.data.valid_labels), seconds)
        result = self.result
        result.history.append(record)
        if record.valid_macro_f1 > result.best_valid_macro_f1:
            result.best_state, result.best_step = copy_state(self.model), record.step
            result.best_valid_macro_f1, result.best_valid_logits = record.valid_macro_f1, logits

    def stop_reason(self, epoch: int, budget_spent: str) -> str:
        """Patience first (``config.patience`` passes without a better macro-F1), then the time budget."""
        patience = self.model.config.patience
        passes_since_best = sum(1 for record in self.result.history if record.step > self.result.best_step)
        if passes_since_best >= patience:
            return f"no better validation macro-F1 for {patience} validation passes"
        return budget_spent


def predict_logits(model: SentimentClassifier, token_ids: Sequence[Sequence[int]], pad_id: int = 0) -> torch.Tensor:
    """Logits ``[N, 2]`` (fp32, CPU, input order) in eval mode, batched by similar length."""
    model.eval()
    logits = torch.zeros(len(token_ids), 2)
    device = next(model.parameters()).device
    with torch.inference_mode():
        for rows in length_ordered_batches([len(ids) for ids in token_ids], _EVAL_BATCH):
            input_ids, mask = pad_batch([token_ids[i] for i in rows], pad_id)
            with inference_autocast(device):
                logits[rows] = model(input_ids.to(device), mask.to(device)).float().cpu()
    return logits


def _encode_split(tokenizer: PreTrainedTokenizerBase, split: SentimentSplit, config: FineTuningConfig) -> _Encoded:
    """Tokenise the training and validation reviews once; with ``config.train_neutral``, the training
    part's neutral reviews follow its binary ones, with the target 0.5 / 0.5."""
    targets = functional.one_hot(torch.tensor(split.train["label"].to_numpy()), 2).float()  # [N, 2]
    texts = split.train["text"].tolist()
    if config.train_neutral and split.train_neutral is not None and len(split.train_neutral):
        texts += split.train_neutral["text"].tolist()
        targets = torch.cat([targets, torch.full((len(split.train_neutral), 2), 0.5)])
    return _Encoded(encode(tokenizer, texts, config.max_tokens), targets,
                    encode(tokenizer, split.valid["text"].tolist(), config.max_tokens),
                    torch.tensor(split.valid["label"].to_numpy()), tokenizer.pad_token_id)


def _epoch_batches(lengths: list[int], config: FineTuningConfig, generator: torch.Generator) -> list[torch.Tensor]:
    """Shuffled batches of review indices; with ``group_by_length``, similar lengths share a batch."""
    return [torch.tensor(rows) for rows in length_grouped_batches(
        lengths, config.batch_size, generator, group_by_length=config.group_by_length)]


def _decays(name: str, parameter: nn.Parameter) -> bool:
    """Whether AdamW decays an encoder's parameter: every matrix but the LayerNorms' (biases never)."""
    return parameter.ndim > 1 and "LayerNorm" not in name


def _class_weights(targets: torch.Tensor) -> torch.Tensor:
    """Inverse-frequency ("balanced") weights per class of the training targets ``[N, 2]``: ``[2]``
    (a neutral review counts half to each class)."""
    counts = targets.sum(dim=0).clamp(min=1.0)
    return len(targets) / (2 * counts)
