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

Quix Streams is a bench-only dependency: `make bench-setup` installs it (or pass --systems without
quix). Run: `python -m bench.peers --events 50000`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
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


def noop_faust_env(args: argparse.Namespace, bootstrap: str, data_dir: Path) -> dict[str, str]:
    """The environment of the no-op Faust worker: this process's, with its broker, group, port and folder."""
    return {**os.environ, "SHOPSTREAM_BROKER": f"kafka://{bootstrap}", "SHOPSTREAM_APP_ID": "bench-peers-faust",
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


def shopstream_rate(args: argparse.Namespace, bootstrap: str, scratch: Path) -> tuple[float, float]:
    """The ShopStream state worker (SHOPSTREAM_ROLE=state, RocksDB tables) through the clicks."""
    worker = Worker(bootstrap, "bench-peers-shopstream", scratch / "shopstream", store="rocksdb://",
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


def measure(args: argparse.Namespace, scratch: Path) -> dict[str, tuple[float, float]]:
    """{system: (events/s, CPU s/event)} for each of ``args.systems``, on one broker with the clicks produced once."""
    progress(f"reading the first {args.events:,} real clicks")
    messages = real_clicks(args.events)
    results: dict[str, tuple[float, float]] = {}
    progress("starting the embedded broker and producing the clicks")
    with broker_with_clicks(scratch, messages) as kafka:
        for system in args.systems:
            progress(f"{system}: reading {args.events:,} clicks")
            if system == "raw":
                results[system] = asyncio.run(raw_consume_rate(kafka.bootstrap, args.events))
            elif system == "faust":
                env = noop_faust_env(args, kafka.bootstrap, scratch / "faust" / "state")
                command = [sys.executable, "-m", "faust", "-A", "bench.noop_faust", "worker", "-l", "warn"]
                results[system] = timed_process(command, env, scratch / "faust" / "worker.log",
                                                kafka.bootstrap, "bench-peers-faust", args.events)
            elif system == "quix":
                command = [sys.executable, "-m", "bench.quix_job", "--bootstrap", kafka.bootstrap, "--group",
                           "bench-peers-quix", "--state-dir", str(scratch / "quix" / "state"),
                           "--commit-interval", str(args.commit_interval)]
                results[system] = timed_process(command, dict(os.environ), scratch / "quix" / "job.log",
                                                kafka.bootstrap, "bench-peers-quix", args.events)
            else:
                results[system] = shopstream_rate(args, kafka.bootstrap, scratch)
            rate, cpu = results[system]
            progress(f"{system}: {rate:,.0f} events/s, {cpu * 1e6:,.1f} us CPU per event")
    return results


def report(args: argparse.Namespace, results: dict[str, tuple[float, float]]) -> None:
    """Print the table: rate, CPU per event, and the ratios to raw and to Quix Streams."""
    raw, quix = results.get("raw", (0.0, 0.0))[0], results.get("quix", (0.0, 0.0))[0]
    print(f"events: {args.events:,} real MovieLens clicks, {PARTITIONS} partitions, one broker, "
          f"commit interval {args.commit_interval} s" + (f", {' '.join(args.worker_env)}" if args.worker_env else ""))
    print("| System | events/s | CPU per event | x raw | x Quix |")
    print("|---|---|---|---|---|")
    for system, (rate, cpu) in results.items():
        to_raw = f"{rate / raw:.3f}" if raw else "-"
        to_quix = f"{rate / quix:.2f}" if quix else "-"
        print(f"| {system} | {rate:,.0f} | {cpu * 1e6:,.1f} µs | {to_raw} | {to_quix} |")


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
    args = parser.parse_args()
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
