"""Dead letters: input records ShopStream could not accept, kept for replay.

A dead letter holds the original bytes (base64) and where they came from, so
an operator can fix the producer and replay the record. Its ``event_id`` is
derived from the source coordinates, so dead-lettering the same record twice
yields the same id.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Annotated

from pydantic import ConfigDict, Field, StrictBool, StringConstraints

from schemas.common import Count, Event, derive_event_id

TOPIC_NAME_PATTERN = r"^[A-Za-z0-9._-]{1,249}$"
BASE64_PATTERN = r"^[A-Za-z0-9+/]*={0,2}$"
Base64Text = Annotated[str, StringConstraints(pattern=BASE64_PATTERN)]
ERROR_TYPE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
MAX_ERROR_LENGTH = 2000
DEFAULT_MAX_ORIGINAL_BYTES = 256 * 1024


class DeadLetter(Event):
    """An input record that failed validation or processing.

    Keyed by the source topic. `original_b64` is the record's value exactly as
    it arrived, unless `original_truncated` says it was cut to keep the dead
    letter under the broker's message size limit.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "dlq:shop.clicks:3:18211",
                    "occurred_at": "2024-05-01T12:00:04.002Z",
                    "source_topic": "shop.clicks",
                    "source_partition": 3,
                    "source_offset": 18211,
                    "source_key_b64": "dS0xMDQy",
                    "original_b64": "eyJldmVudF9pZCI6ImNsay0xIiwib2NjdXJyZWRfYXQiOiIyMDI0LTA1"
                    "LTAxVDEyOjAwOjA0WiIsInVzZXJfaWQiOiJ1LTEwNDIiLCJwcm9kdWN0X2lkIjoic2t1"
                    "LTg4MjMxIiwia2luZCI6Imxpa2UifQ==",
                    "original_truncated": False,
                    "error_type": "validation_error",
                    "error": "kind: Input should be 'view', 'cart' or 'purchase'",
                }
            ]
        }
    )

    source_topic: Annotated[str, StringConstraints(pattern=TOPIC_NAME_PATTERN)] = Field(
        description="Topic the record was read from; the Kafka key."
    )
    source_partition: Count = Field(description="Partition it was read from.")
    source_offset: Count = Field(description="Its offset in that partition.")
    source_key_b64: Base64Text | None = Field(
        default=None, description="The record's key bytes, base64; null if it had none."
    )
    original_b64: Base64Text = Field(
        description="The record's value bytes, base64 (empty for a null value)."
    )
    original_truncated: StrictBool = Field(
        default=False,
        description="True when original_b64 holds only the first bytes of the value.",
    )
    error_type: Annotated[str, StringConstraints(pattern=ERROR_TYPE_PATTERN)] = Field(
        description="Short stable code: not_json, validation_error, oversized, "
        "key_mismatch, or another snake_case code."
    )
    error: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ERROR_LENGTH)] = (
        Field(description="Readable reason, at most 2000 characters.")
    )

    @classmethod
    def from_raw(
        cls,
        *,
        topic: str,
        partition: int,
        offset: int,
        key: bytes | None,
        value: bytes | None,
        error_type: str,
        error: str,
        occurred_at: datetime | None = None,
        max_original_bytes: int = DEFAULT_MAX_ORIGINAL_BYTES,
    ) -> DeadLetter:
        """Build the dead letter for one raw Kafka record.

        ``error`` is shortened to 2000 characters and ``value`` to
        ``max_original_bytes`` (then flagged `original_truncated`), so that a
        huge or garbled record can always be dead-lettered. ``occurred_at``
        defaults to now, in UTC.
        """
        original = value or b""
        truncated = len(original) > max_original_bytes
        if truncated:
            original = original[:max_original_bytes]
        reason = error.strip() or "no error message was given"
        if len(reason) > MAX_ERROR_LENGTH:
            reason = reason[: MAX_ERROR_LENGTH - 1] + "…"
        return cls(
            event_id=derive_event_id("dlq", topic, partition, offset),
            occurred_at=occurred_at or datetime.now(timezone.utc),
            source_topic=topic,
            source_partition=partition,
            source_offset=offset,
            source_key_b64=None if key is None else _b64(key),
            original_b64=_b64(original),
            original_truncated=truncated,
            error_type=error_type,
            error=reason,
        )

    def original_bytes(self) -> bytes:
        """Return the original value bytes (possibly truncated, see the flag)."""
        return base64.b64decode(self.original_b64)


def _b64(data: bytes) -> str:
    """Standard base64 (with padding) of ``data`` as ASCII text."""
    return base64.b64encode(data).decode("ascii")
