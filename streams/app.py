"""The ShopStream Faust app: ``faust -A streams.app worker -l info`` runs it.

Each flow (``streams/flows/<flow>/``) keeps its agents, pure logic and HTTP views together; the
inference role's agent is ``streams/inference/agent.py``; ``/health``, ``/metrics``, the progress
lines and the dashboard are in ``streams/monitoring/``. Faust's autodiscovery imports the modules
of this worker's role (``SHOPSTREAM_ROLE``, see ``ROLE_MODULES``) when it starts. Settings come
from ``streams.settings``.
"""

from __future__ import annotations

import logging
import os
import threading

import faust
from mode.utils.objects import cached_property

from schemas.codec import register_faust_codec
from streams.cpu_threads import limit_cpu_threads
from streams.event_loop import use_event_loop
from streams.flow_control import SteadyFlowControl
from streams.kafka_transport import kafka_transport
from streams.kafka_clients import KafkaAccessError, faust_credentials, require_kafka_access
from streams.monitoring.counters import IngestCounters
from streams.settings import get_settings
from streams.state import local_store

settings = get_settings()
use_event_loop(settings.event_loop)  # before the worker makes its loop
limit_cpu_threads(settings.torch_threads)  # before a model library is imported
register_faust_codec()
settings.data_dir.mkdir(parents=True, exist_ok=True)  # Faust keeps RocksDB tables under it
for _library in ("faust", "mode", "aiokafka"):
    logging.getLogger(_library).setLevel(settings.library_log_level.upper())

#: The flows whose state-role modules (agents, HTTP views) a state worker runs.
STATE_FLOWS = ("profiles", "products", "recommendations", "reviews", "copy")
#: Modules each role runs. An inference-only worker imports no table, so it keeps no state.
ROLE_MODULES = {
    "state": [*(f"streams.flows.{flow}.{part}" for flow in STATE_FLOWS for part in ("agents", "views")),
              "streams.flows.intake.moved", "streams.monitoring.progress", "streams.monitoring.dashboard.views"],
    "inference": ["streams.inference.agent", *(["streams.flows.copy.writer"] if settings.copy_enabled else [])],
}
ROLE_MODULES["all"] = ROLE_MODULES["state"] + ROLE_MODULES["inference"]



def exit_after(timeout_s: float, log: logging.Logger) -> threading.Timer:
    """Exit the process in ``timeout_s`` seconds unless it has ended by then (a daemon timer)."""
    def overdue() -> None:
        log.warning("Still stopping after %g s (SHOPSTREAM_SHUTDOWN_TIMEOUT_S): exiting now. What was not "
                    "committed is read again at the next start.", timeout_s)
        logging.shutdown()
        os._exit(0)
    timer = threading.Timer(timeout_s, overdue)
    timer.daemon = True
    timer.start()
    return timer


class ShopStreamApp(faust.App):
    """Faust's app with a bounded stop (SIGTERM or Ctrl-C ends the worker within ``shutdown_timeout_s``),
    a short fetch long-poll, input partitions handed out in log order and a producer flush that drains
    before each commit (``kafka_transport.py``), and queues emptied only when a suspended flow resumes
    (``flow_control.py``)."""

    async def on_start(self) -> None:
        local_store.prepare(settings.data_dir, self.conf.tabledir)  # before any table opens its store
        await super().on_start()

    async def on_stop(self) -> None:
        exit_after(settings.shutdown_timeout_s, logging.getLogger("streams.app"))
        await super().on_stop()

    async def on_shutdown(self) -> None:
        await super().on_shutdown()
        local_store.mark_clean(settings.data_dir)  # tables closed, producer flushed: the store matches its changelogs

    @cached_property
    def flow_control(self) -> SteadyFlowControl:
        """Faust's flow control, except that a resume of a running flow keeps what the queues hold: Faust's
        emptied them and a standby replica skipped the changelog records it dropped (``flow_control.py``)."""
        return SteadyFlowControl(loop=self.loop)

    def _new_transport(self):
        """Faust's aiokafka transport as ShopStream runs it (``streams/kafka_transport.py``)."""
        return kafka_transport(settings.fetch_max_wait_s)(self.conf.broker_consumer, self)

    def _new_producer_transport(self):
        """The same transport for the producer, whose flush drains its buffer before a commit."""
        return kafka_transport(settings.fetch_max_wait_s)(self.conf.broker_producer, self)


app = ShopStreamApp(
    settings.consumer_group,
    broker=settings.broker,
    broker_credentials=faust_credentials(settings),
    store=settings.store,
    datadir=str(settings.data_dir),
    topic_partitions=settings.partitions,
    topic_replication_factor=settings.replication_factor,
    web_host=settings.web_host,
    web_port=settings.web_port,
    autodiscover=["streams.monitoring.health", *ROLE_MODULES[settings.role]],
    consumer_auto_offset_reset="earliest",
    broker_commit_interval=settings.commit_interval_s,
    producer_linger=settings.producer_linger_s,
    producer_max_batch_size=settings.producer_max_batch_bytes,
    producer_max_request_size=max(settings.producer_max_batch_bytes, 1_048_576),
    consumer_metadata_max_age_ms=int(settings.metadata_max_age_s * 1000),
    consumer_group_instance_id=settings.instance_id,
    Router="streams.flows.http:RawKeyRouter",
    broker_session_timeout=settings.session_timeout_s,
    broker_heartbeat_interval=min(3.0, settings.session_timeout_s / 3),
)


@app.on_worker_init.connect
def _refuse_to_start_without_kafka_access(sender: faust.App, **kwargs) -> None:
    """Stop a worker whose Kafka credentials or trust settings are wrong, with the setting to fix, before it
    starts retrying: refused credentials never heal by retrying."""
    try:
        require_kafka_access(settings)
    except KafkaAccessError as exc:
        logging.getLogger("shopstream").critical("Cannot start: %s", exc)
        raise SystemExit(2) from None


#: What the ingest agents did since the worker started (read by the progress report).
counters = IngestCounters()
