"""What bench/recommend.py prints: each figure, and what limits it, from what was measured."""

from __future__ import annotations

import argparse
import os

import torch

from bench.recommend_inputs import PARTITIONS
from bench.timing import percentile, shares, spread
from shopmodels.recommender.predictor import RecommenderPredictor
from streams.settings import get_settings


def report_model(args: argparse.Namespace, figures: dict, source: str, predictor: RecommenderPredictor) -> None:
    """Print (a) and (a')."""
    n = get_settings().recommendations_k * get_settings().candidate_factor
    print(f"model:                       {predictor.version}, {source}")
    print(f"device:                      {predictor.device}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} CPU threads, {os.cpu_count()} cores")
    print(f"requests:                    {args.requests:,} real (MovieLens replay folded into profiles; mean "
          f"history {figures['history']:.0f} items), batch {args.batch}, top-{n}")
    print(f"(a)  predictor alone:        {spread(figures['model'])} sequences/s")
    print(f"(a') service in-process:     {spread(figures['service'])} requests/s (predictor + anchors + ranking "
          f"+ RecommendationsIssued; search intent {'on' if args.search_intent else 'off'})", flush=True)


def report_agent(figures: dict) -> None:
    """Print (b) and (b)/(a)."""
    agent = figures["agent"]
    print(f"(b)  inference agent:        {agent['rate']:,.0f} requests/s through Kafka "
          f"(1 inference-role worker, {PARTITIONS} partitions)")
    print(f"ratio (b)/(a):               {agent['rate'] / figures['model'][0]:.3f}", flush=True)


def report_latency(args: argparse.Namespace, layout: str, rate: float, latency: dict) -> None:
    """Print (c) at one rate for one layout."""
    ordered = latency["latencies"]
    workers = "1 role=all worker" if layout == "all" else "a state and an inference worker"
    print(f"(c)  click -> list latency:  p50 {percentile(ordered, 0.5) * 1e3:,.0f} ms, "
          f"p99 {percentile(ordered, 0.99) * 1e3:,.0f} ms, max {ordered[-1] * 1e3:,.0f} ms "
          f"({len(ordered)} clicks at {latency['offered']:,.1f}/s offered of {rate:g}, {workers}; "
          f"{shares(latency['cores'])})", flush=True)


def report_limits(args: argparse.Namespace, figures: dict) -> None:
    """Print what bounds each figure, from what was measured."""
    us = {name: 1e6 / figures[name][0] for name in ("model", "service")}
    print("what limits them:")
    print(f"  (a)  torch on {args.device}: {us['model']:,.0f} us per sequence at batch {args.batch}, of which "
          f"{figures['preprocess'] * 1e6:,.0f} us preprocess (encode, pad, exclusion mask; CPU) and the rest the "
          f"forward, masking and top-k on {args.device} and postprocess; {shares(figures['cores'])} "
          f"while (a) and (a') ran")
    print(f"  (a') {us['service'] - us['model']:,.0f} us per request more than (a): predictor.anchors (one batched "
          f"call per batch, on the CPU) takes {figures['anchors'] * 1e6:,.0f} us per request "
          f"({figures['anchors_batch'] * 1e3:,.1f} ms per batch), then ranking and pydantic")
    if "agent" in figures:
        agent, cores = figures["agent"], figures["agent"]["cores"]
        print(f"  (b)  {1e6 / agent['rate'] - us['service']:+,.0f} us per request against (a'): Faust decode, "
              f"validation, sends, commits, batching; {shares(cores)}; worker logged {agent['batches']}; "
              f"{agent['duplicates']} duplicate lists")
    if "latency" in figures:
        settings = get_settings()
        waits = settings.batch_within_s + settings.inference_batch_within_s + 2 * settings.producer_linger_s
        print(f"  (c)  up to {waits * 1e3:,.0f} ms of it is batch windows and producer lingers (click batch window "
              f"{settings.batch_within_s}s, inference window {settings.inference_batch_within_s}s, producer "
              f"linger {settings.producer_linger_s}s; search intent {'on' if args.search_intent else 'off'}); "
              "the rest is Faust's per-record path and the model, on cores shared with the broker")
        for layout, figures_of_layout in figures["latency"].items():
            print(f"       {layout}: the inference worker logged {figures_of_layout['batches']} "
                  f"({args.latency_clicks} warm-up clicks included)")
