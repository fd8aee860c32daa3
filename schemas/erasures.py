"""The confirmation ShopStream writes once it has forgotten a user (``shop.erasure-confirmations``).

The shop's privacy service asks with ``ErasureRequested`` on ``shop.erasures``; ShopStream answers
with one ``ErasureCompleted`` per request, naming the request (``caused_by``), the user, what was
erased and when, so the service can close the request and keep its own audit trail.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from schemas.common import DerivedEvent, Timestamp, UserId

#: What an erasure removes, as the confirmation names it.
ErasedItem = Literal["profile", "latest-recommendations", "pending-recommendations"]
#: Every item an erasure removes, in the order a confirmation lists them.
ERASED_ITEMS: tuple[ErasedItem, ...] = ("profile", "latest-recommendations", "pending-recommendations")


class ErasureCompleted(DerivedEvent):
    """ShopStream has deleted every trace of a user it keeps (the answer to one ``ErasureRequested``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "erased:erase-2024-05-03-0017",
                    "occurred_at": "2024-05-03T10:00:01.250Z",
                    "caused_by": "erase-2024-05-03-0017",
                    "user_id": "u-1042",
                    "requested_at": "2024-05-03T10:00:00Z",
                    "erased": ["profile", "latest-recommendations", "pending-recommendations"],
                    "held": ["profile", "latest-recommendations"],
                }
            ]
        }
    )

    user_id: UserId = Field(description="The user forgotten; the Kafka key.")
    requested_at: Timestamp = Field(description="occurred_at of the erasure request.")
    erased: list[ErasedItem] = Field(
        description="What ShopStream erased: the profile (recent products, searches, purchases, affinities and "
        "its event-id memory), the latest recommendation list, and recommendation requests still queued "
        "(their answers are dropped, never stored or served)."
    )
    held: list[ErasedItem] = Field(
        description="Which of those actually held data of the user when the request was applied (the others "
        "were already empty)."
    )
