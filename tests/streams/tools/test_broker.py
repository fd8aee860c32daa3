from pathlib import Path

import pytest

from streams.tools.broker import BrokerError, EmbeddedKafka, resolve_jars, server_properties
from streams.tools.broker_security import ListenerSecurity, scram_format_arguments


def test_server_properties_describe_a_one_node_kraft_cluster(tmp_path):
    text = server_properties(tmp_path, port=19092, controller_port=19093, partitions=4)
    lines = dict(line.split("=", 1) for line in text.splitlines() if line)
    assert lines["process.roles"] == "broker,controller"
    assert lines["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert lines["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert lines["log.dirs"] == str(tmp_path / "log")
    assert lines["num.partitions"] == "4" and lines["offsets.topic.replication.factor"] == "1"


def test_missing_maven_is_named_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: neither mvn nor java
    with pytest.raises(BrokerError, match=r"`mvn` was not found on PATH.*Maven.*SHOPSTREAM_BROKER"):
        resolve_jars(tmp_path / "cache")


def test_missing_java_is_named_in_the_error(tmp_path, monkeypatch):
    jars = tmp_path / "cache" / "kafka" / "3.9.1" / "jars"
    jars.mkdir(parents=True)
    (jars / ".complete").write_text("3.9.1")  # jars already cached: only java is needed
    monkeypatch.setenv("PATH", str(tmp_path))
    broker = EmbeddedKafka(data_dir=tmp_path / "data", port=19092, cache_dir=tmp_path / "cache")
    with pytest.raises(BrokerError, match=r"`java` was not found on PATH.*Java 17"):
        broker.start(timeout=5)


def test_cached_jars_are_reused_without_maven(tmp_path, monkeypatch):
    jars = tmp_path / "kafka" / "3.9.1" / "jars"
    jars.mkdir(parents=True)
    (jars / ".complete").write_text("3.9.1")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert resolve_jars(tmp_path) == jars


def test_the_pom_pins_the_kafka_version():
    pom = (Path(__file__).parents[3] / "streams" / "tools" / "kafka" / "pom.xml").read_text()
    assert "<artifactId>kafka_2.13</artifactId>" in pom and "<kafka.version>3.9.1</kafka.version>" in pom


def test_a_secured_broker_listens_for_clients_with_sasl_ssl_only(tmp_path):
    security = ListenerSecurity(keystore_pem=tmp_path / "broker.pem", truststore_pem=tmp_path / "ca.pem",
                                users={"shop": "pw"})
    text = server_properties(tmp_path, port=19092, controller_port=19093, partitions=4, security=security,
                             internal_port=19094)
    lines = dict(line.split("=", 1) for line in text.splitlines() if line)
    assert lines["advertised.listeners"] == "SASL_SSL://127.0.0.1:19092,INTERNAL://127.0.0.1:19094"
    assert lines["sasl.enabled.mechanisms"] == "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"
    assert lines["listener.name.sasl_ssl.ssl.client.auth"] == "required"
    assert 'user_shop="pw"' in lines["listener.name.sasl_ssl.plain.sasl.jaas.config"]
    assert scram_format_arguments(security) == ["--add-scram", "SCRAM-SHA-256=[name=shop,password=pw]",
                                                "--add-scram", "SCRAM-SHA-512=[name=shop,password=pw]"]
