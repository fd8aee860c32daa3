"""Ranks, HR@K and NDCG@K on examples worked out by hand (ties count against the model)."""

import math

import pytest
import torch

from shopmodels.recommender.baselines import item_knn_scorer, popularity_scorer
from shopmodels.recommender.evaluate import evaluate_scorer, sample_negatives
from shopmodels.recommender.metrics import full_ranks, hit_rate, ndcg, sampled_ranks

# Columns: padding, items 1..5.
SCORES = torch.tensor([[0.0, 0.9, 0.5, 0.5, 0.1, 0.7],
                       [0.0, 0.9, 0.5, 0.5, 0.1, 0.7]])  # fmt: skip
TARGETS = torch.tensor([3, 5])
INPUTS = [[1], []]


def test_full_rank_skips_input_items_and_counts_ties_against_the_model():
    # User 0: item 1 is an input (excluded); item 2 ties with target 3 and item 5 beats it -> rank 3.
    # User 1: only item 1 beats target 5 -> rank 2.
    ranks = full_ranks(SCORES, TARGETS, INPUTS)
    assert ranks.tolist() == [3, 2]
    assert ndcg(ranks, k=10) == pytest.approx((1 / math.log2(4) + 1 / math.log2(3)) / 2)
    assert hit_rate(ranks, k=10) == 1.0
    assert hit_rate(ranks, k=2) == 0.5
    assert ndcg(ranks, k=1) == 0.0


def test_sampled_rank_compares_only_with_the_sampled_negatives():
    ranks = sampled_ranks(SCORES, TARGETS, torch.tensor([[2, 4], [4, 1]]))
    assert ranks.tolist() == [2, 2]


def test_a_constant_scorer_ranks_last_because_ties_count_against_it():
    report = evaluate_scorer("constant", lambda inputs: torch.zeros(len(inputs), 6), INPUTS, [3, 5])
    assert report.hr_full == 1.0  # 5 candidates at most, so even last place is in the top 10
    assert report.ndcg_full == pytest.approx((1 / math.log2(5) + 1 / math.log2(6)) / 2)


def test_popularity_counts_training_interactions():
    scores = popularity_scorer([[1, 2], [2, 3], [2]], num_items=4)([[1]])
    assert scores[0, 1:].tolist() == [1.0, 3.0, 1.0, 0.0]


def test_item_knn_sums_cosine_similarities_to_the_input_items():
    scores = item_knn_scorer([[1, 2], [1, 2], [3], [1, 3]], num_items=3)([[1]])
    # item 1 is seen by users {0, 1, 3}, item 2 by {0, 1}, item 3 by {2, 3}.
    assert scores[0, 2].item() == pytest.approx(2 / math.sqrt(3 * 2))
    assert scores[0, 3].item() == pytest.approx(1 / math.sqrt(3 * 2))


def test_sampled_negatives_avoid_the_history_and_repeat_with_the_seed():
    histories = [[1, 2, 3], [4, 5]]
    negatives = sample_negatives(histories, num_items=10, seed=3, count=5)
    assert negatives.shape == (2, 5)
    for row, history in zip(negatives.tolist(), histories):
        assert len(set(row)) == 5 and not set(row) & set(history) and 0 not in row
    assert torch.equal(negatives, sample_negatives(histories, num_items=10, seed=3, count=5))
