"""Recommendation benchmark: the batched model alone, the inference agent through Kafka, and latency.

Inputs are real (bench/recommend_inputs.py): the requests the worker sends for MovieLens-100k's
replayed clicks, taken evenly over the whole replay. One run measures, in this order:

  (a)  model:   ``RecommenderPredictor.recommend`` in batches of --batch (SHOPSTREAM_INFERENCE_BATCH_MAX),
                asked for k * SHOPSTREAM_CANDIDATE_FACTOR candidates like the service, on --device, sequences/s;
                and the batched ``anchors``, timed once per batch as the service calls it;
  (a') service: ``RecommenderService.recommend`` in-process, same batches: model, anchors, ranking,
                RecommendationsIssued (no Kafka; search intent with --search-intent, titles indexed first);
  (b)  agent:   on an embedded Kafka, the requests produced to <app_id>-inference-requests (4 partitions,
                keyed by user_id) once one inference-role worker has loaded its models; requests/s
                from the first to the last of their lists read back from shop.recommendations;
  (c)  latency: clicks -> ingest -> inference-requests -> inference -> lists, through one role=all
                worker and through split state and inference workers (--layouts), fed real clicks paced at
                each of --rates clicks/s in turn (fresh clicks for each); latency = list read - click sent
                (p50/p99/max). The workers run with SHOPSTREAM_RECOMMEND_EACH_EVENT=true, so every click has
                a list of its own to time (the default asks once per user and micro-batch, which only
                lightens the load), and without the copy writer, whose catalog backlog would be measured
                instead. Each layout answers --latency-clicks clicks at the first rate before any is timed.

It prints each figure, (b)/(a), and what limits each: worker and broker CPU, the batch sizes the
worker logged, the batching windows, and the cores other processes took meanwhile (figures measured
beside other work are not comparable). With --search-intent, workers get requests only once their
title index is full (indexing runs in the background on the model thread). The model is the newest
recommender in --registry; without one, a default SASRec is trained for 1 epoch (~25 s on 2 cores).
Run: `python -m bench.recommend [--device cuda] [--requests 5000] [--rates 50 200 1000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from pathlib import Path

from aiokafka import AIOKafkaProducer

from bench.measure import Arrivals, batches_logged, running, send_paced, wait_logged
from bench.recommend_inputs import PARTITIONS, Messages, checkpoint, inputs
from bench.recommend_report import report_agent, report_latency, report_limits, report_model
from bench.timing import PASSES, busy_seconds, chunks, cores_between, median_rate, passes
from schemas import codec
from schemas.requests import RecommendationRequested
from schemas.topics import CLICKS
from shopmodels.checkpoints import latest_version, registry_path
from shopmodels.recommender.predictor import HistoryQuery, RecommenderPredictor
from shopmodels.recommender.registry import KIND
from streams.tools.topics import TopicPlan, create_topics, plan_topics
from streams.tools.broker import EmbeddedKafka
from streams.limits import LIMITS
from streams.tools.replay.events import ReplayEvent
from streams.flows.recommendations.catalog_view import CatalogView
from streams.flows.recommendations.ranking import excluded_products
from streams.flows.recommendations.service import TITLES_INDEXED, RecommenderService
from streams.flows.reviews.scoring import REVIEWS_READY
from streams.settings import get_settings
from streams.tools.processes import Worker, free_port, produce

WORKER_START_S = 300.0  # a worker loads torch and the model before it is ready
REPORT_WAIT_S = 2.5  # the harness makes workers log their totals every 2 s; wait for a final line
LAYOUTS = ("all", "split")


def model_rate(predictor: RecommenderPredictor, requests: list[RecommendationRequested], batch: int) -> dict:
    """(a) Sequences/s of the predictor alone, asked exactly what the service asks it, the time of that
    spent in ``preprocess`` (CPU), and the service's other predictor call, ``anchors``, made once per
    batch on that batch's recommendations (seconds per request and per batch); medians of passes."""
    n = get_settings().recommendations_k * get_settings().candidate_factor
    batches = [(chunk, [HistoryQuery(history=r.history, exclude=excluded_products(r)) for r in chunk])
               for chunk in chunks(requests, batch)]
    # warm-up (the first call at each padded length is several times slower), and the lists to anchor
    found = [predictor.recommend(asked, k=n) for _, asked in batches]
    model = passes(lambda: [predictor.recommend(asked, k=n) for _, asked in batches])
    preprocess = passes(lambda: [predictor.preprocess(asked) for _, asked in batches])
    pairs = [[(r.history, [pid for pid, _ in top]) for r, top in zip(chunk, tops)]
             for (chunk, _), tops in zip(batches, found)]
    predictor.anchors(pairs[0])  # warm-up: the unit item embeddings are computed once
    anchors = passes(lambda: [predictor.anchors(batch_pairs) for batch_pairs in pairs])
    median = len(model) // 2
    return {"model": median_rate(len(requests), model), "preprocess": preprocess[median] / len(requests),
            "anchors": anchors[median] / len(requests), "anchors_batch": anchors[median] / len(pairs)}


