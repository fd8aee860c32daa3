"""Settings of review intelligence: the aspect catalog, the sentiment-alert rule and quality-aware demotion.

The alert rule (``streams/flows/reviews/alert_rule.py``) is built from the ``alert_*`` fields:
an alert is raised when the current window has at least ``alert_min_negative`` negative
mentions, a negative share of at least ``alert_share_threshold``, and a share at least
``alert_ratio_to_baseline`` times the product's own baseline share.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from streams.settings.base import Section


class ReviewSettings(Section):
    """When complaints about one aspect of one product raise an alert, and what an alert does to ranking."""

    title: ClassVar[str] = "Review intelligence"

    aspect_catalog: str = Field(
        "general", description="Aspects the shop's reviews are read for (shopmodels/aspects/catalogs.py): general "
        "(clothing and general goods), clothing, electronics (screen, battery, performance, camera, sound, "
        "connectivity, software, build quality, design and the order aspects), or the path of the shop's own "
        ".json/.yaml list."
    )

    aspect_embeddings: bool = Field(
        True, description="Find aspects in English clauses by MiniLM similarity as well as by keywords. `false`: "
        "keywords alone, which on 115 labelled clauses scored the same F1 (0.81; precision 0.94 vs 0.89, recall "
        "0.72 vs 0.75) and costs no model call: a 2-core CPU embeds about 250 clauses/s, fewer than a busy shop's "
        "reviews bring (`shopstream demo` turns it off when there is no GPU)."
    )
    alert_window_s: int = Field(3600, ge=60, description="Window of the sentiment-alert rule (event time), seconds.")
    alert_step_s: int = Field(
        300, ge=1, description="Width of the alert window's buckets, seconds; the window hops by this much "
                               "(alert_window_s must be a multiple of it)."
    )
    alert_baseline_s: int = Field(
        7 * 86400, ge=1, description="History kept per product and aspect, seconds; the baseline is what it holds "
        "before the current window (7 days covers a weekly cycle of who reviews what)."
    )
    alert_baseline_step_s: int = Field(
        3600, ge=1, description="Width of the baseline's buckets, seconds: a multiple of alert_step_s, coarser than "
        "the window's, so 7 days take 168 buckets; the baseline's oldest edge is exact to within this much."
    )
    alert_min_negative: int = Field(
        5, ge=1, description="Fewest negative mentions of one aspect of one product in the window to raise an alert."
    )
    alert_share_threshold: float = Field(
        0.4, gt=0, le=1, description="Least negative share of those mentions in the window to raise an alert."
    )
    alert_ratio_to_baseline: float = Field(
        2.0, ge=1, description="Least ratio of that share to the product's own smoothed 7-day baseline."
    )
    alert_prior_share: float = Field(
        0.15, ge=0, le=1, description="Negative share assumed for a product with no history, blended into its "
        "baseline: (negative + prior_share * prior_weight) / (total + prior_weight)."
    )
    alert_prior_weight: float = Field(
        20.0, ge=0, description="Weight of that prior, in pseudo-mentions; it fades as real history grows."
    )
    alert_baseline_floor: float = Field(
        0.02, gt=0, le=1, description="Least baseline share used for the ratio, so a spotless history cannot make "
        "the ratio (and the severity) explode."
    )
    alert_medium_ratio: float = Field(3.0, gt=0, description="Ratio to baseline from which an alert's severity is medium.")
    alert_high_ratio: float = Field(5.0, gt=0, description="Ratio to baseline from which an alert's severity is high.")
    alert_update_share_step: float = Field(
        0.1, gt=0, le=1, description="While active, an update is issued only when the share rises this much above "
        "the alert's peak (or the severity above its peak): a few updates per surge, not one per review."
    )
    alert_resolve_factor: float = Field(
        0.75, gt=0, le=1, description="An active alert resolves when the window fails the raise rule with its "
        "three thresholds multiplied by this (hysteresis)."
    )
    alert_cooldown_s: int = Field(
        21_600, ge=1, description="After an alert resolves, no new one for the same product and aspect for this long, "
        "seconds."
    )
    alert_evidence: int = Field(
        5, ge=1, le=10, description="Newest negative mentions an alert keeps and shows as evidence."
    )
    alert_demotion: float = Field(
        0.5, ge=0, le=1, description="While a product has an active complaint alert, this is taken off its "
        "recommendation score (scores are in [0, 1]): 0 turns demotion off, 1 ranks it below every product without one."
    )
    slots_report_s: float = Field(
        30.0, gt=0, description="How often an inference worker reports the recommendation slots demotion cost each alerted "
        "product (each report updates the alert's `recommendation_slots_lost`), seconds."
    )

    @field_validator("aspect_catalog")
    @classmethod
    def _known_catalog(cls, value: str) -> str:
        """A catalog name, or a path ending in .json, .yaml or .yml (read when the worker starts)."""
        from shopmodels.aspects.catalogs import CATALOG_NAMES

        if value not in CATALOG_NAMES and not value.lower().endswith((".json", ".yaml", ".yml")):
            raise ValueError(f"unknown aspect catalog {value!r}: use {', '.join(CATALOG_NAMES)} or the path of a "
                             ".json, .yaml or .yml aspect list")
        return value
