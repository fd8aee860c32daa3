"""HTTP view of the copy flow: ``GET /products/{id}/copy``."""

from __future__ import annotations

from faust.web import Request, Response, View

from streams.app import app
from streams.flows.http import json_or_404
from streams.tables import latest_copy


@app.page("/products/{product_id}/copy")
@app.table_route(table=latest_copy, match_info="product_id")
async def product_copy(web: View, request: Request, product_id: str) -> Response:
    """``GET /products/{product_id}/copy``: the newest ``ProductCopyGenerated`` for the product, or 404."""
    return json_or_404(web, latest_copy.get(product_id), f"no copy written for product {product_id!r} yet")
