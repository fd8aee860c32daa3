"""Settings of how ShopStream's Kafka clients prove who they are and protect what they send.

``streams/kafka_clients.py`` turns these fields into the keyword arguments of every aiokafka
client and into the Faust worker's ``broker_credentials``; nothing else reads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, model_validator

from streams.settings.base import Section

#: The security protocols Kafka listeners speak, as Kafka names them.
SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
#: The SASL mechanisms ShopStream supports.
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class KafkaSecuritySettings(Section):
    """TLS and SASL towards Kafka, for the worker, the command line and every internal client."""

    title: ClassVar[str] = "Kafka security"

    kafka_security_protocol: SecurityProtocol = Field(
        "PLAINTEXT", description="How clients talk to Kafka: `PLAINTEXT` (no encryption, no login: a trusted network "
        "only), `SSL` (TLS), `SASL_PLAINTEXT` (login without encryption) or `SASL_SSL` (login over TLS, what "
        "managed Kafka services require)."
    )
    kafka_ssl_cafile: Path | None = Field(
        None, description="PEM file of the certificate authorities trusted to sign the brokers' certificates (TLS); "
        "unset: the system's trusted authorities."
    )
    kafka_ssl_certfile: Path | None = Field(
        None, description="PEM file of this client's certificate chain, for brokers that require client certificates "
        "(mutual TLS); needs kafka_ssl_keyfile."
    )
    kafka_ssl_keyfile: Path | None = Field(None, description="PEM file of the private key of kafka_ssl_certfile.")
    kafka_ssl_key_password: SecretStr | None = Field(
        None, description="Password of kafka_ssl_keyfile when the key is encrypted (never logged)."
    )
    kafka_ssl_check_hostname: bool = Field(
        True, description="Check that a broker's certificate names the host it was reached at; turn off only for "
        "brokers reached by an address their certificate does not name."
    )
    kafka_sasl_mechanism: SaslMechanism = Field(
        "PLAIN", description="SASL mechanism of `SASL_*` protocols: `PLAIN` (the password crosses the wire as is: "
        "use it only with `SASL_SSL`), `SCRAM-SHA-256` or `SCRAM-SHA-512` (challenge-response; the password never "
        "crosses the wire)."
    )
    kafka_sasl_username: str | None = Field(None, description="SASL user name (required by the `SASL_*` protocols).")
    kafka_sasl_password: SecretStr | None = Field(
        None, description="SASL password (required by the `SASL_*` protocols; never logged or shown)."
    )

    @model_validator(mode="after")
    def _security_is_complete(self) -> "KafkaSecuritySettings":
        protocol = self.kafka_security_protocol
        if protocol.startswith("SASL") and (not self.kafka_sasl_username or self.kafka_sasl_password is None):
            raise ValueError(f"SHOPSTREAM_KAFKA_SECURITY_PROTOCOL={protocol} needs SHOPSTREAM_KAFKA_SASL_USERNAME "
                             "and SHOPSTREAM_KAFKA_SASL_PASSWORD")
        if (self.kafka_ssl_certfile is None) != (self.kafka_ssl_keyfile is None):
            raise ValueError("SHOPSTREAM_KAFKA_SSL_CERTFILE and SHOPSTREAM_KAFKA_SSL_KEYFILE go together: set both "
                             "or neither")
        for name in ("kafka_ssl_cafile", "kafka_ssl_certfile", "kafka_ssl_keyfile"):
            path = getattr(self, name)
            if path is not None and not path.is_file():
                raise ValueError(f"SHOPSTREAM_{name.upper()}={path} is not a readable file")
        return self

    @property
    def kafka_uses_tls(self) -> bool:
        """Whether the security protocol encrypts the connection."""
        return self.kafka_security_protocol in ("SSL", "SASL_SSL")
