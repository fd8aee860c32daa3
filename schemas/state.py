"""Table values one role writes and another reads: the contract between ShopStream's roles.

The state role keeps the ``product-stats`` table; inference workers read its changelog
(``<app_id>-product-stats-changelog``) into their catalog view for trending products and
categories. ``ProductStatsState`` is what such a reader may rely on; the writer's dicts
(``streams/flows/products/stats.py``) carry more (internal fields such as the dedupe memory),
which a reader ignores. The reader validates every record with it
(``streams/flows/recommendations/catalog_view.py``), and a test checks that what the writer
stores validates.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ProductStatsState(BaseModel):
    """One product's statistics as the product-stats changelog carries them (internal fields ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    product_id: str = Field(description="The product these statistics are about.")
    category: str | None = Field(None, description="The category of the product's latest click, if any had one.")
    views: int = Field(0, ge=0, description="Views of the product ever.")
    carts: int = Field(0, ge=0, description="Add-to-carts of the product ever.")
    purchases: int = Field(0, ge=0, description="Purchases of the product ever.")
    reviews: int = Field(0, ge=0, description="Reviews of the product ever.")
    rating_sum: int = Field(0, ge=0, description="Sum of the reviews' star ratings.")
    last_interaction_at: str | None = Field(None, description="Event time of the newest click, UTC ISO-8601.")
    buckets: dict[int, int] = Field(
        default_factory=dict,
        description="Trending counts: bucket start (Unix seconds, as a JSON object key) -> clicks in that bucket.",
    )

    @property
    def interactions(self) -> int:
        """Views, carts and purchases ever: the product's all-time popularity."""
        return self.views + self.carts + self.purchases
