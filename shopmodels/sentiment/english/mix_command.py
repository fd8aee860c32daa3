"""``shopstream train sentiment-mix``: mix an already fine-tuned MiniLM with the TF-IDF + LR, without fine-tuning.

`train sentiment` fits the mix itself at the end of a run; this command gives the same mix to a
checkpoint trained before the mix existed (or to try it without half an hour of fine-tuning):
it reads the checkpoint's weights and split seed, fits the word TF-IDF + LR on that split's
training part, chooses the weight, temperatures and neutral band on its validation part
(``english/ensemble.py``, ``neutral_band.py``) and saves the result as a new version. The test
part stays unseen. Mounted in ``shopmodels/commands.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from shopmodels.cli_support import THREADS, console, set_threads
from shopmodels.sentiment.commands import REGISTRY, choose_served_band, describe_ensemble


def mix_sentiment_command(
    checkpoint: Path = typer.Option(..., exists=True, dir_okay=False,
                                    help="A MiniLM checkpoint of `train sentiment` to mix with the TF-IDF + LR."),
    registry: Path = REGISTRY,
    threads: Optional[int] = THREADS,
) -> None:
    """Mix a fine-tuned MiniLM checkpoint with a word TF-IDF + logistic regression and save it as a new version.

    The LR is fitted on the checkpoint's training part; the mix weight (w=1: MiniLM alone), the
    temperatures and the neutral band are chosen on its validation part. No fine-tuning: a few
    minutes on a CPU, most of it MiniLM reading the validation reviews.
    """
    from shopmodels.sentiment.corpora import english_split
    from shopmodels.sentiment.english.ensemble import fit_english_ensemble
    from shopmodels.sentiment.english.model import load_tokenizer
    from shopmodels.sentiment.english.predictor import SentimentPredictor
    from shopmodels.sentiment.english.registry import load_sentiment, save_sentiment
    from shopmodels.sentiment.classifier import encode
    from shopmodels.sentiment.fine_tuning import predict_logits

    set_threads(threads)
    model, loaded = load_sentiment(checkpoint)
    tokenizer, temperature = load_tokenizer(), loaded.extra["temperature"]
    split = english_split(loaded.extra["split_seed"])
    console.print(f"Mixing {loaded.version} with a TF-IDF + logistic regression; choosing on "
                  f"{len(split.valid):,} validation reviews.")
    valid_logits = predict_logits(model, encode(tokenizer, split.valid["text"].tolist(), model.config.max_tokens))
    ensemble = fit_english_ensemble(split, valid_logits, temperature)
    choose_served_band(model, SentimentPredictor(model, tokenizer, temperature=temperature, version="unsaved",
                                                 device="cpu", ensemble=ensemble), split)
    facts = {key: value for key, value in loaded.extra.items() if key != "ensemble"}
    path = save_sentiment(registry, model, temperature=temperature, split_seed=split.seed, ensemble=ensemble,
                          extra={**facts, "mixed_from": loaded.version})
    describe_ensemble(ensemble)
    console.print(f"Saved checkpoint to [bold]{path}[/]")
