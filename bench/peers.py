"""Peers benchmark: the ShopStream state worker beside raw aiokafka, a no-op Faust agent and Quix Streams.

On one fresh embedded Kafka it produces the first N real replayed clicks (MovieLens-100k) to
shop.clicks once, 4 partitions, then each system reads all of them, one after the other:

  raw         an aiokafka consumer in this process, bytes only (no decoding, no commits): the ceiling;
  faust       a Faust worker whose one agent does nothing (bench/noop_faust.py): Faust's own floor;
  quix        Quix Streams doing the aggregation (bench/quix_job.py): count per user, re-key by
              product with group_by, count per product, RocksDB state with changelog topics;
  shopstream  one `faust -A streams.app worker` with SHOPSTREAM_ROLE=state: validation, user
              profiles, the re-key to product_id, product stats (RocksDB, changelogs), the
              recommendation requests it emits.

Each consumer group is timed from its first commit of shop.clicks (start-up is not counted) until it
has committed every click and everything the clicks caused on its internal topics, the end taken as
the last moment its process was still busy. For each system it prints events/s, the CPU its process
used per event (/proc, bench/timing.py) and the ratios of its rate to raw's and to Quix's. Every
group commits every --commit-interval seconds (the same for all: commits cost each of them).

With --rounds N the systems take turns N times on the same broker (each round with fresh consumer
groups, so each reads every click again); the table then gives each system's median, and the ratio
to Quix is the median of the rounds' own ratios. Quix Streams' rate varies the most from run to run
on a shared machine (10,368 to 25,390 events/s in four runs of the same command on one evening),
so one round's ratio says little.

Quix Streams is a bench-only dependency: `make bench-setup` installs it (or pass --systems without
quix). Run: `python -m bench.peers --events 50000 --rounds 3`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.kafka_clicks import PARTITIONS, broker_with_clicks, group_rate, raw_consume_rate, real_clicks
from bench.runner import run_in_scratch
from bench.timing import progress
from streams.tools.processes import Worker, free_port, stop_process

SYSTEMS = ("raw", "faust", "quix", "shopstream")
ROOT = Path(__file__).resolve().parents[1]


def common_env(args: argparse.Namespace) -> dict[str, str]:
    """SHOPSTREAM_* variables both Faust processes (faust, shopstream) get, --worker-env overrides last."""
    return {"SHOPSTREAM_COMMIT_INTERVAL_S": str(args.commit_interval), "SHOPSTREAM_PARTITIONS": str(PARTITIONS),
            **dict(item.split("=", 1) for item in args.worker_env)}


def group_of(system: str, round_: int) -> str:
    """The consumer group (and app id) of ``system`` in round ``round_`` (1-based): fresh in each round."""
    return f"bench-peers-{system}" + (f"-{round_}" if round_ > 1 else "")


def noop_faust_env(args: argparse.Namespace, bootstrap: str, data_dir: Path, group: str) -> dict[str, str]:
    """The environment of the no-op Faust worker: this process's, with its broker, group, port and folder."""
    return {**os.environ, "SHOPSTREAM_BROKER": f"kafka://{bootstrap}", "SHOPSTREAM_APP_ID": group,
            "SHOPSTREAM_DATA_DIR": str(data_dir), "SHOPSTREAM_WEB_HOST": "127.0.0.1",
            "SHOPSTREAM_WEB_PORT": str(free_port()), **common_env(args)}


