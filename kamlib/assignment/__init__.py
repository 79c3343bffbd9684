"""Competences and the KAM assignment (METHOD.md §3): each KAM's competence levels and each account's needs
(competences), the plan of highest total fit (solver), the result with its reasons and findings (proposal,
reasons), and KAM teams (teams).

`assign` and `Assignment` are re-exported here (`from kamlib.assignment import assign`).
"""

from kamlib.assignment.proposal import Assignment, assign

__all__ = ["Assignment", "assign"]
