"""One real Apache Kafka broker per test session, and the real datasets."""

from __future__ import annotations

import asyncio

import pytest

from shopmodels.datasets.clothing import load_clothing_reviews
from shopmodels.datasets.fetch import fetch_datasets
from shopmodels.datasets.movielens import load_movielens
from streams.tools.topics import create_topics, plan_topics
from streams.tools.broker import EmbeddedKafka
from streams.tools.processes import free_port
from streams.settings import get_settings


@pytest.fixture(scope="session")
def kafka(tmp_path_factory):
    """A fresh single-node KRaft Kafka on a free port, with every public topic created."""
    yield from _fresh_broker(tmp_path_factory)


@pytest.fixture(scope="module")
def own_kafka(tmp_path_factory):
    """A broker of the test module's own, for a test whose workers must not replay the other tests' events."""
    yield from _fresh_broker(tmp_path_factory)


@pytest.fixture
def test_kafka(tmp_path_factory):
    """A broker of the test's own: its worker scores, counts or alerts on nothing but what the test sends."""
    yield from _fresh_broker(tmp_path_factory)


def _fresh_broker(tmp_path_factory):
    broker = EmbeddedKafka(data_dir=tmp_path_factory.mktemp("kafka"), port=free_port(), partitions=4,
                           cache_dir=get_settings().cache_dir)
    broker.start()
    try:
        asyncio.run(create_topics(broker.bootstrap, plan_topics(partitions=4, replication_factor=1)))
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def datasets():
    """MovieLens-100k and the Women's Clothing reviews, fetched once into the cache."""
    paths = fetch_datasets(get_settings().cache_dir, progress=False)
    return load_movielens(paths), load_clothing_reviews(paths)
