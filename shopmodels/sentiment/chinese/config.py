"""Hyperparameters of the Chinese sentiment model, in one frozen, documented object.

Kept apart from ``model.py`` so the command line reads the defaults without
importing torch (``shopstream --help`` stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass

from shopmodels.configs import CheckedConfig


@dataclass(frozen=True)
class ChineseSentimentConfig(CheckedConfig):
    """Every hyperparameter of the Chinese sentiment model and its training run.

    Token branch (a small transformer encoder trained from scratch over Qwen3
    tokens, mapped to a compact vocabulary built from the training part):
        max_tokens (int): Qwen3 tokens kept per review; longer reviews are
            cut at the end (the n-gram branch still sees the whole text).
        min_token_count (int): a Qwen3 token needs this many occurrences in
            the training reviews to get its own id; rarer and unseen tokens
            share the UNK id.
        hidden (int): width of the token embeddings and of the encoder.
        layers (int): transformer encoder layers (pre-norm, GELU).
        heads (int): attention heads per layer; must divide ``hidden``.
        feedforward (int): width of each layer's feed-forward block.
        dropout (float): dropout on the token embeddings, inside the encoder
            and before both heads, in [0, 1).

    N-gram branch (fastText-style: the mean of learned vectors of the review's
    hashed character 1..``char_ngrams``-grams and Qwen3-token 1-3-grams):
        char_ngrams (int): longest character n-gram hashed (1 = characters only).
        ngram_buckets (int): hash buckets (rows of the n-gram table); unrelated
            n-grams sharing a bucket share a vector. The table is most of the
            checkpoint: buckets x ngram_dim x 4 bytes (64 MiB by default).
        ngram_dim (int): width of each n-gram vector.

    Masked-language-model pretraining of the token branch, on the training
    reviews only (0 epochs skips it):
        pretrain_epochs (int): passes over the training reviews.
        mask_prob (float): share of real tokens chosen for prediction; of
            those, 80% become MASK, 10% a random token, 10% stay.
        pretrain_lr (float): peak AdamW learning rate while pretraining.

    Classification training:
        lr (float): peak AdamW learning rate of the token branch and the head.
        ngram_lr (float): peak SparseAdam learning rate of the n-gram table.
        weight_decay (float): AdamW weight decay (not on biases, norms or embeddings).
        warmup_fraction (float): share of the planned steps spent raising the
            learning rates linearly from 0; they then fall linearly to 0.
        batch_size (int): reviews per optimiser step.
        epochs (int): upper bound on passes over the training reviews.
        patience (int): a branch stops training after this many epochs
            without a better validation macro-F1 (its best epoch's weights
            win); training ends when both branches have stopped.
        seed (int): seeds initialisation, masking, dropout and shuffling.

    Inference:
        neutral_low, neutral_high (float): a review whose calibrated
            P(positive) lies in [neutral_low, neutral_high) is labelled
            "neutral"; below is "negative", at or above "positive" (as the
            English model). The binary metrics ignore the band.
    """

    max_tokens: int = 96
    min_token_count: int = 2
    hidden: int = 128
    layers: int = 2
    heads: int = 4
    feedforward: int = 256
    dropout: float = 0.2
    char_ngrams: int = 3
    ngram_buckets: int = 1 << 19
    ngram_dim: int = 32
    pretrain_epochs: int = 0
    mask_prob: float = 0.15
    pretrain_lr: float = 1e-3
    lr: float = 5e-4
    ngram_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.05
    batch_size: int = 32
    epochs: int = 10
    patience: int = 2
    seed: int = 42
    neutral_low: float = 0.3
    neutral_high: float = 0.7

    def problems(self) -> list[str]:
        """What is wrong with this config, in words; empty when it is valid."""
        return _problems(self)


def _problems(config: ChineseSentimentConfig) -> list[str]:
    """Return what is wrong with ``config``, in words; empty when it is valid."""
    checks = [
        (config.max_tokens >= 1, f"max_tokens must be >= 1, got {config.max_tokens}"),
        (config.min_token_count >= 1, f"min_token_count must be >= 1, got {config.min_token_count}"),
        (config.hidden >= 1 and config.heads >= 1 and config.hidden % config.heads == 0,
         f"hidden ({config.hidden}) must be a positive multiple of heads ({config.heads})"),
        (config.layers >= 1, f"layers must be >= 1, got {config.layers}"),
        (config.feedforward >= 1, f"feedforward must be >= 1, got {config.feedforward}"),
        (0.0 <= config.dropout < 1.0, f"dropout must be in [0, 1), got {config.dropout}"),
        (config.char_ngrams >= 1, f"char_ngrams must be >= 1, got {config.char_ngrams}"),
        (config.ngram_buckets >= 1, f"ngram_buckets must be >= 1, got {config.ngram_buckets}"),
        (config.ngram_dim >= 1, f"ngram_dim must be >= 1, got {config.ngram_dim}"),
        (config.pretrain_epochs >= 0, f"pretrain_epochs must be >= 0, got {config.pretrain_epochs}"),
        (0.0 < config.mask_prob < 1.0, f"mask_prob must be in (0, 1), got {config.mask_prob}"),
        (config.pretrain_lr > 0 and config.lr > 0 and config.ngram_lr > 0,
         f"learning rates must be > 0, got {config.pretrain_lr}, {config.lr} and {config.ngram_lr}"),
        (config.weight_decay >= 0, f"weight_decay must be >= 0, got {config.weight_decay}"),
        (0.0 <= config.warmup_fraction < 1.0, f"warmup_fraction must be in [0, 1), got {config.warmup_fraction}"),
        (config.batch_size >= 1, f"batch_size must be >= 1, got {config.batch_size}"),
        (config.epochs >= 1, f"epochs must be >= 1, got {config.epochs}"),
        (config.patience >= 1, f"patience must be >= 1, got {config.patience}"),
        (0.0 <= config.neutral_low <= config.neutral_high <= 1.0,
         f"need 0 <= neutral_low <= neutral_high <= 1, got {config.neutral_low} and {config.neutral_high}"),
    ]  # fmt: skip
    return [message for ok, message in checks if not ok]
