"""docs/architecture.md describes what is built: its paths exist, every flow and table is on it,
and the role modules the app loads are the ones it names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PATH = re.compile(r"`((?:streams|shopmodels|schemas|tests|bench)/[\w./-]*)`")


@pytest.mark.parametrize("path", sorted(set(PATH.findall(PAGE))))
def test_every_path_named_exists(path):
    assert (ROOT / path.rstrip("/")).exists(), f"docs/architecture.md names {path}, which does not exist"


def test_every_flow_folder_is_on_the_code_map():
    flows = sorted(p.name for p in (ROOT / "streams" / "flows").iterdir() if p.is_dir() and p.name != "__pycache__")
    missing = [flow for flow in flows if not re.search(rf"^\s+{flow}/\s", PAGE, re.M)]
    assert not missing, f"docs/architecture.md's code map lacks the flows {missing}"


def test_every_table_is_described():
    from streams.tables import ALL

    missing = [name for name in ALL if f"| `{name}` |" not in PAGE]
    assert not missing, f"docs/architecture.md's Tables section lacks {missing}"


def test_every_module_a_role_loads_exists_and_its_flow_is_on_the_page():
    from importlib.util import find_spec

    from streams.app import ROLE_MODULES

    for role, modules in ROLE_MODULES.items():
        for module in modules:
            assert find_spec(module) is not None, f"role {role} loads {module}, which does not exist"
            assert module.split(".")[2] in PAGE or module.startswith("streams.monitoring"), module
