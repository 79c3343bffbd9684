"""How fresh each account's plan is (`kamlib.plan.freshness`): the review date, the months allowed, the flag, and
where it shows (attention, the account plan, the dashboard's cards and figures, the deck)."""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import kamlib
from kamlib.errors import WorkbookError
from kamlib.plan.account import account_plan
from kamlib.plan.attention import attention, attention_accounts, portfolio_figures, reason_text
from kamlib.plan.freshness import months_between, plan_freshness
from kamlib.views.account import plan_html
from kamlib.views.page import table_html
from tests.conftest import ROOT

TINY = ROOT / "tests" / "data" / "tiny"
SHEETS = ("accounts", "criteria", "scores", "kams", "time")


def dated(reviews: dict[str, object], engagement: list[tuple[str, str]] | None = None) -> kamlib.Engagement:
    """The tiny engagement with `last_reviewed` per account (absent ones empty) and an `engagement` sheet."""
    tiny = kamlib.load(TINY)
    frames = {name: getattr(tiny, name) for name in SHEETS}
    accounts = frames["accounts"].drop(columns=["last_reviewed"]).copy()
    accounts["last_reviewed"] = [reviews.get(a) for a in accounts["account_id"]]
    frames["accounts"] = accounts
    if engagement is not None:
        frames["engagement"] = pd.DataFrame(engagement, columns=["key", "value"])
    return kamlib.Engagement.from_frames(frames, "tiny")


def test_the_rule_worked_by_hand() -> None:
    # judged at 2026-07-15 with 12 months: 2025-07-15 is exactly 12 months old (current), 2025-07-14 a day more
    # (12 whole months and a day: due),
    # A3 has no date (never reviewed), A4 was reviewed after the as-of date (age 0, current)
    engagement = dated(
        {"A1": "2025-07-15", "A2": "2025-07-14", "A4": dt.datetime(2026, 8, 1)},
        [("date", "2026-07-15"), ("meses de revisión", "12")],
    )
    fresh = plan_freshness(engagement)
    frame = fresh.accounts.set_index("account_id")
    assert frame["status"].to_dict() == {"A1": "current", "A2": "due", "A3": "never", "A4": "current"}
    assert frame["age_months"].fillna(-1).to_dict() == {"A1": 12, "A2": 12, "A3": -1, "A4": 0}
    assert frame["due"].to_dict() == {"A1": False, "A2": True, "A3": True, "A4": False}
    assert fresh.as_of == dt.date(2026, 7, 15) and fresh.review_months == 12 and fresh.tracked
    assert fresh.summary("es") == (
        "2 planes de cuenta por revisar (sin revisión en 12 meses hasta el 15 jul 2026, o sin fecha de revisión)."
    )
    table = fresh.table("en", engagement.kams)
    assert table.columns.tolist() == ["Account", "KAM", "Last reviewed", "Months since review", "Plan status"]
    assert table.fillna(-1).values.tolist() == [  # the oldest first, the never reviewed before all
        ["Distribuciones Cantábrico", "Jordi Ibáñez", -1, -1, "Never reviewed"],
        ["Hoteles Mirasol", "María Núñez", dt.date(2025, 7, 14), 12, "Due for review"],
    ]
    page = table_html(table, "en")  # written by the one formatter
    assert ">14 Jul 2025</td>" in page and ">12</td>" in page and page.count(">—</td>") == 2
    assert fresh.line("A2", "es") == "14 jul 2025, hace más de 12 meses: por revisar"
    assert fresh.line("A1", "en") == "15 Jul 2025, 12 months ago: current"
    assert fresh.line("A3", "en") == "never reviewed: due for review"


