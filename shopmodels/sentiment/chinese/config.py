"""Hyperparameters of the Chinese sentiment model, in one frozen, documented object.

Kept apart from ``model.py`` so the command line reads the defaults without
importing torch (``shopstream --help`` stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass

from shopmodels.sentiment.config import Check, SentimentConfigBase


@dataclass(frozen=True)
class ChineseSentimentConfig(SentimentConfigBase):
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

    Inference: neutral_low, neutral_high (float), the neutral band, as the English
    model's (documented in ``SentimentConfigBase``).
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

    def own_checks(self) -> list[Check]:
        """What must hold of the hyperparameters only this config has (``SentimentConfigBase`` adds the rest)."""
        return [
            (self.max_tokens >= 1, f"max_tokens must be >= 1, got {self.max_tokens}"),
            (self.min_token_count >= 1, f"min_token_count must be >= 1, got {self.min_token_count}"),
            (self.hidden >= 1 and self.heads >= 1 and self.hidden % self.heads == 0,
             f"hidden ({self.hidden}) must be a positive multiple of heads ({self.heads})"),
            (self.layers >= 1, f"layers must be >= 1, got {self.layers}"),
            (self.feedforward >= 1, f"feedforward must be >= 1, got {self.feedforward}"),
            (self.char_ngrams >= 1, f"char_ngrams must be >= 1, got {self.char_ngrams}"),
            (self.ngram_buckets >= 1, f"ngram_buckets must be >= 1, got {self.ngram_buckets}"),
            (self.ngram_dim >= 1, f"ngram_dim must be >= 1, got {self.ngram_dim}"),
            (self.pretrain_epochs >= 0, f"pretrain_epochs must be >= 0, got {self.pretrain_epochs}"),
            (0.0 < self.mask_prob < 1.0, f"mask_prob must be in (0, 1), got {self.mask_prob}"),
            (self.pretrain_lr > 0 and self.lr > 0 and self.ngram_lr > 0,
             f"learning rates must be > 0, got {self.pretrain_lr}, {self.lr} and {self.ngram_lr}"),
        ]  # fmt: skip
