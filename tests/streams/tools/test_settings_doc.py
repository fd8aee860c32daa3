"""docs/configuration.md is what ``Settings`` says, grouped by the section comments of the class."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.settings import Settings
from streams.tools import settings_doc
from streams.tools.settings_doc import REGENERATE, default_text, render


class Sample(BaseSettings):
    """Two sections, a bounded number, a choice and a folder under the home folder."""

    model_config = SettingsConfigDict(env_prefix="SAMPLE_")

    # --- first part ------------------------------------------------------------
    alpha: int = Field(3, ge=1, le=9, description="How many | of them.")
    # --- second part -----------------------------------------------------------
    beta: Literal["x", "y"] = Field("x", description="Which one.")
    cache: Path = Field(default_factory=lambda: Path.home() / ".cache" / "sample", description="Where.")


class SampleGrown(Sample):
    """A field added in a subclass, under no section comment of its own."""

    gamma: bool = Field(False, description="Added later.")


def test_checked_in_page_matches_the_settings():
    path = settings_doc.CONFIGURATION_MD
    assert path.is_file(), f"{path} is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == render(), f"{path} is out of date: {REGENERATE}"


def test_every_field_has_one_row_with_its_variable():
    page = render()
    for name in Settings.model_fields:
        assert page.count(f"| `SHOPSTREAM_{name.upper()}` |") == 1, name


def test_sections_follow_the_comments_of_the_class():
    page = render(Sample)
    assert page.index("## First part") < page.index("`SAMPLE_ALPHA`") < page.index("## Second part")
    assert page.index("## Second part") < page.index("`SAMPLE_BETA`") < page.index("`SAMPLE_CACHE`")
    assert "| `SAMPLE_ALPHA` | integer ≥ 1, ≤ 9 | `3` | How many \\| of them. |" in page
    assert "| `SAMPLE_BETA` | one of `x`, `y` | `x` | Which one. |" in page


def test_a_field_under_no_section_comment_comes_last_under_its_own_heading():
    page = render(SampleGrown)
    assert page.index("## Second part") < page.index(f"## {settings_doc.UNGROUPED}") < page.index("`SAMPLE_GAMMA`")
    assert page.count("`SAMPLE_ALPHA`") == 1


def test_a_default_under_the_home_folder_is_shown_with_a_tilde():
    assert default_text(Sample.model_fields["cache"]) == str(Path("~/.cache/sample"))
    assert default_text(Settings.model_fields["cache_dir"]) == str(Path("~/.cache/shopstream"))


def test_a_field_without_a_description_is_refused_by_name():
    class Undescribed(BaseSettings):
        delta: int = 1

    with pytest.raises(ValueError, match="Undescribed.delta has no description"):
        render(Undescribed)


def test_check_reports_a_stale_page(tmp_path, monkeypatch, capsys):
    page = tmp_path / "configuration.md"
    monkeypatch.setattr(settings_doc, "CONFIGURATION_MD", page)
    assert settings_doc.main(["--check"]) == 1
    assert "python -m streams.tools.settings_doc" in capsys.readouterr().err
    assert settings_doc.main([]) == 0
    assert settings_doc.main(["--check"]) == 0
    assert page.read_text(encoding="utf-8") == render()
