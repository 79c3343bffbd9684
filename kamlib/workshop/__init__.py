"""The workshop: a room scoring accounts × criteria (and comparing criteria in pairs) on their phones, every answer
kept on disk beside the workbook the moment it is acknowledged.

`WorkshopStore` is the answer store (`store`); the tables and pragmas (`schema`), what an answer may hold
(`checks`), participants and their tokens (`participants`), the facilitator's items and rounds (`items`) and the
answers read back as the workbook's `scores` sheet or AHP judgements (`answers`) each have a module; `accept`
writes the agreed scores into the workbook as a new period.

The stable names are re-exported here (`from kamlib.workshop import WorkshopStore`).
"""

from kamlib.workshop.accept import accept_scores, accept_weights
from kamlib.workshop.answers import SCORE_COLUMNS, Answer, ItemCount
from kamlib.workshop.checks import SIDES, Refused
from kamlib.workshop.items import STATES, Item
from kamlib.workshop.participants import Issued, Participant
from kamlib.workshop.schema import SCHEMA_VERSION
from kamlib.workshop.store import Session, WorkshopStore, workshop_path

__all__ = [
    "SCHEMA_VERSION",
    "SCORE_COLUMNS",
    "SIDES",
    "STATES",
    "Answer",
    "Issued",
    "Item",
    "ItemCount",
    "Participant",
    "Refused",
    "Session",
    "WorkshopStore",
    "accept_scores",
    "accept_weights",
    "workshop_path",
]
