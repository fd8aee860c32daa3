"""Which aspects each clause of a review talks about: keywords, plus MiniLM similarity for English.

``AspectExtractor.extract`` splits every text into clauses, embeds all the
English clauses of all the texts in one ``embed`` call, and gives a clause an
aspect when

* one of the aspect's keywords is in it (``keywords.py``), or
* the clause is English, the aspect is among the ``embedding_top_k`` aspects
  whose ``description_en`` embedding is closest to the clause's embedding,
  and that cosine is at least ``threshold``.

Chinese clauses are matched by keywords only. all-MiniLM-L6-v2's vocabulary is
English (BERT's uncased WordPiece): about 70% of the tokens of the Chinese
clauses in the labelled set become ``[UNK]``, and the model never learnt
Chinese, so their embeddings carry next to no meaning and are never compared.

Polarity is not decided here: each ``AspectMention`` carries its clause and
the clause's index so the caller can score the clause with a sentiment model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

import torch

from shopmodels.aspects.catalog import DEFAULT_ASPECTS, Aspect
from shopmodels.aspects.clauses import is_chinese, split_clauses
from shopmodels.aspects.keywords import KeywordMatcher

# float in [-1, 1]: least cosine between an English clause and an aspect description for a mention.
# Chosen by `python -m shopmodels.aspects.evaluate` as the best micro F1 on the DEV split of
# tests/shopmodels/aspects/data/aspect_labels.jsonl (keywords + embeddings); the TEST split was not used.
DEFAULT_THRESHOLD = 0.38
# int >= 1: how many of a clause's nearest aspect descriptions may become mentions by embedding.
# 1 (chosen on DEV like the threshold): the embedding names at most one aspect; keywords name the rest.
DEFAULT_EMBEDDING_TOP_K = 1


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised ``[N, H]`` vectors, like ``TextEmbedder``."""

    def embed(self, texts: list[str]) -> torch.Tensor: ...


@dataclass(frozen=True)
class AspectMention:
    """One aspect found in one clause of a review."""

    aspect: str  # the aspect's name, e.g. "size_fit"
    clause: str  # the clause's text, to score for sentiment
    clause_index: int  # the clause's position among the review's clauses (split_clauses), from 0
    matched_by: Literal["keyword", "embedding"]  # a keyword wins when both apply
    keyword: str | None  # the text the keyword matched, as written in the clause; None for "embedding"
    similarity: float | None  # cosine to the aspect description; None for Chinese clauses or without embeddings


class AspectExtractor:
    """Find aspect mentions, clause by clause, in a batch of reviews."""

    def __init__(
        self,
        embedder: Embedder | None,
        aspects: Sequence[Aspect] = DEFAULT_ASPECTS,
        threshold: float = DEFAULT_THRESHOLD,
        embedding_top_k: int = DEFAULT_EMBEDDING_TOP_K,
    ) -> None:
        """Keywords, plus embeddings unless ``embedder`` is None.

        ``threshold`` (float): least cosine between clause and description for an embedding mention.
        ``embedding_top_k`` (int >= 1): only a clause's k nearest aspect descriptions can be mentions by
        embedding (keyword mentions are not limited).
        """
        if not aspects:
            raise ValueError("AspectExtractor needs at least one aspect")
        if embedding_top_k < 1:
            raise ValueError(f"embedding_top_k must be at least 1, got {embedding_top_k}")
        self.aspects = tuple(aspects)
        self.embedder = embedder
        self.threshold = threshold
        self.embedding_top_k = embedding_top_k
        self.matcher = KeywordMatcher(self.aspects)
        self._descriptions: torch.Tensor | None = None  # [A, H], embedded on first use

    def extract(self, texts: list[str]) -> list[list[AspectMention]]:
        """Return, per text and in order, its mentions sorted by clause, then by catalog order."""
        clauses_per_text = [split_clauses(text) for text in texts]
        flat = [clause for clauses in clauses_per_text for clause in clauses]
        mentions = self.label_clauses(flat, self.similarities(flat))
        results, start = [], 0
        for clauses in clauses_per_text:
            results.append([
                replace(mention, clause_index=index)
                for index, found in enumerate(mentions[start : start + len(clauses)])
                for mention in found
            ])
            start += len(clauses)
        return results

    def similarities(self, clauses: list[str]) -> torch.Tensor | None:
        """Cosine of each clause to each aspect description, ``[N, A]``; NaN rows for Chinese clauses.

        One ``embed`` call for all English clauses; ``None`` when there is no embedder.
        """
        if self.embedder is None:
            return None
        english = [index for index, clause in enumerate(clauses) if not is_chinese(clause)]
        cosines = torch.full((len(clauses), len(self.aspects)), float("nan"))  # [N, A]
        if english:
            vectors = self.embedder.embed([clauses[index] for index in english])  # [E, H]
            cosines[english] = vectors @ self._description_vectors().T  # [E, A]
        return cosines

    def label_clauses(
        self, clauses: list[str], cosines: torch.Tensor | None, threshold: float | None = None
    ) -> list[list[AspectMention]]:
        """Mentions per clause (``clause_index`` 0) from keywords and precomputed cosines ``[N, A]``.

        ``threshold`` overrides ``self.threshold``, so a sweep can reuse one ``similarities`` call.
        """
        least = self.threshold if threshold is None else threshold
        rows = cosines.tolist() if cosines is not None else [[None] * len(self.aspects)] * len(clauses)
        return [self._clause_mentions(clause, row, least) for clause, row in zip(clauses, rows)]

    def _clause_mentions(self, clause: str, row: list[float | None], least: float) -> list[AspectMention]:
        """The mentions in one clause, in catalog order."""
        keywords = self.matcher.match(clause)
        similarities = [None if cosine is None or cosine != cosine else cosine for cosine in row]  # NaN: Chinese
        nearest = sorted((s for s in similarities if s is not None), reverse=True)[: self.embedding_top_k]
        least = max(least, nearest[-1]) if nearest else least
        mentions = []
        for aspect, similarity in zip(self.aspects, similarities):
            if aspect.name in keywords:
                mentions.append(AspectMention(aspect.name, clause, 0, "keyword", keywords[aspect.name], similarity))
            elif similarity is not None and similarity >= least:
                mentions.append(AspectMention(aspect.name, clause, 0, "embedding", None, similarity))
        return mentions

    def _description_vectors(self) -> torch.Tensor:
        """The aspects' English descriptions, embedded once: ``[A, H]``."""
        if self._descriptions is None:
            self._descriptions = self.embedder.embed([aspect.description_en for aspect in self.aspects])
        return self._descriptions

