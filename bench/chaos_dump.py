"""What ``bench/chaos.py --dump DIR`` leaves behind after a run that was not exact, to find out why.

- ``topics/<topic>.jsonl``: every record of every topic (partition, offset, timestamp, key, value),
  read with an independent client (librdkafka) once the run is over;
- ``state.json``: what the workers answered over HTTP, next to what the events imply;
- ``worker<n>.log``: each worker's log across all its restarts;
- ``out-of-order.txt``: records that reached a key on a re-key topic (``product-interactions``,
  ``moved-events``) behind a later record of the same input partition. The offset markers count
  such a record as applied (``docs/reliability.md``), so each line is a candidate lost update;
  the timestamps say when it was sent, to be matched with the workers' logs.

This is how the two-worker loss of 2026-12-06 was found: a restarted worker had forwarded offsets
1929-1961 of ``shop.clicks[2]`` before 1226-1928.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import orjson
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient

#: Re-key topics whose values carry the input coordinates (``at``) of the events they hold.
REKEYED = ("product-interactions", "moved-events")


def read_topic(bootstrap: str, topic: str, timeout: float = 60.0) -> list[dict]:
    """Every record of ``topic`` up to its end now, all partitions, keys as text and values decoded."""
    return [{"partition": partition, "offset": offset, "timestamp_ms": timestamp_ms,
             "key": key.decode(errors="replace") if key else None, "value": _decoded(value)}
            for partition, offset, timestamp_ms, key, value in read_raw(bootstrap, topic, timeout)]


#: (partition, offset, timestamp in ms, key, value) of one record.
RawRecord = tuple[int, int, int, bytes | None, bytes | None]


def read_raw(bootstrap: str, topic: str, timeout: float = 60.0) -> list[RawRecord]:
    """Every record of ``topic`` up to its end now, as it is stored.

    It reads assigned partitions up to the end offsets taken first, so it joins no group and never stops
    early on a slow fetch; a topic that does not exist yet has no records. TimeoutError if the end offsets
    are not reached within ``timeout`` seconds."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"chaos-dump-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions}
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        records, next_offset = [], dict.fromkeys(partitions, 0)
        deadline = time.monotonic() + timeout
        while any(next_offset[p] < ends[p] for p in partitions) and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            next_offset[message.partition()] = message.offset() + 1
            records.append((message.partition(), message.offset(), message.timestamp()[1], message.key(),
                            message.value()))
        if any(next_offset[p] < ends[p] for p in partitions):
            raise TimeoutError(f"{topic}: read up to {next_offset}, not its end {ends}, in {timeout:g} s")
        return records
    finally:
        consumer.close()


def _decoded(value: bytes | None):
    try:
        return orjson.loads(value) if value else None
    except orjson.JSONDecodeError:
        return value.decode(errors="replace")


def out_of_order(records: list[dict]) -> list[str]:
    """Lines naming each event of a re-key topic that came after a later offset of its input partition
    for the same key and kind (the first time each coordinate appears; later copies are replays)."""
    highest: dict[tuple, int] = {}
    seen: set[tuple] = set()
    lines = []
    for record in sorted(records, key=lambda r: (r["partition"], r["offset"])):
        value = record["value"]
        if not isinstance(value, dict) or "at" not in value:
            continue
        kind = value.get("kind") or ("reviews" if "reviews" in value else "clicks")
        for event, (partition, offset) in zip(value.get("events") or value[kind], value["at"], strict=True):
            key = record["key"] if "events" in value else event["product_id"]  # product-interactions: many products
            stream = (key, kind, partition)
            if (stream, offset) in seen:
                continue
            seen.add((stream, offset))
            if highest.get(stream, -1) > offset:
                lines.append(f"[{record['partition']}]@{record['offset']} t={record['timestamp_ms']} key={key}"
                             f" {kind}[{partition}]@{offset} behind @{highest[stream]}")
            highest[stream] = max(highest.get(stream, -1), offset)
    return lines


def dump(bootstrap: str, folder: Path, state: dict, logs: list[Path], topics: list[str] | None = None) -> int:
    """Write every topic (or ``topics``), the state read and expected, the workers' logs and the out-of-order
    report; return how many events the report names."""
    (folder / "topics").mkdir(parents=True, exist_ok=True)
    if topics is None:
        listed = AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10).topics
        topics = sorted(topic for topic in listed if not topic.startswith("__"))
    report = []
    for topic in topics:
        records = read_topic(bootstrap, topic)
        (folder / "topics" / f"{topic}.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        if topic.endswith(REKEYED):
            report += [f"{topic} {line}" for line in out_of_order(records)]
    (folder / "state.json").write_bytes(orjson.dumps(state, option=orjson.OPT_INDENT_2))
    (folder / "out-of-order.txt").write_text("".join(line + "\n" for line in report))
    for n, log in enumerate(logs):
        if log.exists():
            (folder / f"worker{n}.log").write_bytes(log.read_bytes())
    return len(report)

