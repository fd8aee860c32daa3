"""A SASL_SSL client listener for the embedded broker, as a managed Kafka service would offer.

With ``ListenerSecurity`` the embedded broker listens for clients with TLS (its PEM key and
certificate, optionally requiring client certificates signed by a trusted CA) and SASL (PLAIN,
SCRAM-SHA-256 and SCRAM-SHA-512), while the broker talks to itself over a loopback PLAINTEXT
listener. SCRAM users are created when the storage is formatted (``kafka-storage format
--add-scram``), PLAIN users in the listener's JAAS configuration. It is meant for tests and demos
of the security settings; the certificates and passwords come from the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: The SASL mechanisms the secured listener accepts.
MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
_LISTENER = "sasl_ssl"


@dataclass(frozen=True)
class ListenerSecurity:
    """What the embedded broker's secured client listener needs.

    keystore_pem: the broker's unencrypted PKCS#8 private key followed by its certificate chain.
    truststore_pem: CA certificates that sign client certificates (and that clients trust).
    users: SASL user name -> password, each valid with every mechanism of ``MECHANISMS``.
    client_auth: require a client certificate signed by a CA of ``truststore_pem``.
    """

    keystore_pem: Path
    truststore_pem: Path
    users: dict[str, str] = field(default_factory=dict)
    client_auth: bool = True


def listener_properties(security: ListenerSecurity, port: int, internal_port: int, controller_port: int) -> list[str]:
    """``server.properties`` lines: SASL_SSL for clients on ``port``, PLAINTEXT between brokers on loopback."""
    plain_users = " ".join(f'user_{name}="{password}"' for name, password in security.users.items())
    return [
        f"listeners=SASL_SSL://127.0.0.1:{port},INTERNAL://127.0.0.1:{internal_port},"
        f"CONTROLLER://127.0.0.1:{controller_port}",
        f"advertised.listeners=SASL_SSL://127.0.0.1:{port},INTERNAL://127.0.0.1:{internal_port}",
        "listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=INTERNAL",
        f"sasl.enabled.mechanisms={','.join(MECHANISMS)}",
        f"listener.name.{_LISTENER}.plain.sasl.jaas.config="
        f"org.apache.kafka.common.security.plain.PlainLoginModule required {plain_users};",
        *(f"listener.name.{_LISTENER}.{mechanism.lower()}.sasl.jaas.config="
          "org.apache.kafka.common.security.scram.ScramLoginModule required;"
          for mechanism in MECHANISMS[1:]),
        "ssl.keystore.type=PEM",
        f"ssl.keystore.location={security.keystore_pem}",
        "ssl.truststore.type=PEM",
        f"ssl.truststore.location={security.truststore_pem}",
        f"listener.name.{_LISTENER}.ssl.client.auth={'required' if security.client_auth else 'none'}",
        "ssl.endpoint.identification.algorithm=",
    ]


def scram_format_arguments(security: ListenerSecurity) -> list[str]:
    """``kafka-storage format`` arguments that create every user for both SCRAM mechanisms."""
    return [argument for name, password in security.users.items() for mechanism in MECHANISMS[1:]
            for argument in ("--add-scram", f"{mechanism}=[name={name},password={password}]")]
