"""Serve an engagement's dashboards as Voilà apps, with secure defaults and nothing loaded from the internet.

Voilà runs with kamlib's template (`kamlib/publish/jupyter/voila/templates/kamlib`: the lab template
without its CDN links), sources stripped, on 127.0.0.1 unless told otherwise; on any other address
only with a token (generated when none is given). It serves a fresh folder holding only the
engagement's dashboard notebooks (the stakeholders' dashboard and the live matrix), their parameters
injected, so no other file can be listed or run. The workbook also travels to the kernels in the
environment variable `KAM_WORKBOOK` (read by `kamlib.load`).
"""

from __future__ import annotations

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
from pathlib import Path
from typing import NamedTuple

from kamlib.errors import KamError
from kamlib.publish.record import ENGAGEMENT_RECORD
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


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def voila_command(
    notebook: Path, port: int, host: str = HOST, token: str | None = None, preheat: bool = False
) -> list[str]:
    """Return the command line that serves `notebook` (or a folder of them) with kamlib's offline template.

    Sources are stripped and tracebacks hidden; `token` (required off loopback) guards every page;
    `preheat` keeps one kernel per notebook executed in advance, so the first visitor waits for nothing.
    """
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        "--template=kamlib",
        "--show_tracebacks=False",
        "--strip_sources=True",
    ]
    if token:
        command.append(f"--Voila.token={token}")
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
    """Start Voilà on a notebook (or a folder of them) and return the process and its URL once it answers."""
    notebook = Path(notebook)
    if not notebook.exists():
        raise KamError(f"{notebook}: no such notebook", f"{notebook}: no existe ese cuaderno")
    if workbook is not None and not Path(workbook).exists():
        raise KamError(f"{workbook}: no such file or folder", f"{workbook}: no existe ese archivo ni carpeta")
    port = port or free_port()
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    # Voilà's log goes to a file, never to an unread pipe: a full pipe would freeze the server.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - it lives as long as the server
    process = subprocess.Popen(
        voila_command(notebook, port, host, token, preheat),
        env=voila_environment(workbook),
        cwd=notebook if notebook.is_dir() else notebook.parent,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            error = log.read().decode("utf-8", "replace")[-2000:]
            raise KamError(
                f"Voilà stopped before serving {notebook.name}: {error}",
                f"Voilà se detuvo antes de servir {notebook.name}: {error}",
            )
        try:
            with socket.create_connection((HOST if host in ("0.0.0.0", "::") else host, port), timeout=1):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
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


def dashboard_folder(workbook: Path, scenario: Path | None, lang: str, assignment: Path | None = None) -> Path:
    """Write the engagement's dashboard notebooks, their parameters injected, into a new private folder.

    The stakeholders' dashboard's views are drawn here, once, into a hidden file of that folder
    (`kamlib.publish.dashboard.keep_views`), so its kernels only read them.
    """
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from kamlib.publish.dashboard import keep_views

    folder = Path(tempfile.mkdtemp(prefix="kam-serve-"))
    try:
        kept = keep_views(folder / KEPT_VIEWS, workbook, scenario, lang, assignment)
        parameters = {"workbook": str(workbook), "scenario": None if scenario is None else str(scenario), "lang": lang}
        for name in DASHBOARDS:
            settings = None if assignment is None else str(assignment)
            extra = {"kept": str(kept), "assignment": settings} if name == DASHBOARD_NOTEBOOK else {}
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
    and assignment settings the reports used), or the sample."""
    from kamlib.engagement import SAMPLE_PATH

    if target is None:
        return Target(SAMPLE_PATH)
    target = Path(target)
    record = target / ENGAGEMENT_RECORD
    if record.is_file():
        data = json.loads(record.read_text(encoding="utf-8"))
        scenario, assignment = (Path(data[k]) if data.get(k) else None for k in ("scenario", "assignment"))
        return Target(Path(data["workbook"]), scenario, assignment)
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
    lang: str = "es",
    preheat: bool = True,
    assignment: Path | str | None = None,
) -> int:
    """Serve an engagement's dashboards until Ctrl-C (or SIGTERM), printing their URLs; Voilà stops with it.

    `assignment` (settings YAML) overrides the one a report folder's record names."""
    workbook, scenario, recorded = serve_target(target)
    settings = Path(assignment).resolve() if assignment is not None else recorded
    token = check_host(host, token)
    folder = dashboard_folder(workbook, scenario, lang, settings)
    process, url = start_voila(folder, workbook, port, host=host, token=token, preheat=preheat)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    query = f"?token={token}" if token else ""
    dashboard, matrix = (f"{url}voila/render/{name}{query}" for name in DASHBOARDS)
    print(f"The account matrix is at {matrix}  (Ctrl-C to stop) / La matriz de cuentas está en {matrix}", flush=True)
    print(f"The dashboard is at {dashboard} / El cuadro de mando está en {dashboard}", flush=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