async def service_rate(args: argparse.Namespace, predictor: RecommenderPredictor,
                       requests: list[RecommendationRequested], catalog: Messages) -> tuple[float, float, float]:
    """(a') Requests/s of the inference service's whole batch call, in-process, the catalog view loaded
    (and with --search-intent, every title indexed before timing); median, slowest and fastest pass."""
    view = CatalogView(LIMITS.stats)
    for _, key, value in catalog:
        view.apply_catalog(key, value)
    service = RecommenderService(get_settings(), view)
    service.watcher.model = predictor  # what RecommenderService.predictor serves
    try:
        if args.search_intent:
            from shopmodels.search.embedder import TextEmbedder

            service.embedder = TextEmbedder.from_package(args.device)
            await service.index_titles()
        await service.recommend(requests[:args.batch])  # warm-up
        times = []
        for _ in range(PASSES):
            start = time.perf_counter()
            for chunk in chunks(requests, args.batch):
                await service.recommend(chunk)
            times.append(time.perf_counter() - start)
        return median_rate(len(requests), sorted(times))
    finally:
        await service.on_stop()


def worker_env(args: argparse.Namespace, registry: Path, role: str) -> dict[str, str]:
    """The worker's SHOPSTREAM_* settings for this run."""
    return {"SHOPSTREAM_ROLE": role, "SHOPSTREAM_MODEL_REGISTRY": str(registry),
            "SHOPSTREAM_SEARCH_INTENT": str(args.search_intent).lower(),
            "SHOPSTREAM_INFERENCE_DEVICE": args.device, "SHOPSTREAM_INFERENCE_BATCH_MAX": str(args.batch),
            "SHOPSTREAM_PARTITIONS": str(PARTITIONS), "SHOPSTREAM_COPY_ENABLED": "false",
            "SHOPSTREAM_RECOMMEND_EACH_EVENT": "true"}  # (c) times each click to its own list: every click asks


async def agent_rate(worker: Worker, kafka: EmbeddedKafka, requests: list[RecommendationRequested],
                     search_intent: bool) -> dict:
    """(b) One inference-role worker answering the requests, produced once it has loaded its models (and, with
    search intent, embedded the titles)."""
    topic = f"{worker.app_id}-inference-requests"
    await create_topics(kafka.bootstrap, [TopicPlan(topic, PARTITIONS, 1, {})])
    messages = [(topic, r.user_id.encode(), codec.dumps(r)) for r in requests]
    arrivals = Arrivals(kafka.bootstrap, PARTITIONS, {r.event_id for r in requests}, {"broker": kafka.process.pid})
    await arrivals.start()
    starting = asyncio.create_task(asyncio.to_thread(worker.start, WORKER_START_S))
    while worker.process is None and not starting.done():
        await asyncio.sleep(0.05)
    if worker.process is None:
        await starting  # it failed before starting the process: raise why
    arrivals.watched["worker"] = worker.process.pid
    following = asyncio.create_task(arrivals.follow())
    try:
        await starting
        # the review scorer loads its models on a thread of the same process: time nothing until it has
        await wait_logged(worker, REVIEWS_READY, WORKER_START_S)
        if search_intent:
            await wait_logged(worker, TITLES_INDEXED, WORKER_START_S)
        await produce(kafka.bootstrap, messages)
        await arrivals.wait(arrivals.awaited, "(b)", worker.log_path)
        await asyncio.sleep(REPORT_WAIT_S)
        return {"rate": arrivals.rate(), "cores": arrivals.cores_busy(), "duplicates": arrivals.duplicates,
                "batches": batches_logged(worker)}
    finally:
        following.cancel()
        await asyncio.gather(starting, return_exceptions=True)
        await arrivals.stop()


