"""kamlib: the key account management workbook (account matrix, KAM time, assignment).

Importing kamlib is light: pandas and numpy only. Charts (altair), widgets
(ipywidgets) and reports (papermill, voila) are imported by the modules that use them.
"""

from kamlib.engagement import Engagement, load
from kamlib.errors import KamError, Problem, UnplacedAccountsWarning, WorkbookError
from kamlib.scenarios import Scenario, load_scenario, save_scenario, score_scenario
from kamlib.scoring import score_accounts

__version__ = "0.1.0"

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