def timed_process(command: list[str], env: dict[str, str], log_path: Path, bootstrap: str, group: str,
                  count: int) -> tuple[float, float]:
    """Start ``command`` (its own process group, log to ``log_path``), time its group through the clicks, stop it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        return asyncio.run(group_rate(bootstrap, group, count, process.pid, lambda: process.poll() is not None))
    except Exception:
        print(f"log tail of {command[2:5]}:\n{log_path.read_text(errors='replace')[-3000:]}", file=sys.stderr)
        raise
    finally:
        stop_process(process)


def shopstream_rate(args: argparse.Namespace, bootstrap: str, scratch: Path, group: str) -> tuple[float, float]:
    """The ShopStream state worker (SHOPSTREAM_ROLE=state, RocksDB tables) through the clicks."""
    worker = Worker(bootstrap, group, scratch / group, store="rocksdb://",
                    extra_env={"SHOPSTREAM_ROLE": "state", **common_env(args)})
    worker.start()
    try:
        return asyncio.run(group_rate(bootstrap, worker.app_id, args.events, worker.process.pid,
                                      lambda: worker.process.poll() is not None))
    except Exception:
        print(f"worker log tail:\n{worker.log_tail(3000)}", file=sys.stderr)
        raise
    finally:
        worker.stop()


def measure_once(args: argparse.Namespace, system: str, bootstrap: str, scratch: Path,
                 round_: int) -> tuple[float, float]:
    """(events/s, CPU s/event) of ``system`` reading every click, with the consumer group of ``round_``."""
    group = group_of(system, round_)
    if system == "raw":
        return asyncio.run(raw_consume_rate(bootstrap, args.events))
    if system == "faust":
        env = noop_faust_env(args, bootstrap, scratch / group / "state", group)
        command = [sys.executable, "-m", "faust", "-A", "bench.noop_faust", "worker", "-l", "warn"]
        return timed_process(command, env, scratch / group / "worker.log", bootstrap, group, args.events)
    if system == "quix":
        command = [sys.executable, "-m", "bench.quix_job", "--bootstrap", bootstrap, "--group", group,
                   "--state-dir", str(scratch / group / "state"), "--commit-interval", str(args.commit_interval)]
        return timed_process(command, dict(os.environ), scratch / group / "job.log", bootstrap, group, args.events)
    return shopstream_rate(args, bootstrap, scratch, group)


def measure(args: argparse.Namespace, scratch: Path) -> dict[str, list[tuple[float, float]]]:
    """{system: [(events/s, CPU s/event) per round]} for each of ``args.systems``, taking turns ``args.rounds``
    times on one broker with the clicks produced once."""
    progress(f"reading the first {args.events:,} real clicks")
    messages = real_clicks(args.events)
    results: dict[str, list[tuple[float, float]]] = {system: [] for system in args.systems}
    progress("starting the embedded broker and producing the clicks")
    with broker_with_clicks(scratch, messages) as kafka:
        for round_ in range(1, args.rounds + 1):
            for system in args.systems:
                turn = f"round {round_}/{args.rounds}, " if args.rounds > 1 else ""
                progress(f"{system}: {turn}reading {args.events:,} clicks")
                results[system].append(measure_once(args, system, kafka.bootstrap, scratch, round_))
                rate, cpu = results[system][-1]
                progress(f"{system}: {rate:,.0f} events/s, {cpu * 1e6:,.1f} us CPU per event")
    return results


def ratios(results: dict[str, list[tuple[float, float]]], system: str, base: str) -> list[float]:
    """Each round's rate of ``system`` over that round's rate of ``base`` (empty when either is missing)."""
    if base not in results or system not in results:
        return []
    return [mine[0] / theirs[0] for mine, theirs in zip(results[system], results[base], strict=True) if theirs[0]]


def report(args: argparse.Namespace, results: dict[str, list[tuple[float, float]]]) -> None:
    """Print the table: rate, CPU per event and the ratios to raw and to Quix Streams (medians over the rounds,
    each ratio taken within its round), then each round's ratios to Quix."""
    rounds = f", median of {args.rounds} rounds" if args.rounds > 1 else ""
    print(f"events: {args.events:,} real MovieLens clicks, {PARTITIONS} partitions, one broker, "
          f"commit interval {args.commit_interval} s{rounds}" + (f", {' '.join(args.worker_env)}" if args.worker_env else ""))
    print("| System | events/s | CPU per event | x raw | x Quix |")
    print("|---|---|---|---|---|")
    for system, runs in results.items():
        rate, cpu = statistics.median(r for r, _ in runs), statistics.median(c for _, c in runs)
        to_raw, to_quix = ratios(results, system, "raw"), ratios(results, system, "quix")
        print(f"| {system} | {rate:,.0f} | {cpu * 1e6:,.1f} µs | "
              f"{f'{statistics.median(to_raw):.3f}' if to_raw else '-'} | "
              f"{f'{statistics.median(to_quix):.2f}' if to_quix else '-'} |")
    if args.rounds > 1:
        for system, runs in results.items():
            to_quix = ratios(results, system, "quix")
            print(f"{system}: " + ", ".join(f"{rate:,.0f}" for rate, _ in runs) + " events/s"
                  + (" (x Quix " + ", ".join(f"{ratio:.2f}" for ratio in to_quix) + ")" if to_quix else ""))


def main() -> None:
    """Parse the options, check what is needed, run the benchmark in a scratch folder and print its table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=50_000, help="Real clicks each system reads (default 50000).")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"Comma-separated systems to measure, in order (default {','.join(SYSTEMS)}).")
    parser.add_argument("--commit-interval", type=float, default=1.0,
                        help="Seconds between commits of every consumer group (default 1.0; Faust's default is 2.8, "
                             "Quix's 5: each commit flushes state and changelogs, so shorter costs throughput).")
    parser.add_argument("--worker-env", action="append", default=[], metavar="NAME=VALUE",
                        help="A SHOPSTREAM_* variable for the Faust processes (faust, shopstream), e.g. "
                             "SHOPSTREAM_EVENT_LOOP=asyncio; repeatable.")
    parser.add_argument("--rounds", type=int, default=1,
                        help="Times the systems take turns on the same broker (default 1); the table gives medians, "
                             "the ratio to Quix the median of the rounds' own ratios.")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.systems = [name.strip() for name in args.systems.split(",") if name.strip()]
    unknown = set(args.systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems {sorted(unknown)}; choose from {', '.join(SYSTEMS)}")
    if "quix" in args.systems and importlib.util.find_spec("quixstreams") is None:
        raise SystemExit("quixstreams is not installed: run `make bench-setup` (a bench-only extra), or leave it "
                         "out with --systems raw,faust,shopstream")
    run_in_scratch(lambda options, scratch: report(options, measure(options, scratch)), args)


if __name__ == "__main__":
    main()
