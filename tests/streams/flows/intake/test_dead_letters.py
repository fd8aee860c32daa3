import asyncio

import orjson

from streams.flows.intake.dead_letters import Ledger, already_dead_lettered, highest_offsets, ledger_key


def letter(topic: str, partition: int, offset: int) -> bytes:
    return orjson.dumps({"source_topic": topic, "source_partition": partition, "source_offset": offset})


def test_a_record_at_or_below_the_highest_dead_lettered_offset_was_sent_before():
    assert ledger_key("shop.clicks", 2) == "shop.clicks@2"
    assert not already_dead_lettered(None, 0)  # nothing dead-lettered from this partition yet
    assert already_dead_lettered(41, 41) and already_dead_lettered(41, 7)
    assert not already_dead_lettered(41, 42)


def test_the_topic_tail_gives_the_highest_offset_per_input_partition():
    values = [letter("shop.clicks", 0, 5), letter("shop.clicks", 0, 9), letter("shop.clicks", 1, 2),
              letter("shop.reviews", 0, 3)]
    assert highest_offsets(values) == {"shop.clicks@0": 9, "shop.clicks@1": 2, "shop.reviews@0": 3}


def test_the_ledger_reads_the_topic_once_per_assignment_and_counts_what_it_sends():
    reads = []

    async def newest():
        reads.append(1)
        return [letter("shop.clicks", 0, 9)]

    async def scenario(ledger: Ledger):
        decisions = [await ledger.sent_before("shop.clicks@0", 9, newest),  # sent before the crash
                     await ledger.sent_before("shop.clicks@0", 10, newest)]
        ledger.record("shop.clicks@0", 10)
        decisions.append(await ledger.sent_before("shop.clicks@0", 10, newest))
        ledger.forget()  # a rebalance: the topic is read again
        decisions.append(await ledger.sent_before("shop.clicks@1", 0, newest))
        return decisions

    assert asyncio.run(scenario(Ledger())) == [True, False, True, False]
    assert len(reads) == 2
