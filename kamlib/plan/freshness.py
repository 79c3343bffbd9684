"""How fresh each key account's plan is: when it was last reviewed, and whether that is too long ago.

A plan is *due for review* when the account's `last_reviewed` date (sheet `accounts`) lies more than
`review_months` whole months (sheet `engagement`, default 12) before the date the engagement is judged at — the
engagement's own date, else the day the deliverable is made — or when it has no date at all. The rule, exact so
that anyone can check it: reviewed on day d, the plan is due when d + `review_months` calendar months < as-of
(reviewed 2025-07-15 and judged at 2026-07-15 with 12 months: still current; on 2026-07-16: due). A date after
the as-of date counts as current (age 0).

An engagement whose accounts carry no review date at all does not track its plans' freshness: nothing is
flagged (`tracked` is False), exactly as before the column existed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement
from kamlib.i18n import check_lang, count_text, date_text

STATUSES = ("current", "due", "never")
"""A plan's freshness: reviewed within the months allowed, reviewed longer ago, never reviewed (no date)."""
STATUS_LABELS = {
    "current": {"es": "Al día", "en": "Current"},
    "due": {"es": "Por revisar", "en": "Due for review"},
    "never": {"es": "Sin revisar", "en": "Never reviewed"},
}
_COLUMNS = {
    "account": {"es": "Cuenta", "en": "Account"},
    "kam": {"es": "KAM", "en": "KAM"},
    "last_reviewed": {"es": "Última revisión", "en": "Last reviewed"},
    "age": {"es": "Meses desde la revisión", "en": "Months since review"},
    "status": {"es": "Estado del plan", "en": "Plan status"},
}
_SUMMARY = {
    "es": {
        "none": "Ningún plan está por revisar: todos se revisaron en {months} hasta el {as_of}.",
        "some": "{plans} por revisar (sin revisión en {months} hasta el {as_of}, o sin fecha de revisión).",
        "months": ("{n} mes", "{n} meses"),
        "plans": ("{n} plan de cuenta", "{n} planes de cuenta"),
        "untracked": "Sin revisión de planes: el encargo no fecha la última revisión de ningún plan de cuenta.",
    },
    "en": {
        "none": "No plan is due for review: each was reviewed in the {months} before {as_of}.",
        "some": "{plans} due for review (not reviewed in the {months} before {as_of}, or never).",
        "months": ("{n} month", "{n} months"),
        "plans": ("{n} account plan", "{n} account plans"),
        "untracked": "No plan reviews: the engagement dates no account plan's last review.",
    },
}


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier` to `later` (0 when `later` is not after it).

    >>> months_between(dt.date(2025, 7, 15), dt.date(2026, 7, 15))
    12
    >>> months_between(dt.date(2025, 7, 16), dt.date(2026, 7, 15))
    11
    """
    months = (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)
    return max(months, 0)


@dataclass(frozen=True)
class Freshness:
    """Each account's plan freshness as of a date (see the module's docstring)."""

    accounts: pd.DataFrame
    """One row per account, in the workbook's order: account_id, name, kam_id, last_reviewed (a date or NaT),
    age_months (whole months since, NaN without a date), status (`STATUSES`), due (True for due and never)."""
    as_of: dt.date
    review_months: int

    @property
    def tracked(self) -> bool:
        """Whether the workbook dates any plan's review (else nothing is flagged)."""
        return bool(self.accounts["last_reviewed"].notna().any())

    @property
    def due(self) -> pd.Series:
        """Each account's `due`, indexed by account_id (all False when the workbook tracks no review)."""
        return self.accounts.set_index("account_id")["due"]

    def summary(self, lang: str) -> str:
        """One sentence: how many plans are due for review, or that none is, or that no plan is dated."""
        words = _SUMMARY[check_lang(lang)]
        if not self.tracked:
            return words["untracked"]
        n = int(self.accounts["due"].sum())
        fields = {"months": count_text(words["months"], self.review_months, lang), "as_of": date_text(self.as_of, lang)}
        return (
            words["none"].format(**fields)
            if n == 0
            else words["some"].format(plans=count_text(words["plans"], n, lang), **fields)
        )

    def table(self, lang: str, kams: pd.DataFrame | None = None, only_due: bool = True) -> pd.DataFrame:
        """The plans due for review (or, without `only_due`, every plan) for people, the oldest first: account,
        KAM (by name when `kams` is given), last reviewed, months since, status. Empty when nothing is tracked."""
        check_lang(lang)
        frame = self.accounts[self.accounts["due"]] if only_due else self.accounts
        if not self.tracked:
            frame = frame.iloc[:0]
        names = {} if kams is None else dict(zip(kams["kam_id"].astype(str), kams["name"].astype(str), strict=True))
        order = np.lexsort((frame["name"].astype(str).to_numpy(), frame["last_reviewed"].fillna(pd.Timestamp.min)))
        frame = frame.iloc[order]
        w = {key: text[lang] for key, text in _COLUMNS.items()}
        table = pd.DataFrame(
            {
                w["account"]: frame["name"].astype(str).to_numpy(),
                w["kam"]: [
                    None if pd.isna(k) else names.get(str(k), str(k)) for k in frame["kam_id"].to_numpy(dtype=object)
                ],
                w["last_reviewed"]: [None if pd.isna(d) else d.date() for d in frame["last_reviewed"]],
                w["age"]: frame["age_months"].to_numpy(dtype=float),
                w["status"]: [STATUS_LABELS[s][lang] for s in frame["status"]],
            }
        )
        table.attrs["units"] = {w["last_reviewed"]: "date", w["age"]: "integer"}
        return table

    def line(self, account_id: str, lang: str) -> str | None:
        """When one account's plan was last reviewed and what that means, in words (`3 mar 2025, hace 16 meses: por
        revisar`), or None when the workbook tracks no review."""
        check_lang(lang)
        if not self.tracked:
            return None
        row = self.accounts.loc[self.accounts["account_id"] == account_id].iloc[0]
        if row["status"] == "never":
            return {"es": "sin fecha de revisión: por revisar", "en": "never reviewed: due for review"}[lang]
        when = date_text(row["last_reviewed"].date(), lang)
        months = count_text(
            ("{n} mes", "{n} meses") if lang == "es" else ("{n} month", "{n} months"), int(row["age_months"]), lang
        )
        if row["status"] == "due" and int(row["age_months"]) <= self.review_months:  # review_months and some days
            months = ("más de " if lang == "es" else "over ") + months
        verdict = STATUS_LABELS[row["status"]][lang].lower()
        return {
            "es": f"{when}, hace {months}: {verdict}",
            "en": f"{when}, {months} ago: {verdict}",
        }[lang]


def plan_freshness(engagement: Engagement, as_of: dt.date | None = None) -> Freshness:
    """Each account's plan freshness as of `as_of` (None: the engagement's date, else today), against the
    engagement's `review_months`."""
    as_of = as_of or engagement.identity.date or dt.date.today()
    months = engagement.identity.review_months
    accounts = engagement.accounts
    reviewed = pd.to_datetime(accounts["last_reviewed"])  # validation gives every workbook the column
    age = np.array([np.nan if pd.isna(d) else months_between(d.date(), as_of) for d in reviewed], dtype=np.float64)
    lapsed = (reviewed + pd.DateOffset(months=months)) < pd.Timestamp(as_of)
    status = np.where(reviewed.isna(), "never", np.where(lapsed, "due", "current"))
    tracked = bool(reviewed.notna().any())
    frame = pd.DataFrame(
        {
            "account_id": accounts["account_id"].astype(str).to_numpy(),
            "name": accounts["name"].astype(str).to_numpy(),
            "kam_id": accounts["kam_id"].to_numpy(dtype=object),
            "last_reviewed": reviewed.to_numpy(),
            "age_months": age,
            "status": status.astype(object),
            "due": (status != "current") & tracked,
        }
    )
    return Freshness(frame, as_of, months)
