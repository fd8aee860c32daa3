"""Export the topic contract: JSON Schema files and the Markdown reference.

``python -m schemas.export`` writes ``schemas/json/<topic>.json`` and
``docs/topics.md``; ``python -m schemas.export --check`` writes nothing and
exits 1 naming every file that differs from what the models say (CI runs it,
and so does ``tests/schemas/test_export.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from schemas.markdown import render_topics_markdown
from schemas.topics import CONTRACT

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
JSON_DIR = Path(__file__).resolve().parent / "json"
TOPICS_MD = Path(__file__).resolve().parent.parent / "docs" / "topics.md"

__all__ = [
    "JSON_DIR",
    "TOPICS_MD",
    "check",
    "json_schemas",
    "render_topics_markdown",
    "schema_text",
    "write_json_schemas",
]


def json_schemas() -> dict[str, dict[str, Any]]:
    """Return the JSON Schema of every topic's value, keyed by file stem (the topic name).

    Nested models are in each schema's ``$defs``; ``x-kafka`` says the topic,
    its key and who writes it.
    """
    schemas: dict[str, dict[str, Any]] = {}
    for spec in CONTRACT:
        schema: dict[str, Any] = {"$schema": JSON_SCHEMA_DIALECT}
        schema.update(spec.value_model.model_json_schema())
        schema["x-kafka"] = {
            "topic": spec.name,
            "key": spec.key,
            "written_by": spec.written_by,
        }
        schemas[spec.name] = schema
    return schemas


def schema_text(schema: dict[str, Any]) -> str:
    """Serialise a schema exactly as it is checked in (2-space indent, UTF-8)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _expected_files(json_dir: Path, topics_md: Path) -> dict[Path, str]:
    """Every generated file and the text it should hold."""
    files = {
        json_dir / f"{stem}.json": schema_text(schema)
        for stem, schema in json_schemas().items()
    }
    files[topics_md] = render_topics_markdown()
    return files


def write_json_schemas(directory: Path | str) -> list[Path]:
    """Write one ``<topic>.json`` per topic into ``directory``; return the paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, schema in json_schemas().items():
        path = directory / f"{stem}.json"
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written


def check(json_dir: Path | None = None, topics_md: Path | None = None) -> list[Path]:
    """Return the generated files that are missing, stale or left over.

    Defaults to the checked-in locations, ``schemas/json`` and ``docs/topics.md``.
    """
    json_dir = JSON_DIR if json_dir is None else Path(json_dir)
    topics_md = TOPICS_MD if topics_md is None else Path(topics_md)
    expected = _expected_files(json_dir, topics_md)
    drifted = [
        path
        for path, text in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    return drifted + _leftovers(json_dir)


def _leftovers(json_dir: Path) -> list[Path]:
    """Schema files in ``json_dir`` for topics the contract no longer has."""
    wanted = {json_dir / f"{spec.name}.json" for spec in CONTRACT}
    return sorted(set(json_dir.glob("*.json")) - wanted)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m schemas.export",
        description="Write schemas/json/*.json and docs/topics.md from the models.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any generated file is out of date",
    )
    args = parser.parse_args(argv)
    if args.check:
        drifted = check()
        for path in drifted:
            print(f"out of date: {_shown(path)}", file=sys.stderr)
        if drifted:
            print("run `python -m schemas.export` and commit the result", file=sys.stderr)
            return 1
        print("schemas/json and docs/topics.md are up to date")
        return 0
    for path in write_json_schemas(JSON_DIR):
        print(f"wrote {_shown(path)}")
    TOPICS_MD.parent.mkdir(parents=True, exist_ok=True)
    TOPICS_MD.write_text(render_topics_markdown(), encoding="utf-8")
    print(f"wrote {_shown(TOPICS_MD)}")
    for path in _leftovers(JSON_DIR):
        path.unlink()
        print(f"removed {_shown(path)} (no topic of that name)")
    return 0


def _shown(path: Path) -> str:
    """The path relative to the repository when it is inside it."""
    try:
        return str(path.relative_to(TOPICS_MD.parent.parent))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
