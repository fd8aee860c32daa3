"""The recommendation service with real parts: a SASRec trained on MovieLens, MiniLM, the real catalog.

No broker: the catalog view is fed the replay's own catalog records, and the service's model
thread runs as it does in a worker.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta

import orjson
import pytest

from schemas.requests import RecommendationRequested
from shopmodels.datasets.fetch import fetch_datasets
from shopmodels.datasets.movielens import load_movielens
from shopmodels.checkpoints import new_version, registry_path
from shopmodels.recommender.registry import KIND, load_sasrec, save_sasrec
from streams.tools.replay.products import movie_products
from streams.flows.recommendations.catalog_view import CatalogView
from streams.flows.recommendations.service import NO_MODEL_VERSION, RecommenderService
from streams.settings import Settings, get_settings
from tests.streams.factories import T0, stats_limits


@pytest.fixture(scope="module")
def products():
    items = load_movielens(fetch_datasets(get_settings().cache_dir, progress=False)).items
    return movie_products(items)


def catalog_of(products) -> CatalogView:
    view = CatalogView(stats_limits())
    for product in products.values():
        value = {"event_id": f"cat-{product.product_id}", "occurred_at": "1997-09-20T05:05:10Z",
                 **product.catalog_value()}
        assert view.apply_catalog(product.product_id.encode(), orjson.dumps(value))
    return view


def serve(settings: Settings, catalog: CatalogView, requests: list[RecommendationRequested]):
    """Start the service like a worker does (load model and embedder, index titles) and ask once."""
    async def run():
        service = RecommenderService(settings, catalog)
        await service.start()
        try:
            await service.index_titles()  # what the background indexing does, all at once
            return service, await service.recommend(requests)
        finally:
            await service.stop()
    return asyncio.run(run())


def test_a_search_for_another_category_brings_matching_products_into_a_one_category_history(
        products, movielens_registry):
    comedies = [p.product_id for p in products.values() if p.category == "Comedy"][:15]
    context = {"occurred_at": T0, "user_id": "u-1", "history": comedies, "top_categories": ["Comedy"]}
    clicked = RecommendationRequested(event_id="c-1", trigger="click", just_viewed=comedies[-1],
                                      category="Comedy", **context)
    searched = RecommendationRequested(event_id="s-1", trigger="search", query="star trek", **context)
    settings = Settings(model_registry=movielens_registry, search_intent=True, inference_device="cpu")
    service, (after_click, after_search) = serve(settings, catalog_of(products), [clicked, searched])

    assert after_click.model_version == after_search.model_version == service.predictor.version
    by_id = {p.product_id: p for p in products.values()}
    assert not any("Star Trek" in by_id[i.product_id].title for i in after_click.items)
    trek = [i for i in after_search.items if "Star Trek" in by_id[i.product_id].title]
    assert len(trek) >= 3, [(by_id[i.product_id].title, i.reason) for i in after_search.items]
    assert all(by_id[i.product_id].category != "Comedy" for i in trek)
    assert all(i.reason == "matches your search 'star trek'" for i in trek)
    assert any(i.reason.startswith("because you viewed ") for i in after_search.items)  # the model still counts
    assert not {i.product_id for i in after_search.items} & set(comedies)  # seen items are not offered again
    assert after_click.caused_by == "c-1" and after_search.event_id == "rec:s-1"


def test_without_a_model_the_service_serves_trending_and_says_so(products, tmp_path):
    settings = Settings(model_registry=tmp_path / "empty", search_intent=False, inference_device="cpu")
    request = RecommendationRequested(event_id="c-1", occurred_at=T0, user_id="u-1", trigger="click",
                                      history=["ml-1"], just_viewed="ml-1", category="Comedy")
    catalog = catalog_of(products)
    _, [issued] = serve(settings, catalog, [request])
    assert issued.model_version == NO_MODEL_VERSION
    assert issued.items == []  # no model and no activity yet: nothing is invented


def test_hot_reload_takes_newer_versions_and_keeps_serving_through_a_broken_one(movielens_registry, tmp_path):
    registry = tmp_path / "registry"
    shutil.copytree(movielens_registry, registry)
    settings = Settings(model_registry=registry, search_intent=False, inference_device="cpu", model_poll_s=0.001)
    model, vocabulary, loaded = load_sasrec(next(registry.glob("recommender/*/model.pt")))
    later = datetime.now(UTC) + timedelta(hours=1)

    async def run():
        service = RecommenderService(settings, CatalogView(stats_limits()))
        await service.start()
        try:
            assert service.model_version == loaded.version
            broken = registry_path(registry, KIND, new_version("sasrec", later))
            broken.parent.mkdir()
            broken.write_bytes(b"half a checkpoint")
            async with service.batch_turn:  # as the agent serves a batch: no switch meanwhile
                await asyncio.sleep(0.01)
                assert not await service.maybe_reload()
                assert service.model_version == loaded.version  # the old model keeps serving
                newer = save_sasrec(registry, model, vocabulary, now=later + timedelta(hours=1)).parent.name
                await asyncio.sleep(0.01)
                assert service.model_version == loaded.version  # not while a batch is served
                assert await service.maybe_reload()
                assert service.model_version == newer
            request = RecommendationRequested(event_id="c-1", occurred_at=T0, user_id="u-1", trigger="click",
                                              history=["ml-1", "ml-2"], just_viewed="ml-2")
            [issued] = await service.recommend([request])
            assert issued.model_version == newer and len(issued.items) == 10
        finally:
            await service.stop()
    asyncio.run(run())


def test_a_newer_version_is_served_without_waiting_for_a_request(movielens_registry, tmp_path):
    registry = tmp_path / "registry"
    shutil.copytree(movielens_registry, registry)
    settings = Settings(model_registry=registry, search_intent=False, inference_device="cpu", model_poll_s=0.05)
    model, vocabulary, _ = load_sasrec(next(registry.glob("recommender/*/model.pt")))

    async def run():
        service = RecommenderService(settings, CatalogView(stats_limits()))
        await service.start()
        try:
            newer = save_sasrec(registry, model, vocabulary, now=datetime.now(UTC) + timedelta(hours=1)).parent.name
            deadline = asyncio.get_running_loop().time() + 60
            while service.model_version != newer and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)  # no batch comes: the service looks by itself
            assert service.model_version == newer
        finally:
            await service.stop()

    asyncio.run(run())
