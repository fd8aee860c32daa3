"""``shopstream train sentiment-zh-average``: several ``train sentiment-zh`` runs served as one model.

Each checkpoint is a fine-tuned multilingual-e5-small of the same recipe (other ``--seed``s);
this command averages their calibrated log-odds (``averaging.py``), then fits the average's
temperature, its mix with the character n-gram TF-IDF + LR (``ensemble.py``; the first
member's, fitted on the same training part) and its neutral band on the validation part, and
saves the whole as a new version: the stream serves it like any ``sentiment-zh`` checkpoint. No
fine-tuning: each member reads the validation reviews once. The test part stays unseen.
Mounted in ``shopmodels/commands.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from shopmodels.cli_support import THREADS, console, fail, set_threads
from shopmodels.sentiment.commands import REGISTRY, choose_served_band, describe_ensemble

if TYPE_CHECKING:
    from shopmodels.checkpoints import Checkpoint
    from shopmodels.sentiment.averaging import ClassifierAverage
    from shopmodels.sentiment.chinese.e5_tokenizer import E5Tokenizer
    from shopmodels.sentiment.chinese.e5_weights import E5Weights
    from shopmodels.sentiment.chinese.ensemble import ChineseEnsemble
    from shopmodels.sentiment.split import SentimentSplit


def average_chinese_command(
    checkpoint: list[Path] = typer.Option(..., exists=True, dir_okay=False,
                                          help="A `train sentiment-zh` checkpoint; give two or more (other "
                                               "--seed's, same split)."),
    registry: Path = REGISTRY,
    threads: Optional[int] = THREADS,
) -> None:
    """Average fine-tuned multilingual-e5-small checkpoints into one model, mix it with the TF-IDF + LR, save it.

    Every checkpoint must be a single fine-tuned model trained on the
    same split (the same split seed and --max-tokens); typically the same
    recipe with other --seed values. The average's temperature, its mix
    weight with the first member's character 1-3-gram TF-IDF + LR and its
    neutral band are chosen on the validation part. A few minutes on a
    CPU; serving costs one e5 forward pass per member.
    """
    from shopmodels.sentiment.corpora import e5_model

    set_threads(threads)
    weights, tokenizer = e5_model()
    try:
        average_checkpoints(checkpoint, registry, weights, tokenizer)
    except ValueError as exc:
        fail(str(exc))


def average_checkpoints(paths: list[Path], registry: Path, weights: E5Weights, tokenizer: E5Tokenizer,
                        split: SentimentSplit | None = None) -> Path:
    """Average the checkpoints at ``paths``, fit the rest on ``split.valid`` and save it to ``registry``; its path.

    ``split`` defaults to the members' own split (it must be the one they were trained on);
    raises ``ValueError``, before any model reads a review, when the checkpoints cannot be averaged.
    """
    from shopmodels.sentiment.averaging import ClassifierAverage
    from shopmodels.sentiment.chinese.evaluation import neural_side
    from shopmodels.sentiment.chinese.registry import load_chinese_sentiment, save_chinese_sentiment
    from shopmodels.sentiment.corpora import chinese_split

    loaded = [load_chinese_sentiment(path, weights) for path in paths]
    if any(isinstance(model, ClassifierAverage) for model, _ in loaded):
        raise ValueError("One checkpoint is already an average; give the single models it was made of.")
    seeds = {stored.extra["split_seed"] for _, stored in loaded} | ({split.seed} if split is not None else set())
    if len(seeds) > 1:
        raise ValueError(f"The checkpoints were trained on different splits (split seeds {sorted(seeds)}); "
                         "average models of one split, so that validation and test stay unseen by all.")
    average = ClassifierAverage([model for model, _ in loaded], [stored.extra["temperature"] for _, stored in loaded])
    split = split if split is not None else chinese_split(seeds.pop())
    console.print(f"Averaging {', '.join(stored.version for _, stored in loaded)}; choosing on "
                  f"{len(split.valid):,} validation reviews.")
    temperature, ensemble = _fit_on_validation(average, loaded[0][1], split, tokenizer)
    path = save_chinese_sentiment(registry, average, weights, temperature=temperature, split_seed=split.seed,
                                  ensemble=ensemble, members=[{"version": stored.version, "seed": stored.config["seed"]}
                                                              for _, stored in loaded])
    describe_ensemble(ensemble, ensemble.describe(neural_side(average)))
    console.print(f"Saved checkpoint to [bold]{path}[/]")
    return path


def _fit_on_validation(average: ClassifierAverage, first: Checkpoint, split: SentimentSplit,
                       tokenizer: E5Tokenizer) -> tuple[float, ChineseEnsemble]:
    """The average's temperature and its mix with ``first``'s TF-IDF + LR on ``split.valid``; sets its neutral band."""
    import torch

    from shopmodels.sentiment.averaging import average_logits
    from shopmodels.sentiment.chinese.ensemble import fit_ensemble
    from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
    from shopmodels.sentiment.chinese.registry import load_ensemble
    from shopmodels.sentiment.classifier import encode
    from shopmodels.sentiment.fine_tuning import predict_logits
    from shopmodels.sentiment.training import fit_temperature

    valid_ids = encode(tokenizer, split.valid["text"].tolist(), average.config.max_tokens)
    valid_logits = average_logits([predict_logits(member, valid_ids, tokenizer.pad_token_id)
                                   for member in average.members], average.temperatures)
    temperature = fit_temperature(valid_logits, torch.tensor(split.valid["label"].to_numpy()))
    fitted = load_ensemble(first)  # the first member's TF-IDF + LR, fitted on the same training part
    ensemble = fit_ensemble(split, valid_logits, temperature, None if fitted is None else fitted.linear)
    choose_served_band(average, ChineseSentimentPredictor(average, tokenizer, device="cpu", temperature=temperature,
                                                          version="unsaved", ensemble=ensemble), split)
    return temperature, ensemble