async def paced_latencies(watched: dict[str, int], log_path: Path, kafka: EmbeddedKafka, clicks: list[ReplayEvent],
                          rate: float) -> dict:
    """(c) Seconds from sending each click to reading its list, at ``rate`` clicks/s."""
    arrivals = Arrivals(kafka.bootstrap, PARTITIONS, {c.value["event_id"] for c in clicks})
    await arrivals.start()
    follower = asyncio.create_task(arrivals.follow())
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, linger_ms=0)
    await producer.start()
    try:
        watched = {**watched, "broker": kafka.process.pid, "bench": os.getpid()}
        cpu_start, start = busy_seconds(watched), time.monotonic()
        sent, offered = await send_paced(producer, CLICKS, clicks, rate, start)
        await arrivals.wait(set(sent), "(c)", log_path)
        cores = cores_between(cpu_start, busy_seconds(watched), time.monotonic() - start)
        return {"latencies": sorted(arrivals.at[cause] - at for cause, at in sent.items()),
                "offered": offered, "cores": cores}
    finally:
        follower.cancel()
        await producer.stop()
        await arrivals.stop()


@contextlib.contextmanager
def latency_workers(args: argparse.Namespace, registry: Path, kafka: EmbeddedKafka, scratch: Path, layout: str):
    """The workers of ``layout`` ("all": one role=all worker; "split": a state and an inference worker),
    started and ready; yields {name: Worker}."""
    roles = ["all"] if layout == "all" else ["inference", "state"]
    with contextlib.ExitStack() as stack:
        workers = {}
        for role in roles:
            worker = stack.enter_context(running(Worker(kafka.bootstrap, f"bench-{layout}", scratch / f"{layout}-{role}",
                                                        extra_env=worker_env(args, registry, role))))
            worker.start(WORKER_START_S)
            workers[role] = worker
        inference = workers.get("inference", workers.get("all"))
        asyncio.run(wait_logged(inference, REVIEWS_READY, WORKER_START_S))
        if args.search_intent:
            asyncio.run(wait_logged(inference, TITLES_INDEXED, WORKER_START_S))
        yield workers


