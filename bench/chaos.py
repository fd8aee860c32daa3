"""Chaos run: kill -9 state workers at random points while a skewed shop keeps producing, then count.

For each number of workers (``--workers 1 2``) and each store mode (``--stores kept deleted``: the
killed worker restarts on its data directory as it was, or with it deleted; a worker that did
not stop cleanly rebuilds its tables from the changelogs either way (``streams/state/local_store.py``),
so the modes differ only in what else the directory holds), on a fresh embedded Kafka, it
produces the shop of ``bench/chaos_shop.py`` (librdkafka's default partitioner, 40% of the
clicks on one product, 2% sent twice, a malformed click every 300 events) at ``--rate``
events/s, and meanwhile kills a random worker ``--kills`` times with SIGKILL, every second kill
while the previous victim is still catching up. Then it prints, per run:

  lost / doubled     updates missing from, or applied twice to, product counters and user profiles
  dead letters       malformed records expected, found, and found more than once
  stale reads        HTTP reads through every worker that answered an old value (a 503 is not stale)
  restart s          from relaunching a killed worker to its first applied event

Run: ``python -m bench.chaos --workers 1 2 --kills 5`` (about 4 minutes per run on 2 cores).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from bench.chaos_dump import dump
from bench.chaos_shop import (Shop, applied_count, differences, expected_counters, expected_profile_events,
                              malformed_ids, read_state, send_with_librdkafka, shop_events)
from streams.settings import get_settings
from streams.tools.broker import EmbeddedKafka
from streams.tools.processes import Worker, free_port
from streams.tools.topics import create_topics, plan_topics
from tests.integration.harness import read_dead_letters

SOURCES = ("clicks", "searches", "product-interactions")


@dataclass
class Outcome:
    """What one chaos run found."""

    workers: int
    store: str
    events: int = 0
    lost: int = 0
    doubled: int = 0
    letters_expected: int = 0
    letters_found: int = 0
    letters_twice: int = 0
    reads: int = 0
    stale: int = 0
    restarts: list[float] = field(default_factory=list)


def produce_at(bootstrap: str, records: list, rate: float, done: threading.Event) -> None:
    """Send ``records`` at about ``rate`` per second, in slices of a tenth of a second."""
    step = max(1, int(rate / 10))
    started = time.monotonic()
    for begin in range(0, len(records), step):
        send_with_librdkafka(bootstrap, records[begin:begin + step])
        time.sleep(max(0.0, started + (begin + step) / rate - time.monotonic()))
    done.set()


async def processed(worker: Worker) -> float:
    """Events the worker's current process applied, all sources together (0 while its HTTP is not up)."""
    try:
        return sum([await applied_count(worker.url, source) for source in SOURCES])
    except Exception:  # noqa: BLE001  not listening yet: nothing processed yet
        return 0.0


def restart(worker: Worker, delete_store: bool, timeout: float = 120.0) -> float:
    """kill -9 ``worker``, relaunch it (without its local store if ``delete_store``), and return the seconds
    from the relaunch to its first applied event."""
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait(30)
    if delete_store:
        shutil.rmtree(worker.data_dir / "state", ignore_errors=True)
    launched = time.monotonic()
    worker.start(timeout=timeout)
    while not asyncio.run(processed(worker)):
        if time.monotonic() - launched > timeout:
            raise TimeoutError(f"restarted worker applied nothing in {timeout} s:\n{worker.log_tail()}")
        time.sleep(0.05)
    return time.monotonic() - launched


def stale_reads(workers: list[Worker], products: dict, users: dict) -> tuple[int, int]:
    """(reads, stale) over every key through every worker: a 200 with another value than the current one."""
    reads = stale = 0
    for worker in workers:
        found = asyncio.run(read_state(worker.url, products, users))
        if found is None:
            continue  # a 503: partitions moving, not stale
        reads += len(products) + len(users)
        stale += sum(found["products"][key] != want for key, want in products.items())
        stale += sum(found["users"][key] != want for key, want in users.items())
    return reads, stale


