"""HTTP views of the worker's state (served by Faust's web server, default port 6066); ``/health`` is in ``health.py``."""

from __future__ import annotations

from faust.web import Request, Response, View

from streams.app import app
from streams.limits import STATS_LIMITS
from streams.state.product import public_stats
from streams.state.profile import public_view
from streams.agents.reviews import alert_key
from streams.state.sentiment import public_summary
from streams.tables import (aspect_alerts, latest_copy, latest_recommendations, product_stats, products, profiles,
                            review_sentiment)


def _json_or_404(web: View, value: dict | None, missing: str, render=lambda value: value) -> Response:
    """``render(value)`` as JSON, or a 404 whose ``error`` says what is ``missing``."""
    if value is None:
        return web.json({"error": missing}, status=404)
    return web.json(render(value))


@app.page("/users/{user_id}/profile")
@app.table_route(table=profiles, match_info="user_id")
async def user_profile(web: View, request: Request, user_id: str) -> Response:
    """``GET /users/{user_id}/profile``: the user's profile, or 404."""
    return _json_or_404(web, profiles.get(user_id), f"no profile for user {user_id!r}", public_view)


@app.page("/products/{product_id}/stats")
@app.table_route(table=product_stats, match_info="product_id")
async def product_stats_view(web: View, request: Request, product_id: str) -> Response:
    """``GET /products/{product_id}/stats``: counters of the product, or 404."""
    return _json_or_404(web, product_stats.get(product_id), f"no stats for product {product_id!r}",
                        lambda stats: public_stats(stats, STATS_LIMITS))


@app.page("/products/{product_id}")
@app.table_route(table=products, match_info="product_id")
async def product_entry(web: View, request: Request, product_id: str) -> Response:
    """``GET /products/{product_id}``: the latest catalog entry of the product, or 404."""
    return _json_or_404(web, products.get(product_id), f"no catalog entry for product {product_id!r}")


@app.page("/users/{user_id}/recommendations")
@app.table_route(table=latest_recommendations, match_info="user_id")
async def user_recommendations(web: View, request: Request, user_id: str) -> Response:
    """``GET /users/{user_id}/recommendations``: the latest ``RecommendationsIssued`` for the user, or 404."""
    return _json_or_404(web, latest_recommendations.get(user_id), f"no recommendations for user {user_id!r} yet")


@app.page("/products/{product_id}/sentiment")
@app.table_route(table=review_sentiment, match_info="product_id")
async def product_sentiment(web: View, request: Request, product_id: str) -> Response:
    """``GET /products/{product_id}/sentiment``: review sentiment, aspect mentions and active alerts, or 404."""
    summary = review_sentiment.get(product_id)

    def render(value: dict) -> dict:
        states = [aspect_alerts.get(alert_key(product_id, aspect)) for aspect in value["aspects"]]
        active = [{"aspect": state["aspect"], **state["alert"]} for state in states if state and state.get("alert")]
        return public_summary(value, active)
    return _json_or_404(web, summary, f"no scored reviews for product {product_id!r}", render)


@app.page("/products/{product_id}/copy")
@app.table_route(table=latest_copy, match_info="product_id")
async def product_copy(web: View, request: Request, product_id: str) -> Response:
    """``GET /products/{product_id}/copy``: the newest ``ProductCopyGenerated`` for the product, or 404."""
    return _json_or_404(web, latest_copy.get(product_id), f"no copy written for product {product_id!r} yet")
