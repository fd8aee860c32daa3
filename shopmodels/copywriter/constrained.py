"""Constrained decoding: SmolLM2 may only spell words of the product's facts and the claim-free vocabulary.

At every step ``FactWordsOnly`` looks at the model's ``TOP_K`` likeliest next tokens and keeps those
that continue the copy into an allowed word: a token that starts a new word must start an allowed
word (and the word it ends must be complete), a token inside a word must keep it a prefix of an
allowed word, digits must spell a prefix of a number of the facts. Everything else gets -inf, so
greedy decoding picks the likeliest allowed token; the turn may end by itself only after a
whole word, and is ended when none of the ``TOP_K`` is allowed (then possibly mid-word: the
support check refuses such copy as unfinished). Allowed words: the words of ``support.fact_texts`` (with a plural ``s``) and
of ``vocabulary``. The support check still runs on the result: decoding keeps each word honest,
not each sentence (an allowed word in a wrong place, an unfinished sentence).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import torch

from shopmodels.copywriter import words
from shopmodels.copywriter.config import GenerationSettings
from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.generator import CopyGenerator, GeneratedCopy, GenerationStopped
from shopmodels.copywriter.prompt import render_prompt
from shopmodels.copywriter.support import fact_texts
from shopmodels.copywriter.vocabulary import FUNCTION_WORDS, SHOP_WORDS
from shopmodels.devices import inference_autocast

TOP_K = 40  # int: candidate tokens examined per step (the rest are never allowed)
_PUNCTUATION = set(" .,!:;'()-&/")
_TRAILING_WORD = re.compile(r"[^\W_]*$")
_PIECE = re.compile(r"[^\W_]+|\S")  # words (letters and digits) and single marks; spaces dropped


def allowed_words(facts: ProductFacts) -> tuple[frozenset[str], frozenset[str]]:
    """(allowed lower-case words, allowed numbers) for one product."""
    texts = fact_texts(facts)
    found = {word.lower() for text in texts for word in words.words(text) + words.latin_words(text)}
    found |= {word + "s" for word in found}
    numbers = {token for text in texts for token in re.findall(r"\d+", text)}
    return frozenset(found | FUNCTION_WORDS | SHOP_WORDS), frozenset(numbers)


class FactWordsOnly:
    """A logits processor that allows only tokens spelling allowed words, row by row (see the module doc)."""

    def __init__(self, tokenizer, products: Sequence[ProductFacts], prompt_length: int) -> None:
        self.tokenizer = tokenizer
        self.prompt_length = prompt_length
        self.rows = [allowed_words(facts) for facts in products]
        self.prefixes = [self._prefixes(words_ | numbers) for words_, numbers in self.rows]
        self._texts: dict[int, str] = {}

    @staticmethod
    def _prefixes(allowed: frozenset[str]) -> frozenset[str]:
        return frozenset(word[:i] for word in allowed for i in range(1, len(word) + 1))

    def _text(self, token: int) -> str:
        if token not in self._texts:
            self._texts[token] = self.tokenizer.decode([token], skip_special_tokens=False,
                                                       clean_up_tokenization_spaces=False)
        return self._texts[token]

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        """Keep the allowed tokens among each row's ``TOP_K``: ``[B, V]`` scores in, masked ``[B, V]`` out."""
        masked = torch.full_like(scores, float("-inf"))
        top = scores.topk(TOP_K, dim=-1).indices.tolist()
        eos = self.tokenizer.eos_token_id
        for row, candidates in enumerate(top):
            written = self.tokenizer.decode(input_ids[row, self.prompt_length:], skip_special_tokens=True,
                                            clean_up_tokenization_spaces=False)
            partial = _TRAILING_WORD.search(written).group(0).lower()
            allowed, numbers = self.rows[row]
            may_end = not partial or partial in allowed or partial in numbers
            kept = [token for token in candidates
                    if token == eos and may_end or token != eos and self._fits(row, partial, self._text(token))]
            kept = kept or [eos]  # nothing allowed is likely: end the turn (the support check judges the rest)
            masked[row, kept] = scores[row, kept]
        return masked

    def _fits(self, row: int, partial: str, piece: str) -> bool:
        """Whether ``piece`` may follow copy ending in the unfinished word ``partial``."""
        if not piece or "\n" in piece or "<|" in piece:
            return False
        allowed, numbers = self.rows[row]
        text = partial + piece
        pieces = _PIECE.findall(text)
        for index, found in enumerate(pieces):
            if not found[0].isalnum():
                if found not in _PUNCTUATION:
                    return False
                continue
            unfinished = index == len(pieces) - 1 and text[-1].isalnum()
            word = found.lower()
            if not (word in allowed or word in numbers or unfinished and word in self.prefixes[row]):
                return False
        return True


def generate_constrained(generator: CopyGenerator, products: Sequence[ProductFacts],
                         settings: GenerationSettings = GenerationSettings(),
                         stop: threading.Event | None = None) -> list[GeneratedCopy]:
    """One constrained, greedy description per product (one product a batch: each has its own words)."""
    from transformers import LogitsProcessorList

    results = []
    for facts in products:
        encoded = generator.preprocess([render_prompt(generator.tokenizer, facts)])
        length = encoded["input_ids"].shape[1]
        processor = FactWordsOnly(generator.tokenizer, [facts], length)
        with torch.inference_mode(), inference_autocast(generator.device):
            output = generator.model.generate(
                **encoded, max_new_tokens=settings.max_new_tokens, do_sample=False,
                repetition_penalty=settings.repetition_penalty, eos_token_id=generator.tokenizer.eos_token_id,
                pad_token_id=generator.tokenizer.pad_token_id, logits_processor=LogitsProcessorList([processor]))
        if stop is not None and stop.is_set():
            raise GenerationStopped("generation was stopped before the batch was complete")
        greedy = GenerationSettings(**{**settings.to_dict(), "temperature": 0.0})
        results += generator.postprocess(output[:, length:].cpu(), greedy)
    return results
