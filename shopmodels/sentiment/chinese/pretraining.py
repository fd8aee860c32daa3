"""Masked-language-model pretraining of the token branch, on the training reviews only.

BERT's recipe at a small scale: ``mask_prob`` of the real tokens are chosen;
of those 80% become MASK, 10% a random token and 10% stay; the encoder
predicts the original ids through a head whose output matrix is the token
embedding table itself. The head is thrown away afterwards and never saved:
the checkpoint holds only the classifier. Validation and test reviews are
never read here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import torch
from torch import nn
from torch.nn import functional

from shopmodels.sentiment.chinese.features import MASK, SPECIAL_TOKENS, Example, collate
from shopmodels.sentiment.chinese.model import ChineseSentimentModel
from shopmodels.sentiment.optimisation import adamw, length_grouped_batches, steps_per_epoch, warmup_then_decay

IGNORE = -100  # target of tokens that are not predicted (cross_entropy's ignore_index)


class MaskedTokenHead(nn.Module):
    """Dense + GELU + LayerNorm, then scores over the vocabulary with the tied token embeddings."""

    def __init__(self, model: ChineseSentimentModel) -> None:
        super().__init__()
        hidden = model.config.hidden
        self.transform = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.LayerNorm(hidden))
        self.embedding = model.token_embedding  # shared, not copied
        self.bias = nn.Parameter(torch.zeros(model.vocabulary_size))

    def forward(self, states: torch.Tensor) -> torch.Tensor:
        """Vocabulary logits ``[M, V]`` for token states ``[M, H]``."""
        return self.transform(states) @ self.embedding.weight.T + self.bias


def mask_tokens(token_ids: torch.Tensor, mask_prob: float, vocabulary_size: int,
                generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs with chosen tokens corrupted, and targets (the original id where chosen, else IGNORE): ``[B, L]``."""
    real = token_ids >= SPECIAL_TOKENS  # PAD, UNK and MASK are never targets
    chosen = real & (torch.rand(token_ids.shape, generator=generator) < mask_prob)
    targets = torch.where(chosen, token_ids, torch.full_like(token_ids, IGNORE))
    roll = torch.rand(token_ids.shape, generator=generator)
    random_ids = torch.randint(SPECIAL_TOKENS, vocabulary_size, token_ids.shape, generator=generator)
    inputs = torch.where(chosen & (roll < 0.8), torch.full_like(token_ids, MASK), token_ids)
    inputs = torch.where(chosen & (roll >= 0.8) & (roll < 0.9), random_ids, inputs)
    return inputs, targets


def pretrain_tokens(model: ChineseSentimentModel, examples: Sequence[Example], generator: torch.Generator, *,
                    deadline: float | None = None, on_step: Callable[[float], None] | None = None) -> list[float]:
    """Run ``config.pretrain_epochs`` epochs of masked-token prediction; return each epoch's mean loss.

    Stops early (after the current step) once ``time.monotonic()`` passes
    ``deadline``. ``on_step`` receives each step's loss (for progress bars).
    """
    config = model.config
    run = _MaskedTokenRun(model, [len(example.token_ids) for example in examples])
    model.train()
    run.head.train()
    epoch_losses: list[float] = []
    for _ in range(config.pretrain_epochs):
        losses = []
        for rows in length_grouped_batches(run.lengths, config.batch_size, generator):
            token_ids = collate([examples[i] for i in rows]).token_ids  # [B, L]
            loss = run.step(token_ids, generator)
            if loss is None:
                continue
            losses.append(loss)
            if on_step is not None:
                on_step(loss)
            if _past(deadline):
                break
        epoch_losses.append(sum(losses) / max(1, len(losses)))
        if _past(deadline):
            break
    return epoch_losses


class _MaskedTokenRun:
    """The head, optimiser and schedule of one pretraining run (the head is never saved)."""

    def __init__(self, model: ChineseSentimentModel, lengths: list[int]) -> None:
        config = model.config
        self.model, self.lengths, self.head = model, lengths, MaskedTokenHead(model)
        self.trained = [(name, p) for name, p in model.named_parameters()
                        if not name.startswith(("ngram", "token_head"))]
        head = [(f"head.{n}", p) for n, p in self.head.named_parameters() if n != "embedding.weight"]
        self.optimizer = adamw(self.trained + head, config.pretrain_lr, config.weight_decay)
        total = steps_per_epoch(len(lengths), config.batch_size) * config.pretrain_epochs
        self.scheduler = warmup_then_decay(self.optimizer, total, config.warmup_fraction)

    def step(self, token_ids: torch.Tensor, generator: torch.Generator) -> float | None:
        """One step on a batch ``[B, L]``: mask, predict, update; its loss, or None when nothing was masked."""
        inputs, targets = mask_tokens(token_ids, self.model.config.mask_prob, self.model.vocabulary_size, generator)
        chosen = targets != IGNORE  # [B, L]
        if not chosen.any():
            return None
        states = self.model.encode_tokens(inputs)[chosen]  # [M, H]
        loss = functional.cross_entropy(self.head(states), targets[chosen])
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for _, p in self.trained], 1.0)
        self.optimizer.step()
        self.scheduler.step()
        return loss.item()


def _past(deadline: float | None) -> bool:
    """Whether ``deadline`` (a ``time.monotonic()`` value) has passed; never for None."""
    return deadline is not None and time.monotonic() >= deadline
