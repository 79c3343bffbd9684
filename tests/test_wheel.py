"""The wheel works installed anywhere: built from the repository without a build-backend warning, installed into a
fresh virtual environment outside it, and there `kam` and `kamlib.load()` run on the bundled sample.

The fresh environment takes kamlib from the wheel and nothing from the repository; its third-party packages come
from the test environment (a path in a .pth file, whose own .pth files, the editable kamlib among them, are not
read, and the data those packages install under share/jupyter: nbconvert's templates, the python3 kernel), so the
test needs no download beyond the build backend.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")  # pip builds in the source tree: a copy keeps the repository clean
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "kamlib", source / "kamlib", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        check=True,
        cwd=out,
    )
    said = build.stdout + build.stderr
    assert "BuildBackendWarning" not in said and "deprecated" not in said.lower(), said
    (found,) = out.glob("kamlib-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A fresh virtual environment outside the repository with the wheel installed; its python, bin and a cwd."""
    env = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "kamlib-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    (env / "share").symlink_to(Path(sys.prefix) / "share", target_is_directory=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
    )
    work = tmp_path_factory.mktemp("work")
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environ["PATH"] = f"{env / 'bin'}{os.pathsep}{environ['PATH']}"
    return {"python": python, "bin": env / "bin", "cwd": work, "env": environ, "site": site}


def run(installed: dict, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=installed["cwd"], env=installed["env"], capture_output=True, text=True, timeout=timeout
    )


def test_the_wheel_holds_the_notebooks_templates_and_sample(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "kamlib/publish/notebooks/account_report.ipynb",
        "kamlib/publish/notebooks/portfolio_report.ipynb",
        "kamlib/publish/notebooks/dashboard.ipynb",
        "kamlib/publish/notebooks/live_matrix.ipynb",
        "kamlib/publish/jupyter/voila/templates/kamlib/index.html.j2",
        "kamlib/publish/jupyter/nbconvert/templates/kamlib_report/index.html.j2",
        "kamlib/samples/sample/accounts.csv",
        "kamlib/samples/sample_ledger/ventas.csv",
        "kamlib/widgets/matrix.js",
        *(
            f"kamlib/room/static/{page}.{kind}"
            for page in ("participant", "facilitator", "join")
            for kind in ("js", "css")
        ),
        "kamlib/room/static/common.js",
    ):
        assert expected in names
    assert not any(n.startswith(("tests/", "notebooks/", "scripts/")) for n in names)


def test_kamlib_comes_from_the_wheel_and_loads_the_bundled_sample(installed):
    code = "import kamlib; e = kamlib.load(); print(kamlib.__file__); print(e.name, len(e.accounts))"
    out = run(installed, str(installed["python"]), "-c", code)
    assert out.returncode == 0, out.stderr
    where, summary = out.stdout.splitlines()
    assert Path(where).is_relative_to(installed["site"]) and summary == "sample 48"


def test_kam_commands_run_on_the_bundled_sample(installed):
    kam = str(installed["bin"] / "kam")
    cwd = installed["cwd"]
    assert run(installed, kam, "sample", "muestra").returncode == 0
    out = run(installed, kam, "--lang", "es", "validate", "muestra")
    assert out.returncode == 0 and "muestra: 48 cuentas" in out.stdout, out.stderr
    out = run(installed, kam, "score", "muestra", "--out", "scored.csv")
    assert out.returncode == 0 and len((cwd / "scored.csv").read_text(encoding="utf-8").splitlines()) == 49
    out = run(installed, kam, "report", "muestra", "--account", "A001", "--out", "informes", "--jobs", "1")
    assert out.returncode == 0, out.stderr
    page = (cwd / "informes" / "muestra" / "A001" / "report.html").read_text(encoding="utf-8")
    assert "Supermercados Levante" in page
    assert (cwd / "informes" / "muestra" / "portfolio.html").exists()
    out = run(installed, kam, "deck", "muestra", "--account", "A001", "--out", "deck.pptx")
    assert out.returncode == 0 and zipfile.is_zipfile(cwd / "deck.pptx"), out.stderr


@contextlib.contextmanager
def served(installed: dict, *args: str) -> Iterator[subprocess.Popen]:
    """Run `kam ARGS` from the wheel's environment, its output piped; stop it afterwards."""
    process = subprocess.Popen(
        [str(installed["bin"] / "kam"), *args],
        cwd=installed["cwd"],
        env=installed["env"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_kam_serve_serves_the_dashboard_from_the_wheel(installed):
    with served(installed, "serve") as process:
        lines = [process.stdout.readline(), process.stdout.readline()]
        url = re.search(r"(http://127\.0\.0\.1:\d+/\S*dashboard\.ipynb)", lines[1]).group(1)
        with urllib.request.urlopen(url, timeout=240) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200 and "kamlib.load(" not in page
        assert "application/vnd.jupyter.widget-view+json" in page or "<svg" in page or "vega" in page


def test_kam_workshop_serves_its_pages_from_the_wheel(installed, tmp_path):
    book = run(installed, str(installed["bin"] / "kam"), "sample", str(tmp_path / "engagement"))
    assert book.returncode == 0, book.stderr
    with served(installed, "--lang", "en", "workshop", str(tmp_path / "engagement"), "--seats", "2") as process:
        facilitator = process.stdout.readline().split(": ", 1)[1].strip()
        base = facilitator.split("/f?")[0]
        for url in (facilitator, f"{base}/static/facilitator.js", f"{base}/static/participant.js"):
            with urllib.request.urlopen(url, timeout=60) as response:
                assert response.status == 200 and response.read()
