"""bench/chaos_dump.py on the real broker: a topic is read back whole, in order, and re-keyed events that
arrived behind a later offset of their input partition are named."""

import asyncio

import orjson

from bench.chaos_dump import dump
from bench.chaos_shop import send_with_librdkafka
from streams.tools.topics import TopicPlan, create_topics


def test_dump_writes_the_topic_and_names_the_out_of_order_event(kafka, tmp_path):
    topic = "dump-test-product-interactions"
    asyncio.run(create_topics(kafka.bootstrap, [TopicPlan(topic, 1, 1, {})]))
    click = {"product_id": "p1"}
    send_with_librdkafka(kafka.bootstrap, [(topic, "p1", {"clicks": [click], "at": [[2, 1929]]}),
                                           (topic, "p1", {"clicks": [click, click], "at": [[2, 1226], [2, 1930]]})])
    log = tmp_path / "worker.log"
    log.write_text("a worker's log\n")
    named = dump(kafka.bootstrap, tmp_path / "dump", {"read": None}, [log], topics=[topic])
    written = [orjson.loads(line) for line in (tmp_path / "dump" / "topics" / f"{topic}.jsonl").read_text().splitlines()]
    assert [(r["offset"], r["key"], r["value"]["at"]) for r in written] == [(0, "p1", [[2, 1929]]),
                                                                          (1, "p1", [[2, 1226], [2, 1930]])]
    report = (tmp_path / "dump" / "out-of-order.txt").read_text().splitlines()
    assert named == 1 and len(report) == 1 and report[0].startswith(f"{topic} [0]@1 ")
    assert report[0].endswith("key=p1 clicks[2]@1226 behind @1929")
    assert (tmp_path / "dump" / "worker0.log").read_text() == "a worker's log\n"
    assert orjson.loads((tmp_path / "dump" / "state.json").read_bytes()) == {"read": None}
