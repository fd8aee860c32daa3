"""Training and pretraining steps on a handful of real reviews, batching, and the time budget."""

import math
from dataclasses import replace

import pandas as pd
import torch

from shopmodels.sentiment.chinese.features import SPECIAL_TOKENS, Featurizer
from shopmodels.sentiment.chinese.model import ChineseSentimentModel
from shopmodels.sentiment.chinese.pretraining import IGNORE, mask_tokens, pretrain_tokens
from shopmodels.sentiment.chinese.training import fit_mix, train_chinese_sentiment
from shopmodels.sentiment.optimisation import length_grouped_batches
from shopmodels.sentiment.split import SentimentSplit


def _handful(split: SentimentSplit, train: int = 16, valid: int = 8) -> SentimentSplit:
    """The first reviews of each class: a tiny split that still holds both labels."""
    def both(frame: pd.DataFrame, n: int) -> pd.DataFrame:
        return frame.groupby("label").head(n // 2).sort_index()
    return replace(split, train=both(split.train, train), valid=both(split.valid, valid))


def test_a_short_run_on_real_reviews_has_a_finite_loss_and_calibrates(split, tokenizer, tiny_config):
    result = train_chinese_sentiment(_handful(split), tokenizer, tiny_config, progress=False)
    assert result.steps == 2 and [record.step for record in result.history] == [2]
    record = result.history[0]
    assert math.isfinite(record.loss) and all(0 <= f1 <= 1 for f1 in record.valid_macro_f1.values())
    assert {branch: best.epoch for branch, best in result.best.items()} == {"token": 1, "ngram": 1}
    assert result.stopped_because == "reached the epoch limit" and 0 <= result.valid_accuracy <= 1
    assert 0.05 <= result.temperature <= 20 and 0 <= float(result.model.branch_weight) <= 2
    assert not result.model.training
    assert len(result.vocabulary) == result.model.vocabulary_size > SPECIAL_TOKENS


def test_a_branch_that_stops_improving_stops_training_and_keeps_its_best_epoch(split, tokenizer, tiny_config):
    config = replace(tiny_config, epochs=4, patience=1)
    result = train_chinese_sentiment(_handful(split, train=24, valid=16), tokenizer, config, progress=False)
    for branch, best in result.best.items():
        scores = [record.valid_macro_f1[branch] for record in result.history]
        assert best.macro_f1 == max(scores) and best.epoch == 1 + scores.index(max(scores))
        assert all(record.epoch - best.epoch <= 1 for record in result.history)  # ran one epoch past the best at most
    assert len(result.history) == 4 or result.stopped_because.startswith("neither branch improved")


def test_fit_mix_weighs_down_a_branch_that_only_adds_noise():
    torch.manual_seed(0)
    labels = torch.randint(0, 2, (600,))
    sign = torch.nn.functional.one_hot(labels, 2).float() * 2 - 1  # [N, 2], right every time
    ngram = sign * 1.5 + torch.randn(600, 2)  # informative
    token = torch.randn(600, 2) * 3  # noise
    alpha, temperature = fit_mix(token, ngram, labels)
    assert alpha <= 0.1 and 0.05 <= temperature <= 20
    alpha, _ = fit_mix(ngram, token, labels)  # the informative logits now come first
    assert alpha >= 1


def test_a_step_changes_both_branches(split, tokenizer, tiny_config):
    result = train_chinese_sentiment(_handful(split), tokenizer, tiny_config, progress=False)
    torch.manual_seed(tiny_config.seed)  # training seeds torch like this before it builds its model
    untrained = ChineseSentimentModel(tiny_config, len(result.vocabulary))
    for name in ("token_head.weight", "ngram_head.weight", "encoder.layers.0.linear1.weight", "ngram_table.weight"):
        assert not torch.equal(untrained.state_dict()[name], result.model.state_dict()[name]), name


def test_a_spent_time_budget_stops_after_one_step_with_a_validation_pass(split, tokenizer, tiny_config):
    result = train_chinese_sentiment(_handful(split, train=32), tokenizer, tiny_config, progress=False,
                                     time_budget_s=0)
    assert result.steps == 1 and len(result.history) == 1
    assert result.stopped_because == "time budget of 0 s spent"


def test_masking_picks_only_real_tokens_and_zero_pretraining_epochs_change_nothing(split, tokenizer, vocabulary,
                                                                            tiny_model):
    examples = Featurizer(tokenizer, vocabulary, tiny_model.config).examples(split.train["text"].head(16).tolist())
    token_ids = torch.tensor([[5, 6, 7, 0], [8, 1, 0, 0]])
    inputs, targets = mask_tokens(token_ids, 0.99, len(vocabulary), torch.Generator().manual_seed(0))
    chosen = targets != IGNORE
    assert (token_ids[chosen] >= SPECIAL_TOKENS).all() and chosen.sum() == 4  # PAD and UNK are never chosen
    assert torch.equal(inputs[~chosen], token_ids[~chosen])
    before = tiny_model.token_embedding.weight.detach().clone()
    losses = pretrain_tokens(tiny_model.train(), examples, torch.Generator().manual_seed(0))  # 0 epochs: nothing
    assert losses == [] and torch.equal(before, tiny_model.token_embedding.weight)


def test_pretraining_an_epoch_gives_a_finite_loss_and_moves_the_embeddings(split, tokenizer, vocabulary, tiny_config):
    config = replace(tiny_config, pretrain_epochs=1)
    model = ChineseSentimentModel(config, len(vocabulary))
    examples = Featurizer(tokenizer, vocabulary, config).examples(split.train["text"].head(16).tolist())
    before = model.token_embedding.weight.detach().clone()
    losses = pretrain_tokens(model, examples, torch.Generator().manual_seed(0))
    assert len(losses) == 1 and math.isfinite(losses[0]) and losses[0] > 0
    assert not torch.equal(before, model.token_embedding.weight)


def test_length_grouped_batches_cover_every_review_once_and_are_seeded():
    lengths = [5, 90, 7, 40, 33, 12, 64, 8, 3, 70]
    first = length_grouped_batches(lengths, 4, torch.Generator().manual_seed(1))
    again = length_grouped_batches(lengths, 4, torch.Generator().manual_seed(1))
    assert sorted(i for batch in first for i in batch) == list(range(10)) and first == again
