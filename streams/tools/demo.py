"""``shopstream demo``: embedded Kafka, topics, one worker and a live replay, on one machine."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from rich.console import Console
from rich.text import Text

from streams.tools.processes import WORKER_COMMAND, stop_processes
from streams.settings import Settings

#: Worker log lines worth showing in the demo: progress reports, readiness, problems.
SHOWN = ("events/s |", "requests/s |", "Serving ", "Ready", "[WARNING]", "[ERROR]", "[CRITICAL]",
         "Traceback")
DEMO_TRAINING_MINUTES = 3


def _echo_worker(worker: subprocess.Popen, console: Console, log_file: Path) -> None:
    with log_file.open("w") as out:
        for line in worker.stdout:
            out.write(line)
            out.flush()
            if any(marker in line for marker in SHOWN):
                console.print(Text("worker ", style="dim") + Text(line.rstrip()), highlight=False)


def start_worker(env: dict[str, str], console: Console, log_file: Path) -> subprocess.Popen:
    """Start ``faust -A streams.app worker -l info`` and echo its interesting lines."""
    worker = subprocess.Popen(WORKER_COMMAND, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    threading.Thread(target=_echo_worker, args=(worker, console, log_file), daemon=True).start()
    return worker


def start_training_if_needed(settings: Settings, console: Console, log_file: Path) -> subprocess.Popen | None:
    """With no recommender in the registry, train one in the background; the worker switches to it when saved."""
    from shopmodels.checkpoints import latest_version
    from shopmodels.recommender.registry import KIND

    version = latest_version(settings.model_registry, KIND)
    if version is not None:
        console.print(f"   serving recommender {version} from {settings.model_registry}")
        return None
    console.print(f"   no recommender in {settings.model_registry} yet: training one in the background "
                  f"({DEMO_TRAINING_MINUTES} min, log {log_file}); until it is saved the worker recommends "
                  "trending products, then switches to it without a restart")
    command = [sys.executable, "-m", "streams.tools.cli", "train", "recommender", "--movielens", "--registry",
               str(settings.model_registry), "--time-budget", str(DEMO_TRAINING_MINUTES), "--threads", "1"]
    return subprocess.Popen(command, stdout=log_file.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def register_sentiment_if_needed(settings: Settings, console: Console, log_file: Path) -> subprocess.Popen | None:
    """Give each language with no sentiment model the TF-IDF baseline, so reviews are scored from the start.

    English (the replay's reviews) is trained before the worker starts (about 15 s); Chinese in
    the background (returned, to be stopped with the demo). ``shopstream train sentiment-tfidf``
    does the work; a better model saved later (``shopstream train sentiment``) is newer, so the
    worker switches to it without a restart.
    """
    from shopmodels.checkpoints import latest_version
    from shopmodels.sentiment.tfidf.registry import kind_for

    missing = []
    for language in ("en", "zh"):
        version = latest_version(settings.model_registry, kind_for(language))
        if version is None:
            missing.append(language)
        else:
            console.print(f"   serving {language} sentiment {version} from {settings.model_registry}")
    command = [sys.executable, "-m", "streams.tools.cli", "train", "sentiment-tfidf", "--registry",
               str(settings.model_registry)]
    if "en" in missing:
        console.print(f"   no en sentiment model in {settings.model_registry} yet: training the TF-IDF baseline "
                      f"(`shopstream train sentiment-tfidf --language en`, log {log_file})")
        with log_file.open("w") as out:
            done = subprocess.run([*command, "--language", "en"], stdout=out, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            console.print(f"   [red]training failed (see {log_file}); English reviews stay unscored[/]")
    if "zh" not in missing:
        return None
    console.print("   no zh sentiment model yet: training the Chinese TF-IDF baseline in the background")
    with log_file.open("a") as out:
        return subprocess.Popen([*command, "--language", "zh"], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def run_demo(settings: Settings, console: Console, *, rate: float, port: int, users: int | None) -> int:
    """Run the whole demo until Ctrl-C; returns the exit code."""
    from shopmodels.datasets.fetch import fetch_datasets
    from streams.tools.topics import create_topics, plan_topics
    from streams.tools.broker import EmbeddedKafka
    from streams.tools.replay.run import run_replay

    # `kill` or a service manager stops the demo as Ctrl-C does: workers committed, Kafka stopped
    signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))
    state_dir = Path(".shopstream").resolve()
    console.rule("[bold]ShopStream demo")
    console.print("1/4 datasets"); fetch_datasets(settings.cache_dir)
    console.print("2/4 embedded Apache Kafka")
    kafka = EmbeddedKafka(data_dir=state_dir / "kafka", port=port, partitions=settings.partitions,
                          cache_dir=settings.cache_dir).start()
    broker_url = f"kafka://{kafka.bootstrap}"
    env = {**os.environ, "SHOPSTREAM_BROKER": broker_url, "SHOPSTREAM_DATA_DIR": str(state_dir / "worker")}
    demo_settings = settings.model_copy(update={"broker": broker_url})
    worker = training = sentiment = None
    try:
        console.print(f"3/4 topics on {kafka.bootstrap}")
        asyncio.run(create_topics(kafka.bootstrap, plan_topics(settings.partitions, 1)))
        console.print(f"4/4 worker (logs: {state_dir / 'worker.log'}) and replay at {rate:g} events/s; "
                      f"state at http://localhost:{settings.web_port}/users/ml-u1/profile and "
                      f"/users/ml-u1/recommendations. Ctrl-C stops.")
        sentiment = register_sentiment_if_needed(settings, console, state_dir / "sentiment-training.log")
        training = start_training_if_needed(settings, console, state_dir / "training.log")
        worker = start_worker(env, console, state_dir / "worker.log")
        stats = asyncio.run(run_replay(demo_settings, rate=rate or None, users=users, limit=None, clock="replay"))
        console.print(f"Replay finished: {stats}. The worker keeps running; Ctrl-C stops everything.")
        worker.wait()
        return 0 if worker.returncode == 0 else 1
    except KeyboardInterrupt:
        console.print("\nStopping the worker and Kafka...")
        return 0
    finally:
        # all at once: the worker commits within SHOPSTREAM_SHUTDOWN_TIMEOUT_S, the trainings hold nothing
        stop_processes([process for process in (training, sentiment, worker) if process is not None],
                       timeout=settings.shutdown_timeout_s + 2)
        kafka.stop()  # after the worker, which commits its offsets to it as it stops
        console.print("Stopped.")
