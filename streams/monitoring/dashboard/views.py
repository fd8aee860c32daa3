"""The live dashboard of a state worker: ``GET /dashboard`` (the page), ``GET /dashboard/data`` (the JSON
it polls every 2 s), ``GET /dashboard/static/<file>`` (its scripts, styles and the vendored uPlot),
and the sampler that keeps the last minutes of metrics so the page opens with history.

Tables on a multi-worker cluster hold only this worker's partitions, so the page shows this
worker's share; the recommendation latency is measured where recommendations are made, so it
appears only on a worker of role ``all``. Table scans are capped at ``SCAN_LIMIT`` keys each.
"""

from __future__ import annotations

import time
from itertools import islice

from faust.web import Request, Response, View

from schemas.topics import INPUT_TOPICS
from streams.monitoring import metrics
from streams.app import app, settings
from streams.monitoring.dashboard.assets import PAGE, STATIC_DIR, asset_index, find_asset
from streams.monitoring.dashboard.data import alert_cards, recommendation_spread, top_trending
from streams.monitoring.dashboard.history import History, series, take_sample
from streams.monitoring.health import consumer_lag
from streams.limits import LIMITS
from streams.tables import aspect_alerts, latest_recommendations, product_stats, products

SCAN_LIMIT = settings.dashboard_scan_limit  # past it the page says its figures are partial

HISTORY = History(settings.dashboard_samples)  # this process's samples; one per process, like the metrics it reads
ASSETS = asset_index(STATIC_DIR)


@app.timer(settings.dashboard_sample_s)
async def sample_metrics() -> None:
    """Add one sample of this process's counters, lag and latencies to the dashboard's history."""
    HISTORY.add(take_sample(time.time(), metrics.counter_totals(metrics.EVENTS_RECEIVED, "topic"), consumer_lag(),
                            metrics.counter_totals(metrics.DEAD_LETTERS, "reason"),
                            metrics.recent_recommendation_latencies(), INPUT_TOPICS, settings.app_id))


def snapshot() -> dict:
    """Everything the page draws: the sampled series and what this worker's tables hold now."""
    catalog_ids = list(islice(products.keys(), SCAN_LIMIT))
    lists = list(islice(latest_recommendations.values(), SCAN_LIMIT))
    truncated = len(catalog_ids) == SCAN_LIMIT or len(lists) == SCAN_LIMIT
    assignment = app.consumer.assignment() if app.consumer else set()
    return {"generated_at": time.time(), "sample_interval_s": settings.dashboard_sample_s,
            "worker": {"app_id": settings.app_id, "role": settings.role, "assigned_partitions": len(assignment)},
            "series": series(HISTORY.samples()), "latency_window": metrics.RECENT_LATENCIES,
            "alerts": alert_cards(islice(aspect_alerts.values(), SCAN_LIMIT), products, LIMITS.alert_rule),
            "trending": top_trending(islice(product_stats.values(), SCAN_LIMIT), products, LIMITS.stats),
            "recommendations": {**recommendation_spread(lists, catalog_ids), "truncated": truncated},
            "models": metrics.model_versions()}


@app.page("/dashboard")
class Dashboard(View):
    """``GET /dashboard``: the live dashboard page."""

    async def get(self, request: Request) -> Response:
        """The page; its script fetches ``/dashboard/data``."""
        page = ASSETS[PAGE]
        return self.bytes(page.read(), content_type=page.content_type, headers={"Cache-Control": "no-cache"})


@app.page("/dashboard/auth")
class DashboardAuth(View):
    """``GET /dashboard/auth``: whether the page must ask for the API token (open: it holds no data)."""

    async def get(self, request: Request) -> Response:
        """``{"token_required": bool}``."""
        return self.json({"token_required": settings.api_token is not None}, headers={"Cache-Control": "no-store"})


@app.page("/dashboard/data")
class DashboardData(View):
    """``GET /dashboard/data``: the dashboard's figures as JSON (see ``snapshot``)."""

    async def get(self, request: Request) -> Response:
        """The current snapshot."""
        return self.json(snapshot(), headers={"Cache-Control": "no-store"})


@app.page("/dashboard/static/{path:.+}")
class DashboardStatic(View):
    """``GET /dashboard/static/<path>``: one of the page's files, or 404 for anything else."""

    async def get(self, request: Request, path: str) -> Response:
        """The file's bytes with its content type."""
        asset = find_asset(ASSETS, path)
        if asset is None:
            return self.json({"error": f"no dashboard file {path!r}"}, status=404)
        return self.bytes(asset.read(), content_type=asset.content_type)
