"""The English TF-IDF + LR baseline against two variants that also learn from the 3-star training reviews.

The served English labels are scored with the held-out 3-star reviews as the neutral class, and
``train sentiment`` trains MiniLM on the training part's 3-star reviews with the target 0.5. This
script asks how much of that a bag of words gets from the same reviews, every setting chosen on
validation (C x class weighting, as ``english/evaluation.py``'s ``BASELINE``):

- binary: the project's baseline (1-2 vs 4-5 stars; neutral band chosen on validation);
- soft: each 3-star review added twice, negative and positive at half weight (cross-entropy
  with the target 0.5, as MiniLM is trained); neutral band chosen on validation;
- three-class: 3 stars as a class of its own, the argmax served (no band).

It prints the validation and held-out served macro-F1 of every setting, then each variant's
validation choice. Run: ``python -m bench.tfidf_neutral`` (about a minute on 2 cores).
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score

from shopmodels.sentiment.corpora import english_split
from shopmodels.sentiment.english.evaluation import BASELINE
from shopmodels.sentiment.neutral_band import choose_band, served_part, served_scores


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    warnings.filterwarnings("ignore")
    split = english_split()
    binary, neutral = split.train, split.train_neutral
    train = pd.concat([binary, neutral])  # the three-class variant's training part
    valid, test = served_part(split.valid, split.valid_neutral), served_part(split.test, split.test_neutral)
    print(f"train {len(binary):,} binary + {len(neutral):,} 3-star; valid {len(valid):,}; test {len(test):,} "
          "(valid and test with their 3-star reviews)")
    results: dict[str, list[tuple[float, float, str]]] = {"binary": [], "soft": [], "three-class": []}
    for c in BASELINE.c_values:
        for weighting in BASELINE.class_weights:
            setting = f"C={c:g}, class_weight={weighting or 'none'}"
            model = BASELINE.pipeline(c, weighting).fit(binary["text"].tolist(), binary["label"].to_numpy())
            results["binary"].append((*banded(model, valid, test), setting))
            texts, labels, weights = soft_rows(binary, neutral, weighting)
            model = BASELINE.pipeline(c, None).fit(texts, labels, logreg__sample_weight=weights)
            results["soft"].append((*banded(model, valid, test), setting))
            model = BASELINE.pipeline(c, weighting).fit(train["text"].tolist(), train["label"].to_numpy())
            results["three-class"].append((*(f1_score(part["label"], model.predict(part["text"].tolist()),
                                                      average="macro") for part in (valid, test)), setting))
    for name, rows in results.items():
        for valid_f1, test_f1, setting in rows:
            print(f"{name:12s} {setting:32s} valid served macro-F1 {valid_f1:.4f}  held out {test_f1:.4f}")
    print("chosen on validation:")
    for name, rows in results.items():
        valid_f1, test_f1, setting = max(rows, key=lambda row: row[0])
        print(f"  {name:12s} {setting:32s} valid {valid_f1:.4f}  held-out served macro-F1 {test_f1:.4f}")


def soft_rows(binary, neutral, weighting: str | None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, labels and sample weights: the binary reviews, then each 3-star one as 0 and as 1 at half weight."""
    labels = np.concatenate([binary["label"].to_numpy(), np.zeros(len(neutral), int), np.ones(len(neutral), int)])
    weights = np.concatenate([np.ones(len(binary)), np.full(2 * len(neutral), 0.5)])
    if weighting == "balanced":  # as sklearn's "balanced", from the binary reviews' class counts
        counts = np.bincount(binary["label"].to_numpy(), minlength=2)
        weights = weights * (len(binary) / (2 * counts))[labels]
    return binary["text"].tolist() + neutral["text"].tolist() * 2, labels, weights


def banded(model, valid, test) -> tuple[float, float]:
    """Served macro-F1 on valid and test of ``model``'s P(positive), its band chosen on ``valid``."""
    band, valid_f1 = choose_band(model.predict_proba(valid["text"].tolist())[:, 1], valid["label"].to_numpy())
    served = band.class_ids(model.predict_proba(test["text"].tolist())[:, 1])
    return valid_f1, served_scores(test["label"].to_numpy(), served)[1]


if __name__ == "__main__":
    main()
