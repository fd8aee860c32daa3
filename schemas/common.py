"""Shared building blocks of the ShopStream topic contract.

Every event on every topic is a strict, immutable pydantic model:

* **Unknown fields are rejected** (``extra="forbid"``). The contract is strict
  on purpose: a producer that misspells a field (``ocurred_at``) gets its event
  sent to ``shop.dead-letters`` with a precise reason, instead of the value
  being silently dropped and lost.
* **Timestamps carry a UTC offset.** A naive time is ambiguous across the
  shop's servers, so it is rejected; send ``2024-05-01T12:00:00Z`` or
  ``2024-05-01T14:00:00+02:00``.
* **Numbers and booleans are strict**: ``"5"`` is not a rating and ``"yes"`` is
  not ``true``, so Python answers like the exported JSON Schema does.
* **Strings are stripped** of surrounding whitespace before they are checked;
  absent optional text is ``null``, never ``""``.
* Identifiers are 1-64 characters (event ids up to 128) of letters, digits and
  ``. _ : @ / -``, starting with a letter or digit; no whitespace.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@/-]*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
# JSON Schema's "format": "date-time" is not asserted by most validators, so
# the exported schema also requires the offset with a pattern.
_OFFSET_PATTERN = r"([Zz]|[+-]\d{2}(:?\d{2})?)$"
EVENT_ID_MAX_LENGTH = 128

Identifier = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=IDENTIFIER_PATTERN)
]
UserId = Identifier
ProductId = Identifier
ReviewId = Identifier
EventId = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=EVENT_ID_MAX_LENGTH, pattern=IDENTIFIER_PATTERN
    ),
]
LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
CurrencyCode = Annotated[str, StringConstraints(pattern=CURRENCY_PATTERN)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Category = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=64)]
ModelVersion = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Count = Annotated[int, Field(strict=True, ge=0)]
Probability = Annotated[float, Field(strict=True, ge=0.0, le=1.0, allow_inf_nan=False)]


def _explain_timestamp(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate a timestamp, replacing pydantic's terse errors with actionable ones."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise PydanticCustomError(
            "timestamp_type",
            "timestamps must be ISO-8601 strings with a UTC offset "
            "(e.g. 2024-05-01T12:00:00Z), not epoch numbers",
        )
    try:
        return handler(value)
    except ValidationError as exc:
        if any(error["type"] == "timezone_aware" for error in exc.errors()):
            raise PydanticCustomError(
                "timezone_aware",
                "timestamp has no UTC offset, so it is ambiguous; "
                "send e.g. 2024-05-01T12:00:00Z or 2024-05-01T14:00:00+02:00",
            ) from None
        raise


Timestamp = Annotated[
    AwareDatetime,
    WrapValidator(_explain_timestamp),
    Field(json_schema_extra={"pattern": _OFFSET_PATTERN}),
]


class Part(BaseModel):
    """A strict, immutable piece of an event (a list item or nested object)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Event(Part):
    """Base of every event on a ShopStream topic: an id and when it happened."""

    event_id: EventId = Field(
        description="Unique id of this event, chosen by its producer. Redelivered "
        "copies share it, so consumers deduplicate on it."
    )
    occurred_at: Timestamp = Field(
        description="When it happened, ISO-8601 with a UTC offset "
        "(e.g. 2024-05-01T12:00:00Z)."
    )


class DerivedEvent(Event):
    """An event ShopStream writes because of another event.

    Its ``event_id`` is derived from the cause (see ``derive_event_id``), so
    reprocessing the same input yields the same id and consumers can
    deduplicate.
    """

    caused_by: EventId = Field(
        description="event_id of the input event that caused this output."
    )


_IDENTIFIER_RE = re.compile(IDENTIFIER_PATTERN)


def derive_event_id(prefix: str, *parts: object) -> str:
    """Return a deterministic event id built from ``prefix`` and ``parts``.

    The id reads ``prefix:part1:part2`` when that is a valid event id; when it
    is too long or holds characters ids may not, it is ``prefix:`` followed by
    the SHA-256 of the joined parts, which is just as deterministic.
    """
    if not _IDENTIFIER_RE.fullmatch(prefix) or len(prefix) > 32:
        raise ValueError(
            f"event id prefix {prefix!r} must be a short identifier "
            "(letters, digits, . _ : @ / -; at most 32 characters)"
        )
    readable = ":".join([prefix, *map(str, parts)])
    if len(readable) <= EVENT_ID_MAX_LENGTH and _IDENTIFIER_RE.fullmatch(readable):
        return readable
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"{prefix}:{digest}"
