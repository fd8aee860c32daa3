"""Topic administration: create the public topics with the configured partitions, and set their retention.

Each topic's retention comes from the settings (``streams/settings/retention.py``) by what the
topic holds: inputs, outputs, dead letters, erasure confirmations. A topic that exists already
keeps its partitions; only its ``retention.ms`` is changed when it differs, and the topic's
other dynamic configs are kept (Kafka's AlterConfigs replaces the whole set, so they are read
first and written back with it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from schemas.topics import CONTRACT, DEAD_LETTERS, ERASURE_CONFIRMATIONS, TopicSpec
from streams.kafka_clients import client_kwargs
from streams.settings import Settings, get_settings

log = logging.getLogger(__name__)

RETENTION = "retention.ms"
_DYNAMIC_TOPIC_CONFIG = 1  # DescribeConfigs v1+ config source of a topic's own setting
_TOPIC_ALREADY_EXISTS = 36


@dataclass(frozen=True)
class TopicPlan:
    """One topic to create."""

    name: str
    partitions: int
    replication_factor: int
    configs: dict[str, str]


def retention_s(spec: TopicSpec, settings: Settings) -> int:
    """How long ``spec``'s topic keeps its records, by what it holds."""
    if spec.name == DEAD_LETTERS:
        return settings.retention_dead_letters_s
    if spec.name == ERASURE_CONFIRMATIONS:
        return settings.retention_confirmations_s
    return settings.retention_input_s if spec.is_input else settings.retention_output_s


def plan_topics(partitions: int, replication_factor: int, settings: Settings | None = None) -> list[TopicPlan]:
    """Every topic of the public contract with its partitions and its retention (from ``settings``)."""
    settings = settings or get_settings()
    return [TopicPlan(spec.name, partitions, replication_factor,
                      {RETENTION: str(retention_s(spec, settings) * 1000)}) for spec in CONTRACT]


async def create_topics(bootstrap: str, plans: list[TopicPlan]) -> dict[str, str]:
    """Create the planned topics that do not exist yet and set the planned retention on those that do.

    Returns ``{name: "created" | "exists" | "retention set"}``.
    """
    admin = AIOKafkaAdminClient(**client_kwargs(get_settings(), bootstrap), request_timeout_ms=30_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [plan for plan in plans if plan.name not in existing]
        if missing:
            response = await admin.create_topics([
                NewTopic(plan.name, plan.partitions, plan.replication_factor, topic_configs=plan.configs)
                for plan in missing
            ])
            existing |= _already_there(response)
        outcome = {plan.name: "created" for plan in missing if plan.name not in existing}
        for plan in plans:
            if plan.name in existing:
                outcome[plan.name] = await _align_retention(admin, plan)
        return outcome
    finally:
        await admin.close()


def _already_there(response) -> set[str]:
    """Topics a CreateTopics response says exist already (created meanwhile, or not yet in the metadata);
    any other refusal raises with Kafka's reason."""
    there = set()
    for topic, error_code, *rest in response.topic_errors:
        if error_code == _TOPIC_ALREADY_EXISTS:
            there.add(topic)
        elif error_code:
            raise RuntimeError(f"Kafka refused to create {topic}: {rest[0] if rest else ''} (error {error_code})")
    return there


async def _align_retention(admin: AIOKafkaAdminClient, plan: TopicPlan) -> str:
    """Set ``plan``'s retention on its existing topic when it differs, keeping the topic's other own configs."""
    wanted = plan.configs.get(RETENTION)
    current = await topic_configs(admin, plan.name)
    if wanted is None or current.get(RETENTION) == wanted:
        return "exists"
    merged = {**current, RETENTION: wanted}
    responses = await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, plan.name, configs=merged)])
    for response in responses:
        for error_code, error_message, *_ in response.resources:
            if error_code:
                raise RuntimeError(f"Kafka refused to set {RETENTION}={wanted} on {plan.name}: {error_message} "
                                   f"(error {error_code})")
    log.info("Set %s=%s on %s", RETENTION, wanted, plan.name)
    return "retention set"


async def topic_configs(admin: AIOKafkaAdminClient, topic: str) -> dict[str, str]:
    """The configs set on ``topic`` itself (not inherited from the broker's defaults)."""
    responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    configs = {}
    for response in responses:
        for error_code, error_message, _, _, entries in response.resources:
            if error_code:
                raise RuntimeError(f"Kafka could not describe the configs of {topic}: {error_message} "
                                   f"(error {error_code})")
            for name, value, _read_only, source, *_ in entries:
                if source == _DYNAMIC_TOPIC_CONFIG or source is False:  # v1+: its source; v0: is_default
                    configs[name] = value
    return configs
