"""The predictor: exclusions never leak into the top k; unknown ids and empty histories are safe."""

import pytest
import torch

from shopmodels.recommender.model import SASRec
from shopmodels.recommender.predictor import HistoryQuery, RecommenderPredictor
from shopmodels.recommender.registry import save_sasrec
from shopmodels.recommender.vocabulary import Vocabulary


@pytest.fixture
def predictor(tiny_config, tmp_path) -> RecommenderPredictor:
    torch.manual_seed(0)
    vocabulary = Vocabulary([f"p{i}" for i in range(1, tiny_config.num_items + 1)])
    path = save_sasrec(tmp_path, SASRec(tiny_config), vocabulary)
    return RecommenderPredictor.from_checkpoint(path, device="cpu")


def test_seen_excluded_and_just_viewed_products_are_never_recommended(predictor):
    requests = [
        HistoryQuery(history=["p1", "p2", "p3"], exclude=["p7", "p8"]),
        HistoryQuery(history=["p4", "p5"], exclude=["p9"], exclude_history=False),
    ]
    first, second = predictor.recommend(requests, k=12)
    assert not {"p1", "p2", "p3", "p7", "p8"} & {product for product, _ in first}
    assert len(first) == 12 - 5
    assert not {"p5", "p9"} & {product for product, _ in second}  # p5 was just viewed
    assert len(second) == 12 - 2
    assert [score for _, score in first] == sorted((score for _, score in first), reverse=True)


def test_unknown_products_are_skipped_and_an_empty_history_gives_nothing(predictor):
    unknown_mixed, only_unknown, empty = predictor.recommend([
        HistoryQuery(history=["p1", "brand-new-sku", "p2"], exclude=["also-unknown"]),
        HistoryQuery(history=["brand-new-sku"]),
        HistoryQuery(history=[]),
    ], k=3)  # fmt: skip
    assert unknown_mixed == predictor.recommend([HistoryQuery(history=["p1", "p2"])], k=3)[0]
    assert only_unknown == [] and empty == []


def test_results_do_not_depend_on_batch_neighbours(predictor):
    alone = predictor.recommend([HistoryQuery(history=["p3"])], k=4)[0]
    batched = predictor.recommend([HistoryQuery(history=["p1", "p2", "p4", "p5", "p6", "p7", "p8"]),
                                   HistoryQuery(history=["p3"])], k=4)[1]
    assert [product for product, _ in alone] == [product for product, _ in batched]
    assert [score for _, score in alone] == pytest.approx([score for _, score in batched], abs=1e-5)


def test_anchors_name_the_recent_history_product_with_the_closest_item_embedding(predictor):
    weights = predictor.model.item_embedding.weight.detach()
    vocab = predictor.vocabulary
    history, recommended = ["p1", "p2", "p3"], ["p4", "p5", "p6", "unknown-sku"]
    anchors, short, unknown, empty = predictor.anchors([
        (history, recommended),
        (["p1", "p2", "p3", "p4", "p5", "p6", "p7"], ["p8"]),
        (["unknown-sku"], ["p4"]),
        (["p1"], []),
    ], recent=3)  # fmt: skip
    assert set(anchors) == {"p4", "p5", "p6"}  # unknown products have no embedding to compare
    for product, anchor in anchors.items():
        cosines = {past: torch.nn.functional.cosine_similarity(weights[vocab.index(product)],
                                                               weights[vocab.index(past)], dim=0).item()
                   for past in history}
        assert anchor == max(cosines, key=cosines.get)
    assert set(short) == {"p8"} and short["p8"] in {"p5", "p6", "p7"}  # only the 3 newest count
    assert unknown == {} and empty == {}
    alone = predictor.anchors([(history, recommended)], recent=3)[0]
    assert alone == anchors  # batch neighbours and their padding change nothing
