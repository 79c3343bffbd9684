"""Serve an engagement's dashboards as Voilà apps, with secure defaults and nothing loaded from the internet.

Voilà runs with kamlib's template (`kamlib/publish/jupyter/voila/templates/kamlib`: the lab template
without its CDN links), sources stripped, on 127.0.0.1 unless told otherwise; on any other address
only with a token (generated when none is given). It serves a fresh folder holding only the
engagement's dashboard notebooks (the stakeholders' dashboard and the live matrix), their parameters
injected, so no other file can be listed or run. The workbook also travels to the kernels in the
environment variable `KAM_WORKBOOK` (read by `kamlib.load`).

What other people on this machine or network could abuse is closed too:

- on loopback Voilà answers only requests addressed to a loopback name (127.0.0.1, localhost, [::1]):
  a web page whose own name resolves to 127.0.0.1 (DNS rebinding) gets 403, page and kernel alike;
- the token never appears on a command line (readable by every local user): Voilà reads it, and the
  loopback setting, from its own voila.json in a private folder, removed as soon as Voilà answers;
- Voilà ends with `kam serve` however that ends (even `kill -9`): it holds the read end of a pipe whose
  other end only `kam serve` holds, and stops when the pipe closes; and each `kam serve` removes the
  folders (`kam-serve-<pid>-…`) that a killed one left behind.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, NamedTuple
from urllib.parse import urlsplit

from kamlib.errors import KamError
from kamlib.fileio import remove_stale
from kamlib.publish.record import ENGAGEMENT_RECORD, RECORDED, resolve_recorded
from kamlib.scenarios.store import user_data

JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"
NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
MATRIX_NOTEBOOK = "live_matrix.ipynb"
DASHBOARD_NOTEBOOK = "dashboard.ipynb"
DASHBOARDS = (DASHBOARD_NOTEBOOK, MATRIX_NOTEBOOK)
"""The notebooks `kam serve` offers for one engagement, the stakeholders' dashboard first."""
KEPT_VIEWS = ".dashboard-views.json"
"""The dashboard's views drawn by `kam serve` before Voilà starts (hidden: no page lists it)."""
HOST = "127.0.0.1"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
"""Addresses that mean "every interface": no one can open a URL made of them."""
FOLDER_PREFIX = "kam-serve-"
"""The private folders `kam serve` makes are named `kam-serve-<pid of their owner>-<random>`."""
LIFELINE = """\
import os, signal, sys, threading, time


def end_with_parent():
    sys.stdin.buffer.read()  # returns at end of file: the parent has ended, however it ended
    os.kill(os.getpid(), signal.SIGTERM)  # Voila stops and removes its files; its kernels end with it
    time.sleep(30)
    os._exit(1)  # had it not stopped


threading.Thread(target=end_with_parent, daemon=True).start()
from voila.app import main

main()
"""
"""What Voilà's process runs: Voilà, ended when its standard input (a pipe from its parent) closes.

The pipe is closed by the operating system when the parent ends, even by SIGKILL, on Linux, macOS and
Windows alike (on Windows SIGTERM is TerminateProcess; the kernels end with Voilà there too)."""


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def voila_config(host: str, token: str | None) -> dict[str, Any]:
    """Return Voilà's settings that must stay private or cannot be said on a command line (its voila.json).

    `token` (required off loopback) guards every page. On loopback Jupyter's own Host check is turned on
    (Voilà turns it off): only requests to 127.0.0.1, localhost or [::1] (any port) are answered, others
    get 403, so a page elsewhere that rebinds its name to 127.0.0.1 reaches nothing."""
    voila: dict[str, Any] = {}
    if token:
        voila["token"] = token
    if host in LOOPBACK:
        voila["tornado_settings"] = {"allow_remote_access": False, "local_hostnames": ["localhost"]}
    return {"Voila": voila}


def write_voila_config(config: dict[str, Any], folder: Path) -> Path:
    """Write `config` as `folder`/voila.json, readable by its owner only, and return the file."""
    path = folder / "voila.json"
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as file:
        json.dump(config, file)
    return path


def voila_command(
    notebook: Path, port: int, host: str = HOST, preheat: bool = False, config: Path | None = None
) -> list[str]:
    """Return the command line that serves `notebook` (or a folder of them) with kamlib's offline template.

    Sources are stripped and tracebacks hidden; `preheat` keeps one kernel per notebook executed in advance,
    so the first visitor waits for nothing. Voilà reads its config only from the folder `config`
    (`write_voila_config`), not from the user's Jupyter folders nor the folder it serves. The process ends
    when its standard input closes (`LIFELINE`). No secret is on this command line.
    """
    command = [
        sys.executable,
        "-c",
        LIFELINE,
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        "--template=kamlib",
        "--show_tracebacks=False",
        "--strip_sources=True",
    ]
    if config is not None:
        command.append(f"--Voila.config_file_paths={config}")
    if preheat:
        command += ["--preheat_kernel=True", "--pool_size=1"]
    return command


