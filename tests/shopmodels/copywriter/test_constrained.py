"""Constrained decoding with the real SmolLM2: every word it spells is a word of the facts or the vocabulary."""

from shopmodels.copywriter import words
from shopmodels.copywriter.config import GenerationSettings
from shopmodels.copywriter.constrained import allowed_words, generate_constrained
from shopmodels.copywriter.guardrails import review_copy
from shopmodels.copywriter.support import sentence_verdicts

SHORT = GenerationSettings(max_new_tokens=40, temperature=0.0)


def test_every_word_written_is_allowed_and_the_checks_still_judge_the_copy(copy_generator, replay_catalog, phone):
    products = [replay_catalog[0], phone]  # Star Wars from the real catalog, and the phone
    drafts = generate_constrained(copy_generator, products, SHORT)
    assert [d.model_version for d in drafts] == [copy_generator.version] * 2
    for facts, draft in zip(products, drafts):
        allowed, numbers = allowed_words(facts)
        written = [word.lower() for word in words.words(draft.text)]
        assert written, draft
        # Every finished word is allowed; the last may be unfinished (cut off by max_new_tokens, or the
        # turn ended because nothing allowed was likely), but then it starts an allowed word.
        *finished, last = written
        assert [word for word in finished if word not in allowed and word not in numbers] == []
        assert any(word.startswith(last) for word in allowed | numbers), last
        review = review_copy(draft.text, facts, finished=draft.stopped)
        # Decoding keeps words honest; only the support check speaks for whole sentences.
        assert review.published == all(check.passed for check in review.checks)
        assert all(pieces == [] for _, pieces in sentence_verdicts(draft.text, facts)) or not review.published