def wait_exact(worker: Worker, products: dict, users: dict, timeout: float) -> tuple[int, int]:
    """(lost, doubled) once the state read through ``worker`` is exact, or at ``timeout``."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        found = asyncio.run(read_state(worker.url, products, users))
        if found is not None:
            last = differences(found, products, users)
            if last == (0, 0):
                return last
        time.sleep(2)
    return last if last is not None else (-1, -1)


def chaos_run(workers: int, store: str, args: argparse.Namespace, tmp: Path) -> Outcome:
    """One run on a fresh broker; see the module docstring."""
    rng = random.Random(args.seed + workers)
    shop = Shop(chunk=args.chunk, chunks=args.kills + 1)
    chunks = shop_events(shop)
    records = [record for chunk in chunks for record in chunk]
    outcome = Outcome(workers, store, events=len(records))
    with EmbeddedKafka(data_dir=tmp / "kafka", port=free_port(), partitions=args.partitions,
                       cache_dir=get_settings().cache_dir) as kafka:
        asyncio.run(create_topics(kafka.bootstrap, plan_topics(args.partitions, 1)))
        app_id = f"chaos-{uuid.uuid4().hex[:8]}"
        env = {"SHOPSTREAM_ROLE": "state", "SHOPSTREAM_PARTITIONS": str(args.partitions)}
        group = [Worker(kafka.bootstrap, app_id, tmp / f"worker{n}", store="rocksdb://",
                        extra_env={**env, "SHOPSTREAM_INSTANCE_ID": f"{app_id}-{n}"} if args.static else env)
                 for n in range(workers)]
        try:
            for worker in group:
                worker.start(timeout=240)
            done = threading.Event()
            producer = threading.Thread(target=produce_at, args=(kafka.bootstrap, records, args.rate, done),
                                        daemon=True)
            producer.start()
            for kill in range(args.kills):
                if kill % 2 == 0:  # at a random point; odd kills come at once: during the last victim's catch-up
                    time.sleep(rng.uniform(2, 8))
                victim = rng.choice(group)
                outcome.restarts.append(restart(victim, store == "deleted"))
                print(f"  {workers} worker(s), store {store}: kill {kill + 1}/{args.kills}, back to work in "
                      f"{outcome.restarts[-1]:.1f} s", flush=True)
            producer.join()
            products, users = expected_counters(chunks), expected_profile_events(chunks)
            outcome.lost, outcome.doubled = wait_exact(group[0], products, users, timeout=300)
            outcome.reads, outcome.stale = stale_reads(group, products, users)
            if args.dump and (outcome.lost or outcome.doubled):
                folder = args.dump / f"{workers}-workers-{store}"
                state = {"read": asyncio.run(read_state(group[0].url, products, users)),
                         "expected": {"products": products, "users": users}}
                named = dump(kafka.bootstrap, folder, state, [worker.log_path for worker in group])
                print(f"  not exact: every topic, the state and the logs are in {folder}; {named} re-keyed "
                      "events arrived behind a later offset of their input partition (out-of-order.txt)", flush=True)
            bad = malformed_ids(chunks)
            letters = read_letters(kafka.bootstrap, len(bad))
            outcome.letters_expected, outcome.letters_found = len(bad), len(set(letters) & set(bad))
            outcome.letters_twice = sum(count > 1 for count in Counter(letters).values())
        finally:
            for worker in group:
                if worker.process and worker.process.poll() is None:
                    worker.stop()
            if args.logs:
                args.logs.mkdir(parents=True, exist_ok=True)
                for n, worker in enumerate(group):
                    if worker.log_path.exists():
                        shutil.copy(worker.log_path, args.logs / f"{workers}-workers-{store}-worker{n}.log")
    return outcome


def read_letters(bootstrap: str, expected: int) -> list[str]:
    """The event ids of the records on shop.dead-letters (read with librdkafka, as the chaos test does)."""
    return [orjson.loads(base64.b64decode(letter["original_b64"])).get("event_id", "?")
            for letter in read_dead_letters(bootstrap, expected)]


def report(outcomes: list[Outcome]) -> None:
    """Print one line per run."""
    print(f"\n{'workers':>7} {'store':>7} {'events':>7} {'lost':>5} {'doubled':>7} {'dead letters':>16} "
          f"{'stale reads':>13}  restart-to-processing s")
    for o in outcomes:
        letters = f"{o.letters_found}/{o.letters_expected} ({o.letters_twice} x2)"
        restarts = ", ".join(f"{s:.1f}" for s in o.restarts)
        print(f"{o.workers:>7} {o.store:>7} {o.events:>7,} {o.lost:>5} {o.doubled:>7} {letters:>16} "
              f"{o.stale:>5}/{o.reads:<7,}  {restarts} (max {max(o.restarts):.1f})")


def main() -> None:
    """Parse the arguments, run every (workers, store) combination, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Group sizes to run (default 1 2).")
    parser.add_argument("--stores", nargs="+", choices=["kept", "deleted"], default=["kept", "deleted"],
                        help="Restart on the data directory as it was, or deleted (default both).")
    parser.add_argument("--kills", type=int, default=5, help="kill -9 per run (default 5).")
    parser.add_argument("--chunk", type=int, default=2000, help="Clicks per kill interval (default 2000).")
    parser.add_argument("--rate", type=float, default=250, help="Events produced per second (default 250).")
    parser.add_argument("--seed", type=int, default=11, help="Random seed of the kill points (default 11).")
    parser.add_argument("--partitions", type=int, default=4,
                        help="Partitions of every topic (default 4). Faust's assignor leaves a worker idle when the "
                        "others hold no more than their share: 3 workers on 4 partitions get 2, 2 and 0; use 6.")
    parser.add_argument("--static", action="store_true",
                        help="Static group membership: each worker keeps one SHOPSTREAM_INSTANCE_ID across restarts.")
    parser.add_argument("--logs", type=Path, default=None,
                        help="Keep every worker's log (all its restarts) in this folder.")
    parser.add_argument("--dump", type=Path, default=None,
                        help="After a run that is not exact, write every topic, the state read and expected, the "
                        "workers' logs and the re-keyed events that arrived out of order in this folder "
                        "(bench/chaos_dump.py).")
    args = parser.parse_args()
    outcomes = []
    for workers in args.workers:
        for store in args.stores:
            with tempfile.TemporaryDirectory(prefix="shopstream-chaos-") as tmp:
                outcomes.append(chaos_run(workers, store, args, Path(tmp)))
    print(f"\n{args.partitions} partitions, group membership: "
          f"{'static (SHOPSTREAM_INSTANCE_ID per worker)' if args.static else 'dynamic'}")
    report(outcomes)


if __name__ == "__main__":
    main()
