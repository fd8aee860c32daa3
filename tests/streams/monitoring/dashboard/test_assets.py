"""The dashboard's static files: what is served, nothing outside the folder, and the vendored uPlot unchanged."""

import hashlib
import re

import pytest

from streams.monitoring.dashboard.assets import STATIC_DIR, asset_index, find_asset

VENDOR = STATIC_DIR / "vendor"


def test_the_page_its_files_and_uplot_are_served_with_their_types():
    index = asset_index(STATIC_DIR)
    assert {name: asset.content_type for name, asset in index.items()} == {
        "index.html": "text/html", "dashboard.js": "text/javascript", "dashboard.css": "text/css",
        "vendor/uPlot.iife.min.js": "text/javascript", "vendor/uPlot.min.css": "text/css"}
    page = find_asset(index, "index.html").read().decode()
    for name in ("vendor/uPlot.iife.min.js", "vendor/uPlot.min.css", "dashboard.js", "dashboard.css"):
        assert f'"dashboard/static/{name}"' in page  # relative links, so the page also works behind a path prefix
    assert "http://" not in page and "https://" not in page  # nothing from a CDN


def test_nothing_outside_the_index_is_found(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "index.html").write_text("<!doctype html>")
    (tmp_path / "static" / "app.js").write_text("1")
    (tmp_path / "secret.css").write_text("x")
    (tmp_path / "static" / "link.css").symlink_to(tmp_path / "secret.css")
    index = asset_index(tmp_path / "static")
    assert list(index) == ["app.js", "index.html"]
    for requested in ("../secret.css", "link.css", "/etc/passwd", "%2e%2e/secret.css", "", "vendor/../app.js"):
        assert find_asset(index, requested) is None
    assert find_asset(index, "app.js").read() == b"1"


def test_a_folder_without_the_page_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="index.html is missing"):
        asset_index(tmp_path)


def test_vendored_uplot_matches_the_recorded_version_and_digests():
    readme = (VENDOR / "README.md").read_text()
    assert "uPlot 1.6.32" in readme and "npm pack uplot@1.6.32" in readme
    recorded = dict((name, digest) for digest, name in re.findall(r"^sha256 ([0-9a-f]{64}) (\S+)$", readme, re.M))
    assert set(recorded) == {"uPlot.iife.min.js", "uPlot.min.css", "LICENSE"}
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, f"{name} differs from uPlot 1.6.32"
    assert (VENDOR / "uPlot.iife.min.js").read_text().startswith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */")
    assert "MIT License" in (VENDOR / "LICENSE").read_text()