def voila_environment(workbook: Path | str | None) -> dict[str, str]:
    """Return the environment for Voilà: kamlib's template on JUPYTER_PATH, the workbook in KAM_WORKBOOK."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_DATA), env.get("JUPYTER_PATH", "")) if p)
    if workbook is not None:
        env["KAM_WORKBOOK"] = str(Path(workbook).resolve())
    if env.get("KAM_DATA"):  # the kernels run in a temporary folder: a relative path would be lost with it
        env["KAM_DATA"] = str(user_data())
    return env


def start_voila(
    notebook: Path | str = NOTEBOOKS / MATRIX_NOTEBOOK,
    workbook: Path | str | None = None,
    port: int | None = None,
    timeout: float = 90.0,
    host: str = HOST,
    token: str | None = None,
    preheat: bool = False,
) -> tuple[subprocess.Popen, str]:
    """Start Voilà on a notebook (or a folder of them) and return the process and its URL once it answers.

    The URL is the one this machine opens (127.0.0.1 when Voilà listens on every interface). Voilà ends
    when the returned process's standard input closes: when `stop` is called or this process ends."""
    notebook = Path(notebook)
    if not notebook.exists():
        raise KamError(f"{notebook}: no such notebook", f"{notebook}: no existe ese cuaderno")
    if workbook is not None and not Path(workbook).exists():
        raise KamError(f"{workbook}: no such file or folder", f"{workbook}: no existe ese archivo ni carpeta")
    port = port or free_port()
    config = private_folder()
    try:
        write_voila_config(voila_config(host, token), config)
        # Voilà's log goes to a file, never to an unread pipe: a full pipe would freeze the server.
        log = tempfile.TemporaryFile()  # noqa: SIM115 - it lives as long as the server
        process = subprocess.Popen(
            voila_command(notebook, port, host, preheat, config),
            env=voila_environment(workbook),
            cwd=notebook if notebook.is_dir() else notebook.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        url = server_url(connect_host(host), port)
        try:
            wait_until_serving(process, log, url, notebook.name, timeout)
        except BaseException:
            stop(process)
            raise
        return process, url
    finally:  # Voilà read its voila.json before it answered: the token is on disk no longer than that
        shutil.rmtree(config, ignore_errors=True)


def wait_until_serving(process: subprocess.Popen, log: IO[bytes], url: str, name: str, timeout: float) -> None:
    """Wait until the Voilà `process` accepts connections at `url`; raise KamError if it stops or times out."""
    address = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            error = log.read().decode("utf-8", "replace")[-2000:]
            raise KamError(
                f"Voilà stopped before serving {name}: {error}", f"Voilà se detuvo antes de servir {name}: {error}"
            )
        try:
            with socket.create_connection((address.hostname, address.port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise KamError(
        f"Voilà did not answer on {url} within {timeout:.0f} s", f"Voilà no respondió en {url} en {timeout:.0f} s"
    )


def stop(process: subprocess.Popen) -> None:
    """Stop a Voilà server (and with it its kernels)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdin is not None:
        process.stdin.close()


def private_folder() -> Path:
    """Make a new folder only its owner can read, named after this process (`remove_stale_folders`)."""
    return Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))


def remove_stale_folders(root: Path | str | None = None) -> list[Path]:
    """Remove the folders that a `kam serve` killed before it could clean up left in `root` (default: the
    temporary folder), and return them: those of this user named `kam-serve-<pid>-…` whose process `pid`
    no longer exists (`kamlib.fileio.remove_stale`). They hold a client's dashboards and nothing else can use
    them."""
    return remove_stale(Path(tempfile.gettempdir() if root is None else root), FOLDER_PREFIX)


def connect_host(host: str) -> str:
    """Return the address this machine reaches a server listening on `host` at (loopback for a wildcard)."""
    return {"0.0.0.0": HOST, "": HOST, "::": "::1"}.get(host, host)


def server_url(host: str, port: int) -> str:
    """Return `http://host:port/`, an IPv6 address in brackets."""
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


def url_hosts(host: str, addresses: Iterable[str]) -> list[str]:
    """Return the hosts to print in the URLs of a server listening on `host`, never a wildcard.

    A named address is itself. For a wildcard (0.0.0.0: IPv4, "::": IPv6, "": both), the machine's
    `addresses` (`machine_addresses`) that other machines can reach: no loopback, link-local or wildcard
    address, no repeat, in their order. With none (offline), this machine's loopback address."""
    if host not in WILDCARDS:
        return [host]
    versions = {"0.0.0.0": (4,), "::": (6,), "": (4, 6)}[host]
    found: list[str] = []
    for address in addresses:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        usable = not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)
        if usable and ip.version in versions and str(ip) not in found:
            found.append(str(ip))
    return found or [connect_host(host)]


def machine_addresses() -> list[str]:
    """Return this machine's network addresses, the one its traffic leaves by first; [] when it has none.

    The first is found by "connecting" a UDP socket to a documentation address (RFC 5737/3849): that only
    asks the routing table, nothing is sent. Then every address this machine's name resolves to."""
    found = []
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as udp:
            udp.connect((probe, 9))
            found.append(udp.getsockname()[0])
    with contextlib.suppress(OSError):
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)]
    return found


