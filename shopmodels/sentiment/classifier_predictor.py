"""Serve a fine-tuned ``SentimentClassifier`` of either language, alone or mixed with its TF-IDF + LR.

``english/predictor.py`` (MiniLM) and ``chinese/predictor.py`` (multilingual-e5-small) only add
loading: the tokenizer call (anything called like a Hugging Face tokenizer, with a
``pad_token_id``), padding, the forward pass and the mix are the same for both. Batching, the
temperature and the neutral band are ``BatchedSentimentPredictor``'s (``predictor.py``).

With an ``ensemble`` (a ``mixing.LinearEnsemble``) the model's log-odds are mixed with the
linear model's as ``eval`` scores them, and the mix's temperature is applied; without one the
model serves alone with its own temperature.
"""

from __future__ import annotations

from typing import Any, Self

import torch

from shopmodels.sentiment.classifier import SentimentClassifier
from shopmodels.sentiment.classifier import encode, pad_batch
from shopmodels.sentiment.mixing import LinearEnsemble
from shopmodels.sentiment.predictor import BatchedSentimentPredictor


class ClassifierPredictor(BatchedSentimentPredictor):
    """Batched sentiment from one fine-tuned classifier (and, when given, its ensemble) and temperatures.

    ``temperature`` is the model's; with an ``ensemble`` the mix's temperature is applied instead.
    """

    def __init__(self, model: SentimentClassifier, tokenizer: Any, *, temperature: float, version: str,
                 device: str = "auto", ensemble: LinearEnsemble | None = None,
                 memo: dict[str, torch.Tensor] | None = None) -> None:
        super().__init__(model, temperature=temperature if ensemble is None else ensemble.temperature,
                         version=version, device=device)
        self.tokenizer = tokenizer
        self.model_temperature = temperature
        self.ensemble = ensemble
        self.memo = memo  # text -> the model's logits [2], once ``remembering`` asked for it

    def model_alone(self) -> Self:
        """A predictor of the same model without the ensemble (the model's own temperature); it shares what
        this one remembers."""
        return type(self)(self.model, self.tokenizer, temperature=self.model_temperature, version=self.version,
                          device=str(self.device), memo=self.memo)

    def remembering(self) -> Self:
        """This predictor, keeping the model's logits of every text it scores (shared with ``model_alone``).

        ``eval`` scores the same reviews mixed, as served and with the model alone: one forward pass
        each instead of three. The stream's predictors do not remember (every review is new)."""
        self.memo = {}
        return self

    def preprocess(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
        """Tokenise, cut to ``max_tokens`` and pad, on the model's device; the texts for the ensemble."""
        ids = encode(self.tokenizer, texts, self.model.config.max_tokens)
        input_ids, mask = pad_batch(ids, self.tokenizer.pad_token_id)  # [B, L] each
        return input_ids.to(self.device), mask.to(self.device), texts

    def _forward(self, inputs: tuple[torch.Tensor, torch.Tensor, list[str]]) -> torch.Tensor:
        """Class logits ``[B, 2]``, fp32 on the CPU: the model's, or the ensemble's mix of them with the LR's."""
        input_ids, mask, texts = inputs
        logits = self._remembered_logits(input_ids, mask, texts)  # [B, 2]
        return logits if self.ensemble is None else self.ensemble.logits(logits, self.model_temperature, texts)

    def _remembered_logits(self, input_ids: torch.Tensor, mask: torch.Tensor, texts: list[str]) -> torch.Tensor:
        """The model's logits ``[B, 2]``: from the memo when it holds every text of the batch."""
        if self.memo is not None and all(text in self.memo for text in texts):
            return torch.stack([self.memo[text] for text in texts])
        logits = self._model_logits(input_ids, mask)
        if self.memo is not None:
            self.memo.update(zip(texts, logits))
        return logits
