"""Settings of marketing copy: which products get it, the generator's batches and sampling."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from streams.settings.base import Section


class CopySettings(Section):
    """When a product gets generated copy, what it may draw on, and how it is generated."""

    title: ClassVar[str] = "Marketing copy"

    copy_enabled: bool = Field(
        True, description="Write marketing copy for catalog products without a description, or whose upsert sets "
        "`request_copy` (the inference role then loads SmolLM2)."
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
