"""docs/configuration.md is what ``Settings`` says, one part per settings section."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

import pytest
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.settings import Settings
from streams.tools import settings_doc
from streams.tools.settings_doc import REGENERATE, default_text, render


class First(BaseSettings):
    """The first part: a bounded number."""

    model_config = SettingsConfigDict(env_prefix="SAMPLE_")
    title: ClassVar[str] = "First part"

    alpha: int = Field(3, ge=1, le=9, description="How many | of them.")


class Second(BaseSettings):
    """The second part: a choice and a folder under the home folder."""

    model_config = SettingsConfigDict(env_prefix="SAMPLE_")
    title: ClassVar[str] = "Second part"

    beta: Literal["x", "y"] = Field("x", description="Which one.")
    cache: Path = Field(default_factory=lambda: Path.home() / ".cache" / "sample", description="Where.")


class SecondGrown(Second):
    """The second part with a field added later."""

    gamma: bool = Field(False, description="Added later.")


def test_checked_in_page_matches_the_settings():
    path = settings_doc.CONFIGURATION_MD
    assert path.is_file(), f"{path} is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == render(), f"{path} is out of date: {REGENERATE}"


def test_every_field_has_one_row_with_its_variable():
    page = render()
    for name in Settings.model_fields:
        assert page.count(f"| `SHOPSTREAM_{name.upper()}` |") == 1, name


def test_each_section_is_one_part_under_its_title_and_docstring():
    page = render([First, Second])
    assert page.index("## First part") < page.index("The first part: a bounded number.") < page.index("`SAMPLE_ALPHA`")
    assert page.index("`SAMPLE_ALPHA`") < page.index("## Second part") < page.index("`SAMPLE_BETA`")
    assert page.index("`SAMPLE_BETA`") < page.index("`SAMPLE_CACHE`")
    assert "| `SAMPLE_ALPHA` | integer ≥ 1, ≤ 9 | `3` | How many \\| of them. |" in page
    assert "| `SAMPLE_BETA` | one of `x`, `y` | `x` | Which one. |" in page


def test_a_field_added_to_a_section_appears_without_a_change_to_the_generator():
    page = render([First, SecondGrown])
    assert page.index("## Second part") < page.index("`SAMPLE_GAMMA`")
    assert page.count("`SAMPLE_ALPHA`") == 1 and page.count("`SAMPLE_BETA`") == 1


def test_a_default_under_the_home_folder_is_shown_with_a_tilde():
    assert default_text(Second.model_fields["cache"]) == str(Path("~/.cache/sample"))
    assert default_text(Settings.model_fields["cache_dir"]) == str(Path("~/.cache/shopstream"))


def test_a_field_without_a_description_is_refused_by_name():
    class Undescribed(BaseSettings):
        delta: int = 1

    with pytest.raises(ValueError, match="Undescribed.delta has no description"):
        render([Undescribed])


def test_check_reports_a_stale_page(tmp_path, monkeypatch, capsys):
    page = tmp_path / "configuration.md"
    monkeypatch.setattr(settings_doc, "CONFIGURATION_MD", page)
    assert settings_doc.main(["--check"]) == 1
    assert "python -m streams.tools.settings_doc" in capsys.readouterr().err
    assert settings_doc.main([]) == 0
    assert settings_doc.main(["--check"]) == 0
    assert page.read_text(encoding="utf-8") == render()
