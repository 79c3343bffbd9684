"""kamlib: the key account management workbook (account matrix, KAM time, assignment).

Importing kamlib is instant: its names below are imported on first use (PEP 562), so a
kernel that only shows views drawn in advance (`kamlib.publish.dashboard`) never loads pandas.
Charts (altair), widgets (ipywidgets) and reports (papermill, voila) are imported by the
modules that use them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kamlib.engagement import Engagement, load
    from kamlib.errors import KamError, Problem, UnplacedAccountsWarning, WorkbookError
    from kamlib.scenarios.scenario import Scenario, load_scenario, save_scenario, score_scenario
    from kamlib.scoring import score_accounts

__version__ = "0.1.0"

_HOMES = {
    "Engagement": "kamlib.engagement",
    "load": "kamlib.engagement",
    "KamError": "kamlib.errors",
    "Problem": "kamlib.errors",
    "UnplacedAccountsWarning": "kamlib.errors",
    "WorkbookError": "kamlib.errors",
    "Scenario": "kamlib.scenarios.scenario",
    "load_scenario": "kamlib.scenarios.scenario",
    "save_scenario": "kamlib.scenarios.scenario",
    "score_scenario": "kamlib.scenarios.scenario",
    "score_accounts": "kamlib.scoring",
}

__all__ = [
    "Engagement",
    "KamError",
    "Problem",
    "Scenario",
    "UnplacedAccountsWarning",
    "WorkbookError",
    "load",
    "load_scenario",
    "save_scenario",
    "score_accounts",
    "score_scenario",
]


def __getattr__(name: str) -> object:
    """Import a public name from its module the first time it is asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'kamlib' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
