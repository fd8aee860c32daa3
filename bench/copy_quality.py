"""How much of the fixed sample gets published copy, how much of it is faithful, and how well the checks agree.

    python -m bench.copy_quality                                   # the frames writer (about a second)
    python -m bench.copy_quality --writers frames,model,constrained  # SmolLM2 too (minutes on a CPU)
    python -m bench.copy_quality --writers model --unlabelled /tmp/to-label.jsonl

For each writer, on the 60 products of ``bench/data/copy_sample.jsonl``: the share published (every
check passed), and among the published the share labelled ``faithful`` by hand in
``bench/data/copy_labels.jsonl`` (rubric in ``docs/marketing-copy.md``, written before any tuning).
Agreement is over every labelled description, published or not: the checks agree with the label
when they publish a faithful one or refuse an unfaithful one. A description with no label (its
text changed since it was labelled) is counted and listed, never guessed; ``--unlabelled FILE``
writes those, with the product's facts and without the checks' verdict, for a person to label.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.copy_sample import load_sample

LABELS_PATH = Path(__file__).parent / "data" / "copy_labels.jsonl"
WRITER_CHOICES = ("frames", "model", "constrained")  # constrained: the model with constrained decoding


def text_key(text: str) -> str:
    """The short hash a label names its description by (12 hex digits of SHA-1)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def load_labels(path: Path = LABELS_PATH) -> dict[tuple[str, str, str], bool]:
    """(product_id, writer, text_key) -> True for ``faithful``, False for ``unfaithful``."""
    if not path.exists():
        return {}
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            labels[(entry["product_id"], entry["writer"], entry["text"])] = entry["label"] == "faithful"
    return labels


def write_copy(writer_name: str, records: Sequence[dict[str, Any]], threads: int) -> list[dict[str, Any]]:
    """Each sample product's copy fields from the named writer (the model runs on the CPU)."""
    from shopmodels.copywriter.facts import ProductFacts
    from shopmodels.copywriter.writers import copy_fields, load_writer
    from streams.settings import get_settings

    if writer_name != "frames":
        import torch

        torch.set_num_threads(threads)
    settings = get_settings()
    writer = load_writer("frames" if writer_name == "frames" else "model", cache_dir=settings.cache_dir,
                         device="cpu", constrained=writer_name == "constrained")
    facts = [ProductFacts.from_record(record) for record in records]
    return [copy_fields(fact, draft)[0] for fact, draft in zip(facts, writer.write(facts))]


def score(writer_name: str, written: Sequence[dict[str, Any]], labels: dict) -> dict[str, Any]:
    """Published share, faithful share among the published, agreement of the checks with the labels."""
    published = [w for w in written if w["published"]]
    judged = [(w, labels.get((w["product_id"], writer_name, text_key(w["description"])))) for w in written]
    labelled = [(w, faithful) for w, faithful in judged if faithful is not None]
    faithful_published = [w for w, faithful in labelled if faithful and w["published"]]
    labelled_published = [w for w, _ in labelled if w["published"]]
    agree = [w for w, faithful in labelled if faithful == w["published"]]
    return {"writer": writer_name, "products": len(written), "published": len(published),
            "labelled_published": len(labelled_published), "faithful_published": len(faithful_published),
            "labelled": len(labelled), "agree": len(agree),
            "missed": [w["product_id"] for w, faithful in labelled if w["published"] and not faithful],
            "over_strict": [w["product_id"] for w, faithful in labelled if faithful and not w["published"]],
            "unlabelled": [w["product_id"] for w, faithful in judged if faithful is None]}


def report(result: dict[str, Any]) -> str:
    """One writer's figures, for a person."""
    def share(n: int, of: int) -> str:
        return f"{n}/{of} ({100 * n / of:.0f}%)" if of else f"{n}/0"
    lines = [f"{result['writer']}: published {share(result['published'], result['products'])}; "
             f"faithful among published (labelled) {share(result['faithful_published'], result['labelled_published'])}; "
             f"checks agree with labels {share(result['agree'], result['labelled'])}"]
    for name in ("missed", "over_strict", "unlabelled"):
        if result[name]:
            lines.append(f"  {name} ({len(result[name])}): {', '.join(result[name][:20])}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", default="frames", help=f"comma-separated, of {', '.join(WRITER_CHOICES)}")
    parser.add_argument("--unlabelled", type=Path, help="write the unlabelled descriptions here, for labelling")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads for the model")
    args = parser.parse_args(argv)
    records, labels = load_sample(), load_labels()
    to_label = []
    for writer_name in args.writers.split(","):
        if writer_name not in WRITER_CHOICES:
            parser.error(f"unknown writer {writer_name!r}; choose from {', '.join(WRITER_CHOICES)}")
        written = write_copy(writer_name, records, args.threads)
        result = score(writer_name, written, labels)
        print(report(result), flush=True)
        to_label += [{"product_id": w["product_id"], "writer": writer_name, "text": text_key(w["description"]),
                      "grounding": w["grounding"], "description": w["description"]}
                     for w in written if w["product_id"] in result["unlabelled"]]
    if args.unlabelled:
        args.unlabelled.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in to_label),
                                   encoding="utf-8")
        print(f"{len(to_label)} unlabelled descriptions written to {args.unlabelled}")


if __name__ == "__main__":
    main()
