"""Serve the workbook's notebooks as Voilà apps on this machine, with nothing loaded from the internet.

Voilà runs with kamlib's template (`kamlib/jupyter/voila/templates/kamlib`: the lab template
without its CDN links) on 127.0.0.1 only. The workbook to open travels to the notebook's
kernel in the environment variable `KAM_WORKBOOK` (read by `kamlib.load`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kamlib.errors import KamError

JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
MATRIX_NOTEBOOK = "01_account_matrix.ipynb"
HOST = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def voila_command(notebook: Path, port: int) -> list[str]:
    """Return the command line that serves `notebook` with kamlib's offline template."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--template=kamlib",
        "--show_tracebacks=False",
    ]


def voila_environment(workbook: Path | str | None) -> dict[str, str]:
    """Return the environment for Voilà: kamlib's template on JUPYTER_PATH, the workbook in KAM_WORKBOOK."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_DATA), env.get("JUPYTER_PATH", "")) if p)
    if workbook is not None:
        env["KAM_WORKBOOK"] = str(Path(workbook).resolve())
    return env


def start_voila(
    notebook: Path | str = NOTEBOOKS / MATRIX_NOTEBOOK,
    workbook: Path | str | None = None,
    port: int | None = None,
    timeout: float = 90.0,
) -> tuple[subprocess.Popen, str]:
    """Start Voilà on a notebook and return the process and its URL once it answers."""
    notebook = Path(notebook)
    if not notebook.is_file():
        raise KamError(f"{notebook}: no such notebook", f"{notebook}: no existe ese cuaderno")
    if workbook is not None and not Path(workbook).exists():
        raise KamError(f"{workbook}: no such file or folder", f"{workbook}: no existe ese archivo ni carpeta")
    port = port or free_port()
    url = f"http://{HOST}:{port}/"
    # Voilà's log goes to a file, never to an unread pipe: a full pipe would freeze the server.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - it lives as long as the server
    process = subprocess.Popen(
        voila_command(notebook, port),
        env=voila_environment(workbook),
        cwd=notebook.parent,
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
            with socket.create_connection((HOST, port), timeout=1):
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


def serve(
    workbook: Path | str | None = None,
    port: int | None = None,
    notebook: Path | str = NOTEBOOKS / MATRIX_NOTEBOOK,
) -> int:
    """Serve the live matrix until Ctrl-C (or SIGTERM), printing its URL; Voilà stops with it."""
    process, url = start_voila(notebook, workbook, port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"The account matrix is at {url}  (Ctrl-C to stop) / La matriz de cuentas está en {url}", flush=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(process)
