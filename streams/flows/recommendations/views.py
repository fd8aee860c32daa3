"""HTTP view of the recommendations flow: ``GET /users/{user_id}/recommendations``."""

from __future__ import annotations

from faust.web import Request, Response, View

from streams.app import app
from streams.flows.http import json_or_404
from streams.tables import latest_recommendations


@app.page("/users/{user_id}/recommendations")
@app.table_route(table=latest_recommendations, match_info="user_id")
async def user_recommendations(web: View, request: Request, user_id: str) -> Response:
    """``GET /users/{user_id}/recommendations``: the latest ``RecommendationsIssued`` for the user, or 404."""
    return json_or_404(web, latest_recommendations.get(user_id), f"no recommendations for user {user_id!r} yet")
