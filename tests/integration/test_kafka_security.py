"""ShopStream against a Kafka that speaks only SASL_SSL (client certificates required), as managed
services do: the command line, every client and the worker log in with PLAIN or SCRAM, and wrong
credentials or an untrusted broker stop them at once with the setting to fix, never the secret."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from schemas.topics import CLICKS
from streams.kafka_clients import KafkaAccessError, check_kafka_access, client_kwargs
from streams.settings import Settings, get_settings
from streams.tools.broker import EmbeddedKafka
from streams.tools.click_log import read_click_events
from streams.tools.replay.events import ReplayEvent
from streams.tools.replay.producer import produce as replay_produce
from streams.tools.processes import Worker, free_port, http_get, produce
from tests.integration.harness import create_inference_topics, eventually
from tests.integration.tls import PASSWORD, USER, make_tls_files

pytestmark = [pytest.mark.integration, pytest.mark.slow]

WRONG_PASSWORD = "not-the-Kafka-pass"


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A CA, the broker's and a client's certificates, and a CA the broker's certificate is not from."""
    return make_tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def secure_kafka(tmp_path_factory, tls):
    """The embedded Kafka with a SASL_SSL client listener only; SCRAM users made by `kafka-storage format`."""
    broker = EmbeddedKafka(data_dir=tmp_path_factory.mktemp("secure-kafka"), port=free_port(), partitions=4,
                           cache_dir=get_settings().cache_dir, security=tls.listener())
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


def security_env(broker: EmbeddedKafka, tls, mechanism: str = "SCRAM-SHA-512", **overrides: str) -> dict[str, str]:
    """The SHOPSTREAM_* variables of a client of ``broker``; ``overrides`` replace some (by setting name)."""
    env = {"BROKER": f"kafka://{broker.bootstrap}", "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
           "KAFKA_SSL_CAFILE": str(tls.ca), "KAFKA_SSL_CERTFILE": str(tls.client_cert),
           "KAFKA_SSL_KEYFILE": str(tls.client_key), "KAFKA_SASL_MECHANISM": mechanism,
           "KAFKA_SASL_USERNAME": USER, "KAFKA_SASL_PASSWORD": PASSWORD, **overrides}
    return {f"SHOPSTREAM_{name}": value for name, value in env.items()}


