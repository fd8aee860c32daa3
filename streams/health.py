"""``GET /health``, served by workers of every role."""

from __future__ import annotations

from faust.web import Request, Response, View

from streams.app import app, settings


@app.page("/health")
class Health(View):
    """``GET /health``: 200 while the worker runs, with its role, assignment and rebalancing state."""

    async def get(self, request: Request) -> Response:
        """Liveness and a glance at the consumer state."""
        assignment = self.app.consumer.assignment() if self.app.consumer else set()
        return self.json({"status": "ok", "app_id": self.app.conf.id, "role": settings.role,
                          "rebalancing": self.app.rebalancing, "assigned_partitions": len(assignment)})
