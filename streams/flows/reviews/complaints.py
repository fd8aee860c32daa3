"""Active complaint alerts, as an inference worker sees them, and the recommendation slots they cost.

The stateful worker raises, updates and resolves sentiment alerts on ``shop.sentiment-alerts``
(``streams/flows/reviews/alerts.py``); ``serving.follower`` reads that topic from the beginning into a
``ComplaintView``, so ranking (``serving.ranking``) can demote products with an active alert.
Each time demotion pushes a product out of a list's top k, ``lost`` counts one slot against the
alerts active at that moment; ``take_lost`` hands the counts over for the next report (the state
agent adds them to the alerts, see ``streams/flows/reviews/agents.py``).

Pure: bytes in, answers out. Everything runs on the event loop (the follower applies, the
recommender ranks and counts), so no lock is needed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pydantic import ValidationError

from schemas.alerts import AlertStatus, SentimentAlertChanged


@dataclass(frozen=True)
class LostSlots:
    """Slots one product lost while the same alerts were active."""

    product_id: str
    alerts: dict[str, str]  # aspect -> alert_id
    slots: int


class ComplaintView:
    """product_id -> its active alerts (aspect -> alert_id), and slots lost since the last report."""

    def __init__(self) -> None:
        self._active: dict[str, dict[str, str]] = {}
        self._lost: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()

    def __bool__(self) -> bool:
        """Whether any product has an active alert."""
        return bool(self._active)

    def __len__(self) -> int:
        """How many products have an active alert."""
        return len(self._active)

    def apply_alert(self, value: bytes | None) -> SentimentAlertChanged | None:
        """Apply one ``shop.sentiment-alerts`` record; returns it, or None when it is not a valid alert.

        Raised and updated open (or keep) the alert of its product and aspect; resolved closes it,
        but only if it is the same alert (an old resolution never closes a newer alert).
        """
        try:
            alert = SentimentAlertChanged.model_validate_json(value or b"")
        except ValidationError:
            return None
        aspects = self._active.setdefault(alert.product_id, {})
        if alert.status is AlertStatus.RESOLVED:
            if aspects.get(alert.aspect) == alert.alert_id:
                del aspects[alert.aspect]
        else:
            aspects[alert.aspect] = alert.alert_id
        if not aspects:
            del self._active[alert.product_id]
        return alert

    def active(self, product_id: str) -> dict[str, str]:
        """The product's active alerts, aspect -> alert_id (empty when it has none)."""
        return dict(self._active.get(product_id, {}))

    def lost(self, product_ids: list[str]) -> None:
        """Count one lost slot for each product, against the alerts it has now."""
        for product_id in product_ids:
            alerts = self._active.get(product_id)
            if alerts:
                self._lost[product_id, tuple(sorted(alerts.items()))] += 1

    def take_lost(self) -> list[LostSlots]:
        """The slots lost since the last call, one entry per product and set of alerts; resets the counts."""
        taken, self._lost = self._lost, Counter()
        return [LostSlots(product_id, dict(alerts), slots) for (product_id, alerts), slots in sorted(taken.items())]
