"""HTTP views of the copy flow: ``GET /copy`` (an overview) and ``GET /products/{id}/copy``."""

from __future__ import annotations

from faust.web import Request, Response, View

from streams.app import app
from streams.flows.copy.overview import copy_overview, parse_limit
from streams.flows.http import json_or_404
from streams.tables import latest_copy


@app.page("/copy")
async def copy_index(web: View, request: Request) -> Response:
    """``GET /copy[?limit=N]``: published and refused copy in this worker's partitions, refusals with reasons."""
    try:
        limit = parse_limit(request.query.get("limit"))
    except ValueError as exc:
        return web.json({"error": str(exc)}, status=400)
    return web.json(copy_overview(latest_copy.values(), limit))


@app.page("/products/{product_id}/copy")
@app.table_route(table=latest_copy, match_info="product_id")
async def product_copy(web: View, request: Request, product_id: str) -> Response:
    """``GET /products/{product_id}/copy``: the newest ``ProductCopyGenerated`` for the product, or 404."""
    return json_or_404(web, latest_copy.get(product_id), f"no copy written for product {product_id!r} yet")
