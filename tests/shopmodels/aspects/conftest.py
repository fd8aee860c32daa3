"""The real MiniLM model (loaded once) and the hand-labelled aspect clauses."""

import pytest

from shopmodels.aspects.evaluate import LabelledClause, load_labels
from shopmodels.search.embedder import TextEmbedder


@pytest.fixture(scope="session")
def embedder() -> TextEmbedder:
    """all-MiniLM-L6-v2 from the installed package, on the CPU (or CUDA where there is one)."""
    return TextEmbedder.from_package(device="auto")


@pytest.fixture(scope="session")
def labelled() -> list[LabelledClause]:
    """tests/shopmodels/aspects/data/aspect_labels.jsonl, read and checked by load_labels."""
    return load_labels()