def announce(bases: list[str], token: str | None) -> list[str]:
    """Return what `kam serve` prints: where the matrix and the dashboard are, at each of `bases`."""
    query = f"?token={token}" if token else ""
    dashboard, matrix = (f"{bases[0]}voila/render/{name}{query}" for name in DASHBOARDS)
    lines = [
        f"The account matrix is at {matrix}  (Ctrl-C to stop) / La matriz de cuentas está en {matrix}",
        f"The dashboard is at {dashboard} / El cuadro de mando está en {dashboard}",
    ]
    for base in bases[1:]:
        urls = "  ".join(f"{base}voila/render/{name}{query}" for name in (MATRIX_NOTEBOOK, DASHBOARD_NOTEBOOK))
        lines.append(f"Also at / También en: {urls}")
    return lines


def dashboard_folder(
    workbook: Path, scenario: Path | None, lang: str, assignment: Path | None = None, level: int = 0
) -> Path:
    """Write the engagement's dashboard notebooks, their parameters injected, into a new private folder.

    The stakeholders' dashboard's views are drawn here, once, into a hidden file of that folder
    (`kamlib.publish.dashboard.keep_views`), so its kernels only read them; its account hierarchy at `level`.
    """
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from kamlib.publish.dashboard import keep_views

    folder = private_folder()
    try:
        kept = keep_views(folder / KEPT_VIEWS, workbook, scenario, lang, assignment, level)
        parameters = {"workbook": str(workbook), "scenario": None if scenario is None else str(scenario), "lang": lang}
        for name in DASHBOARDS:
            settings = None if assignment is None else str(assignment)
            extra = {"kept": str(kept), "assignment": settings, "level": level} if name == DASHBOARD_NOTEBOOK else {}
            notebook = parameterize_notebook(
                load_notebook_node(str(NOTEBOOKS / name)), parameters | extra, kernel_name="python3", language="python"
            )
            nbformat.write(notebook, str(folder / name))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


class Target(NamedTuple):
    """What `kam serve` serves: the workbook, and the scenario and assignment settings (None: not given)."""

    workbook: Path
    scenario: Path | None = None
    assignment: Path | None = None


def serve_target(target: Path | str | None) -> Target:
    """What to serve: a workbook, a report folder `DIR/<engagement>` (its record names the workbook, scenario
    and assignment settings the reports used, relative to that folder; no workbook: the sample), or the sample."""
    from kamlib.engagement import SAMPLE_PATH

    if target is None:
        return Target(SAMPLE_PATH)
    target = Path(target)
    record = target / ENGAGEMENT_RECORD
    if record.is_file():
        data = json.loads(record.read_text(encoding="utf-8"))
        workbook, scenario, assignment = (resolve_recorded(data.get(k), target) for k in RECORDED)
        return Target(workbook or SAMPLE_PATH, scenario, assignment)
    return Target(target.resolve())


def check_host(host: str, token: str | None) -> str | None:
    """Return the token to require: none on loopback unless given; off loopback the given one or a new one."""
    if host in LOOPBACK:
        return token
    return token or secrets.token_urlsafe(24)


def serve(
    target: Path | str | None = None,
    port: int | None = None,
    host: str = HOST,
    token: str | None = None,
    lang: str | None = None,
    preheat: bool = True,
    assignment: Path | str | None = None,
    level: int = 0,
) -> int:
    """Serve an engagement's dashboards until Ctrl-C (or SIGTERM, SIGHUP), printing their URLs; Voilà stops
    with it, even if this process is killed.

    `lang` None is the engagement's language, else the default (`Identity.lang`); `assignment`
    (settings YAML) overrides the one a report folder's record names; `level` is the account hierarchy's level the
    dashboard draws its groups at. The folders an earlier
    `kam serve`, killed, left behind are removed first (`remove_stale_folders`)."""
    remove_stale_folders()
    workbook, scenario, recorded = serve_target(target)
    if lang is None:
        from kamlib.engagement import load

        lang = load(workbook).identity.lang()
    settings = Path(assignment).resolve() if assignment is not None else recorded
    token = check_host(host, token)
    port = port or free_port()
    folder = dashboard_folder(workbook, scenario, lang, settings, level)
    try:
        process, _ = start_voila(folder, workbook, port, host=host, token=token, preheat=preheat)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    for name in ("SIGTERM", "SIGHUP"):  # SIGHUP: the terminal was closed
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: sys.exit(0))
    hosts = url_hosts(host, machine_addresses() if host in WILDCARDS else ())
    for line in announce([server_url(h, port) for h in hosts], token):
        print(line, flush=True)
    if host in WILDCARDS and hosts == [connect_host(host)]:
        print(
            "No network address found: only this machine can open these pages / "
            "No se encontró ninguna dirección de red: solo este equipo puede abrir estas páginas",
            flush=True,
        )
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