def test_the_months_allowed_come_from_the_engagement_and_the_date_given_wins() -> None:
    engagement = dated({"A1": "2026-01-31", "A2": "2026-03-01", "A3": "2026-03-15", "A4": "2025-01-01"},
                       [("date", "2026-07-15"), ("review_months", "4")])  # fmt: skip
    due = plan_freshness(engagement).due.to_dict()
    assert due == {"A1": True, "A2": True, "A3": False, "A4": True}  # 2026-03-15 + 4 months is not before 15 Jul
    at_month_end = plan_freshness(engagement, dt.date(2026, 5, 31)).due.to_dict()  # 31 Jan + 4 months = 31 May
    assert at_month_end == {"A1": False, "A2": False, "A3": False, "A4": True}
    assert months_between(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == 0


def test_a_workbook_without_review_dates_flags_nothing() -> None:
    engagement = dated({})
    fresh = plan_freshness(engagement, dt.date(2026, 7, 15))
    assert not fresh.tracked and not fresh.accounts["due"].any()
    assert fresh.table("es").empty and fresh.line("A1", "es") is None
    assert fresh.summary("en") == "No plan reviews: the engagement dates no account plan's last review."
    scored = kamlib.score_scenario(engagement)
    frame = attention(engagement, scored, fresh=fresh)
    assert not frame["stale"].any()
    assert portfolio_figures(frame, scored, None, fresh.tracked).stale is None
    assert account_plan(engagement, scored, "A1").review is None


def test_a_stale_plan_needs_attention_and_says_so_in_the_plan() -> None:
    engagement = dated({"A1": "2026-06-01", "A2": "2026-06-01", "A3": "2026-06-01", "A4": "2024-02-10"},
                       [("date", "2026-07-15")])  # fmt: skip
    scored = kamlib.score_scenario(engagement)
    frame = attention(engagement, scored)
    assert frame.set_index("account_id")["stale"].to_dict() == {"A1": False, "A2": False, "A3": False, "A4": True}
    assert "A4" in attention_accounts(frame)
    assert "Plan por revisar" in reason_text(frame.set_index("account_id").loc["A4"], "es")
    assert portfolio_figures(frame, scored, None, True).stale == 1
    plan = account_plan(engagement, scored, "A4")
    assert plan.review_due and plan.review["en"] == "10 Feb 2024, 29 months ago: due for review"
    page = plan_html(plan, "es")
    assert "Revisión del plan" in page and "10 feb 2024, hace 29 meses: por revisar" in page
    assert not account_plan(engagement, scored, "A1").review_due


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("15/03/2026", "'15/03/2026'"),
        ("2026-02-30", "'2026-02-30'"),
        ("ayer", "'ayer'"),
        ("2026-03", "'2026-03'"),
        ("0001-01-01", "'0001-01-01'"),
        ("2300-01-01", "'2300-01-01'"),
        ("2026-03-05 o 2026-04-01", "'2026-03-05 o 2026-04-01'"),
        ("2026-W10-1", "'2026-W10-1'"),
        ("2026-03-05Tfoo", "'2026-03-05Tfoo'"),
    ],
)
def test_a_date_that_cannot_be_read_gets_one_message(tmp_path: Path, cell: str, shown: str) -> None:
    folder = tmp_path / "libro"
    shutil.copytree(TINY, folder)
    accounts = pd.read_csv(folder / "accounts.csv", dtype=str, keep_default_na=False)
    accounts["last_reviewed"] = ["2026-01-10", cell, "", "2025-12-01"]
    accounts.to_csv(folder / "accounts.csv", index=False)
    with pytest.raises(WorkbookError) as caught:
        kamlib.load(folder)
    lines = caught.value.render("en").splitlines()
    assert len(lines) == 1
    assert 'accounts.csv, sheet "accounts", row 3, column "last_reviewed"' in lines[0]
    assert f"got {shown}; allowed: a date from 1900 to 2199: a date cell, or YYYY-MM-DD such as 2026-03-15" in lines[0]


@pytest.mark.parametrize("months", ["0", "1,5", "doce", "121", "12 %", "1e1", "1.000", "-3"])
def test_review_months_must_be_a_whole_number_of_months(months: str) -> None:
    with pytest.raises(WorkbookError) as caught:
        dated({}, [("review_months", months)])
    text = caught.value.render("es")
    assert "un número entero de meses de 1 a 120" in text and len(text.splitlines()) == 1


def test_an_excel_date_cell_reads_as_the_day(tmp_path: Path) -> None:
    from openpyxl import Workbook

    tiny = kamlib.load(TINY)
    book = Workbook()
    book.remove(book.active)
    for name in SHEETS:
        frame = getattr(tiny, name)
        if name == "accounts":
            frame = frame.drop(columns=["last_reviewed"]).assign(last_reviewed=[dt.datetime(2025, 3, 9), None, None,
                                                                              dt.date(2026, 1, 2)])  # fmt: skip
        sheet = book.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([None if not isinstance(v, (dt.date, str)) and pd.isna(v) else v for v in row])
    book.save(tmp_path / "libro.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        engagement = kamlib.load(tmp_path / "libro.xlsx")
    reviewed = engagement.accounts.set_index("account_id")["last_reviewed"]
    assert reviewed["A1"] == pd.Timestamp(2025, 3, 9) and reviewed["A4"] == pd.Timestamp(2026, 1, 2)
    assert pd.isna(reviewed["A2"])


def test_the_sample_flags_its_old_plans() -> None:
    engagement = kamlib.load()
    fresh = plan_freshness(engagement)  # the sample is dated 2026-07-15
    due = fresh.accounts.loc[fresh.accounts["due"], "account_id"].tolist()
    assert due == ["A002", "A010", "A030", "A045"]
