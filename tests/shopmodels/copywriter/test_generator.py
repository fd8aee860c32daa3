"""The real SmolLM2 writing for real catalog products: seeded, left-padded batches, the same text alone."""

import pytest
import torch

from shopmodels.copywriter.config import GenerationSettings
from shopmodels.copywriter.generator import SeededSampler, generate_batch_tokens, nucleus
from shopmodels.copywriter.guardrails import review_copy
from shopmodels.copywriter.prompt import render_prompt

SAMPLED = GenerationSettings(max_new_tokens=20, temperature=0.7, top_p=0.9, seed=11)


def test_settings_are_validated_with_every_problem_named():
    with pytest.raises(ValueError, match="max_new_tokens must be at least 1.*top_p must be in"):
        GenerationSettings(max_new_tokens=0, top_p=0)
    assert GenerationSettings(temperature=0).greedy and not GenerationSettings().greedy


def test_nucleus_keeps_the_smallest_set_reaching_top_p():
    probs = torch.tensor([[0.1, 0.6, 0.3]])
    assert torch.allclose(nucleus(probs, 0.5), torch.tensor([[0.0, 0.6, 0.0]]))
    assert torch.allclose(nucleus(probs, 0.85), torch.tensor([[0.0, 0.6, 0.3]]))
    assert torch.equal(nucleus(probs, 1.0), probs)


def test_each_row_samples_from_its_own_seeded_generator():
    torch.manual_seed(0)
    scores = torch.randn(3, 50)
    batch = SeededSampler(3, SAMPLED)(None, scores).argmax(1)
    alone = [SeededSampler(1, SAMPLED)(None, scores[i:i + 1]).argmax(1).item() for i in range(3)]
    assert batch.tolist() == alone
    chosen = SeededSampler(3, SAMPLED)(None, scores)
    assert (chosen == 0).sum().item() == 3 and torch.isinf(chosen).sum().item() == 3 * 49


def test_prompts_are_padded_on_the_left(copy_generator, replay_catalog, phone):
    prompts = [render_prompt(copy_generator.tokenizer, facts) for facts in (*replay_catalog, phone)]
    encoded = copy_generator.preprocess(prompts)
    mask = encoded["attention_mask"]  # [B, L]
    assert mask[:, -1].all() and not mask[:, 0].all()  # every prompt ends at the last column
    assert len(set(encoded["input_ids"][:, -1].tolist())) == 1  # the newline opening the assistant turn


def test_real_products_get_the_same_seeded_text_alone_and_in_a_left_padded_batch(copy_generator, replay_catalog,
                                                                                  phone):
    products = [*replay_catalog, phone]
    batch = copy_generator.generate(products, SAMPLED, batch_size=3)
    alone = [copy_generator.generate([facts], SAMPLED)[0] for facts in products]
    assert [c.text for c in batch] == [c.text for c in alone]
    for copy in batch:
        assert copy.text and 1 <= copy.new_tokens <= 20
        assert copy.model_version.startswith("smollm2-135m-instruct-q4_1@")
        assert copy.generation() == {**SAMPLED.to_dict(), "new_tokens": copy.new_tokens,
                                     "stopped": "end_of_turn" if copy.stopped else "max_new_tokens"}
        assert review_copy(copy.text, products[batch.index(copy)], finished=copy.stopped).checks  # checkable
    reseeded = copy_generator.generate([replay_catalog[0]], GenerationSettings(**{**SAMPLED.to_dict(), "seed": 12}))
    assert reseeded[0].text != batch[0].text


def test_greedy_decoding_matches_alone_and_in_a_batch(copy_generator, replay_catalog, phone):
    greedy = GenerationSettings(max_new_tokens=12, temperature=0)
    batch = copy_generator.generate([replay_catalog[1], phone], greedy)
    assert [c.text for c in batch] == [copy_generator.generate([f], greedy)[0].text for f in (replay_catalog[1], phone)]


def test_the_benchmark_hook_counts_generated_tokens(copy_generator, phone, replay_catalog):
    tokens = generate_batch_tokens(copy_generator, [phone, replay_catalog[0]], GenerationSettings(max_new_tokens=6))
    assert 2 <= tokens <= 12


def test_a_set_stop_event_ends_generation_without_returning_half_written_copy(copy_generator, phone):
    import threading

    from shopmodels.copywriter.generator import GenerationStopped

    stop = threading.Event()
    stop.set()  # e.g. the worker began to shut down
    with pytest.raises(GenerationStopped):
        copy_generator.generate([phone], GenerationSettings(max_new_tokens=200, temperature=0), stop=stop)
    finished = copy_generator.generate([phone], GenerationSettings(max_new_tokens=5, temperature=0),
                                       stop=threading.Event())
    assert len(finished) == 1 and finished[0].new_tokens <= 5
