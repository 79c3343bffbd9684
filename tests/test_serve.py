"""`kam serve`: the live matrix as a Voilà app on 127.0.0.1, and the README's front door."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from kamlib.errors import KamError
from kamlib.serve import HOST, free_port, start_voila, voila_command, voila_environment


def test_voila_runs_with_the_offline_template_on_loopback(tiny_path):
    command = voila_command(tiny_path / "x.ipynb", 8123)
    assert "--template=kamlib" in command and f"--Voila.ip={HOST}" in command and "--port=8123" in command
    env = voila_environment(tiny_path)
    assert env["KAM_WORKBOOK"] == str(tiny_path.resolve())
    assert env["JUPYTER_PATH"].split(":")[0].endswith("kamlib/jupyter")


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
