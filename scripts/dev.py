"""Set up and run kamlib with nothing but Python 3.11+ and pip: `python3 scripts/dev.py demo|test`.

Creates a local virtual environment in .venv (once, and again whenever pyproject.toml
changes), installs kamlib with its test dependencies into it, then:

- `demo`  scores the bundled sample engagement (data/sample) and writes the scored table
          and the account matrix chart under reports/sample/;
- `test`  runs the whole test suite (extra arguments go to pytest).
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
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".kamlib-installed"


def ensure_environment() -> None:
    """Create .venv and install kamlib[test] unless it is already installed for this pyproject.toml."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    print("installing kamlib and its dependencies into .venv …", flush=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(digest)


def demo() -> int:
    """Score the sample engagement and write the table and the matrix chart under reports/sample/."""
    out = ROOT / "reports" / "sample"
    cmd = [
        str(BIN / "kam"),
        "score",
        str(ROOT / "data" / "sample"),
        "--out",
        str(out / "scored.csv"),
        "--chart",
        str(out / "matrix.html"),
        "--chart",
        str(out / "matrix.svg"),
        "--chart",
        str(out / "matrix.png"),
    ]
    code = subprocess.run(cmd).returncode
    if code == 0:
        print(
            f"wrote {out / 'scored.csv'}, and the matrix as matrix.html (opens offline in any browser), "
            f"matrix.svg and matrix.png in {out}"
        )
    return code


def test(args: list[str]) -> int:
    """Run the whole test suite with pytest; pytest's "no tests ran" (exit 5) counts as a failure."""
    code = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT).returncode
    return 1 if code == 5 else code


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "setup"):
        print(__doc__, file=sys.stderr)
        return 2
    ensure_environment()
    if argv[0] == "demo":
        return demo()
    if argv[0] == "test":
        return test(argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
