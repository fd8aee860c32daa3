from pathlib import Path

import pytest
from pydantic import ValidationError

from streams.settings import Settings


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("SHOPSTREAM_BROKER", "kafka://k1:9092;kafka://k2:9092")
    monkeypatch.setenv("SHOPSTREAM_PARTITIONS", "12")
    settings = Settings()
    assert settings.partitions == 12
    assert settings.bootstrap_servers == "k1:9092,k2:9092"


def test_settings_are_frozen():
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.partitions = 3


@pytest.mark.parametrize("name, value, fragment", [
    ("SHOPSTREAM_STORE", "redis://", "memory://"),
    ("SHOPSTREAM_PARTITIONS", "0", "greater than or equal to 1"),
    ("SHOPSTREAM_WEB_PORT", "70000", "less than or equal to 65535"),
])
def test_bad_values_are_refused_with_a_reason(monkeypatch, name, value, fragment):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=fragment):
        Settings()


def test_trending_step_must_fit_the_window(monkeypatch):
    monkeypatch.setenv("SHOPSTREAM_TRENDING_WINDOW_S", "60")
    monkeypatch.setenv("SHOPSTREAM_TRENDING_STEP_S", "300")
    with pytest.raises(ValidationError, match="must not exceed trending_window_s"):
        Settings()


def test_the_cache_folder_is_decided_by_the_settings_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("SHOPSTREAM_CACHE_DIR", raising=False)
    assert Settings().cache_dir == Path.home() / ".cache" / "shopstream"
    monkeypatch.setenv("SHOPSTREAM_CACHE_DIR", str(tmp_path))
    assert Settings().cache_dir == tmp_path
