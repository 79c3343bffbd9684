import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

import kamlib
from kamlib.engagement import SAMPLE_PATH

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
# what kamlib keeps of its own (the sample's scenarios and autosave) goes to a fresh folder, never the user's
os.environ["KAM_DATA"] = tempfile.mkdtemp(prefix="kam-data-")
os.environ["KAM_LANG"] = "en"  # whatever the machine's locale, messages default to English here (as tests expect)


@pytest.fixture(scope="session")
def tiny_path() -> Path:
    """A four-account engagement whose composites are worked out by hand in test_scoring.py."""
    return DATA / "tiny"


@pytest.fixture(scope="session")
def tiny(tiny_path):
    return kamlib.load(tiny_path)


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE_PATH


def execute_notebook(path: Path, out: Path, parameters: dict, tries: int = 2):
    """Run a notebook with papermill, a cell never waiting more than 30 seconds.

    nbclient sometimes never hears a kernel's reply (the kernel idle, the client waiting
    forever: seen once in CI on a fresh machine); a cell that times out is run again once,
    so a lost message fails loudly after two tries instead of hanging the suite.
    """
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError

    for attempt in range(tries):
        try:
            return pm.execute_notebook(
                str(path),
                str(out),
                parameters=parameters,
                cwd=str(path.parent),
                progress_bar=False,
                kernel_name="python3",
                execution_timeout=30,  # the slowest cell of these notebooks takes ~10 s under CI load
            )
        except CellTimeoutError:
            if attempt == tries - 1:
                raise
    return None


def copy_book(source: Path, folder: Path, **files: str) -> Path:
    """Copy the workbook folder `source` to `folder`, with these CSV files written over it (name → text)."""
    shutil.copytree(source, folder)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def copy_tiny(folder: Path, a2_name: str | None = None, kam_name: str | None = None) -> Path:
    """Copy the tiny engagement to `folder`; with `a2_name`, account A2 ("Hoteles Mirasol") is renamed to it, with
    `kam_name` KAM K2 ("Jordi Ibáñez").

    The hostile-name tests use it: an account named `<script>…</script>` must stay text wherever it shows.
    """
    shutil.copytree(DATA / "tiny", folder)
    for sheet, old, new in (("accounts", "Hoteles Mirasol", a2_name), ("kams", "Jordi Ibáñez", kam_name)):
        if new is not None:
            path = folder / f"{sheet}.csv"
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return folder


HOSTILE = "<script>alert(1)</script>"
"""A name that is a script: every notebook, view and chart must show it as text."""


@pytest.fixture(scope="session")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str], dict]:
    """Run a notebook once per test session and language, and share the executed notebook with every test that
    reads it: on its own copy of the tiny engagement whose account A2 and KAM K2 are named `HOSTILE` (a notebook
    may write beside its workbook), or on the sample for the ledger notebook, which reads the sample ledger."""
    done: dict[tuple[Path, str], dict] = {}

    def run(path: Path, lang: str) -> dict:
        if (path, lang) not in done:
            folder = tmp_path_factory.mktemp(f"{path.stem}-{lang}")
            workbook = copy_tiny(folder / "tiny", HOSTILE, HOSTILE)
            if path.name == "05_from_ledger.ipynb":
                workbook = SAMPLE_PATH
            done[path, lang] = execute_notebook(path, folder / path.name, {"lang": lang, "workbook": str(workbook)})
        return done[path, lang]

    return run


@pytest.fixture(scope="session")
def written_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[list, object]:
    """Two account reports and the portfolio in Spanish, written once per session (a real run, two workers) on a copy
    of the tiny engagement whose account A2 is named as a script: the report tests and the report's browser test read
    them (one xdist group, so one worker writes them)."""
    from kamlib.publish.reports import plan_reports, run_reports

    out = tmp_path_factory.mktemp("reports")
    book = copy_tiny(out / "libro", "<script>window.__kam_xss=1</script>")
    jobs = plan_reports(book, out, ["A1", "A2"], lang="es")
    return jobs, run_reports(jobs, workers=2, progress=False)


@pytest.fixture(scope="session")
def sample_reports_en(tmp_path_factory: pytest.TempPathFactory, tiny_path: Path) -> tuple[Path, object]:
    """`kam --lang en report SAMPLE --account A001 --out BASE/reports`, run once per session with KAM_WORKBOOK naming
    another engagement (a report's workbook is its parameter, never that): BASE and the finished command. The test of
    the paths a report names and the client-grade reading of the English reports share it (one xdist group)."""
    from tests.kam import run_kam

    base = tmp_path_factory.mktemp("sample-reports")
    before = os.environ.get("KAM_WORKBOOK")
    os.environ["KAM_WORKBOOK"] = str(tiny_path)
    try:
        out = base / "reports"
        done = run_kam("--lang", "en", "report", SAMPLE_PATH, "--account", "A001", "--out", out, "--jobs", "1")
    finally:
        if before is None:
            del os.environ["KAM_WORKBOOK"]
        else:
            os.environ["KAM_WORKBOOK"] = before
    return base, done


LOWEST = (  # slow tests that the lowest-versions pass runs too: each calls a dependency's API the fast loop does not
    "tests/publish/test_serve.py::test_kam_serve_prints_its_url_and_serves_the_matrix",  # voila, jupyter_server
    "tests/publish/test_relative_paths.py::test_reports_name_their_inputs_relative_to_the_output_folder",  # papermill
    "tests/test_notebooks.py::test_notebook_runs[es-01_account_matrix.ipynb]",  # anywidget, ipywidgets
    "tests/test_notebooks.py::test_notebook_runs[en-02_weight_scenarios.ipynb]",  # the AHP form, scipy
    "tests/ledger/test_postgres.py",  # pytest-postgresql, psycopg
    "tests/browser/test_live_matrix_voila.py::test_live_matrix_answers_the_sliders_offline",  # playwright
    "tests/test_docs.py",  # mkdocs, mkdocs-material
)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests and notebook runs are slow: the fast loop (`-m "not slow"`) leaves them to CI; the tests of
    `LOWEST` are marked for the lowest-versions pass; hypothesis's property tests are marked `property`, which
    that pass leaves out (`-m "(not slow and not property) or lowest"`: the example tests call the same APIs)."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)
        parts = item.path.parts
        if "browser" in parts or item.path.name == "test_notebooks.py":
            item.add_marker(pytest.mark.slow)
        if item.nodeid.startswith(LOWEST):
            item.add_marker(pytest.mark.lowest)
        if getattr(item, "originalname", None) == "test_notebook_runs":  # one worker per notebook and language
            params = item.callspec.params
            item.add_marker(pytest.mark.xdist_group(f"{params['path'].name}-{params['lang']}"))
        for shared in {"written_reports", "sample_reports_en"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group(shared))  # one worker writes the shared reports
