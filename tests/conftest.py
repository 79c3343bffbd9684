from pathlib import Path

import pytest

import kamlib

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def tiny_path() -> Path:
    """A four-account engagement whose composites are worked out by hand in test_scoring.py."""
    return DATA / "tiny"


@pytest.fixture(scope="session")
def tiny(tiny_path):
    return kamlib.load(tiny_path)


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return ROOT / "data" / "sample"
