"""Certificates and SASL users for the SASL_SSL broker, made at test time with ``trustme``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography.hazmat.primitives import serialization

from streams.tools.broker_security import ListenerSecurity

USER, PASSWORD = "shopstream", "s3cret-Kafka-pass"


@dataclass(frozen=True)
class TlsFiles:
    """The PEM files of a test CA, the broker's and a client's certificates, and a CA nobody trusts."""

    ca: Path
    broker_keystore: Path
    client_cert: Path
    client_key: Path
    untrusted_ca: Path

    def listener(self) -> ListenerSecurity:
        """The embedded broker's SASL_SSL listener, requiring client certificates, with one user."""
        return ListenerSecurity(keystore_pem=self.broker_keystore, truststore_pem=self.ca, users={USER: PASSWORD})


def _pkcs8(key_pem: bytes) -> bytes:
    """Kafka's PEM keystore reads PKCS#8 keys only; trustme writes the traditional OpenSSL form."""
    key = serialization.load_pem_private_key(key_pem, password=None)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def make_tls_files(folder: Path) -> TlsFiles:
    """A CA, a broker certificate for 127.0.0.1 and localhost, a client certificate, and another CA."""
    folder.mkdir(parents=True, exist_ok=True)
    ca, other = trustme.CA(), trustme.CA()
    broker = ca.issue_cert("127.0.0.1", "localhost")
    client = ca.issue_cert("shopstream-client")
    files = TlsFiles(folder / "ca.pem", folder / "broker.pem", folder / "client.pem", folder / "client.key",
                     folder / "untrusted-ca.pem")
    ca.cert_pem.write_to_path(str(files.ca))
    other.cert_pem.write_to_path(str(files.untrusted_ca))
    chain = b"".join(blob.bytes() for blob in broker.cert_chain_pems)
    files.broker_keystore.write_bytes(_pkcs8(broker.private_key_pem.bytes()) + chain)
    client.cert_chain_pems[0].write_to_path(str(files.client_cert))
    files.client_key.write_bytes(_pkcs8(client.private_key_pem.bytes()))
    return files
