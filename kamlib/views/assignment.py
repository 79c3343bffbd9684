"""One account's KAM and fit for its report, as HTML: its KAM now, the KAM the plan proposes and why, and the
competences that set the fit apart."""

from __future__ import annotations

import html

import pandas as pd

from kamlib.assignment.proposal import Assignment
from kamlib.assignment.reasons import TABLE_WORDS, explain, headline, position_of
from kamlib.assignment.solver import NO_PLAN, kam_names
from kamlib.i18n import check_lang, number_text


def assignment_html(result: Assignment, account_id: str, lang: str = "en") -> str:
    """One account's KAM and fit as an HTML fragment for its report: its KAM now and their fit, the KAM the plan
    proposes and why, and the competences that raise or lower the fit. Names escaped; nothing loaded."""
    check_lang(lang)
    a = position_of(result.plan["account_id"], account_id, "account")
    row = result.plan.iloc[a]
    words = TABLE_WORDS[lang]
    esc = html.escape
    names = kam_names(result.kams)
    lines = [f'<h3 style="margin:16px 0 4px;font-size:20px">{esc(words["title"])}</h3>']
    if result.status in NO_PLAN:
        lines.append(f"<p>{esc(headline(result, lang))}</p>")
        return "<section>" + "".join(lines) + "</section>"
    now = names.get(row["current_kam_id"], "") if pd.notna(row["current_kam_id"]) else ""
    fit_now = "" if pd.isna(row["fit_current"]) else number_text(row["fit_current"], lang, 1)
    planned = names.get(row["kam_id"], "") if pd.notna(row["kam_id"]) else ""
    fit = "" if pd.isna(row["fit"]) else number_text(row["fit"], lang, 1)
    lines.append(f"<p>{esc(words['sentence'].format(now=now or '—', fit_now=fit_now or '—'))}</p>")
    lines.append(f"<p><b>{esc(words['proposal'].format(kam=planned or '—', fit=fit or '—'))}</b> ")
    lines.append(f"{esc(str(row[f'reason_{lang}']))}</p>")
    if pd.notna(row["kam_id"]):
        explained = explain(result, account_id, str(row["kam_id"]), lang)
        apart = explained[explained["versus_others"].abs() >= 0.05].head(3)  # what sets the fit apart
        items = "".join(f"<li>{esc(str(r.label))}: {esc(str(r.note))}</li>" for r in apart.itertuples(index=False))
        if items:
            lines.append(f"<p style='margin:4px 0 0'>{esc(words['because'])}</p><ul style='margin:0'>{items}</ul>")
    team = result.teams[result.teams["account_id"] == account_id]
    if len(team):
        lines.append(f"<p>{esc(str(team.iloc[0][f'message_{lang}']))}</p>")
    return '<section style="font-size:18px;line-height:1.45">' + "".join(lines) + "</section>"
