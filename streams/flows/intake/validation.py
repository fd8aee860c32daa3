"""Turn a raw Kafka message into a validated event, or a readable reason why not.

Pure and Faust-free: agents call ``parse_event`` and dead-letter a ``Rejection``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import orjson
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Rejection:
    """Why a message was refused: a stable ``error_type`` code and a sentence for people."""

    error_type: str
    reason: str


def describe_validation_error(error: ValidationError, limit: int = 5) -> str:
    """One line per problem, e.g. ``kind: Input should be 'view', 'cart' or 'purchase' (got 'wish')``."""
    lines = []
    for problem in error.errors()[:limit]:
        where = ".".join(str(part) for part in problem["loc"]) or "(event)"
        got = problem.get("input")
        shown = "" if problem["type"] == "missing" else f" (got {_short_repr(got)})"
        lines.append(f"{where}: {problem['msg']}{shown}")
    extra = error.error_count() - limit
    if extra > 0:
        lines.append(f"... and {extra} more problem(s)")
    return "; ".join(lines)


def _short_repr(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_event(
    raw: bytes | None, model: type[M], *, key: bytes | None, key_field: str | None, max_bytes: int
) -> M | Rejection:
    """Decode and validate one message value against ``model``.

    The message key must equal the event's ``key_field`` (e.g. ``user_id`` on shop.clicks),
    because state is partitioned by it.
    """
    if not raw:
        return Rejection("empty", "the message has no value; expected a JSON object")
    if len(raw) > max_bytes:
        return Rejection("oversized", f"the message is {len(raw)} bytes; the limit is {max_bytes} "
                                      "(SHOPSTREAM_MAX_EVENT_BYTES)")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Rejection("not_json", f"the value is not valid JSON: {exc}")
    if not isinstance(data, dict):
        return Rejection("not_object", f"expected a JSON object, got {type(data).__name__}")
    try:
        event = model.model_validate(data)
    except ValidationError as exc:
        return Rejection("validation_error", f"invalid {model.__name__}: {describe_validation_error(exc)}")
    if key_field is not None:
        expected = str(getattr(event, key_field))
        if key is None:
            return Rejection("missing_key", f"the message has no key; key it by {key_field} ({expected!r})")
        if key.decode("utf-8", "replace") != expected:
            return Rejection("key_mismatch", f"the message key {_short_repr(key.decode('utf-8', 'replace'))} "
                                             f"does not match {key_field} {expected!r}; key it by {key_field}")
    return event
