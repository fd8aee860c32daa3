"""What every flow's HTTP views share: a JSON answer, or a 404 that says what is missing."""

from __future__ import annotations

from collections.abc import Callable

from faust.web import Response, View


def json_or_404(web: View, value: dict | None, missing: str, render: Callable[[dict], dict] = lambda value: value
                ) -> Response:
    """``render(value)`` as JSON, or a 404 whose ``error`` says what is ``missing``."""
    if value is None:
        return web.json({"error": missing}, status=404)
    return web.json(render(value))
