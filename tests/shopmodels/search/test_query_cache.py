"""A query is embedded once while it stays among the most recently used, and the vectors are the embedder's."""

import pytest
import torch

from shopmodels.search.query_cache import QueryVectors


class CountingEmbedder:
    """Embeds a text as [len(text), number of vowels] and remembers every text it was asked to embed."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: list[str]) -> torch.Tensor:
        self.asked.extend(texts)
        return torch.tensor([[len(t), sum(c in "aeiou" for c in t)] for t in texts], dtype=torch.float32)


def test_repeated_queries_are_embedded_once_and_come_back_in_order():
    embed = CountingEmbedder()
    queries = QueryVectors(embed)
    first = queries(["blade runner", "mystery", "blade runner"])
    second = queries(["mystery", "star wars"])
    assert embed.asked == ["blade runner", "mystery", "star wars"]
    assert torch.equal(first, embed(["blade runner", "mystery", "blade runner"]))
    assert torch.equal(second, embed(["mystery", "star wars"]))
    assert (queries.hits, queries.misses) == (2, 3)


def test_the_least_recently_used_query_is_forgotten_first():
    embed = CountingEmbedder()
    queries = QueryVectors(embed, size=2)
    queries(["a", "b"])
    queries(["a"])  # b is now the least recently used
    queries(["c"])
    assert len(queries) == 2
    embed.asked.clear()
    queries(["a", "c", "b"])
    assert embed.asked == ["b"]


def test_size_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        QueryVectors(CountingEmbedder(), size=0)
