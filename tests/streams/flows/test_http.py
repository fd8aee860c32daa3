"""The shared answer of table views: 200, 404, or 503 while the worker's partitions move."""

from types import SimpleNamespace

from streams.flows.http import json_or_404


def view(rebalancing=False, in_recovery=False):
    """Just what ``json_or_404`` reads of a Faust view: its app's flags and its JSON response."""
    return SimpleNamespace(app=SimpleNamespace(rebalancing=rebalancing, in_recovery=in_recovery),
                           json=lambda body, status=200, headers=None: (status, body, headers or {}))


def test_a_value_a_missing_key_and_a_moving_partition():
    assert json_or_404(view(), {"views": 3}, "no stats", lambda v: {**v, "x": 1}) == (200, {"views": 3, "x": 1}, {})
    assert json_or_404(view(), None, "no stats for 'p'") == (404, {"error": "no stats for 'p'"}, {})
    for flags in ({"rebalancing": True}, {"in_recovery": True}):
        status, body, headers = json_or_404(view(**flags), {"views": 3}, "no stats")
        assert (status, headers) == (503, {"Retry-After": "1"}) and "retry" in body["error"]


def test_the_router_hashes_the_bytes_every_table_is_keyed_by():
    from streams import topics
    from streams.app import app
    from streams.tables import ALL

    assert type(app.router).__name__ == "RawKeyRouter"
    for table in ALL.values():  # fed from topics keyed by the plain id: the router must hash the same bytes
        assert app.router._get_serialized_key(table, "sku-88231") == b"sku-88231"
    assert topics.product_interactions.prepare_key("sku-88231", None)[0] == b"sku-88231"
    assert topics.inference_requests.prepare_key("u-1042", None)[0] == b"u-1042"


def test_a_read_for_an_owner_that_cannot_be_reached_is_a_503_to_retry():
    import asyncio

    from aiohttp.test_utils import make_mocked_request
    from yarl import URL

    from streams.app import app

    async def forward_to_nobody():
        request = make_mocked_request("GET", "/products/p1/stats", headers={"Host": "127.0.0.1:6066"})
        try:
            return await app.router._route_req(URL("http://127.0.0.1:1"), app.web, request)  # nothing listens on 1
        finally:
            await app.http_client.close()

    response = asyncio.run(forward_to_nobody())
    assert (response.status, response.headers["Retry-After"]) == (503, "1")
    assert b"cannot be reached" in response.body


def test_the_owner_is_found_from_the_key_bytes_and_the_table_partitions():
    from aiokafka.partitioner import murmur2
    from faust.types import TP

    from streams.app import app
    from streams.tables import product_stats

    topic = product_stats.changelog_topic.get_topic_name()
    owners = {TP(topic, p): f"http://worker-{p % 2}:6066" for p in range(product_stats.partitions)}
    app.assignor._tps_url = owners  # what the assignor learns from a rebalance: partition -> worker URL
    for key in ("sku-88231", "p1", "u-1042"):
        partition = (murmur2(key.encode()) & 0x7FFFFFFF) % product_stats.partitions
        assert str(app.router.key_store(product_stats.name, key)) == owners[TP(topic, partition)]
