"""ShopStream settings: the one place that reads the environment.

Every setting is read from a ``SHOPSTREAM_<NAME>`` environment variable (for example
``SHOPSTREAM_BROKER=kafka://kafka:9092``) and is frozen once loaded. ``Settings`` joins one
section per concern (``kafka.py``, ``kafka_security.py``, ``retention.py``, ``worker.py``, ``http.py``,
``state.py``, ``recommendations.py``, ``reviews.py``, ``copy.py``) into one object; ``get_settings()`` returns the process-wide
instance. ``docs/configuration.md`` is generated from these fields.
"""

from __future__ import annotations

from functools import lru_cache

from streams.settings.copy import CopySettings
from streams.settings.http import HttpSettings
from streams.settings.kafka import KafkaSettings
from streams.settings.kafka_security import KafkaSecuritySettings
from streams.settings.recommendations import RecommendationSettings
from streams.settings.retention import RetentionSettings
from streams.settings.reviews import ReviewSettings
from streams.settings.state import StateSettings
from streams.settings.worker import WorkerSettings

#: The sections in the order the configuration reference lists them.
SECTIONS = (KafkaSettings, KafkaSecuritySettings, RetentionSettings, WorkerSettings, HttpSettings, StateSettings,
            RecommendationSettings, ReviewSettings, CopySettings)


class Settings(CopySettings, ReviewSettings, RecommendationSettings, StateSettings, HttpSettings, WorkerSettings,
               RetentionSettings, KafkaSecuritySettings, KafkaSettings):
    """All knobs of a ShopStream worker and its command line, with their defaults."""

    @property
    def consumer_group(self) -> str:
        """The Faust app id (consumer group) of this worker: inference-only workers get their own."""
        return f"{self.app_id}-inference" if self.role == "inference" else self.app_id


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Load the settings from the environment once per process."""
    return Settings()
