"""The dashboard's static files (``streams/monitoring/dashboard/static/``): which may be served, and as what.

Only files listed when the worker starts are served, looked up by their relative path, so a
request can never reach outside the folder (``..``, absolute paths, links) whatever it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"

#: The page itself, which every index must hold.
PAGE = "index.html"
#: Content type of each kind of file served; other files in the folder (README, LICENSE) are not served.
CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


@dataclass(frozen=True)
class Asset:
    """One servable file and its content type."""

    path: Path
    content_type: str

    def read(self) -> bytes:
        """The file's bytes."""
        return self.path.read_bytes()


def asset_index(root: Path) -> dict[str, Asset]:
    """Every servable file under ``root`` (none a link leads out of it to), by its path relative to ``root``."""
    if not (root / PAGE).is_file():
        raise FileNotFoundError(f"{root / PAGE} is missing; reinstall the package (pyproject.toml lists "
                                "streams/monitoring/dashboard/static as package data)")
    index, real_root = {}, root.resolve()
    for path in sorted(root.rglob("*")):
        inside = path.resolve().is_relative_to(real_root)
        if path.is_file() and inside and path.suffix in CONTENT_TYPES:
            index[path.relative_to(root).as_posix()] = Asset(path, CONTENT_TYPES[path.suffix])
    return index


def find_asset(index: dict[str, Asset], requested: str) -> Asset | None:
    """The asset at ``requested`` (e.g. ``vendor/uPlot.min.css``), or None when it is not one of ``index``."""
    return index.get(requested)