def latency_run(args: argparse.Namespace, registry: Path, kafka: EmbeddedKafka, scratch: Path, layout: str,
                clicks: list[ReplayEvent]) -> dict[float, dict]:
    """(c) for one layout: a warm-up at the first rate, then each rate with its own clicks."""
    n = args.latency_clicks
    with latency_workers(args, registry, kafka, scratch, layout) as workers:
        watched = {f"worker {role}" if len(workers) > 1 else "worker": w.process.pid for role, w in workers.items()}
        log_path = next(iter(workers.values())).log_path
        asyncio.run(paced_latencies(watched, log_path, kafka, clicks[:n], args.rates[0]))  # warm-up, not reported
        figures = {}
        for step, rate in enumerate(args.rates, start=1):
            figures[rate] = asyncio.run(paced_latencies(watched, log_path, kafka, clicks[step * n:(step + 1) * n], rate))
            report_latency(args, layout, rate, figures[rate])
        time.sleep(REPORT_WAIT_S)
        inference = workers.get("inference", workers.get("all"))
        figures["batches"] = batches_logged(inference)
        return figures


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    settings = get_settings()
    parser.add_argument("--device", default="cpu", help="Torch device of the model in (a) and the workers "
                        "(default cpu; cuda, cuda:1 ...).")
    parser.add_argument("--batch", type=int, default=settings.inference_batch_max,
                        help=f"Model batch size, and the workers' SHOPSTREAM_INFERENCE_BATCH_MAX "
                             f"(default {settings.inference_batch_max}).")
    parser.add_argument("--requests", type=int, default=5000, help="Requests for (a), (a') and (b) (default 5000).")
    parser.add_argument("--rates", type=float, nargs="+", default=[50.0, 200.0, 1000.0],
                        help="Offered loads of (c), clicks/s, one after the other (default 50 200 1000).")
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS),
                        help="Worker layouts of (c): all (one role=all worker), split (a state and an inference "
                             "worker); default both.")
    parser.add_argument("--latency-clicks", type=int, default=1000,
                        help="Clicks measured in (c) at each rate, and in its warm-up (default 1000).")
    parser.add_argument("--registry", type=Path, default=settings.model_registry,
                        help=f"Model registry; its newest recommender is used (default {settings.model_registry}). "
                             "Without one, a quick one is trained into a temporary directory.")
    parser.add_argument("--search-intent", action="store_true",
                        help="Run the workers with SHOPSTREAM_SEARCH_INTENT=true (loads MiniLM; default off).")
    parser.add_argument("--skip-throughput", action="store_true", help="Skip (b).")
    parser.add_argument("--skip-latency", action="store_true", help="Skip (c).")
    return parser.parse_args()


def in_process(args: argparse.Namespace, registry: Path, source: str, requests: list[RecommendationRequested],
               catalog: Messages) -> dict:
    """Measure and print (a) and (a'); returns the figures so far."""
    predictor = RecommenderPredictor.from_checkpoint(registry_path(registry, KIND, latest_version(registry, KIND)),
                                                     device=args.device)
    figures = {"history": sum(len(r.history) for r in requests) / len(requests)}
    before, start = busy_seconds({"bench": os.getpid()}), time.monotonic()
    figures.update(model_rate(predictor, requests, args.batch))
    figures["service"] = asyncio.run(service_rate(args, predictor, requests, catalog))
    figures["cores"] = cores_between(before, busy_seconds({"bench": os.getpid()}), time.monotonic() - start)
    report_model(args, figures, source, predictor)
    return figures


def through_kafka(args: argparse.Namespace, registry: Path, scratch: Path, figures: dict,
                  requests: list[RecommendationRequested], catalog: Messages, clicks: list[ReplayEvent]) -> None:
    """Measure and print (b) and (c) on one embedded broker, adding them to ``figures``."""
    with EmbeddedKafka(data_dir=scratch / "kafka", port=free_port(), cache_dir=get_settings().cache_dir) as kafka:
        asyncio.run(create_topics(kafka.bootstrap, plan_topics(PARTITIONS, 1)))
        asyncio.run(produce(kafka.bootstrap, catalog))
        if not args.skip_throughput:
            with running(Worker(kafka.bootstrap, "bench-recommend", scratch / "inference",
                                extra_env=worker_env(args, registry, "inference"))) as worker:
                figures["agent"] = asyncio.run(agent_rate(worker, kafka, requests, args.search_intent))
            report_agent(figures)
        if not args.skip_latency:
            figures["latency"] = {layout: latency_run(args, registry, kafka, scratch, layout, clicks)
                                  for layout in args.layouts}


def main() -> None:
    """Run the benchmark and print its figures."""
    args = parse_args()
    catalog, clicks, requests = inputs(args.requests, (len(args.rates) + 1) * args.latency_clicks)
    with tempfile.TemporaryDirectory(prefix="shopstream-bench-") as tmp:
        registry, source = checkpoint(args.registry, Path(tmp) / "registry")
        figures = in_process(args, registry, source, requests, catalog)
        if not (args.skip_throughput and args.skip_latency):
            through_kafka(args, registry, Path(tmp), figures, requests, catalog, clicks)
        report_limits(args, figures)


if __name__ == "__main__":
    main()
