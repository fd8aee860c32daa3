"""SASRec: shapes, causality, padding, and that a few steps of training lower the loss."""

from dataclasses import replace

import pytest
import torch

from shopmodels.recommender.data import training_windows
from shopmodels.recommender.model import SASRec


def test_forward_and_scores_have_documented_shapes(tiny_config):
    model = SASRec(tiny_config).eval()
    item_seq = torch.tensor([[0, 0, 1, 2, 3, 4], [5, 6, 7, 8, 9, 10]])
    hidden = model(item_seq)
    scores = model.full_sort_scores(hidden[:, -1])
    assert hidden.shape == (2, 6, tiny_config.hidden)
    assert scores.shape == (2, tiny_config.num_items + 1)
    assert torch.isneginf(scores[:, 0]).all() and torch.isfinite(scores[:, 1:]).all()


def test_a_future_item_never_changes_an_earlier_position(tiny_config):
    model = SASRec(tiny_config).eval()
    item_seq = torch.tensor([[0, 1, 2, 3, 4, 5]])
    changed = item_seq.clone()
    changed[0, 4] = 11
    with torch.no_grad():
        before, after = model(item_seq), model(changed)
    torch.testing.assert_close(before[:, :4], after[:, :4])
    assert not torch.allclose(before[:, 4:], after[:, 4:])


def test_the_amount_of_left_padding_does_not_change_the_newest_state(tiny_config):
    model = SASRec(tiny_config).eval()
    with torch.no_grad():
        short = model(torch.tensor([[3, 4, 5]]))[:, -1]
        padded = model(torch.tensor([[0, 0, 0, 3, 4, 5]]))[:, -1]
    torch.testing.assert_close(short, padded)


def test_sequences_longer_than_max_len_are_refused(tiny_config):
    with pytest.raises(ValueError, match="max_len"):
        SASRec(tiny_config)(torch.ones(1, tiny_config.max_len + 1, dtype=torch.long))


@pytest.mark.parametrize("loss", ["softmax", "gbce"])
def test_a_few_steps_lower_a_finite_loss(tiny_config, toy_sequences, loss):
    config = replace(tiny_config, loss=loss, num_negatives=5, dropout=0.0)
    torch.manual_seed(0)
    model = SASRec(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    inputs, targets = training_windows(toy_sequences, config.max_len)
    negatives = torch.randint(1, config.num_items + 1, (*inputs.shape, config.num_negatives))
    losses = []
    for _ in range(15):
        loss_value = model.calculate_loss(inputs, targets, negatives if loss == "gbce" else None)
        optimizer.zero_grad()
        loss_value.backward()
        optimizer.step()
        losses.append(loss_value.item())
    assert all(torch.isfinite(torch.tensor(losses)))
    assert losses[-1] < 0.8 * losses[0]


def test_gbce_without_negatives_says_what_to_pass(tiny_config):
    model = SASRec(replace(tiny_config, loss="gbce"))
    with pytest.raises(ValueError, match="negatives"):
        model.calculate_loss(torch.tensor([[1, 2]]), torch.tensor([[2, 3]]))
