"""The live dashboard in a real browser: a worker fed real replayed events, Debian's chromium via playwright.

The worker (role ``all``, a real SASRec and a real fine-tuned MiniLM) reads replayed clicks,
searches, the catalog and the real reviews of two products, plus two broken messages; the page
must draw its charts from that, then show the alert a complaint burst raises, by itself (it polls).
The worker has an API token: the page asks for it once, keeps it in the tab's sessionStorage and
sends it with every request; its data is refused without it.
It runs on a broker of its own (``own_kafka``): on the shared one this test's clicks and reviews
would change test_ingest.py's exact product stats and add alerts to test_reviews.py's topic.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import orjson
import pytest
from playwright.sync_api import sync_playwright

from schemas.topics import CATALOG, CLICKS, INPUT_TOPICS, REVIEWS, SEARCHES
from streams.tools.replay.events import build_replay
from streams.tools.processes import Worker, http_get, produce
from tests.integration.harness import eventually
from tests.integration.test_reviews import SURGING, burst_after, real_reviews

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
USERS = 3
TOKEN = "dashboard-t0ken"
BROKEN = [(CLICKS, b"dash-u1", b'{"event_id": "dash-broken-1", "occurred_at": '),  # cut off mid-message
          (SEARCHES, b"dash-u1", orjson.dumps({"event_id": "dash-broken-2", "user_id": "dash-u1"}))]  # no query

#: In the page: the chart's draw count, and whether the series of the highest events/s value was
#: drawn at that point (a pixel of the series' colour within 3 px of where uPlot puts it).
PEAK_DRAWN = """() => {
  const chart = window.dashboard.charts.events, data = window.dashboard.lastData.series;
  let best = null;
  chart.keys.forEach((key, k) => data.events_per_s[key].forEach((v, i) => {
    if (v !== null && (best === null || v > best.v)) best = {k: k + 1, i: i, v: v};
  }));
  const plot = chart.plot, canvas = plot.root.querySelector("canvas");
  const x = Math.round(plot.valToPos(data.time[best.i], "x", true));
  const y = Math.round(plot.valToPos(best.v, "y", true));
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = plot.series[best.k].stroke(plot, best.k);
  probe.fillRect(0, 0, 1, 1);
  const want = probe.getImageData(0, 0, 1, 1).data;
  const got = canvas.getContext("2d").getImageData(x - 3, y - 3, 7, 7).data;
  let hits = 0;
  for (let p = 0; p < got.length; p += 4) {
    if ([0, 1, 2].every(c => Math.abs(got[p + c] - want[c]) < 40) && got[p + 3] > 128) hits += 1;
  }
  return {value: best.v, draws: window.dashboard.draws.events, hits: hits};
}"""


def shop_traffic(datasets) -> list[tuple[str, bytes, bytes]]:
    """The whole catalog, the first users' replayed clicks and searches, and two products' real reviews."""
    movielens, clothing = datasets
    replay = build_replay(movielens, clothing)
    catalog = [(CATALOG, e.key.encode(), orjson.dumps(e.value)) for e in replay if e.topic == CATALOG]
    visits = [(e.topic, e.key.encode(), orjson.dumps(e.value)) for e in build_replay(movielens, clothing, users=USERS)
              if e.topic in (CLICKS, SEARCHES)]
    reviews = [(REVIEWS, r["product_id"].encode(), orjson.dumps(r)) for r in real_reviews(datasets)]
    return catalog + visits + reviews + BROKEN


def in_thread(coroutine) -> None:
    """Run ``coroutine`` to the end on a thread of its own (playwright's sync API holds this thread's loop)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def dashboard_data(worker: Worker) -> dict:
    """``GET /dashboard/data`` of the worker."""
    status, body = await http_get(f"{worker.url}/dashboard/data", token=TOKEN)
    assert status == 200, body
    return body


