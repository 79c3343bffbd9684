"""Set up and run kamlib with nothing but Python 3.11+ and pip: `python3 scripts/dev.py demo|test`.

Creates a local virtual environment in .venv (once, and again whenever pyproject.toml
changes), installs kamlib with its test dependencies into it, then:

- `demo`  scores the bundled sample engagement (kamlib/samples/sample), writes the scored table, the
          account matrix chart and the KAMs' time allocation (table and charts) under
          reports/sample/, then opens the live account matrix
          as a Voilà app on 127.0.0.1 and prints its URL (Ctrl-C stops it);
- `test`  runs the whole test suite on every core (extra arguments go to pytest; `test -m "not slow"` is the
          fast developer loop, about 2 minutes);
- `test-lowest` runs, in .venv-lowest with the lowest versions we claim to support (.ci/lowest.txt: pandas 2.2,
          altair 5.4, jupyterlab 4.0, …), the fast tests of the code that calls the dependencies (`LOWEST_PATHS`),
          but their hypothesis property tests, plus the slow tests marked `lowest`, which exercise
          the dependencies' APIs the fast loop does not (notebooks, Voilà, reports, PostgreSQL, the browser,
          the docs).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
LOWEST_VENV = ROOT / ".venv-lowest"
LOWEST_CONSTRAINTS = ROOT / ".ci" / "lowest.txt"
LOWEST_PATHS = (
    "tests/workbook",  # pandas, pandera, openpyxl, python-calamine, defusedxml, pyarrow
    "tests/test_xlsx.py",
    "tests/hostile",
    "tests/ledger",  # pyarrow, duckdb, sqlalchemy, psycopg
    "tests/charts",  # altair, vl-convert
    "tests/widgets",  # ipywidgets, anywidget
    "tests/publish",  # papermill, nbconvert, voila, python-pptx, babel
    "tests/scenarios",  # scipy
    "tests/test_notebooks.py",
    "tests/browser/test_live_matrix_voila.py",
    "tests/test_docs.py",  # mkdocs
)
"""What the lowest-versions pass runs: the tests of the code that calls the dependencies' APIs (the rest is
kamlib's own arithmetic on those results, run by the main pass); CI's 15 minutes hold both passes."""


def _bin(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def _python(env: Path) -> Path:
    return _bin(env) / ("python.exe" if os.name == "nt" else "python")


def ensure_environment(env: Path = VENV, constraints: Path | None = None) -> None:
    """Create `env` and install kamlib[test] into it unless already done for this pyproject.toml (and constraints)."""
    inputs = (ROOT / "pyproject.toml").read_bytes() + (constraints.read_bytes() if constraints else b"")
    digest = hashlib.sha256(inputs).hexdigest()
    stamp = env / ".kamlib-installed"
    python = _python(env)
    if stamp.exists() and stamp.read_text() == digest and python.exists():
        return
    if not python.exists():
        print(f"creating {env.name} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(env)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    print(f"installing kamlib and its dependencies into {env.name} …", flush=True)
    extra = ["-c", str(constraints)] if constraints else []
    subprocess.run([*pip, "install", *extra, "-e", f"{ROOT}[test]"], check=True)
    stamp.write_text(digest)


def demo(out: Path = ROOT / "reports" / "sample", python: Path | None = None) -> int:
    """Score the sample engagement and write the table, the matrix charts and the time allocation under `out`."""
    cmd = [
        str(python or _python(VENV)),
        "-m",
        "kamlib.cli",
        "score",
        str(ROOT / "kamlib" / "samples" / "sample"),
        "--out",
        str(out / "scored.csv"),
        "--chart",
        str(out / "matrix.html"),
        "--chart",
        str(out / "matrix.svg"),
        "--chart",
        str(out / "matrix.png"),
        "--live",
        str(out / "live_matrix.html"),
    ]
    code = subprocess.run(cmd).returncode
    if code == 0:
        print(
            f"wrote {out / 'scored.csv'}, the matrix as matrix.html (opens offline in any browser), matrix.svg and "
            f"matrix.png, and live_matrix.html (the sliders, with no kernel) in {out}"
        )
        time = [
            cmd[0],
            "-m",
            "kamlib.cli",
            "time",
            cmd[4],
            "--out",
            str(out / "time.csv"),
            "--charts",
            str(out / "time"),
        ]
        code = subprocess.run(time).returncode  # its findings (what deserves a look) go to stderr
    if code == 0:
        print(f"wrote the KAMs' time allocation: {out / 'time.csv'} and its charts in {out / 'time'}")
    return code


def serve(python: Path | None = None) -> int:
    """Open the live account matrix on the sample engagement in Voilà and print its URL."""
    return subprocess.run([str(python or _python(VENV)), "-m", "kamlib.cli", "serve"]).returncode


def test(args: list[str], env: Path = VENV) -> int:
    """Run the test suite with pytest on every core (pytest-xdist) unless `args` say otherwise; pytest's "no tests
    ran" (exit 5) counts as a failure."""
    chosen = any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" for a in args)
    workers = [] if chosen else ["-n", "auto", "--dist", "loadgroup"]  # a notebook's tests share one worker
    if os.environ.get("CI") and not any(a.startswith("--durations") for a in args):
        workers.append("--durations=25")  # CI's log names its slowest tests: where its 15 minutes go
    code = subprocess.run([str(_python(env)), "-m", "pytest", *workers, *args], cwd=ROOT).returncode
    return 1 if code == 5 else code


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "test-lowest":
        ensure_environment(LOWEST_VENV, LOWEST_CONSTRAINTS)
        return test(["-m", "(not slow and not property) or lowest", *argv[1:], *LOWEST_PATHS], LOWEST_VENV)
    if command not in ("demo", "test", "setup"):
        print(__doc__, file=sys.stderr)
        return 2
    ensure_environment()
    if command == "demo":
        return demo() or serve()
    if command == "test":
        return test(argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
