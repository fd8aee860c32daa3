"""``shopstream copy-catalog`` on a catalog file: every product once, a second run resumes, errors said plainly."""

import json

from typer.testing import CliRunner

from streams.tools.cli import cli

PRODUCTS = [{"product_id": f"ml-{i}", "title": f"Film {i}", "category": "Drama", "language": "en",
             "attributes": {"genres": "Drama", "year": "1995"}} for i in range(1, 6)]


def write_catalog(path, products):
    path.write_text("".join(json.dumps(p) + "\n" for p in products), encoding="utf-8")


def test_a_catalog_file_is_written_once_and_a_second_run_resumes(tmp_path):
    catalog, out = tmp_path / "catalog.jsonl", tmp_path / "copy.jsonl"
    write_catalog(catalog, PRODUCTS[:3])
    first = CliRunner().invoke(cli, ["copy-catalog", "--catalog", str(catalog), "--out", str(out), "--batch", "2"])
    assert first.exit_code == 0, first.output
    assert "wrote 3 (3 published), skipped 0" in " ".join(first.output.split())
    write_catalog(catalog, PRODUCTS)
    second = CliRunner().invoke(cli, ["copy-catalog", "--catalog", str(catalog), "--out", str(out)])
    assert second.exit_code == 0 and "wrote 2 (2 published), skipped 3" in " ".join(second.output.split())
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["product_id"] for r in records] == [p["product_id"] for p in PRODUCTS]
    assert all(r["published"] and r["model_version"] == "frames-1" for r in records)


def test_a_broken_catalog_line_and_an_unknown_writer_are_refused(tmp_path):
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text('{"product_id": "x"\n', encoding="utf-8")
    broken = CliRunner().invoke(cli, ["copy-catalog", "--catalog", str(catalog), "--out", str(tmp_path / "o.jsonl")])
    assert broken.exit_code == 1 and "line 1 is not JSON" in " ".join(broken.output.split())
    write_catalog(catalog, PRODUCTS[:1])
    unknown = CliRunner().invoke(cli, ["copy-catalog", "--catalog", str(catalog), "--writer", "poet",
                                       "--out", str(tmp_path / "o.jsonl")])
    assert unknown.exit_code == 1 and "Unknown copy writer 'poet'" in " ".join(unknown.output.split())
