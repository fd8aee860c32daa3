"""HTTP view of the review-intelligence flow: ``GET /products/{id}/sentiment``."""

from __future__ import annotations

from faust.web import Request, Response, View

from streams.app import app
from streams.flows.http import json_or_404
from streams.flows.reviews.alerts import alert_key
from streams.flows.reviews.sentiment import public_summary
from streams.tables import aspect_alerts, review_sentiment


@app.page("/products/{product_id}/sentiment")
@app.table_route(table=review_sentiment, match_info="product_id")
async def product_sentiment(web: View, request: Request, product_id: str) -> Response:
    """``GET /products/{product_id}/sentiment``: review sentiment, aspect mentions and active alerts, or 404."""
    summary = review_sentiment.get(product_id)

    def render(value: dict) -> dict:
        states = [aspect_alerts.get(alert_key(product_id, aspect)) for aspect in value["aspects"]]
        active = [{"aspect": state["aspect"], **state["alert"]} for state in states if state and state.get("alert")]
        return public_summary(value, active)
    return json_or_404(web, summary, f"no scored reviews for product {product_id!r}", render)
