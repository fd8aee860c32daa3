"""Training: seeded runs repeat exactly, and the best validation epoch's weights are kept."""

from dataclasses import replace

import torch

from shopmodels.recommender.data import leave_one_out
from shopmodels.recommender.evaluate import sasrec_scorer, validation_ndcg
from shopmodels.recommender.training import train_sasrec


def _split(toy_sequences):
    return leave_one_out({f"u{i}": items for i, items in enumerate(toy_sequences)})


def test_the_same_seed_gives_the_same_weights_and_history(tiny_config, toy_sequences):
    first = train_sasrec(tiny_config, _split(toy_sequences), progress=False)
    second = train_sasrec(tiny_config, _split(toy_sequences), progress=False)
    assert [r.loss for r in first.history] == [r.loss for r in second.history]
    for name, tensor in first.best_state.items():
        assert torch.equal(tensor, second.best_state[name])


def test_the_returned_model_holds_the_best_validation_epoch(tiny_config, toy_sequences):
    config = replace(tiny_config, epochs=4, patience=4, loss="gbce", num_negatives=3)
    split = _split(toy_sequences)
    result = train_sasrec(config, split, progress=False)
    assert len(result.history) == 4
    best = max(result.history, key=lambda record: record.valid_ndcg)
    assert result.best_valid_ndcg == best.valid_ndcg
    assert validation_ndcg(sasrec_scorer(result.model), split)[1] == best.valid_ndcg
