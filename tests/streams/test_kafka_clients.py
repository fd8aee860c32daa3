"""The one helper that turns the Kafka security settings into client options (no broker needed)."""

from __future__ import annotations

import ssl

import faust
import pytest
from pydantic import ValidationError

from streams.kafka_clients import client_kwargs, faust_credentials, ssl_context
from streams.settings import Settings
from tests.integration.tls import make_tls_files

SECRET = "hunter2-kafka"


@pytest.fixture
def tls(tmp_path):
    return make_tls_files(tmp_path / "tls")


def secure(monkeypatch, tls, protocol="SASL_SSL", mechanism="SCRAM-SHA-256") -> Settings:
    for name, value in {"BROKER": "kafka://k1:9093;kafka://k2:9093", "KAFKA_SECURITY_PROTOCOL": protocol,
                        "KAFKA_SSL_CAFILE": str(tls.ca), "KAFKA_SSL_CERTFILE": str(tls.client_cert),
                        "KAFKA_SSL_KEYFILE": str(tls.client_key), "KAFKA_SASL_MECHANISM": mechanism,
                        "KAFKA_SASL_USERNAME": "shop", "KAFKA_SASL_PASSWORD": SECRET}.items():
        monkeypatch.setenv(f"SHOPSTREAM_{name}", value)
    return Settings()


def test_plaintext_is_the_default_and_adds_no_security_options():
    assert client_kwargs(Settings()) == {"bootstrap_servers": "localhost:9092", "security_protocol": "PLAINTEXT"}
    assert faust_credentials(Settings()) is None and ssl_context(Settings()) is None


def test_sasl_ssl_gives_every_client_the_same_login_and_tls(monkeypatch, tls):
    settings = secure(monkeypatch, tls)
    kwargs = client_kwargs(settings)
    assert kwargs["bootstrap_servers"] == "k1:9093,k2:9093" and kwargs["security_protocol"] == "SASL_SSL"
    assert (kwargs["sasl_mechanism"], kwargs["sasl_plain_username"], kwargs["sasl_plain_password"]) == (
        "SCRAM-SHA-256", "shop", SECRET)
    assert kwargs["ssl_context"].check_hostname and kwargs["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    assert client_kwargs(settings, "other:9093")["bootstrap_servers"] == "other:9093"
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials) and credentials.protocol.value == "SASL_SSL"
    assert credentials.mechanism.value == "SCRAM-SHA-256" and SECRET not in repr(credentials)


def test_tls_without_sasl_uses_ssl_credentials(monkeypatch, tls):
    settings = secure(monkeypatch, tls, protocol="SSL")
    assert "sasl_mechanism" not in client_kwargs(settings)
    assert isinstance(faust_credentials(settings), faust.SSLCredentials)


def test_the_hostname_check_can_be_turned_off(monkeypatch, tls):
    monkeypatch.setenv("SHOPSTREAM_KAFKA_SSL_CHECK_HOSTNAME", "false")
    assert not ssl_context(secure(monkeypatch, tls, protocol="SSL")).check_hostname


def test_secrets_never_show_in_the_settings_repr_or_dump(monkeypatch, tls):
    settings = secure(monkeypatch, tls)
    assert SECRET not in repr(settings) and SECRET not in str(settings.model_dump())
    assert SECRET not in settings.model_dump_json()


@pytest.mark.parametrize("env, fragment", [
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "needs SHOPSTREAM_KAFKA_SASL_USERNAME"),
    ({"KAFKA_SSL_CERTFILE": "/etc/hostname"}, "go together"),
    ({"KAFKA_SSL_CAFILE": "/no/such/ca.pem"}, "SHOPSTREAM_KAFKA_SSL_CAFILE=/no/such/ca.pem is not a readable"),
    ({"KAFKA_SASL_MECHANISM": "GSSAPI"}, "PLAIN"),
])
def test_incomplete_security_settings_are_refused_with_the_setting_named(monkeypatch, env, fragment):
    for name, value in env.items():
        monkeypatch.setenv(f"SHOPSTREAM_{name}", value)
    with pytest.raises(ValidationError, match=fragment):
        Settings()
