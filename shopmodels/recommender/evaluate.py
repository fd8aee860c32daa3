"""Leave-one-out evaluation of any scorer: HR@10 and NDCG@10, full ranking and sampled-100.

Full ranking: the target competes with every item except padding and the
items in the user's input sequence; ties count against the scorer.
Sampled-100 (the older, optimistic protocol, reported for comparison only):
the target competes with 100 items the user never interacted with, drawn
uniformly without replacement with a fixed seed, the same for every scorer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from shopmodels.recommender.baselines import Scorer, item_knn_scorer, popularity_scorer
from shopmodels.recommender.data import LeaveOneOutSplit, pad_left
from shopmodels.recommender.metrics import full_ranks, hit_rate, ndcg, sampled_ranks
from shopmodels.recommender.model import SASRec

CUTOFF = 10
SAMPLED_NEGATIVES = 100
_BATCH = 256


@dataclass(frozen=True)
class RankingReport:
    """One scorer's metrics on one set of targets (all fractions in [0, 1])."""

    name: str
    users: int
    hr_full: float  # HR@10, full ranking
    ndcg_full: float  # NDCG@10, full ranking
    hr_sampled: float | None  # HR@10 against 100 sampled negatives (None if not computed)
    ndcg_sampled: float | None  # NDCG@10 against 100 sampled negatives


def sasrec_scorer(model: SASRec) -> Scorer:
    """Score all items with ``model`` from each user's newest ``max_len`` input items."""

    def score(inputs: Sequence[Sequence[int]]) -> torch.Tensor:
        model.eval()
        with torch.inference_mode():
            item_seq = pad_left(inputs, model.config.max_len)  # [B, L]
            hidden_last = model(item_seq)[:, -1]  # [B, H]
            return model.full_sort_scores(hidden_last).float()  # [B, N + 1]

    return score


def sample_negatives(histories: Sequence[Sequence[int]], num_items: int, *, seed: int,
                     count: int = SAMPLED_NEGATIVES) -> torch.Tensor:
    """Draw ``count`` items per user from those outside their history: ``[U, count]``."""
    generator = torch.Generator().manual_seed(seed)
    rows = []
    for history in histories:
        allowed = torch.ones(num_items + 1, dtype=torch.bool)
        allowed[0] = False
        allowed[list(history)] = False
        pool = allowed.nonzero().squeeze(1)
        if len(pool) < count:
            raise ValueError(f"A user interacted with all but {len(pool)} of {num_items} items; "
                             f"cannot sample {count} negatives. Use a smaller count.")
        rows.append(pool[torch.randperm(len(pool), generator=generator)[:count]])
    return torch.stack(rows)


def evaluate_scorer(name: str, scorer: Scorer, inputs: Sequence[Sequence[int]], targets: Sequence[int],
                    negatives: torch.Tensor | None = None) -> RankingReport:
    """Rank every target with ``scorer`` and summarise HR@10 and NDCG@10."""
    full, sampled = [], []
    for start in range(0, len(inputs), _BATCH):
        batch_inputs = inputs[start:start + _BATCH]
        batch_targets = torch.tensor(targets[start:start + _BATCH], dtype=torch.long)
        scores = scorer(batch_inputs)  # [B, N + 1]
        full.append(full_ranks(scores, batch_targets, batch_inputs))
        if negatives is not None:
            sampled.append(sampled_ranks(scores, batch_targets, negatives[start:start + _BATCH]))
    full_rank = torch.cat(full)
    sampled_rank = torch.cat(sampled) if sampled else None
    return RankingReport(
        name=name, users=len(inputs),
        hr_full=hit_rate(full_rank, CUTOFF), ndcg_full=ndcg(full_rank, CUTOFF),
        hr_sampled=None if sampled_rank is None else hit_rate(sampled_rank, CUTOFF),
        ndcg_sampled=None if sampled_rank is None else ndcg(sampled_rank, CUTOFF),
    )  # fmt: skip


def validation_ndcg(scorer: Scorer, split: LeaveOneOutSplit) -> tuple[float, float]:
    """Return (HR@10, NDCG@10) on the validation targets, full ranking (for early stopping)."""
    report = evaluate_scorer("validation", scorer, split.valid_inputs(), split.valid_targets)
    return report.hr_full, report.ndcg_full


def compare_on_test(split: LeaveOneOutSplit, num_items: int, models: dict[str, Scorer], *,
                    seed: int = 0) -> list[RankingReport]:
    """Evaluate ``models`` and the popularity and item-kNN baselines on the test targets."""
    training = split.training_sequences()
    scorers = dict(models)
    scorers["Popularity"] = popularity_scorer(training, num_items)
    scorers["Item-kNN (cosine)"] = item_knn_scorer(training, num_items)
    negatives = sample_negatives(split.full_histories(), num_items, seed=seed)
    inputs, targets = split.test_inputs(), split.test_targets
    return [evaluate_scorer(name, scorer, inputs, targets, negatives) for name, scorer in scorers.items()]
