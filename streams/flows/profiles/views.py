"""HTTP view of the profiles flow: ``GET /users/{user_id}/profile`` (routed to the worker that owns the user)."""

from __future__ import annotations

from faust.web import Request, Response, View

from streams.app import app
from streams.flows.http import json_or_404
from streams.flows.profiles.profile import public_view
from streams.tables import profiles


@app.page("/users/{user_id}/profile")
@app.table_route(table=profiles, match_info="user_id")
async def user_profile(web: View, request: Request, user_id: str) -> Response:
    """``GET /users/{user_id}/profile``: the user's profile, or 404."""
    return json_or_404(web, profiles.get(user_id), f"no profile for user {user_id!r}", public_view)
