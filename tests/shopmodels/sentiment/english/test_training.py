"""Training steps on a handful of real reviews, batching, early stopping and the temperature."""

from dataclasses import replace

import pytest
import torch

from shopmodels.sentiment.english.config import SentimentConfig
from shopmodels.sentiment.fine_tuning import _class_weights, _encode_split, _epoch_batches, train_sentiment
from shopmodels.sentiment.split import SentimentSplit
from shopmodels.sentiment.training import fit_temperature


def _handful(split: SentimentSplit, train: int = 8, valid: int = 8) -> SentimentSplit:
    """The first reviews of each class: a tiny split that still holds both labels."""
    def both(frame, n):
        return frame.groupby("label").head(n // 2).sort_index()
    return replace(split, train=both(split.train, train), valid=both(split.valid, valid))


def test_a_short_run_on_real_reviews_has_a_finite_loss_and_changes_the_weights(minilm_classifier, tokenizer, split):
    before = minilm_classifier.head.weight.detach().clone()
    result = train_sentiment(minilm_classifier, tokenizer, _handful(split), progress=False)

    assert result.steps == 2 and [record.step for record in result.history] == [2]
    record = result.history[0]
    assert torch.isfinite(torch.tensor(record.loss)) and 0 <= record.valid_macro_f1 <= 1
    assert result.best_step == 2 and result.stopped_because == "reached the epoch limit"
    assert 0.05 <= result.temperature <= 20
    assert not torch.equal(before, minilm_classifier.head.weight) and not minilm_classifier.training


def test_a_spent_time_budget_stops_after_one_step_with_a_validation_pass(tiny_classifier, tokenizer, split):
    result = train_sentiment(tiny_classifier, tokenizer, _handful(split, train=16), progress=False, time_budget_s=0)
    assert result.steps == 1 and len(result.history) == 1
    assert result.stopped_because == "time budget of 0 s spent"


def test_train_neutral_adds_the_three_star_training_reviews_with_the_target_one_half(tokenizer, split):
    small = replace(_handful(split), train_neutral=split.train_neutral.head(3))
    binary = _encode_split(tokenizer, small, SentimentConfig(max_tokens=16, train_neutral=False))
    assert binary.train_targets.tolist() == [[1.0, 0.0] if label == 0 else [0.0, 1.0]
                                             for label in small.train["label"]]
    both = _encode_split(tokenizer, small, SentimentConfig(max_tokens=16, train_neutral=True))
    assert both.train_targets.tolist() == binary.train_targets.tolist() + [[0.5, 0.5]] * 3
    assert both.train_ids[:len(small.train)] == binary.train_ids
    assert both.train_ids[len(small.train):] == tokenizer(small.train_neutral["text"].tolist(), truncation=True,
                                                         max_length=16)["input_ids"]
    # 1.5 negatives and 2.5 positives in 4 reviews: each class's weight is 4 / (2 * its count)
    weights = _class_weights(torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.5, 0.5]]))
    assert weights.tolist() == pytest.approx([4 / 3, 0.8])


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.skipif(
    not torch.cuda.is_available(), reason="no CUDA device here"))])
def test_training_on_a_device_returns_the_model_and_its_best_weights_on_the_cpu(tiny_classifier, tokenizer, split,
                                                                                 device):
    result = train_sentiment(tiny_classifier, tokenizer, _handful(split), progress=False, device=device)
    assert result.steps == 2 and torch.isfinite(torch.tensor(result.history[0].loss))
    assert {tensor.device.type for tensor in result.best_state.values()} == {"cpu"}
    assert {parameter.device.type for parameter in result.model.parameters()} == {"cpu"}
    assert result.best_valid_logits.shape == (len(_handful(split).valid), 2)


def test_epoch_batches_cover_every_review_once_and_are_seeded():
    config = SentimentConfig(batch_size=4)
    lengths = [5, 90, 7, 40, 33, 12, 64, 8, 3, 70]
    first = _epoch_batches(lengths, config, torch.Generator().manual_seed(1))
    again = _epoch_batches(lengths, config, torch.Generator().manual_seed(1))
    assert sorted(torch.cat(first).tolist()) == list(range(10))
    assert [batch.tolist() for batch in first] == [batch.tolist() for batch in again]


def test_temperature_softens_overconfident_logits_and_sharpens_timid_ones():
    torch.manual_seed(0)
    labels = torch.randint(0, 2, (400,))
    right = torch.rand(400) < 0.8  # 80% correct
    predicted = torch.where(right, labels, 1 - labels)
    sign = torch.nn.functional.one_hot(predicted, 2).float() * 2 - 1  # [N, 2]
    assert fit_temperature(sign * 10, labels) > 2  # too sure of 20% mistakes
    assert fit_temperature(sign * 0.1, labels) < 0.5  # far too unsure of 80% hits