def test_dashboard_draws_live_charts_and_shows_a_new_alert(own_kafka, datasets, movielens_registry,
                                                          clothing_sentiment_registry, tmp_path):
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `make setup` installs Debian's chromium"
    registry = tmp_path / "registry"
    shutil.copytree(movielens_registry, registry)
    shutil.copytree(clothing_sentiment_registry, registry, dirs_exist_ok=True)
    real = real_reviews(datasets)
    burst = burst_after(max((r for r in real if r["product_id"] == SURGING), key=lambda r: r["occurred_at"]))
    worker = Worker(own_kafka.bootstrap, f"it-dashboard-{uuid.uuid4().hex[:8]}", tmp_path / "worker", extra_env={
        "SHOPSTREAM_MODEL_REGISTRY": str(registry), "SHOPSTREAM_INFERENCE_DEVICE": "cpu",
        "SHOPSTREAM_COPY_ENABLED": "false", "SHOPSTREAM_API_TOKEN": TOKEN}).start(timeout=240)
    errors: list[str] = []
    traffic = shop_traffic(datasets)
    catalog_size = len({key for topic, key, _ in traffic if topic == CATALOG})
    try:
        asyncio.run(produce(own_kafka.bootstrap, traffic))

        async def traffic_shown():  # the whole catalog applied too: coverage is a share of it; lists issued
            data = await dashboard_data(worker)  # (inference waits for the followed topics before its first batch)
            rates = [v for values in data["series"]["events_per_s"].values() for v in values if v]
            return (rates and data["recommendations"]["users"] == USERS and data["trending"]["products"]
                    and data["recommendations"]["catalog_products"] == catalog_size
                    and data["recommendations"]["coverage"] > 0
                    and sum(values[-1] for values in data["series"]["dead_letters"].values()) == len(BROKEN)
                    and data)
        data = asyncio.run(eventually(traffic_shown, timeout=120))
        assert {CATALOG, CLICKS, SEARCHES, REVIEWS} <= set(data["series"]["events_per_s"]) <= set(INPUT_TOPICS)
        assert data["recommendations"]["coverage"] > 0 and 0 < data["recommendations"]["gini"] < 1
        assert data["models"]["recommender"] and data["models"]["sentiment-en"]
        assert all(product["title"] for product in data["trending"]["products"])
        assert asyncio.run(http_get(f"{worker.url}/dashboard/data"))[0] == 401

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda message: message.type == "error" and errors.append(message.text))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{worker.url}/dashboard")
            page.locator("#token").fill(TOKEN)  # the page asks for the token before it fetches any data
            page.locator("#token-form button").click()
            page.wait_for_function("window.dashboard && window.dashboard.updates >= 2", timeout=15_000)
            page.reload()  # kept for the tab's session: not asked again
            page.wait_for_function("window.dashboard && window.dashboard.updates >= 2", timeout=15_000)
            assert page.locator("#token-form").is_hidden()

            assert page.locator(".uplot canvas").count() == 4  # events, lag, dead letters, latency
            peak = page.evaluate(PEAK_DRAWN)
            assert peak["value"] > 0 and peak["draws"] > 0 and peak["hits"] > 0, peak
            assert page.locator("#trending .bar-row").count() == len(data["trending"]["products"])
            dead_letters = page.locator("#caption-dead-letters").inner_text()
            assert all(reason in dead_letters for reason in data["series"]["dead_letters"]), dead_letters
            assert float(page.locator("#spread").get_attribute("data-coverage")) > 0
            assert "recommender" in page.locator("#models").inner_text()
            assert page.locator(f'.alert[data-product="{SURGING}"]').count() == 0

            complaints = [(REVIEWS, r["product_id"].encode(), orjson.dumps(r)) for r in burst]
            in_thread(produce(own_kafka.bootstrap, complaints))
            card = page.locator(f'.alert[data-product="{SURGING}"][data-aspect="size_fit"]')
            card.locator(".evidence li").first.wait_for(timeout=90_000)  # the page refreshes by itself
            excerpts = card.locator(".evidence li").all_inner_texts()
            assert any(word in " ".join(excerpts).lower() for word in ("small", "fit", "sizing")), excerpts
            assert "negative in the window" in card.inner_text()
            screenshot = tmp_path / "dashboard.png"
            page.screenshot(path=str(screenshot), full_page=True)
            print(f"dashboard screenshot: {screenshot}")
            browser.close()
    finally:
        assert worker.stop() == 0, worker.log_tail()
    assert errors == [], errors
