"""Running `kam` in tests: in-process through `cli.main(argv)` (what the fast loop does, seconds faster per call),
or as a real process (`kam_process`: one smoke test per command checks the entry point end to end)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import warnings
from pathlib import Path

from kamlib import cli


def run_kam(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `kam ARGS` in this process; return its exit code and what it wrote, as a finished process would."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(warnings.catch_warnings())
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exit_:  # argparse's usage errors (exit 2) and --help (exit 0)
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["kam", *map(str, args)], code, out.getvalue(), err.getvalue())


def kam_process(*args: object, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `python -m kamlib.cli ARGS` as a process."""
    return subprocess.run(
        [sys.executable, "-m", "kamlib.cli", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=timeout,
    )
