"""The peer in bench/peers.py: Quix Streams doing the state worker's click aggregation, in a process of its own.

shop.clicks (keyed by user) -> count per user (RocksDB state, changelogged) -> ``group_by("product_id")``
(Quix's repartition topic) -> count per product (RocksDB state, changelogged). Quix Streams is a
bench-only dependency: ``make bench-setup`` installs it. Run by bench/peers.py as
``python -m bench.quix_job --bootstrap HOST:PORT --group GROUP --state-dir DIR``; SIGTERM stops it.
"""

from __future__ import annotations

import argparse

from quixstreams import Application, State

from schemas.topics import CLICKS


def count_user(click: dict, state: State) -> None:
    """Add one click to its user's count (the state is the user's: the message key)."""
    state.set("clicks", state.get("clicks", 0) + 1)


def count_product(click: dict, state: State) -> None:
    """Add one click to its product's count (after the re-key, the state is the product's)."""
    state.set("clicks", state.get("clicks", 0) + 1)


def main() -> None:
    """Build the dataframe and run it until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers, host:port.")
    parser.add_argument("--group", required=True, help="Consumer group (and prefix of Quix's internal topics).")
    parser.add_argument("--state-dir", required=True, help="Folder of Quix's RocksDB state.")
    parser.add_argument("--commit-interval", type=float, default=0.2, help="Seconds between commits (default 0.2).")
    args = parser.parse_args()
    app = Application(broker_address=args.bootstrap, consumer_group=args.group, auto_offset_reset="earliest",
                      commit_interval=args.commit_interval, state_dir=args.state_dir, use_changelog_topics=True,
                      loglevel="WARNING")
    clicks = app.topic(CLICKS, key_deserializer="str", value_deserializer="json")
    frame = app.dataframe(clicks)
    frame = frame.update(count_user, stateful=True)
    frame = frame.group_by("product_id")
    frame = frame.update(count_product, stateful=True)
    app.run(frame)


if __name__ == "__main__":
    main()
