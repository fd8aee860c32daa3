"""The prompt: chat messages built from a product's facts, rendered by the tokenizer's chat template.

Only the facts reach the model: every line of the user message is one fact
(``Title: ...``, ``Brand: ...``, one line per attribute, the praised
aspects); the rest is fixed instruction text without numbers or names. The
template (SmolLM2's ``<|im_start|>role ... <|im_end|>`` turns, ending with an
open assistant turn) comes from the tokenizer, never from string pasting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopmodels.copywriter.facts import ProductFacts

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

SYSTEM_PROMPT = (
    "You are a copywriter for an online shop. You write short, attractive product descriptions "
    "that use only the facts you are given."
)
TASK = ("Write two sentences in {language} that sell this product. Mention only these facts; "
        "do not add numbers, names or features that are not listed.")


def fact_lines(facts: ProductFacts) -> list[str]:
    """One ``Name: value`` line per fact, in a fixed order: title, category, brand, price, attributes, praise."""
    lines = [f"Title: {facts.title}", f"Category: {facts.category}"]
    if facts.brand:
        lines.append(f"Brand: {facts.brand}")
    if facts.price_text:
        lines.append(f"Price: {facts.price_text}")
    lines += [f"{name}: {value}" for name, value in facts.attributes]
    if facts.praised:
        lines.append(f"Reviewers praise: {', '.join(facts.praised)}")
    return lines


def build_messages(facts: ProductFacts) -> list[dict[str, str]]:
    """The chat for one product: a system message with the rules, a user message with the task and facts."""
    task = TASK.format(language=facts.language_name)
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "Product facts:\n" + "\n".join(fact_lines(facts)) + "\n\n" + task},
    ]


def render_prompt(tokenizer: PreTrainedTokenizerBase, facts: ProductFacts) -> str:
    """The prompt text: the chat template applied to ``build_messages``, with the assistant turn opened."""
    return tokenizer.apply_chat_template(build_messages(facts), tokenize=False, add_generation_prompt=True)
