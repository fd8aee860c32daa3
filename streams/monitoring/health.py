"""Views every role serves: ``GET /health`` and ``GET /metrics`` (Prometheus text format), and the
API token check in front of every view (``streams/http_access.py``)."""

from __future__ import annotations

from faust.exceptions import ConsumerNotStarted
from faust.web import Request, Response, View

from streams import http_access
from streams.monitoring import metrics
from streams.app import app, settings

http_access.install(app.web.web_app, settings)  # every role serves this module: the token guards every view


@app.page("/health")
class Health(View):
    """``GET /health``: 200 while the worker runs, with its role, assignment and rebalancing state."""

    async def get(self, request: Request) -> Response:
        """Liveness and a glance at the consumer state."""
        assignment = self.app.consumer.assignment() if self.app.consumer else set()
        return self.json({"status": "ok", "app_id": self.app.conf.id, "role": settings.role,
                          "rebalancing": self.app.rebalancing, "assigned_partitions": len(assignment)})


@app.page("/metrics")
class Metrics(View):
    """``GET /metrics``: every metric of this worker (``streams/monitoring/metrics.py``) for Prometheus to scrape."""

    async def get(self, request: Request) -> Response:
        """The text exposition format, version 0.0.4."""
        body, content_type = metrics.exposition()  # a type with parameters, which aiohttp takes only as a header
        return self.bytes(body, headers={"Content-Type": content_type})


def consumer_lag() -> dict[tuple[str, str], float]:
    """``{(topic, partition): messages not yet read}`` for every partition this worker is assigned.

    The position is the offset after the last one read, else the committed offset; a partition
    whose end the consumer has not fetched yet is left out, and so are table changelogs: a worker
    writes its active tables' changelogs itself and reads them only while recovering.
    """
    consumer = app.consumer
    try:
        assignment = consumer.assignment()
    except ConsumerNotStarted:
        return {}
    lag = {}
    for tp in assignment:
        if tp.topic.endswith("-changelog"):
            continue
        end = consumer.highwater(tp)
        read, committed = consumer._read_offset.get(tp), consumer._committed_offset.get(tp)
        position = read + 1 if read is not None else committed or 0
        if end is not None:
            lag[(tp.topic, str(tp.partition))] = max(0, end - position)
    return lag


metrics.register_at_scrape("shopstream_consumer_lag", "Messages not yet read, per assigned partition.",
                           ["topic", "partition"], consumer_lag)
