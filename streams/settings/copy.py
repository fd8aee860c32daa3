"""Settings of marketing copy: which products get it, the generator's batches and sampling."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from streams.settings.base import Section


class CopySettings(Section):
    """When a product gets generated copy, what it may draw on, and how it is generated."""

    title: ClassVar[str] = "Marketing copy"

    copy_enabled: bool = Field(
        True, description="Write marketing copy for catalog products without a description, or whose upsert sets "
        "`request_copy` (with `copy_writer=model` the inference role then loads SmolLM2)."
    )
    copy_writer: Literal["frames", "model"] = Field(
        "frames", description="Who writes the copy: `frames` plans each sentence from one kind of fact (type, brand, "
        "attributes, price, praised aspects) with no model, microseconds a product; `model` asks SmolLM2-135M. Either "
        "way a description is published only when every sentence is supported by the facts."
    )
    copy_constrained: bool = Field(
        False, description="With `copy_writer=model`: let the model spell only words of the product's facts and the "
        "small claim-free vocabulary (constrained decoding, greedy)."
    )
    copy_praised: int = Field(
        3, ge=0, le=5, description="Most aspects reviewers praise that a copy request carries (best first)."
    )
    copy_praise_min_mentions: int = Field(
        2, ge=1, description="Positive mentions an aspect needs before the copy may call it praised."
    )
    copy_praise_max_negative_share: float = Field(
        0.25, ge=0, le=1, description="Largest share of an aspect's mentions that may be negative for it to count as praised."
    )
    copy_batch_max: int = Field(8, ge=1, le=64, description="Most products whose copy is generated in one batch.")
    copy_batch_within_s: float = Field(
        1.0, gt=0, description="Longest the copy agent waits to fill a batch, seconds: small next to generation, and it "
        "lets a catalog burst share one batch."
    )
    copy_max_new_tokens: int = Field(120, ge=16, le=512, description="Longest copy, in generated tokens.")
    copy_temperature: float = Field(
        0.3, ge=0, le=2, description="Sampling temperature of the copy (`0`: greedy; a 135M model drifts off the facts above "
        "about 0.5)."
    )
    copy_top_p: float = Field(0.9, gt=0, le=1, description="Nucleus sampling: sample only among the most likely tokens that add up to this "
        "probability."
    )
    copy_seed: int = Field(7, ge=0, description="Sampling seed: the same facts and seed give the same copy, alone or in a batch.")
