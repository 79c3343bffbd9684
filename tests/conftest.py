import os
import shutil
import tempfile
from pathlib import Path

import pytest

import kamlib
from kamlib.engagement import SAMPLE_PATH

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
# what kamlib keeps of its own (the sample's scenarios and autosave) goes to a fresh folder, never the user's
os.environ["KAM_DATA"] = tempfile.mkdtemp(prefix="kam-data-")


@pytest.fixture(scope="session")
def tiny_path() -> Path:
    """A four-account engagement whose composites are worked out by hand in test_scoring.py."""
    return DATA / "tiny"


@pytest.fixture(scope="session")
def tiny(tiny_path):
    return kamlib.load(tiny_path)


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE_PATH


def execute_notebook(path: Path, out: Path, parameters: dict, tries: int = 2):
    """Run a notebook with papermill, a cell never waiting more than 3 minutes.

    nbclient sometimes never hears a kernel's reply (the kernel idle, the client waiting
    forever: seen once in CI on a fresh machine); a cell that times out is run again once,
    so a lost message fails loudly after two tries instead of hanging the suite.
    """
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError

    for attempt in range(tries):
        try:
            return pm.execute_notebook(
                str(path),
                str(out),
                parameters=parameters,
                cwd=str(path.parent),
                progress_bar=False,
                kernel_name="python3",
                execution_timeout=180,
            )
        except CellTimeoutError:
            if attempt == tries - 1:
                raise
    return None


def copy_tiny(folder: Path, a2_name: str | None = None) -> Path:
    """Copy the tiny engagement to `folder`; with `a2_name`, account A2 ("Hoteles Mirasol") is renamed to it.

    The hostile-name tests use it: an account named `<script>…</script>` must stay text wherever it shows.
    """
    shutil.copytree(DATA / "tiny", folder)
    if a2_name is not None:
        accounts = folder / "accounts.csv"
        accounts.write_text(accounts.read_text(encoding="utf-8").replace("Hoteles Mirasol", a2_name), encoding="utf-8")
    return folder
