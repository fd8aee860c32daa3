"""The embedded broker: a real single-node Apache Kafka (KRaft mode) run from Maven Central jars.

The jars are resolved once with Maven from ``streams/tools/kafka/pom.xml`` and cached under
``<cache_dir>/kafka/<version>/jars``; the broker then runs as
``java -cp '<jars>/*' kafka.Kafka server.properties`` with a small heap. It is meant for
demos and tests on one machine; production runs against the shop's own Kafka.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from streams.tools.broker_security import ListenerSecurity, listener_properties, scram_format_arguments
from streams.tools.processes import free_port, stop_process

log = logging.getLogger(__name__)

KAFKA_VERSION = "3.9.1"
READY_LINE = "Kafka Server started"


class BrokerError(RuntimeError):
    """The embedded broker could not be resolved, formatted or started."""


def _require_tool(name: str, purpose: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BrokerError(
            f"`{name}` was not found on PATH; it is needed to {purpose}. "
            "Install Java 17 and Maven (e.g. `apt-get install -y openjdk-17-jre-headless maven`), "
            "or point ShopStream at an existing Kafka with SHOPSTREAM_BROKER=kafka://host:9092."
        )
    return path


def _package_file(name: str) -> Path:
    return Path(str(resources.files("streams.tools") / "kafka" / name))


def resolve_jars(cache_dir: Path, version: str = KAFKA_VERSION) -> Path:
    """Return the folder of Kafka broker jars, resolving them with Maven on first use."""
    jars = cache_dir / "kafka" / version / "jars"
    marker = jars / ".complete"
    if marker.exists():
        return jars
    mvn = _require_tool("mvn", "download the Apache Kafka broker jars from Maven Central")
    jars.mkdir(parents=True, exist_ok=True)
    log.info("Resolving Apache Kafka %s jars from Maven Central into %s (once)...", version, jars)
    cmd = [
        mvn, "-q", "-B", "-f", str(_package_file("pom.xml")),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={jars}", "-DincludeScope=runtime", f"-Dkafka.version={version}",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-2000:]
        raise BrokerError(
            f"Maven could not resolve org.apache.kafka:kafka_2.13:{version} (exit {done.returncode}). "
            f"Is Maven Central reachable? Maven said:\n{tail}"
        )
    marker.write_text(version)
    return jars


def _plaintext_listeners(port: int, controller_port: int) -> list[str]:
    return [
        f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
    ]


def server_properties(data_dir: Path, port: int, controller_port: int, partitions: int,
                      security: ListenerSecurity | None = None, internal_port: int | None = None) -> str:
    """The broker configuration of a one-node KRaft cluster listening on 127.0.0.1.

    Clients connect to ``port``: PLAINTEXT, or SASL_SSL when ``security`` is given (the broker then
    talks to itself over PLAINTEXT on ``internal_port``).
    """
    listeners = (_plaintext_listeners(port, controller_port) if security is None
                 else listener_properties(security, port, internal_port, controller_port))
    return "\n".join([
        "process.roles=broker,controller",
        "node.id=1",
        f"controller.quorum.voters=1@127.0.0.1:{controller_port}",
        "controller.listener.names=CONTROLLER",
        *listeners,
        f"log.dirs={data_dir / 'log'}",
        f"num.partitions={partitions}",
        "auto.create.topics.enable=true",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=4",
        "group.initial.rebalance.delay.ms=0",
        "log.cleaner.dedupe.buffer.size=16777216",
        "",
    ])


@dataclass
class EmbeddedKafka:
    """One Apache Kafka broker process; use as a context manager or call start()/stop()."""

    data_dir: Path
    cache_dir: Path  # where the jars are cached: Settings.cache_dir
    port: int = 9092
    controller_port: int | None = None
    heap: str = "512m"
    partitions: int = 4
    version: str = KAFKA_VERSION
    security: ListenerSecurity | None = None  # a SASL_SSL client listener instead of PLAINTEXT
    process: subprocess.Popen | None = field(default=None, init=False)

    @property
    def bootstrap(self) -> str:
        """``host:port`` for Kafka clients."""
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """Where the broker's stdout and stderr go."""
        return self.data_dir / "broker.log"

    def _java_cmd(self, jars: Path, main: str, *args: str) -> list[str]:
        java = _require_tool("java", "run the Apache Kafka broker")
        log4j = f"-Dlog4j.configuration=file:{_package_file('log4j.properties')}"
        return [java, f"-Xmx{self.heap}", f"-Xms{self.heap}", log4j, "-cp", f"{jars}/*", main, *args]

    def _format(self, jars: Path, props: Path) -> None:
        if (self.data_dir / "log" / "meta.properties").exists():
            return
        cluster_id = uuid.uuid4().hex[:22]
        scram = scram_format_arguments(self.security) if self.security else []
        cmd = self._java_cmd(jars, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(props), *scram)
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise BrokerError(f"Formatting Kafka storage in {self.data_dir} failed:\n{done.stderr[-2000:]}")

    def start(self, timeout: float = 90.0) -> "EmbeddedKafka":
        """Resolve jars, format storage on first use, start the broker and wait until it serves."""
        jars = resolve_jars(self.cache_dir, self.version)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.controller_port = self.controller_port or free_port()
        props = self.data_dir / "server.properties"
        internal_port = free_port() if self.security else None
        props.write_text(server_properties(self.data_dir, self.port, self.controller_port, self.partitions,
                                           self.security, internal_port))
        self._format(jars, props)
        out = self.log_path.open("ab")
        earlier = out.tell()  # a restart appends: only what this broker writes says it is ready
        cmd = self._java_cmd(jars, "kafka.Kafka", str(props))
        self.process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready(timeout, earlier)
        log.info("Apache Kafka %s is serving on %s (data in %s)", self.version, self.bootstrap, self.data_dir)
        return self

    def _wait_ready(self, timeout: float, earlier: int = 0) -> None:
        """Wait for the ready line in what the log gained after its first ``earlier`` bytes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrokerError(
                    f"Kafka exited with code {self.process.returncode}; see {self.log_path}:\n"
                    + self.log_path.read_text(errors="replace")[-2000:]
                )
            if READY_LINE in self._log_since(earlier):
                return
            time.sleep(0.2)
        self.stop()
        raise BrokerError(f"Kafka did not start within {timeout:.0f}s; see {self.log_path}")

    def _log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log_file:
            log_file.seek(offset)
            return log_file.read().decode(errors="replace")

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the broker with SIGTERM (SIGKILL after ``timeout`` seconds)."""
        if self.process is not None:
            stop_process(self.process, timeout)

    def __enter__(self) -> "EmbeddedKafka":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
