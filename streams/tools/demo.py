"""``shopstream demo``: embedded Kafka, topics, one worker and a live replay, on one machine."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from pydantic import TypeAdapter
from rich.console import Console
from rich.text import Text

from streams.tools.processes import WORKER_COMMAND, stop_processes, wait_serving
from streams.flows.recommendations.service import TITLES_INDEXED
from streams.settings import Settings

#: Worker log lines worth showing in the demo: progress reports, readiness, problems.
SHOWN = ("events/s |", "requests/s |", "Serving ", "Ready", "[WARNING]", "[ERROR]", "[CRITICAL]",
         "Traceback")
DEMO_TRAINING_MINUTES = 3
#: Nice value of the demo's background trainings: they use the CPU the worker leaves idle, and never
#: slow the worker (a training at the same priority took a core of two and the replay fell minutes behind).
TRAINING_NICENESS = 19
#: Longest the demo waits for its worker to serve (it loads torch and the models first).
WORKER_START_S = 600.0


def start_background(command: list[str], log) -> subprocess.Popen:
    """Start a background training at the lowest CPU priority, in its own process group."""
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=lambda: os.nice(TRAINING_NICENESS))


#: What the demo turns off on a machine without a GPU (unless set), and why it costs little.
CPU_OFF = {
    "SHOPSTREAM_ASPECT_EMBEDDINGS": "aspects by keywords alone: the same F1 on the labelled clauses, no model call",
    "SHOPSTREAM_SEARCH_INTENT": "lists do not blend in title matches of fresh searches, which embed each new "
                                "query with MiniLM",
}


def _echo_worker(worker: subprocess.Popen, console: Console, log_file: Path, indexed: threading.Event) -> None:
    with log_file.open("w") as out:
        for line in worker.stdout:
            out.write(line)
            out.flush()
            if TITLES_INDEXED in line:
                indexed.set()
            if any(marker in line for marker in SHOWN):
                console.print(Text("worker ", style="dim") + Text(line.rstrip()), highlight=False)


def start_worker(env: dict[str, str], console: Console, log_file: Path) -> tuple[subprocess.Popen, threading.Event]:
    """Start ``faust -A streams.app worker -l info`` and echo its interesting lines; the event is set once
    it has embedded the catalog's titles."""
    worker = subprocess.Popen(WORKER_COMMAND, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    indexed = threading.Event()
    threading.Thread(target=_echo_worker, args=(worker, console, log_file, indexed), daemon=True).start()
    return worker, indexed


def replay(settings: Settings, console: Console, *, rate: float, users: int | None, indexed: threading.Event,
           token: str | None, timeout: float = 600.0) -> str:
    """Send the catalog at once, wait until the worker has applied it, drafted its copy and (with search
    intent) embedded its titles, then replay the traffic at ``rate`` events/s; returns what was sent. On a
    CPU that start-up work, done while the traffic ran, held lists up for seconds to a minute."""
    from schemas.topics import CATALOG
    from streams.tools.replay.producer import produce
    from streams.tools.replay.run import build_events

    events = list(build_events(settings, users, None, True))
    catalog = [event for event in events if event.topic == CATALOG]
    traffic = [event for event in events if event.topic != CATALOG]
    sent = asyncio.run(produce(catalog, bootstrap=settings.bootstrap_servers, rate=None, clock="replay"))
    console.print(f"   {len(catalog):,} catalog products sent; the traffic starts once the worker has applied them "
                  f"and drafted their copy{' and embedded their titles' if settings.search_intent else ''}")
    if not asyncio.run(wait_until_caught_up(settings.web_port, token, catalog[-1].key, timeout)):
        console.print(f"   [yellow]the worker has not caught up with the catalog after {timeout:.0f} s; "
                      "replaying anyway[/]")
    if settings.search_intent and not indexed.wait(timeout):
        console.print(f"   [yellow]titles not all embedded after {timeout:.0f} s; replaying anyway[/]")
    traffic_sent = asyncio.run(produce(traffic, bootstrap=settings.bootstrap_servers, rate=rate or None,
                                       clock="replay"))
    return f"{sent}; then {traffic_sent}"


def start_training_if_needed(settings: Settings, console: Console, log_file: Path) -> subprocess.Popen | None:
    """With no recommender in the registry, train one in the background; the worker switches to it when saved."""
    from shopmodels.checkpoints import latest_version
    from shopmodels.recommender.registry import KIND

    version = latest_version(settings.model_registry, KIND)
    if version is not None:
        console.print(f"   serving recommender {version} from {settings.model_registry}")
        return None
    console.print(f"   no recommender in {settings.model_registry} yet: training one in the background "
                  f"({DEMO_TRAINING_MINUTES} min at the lowest CPU priority, log {log_file}); until it is saved the "
                  "worker recommends trending products, then switches to it without a restart")
    command = [sys.executable, "-m", "streams.tools.cli", "train", "recommender", "--movielens", "--registry",
               str(settings.model_registry), "--time-budget", str(DEMO_TRAINING_MINUTES), "--threads", "1"]
    return start_background(command, log_file.open("w"))


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
        return start_background([*command, "--language", "zh"], out)


async def wait_until_caught_up(port: int, token: str | None, last_product: str, timeout: float = 600.0) -> bool:
    """Return True once the worker serves ``last_product`` and has read every record of its partitions (no
    consumer lag, twice in a row), False after ``timeout`` seconds."""
    import aiohttp

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    deadline, quiet = time.monotonic() + timeout, 0
    async with aiohttp.ClientSession(headers=headers, timeout=aiohttp.ClientTimeout(total=10)) as session:
        while time.monotonic() < deadline and quiet < 2:
            try:
                async with session.get(f"http://127.0.0.1:{port}/products/{last_product}") as product:
                    served = product.status == 200
                async with session.get(f"http://127.0.0.1:{port}/metrics") as metrics:
                    lag = sum(float(line.rsplit(" ", 1)[1]) for line in (await metrics.text()).splitlines()
                              if line.startswith("shopstream_consumer_lag{"))
                quiet = quiet + 1 if served and lag == 0 else 0
            except (aiohttp.ClientError, OSError, ValueError):
                quiet = 0
            await asyncio.sleep(0.5)
    return quiet >= 2


def cpu_settings(env: dict[str, str], console: Console) -> dict[str, str]:
    """``env`` with the demo's settings for a machine without a GPU, unless the user set them: aspects by
    keywords alone and no search intent. MiniLM on every English clause and on every new search query is
    more than two CPU cores keep up with at the replay's rate, and a model agent that falls behind stalls
    the worker's other agents (they share one consumer), so lists came a minute late."""
    import torch

    if torch.cuda.is_available():
        return env
    chosen = {name: "false" for name in CPU_OFF if name not in env}
    for name in chosen:
        console.print(f"   no GPU: {name}=false ({CPU_OFF[name]}; set it to choose)")
    return {**env, **chosen}


def stop_on_sigterm() -> None:
    """Let ``kill`` or a service manager stop the demo as Ctrl-C does (workers committed, Kafka stopped).

    The handler raises KeyboardInterrupt itself rather than re-sending SIGINT: a demo started in the
    background of a script inherits SIGINT ignored, and would then ignore SIGTERM as well."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupt)


def run_demo(settings: Settings, console: Console, *, rate: float, port: int, users: int | None) -> int:
    """Run the whole demo until Ctrl-C; returns the exit code."""
    from shopmodels.datasets.fetch import fetch_datasets
    from streams.tools.topics import create_topics, plan_topics
    from streams.tools.broker import EmbeddedKafka

    stop_on_sigterm()
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
        env = cpu_settings(env, console)
        if "SHOPSTREAM_SEARCH_INTENT" in env:  # what the worker runs with decides whether the replay waits for titles
            intent = TypeAdapter(bool).validate_python(env["SHOPSTREAM_SEARCH_INTENT"])
            demo_settings = demo_settings.model_copy(update={"search_intent": intent})
        worker, indexed = start_worker(env, console, state_dir / "worker.log")
        token = settings.api_token.get_secret_value() if settings.api_token else None
        # a replay into a worker that is still loading its models starts behind
        asyncio.run(wait_serving(worker, f"http://127.0.0.1:{settings.web_port}", WORKER_START_S, token))
        console.print("   worker ready: the replay starts")
        stats = replay(demo_settings, console, rate=rate, users=users, indexed=indexed, token=token)
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
