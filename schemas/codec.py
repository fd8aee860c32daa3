"""The one JSON codec of ShopStream: orjson, UTF-8, timestamps with offsets.

``dumps`` and ``loads`` are pure functions usable without Faust.
``register_faust_codec()`` makes them available to Faust as
``value_serializer="shopstream-json"``; it imports Faust only when called, so
``import schemas`` works on machines without Faust (the GPU inference hosts).
"""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel

CODEC_NAME = "shopstream-json"
# UTC timestamps end in "Z" (like pydantic's JSON mode); others keep their offset.
_OPTIONS = orjson.OPT_UTC_Z


def _encode_other(obj: Any) -> Any:
    """Encode what orjson cannot natively: pydantic models nested in containers."""
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    raise TypeError(type(obj).__name__)


def dumps(obj: Any) -> bytes:
    """Encode a pydantic model, or plain JSON-like data, as compact UTF-8 JSON bytes.

    Raises ``TypeError`` naming what could not be encoded.
    """
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json")
    try:
        return orjson.dumps(obj, default=_encode_other, option=_OPTIONS)
    except orjson.JSONEncodeError as exc:
        raise TypeError(
            f"cannot encode as JSON ({exc}); pass a pydantic model or plain dicts "
            "with string keys, lists, strings, numbers, booleans, enums and datetimes"
        ) from exc


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """Decode JSON bytes into plain Python data (validate it with a model after).

    Raises ``orjson.JSONDecodeError`` (a ``ValueError``) on malformed input,
    including invalid UTF-8 and NaN/Infinity literals.
    """
    return orjson.loads(data)


def register_faust_codec() -> None:
    """Register this codec with Faust under ``CODEC_NAME`` (idempotent)."""
    from faust.serializers import codecs

    class ShopStreamCodec(codecs.Codec):
        """Faust codec delegating to ``schemas.codec.dumps`` and ``loads``."""

        def _dumps(self, obj: Any) -> bytes:
            return dumps(obj)

        def _loads(self, s: bytes) -> Any:
            return loads(s)

    codecs.register(CODEC_NAME, ShopStreamCodec())
