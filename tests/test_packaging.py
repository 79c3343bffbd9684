"""Packaging rules: conda and pip list the same dependencies; importing kamlib stays light."""

import re
import subprocess
import sys
import tomllib

import pytest
import yaml

import kamlib
from tests.conftest import ROOT

_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(requirement: str) -> tuple[str, str]:
    name, spec = _REQ.match(requirement.split("#")[0]).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_and_pyproject_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_side = dict(_parse(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_side = {}
    for dep in env["dependencies"]:
        entries = dep["pip"] if isinstance(dep, dict) else [dep]
        for entry in entries:
            if entry.startswith("-e"):
                continue
            name, spec = _parse(entry)
            if name not in ("python", "pip"):
                conda_side[name] = spec
    assert conda_side == pip_side


def test_python_lower_bound_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert project["requires-python"] == ">=3.11" and "python>=3.11" in env


def test_importing_kamlib_loads_no_heavy_edge_library():
    code = (
        "import sys, kamlib, kamlib.scoring, kamlib.cli, kamlib.workbook.validate; "
        "print(sorted(m for m in ('altair', 'ipywidgets', 'papermill', 'voila', 'vl_convert', 'matplotlib', "
        "'pandera', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_import_kamlib_alone_loads_nothing_and_its_names_come_on_first_use():
    code = (
        "import sys, kamlib; loaded = [m for m in ('pandas', 'numpy') if m in sys.modules]; "
        "from kamlib import WorkbookError, load; print(loaded, load.__module__, WorkbookError.__module__, "
        "'pandas' in sys.modules, 'load' in dir(kamlib))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]", "kamlib.engagement", "kamlib.errors", "True", "True"]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        kamlib.nothing  # noqa: B018 - the attribute access is the test


def test_lowest_constraints_pin_the_stated_lower_bounds():
    """CI's test-lowest run installs exactly the lower bounds pyproject.toml states."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    tested = project["dependencies"] + project["optional-dependencies"]["test"]
    bounds = {name: re.sub(r"^\[.*?\]", "", spec) for name, spec in map(_parse, tested)}  # psycopg[binary]>=…
    bounds["psycopg-binary"] = bounds["psycopg"]  # the binary extra is pinned with psycopg
    pins = {}
    for line in (ROOT / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    for name, version in pins.items():
        stated = bounds[name].removeprefix(">=")
        assert tuple(map(int, version.split("."))) >= tuple(map(int, stated.split("."))), name
        assert version.startswith(stated) or version == stated + ".0", f"{name}: pin {version}, bound {stated}"
    assert {"pandas", "altair", "jupyterlab", "ipywidgets", "voila", "papermill"} <= set(pins)


def test_bounds_exclude_versions_with_published_advisories():
    """pyarrow before 14.0.1 runs code reading an untrusted Parquet file (CVE-2023-47248: kam ingest x.parquet);
    jupyterlab before 4.0.11 (CVE-2024-22421), jupyter_server before 2.14.1 (CVE-2024-35178) and tornado before
    6.5 (CVE-2025-47287) serve the dashboards; defusedxml parses the parts of a client's .xlsx."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = dict(_parse(r) for r in project["dependencies"])
    floors = {"pyarrow": (14, 0, 1), "jupyterlab": (4, 0, 11), "jupyter-server": (2, 14, 1), "tornado": (6, 5)}
    for name, floor in floors.items():
        assert tuple(map(int, bounds[name].removeprefix(">=").split("."))) >= floor, name
    assert "defusedxml" in bounds
