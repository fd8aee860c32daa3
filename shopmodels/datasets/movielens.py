"""Load MovieLens-100k (GroupLens) from RecBole's atomic files.

The files come out of the ``recbole==1.2.1`` wheel (see ``fetch.py``). They
are tab-separated, with typed headers such as ``user_id:token`` and
``rating:float``: 100,000 ratings (1-5) with Unix timestamps by 943 users of
1,682 movies, each user having rated at least 20 movies.

Origin: F. Maxwell Harper and Joseph A. Konstan, "The MovieLens Datasets:
History and Context", ACM TiiS 5(4), 2015; https://grouplens.org/datasets/movielens/.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from shopmodels.datasets.fetch import DatasetPaths

# The one item whose title and year RecBole's file spells "unkonwn" (item 267).
_MISSING_MARKERS = frozenset({"unkonwn", "unknown", ""})
_YEAR_IN_TITLE = r"\s*\((\d{4})\)$"


@dataclass(frozen=True)
class MovieLens:
    """MovieLens-100k as three pandas DataFrames.

    interactions: user_id, item_id, rating (1-5), timestamp (Unix seconds), all
        int64, sorted by (user_id, timestamp, item_id).
    items: item_id (int64), title (str, missing for item 267), year (Int64,
        nullable), genres (list[str], at least one, alphabetical as in the file);
        sorted by item_id.
    users: user_id, age (int64), gender, occupation, zip_code; sorted by user_id.
    """

    interactions: pd.DataFrame
    items: pd.DataFrame
    users: pd.DataFrame


def load_movielens(paths: DatasetPaths) -> MovieLens:
    """Read MovieLens-100k from the cached RecBole files in ``paths``."""
    return MovieLens(
        interactions=_load_interactions(paths.movielens_interactions),
        items=_load_items(paths.movielens_items),
        users=_load_users(paths.movielens_users),
    )


def _read_atomic(path: Path) -> pd.DataFrame:
    """Read a RecBole atomic file as strings, dropping the ``:type`` suffixes."""
    frame = pd.read_csv(
        path,
        sep="\t",
        dtype=str,
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        encoding="utf-8",
    )
    return frame.rename(columns=lambda header: header.split(":", 1)[0])


def _load_interactions(path: Path) -> pd.DataFrame:
    """Return the ratings with integer columns, in per-user time order."""
    raw = _read_atomic(path)
    frame = pd.DataFrame(
        {column: _as_int(raw[column], path, column) for column in
         ("user_id", "item_id", "rating", "timestamp")}
    )  # fmt: skip
    frame = frame.sort_values(["user_id", "timestamp", "item_id"], kind="stable")
    return frame.reset_index(drop=True)


def _load_items(path: Path) -> pd.DataFrame:
    """Return the movies with title, release year and genre list."""
    raw = _read_atomic(path)
    title = raw["movie_title"].where(~raw["movie_title"].isin(_MISSING_MARKERS))
    # RecBole split item 1412's "... (1995) (V)" so its year reads "V" and the
    # "(1995)" stayed in the title: take the year from there and tidy the title.
    bad_year = ~raw["release_year"].str.fullmatch(r"\d{4}")
    year_from_title = title.str.extract(_YEAR_IN_TITLE, expand=False).where(bad_year)
    year = raw["release_year"].where(~bad_year).fillna(year_from_title)
    title = title.where(
        year_from_title.isna(), title.str.replace(_YEAR_IN_TITLE, "", regex=True)
    )
    frame = pd.DataFrame(
        {
            "item_id": _as_int(raw["item_id"], path, "item_id"),
            "title": title,
            "year": pd.to_numeric(year).astype("Int64"),
            "genres": raw["class"].str.split(),
        }
    )
    return frame.sort_values("item_id").reset_index(drop=True)


def _load_users(path: Path) -> pd.DataFrame:
    """Return the users' demographics as given by GroupLens."""
    raw = _read_atomic(path)
    frame = raw.assign(
        user_id=_as_int(raw["user_id"], path, "user_id"),
        age=_as_int(raw["age"], path, "age"),
    )
    return frame.sort_values("user_id").reset_index(drop=True)


def _as_int(column: pd.Series, path: Path, name: str) -> pd.Series:
    """Convert a text column of whole numbers (``3`` or ``3.0``) to int64."""
    numbers = pd.to_numeric(column, errors="raise")
    if not (numbers == numbers.round()).all():
        raise ValueError(f"{path}: column {name!r} holds non-integer values")
    return numbers.astype("int64")
