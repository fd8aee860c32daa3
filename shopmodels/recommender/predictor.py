"""Serve recommendations from a SASRec checkpoint: ids in, ranked (product_id, score) lists out.

``preprocess -> _forward -> postprocess``: the predictor alone decides the
device, the dtype (bf16 autocast on CUDA, fp32 on CPU) and
``inference_mode``; it pads variable-length histories, masks excluded
products to ``-inf`` and takes the top k on the device, so only ``[B, k]``
comes back to the CPU. Results are plain lists.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from shopmodels.devices import choose_device, inference_autocast
from shopmodels.recommender.data import pad_left
from shopmodels.recommender.model import PADDING, SASRec
from shopmodels.recommender.registry import load_sasrec
from shopmodels.recommender.vocabulary import Vocabulary

Recommendations = list[tuple[str, float]]  # (product_id, score), best first


@dataclass(frozen=True)
class HistoryQuery:
    """One user's context for a recommendation.

    history: product ids the user interacted with, oldest first; unknown ids are skipped.
    exclude: product ids never to recommend (purchased, in the cart, out of stock...).
    exclude_history: also never recommend anything in ``history``; the newest
        history item (the one just viewed) is excluded either way.
    """

    history: Sequence[str]
    exclude: Collection[str] = ()
    exclude_history: bool = True


@dataclass(frozen=True)
class _Batch:
    """Tensors for the requests that have a usable history, and which requests those are."""

    rows: list[int]  # positions in the request list
    item_seq: torch.Tensor  # [B, L] left-padded item indices
    excluded: torch.Tensor  # [B, N + 1] True where the item must not be recommended


class RecommenderPredictor:
    """Batched top-k recommendations from one SASRec model and its vocabulary."""

    def __init__(self, model: SASRec, vocabulary: Vocabulary, *, version: str, device: str = "auto") -> None:
        self.device = choose_device(device)
        self.model = model.to(self.device).eval()
        self.vocabulary = vocabulary
        self.version = version
        self._unit_items: torch.Tensor | None = None  # see _unit_item_embeddings

    @classmethod
    def from_checkpoint(cls, path: Path, device: str = "auto") -> RecommenderPredictor:
        """Load a recommender checkpoint; ``device`` is "auto" (CUDA if available), "cpu", "cuda"..."""
        model, vocabulary, checkpoint = load_sasrec(path)
        return cls(model, vocabulary, version=checkpoint.version, device=device)

    def recommend(self, requests: Sequence[HistoryQuery], k: int = 10) -> list[Recommendations]:
        """Return up to ``k`` (product_id, score) pairs per request, in request order.

        A request whose history has no known product gets an empty list; the
        caller falls back to popular or trending products.
        """
        results: list[Recommendations] = [[] for _ in requests]
        batch = self.preprocess(requests)
        if batch.rows:
            top_scores, top_items = self._forward(batch.item_seq, batch.excluded, k)  # [B, k] each
            for row, recommendations in zip(batch.rows, self.postprocess(top_scores, top_items)):
                results[row] = recommendations
        return results

    def preprocess(self, requests: Sequence[HistoryQuery]) -> _Batch:
        """Encode histories (unknown ids dropped), left-pad them and build the exclusion mask."""
        rows, sequences, excluded_rows = [], [], []
        for row, request in enumerate(requests):
            items = self.vocabulary.encode(request.history)
            if not items:
                continue
            excluded = set(self.vocabulary.encode(request.exclude)) | {items[-1]}
            if request.exclude_history:
                excluded.update(items)
            rows.append(row)
            sequences.append(items)
            excluded_rows.append(sorted(excluded))
        max_len = self.model.config.max_len
        length = min(max_len, max((len(items) for items in sequences), default=1))
        mask = torch.zeros(len(rows), len(self.vocabulary) + 1, dtype=torch.bool)
        mask[:, PADDING] = True
        for position, excluded in enumerate(excluded_rows):
            mask[position, excluded] = True
        return _Batch(rows, pad_left(sequences, length), mask)

    def anchors(self, pairs: Sequence[tuple[Sequence[str], Sequence[str]]], recent: int = 5) -> list[dict[str, str]]:
        """For each (history, recommended) pair: recommended product -> the history product it is most like.

        Only the ``recent`` newest known history products are candidates. "Like" is the cosine
        of the model's own item embeddings, so the answer reads as "because you viewed
        <anchor>". Unknown products are left out. One batched computation for all pairs.
        """
        encoded = [(self.vocabulary.encode(history)[-recent:], self.vocabulary.encode(recommended))
                   for history, recommended in pairs]
        results: list[dict[str, str]] = [{} for _ in pairs]
        rows = [row for row, (past, new) in enumerate(encoded) if past and new]
        if not rows:
            return results
        past = pad_left([encoded[row][0] for row in rows], recent)  # [B, m], 0 = padding
        new = pad_left([encoded[row][1] for row in rows], max(len(encoded[row][1]) for row in rows))  # [B, R]
        with torch.inference_mode():
            unit = self._unit_item_embeddings()  # [N + 1, H]
            cosines = unit[new] @ unit[past].transpose(1, 2)  # [B, R, m]
            cosines = cosines.masked_fill((past == PADDING).unsqueeze(1), float("-inf"))
            nearest = cosines.argmax(dim=2)  # [B, R] position in past
        for row, new_row, past_row, nearest_row in zip(rows, new.tolist(), past.tolist(), nearest.tolist()):
            results[row] = {self.vocabulary.product(item): self.vocabulary.product(past_row[at])
                            for item, at in zip(new_row, nearest_row) if item != PADDING}
        return results

    def _unit_item_embeddings(self) -> torch.Tensor:
        """The item embeddings scaled to unit length, fp32 on the CPU (computed once; weights never change)."""
        if self._unit_items is None:
            weights = self.model.item_embedding.weight.detach().float().cpu()
            self._unit_items = torch.nn.functional.normalize(weights, dim=1)
        return self._unit_items

    def _forward(self, item_seq: torch.Tensor, excluded: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Score every item at each sequence's newest position, mask excluded items to ``-inf`` and
        take the top ``k``, all on the model's device; returns ``[B, k]`` scores (fp32) and items on the CPU."""
        autocast = inference_autocast(self.device)
        with torch.inference_mode():
            with autocast:
                hidden = self.model(item_seq.to(self.device))  # [B, L, H]
                scores = self.model.full_sort_scores(hidden[:, -1])  # [B, N + 1]
            masked = scores.float().masked_fill(excluded.to(self.device), float("-inf"))  # [B, N + 1]
            top_scores, top_items = masked.topk(min(k, masked.shape[1]), dim=1)  # [B, k]
        return top_scores.cpu(), top_items.cpu()

    def postprocess(self, top_scores: torch.Tensor, top_items: torch.Tensor) -> list[Recommendations]:
        """Map the top items back to product ids, dropping masked (``-inf``) places."""
        return [
            [(self.vocabulary.product(int(item)), float(score))
             for score, item in zip(row_scores, row_items) if score != float("-inf")]
            for row_scores, row_items in zip(top_scores.tolist(), top_items.tolist())
        ]  # fmt: skip
