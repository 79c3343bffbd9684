"""The package's shape as a contract: layers and no cycles (import-linter), no private name used across modules,
a short top level, and nothing that reaches outside the installed package."""

import ast
import json
import re
from pathlib import Path

from importlinter.cli import lint_imports

from tests.conftest import ROOT

PACKAGE = ROOT / "kamlib"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_import_linter_contracts_hold(monkeypatch):
    """pyproject.toml's contracts: the layers, no import cycles at any depth, no edge library in the engine."""
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def private_imports(path: Path, root: Path = ROOT) -> list[str]:
    """The private names (`_x`) `path` imports from another kamlib module, or reads off one it imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _module_name(path, root)
    modules = {}  # local name → kamlib module imported under it
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kamlib"):
            for alias in node.names:
                if alias.name.startswith("_") and node.module != own:
                    found.append(f"{node.module}.{alias.name}")
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kamlib"):
                    modules[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{modules[node.value.id]}.{node.attr}")
    return found


def test_no_private_name_is_imported_from_another_module():
    found = {str(p.relative_to(ROOT)): names for p in MODULES if (names := private_imports(p))}
    assert found == {}


def test_the_private_name_check_finds_one(tmp_path):
    module = tmp_path / "kamlib" / "x.py"
    module.parent.mkdir()
    module.write_text("from kamlib.charts.export import _secret\nimport kamlib.scoring as s\ns._hidden\n")
    assert private_imports(module, tmp_path) == ["kamlib.charts.export._secret", "kamlib.scoring._hidden"]


def test_at_most_fifteen_modules_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 15, top


OUTSIDE = re.compile(r"__file__\)?(?:\.resolve\(\))?\.parents\[(\d+)\]")
PARENTS = re.compile(r"__file__\)?(?:\.resolve\(\))?((?:\.parent\b)+)")
DIRNAMES = re.compile(r"((?:os\.path\.dirname\()+)(?:os\.path\.(?:abspath|realpath)\()?__file__")


def climbs(line: str, depth: int) -> bool:
    """Whether a line climbs from its module's file `depth` folders or more: above the package."""
    steps = [int(m.group(1)) + 1 for m in OUTSIDE.finditer(line)]
    steps += [m.group(1).count(".parent") for m in PARENTS.finditer(line)]
    steps += [m.group(1).count("dirname") for m in DIRNAMES.finditer(line)]
    return any(step > depth for step in steps)


def test_the_climb_check_sees_every_spelling():
    assert climbs("ROOT = Path(__file__).resolve().parents[1]", 1)
    assert climbs("ROOT = Path(__file__).parent.parent", 1)
    assert climbs("ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))", 1)
    assert not climbs("HERE = Path(__file__).resolve().parent", 1)
    assert not climbs("PACKAGE = Path(__file__).resolve().parents[1]", 2)


def test_nothing_reaches_outside_the_package():
    """A wheel installed anywhere has only the package: no path climbs above it (the notebooks kamlib runs and the
    sample are package data)."""
    found = []
    for path in MODULES:
        depth = len(path.relative_to(ROOT).parts) - 1  # kamlib/x.py → 1: parents[1] is the repository
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if climbs(line, depth) or '"data" / "sample' in line:
                found.append(f"{path.relative_to(ROOT)}:{n}")
    assert found == []


def test_the_notebooks_kamlib_runs_are_package_data_and_no_notebook_is_kept_twice():
    """The notebooks `kam report` and `kam serve` run are package data; the analysts' are in notebooks/. One pair
    holds the same cells on purpose: the live matrix, which `kam serve` runs from the package (a wheel has no
    notebooks/) and analysts open as notebooks/01; this test keeps the two the same, and every other notebook
    different from all the others."""
    published = sorted((PACKAGE / "publish" / "notebooks").glob("*.ipynb"))
    analysts = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert {"account_report.ipynb", "portfolio_report.ipynb", "dashboard.ipynb", "live_matrix.ipynb"} <= {
        p.name for p in published
    }

    def cells(path: Path) -> list[tuple[str, str]]:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        return [(c["cell_type"], "".join(c["source"])) for c in notebook["cells"]]

    same = {
        (a.name, b.name)
        for i, a in enumerate(published + analysts)
        for b in (published + analysts)[i + 1 :]
        if cells(a) == cells(b)
    }
    assert same == {("live_matrix.ipynb", "01_account_matrix.ipynb")}


def test_the_public_imports_keep_working():
    """What notebooks, the docs and users import stays where it was: the top-level names, the scenario API, the
    assignment, the matrix chart and widget."""
    import kamlib
    from kamlib.assignment import Assignment, assign
    from kamlib.charts import matrix_chart
    from kamlib.scenarios import Scenario, load_scenario, save_scenario, score_scenario
    from kamlib.widgets import make_matrix_app

    assert kamlib.score_scenario is score_scenario and kamlib.load_scenario is load_scenario
    assert kamlib.Scenario is Scenario and kamlib.save_scenario is save_scenario
    assert all(callable(f) for f in (kamlib.load, kamlib.score_accounts, assign, matrix_chart, make_matrix_app))
    assert Assignment.__module__ == "kamlib.assignment.proposal"
