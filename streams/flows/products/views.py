"""HTTP views of the products flow: ``GET /products/{id}/stats`` and ``GET /products/{id}``."""

from __future__ import annotations

from faust.web import Request, Response, View

from streams.app import app
from streams.flows.http import json_or_404
from streams.flows.products.stats import public_stats
from streams.limits import LIMITS
from streams.tables import product_stats, products


@app.page("/products/{product_id}/stats")
@app.table_route(table=product_stats, match_info="product_id")
async def product_stats_view(web: View, request: Request, product_id: str) -> Response:
    """``GET /products/{product_id}/stats``: counters of the product, or 404."""
    return json_or_404(web, product_stats.get(product_id), f"no stats for product {product_id!r}",
                       lambda stats: public_stats(stats, LIMITS.stats))


@app.page("/products/{product_id}")
@app.table_route(table=products, match_info="product_id")
async def product_entry(web: View, request: Request, product_id: str) -> Response:
    """``GET /products/{product_id}``: the latest catalog entry of the product, or 404."""
    return json_or_404(web, products.get(product_id), f"no catalog entry for product {product_id!r}")
