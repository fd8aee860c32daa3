"""The API token check in front of the worker's HTTP views (pure functions, no server)."""

from __future__ import annotations

import pytest

from streams.http_access import allowed, bearer_matches, exposed_without_token, is_open
from streams.settings import Settings

TOKEN = "t0ken-for-tests"


@pytest.fixture
def guarded(monkeypatch) -> Settings:
    monkeypatch.setenv("SHOPSTREAM_API_TOKEN", TOKEN)
    return Settings()


def test_without_a_token_every_path_is_open():
    assert allowed("/users/u1/profile", None, Settings())


@pytest.mark.parametrize("path", ["/users/u1/profile", "/users/u1/recommendations", "/products/p1/stats",
                                  "/products/p1", "/products/p1/sentiment", "/products/p1/copy", "/dashboard/data",
                                  "/table/user-profiles/u1", "/router/", "/"])
def test_with_a_token_data_paths_need_it(guarded, path):
    assert not allowed(path, None, guarded)
    assert not allowed(path, "Bearer wrong", guarded)
    assert not allowed(path, TOKEN, guarded)  # no scheme
    assert allowed(path, f"Bearer {TOKEN}", guarded) and allowed(path, f"bearer {TOKEN}", guarded)


def test_the_dashboard_page_and_files_are_open_and_probes_by_setting(guarded, monkeypatch):
    for path in ("/dashboard", "/dashboard/auth", "/dashboard/static/dashboard.js", "/health", "/metrics"):
        assert allowed(path, None, guarded), path
    monkeypatch.setenv("SHOPSTREAM_OPEN_PROBES", "false")
    assert not is_open("/health", Settings().open_probes) and not is_open("/metrics", False)
    assert is_open("/dashboard", False)


def test_bearer_matching_is_exact():
    assert bearer_matches(f"Bearer {TOKEN}", TOKEN)
    assert not bearer_matches(f"Bearer {TOKEN}x", TOKEN) and not bearer_matches(None, TOKEN)
    assert not bearer_matches(f"Basic {TOKEN}", TOKEN)


def test_the_default_binds_loopback_and_an_empty_token_means_none(monkeypatch):
    assert Settings().web_host == "127.0.0.1" and not exposed_without_token(Settings())
    monkeypatch.setenv("SHOPSTREAM_API_TOKEN", "")
    assert Settings().api_token is None
    monkeypatch.setenv("SHOPSTREAM_WEB_HOST", "0.0.0.0")
    assert exposed_without_token(Settings())
    monkeypatch.setenv("SHOPSTREAM_API_TOKEN", TOKEN)
    assert not exposed_without_token(Settings()) and TOKEN not in repr(Settings())
