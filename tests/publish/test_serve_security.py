"""What other people on this machine or network could do with `kam serve` is closed: a foreign Host name
(DNS rebinding) gets nothing on loopback, the token is on no command line, the printed URLs can be opened,
and Voilà and the client's files do not outlive a killed `kam serve`."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamlib.publish.serve import (
    DASHBOARD_NOTEBOOK,
    HOST,
    free_port,
    start_voila,
    stop,
)

PROC = Path("/proc")
linux_only = pytest.mark.skipif(not (PROC / "self" / "cmdline").exists(), reason="reads /proc (Linux)")


def request(port: int, path: str, host: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """GET `path` from 127.0.0.1:`port` saying `Host: host`; return the status and the body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=180)
    try:
        connection.request("GET", path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def websocket_status(port: int, path: str, host: str) -> int:
    """Open a websocket to `path` from a page at http://`host` (Host and Origin both say it); return the status."""
    handshake = (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    with socket.create_connection((HOST, port), timeout=60) as connection:
        connection.sendall(handshake.encode("ascii"))
        return int(connection.recv(4096).split(b" ", 2)[1])


def children(pid: int) -> list[int]:
    """Return the processes whose parent is `pid` (Linux)."""
    found = []
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def descendants(pid: int) -> list[int]:
    """Return the processes `pid` started, and theirs, at any depth (Linux)."""
    return [p for child in children(pid) for p in (child, *descendants(child))]


def files_saying(folder: Path, secret: str) -> list[Path]:
    """Return the files under `folder` that contain `secret`."""
    found = []
    for path in folder.rglob("*"):
        try:
            if path.is_file() and secret in path.read_text(errors="replace"):
                found.append(path)
        except OSError:  # gone meanwhile, or not readable
            continue
    return found


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie has ended)."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kam_serve(tmp_path: Path, *args: str) -> subprocess.Popen:
    """Start `kam serve ARGS` with its temporary files in `tmp_path`/tmp."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "kamlib.cli", "serve", *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path / "tmp")},
    )


@pytest.fixture
def workbook(tmp_path: Path, tiny_path: Path) -> Path:
    copy = tmp_path / "tiny"
    shutil.copytree(tiny_path, copy)
    return copy


# -- fast: what Voilà is told, and what `kam serve` prints


def test_voila_is_told_its_token_and_host_check_in_a_private_file(tmp_path):
    from kamlib.publish.serve import voila_command, voila_config, write_voila_config

    command = voila_command(Path("dashboards"), 9000, "0.0.0.0", True, tmp_path)
    assert not any(part.startswith(("--Voila.token", "--token")) for part in command)
    assert f"--Voila.config_file_paths={tmp_path}" in command and "--preheat_kernel=True" in command
    assert voila_config("0.0.0.0", "secret") == {"Voila": {"token": "secret"}}  # off loopback: the token guards
    checked = {"allow_remote_access": False, "local_hostnames": ["localhost"]}
    assert voila_config("127.0.0.1", None) == {"Voila": {"tornado_settings": checked}}
    assert voila_config("::1", "t")["Voila"] == {"token": "t", "tornado_settings": checked}
    written = write_voila_config(voila_config("0.0.0.0", "secret"), tmp_path)
    assert json.loads(written.read_text(encoding="utf-8")) == {"Voila": {"token": "secret"}}
    if os.name == "posix":
        assert written.stat().st_mode & 0o777 == 0o600


def test_printed_urls_are_ones_people_can_open():
    from kamlib.publish.serve import announce, server_url, url_hosts

    found = ["192.168.1.20", "fe80::1%eth0", "127.0.1.1", "192.168.1.20", "10.0.0.5", "2001:db8::7", "0.0.0.0"]
    assert url_hosts("0.0.0.0", found) == ["192.168.1.20", "10.0.0.5"]  # IPv4 only, no loopback, no repeat
    assert url_hosts("::", found) == ["2001:db8::7"]
    assert url_hosts("", found) == ["192.168.1.20", "10.0.0.5", "2001:db8::7"]
    assert url_hosts("0.0.0.0", []) == ["127.0.0.1"] and url_hosts("::", ["::1"]) == ["::1"]  # offline
    assert url_hosts("127.0.0.1", found) == ["127.0.0.1"] and url_hosts("kam.local", []) == ["kam.local"]
    assert server_url("2001:db8::7", 8000) == "http://[2001:db8::7]:8000/"
    lines = announce([server_url(h, 8000) for h in url_hosts("0.0.0.0", found)], "tok")
    assert lines[0].startswith("The account matrix is at http://192.168.1.20:8000/voila/render/live_matrix.ipynb")
    assert "http://192.168.1.20:8000/voila/render/dashboard.ipynb?token=tok" in lines[1]
    assert "http://10.0.0.5:8000/voila/render/live_matrix.ipynb?token=tok" in lines[2] and len(lines) == 3
    assert not any("0.0.0.0" in line for line in lines)


def test_machine_addresses_never_fail(monkeypatch):
    from kamlib.publish import serve

    assert all(isinstance(a, str) for a in serve.machine_addresses())

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(serve.socket, "getaddrinfo", offline)
    monkeypatch.setattr(serve.socket.socket, "connect", offline)
    assert serve.machine_addresses() == [] and serve.url_hosts("0.0.0.0", []) == [HOST]


def test_folders_of_dead_kam_serves_are_removed_and_no_others(tmp_path):
    from kamlib.publish.serve import remove_stale_folders

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    stale, mine, link = (
        tmp_path / f"kam-serve-{pid}-{tail}"
        for pid, tail in ((ended.pid, "a1"), (os.getpid(), "b2"), (ended.pid, "c3"))
    )
    unrelated, zero = tmp_path / "kam-serve-notes", tmp_path / "kam-serve-0-d4"
    for folder in (stale, mine, unrelated, zero):
        folder.mkdir()
        (folder / "dashboard.ipynb").write_text("{}", encoding="utf-8")
    link.symlink_to(stale, target_is_directory=True)  # a link is never followed nor removed
    assert remove_stale_folders(tmp_path) == [stale]
    assert not stale.exists() and link.is_symlink()
    assert mine.is_dir() and unrelated.is_dir() and zero.is_dir()  # a live owner, or no owner named


# -- slow: the real server


@pytest.fixture
def loopback_voila(workbook: Path) -> Iterator[int]:
    process, url = start_voila(workbook=workbook)
    try:
        yield int(url.rsplit(":", 1)[1].strip("/"))
    finally:
        stop(process)


@pytest.mark.slow
def test_on_loopback_a_foreign_host_name_gets_nothing(loopback_voila):
    port = loopback_voila
    status, page = request(port, "/", f"127.0.0.1:{port}")
    kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page)
    assert status == 200 and kernel, page[:2000]
    api = f"/api/kernels/{kernel.group(1)}"
    for name in ("evil.example", f"evil.example:{port}", f"127.0.0.1.nip.io:{port}"):
        assert request(port, "/", name)[0] == 403, name  # a name rebound to 127.0.0.1: no dashboard
        assert request(port, api, name)[0] == 403, name
    assert websocket_status(port, f"{api}/channels", f"evil.example:{port}") == 403  # nor its kernel
    for name in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "localhost"):
        assert request(port, api, name)[0] == 200, name  # loopback names answer
    assert websocket_status(port, f"{api}/channels", f"127.0.0.1:{port}") == 101


@pytest.mark.slow
@linux_only
def test_the_token_is_on_no_command_line_and_still_required(tmp_path, workbook):
    port = free_port()
    process = kam_serve(tmp_path, str(workbook), "--host", "0.0.0.0", "--port", str(port))
    try:
        lines = [process.stdout.readline(), process.stdout.readline()]
        token = lines[1].split("?token=")[1].split()[0]
        [voila] = children(process.pid)
        assert token not in (PROC / str(voila) / "cmdline").read_text(errors="replace")  # any local user reads it
        assert token not in (PROC / str(voila) / "environ").read_text(errors="replace")
        assert files_saying(tmp_path / "tmp", token) == []  # its voila.json is gone once Voilà answers
        assert not any("0.0.0.0" in line for line in lines), lines  # URLs people can open
        page = f"/voila/render/{DASHBOARD_NOTEBOOK}"
        assert request(port, page, f"127.0.0.1:{port}")[0] in (302, 403)  # no token, no page
        assert request(port, f"{page}?token={token}", f"127.0.0.1:{port}")[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.slow
@linux_only
def test_voila_and_the_clients_files_do_not_outlive_a_killed_kam_serve(tmp_path, workbook):
    port = free_port()
    process = kam_serve(tmp_path, str(workbook), "--port", str(port))
    left: list[int] = []
    try:
        process.stdout.readline()
        assert request(port, f"/voila/render/{DASHBOARD_NOTEBOOK}", f"127.0.0.1:{port}")[0] == 200
        left = descendants(process.pid)  # Voilà and its kernels
        assert len(left) >= 2
        process.send_signal(signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(alive(pid) for pid in left):
            time.sleep(0.2)
        assert not [pid for pid in left if alive(pid)], "Voilà or a kernel outlived kam serve"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in left:  # what outlived it (before the fix), ended here
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    from kamlib.publish.serve import remove_stale_folders

    stale = sorted((tmp_path / "tmp").glob(f"kam-serve-{process.pid}-*"))
    assert stale and (stale[0] / DASHBOARD_NOTEBOOK).is_file()  # the client's dashboards, left behind
    assert remove_stale_folders(tmp_path / "tmp") == stale  # what the next kam serve does first
    assert not any(p.exists() for p in stale)
