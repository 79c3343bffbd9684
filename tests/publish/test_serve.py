"""`kam serve`: the live matrix as a Voilà app on 127.0.0.1, and the README's front door."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kamlib.errors import KamError
from kamlib.publish.serve import HOST, free_port, start_voila, voila_command, voila_environment

pytestmark = pytest.mark.slow


def test_voila_runs_with_the_offline_template_on_loopback(tiny_path):
    command = voila_command(tiny_path / "x.ipynb", 8123)
    assert "--template=kamlib" in command and f"--Voila.ip={HOST}" in command and "--port=8123" in command
    env = voila_environment(tiny_path)
    assert env["KAM_WORKBOOK"] == str(tiny_path.resolve())
    assert env["JUPYTER_PATH"].split(":")[0].endswith("kamlib/publish/jupyter")


def test_bad_workbook_or_notebook_is_refused_before_starting(tmp_path):
    with pytest.raises(KamError, match="no such notebook"):
        start_voila(tmp_path / "none.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "kamlib.cli", "serve", str(tmp_path / "nope.xlsx")], capture_output=True, text=True
    )
    assert result.returncode == 2 and "nope.xlsx: no such file or folder" in result.stderr


def test_kam_serve_prints_its_url_and_serves_the_matrix(tmp_path, tiny_path):
    workbook = tmp_path / "tiny"
    shutil.copytree(tiny_path, workbook)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kamlib.cli", "serve", str(workbook), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=120) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200 and "cdn.jsdelivr" not in page and "fontawesome-free" not in page
    finally:
        process.terminate()
        process.wait(timeout=20)
    deadline = time.monotonic() + 20  # stopping `kam serve` stops its Voilà too: nothing is left listening
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) != 0:
                break
        time.sleep(0.2)
    else:
        pytest.fail(f"Voilà still listens on port {port} after kam serve stopped")


def test_off_loopback_a_token_is_required_and_made_when_missing():
    from kamlib.publish.serve import check_host

    assert check_host("127.0.0.1", None) is None and check_host("localhost", "t") == "t"
    made = check_host("0.0.0.0", None)
    assert made and len(made) >= 24 and made != check_host("0.0.0.0", None)
    assert check_host("192.0.2.7", "secret") == "secret"
    command = voila_command(Path("dashboards"), 9000, "0.0.0.0", True)  # the token goes to Voilà in a private file
    assert "--Voila.ip=0.0.0.0" in command
    assert "--strip_sources=True" in command and "--preheat_kernel=True" in command


def test_serves_a_fresh_folder_with_only_the_dashboards(tmp_path, tiny_path):
    import nbformat

    from kamlib.publish.serve import DASHBOARDS, KEPT_VIEWS, dashboard_folder

    folder = dashboard_folder(tiny_path.resolve(), None, "en")
    try:
        assert sorted(p.name for p in folder.iterdir()) == sorted([*DASHBOARDS, KEPT_VIEWS])
        nb = nbformat.read(folder / "dashboard.ipynb", as_version=4)
        injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
        assert f'workbook = "{tiny_path.resolve()}"' in injected.source and 'lang = "en"' in injected.source
        assert f'kept = "{folder / KEPT_VIEWS}"' in injected.source  # the views drawn in advance
        assert "assignment = None" in injected.source
    finally:
        shutil.rmtree(folder)


def test_a_report_folder_names_its_workbook(tmp_path, tiny_path):
    from kamlib.publish.reports import plan_reports, run_reports
    from kamlib.publish.serve import serve_target

    settings = tmp_path / "assignment.yaml"
    settings.write_text("min_fit: 10\n", encoding="utf-8")
    jobs = plan_reports(tiny_path, tmp_path, [], assignment=settings)  # the portfolio report only
    assert [j.key for j in jobs] == [""] and jobs[0].parameters["assignment"] == str(settings.resolve())
    run_reports(jobs, force=False, progress=False, workers=1)
    assert serve_target(tmp_path / "tiny") == (tiny_path.resolve(), None, settings.resolve())
    assert serve_target(tiny_path) == (tiny_path.resolve(), None, None)
    settings.write_text("min_fit: 200\n", encoding="utf-8")
    with pytest.raises(KamError, match=r"assignment\.yaml, field min_fit"):
        plan_reports(tiny_path, tmp_path, [], assignment=settings)  # bad settings: said before any report runs


def test_kam_serve_off_loopback_asks_for_its_token(tmp_path, tiny_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kamlib.cli", "serve", str(tiny_path), "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline(), process.stdout.readline()]
        token = lines[1].split("?token=")[1].split()[0]
        assert len(token) >= 24
        base = f"http://127.0.0.1:{port}/voila/render/dashboard.ipynb"

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None  # show the redirect itself

        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.build_opener(Stay).open(base, timeout=120)
        assert refused.value.code == 302 and "/login" in refused.value.headers["Location"]  # no token, no page
        with urllib.request.urlopen(f"{base}?token={token}", timeout=180) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200 and "kamlib.load(" not in page  # sources stripped
    finally:
        process.terminate()
        process.wait(timeout=20)
