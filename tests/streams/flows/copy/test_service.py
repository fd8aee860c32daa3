"""The copy service with its default writer (frames) on real catalog products, and the ``GET /copy`` overview."""

from __future__ import annotations

import asyncio

import pytest

from schemas.requests import CopyRequested
from streams.flows.copy.overview import copy_overview, parse_limit
from streams.flows.copy.service import CopyService
from streams.settings import Settings
from tests.streams.factories import T0


def request(product_id: str, **facts) -> CopyRequested:
    return CopyRequested(event_id=f"cat-{product_id}", occurred_at=T0, product_id=product_id, **facts)


def write(settings: Settings, requests: list[CopyRequested]):
    async def run():
        service = CopyService(settings)
        await service.start()
        try:
            await asyncio.wait_for(service.ready.wait(), 30)
            return service.writer.version, await service.write(requests)
        finally:
            await service.stop()
    return asyncio.run(run())


def test_frames_copy_is_written_checked_and_published_without_a_model():
    star_wars = request("ml-50", title="Star Wars (1977)", category="Action", language="en",
                        attributes={"genres": "Action, Adventure, Romance, Sci-Fi, War", "year": "1977"})
    dress = request("wc-1078", title="Dresses 1078", category="Dresses", language="en", praised=["size_fit", "style"],
                    attributes={"division": "General", "department": "Dresses", "class": "Dresses"})
    german = request("de-1", title="Nova X5", category="Smartphones", language="de")
    version, records = write(Settings(copy_writer="frames"), [star_wars, dress, german])
    assert version == "frames-1" and [r.product_id for r in records] == ["ml-50", "wc-1078", "de-1"]
    assert records[0].published and "Action, Adventure, Romance, Sci-Fi and War" in records[0].description
    assert records[1].published and "fit and style" in records[1].description
    assert records[0].event_id == "copy:cat-ml-50" and records[0].generation["writer"] == "frames"
    assert [c.name for c in records[0].checks][-1] == "supported_sentences"
    assert not records[2].published and records[2].description == "(no copy was written)"


def test_the_overview_counts_and_lists_refusals_with_their_reasons():
    version, records = write(Settings(copy_writer="frames"), [
        request("ml-1", title="Toy Story (1995)", category="Animation", language="en"),
        request("de-1", title="Nova X5", category="Smartphones", language="de")])
    overview = copy_overview([record.model_dump(mode="json") for record in records], limit=5)
    assert (overview["published_count"], overview["refused_count"]) == (1, 1)
    assert overview["published"][0]["product_id"] == "ml-1"
    refused = overview["refused"][0]
    assert refused["product_id"] == "de-1" and {f["check"] for f in refused["failed"]} >= {"length"}
    assert overview["refused_by_check"]["length"] == 1
    assert copy_overview([record.model_dump(mode="json") for record in records], limit=0)["published"] == []


def test_the_limit_of_the_overview_is_checked():
    assert parse_limit(None) == 20 and parse_limit("3") == 3
    with pytest.raises(ValueError, match="limit must be a whole number from 0 to 500"):
        parse_limit("-1")
