"""Bulk copy into a JSON Lines file: every product once, resumed after a kill, a foreign file refused."""

import json

import pytest

from shopmodels.copywriter.bulk import write_catalog, written_ids
from shopmodels.copywriter.writers import FramesWriter, load_writer

from .conftest import PHONE, TRAIL_SHOE

CATALOG = [PHONE, TRAIL_SHOE, {**PHONE, "product_id": "phone-2", "title": "Nova X6"},
           {"product_id": "ml-50", "title": "Star Wars (1977)", "category": "Action", "language": "en",
            "attributes": {"genres": "Action, Sci-Fi", "year": "1977"}}]


def test_every_product_is_written_once_in_batches(tmp_path):
    out = tmp_path / "copy.jsonl"
    batches = []
    stats = write_catalog(CATALOG, FramesWriter(), out, batch_size=3, on_batch=batches.append)
    assert (stats.written, stats.published, stats.skipped, batches) == (4, 4, 0, [3, 1])
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["product_id"] for line in lines] == ["phone-nova-x5", "sku-88231", "phone-2", "ml-50"]
    assert all(line["published"] and line["model_version"] == "frames-1" for line in lines)


def test_a_second_run_resumes_after_a_torn_last_line(tmp_path):
    out = tmp_path / "copy.jsonl"
    write_catalog(CATALOG[:2], FramesWriter(), out)
    with open(out, "a") as handle:
        handle.write('{"product_id": "phone-2", "descr')  # a run killed mid-write
    stats = write_catalog(CATALOG, FramesWriter(), out)
    assert (stats.skipped, stats.written) == (2, 2)
    assert [json.loads(line)["product_id"] for line in out.read_text().splitlines()] == \
        ["phone-nova-x5", "sku-88231", "phone-2", "ml-50"]
    assert written_ids(out) == {"phone-nova-x5", "sku-88231", "phone-2", "ml-50"}


def test_a_file_that_is_not_copy_is_refused_rather_than_appended_to(tmp_path):
    out = tmp_path / "notes.jsonl"
    out.write_text("hello\n")
    with pytest.raises(ValueError, match="line 1 is not a copy record"):
        write_catalog(CATALOG, FramesWriter(), out)


def test_an_unknown_writer_is_refused_with_the_choices(tmp_path):
    with pytest.raises(ValueError, match="choose one of frames, model"):
        load_writer("poet", cache_dir=tmp_path)
