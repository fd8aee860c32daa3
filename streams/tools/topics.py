"""Topic administration: create the public topics with the configured partitions and configs."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from schemas.topics import CONTRACT, DEAD_LETTERS
from streams.kafka_clients import client_kwargs
from streams.settings import get_settings

log = logging.getLogger(__name__)

#: Per-topic configs beyond the broker defaults: dead letters are kept 30 days for inspection.
TOPIC_CONFIGS = {DEAD_LETTERS: {"retention.ms": str(30 * 24 * 3600 * 1000)}}


@dataclass(frozen=True)
class TopicPlan:
    """One topic to create."""

    name: str
    partitions: int
    replication_factor: int
    configs: dict[str, str]


def plan_topics(partitions: int, replication_factor: int) -> list[TopicPlan]:
    """Every topic of the public contract with its partitions and configs."""
    return [TopicPlan(spec.name, partitions, replication_factor, TOPIC_CONFIGS.get(spec.name, {}))
            for spec in CONTRACT]


async def create_topics(bootstrap: str, plans: list[TopicPlan]) -> dict[str, str]:
    """Create the planned topics that do not exist yet; returns ``{name: "created" | "exists"}``."""
    admin = AIOKafkaAdminClient(**client_kwargs(get_settings(), bootstrap), request_timeout_ms=30_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [plan for plan in plans if plan.name not in existing]
        if missing:
            await admin.create_topics([
                NewTopic(plan.name, plan.partitions, plan.replication_factor, topic_configs=plan.configs)
                for plan in missing
            ])
        outcome = {plan.name: "exists" for plan in plans if plan.name in existing}
        outcome.update({plan.name: "created" for plan in missing})
        return outcome
    finally:
        await admin.close()
