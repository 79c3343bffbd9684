"""Agreement among assessors: where a team's scores of an account disagree, and whether it matters.

Scores are a team's judgement and scoring averages them (`kamlib.scoring`); this package shows what the average
hides. The scores that count per cell, checked, with their assessors (cells); each cell's spread in its
criterion's points, disagreement past a threshold and outliers (spread); the contested criteria per account and
the portfolio's count, in words (contested); each account placed as each assessor sees it, the cross of how far it
moves and whether its quadrant depends on who is asked (placement); two rounds side by side (rounds). Pure
functions over frames and arrays: no files, no printing, no charts.

The stable names are re-exported here (`from kamlib.agreement import cell_spread`).
"""

from kamlib.agreement.cells import current_scores
from kamlib.agreement.contested import (
    AgreementSummary,
    agreement_summary,
    contested_by_account,
    contested_text,
    summary_text,
)
from kamlib.agreement.placement import Placements, place_by_assessor
from kamlib.agreement.rounds import RoundsSummary, compare_rounds, round_scores, rounds_summary, rounds_text
from kamlib.agreement.spread import (
    DISAGREEMENT_SHARE,
    cell_spread,
    disagreement_thresholds,
    engagement_spread,
    rule_text,
)
from kamlib.agreement.tables import account_agreement_table, agreement_table

__all__ = [
    "DISAGREEMENT_SHARE",
    "AgreementSummary",
    "Placements",
    "RoundsSummary",
    "account_agreement_table",
    "agreement_summary",
    "agreement_table",
    "cell_spread",
    "compare_rounds",
    "contested_by_account",
    "contested_text",
    "current_scores",
    "disagreement_thresholds",
    "engagement_spread",
    "place_by_assessor",
    "round_scores",
    "rounds_summary",
    "rounds_text",
    "rule_text",
    "summary_text",
]
