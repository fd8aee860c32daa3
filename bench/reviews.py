"""Review-scoring benchmark: the classifier alone, the scoring step in process, the worker through Kafka, latency.

Inputs are real (bench/reviews_inputs.py): Women's Clothing reviews as shop.reviews events, spread
evenly over the whole dataset, for products whose catalog events are sent first; the in-process
figures score the worker's own ``review_request`` of each (title and text, PII redacted). One run
measures, in this order:

  (a)  classifier: ``SentimentPredictor.predict`` on the reviews' texts in chunks of --batch (the
                   agent's SHOPSTREAM_INFERENCE_BATCH_MAX; predict runs 64 at a time, by length) on
                   --device, reviews/s, median of 3 passes;
  (a') scoring:    ``ReviewService.score`` in process on the same chunks, one pass: clauses split and
                   embedded with MiniLM for aspects, the classifier on the texts plus every clause
                   with an aspect, ReviewScored records; no Kafka. It prints where that time went;
  (b)  worker:     an embedded Kafka and one ``faust -A streams.app worker``, SHOPSTREAM_ROLE=all
                   (ingest -> review requests -> inference agent -> shop.review-scores, and the alert
                   agent reading those), serving the same checkpoint, search intent and copy writer
                   off (no other model work on the CPU); once one warm-up review is scored, the
                   reviews are produced at once (a backlog), and reviews/s is counted from the first
                   ReviewScored read back on shop.review-scores to the last (the first batch's own
                   scores are not counted); (b)/(a);
  (c)  latency:    the same worker, warm, fed --latency-reviews other reviews at --rate/s; latency =
                   when the bench read its ReviewScored - when it sent the review (one clock, the
                   bench's): p50/p99/max.

It prints the cores each process used (the bench, the worker, the broker, and everything else:
figures measured beside other work are not comparable across runs, compare ratios within one) and
the batch sizes the worker logged. --raw-only runs (a) and (a') alone: no Java, Kafka or Faust
(bench/gpu.sh runs it on a GPU machine; (a') is skipped where its modules are missing). The model is
--checkpoint, else the newest sentiment model in --registry; with --raw-only --untrained, a random
head on the pretrained MiniLM (same cost, meaningless labels).
Run: `python -m bench.reviews [--reviews 400] [--latency-reviews 60] [--rate 1] [--device cpu]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import torch


from bench.reviews_inputs import (review_events, scoring_requests, sentiment_checkpoint,
                                  serving_registry, untrained_registry)
from bench.runner import require_embedded_broker, run_in_scratch
from bench.timing import (PASSES, busy_seconds, chunks, cores_between, median_rate, passes,
                          percentile, progress, shares, spread)
from schemas.requests import ReviewScoringRequested
from shopmodels.checkpoints import registry_path
from shopmodels.sentiment.english.predictor import SentimentPredictor
from shopmodels.sentiment.english.registry import KIND
from streams.settings import get_settings

WARMUP_REVIEWS = 8  # scored once before (a') is timed: the first MiniLM calls are slower


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    settings = get_settings()
    parser.add_argument("--reviews", type=int, default=400, help="Reviews for (a), (a') and (b) (default 400).")
    parser.add_argument("--latency-reviews", type=int, default=60,
                        help="Reviews sent in (c); 0 skips (c) (default 60).")
    parser.add_argument("--rate", type=float, default=1.0, help="Offered load of (c), reviews/s; keep it well "
                        "under (b)'s rate, or latency grows with the run (default 1).")
    parser.add_argument("--batch", type=int, default=settings.inference_batch_max,
                        help=f"Reviews per scoring call in (a) and (a'), and the worker's "
                             f"SHOPSTREAM_INFERENCE_BATCH_MAX (default {settings.inference_batch_max}).")
    parser.add_argument("--device", default="cpu", help="Torch device of the models in process and in the "
                        "worker (default cpu; cuda, cuda:1 ...).")
    parser.add_argument("--registry", type=Path, default=settings.model_registry,
                        help=f"Model registry; its newest sentiment model is used (default {settings.model_registry}).")
    parser.add_argument("--checkpoint", type=Path, help="A sentiment model.pt to use instead of --registry's newest.")
    parser.add_argument("--raw-only", action="store_true",
                        help="Only (a) and (a'): no Java, Kafka or Faust needed (for bench/gpu.sh).")
    parser.add_argument("--untrained", action="store_true", help="With --raw-only and no checkpoint at hand: "
                        "a random head on the pretrained MiniLM encoder (same cost, meaningless labels).")
    args = parser.parse_args()
    if args.untrained and not args.raw_only:
        parser.error("--untrained needs --raw-only: the worker would score reviews with a random head")
    if min(args.reviews, args.batch) < 1 or args.latency_reviews < 0 or args.rate <= 0:
        parser.error("--reviews and --batch must be at least 1, --latency-reviews at least 0, --rate above 0")
    return args


def preflight(args: argparse.Namespace) -> None:
    """Fail at once, not after the in-process figures, when the broker cannot start here."""
    if args.raw_only:
        return
    require_embedded_broker("(b) and (c) run", "(a) and (a')")


def load_model(args: argparse.Namespace, scratch: Path) -> tuple[Path, SentimentPredictor, str]:
    """The registry the worker serves from, holding only the model measured, that model, and its source."""
    if args.untrained:
        registry, version = untrained_registry(scratch)
        source = "untrained head (random) on the pretrained MiniLM encoder, temporary"
    else:
        checkpoint = sentiment_checkpoint(args.registry, args.checkpoint)
        registry, version = serving_registry(checkpoint, scratch)
        source = str(checkpoint)
    predictor = SentimentPredictor.from_checkpoint(registry_path(registry, KIND, version), args.device)
    return registry, predictor, source


def classifier_rate(predictor: SentimentPredictor, requests: list[ReviewScoringRequested],
                    batch: int) -> tuple[float, float, float]:
    """(a) Reviews/s of the classifier alone on the texts the agent scores, one call per chunk."""
    texts = [[request.text for request in chunk] for chunk in chunks(requests, batch)]
    predictor.predict(texts[0])  # warm-up
    return median_rate(len(requests), passes(lambda: [predictor.predict(chunk) for chunk in texts]))


@contextmanager
def timed_calls(owner, name: str, spent: Counter, items: Counter):
    """While inside, add the seconds of every call of ``owner.<name>`` to ``spent[name]`` and the length
    of its first argument to ``items[name]`` (an instance attribute hides the method, then is removed)."""
    method = getattr(owner, name)

    def timed(first, *args, **kwargs):
        start = time.perf_counter()
        try:
            return method(first, *args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start
            items[name] += len(first)

    setattr(owner, name, timed)
    try:
        yield
    finally:
        delattr(owner, name)


async def scoring_figures(args: argparse.Namespace, registry: Path, predictor: SentimentPredictor,
                          requests: list[ReviewScoringRequested]) -> dict | str:
    """(a') ``ReviewService.score`` in process, one pass, and the seconds and inputs of its two model
    calls; or why it could not run."""
    try:
        from streams.flows.reviews.scoring import ReviewService
    except ImportError as exc:  # a GPU machine without Faust's mode or lingua: (a) still stands alone
        return f"skipped ({exc})"
    settings = get_settings().model_copy(update={"model_registry": registry, "inference_device": args.device})
    service = ReviewService(settings)
    service.watcher.model = predictor  # the same version is in the registry, so on_start keeps this one
    try:
        await service.on_start()
        await service.score(requests[:WARMUP_REVIEWS])
        spent, items, watched = Counter(), Counter(), {"bench": os.getpid()}
        with (timed_calls(service.extractor, "extract", spent, items),
              timed_calls(service.extractor.embedder, "embed", spent, items),
              timed_calls(predictor, "predict", spent, items)):
            before, start = busy_seconds(watched), time.perf_counter()
            scored = [len(await service.score(chunk)) for chunk in chunks(requests, args.batch)]
            elapsed = time.perf_counter() - start
        cores = cores_between(before, busy_seconds(watched), elapsed)
        return {"rate": len(requests) / elapsed, "elapsed": elapsed, "scored": sum(scored), "spent": spent,
                "items": items, "unscored": dict(service.unscored), "cores": cores,
                "cpu_per_review": cores["bench"] * elapsed / len(requests)}
    finally:
        await service.on_stop()


def in_process(args: argparse.Namespace, registry: Path, predictor: SentimentPredictor,
               requests: list[ReviewScoringRequested]) -> dict:
    """Measure (a) and (a'), with the cores used meanwhile."""
    before, start = busy_seconds({"bench": os.getpid()}), time.monotonic()
    progress(f"(a) classifier alone: {len(requests)} reviews, {PASSES} passes")
    figures = {"classifier": classifier_rate(predictor, requests, args.batch)}
    figures["cores_a"] = cores_between(before, busy_seconds({"bench": os.getpid()}), time.monotonic() - start)
    progress(f"(a') ReviewService.score in process: {len(requests)} reviews, one pass")
    figures["scoring"] = asyncio.run(scoring_figures(args, registry, predictor, requests))
    return figures


def report_in_process(args: argparse.Namespace, figures: dict, predictor: SentimentPredictor, source: str,
                      requests: list[ReviewScoringRequested]) -> None:
    """Print the model, the inputs, (a) and (a')."""
    characters = sum(len(request.text) for request in requests) / len(requests)
    print(f"model:                        {predictor.version} ({source}), max_tokens "
          f"{predictor.model.config.max_tokens}")
    print(f"device:                       {predictor.device}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} CPU threads, {os.cpu_count()} cores")
    print(f"reviews:                      {len(requests):,} real Women's Clothing reviews (mean {characters:.0f} "
          f"characters, title and text), chunks of {args.batch}")
    print(f"(a)  classifier alone:        {spread(figures['classifier'], 1)} reviews/s; "
          f"{shares(figures['cores_a'])}")
    scoring = figures["scoring"]
    if isinstance(scoring, str):
        print(f"(a') scoring in process:      {scoring}", flush=True)
        return
    spent, items, elapsed, unscored = scoring["spent"], scoring["items"], scoring["elapsed"], scoring["unscored"]
    rest = elapsed - spent["extract"] - spent["predict"]
    print(f"(a') scoring in process:      {scoring['rate']:,.1f} reviews/s (ReviewService.score, one pass; "
          f"{scoring['scored']} scored{'; not scored: ' + str(unscored) if unscored else ''}); "
          f"{shares(scoring['cores'])}; CPU {scoring['cpu_per_review'] * 1e3:,.0f} ms per review")
    print(f"     where its time went:     aspects {spent['extract']:,.1f} s ({spent['extract'] / elapsed:.0%}; "
          f"MiniLM embedding {items['embed']:,} clauses: {spent['embed']:,.1f} s), classifier "
          f"{spent['predict']:,.1f} s ({spent['predict'] / elapsed:.0%}; {items['predict']:,} texts: "
          f"{len(requests)} reviews + {items['predict'] - len(requests):,} clauses with an aspect), "
          f"rest {rest:,.1f} s ({rest / elapsed:.0%}: language, records, model thread)", flush=True)


def report_agent(figures: dict) -> None:
    """Print (b) and (b)/(a)."""
    agent = figures["agent"]
    print(f"(b)  worker through Kafka:    {agent['rate']:,.1f} reviews/s ({agent['counted']} scores read in "
          f"{agent['span']:.1f} s after the first batch's {agent['first_batch']}; first scores "
          f"{agent['first_after']:.1f} s after the reviews were sent; 1 role=all worker, 4 partitions)")
    print(f"ratio (b)/(a):                {agent['rate'] / figures['classifier'][0]:.3f}")
    if isinstance(figures["scoring"], dict):
        print(f"ratio (b)/(a'):               {agent['rate'] / figures['scoring']['rate']:.3f}")
    cpu = agent["cores"]["worker"] / agent["rate"]
    print(f"     worker:                  {agent['batches']}; {shares(agent['cores'])}; CPU {cpu * 1e3:,.0f} ms "
          f"per review; {agent['duplicates']} duplicate scores", flush=True)


def report_latency(args: argparse.Namespace, figures: dict) -> None:
    """Print (c) and the settings that shape it."""
    latency, settings = figures["latency"], get_settings()
    ordered = latency["latencies"]
    print(f"(c)  review -> score latency: p50 {percentile(ordered, 0.5) * 1e3:,.0f} ms, "
          f"p99 {percentile(ordered, 0.99) * 1e3:,.0f} ms, max {ordered[-1] * 1e3:,.0f} ms "
          f"({len(ordered)} reviews at {latency['offered']:.2f}/s offered; sent -> read on the bench's clock)")
    print(f"     worker:                  {latency['batches']}; {shares(latency['cores'])}; inference window "
          f"{settings.inference_batch_within_s}s (max {args.batch}), producer linger {settings.producer_linger_s}s",
          flush=True)
    if latency["offered"] > 0.8 * figures["agent"]["rate"]:
        print("     note:                    the offered load is above 80% of (b)'s rate, so reviews queue: "
              "lower --rate for latency at light load")


def main() -> None:
    """Run the benchmark and print its figures."""
    args = parse_args()
    preflight(args)
    run_in_scratch(run, args)


def run(args: argparse.Namespace, scratch: Path) -> None:
    """Measure and print every figure asked for."""
    progress("loading the reviews and the model")
    catalog, warmup, measured, paced = review_events(args.reviews, 0 if args.raw_only else args.latency_reviews)
    registry, predictor, source = load_model(args, scratch / "registry")
    requests = scoring_requests(measured)
    figures = in_process(args, registry, predictor, requests)
    report_in_process(args, figures, predictor, source, requests)
    if args.raw_only:
        return
    from bench.reviews_kafka import through_kafka  # Kafka and Faust are imported only past this point

    reports = {"agent": lambda: report_agent(figures), "latency": lambda: report_latency(args, figures)}

    def measured_one(name: str, figure: dict) -> None:
        figures[name] = figure
        reports[name]()

    through_kafka(args, registry, scratch, catalog, (warmup, measured, paced), measured_one)


if __name__ == "__main__":
    main()
