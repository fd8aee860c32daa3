"""Real products, and the real SmolLM2 converted once per session from its package into a fresh cache."""

import shutil

import pytest
import torch

from shopmodels.copywriter.facts import ProductFacts

# The seed example, as the shop would send it.
PHONE = {"product_id": "phone-nova-x5", "title": "Nova X5", "category": "Smartphones", "brand": "Aurora",
         "price": 499.0, "currency": "EUR", "language": "en",
         "attributes": {"processor": "latest-generation", "screen": "HD", "battery life": "long"}}
# The example of schemas.events.ProductUpserted.
TRAIL_SHOE = {"product_id": "sku-88231", "title": "TrailRunner 3 GTX", "category": "Running shoes",
              "brand": "Northpeak", "price": 129.95, "currency": "EUR", "language": "en",
              "attributes": {"color": "blue", "weight": "280 g", "drop": "8 mm"}}


@pytest.fixture
def phone() -> ProductFacts:
    """The issue's phone, with what reviewers praise."""
    return ProductFacts.from_record(PHONE, praised=["battery life", "screen"])


@pytest.fixture
def trail_shoe() -> ProductFacts:
    """The catalog contract's example product."""
    return ProductFacts.from_record(TRAIL_SHOE)


@pytest.fixture(scope="session")
def replay_catalog() -> list[ProductFacts]:
    """Real catalog products as the replay sends them: Star Wars (MovieLens item 50) and clothing item 1078."""
    from shopmodels.datasets.clothing import load_clothing_reviews

    from streams.settings import get_settings
    from shopmodels.datasets.fetch import fetch_datasets
    from shopmodels.datasets.movielens import load_movielens
    from streams.tools.replay.products import clothing_products, movie_products

    paths = fetch_datasets(get_settings().cache_dir, progress=False)
    movie = movie_products(load_movielens(paths).items)[50]
    dress = clothing_products(load_clothing_reviews(paths))[1078]
    return [ProductFacts.from_record(movie.catalog_value()),
            ProductFacts.from_record(dress.catalog_value(), praised=["fit", "fabric"])]


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory):
    """A fresh cache directory into which the real loading code converts the package's GGUF (20-70 s);
    removed after the session (pytest keeps old temporary directories, and this one holds 517 MB)."""
    from shopmodels.copywriter.weights import load_copy_model

    cache = tmp_path_factory.mktemp("copy-cache")
    loaded = load_copy_model(cache)
    assert loaded.converted
    yield cache, loaded
    shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture(scope="session")
def copy_generator(model_cache):
    """A CPU generator loaded from the converted cache, as a worker loads it (one torch thread: the
    tests' machines are shared, and two threads on two busy cores run several times slower)."""
    from shopmodels.copywriter.generator import CopyGenerator

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield CopyGenerator.from_package(model_cache[0], device="cpu")
    torch.set_num_threads(threads)
