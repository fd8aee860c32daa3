"""Real broker: CatalogFollower reads the catalog and the product-stats changelog like a GlobalKTable."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from streams.tools.topics import TopicPlan, create_topics
from streams.flows.recommendations.catalog_view import CatalogView
from streams.flows.recommendations.follower import CatalogFollower
from streams.tools.processes import produce
from tests.streams.flows.recommendations.test_catalog_view import LIMITS, key, stats, upsert

pytestmark = pytest.mark.integration


async def fresh_topics(bootstrap: str, partitions: int, *roles: str) -> list[str]:
    """Create one new topic per role, named uniquely for this test run."""
    names = [f"test-follower-{role}-{uuid.uuid4().hex[:8]}" for role in roles]
    outcome = await create_topics(bootstrap, [TopicPlan(name, partitions, 1, {}) for name in names])
    assert set(outcome.values()) == {"created"}
    return names


async def until(condition, timeout: float = 10.0) -> None:
    """Wait for ``condition()`` to hold, polling every 0.1 s."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout}s"
        await asyncio.sleep(0.1)


def follower_of(view: CatalogView, bootstrap: str, catalog: str, changelog: str) -> CatalogFollower:
    return CatalogFollower(view, bootstrap, catalog, changelog, poll_timeout_ms=200, discover_interval_s=0.5)


async def test_follower_reads_everything_then_keeps_up(kafka):
    catalog, changelog = await fresh_topics(kafka.bootstrap, 3, "catalog", "stats")
    await produce(kafka.bootstrap, [
        (catalog, b"ml-1", upsert("ml-1", "Toy Story (1995)", seconds=1)),
        (catalog, b"ml-2", upsert("ml-2", "GoldenEye (1995)", "Action", seconds=1)),
        (catalog, b"ml-1", upsert("ml-1", "Toy Story", seconds=2, version=2)),
        (catalog, b"ml-3", b"not json"),
        (changelog, key("ml-1"), stats("ml-1", 10, 11)),
        (changelog, key("ml-2"), stats("ml-2", 12, category="Action")),
        (changelog, key("ml-9"), stats("ml-9", 13, 14, 15)),
        (changelog, key("ml-9"), None),  # deleted
        (changelog, key("ml-2"), stats("ml-2", 12, 13, 14, category="Action")),
    ])
    view = CatalogView(LIMITS)
    follower = follower_of(view, kafka.bootstrap, catalog, changelog)
    await follower.start()
    try:
        assert await follower.wait_ready(20)
        assert {pid: view.title(pid) for pid in ("ml-1", "ml-2", "ml-3")} == {
            "ml-1": "Toy Story", "ml-2": "GoldenEye (1995)", "ml-3": None}
        assert len(view) == 2 and view.stats_count == 2
        assert view.trending(None, 10) == [("ml-2", 3.0), ("ml-1", 2.0)]
        assert view.trending("Animation", 10) == [("ml-1", 2.0)]

        await produce(kafka.bootstrap, [(catalog, b"ml-2", upsert("ml-2", "GoldenEye", "Action", seconds=3,
                                                                   version=2))])
        await until(lambda: view.title("ml-2") == "GoldenEye")
    finally:
        await follower.stop()


async def test_empty_topics_are_ready_at_once(kafka):
    catalog, changelog = await fresh_topics(kafka.bootstrap, 2, "catalog", "stats")
    view = CatalogView(LIMITS)
    follower = follower_of(view, kafka.bootstrap, catalog, changelog)
    await follower.start()
    try:
        assert await follower.wait_ready(10)
        assert len(view) == 0 and view.trending(None, 5) == []
    finally:
        await follower.stop()


async def test_a_changelog_created_later_is_followed_from_its_beginning(kafka):
    (catalog,) = await fresh_topics(kafka.bootstrap, 2, "catalog")
    changelog = f"test-follower-late-stats-{uuid.uuid4().hex[:8]}"
    await produce(kafka.bootstrap, [(catalog, b"ml-1", upsert("ml-1", "Toy Story (1995)"))])
    view = CatalogView(LIMITS)
    follower = follower_of(view, kafka.bootstrap, catalog, changelog)
    await follower.start()
    try:
        assert await follower.wait_ready(20)
        assert view.title("ml-1") == "Toy Story (1995)" and view.stats_count == 0
        await asyncio.sleep(1.5)  # a few looks for the missing topic must not create it (auto.create is on)
        assert await create_topics(kafka.bootstrap, [TopicPlan(changelog, 2, 1, {})]) == {changelog: "created"}
        await produce(kafka.bootstrap, [(changelog, key("ml-1"), stats("ml-1", 1, 2, 3)),
                                        (changelog, key("ml-2"), stats("ml-2", 4))])
        await until(lambda: view.trending(None, 5) == [("ml-1", 3.0), ("ml-2", 1.0)], timeout=15)
        await produce(kafka.bootstrap, [(catalog, b"ml-2", upsert("ml-2", "GoldenEye (1995)", "Action"))])
        await until(lambda: view.title("ml-2") == "GoldenEye (1995)")
        assert view.title("ml-1") == "Toy Story (1995)" and len(view) == 2
    finally:
        await follower.stop()