@pytest.fixture
def secure_settings(secure_kafka, tls, monkeypatch):
    """This process's settings pointed at the secure broker (what a `shopstream` command would read)."""
    for name, value in security_env(secure_kafka, tls).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def shopstream(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run a `shopstream` command with ``env`` added to this process's environment."""
    return subprocess.run([sys.executable, "-m", "streams.tools.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def test_shopstream_topics_creates_the_topics_over_sasl_ssl(secure_kafka, tls):
    done = shopstream(security_env(secure_kafka, tls, "SCRAM-SHA-256"), "topics")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "shop.clicks" in done.stdout and PASSWORD not in done.stdout + done.stderr


def test_shopstream_topics_with_a_wrong_password_names_the_setting(secure_kafka, tls):
    done = shopstream(security_env(secure_kafka, tls, KAFKA_SASL_PASSWORD=WRONG_PASSWORD), "topics")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "SHOPSTREAM_KAFKA_SASL_PASSWORD" in output.replace("\n", "") and WRONG_PASSWORD not in output


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
async def test_every_mechanism_logs_in_and_wrong_credentials_are_named(secure_kafka, tls, monkeypatch, mechanism):
    for name, value in security_env(secure_kafka, tls, mechanism).items():
        monkeypatch.setenv(name, value)
    admin = AIOKafkaAdminClient(**client_kwargs(Settings()))
    await admin.start()
    try:
        assert isinstance(await admin.list_topics(), list)
    finally:
        await admin.close()
    monkeypatch.setenv("SHOPSTREAM_KAFKA_SASL_PASSWORD", WRONG_PASSWORD)
    with pytest.raises(KafkaAccessError, match="SHOPSTREAM_KAFKA_SASL_PASSWORD") as refused:
        await check_kafka_access(Settings())
    assert WRONG_PASSWORD not in str(refused.value)


async def test_an_untrusted_broker_certificate_names_the_ca_setting(secure_kafka, tls, monkeypatch):
    for name, value in security_env(secure_kafka, tls, KAFKA_SSL_CAFILE=str(tls.untrusted_ca)).items():
        monkeypatch.setenv(name, value)
    with pytest.raises(KafkaAccessError, match="SHOPSTREAM_KAFKA_SSL_CAFILE"):
        await check_kafka_access(Settings())


async def test_replay_produce_and_click_log_export_use_the_secure_settings(secure_settings):
    topic = f"secure-clicks-{uuid.uuid4().hex[:6]}"
    click = {"event_id": "sec-1", "occurred_at": "1998-01-01T00:00:00Z", "user_id": "sec-u1",
             "product_id": "ml-1", "kind": "view", "category": "Animation"}
    await produce(secure_settings.bootstrap_servers, [(topic, b"sec-u1", orjson.dumps(click))])
    replayed = await replay_produce([ReplayEvent(topic, "sec-u1", {**click, "event_id": "sec-1b"})],
                                    bootstrap=secure_settings.bootstrap_servers, rate=None, progress=False)
    assert replayed.total == 1
    events, invalid = await read_click_events(secure_settings.bootstrap_servers, topic, idle_timeout_s=30)
    assert [event.event_id for event in events] == ["sec-1", "sec-1b"] and invalid == 0


def test_the_worker_runs_over_sasl_ssl_and_never_logs_the_password(secure_kafka, tls, secure_settings, tmp_path):
    app_id = f"secure-{uuid.uuid4().hex[:6]}"
    worker = Worker(secure_kafka.bootstrap, app_id, tmp_path / "worker",
                    extra_env={**security_env(secure_kafka, tls), "SHOPSTREAM_ROLE": "state"})
    # no inference worker runs here: create the topics it would, so the state worker's requests have a home
    asyncio.run(create_inference_topics(secure_kafka.bootstrap, app_id))
    click = {"event_id": "sec-2", "occurred_at": "1998-01-01T00:00:00Z", "user_id": "sec-u2",
             "product_id": "ml-1", "kind": "view", "category": "Animation"}
    worker.start(timeout=180)
    try:
        asyncio.run(produce(secure_kafka.bootstrap, [(CLICKS, b"sec-u2", orjson.dumps(click))]))

        async def profile_shows_the_click():
            try:
                status, body = await http_get(f"{worker.url}/users/sec-u2/profile")
            except ValueError:  # a table route answers 500 (not JSON) until its producer knows the changelog
                return False
            return status == 200 and body

        asyncio.run(eventually(profile_shows_the_click, timeout=120))
    finally:
        assert worker.stop() == 0, worker.log_tail()
    assert PASSWORD not in worker.log_path.read_text(errors="replace")


@pytest.mark.parametrize("override, setting", [
    ({"KAFKA_SASL_PASSWORD": WRONG_PASSWORD}, "SHOPSTREAM_KAFKA_SASL_PASSWORD"),
    ({"KAFKA_SSL_CAFILE": "untrusted"}, "SHOPSTREAM_KAFKA_SSL_CAFILE"),
])
def test_a_worker_with_wrong_credentials_exits_at_once_naming_the_setting(secure_kafka, tls, tmp_path, override,
                                                                          setting):
    if override.get("KAFKA_SSL_CAFILE") == "untrusted":
        override = {"KAFKA_SSL_CAFILE": str(tls.untrusted_ca)}
    worker = Worker(secure_kafka.bootstrap, "refused", tmp_path / "worker",
                    extra_env={**security_env(secure_kafka, tls, **override), "SHOPSTREAM_ROLE": "state"})
    try:
        with pytest.raises(RuntimeError, match="worker exited"):
            worker.start(timeout=90)
    finally:
        worker.stop()
    log = worker.log_path.read_text(errors="replace")
    assert worker.process.returncode != 0 and setting in log, log[-3000:]
    assert WRONG_PASSWORD not in log and PASSWORD not in log
