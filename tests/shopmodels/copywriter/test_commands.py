"""``shopstream copy``: facts from a file or from a worker's GET /products/{id}, the real model, the checks."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import torch
from typer.testing import CliRunner

from shopmodels.copywriter.commands import _fetch_product
from streams.tools.cli import cli
from streams.settings import get_settings

from .conftest import TRAIL_SHOE

runner = CliRunner()


@pytest.fixture
def worker_url():
    """A stand-in for a worker's web server, answering GET /products/{id} with the catalog entry's JSON."""
    entries = {"sku-88231": {**TRAIL_SHOE, "event_id": "cat-sku-88231-v7", "occurred_at": "2024-04-30T09:00:00Z",
                             "description": None, "request_copy": True, "updated_by": "cat-sku-88231-v7"}}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            product_id = self.path.rsplit("/", 1)[-1]
            found = entries.get(product_id)
            body = json.dumps(found or {"error": f"no catalog entry for product {product_id!r}"}).encode()
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_help_explains_the_command():
    result = runner.invoke(cli, ["copy", "--help"])
    assert result.exit_code == 0
    for words in ("--facts", "--seed", "--temperature", "--top-p", "--max-new-tokens", "--device", "publish"):
        assert words in result.output


def test_facts_come_from_the_workers_catalog_entry(worker_url):
    record = _fetch_product(worker_url, "sku-88231")
    assert record["title"] == "TrailRunner 3 GTX" and record["attributes"]["drop"] == "8 mm"
    with pytest.raises(ValueError, match="has no catalog entry for 'sku-404'"):
        _fetch_product(worker_url, "sku-404")


def test_without_a_worker_or_facts_the_command_says_what_to_do():
    result = runner.invoke(cli, ["copy", "sku-88231", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 1 and "--facts FILE.json" in result.output


def test_copy_from_a_facts_file_prints_text_checks_and_verdict(model_cache, tmp_path, monkeypatch):
    facts = tmp_path / "shoe.json"
    facts.write_text(json.dumps(TRAIL_SHOE))
    monkeypatch.setenv("SHOPSTREAM_CACHE_DIR", str(model_cache[0]))  # the converted model of this session
    get_settings.cache_clear()
    threads = torch.get_num_threads()
    try:
        result = runner.invoke(cli, ["copy", "sku-88231", "--facts", str(facts), "--max-new-tokens", "16",
                                     "--seed", "3", "--praised", "grip", "--json", "--device", "cpu",
                                     "--threads", "1"])
    finally:
        get_settings.cache_clear()
        torch.set_num_threads(threads)  # --threads set it for the whole test process
    assert result.exit_code == 0, result.output
    record = json.loads(result.output[result.output.index("{"):])
    assert record["grounding"]["brand"] == "Northpeak" and record["grounding"]["praised"] == "grip"
    assert record["generation"]["seed"] == 3 and record["generation"]["max_new_tokens"] == 16
    assert record["published"] == all(check["passed"] for check in record["checks"])
    assert len(record["checks"]) == 7 and record["checks"][-1]["name"] == "supported_sentences"
