"""How every ShopStream Kafka client connects: one place that turns the settings into client options.

``client_kwargs`` gives the keyword arguments of any aiokafka client (producer, consumer, admin),
``faust_credentials`` the Faust worker's ``broker_credentials``, and ``check_kafka_access`` a
pre-flight check that connects once, so a wrong password or an untrusted certificate stops a
worker or a command at once with an error that names the setting to fix, instead of retrying
silently. Secrets are read from their ``SecretStr`` only here, only to hand them to the client.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from typing import Any

import faust
from aiokafka.conn import create_conn
from aiokafka.errors import (AuthenticationFailedError, IllegalSaslStateError, KafkaError, SaslAuthenticationFailed,
                             UnsupportedSaslMechanismError)

from streams.settings import Settings

_SASL_SETTINGS = "SHOPSTREAM_KAFKA_SASL_USERNAME, SHOPSTREAM_KAFKA_SASL_PASSWORD and SHOPSTREAM_KAFKA_SASL_MECHANISM"
_TLS_SETTINGS = "SHOPSTREAM_KAFKA_SSL_CAFILE (and SHOPSTREAM_KAFKA_SSL_CHECK_HOSTNAME)"
_LOGIN_REFUSED = (AuthenticationFailedError, SaslAuthenticationFailed, UnsupportedSaslMechanismError,
                  IllegalSaslStateError)


class KafkaAccessError(RuntimeError):
    """Kafka refused ShopStream's credentials or could not be trusted; the message names the setting to fix."""


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context of the ``SSL`` and ``SASL_SSL`` protocols, or ``None`` when they are not used."""
    if not settings.kafka_uses_tls:
        return None
    cafile = str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile)
    context.check_hostname = settings.kafka_ssl_check_hostname
    if settings.kafka_ssl_certfile is not None:
        password = settings.kafka_ssl_key_password
        context.load_cert_chain(str(settings.kafka_ssl_certfile), str(settings.kafka_ssl_keyfile),
                                password=password.get_secret_value() if password else None)
    return context


def client_kwargs(settings: Settings, bootstrap: str | None = None) -> dict[str, Any]:
    """Keyword arguments for any aiokafka client: the bootstrap servers and the security options.

    bootstrap: ``host:port[,host:port]`` to use instead of the settings' broker list (a command's
    ``--broker`` option, a test's broker); the security options still come from ``settings``.
    """
    kwargs: dict[str, Any] = {"bootstrap_servers": bootstrap or settings.bootstrap_servers,
                              "security_protocol": settings.kafka_security_protocol}
    context = ssl_context(settings)
    if context is not None:
        kwargs["ssl_context"] = context
    if settings.kafka_security_protocol.startswith("SASL"):
        kwargs.update(sasl_mechanism=settings.kafka_sasl_mechanism,
                      sasl_plain_username=settings.kafka_sasl_username,
                      sasl_plain_password=settings.kafka_sasl_password.get_secret_value())
    return kwargs


def faust_credentials(settings: Settings) -> faust.types.auth.CredentialsT | None:
    """The Faust worker's ``broker_credentials`` for the same settings (``None`` for ``PLAINTEXT``)."""
    context = ssl_context(settings)
    if settings.kafka_security_protocol.startswith("SASL"):
        return faust.SASLCredentials(username=settings.kafka_sasl_username,
                                     password=settings.kafka_sasl_password.get_secret_value(),
                                     ssl_context=context, mechanism=settings.kafka_sasl_mechanism)
    if context is not None:
        return faust.SSLCredentials(context)
    return None


async def check_kafka_access(settings: Settings, timeout_s: float = 20.0, bootstrap: str | None = None) -> None:
    """Connect once to the first bootstrap server and log in; raise ``KafkaAccessError`` naming the setting at fault.

    A broker that cannot be reached at all is left to the client's own retries (it may still be
    starting); refused credentials and untrusted certificates never heal by retrying.
    """
    kwargs = client_kwargs(settings, bootstrap)
    host, _, port = kwargs.pop("bootstrap_servers").split(",")[0].rpartition(":")
    try:
        conn = await asyncio.wait_for(create_conn(host, int(port), request_timeout_ms=int(timeout_s * 1000),
                                                  **kwargs), timeout_s)
    except ssl.SSLCertVerificationError as exc:
        raise KafkaAccessError(f"Kafka at {host}:{port} presented a certificate this client does not trust "
                               f"({exc.verify_message}); check {_TLS_SETTINGS}") from None
    except ssl.SSLError as exc:
        raise KafkaAccessError(f"TLS with Kafka at {host}:{port} failed ({exc.reason}); check "
                               f"SHOPSTREAM_KAFKA_SECURITY_PROTOCOL, {_TLS_SETTINGS}, and "
                               "SHOPSTREAM_KAFKA_SSL_CERTFILE / SHOPSTREAM_KAFKA_SSL_KEYFILE if the broker "
                               "requires a client certificate") from None
    except _LOGIN_REFUSED as exc:
        raise KafkaAccessError(f"Kafka at {host}:{port} refused the login of user "
                               f"{settings.kafka_sasl_username!r} ({type(exc).__name__}); check "
                               f"{_SASL_SETTINGS}") from None
    except KafkaError as exc:
        raise KafkaAccessError(f"Kafka at {host}:{port} closed the connection while it was being set up "
                               f"({type(exc).__name__}); check that SHOPSTREAM_KAFKA_SECURITY_PROTOCOL="
                               f"{settings.kafka_security_protocol} is what this listener speaks, and "
                               "SHOPSTREAM_KAFKA_SSL_CERTFILE / SHOPSTREAM_KAFKA_SSL_KEYFILE if it requires a "
                               "client certificate") from None
    except (OSError, asyncio.TimeoutError):
        return
    conn.close()


def require_kafka_access(settings: Settings, timeout_s: float = 20.0, bootstrap: str | None = None) -> None:
    """``check_kafka_access`` for synchronous callers (the worker's start, the command line).

    Runs in a thread of its own, so it works whether or not the caller's event loop is running.
    """
    failure: list[KafkaAccessError] = []

    def _check() -> None:
        try:
            asyncio.run(check_kafka_access(settings, timeout_s, bootstrap))
        except KafkaAccessError as exc:
            failure.append(exc)

    thread = threading.Thread(target=_check, name="kafka-access-check")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
