"""Competences and the KAM assignment (METHOD.md §3): the settings and their defaults (settings), each KAM's
competence levels and each account's needs (competences), each account's hours (effort), the plan of highest total
fit less the cost of its changes (solver), the result with its reasons (proposal, reasons), what deserves a look
(findings), and KAM teams (teams).

`assign`, `assign_engagement` and `Assignment` are re-exported here (`from kamlib.assignment import assign`).
"""

from kamlib.assignment.proposal import Assignment, assign, assign_engagement

__all__ = ["Assignment", "assign", "assign_engagement"]
