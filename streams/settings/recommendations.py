"""Settings of recommendations: the model registry, the inference agent's batches, ranking."""

from __future__ import annotations

from pathlib import Path

from typing import ClassVar

from pydantic import Field

from streams.settings.base import Section


class RecommendationSettings(Section):
    """Which models serve, how the inference agent batches, and how lists are ranked."""

    title: ClassVar[str] = "Recommendations"

    model_registry: Path = Field(
        Path("models"), description="Model registry directory; the newest recommender version in it is served, and a newer one "
        "is switched in without a restart."
    )
    model_poll_s: float = Field(
        5.0, gt=0, description="Seconds between checks of the registry for a newer model (the switch happens between two "
        "batches)."
    )
    inference_device: str = Field(
        "auto", description="Torch device of the models: `auto` (CUDA in bf16 when there is one, else the CPU), `cpu`, "
        "`cuda`, `cuda:1`...",
    )
    torch_threads: int = Field(
        0, ge=0, description="CPU threads the worker's models use (torch and the OpenMP and MKL pools under it); 0 "
        "keeps torch's default, one per core. Where the cores are shared with Kafka and other workers, 1 keeps idle "
        "threads from spinning on them: at 200 clicks/s on 2 cores it took the inference worker from 0.7 to 0.4 "
        "cores and click-to-list p99 under 100 ms (docs/benchmarks.md). Set when the worker starts."
    )
    inference_batch_max: int = Field(256, ge=1, description="Most inference requests in one model batch.")
    inference_batch_within_s: float = Field(
        0.05, gt=0, description="Longest the inference agent waits to fill a batch, seconds."
    )
    recommend_each_event: bool = Field(
        False, description="`false`: one recommendation request per user per micro-batch, built from the newest profile for "
        "the user's last click or search in it (a newer event supersedes a list not yet asked for; the list reflects every "
        "event). `true`: one per click and search, even when a user's events arrive together, as in a backlog."
    )
    recommendations_k: int = Field(10, ge=1, le=100, description="Products per recommendation list (1-100).")
    request_top_categories: int = Field(
        5, ge=1, le=20, description="The user's strongest categories each recommendation request carries (for fill-ups)."
    )
    candidate_factor: int = Field(
        3, ge=1, le=10, description="Model and search candidates per request, as a multiple of recommendations_k, "
                                    "so exclusions and demotion still leave a full list."
    )
    search_intent: bool = Field(
        True, description="Blend products whose titles match a fresh search into the list (loads the MiniLM sentence "
        "embedder)."
    )
    search_weight: float = Field(
        0.5, ge=0, le=1, description="Weight of the search match in that blend: 0 ignores it, 1 ranks by it alone."
    )
    title_chunk: int = Field(
        64, ge=1, description="Catalog titles the search index embeds per step in the background (about a second "
                              "of CPU), so recommendation batches interleave with the indexing."
    )
    catalog_wait_s: float = Field(
        60.0, ge=0, description="How long an inference worker first waits for what it follows (catalog, stats, alerts, "
        "erasure guards) to catch up before its first batch and its title indexing, seconds."
    )
