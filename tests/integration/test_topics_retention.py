"""`shopstream topics` sets each topic's retention from the settings, also on topics that exist, and keeps
their other configs."""

from __future__ import annotations

import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from schemas.topics import CLICKS, DEAD_LETTERS, ERASURE_CONFIRMATIONS, RECOMMENDATIONS
from streams.settings import Settings
from tests.integration.harness import eventually
from streams.tools.topics import RETENTION, TopicPlan, create_topics, plan_topics, topic_configs

pytestmark = pytest.mark.integration

HOUR_MS = 3_600_000


async def configs_of(bootstrap: str, topic: str) -> dict[str, str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return await topic_configs(admin, topic)
    finally:
        await admin.close()


async def test_every_public_topic_gets_the_retention_of_what_it_holds(kafka):
    settings = Settings()
    await create_topics(kafka.bootstrap, plan_topics(4, 1, settings))
    assert (await configs_of(kafka.bootstrap, CLICKS))[RETENTION] == str(settings.retention_input_s * 1000)
    assert (await configs_of(kafka.bootstrap, RECOMMENDATIONS))[RETENTION] == str(settings.retention_output_s * 1000)
    assert (await configs_of(kafka.bootstrap, DEAD_LETTERS))[RETENTION] == str(settings.retention_dead_letters_s * 1000)
    assert (await configs_of(kafka.bootstrap, ERASURE_CONFIRMATIONS))[RETENTION] == str(
        settings.retention_confirmations_s * 1000)


async def test_an_existing_topic_gets_the_new_retention_and_keeps_its_other_configs(kafka):
    name = f"retention-{uuid.uuid4().hex[:8]}"
    first = TopicPlan(name, 2, 1, {RETENTION: str(48 * HOUR_MS), "max.message.bytes": "2000000"})
    assert await create_topics(kafka.bootstrap, [first]) == {name: "created"}

    async def described():  # a topic is known to every part of the broker shortly after its creation
        try:
            return await configs_of(kafka.bootstrap, name)
        except RuntimeError:
            return None

    assert (await eventually(described, timeout=30, interval=0.2))["max.message.bytes"] == "2000000"
    changed = TopicPlan(name, 2, 1, {RETENTION: str(2 * HOUR_MS)})
    assert await create_topics(kafka.bootstrap, [changed]) == {name: "retention set"}
    configs = await configs_of(kafka.bootstrap, name)
    assert configs[RETENTION] == str(2 * HOUR_MS) and configs["max.message.bytes"] == "2000000"
    assert await create_topics(kafka.bootstrap, [changed]) == {name: "exists"}
