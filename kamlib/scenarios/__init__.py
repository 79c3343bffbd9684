"""Weight scenarios: scenario files, AHP group weights, comparison, robustness (SMAA), the live matrix's numbers
and the workshop's saved-scenario store.

The stable names of `kamlib.scenarios.scenario` are re-exported here (`from kamlib.scenarios import score_scenario`).
"""

from kamlib.scenarios.scenario import Cuts, Scenario, load_scenario, save_scenario, score_scenario

__all__ = ["Cuts", "Scenario", "load_scenario", "save_scenario", "score_scenario"]
