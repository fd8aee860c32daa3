"""The copy writers' throughput on a lent GPU machine, without a broker, Faust or the project's .venv.

    python -m bench.copy_gpu prepare            # here: pack what the GPU machine needs into .shopstream/copy-gpu
    bash bench/gpu_copy.sh                      # there (carry .shopstream/copy-gpu): runs `run` on cuda and cpu
    python -m bench.copy_gpu run --device cpu   # here, or inside the pack, to try it

``prepare`` writes the pack (about 16 MB, under the 64 MiB a run can carry): the copy code
(``shopmodels/copywriter`` and the two modules it imports), this file, the demo's 2,861 catalog
records, SmolLM2's config and tokenizer, and a zip of the two pure-Python packages the checks need
that the GPU machine lacks (phonenumbers, english-words). SmolLM2's weights do not fit (98 MB as
GGUF, 538 MB converted): unless ``COPY_MODEL_DIR`` names a converted directory with
``model.safetensors`` on that machine, the model is built from its config with untrained weights
and made to write exactly ``--tokens`` tokens per product. Its tokens/s are then the real
architecture's at that length, and its text is noise (not checked, not published).

``run`` prints: (1) the frames writer plus every check over the whole catalog (products/s; pure
Python, the same on any machine), (2) SmolLM2's generation at batch 1, 8 and 32 on ``--device`` (1 and 8 on the CPU):
tokens/s, products/s and the hours a 2,861-product catalog would take.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / ".shopstream" / "copy-gpu"
CODE = ["shopmodels/__init__.py", "shopmodels/devices.py", "shopmodels/pii.py", "bench/__init__.py",
        "bench/copy_gpu.py"]
LIBRARIES = ("phonenumbers", "english_words")  # pure Python, not on the GPU machine
MODEL_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
               "chat_template.jinja")
BATCHES = {"cuda": (1, 8, 32), "cpu": (1, 8)}  # batch sizes measured per device kind


def prepare(pack: Path = PACK) -> Path:
    """Write the pack (see the module doc) and return its path."""
    from shopmodels.copywriter.weights import converted_directory, load_copy_model
    from streams.settings import get_settings
    from streams.tools.copy_catalog import demo_catalog_records

    settings = get_settings()
    shutil.rmtree(pack, ignore_errors=True)
    for relative in CODE + [str(p.relative_to(ROOT)) for p in (ROOT / "shopmodels/copywriter").glob("*.py")]:
        (pack / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, pack / relative)
    records = demo_catalog_records(settings)
    (pack / "catalog.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    load_copy_model(settings.cache_dir)  # converts once if this machine has not yet
    (pack / "model").mkdir()
    for name in MODEL_FILES:
        shutil.copy2(converted_directory(settings.cache_dir) / name, pack / "model" / name)
    site = Path(__import__("phonenumbers").__file__).parent.parent
    with zipfile.ZipFile(pack / "libs.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for library in LIBRARIES:
            for path in (site / library).rglob("*"):
                if path.is_file() and "__pycache__" not in path.parts:
                    archive.write(path, path.relative_to(site))
    size = sum(p.stat().st_size for p in pack.rglob("*") if p.is_file())
    print(f"packed {len(records)} catalog records, the copy code and SmolLM2's config into {pack} "
          f"({size / 2**20:.1f} MiB)")
    return pack


def _use_packed_libraries(pack: Path) -> None:
    """Put the packed libraries on ``sys.path`` where the machine lacks them."""
    missing = [name for name in LIBRARIES if not _importable(name)]
    if missing and (pack / "libs.zip").exists():
        target = Path(tempfile.mkdtemp(prefix="copy-gpu-libs-"))
        zipfile.ZipFile(pack / "libs.zip").extractall(target)
        sys.path.insert(0, str(target))


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def bench_frames(records: list[dict]) -> str:
    """The frames writer plus every check over the catalog."""
    from shopmodels.copywriter.facts import ProductFacts
    from shopmodels.copywriter.writers import FramesWriter, copy_fields

    started = time.perf_counter()
    facts = [ProductFacts.from_record(record) for record in records]
    published = sum(copy_fields(f, d)[1].published for f, d in zip(facts, FramesWriter().write(facts)))
    seconds = time.perf_counter() - started
    return (f"frames writer + checks: {len(records)} products in {seconds:.2f} s ({len(records) / seconds:.0f}/s), "
            f"{published} published")


def load_model(pack: Path, device: str):
    """SmolLM2 on ``device`` (bf16 on CUDA): real weights from COPY_MODEL_DIR, else untrained from the config."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    real = os.environ.get("COPY_MODEL_DIR")
    dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(pack / "model", local_files_only=True)
    tokenizer.padding_side = "left"
    if real and (Path(real) / "model.safetensors").exists():
        model = AutoModelForCausalLM.from_pretrained(real, local_files_only=True, dtype=dtype)
        return model.to(device).eval(), tokenizer, "real weights"
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(pack / "model"), dtype=dtype)
    return model.to(device).eval(), tokenizer, "untrained weights (SmolLM2-135M architecture)"


def bench_model(pack: Path, records: list[dict], device: str, tokens: int) -> list[str]:
    """SmolLM2 prompts of real products, ``tokens`` new tokens each, at each of ``BATCHES``."""
    import torch

    from shopmodels.copywriter.facts import ProductFacts
    from shopmodels.copywriter.prompt import render_prompt

    model, tokenizer, weights = load_model(pack, device)
    lines = [f"SmolLM2 on {device} ({torch.cuda.get_device_name() if device.startswith('cuda') else 'CPU'}), "
             f"{weights}, {tokens} new tokens a product"]
    for batch in BATCHES["cuda" if device.startswith("cuda") else "cpu"]:
        prompts = [render_prompt(tokenizer, ProductFacts.from_record(r)) for r in records[:batch]]
        encoded = tokenizer(prompts, padding=True, add_special_tokens=False, return_tensors="pt").to(device)
        with torch.inference_mode():
            model.generate(**encoded, max_new_tokens=4, min_new_tokens=4, do_sample=False)  # warm-up
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            started = time.perf_counter()
            output = model.generate(**encoded, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False,
                                    pad_token_id=tokenizer.pad_token_id)
            if device.startswith("cuda"):
                torch.cuda.synchronize()
        seconds = time.perf_counter() - started
        made = (output.shape[1] - encoded["input_ids"].shape[1]) * batch
        per_second = batch / seconds
        lines.append(f"  batch {batch:>3}: {made / seconds:8.0f} tokens/s, {per_second:7.2f} products/s, "
                     f"2,861 products in {2861 / per_second / 3600:.2f} h")
    return lines


def run(pack: Path, device: str, tokens: int) -> None:
    """Print both benchmarks (see the module doc)."""
    _use_packed_libraries(pack)
    records = [json.loads(line) for line in (pack / "catalog.jsonl").read_text().splitlines()]
    print(bench_frames(records), flush=True)
    for line in bench_model(pack, records, device, tokens):
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Copy writers' throughput on a GPU machine (see the module doc).")
    parser.add_argument("command", choices=("prepare", "run"))
    parser.add_argument("--pack", type=Path, default=None, help="the pack (default: .shopstream/copy-gpu, or this "
                                                               "file's own folder when it runs inside a pack)")
    parser.add_argument("--device", default="cuda", help="cuda or cpu")
    parser.add_argument("--tokens", type=int, default=64, help="new tokens per product")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.pack or PACK)
    else:
        inside = (ROOT / "catalog.jsonl").exists()
        run(args.pack or (ROOT if inside else PACK), args.device, args.tokens)


if __name__ == "__main__":
    main()
