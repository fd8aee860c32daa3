"""The checked-in JSON Schemas and docs/topics.md match the models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas import export
from schemas.export import json_schemas, render_topics_markdown, schema_text
from schemas.topics import CONTRACT

REGENERATE = "run `python -m schemas.export` and commit the result"


def test_json_schemas_are_keyed_by_topic_name() -> None:
    assert list(json_schemas()) == [spec.name for spec in CONTRACT]


@pytest.mark.parametrize("stem", [spec.name for spec in CONTRACT])
def test_checked_in_json_schema_matches_the_model(stem: str) -> None:
    path = export.JSON_DIR / f"{stem}.json"
    assert path.is_file(), f"{path} is missing: {REGENERATE}"
    checked_in = json.loads(path.read_text(encoding="utf-8"))
    assert checked_in == json_schemas()[stem], f"{path} is out of date: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == schema_text(checked_in), (
        f"{path} is not formatted as exported: {REGENERATE}"
    )


def test_checked_in_topics_markdown_matches_the_models() -> None:
    path = export.TOPICS_MD
    assert path.is_file(), f"{path} is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == render_topics_markdown(), (
        f"{path} is out of date: {REGENERATE}"
    )


def test_nothing_has_drifted() -> None:
    assert export.check() == [], REGENERATE


def test_markdown_documents_every_topic_and_field() -> None:
    markdown = render_topics_markdown()
    for spec in CONTRACT:
        assert f"## `{spec.name}`" in markdown
        for name in spec.value_model.model_fields:
            assert f"| `{name}` |" in markdown, f"{spec.name}.{name} is not documented"


def test_every_field_has_a_description() -> None:
    for stem, schema in json_schemas().items():
        objects = [schema, *schema.get("$defs", {}).values()]
        for obj in objects:
            assert obj.get("description"), f"{stem}: {obj['title']} has no docstring"
            for name, prop in obj.get("properties", {}).items():
                assert prop.get("description"), f"{stem}: {obj['title']}.{name}"


def test_write_then_check_a_fresh_directory(tmp_path: Path) -> None:
    json_dir, topics_md = tmp_path / "json", tmp_path / "topics.md"
    assert len(export.check(json_dir, topics_md)) == len(CONTRACT) + 1
    written = export.write_json_schemas(json_dir)
    assert sorted(path.name for path in written) == sorted(
        f"{spec.name}.json" for spec in CONTRACT
    )
    topics_md.write_text(render_topics_markdown(), encoding="utf-8")
    assert export.check(json_dir, topics_md) == []
    (json_dir / "shop.retired.json").write_text("{}", encoding="utf-8")
    assert export.check(json_dir, topics_md) == [json_dir / "shop.retired.json"]


def test_check_flag_names_each_drifted_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(export, "JSON_DIR", tmp_path / "json")
    monkeypatch.setattr(export, "TOPICS_MD", tmp_path / "docs" / "topics.md")
    assert export.main([]) == 0
    (tmp_path / "json" / "shop.clicks.json").write_text("{}\n", encoding="utf-8")
    assert export.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "shop.clicks.json" in err and "shop.reviews.json" not in err
    assert "python -m schemas.export" in err
