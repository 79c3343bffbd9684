"""Write a ledger's new period of scores, and its new customers, into an engagement workbook.

    result = ingest_scores("ventas.csv", "ventas.yaml", kamlib.load(wb))
    backup = write_ingest(wb, result)

Four sheets change, and only by rows: in `scores` the ledger's earlier scores of the same period (assessor
"ledger") are replaced and every other row is kept as it was typed; new customers are appended to `accounts`
with `source` "ledger" (the column is added when absent), so that scoring does not warn about them while they
await their scores on the other axis (`kamlib.scoring.awaiting_scores`; the summary names them once);
`ledger_metrics` and `whitespace` (created when absent) get the period's rows, replacing that period's earlier
ones. A CSV folder keeps each file's separator, encoding and line ends (a new sheet takes the scores file's);
an .xlsx workbook keeps its other sheets and formats, but openpyxl does not keep the computed values of
formulas, so an .xlsx whose sheets hold formulas is refused before anything is written. The new workbook is
validated before it replaces the old one, which is kept beside it as a dated backup (`kamlib.workbook.rewrite`
writes it, as it writes the workshop's accepted scores).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from kamlib.engagement import load
from kamlib.fileio import Fingerprint, fingerprint, workbook_lock
from kamlib.i18n import check_lang, count_text, number_text
from kamlib.ledger.scores import ASSESSOR, LedgerIngest, ingest_scores
from kamlib.periods import period_option
from kamlib.workbook.rewrite import Drop, rewrite_workbook
from kamlib.workbook.sheets import LEDGER_METRICS, WHITESPACE

SHEETS = ("scores", "accounts", "ledger_metrics", "whitespace")
"""The sheets an ingest writes; every other sheet is copied as it is."""
_LEDGER_SHEETS = ("ledger_metrics", "whitespace")
"""Sheets the ledger owns: an ingest replaces all their rows of its period (and creates them when absent)."""
_ROUND = {"volume": 2, "volume_prior": 2, "frequency": 2, "buyer_share": 1, "growth": 1, "margin": 1}
_ROUND_DEFAULT = 1
_COUNTS = ("families", "recency", "buyers")
"""Whole numbers: families bought, days, customers."""


def write_ingest(
    workbook: Path | str, result: LedgerIngest, scores: bool = True, read_as: Fingerprint | None = None
) -> Path:
    """Add a ledger ingest to a workbook (.xlsx or CSV folder) and return the backup of the previous one.

    In `scores`, rows of `result.period` whose assessor is "ledger" are removed before the new rows are
    appended, so ingesting a period again replaces it; `result.accounts` is appended to `accounts` (a `source`
    column added to the header when it has none), its other columns left empty. `ledger_metrics` and
    `whitespace` get the period's rows of every account (replacing the period's earlier rows). With
    `scores=False` only those two sheets are written: the ledger's facts go into the reports and the
    hand-entered scores stay as they are (no account is added).
    The new workbook is validated with `kamlib.load` first: if it fails, the `WorkbookError` propagates and
    nothing is written, no backup, no temp file.

    Writing holds the workbook's lock (`kamlib.fileio.workbook_lock`; hold it from before reading the workbook,
    as `ingest` does). With `read_as` (the workbook's `fingerprint` when it was read) a workbook saved since
    is refused. The files of a CSV folder are replaced all or none; what a killed ingest left beside the
    workbook is removed first.
    """
    drop = {sheet: _old_rows(sheet, result.period) for sheet in ("scores", *_LEDGER_SHEETS)}  # accounts: none
    rows = ledger_rows(result, scores)
    return rewrite_workbook(workbook, rows, drop, create=_LEDGER_SHEETS, read_as=read_as, command="kam ingest")


def ingest(
    ledger: Path | str,
    workbook: Path | str,
    mapping: Path | str | None = None,
    period: str | None = None,
    query: str | None = None,
    wallet: Path | str | None = None,
    new_accounts: bool = True,
    scores: bool = True,
    wait: float = 60.0,
) -> tuple[LedgerIngest, Path]:
    """Score a ledger against a workbook and write the result into it (`write_ingest`), holding the workbook's
    lock from reading to writing: a second ingest waits up to `wait` seconds; return the ingest and the backup."""
    with workbook_lock(workbook, wait):
        read_as = fingerprint(Path(workbook))
        result = ingest_scores(ledger, mapping, load(workbook), period, query, wallet=wallet, new_accounts=new_accounts)
        return result, write_ingest(workbook, result, scores=scores, read_as=read_as)


def ledger_rows(result: LedgerIngest, scores: bool = True) -> dict[str, pd.DataFrame]:
    """The rows an ingest adds to each sheet it writes: those of `SHEETS`, or with `scores=False` only the
    ledger's own two (scores and accounts are then left as they are, earlier ledger scores included).

    `ledger_metrics` and `whitespace` hold the accounts only: those of the workbook and, with scores, the
    customers the ingest adds; amounts are rounded to cents, percentages and rates to one or two decimals.
    """
    accounts = set(result.metrics.loc[result.metrics["is_account"], "customer"].astype(str))
    if scores:
        accounts |= set(result.accounts["account_id"].astype(str))
    metrics = result.metrics[result.metrics["customer"].astype(str).isin(accounts)]
    metric_rows = pd.DataFrame(
        {
            "account_id": metrics["customer"].astype(str).to_numpy(),
            "period": result.period,
            "as_of": result.as_of.date().isoformat(),
            **{c: metrics[c].to_numpy() for c in LEDGER_METRICS.column_names[3:-1]},
            "currency": result.currency,
        }
    )
    space = result.whitespace[result.whitespace["customer"].astype(str).isin(accounts)]
    space_rows = pd.DataFrame(
        {
            "account_id": space["customer"].astype(str).to_numpy(),
            "period": result.period,
            **{c: space[c].to_numpy() for c in WHITESPACE.column_names[2:]},
        }
    )
    for frame in (metric_rows, space_rows):
        for column in frame.columns:
            if column in _COUNTS:
                frame[column] = frame[column].astype("Int64")
            elif pd.api.types.is_float_dtype(frame[column]):
                frame[column] = frame[column].round(_ROUND.get(column, _ROUND_DEFAULT))
    written = {"scores": result.scores, "accounts": result.accounts} if scores else {}
    return written | {"ledger_metrics": metric_rows, "whitespace": space_rows}


_SUMMARY = {
    "en": {
        "period": "Period: {period} (as of {day}, {lines})",
        "lines": ("{n} invoice line", "{n} invoice lines"),
        "scored": "Customers scored: {n}",
        "criteria": "Criteria: {criteria}",
        "new": "New accounts: {new}",
        "none": "none",
        "unchanged": "Scores: unchanged (--no-scores)",
        "wallet": "Wallet estimates: {n} read, {matched} of them customers of the ledger",
        "unmatched": "; not in the ledger: {names}",
        "hand": "Note: {period} also has scores entered by hand on these criteria; per criterion the assessors of a "
        "period are averaged, so the ledger's scores are blended with them",
        "after": "The month {month} sorts before the workbook's period {after}, whose scores would outrank the "
        "ledger's (per criterion the latest period counts): the period is {period}, which sorts after it (--period "
        "names another)",
        "later": (
            "Warning: {later} sorts after {period} and scores the same account and criterion as {outranked} of "
            "{written}; per criterion the latest period counts, so those are not used; to make them the latest, give "
            "--period {label}",
            "Warning: {later} sort after {period} and score the same account and criterion as {outranked} of "
            "{written}; per criterion the latest period counts, so those are not used; to make them the latest, give "
            "--period {label}",
        ),
        "written": ("{n} new score", "{n} new scores"),
        "added": ("{n} customer added", "{n} customers added"),
        "unplaced": "{added}, not placed until scored on {axes}: {names}",
        "outside_segment": "Not written, as their accounts' segment does not have the criterion (criteria per "
        "segment): {counts}",
        "axes": {"potential": "potential", "position": "position", "and": " and "},
        "sheets": "Ledger metrics: {metrics}; whitespace: {gaps}",
        "accounts": ("{n} account", "{n} accounts"),
        "gaps": ("{n} family an account does not buy", "{n} families an account does not buy (account × family)"),
        "backup": "Backup: {backup}",
    },
    "es": {
        "period": "Periodo: {period} (hasta {day}, {lines})",
        "lines": ("{n} línea de factura", "{n} líneas de factura"),
        "scored": "Clientes puntuados: {n}",
        "criteria": "Criterios: {criteria}",
        "new": "Cuentas nuevas: {new}",
        "none": "ninguna",
        "unchanged": "Puntuaciones: sin cambios (--no-scores)",
        "wallet": "Gasto estimado: {n} clientes leídos, {matched} de ellos en el libro de ventas",
        "unmatched": "; no están en el libro de ventas: {names}",
        "hand": "Atención: {period} también tiene puntuaciones a mano en estos criterios; en cada criterio se "
        "promedian los evaluadores de un periodo, así que las del libro de ventas se mezclan con ellas",
        "after": "El mes {month} va antes que el periodo {after} del libro, cuyas puntuaciones prevalecerían sobre "
        "las del libro de ventas (en cada criterio cuenta el último periodo): el periodo es {period}, que va después "
        "(--period indica otro)",
        "later": (
            "Aviso: {later} va después de {period} y puntúa la misma cuenta y criterio que {outranked} de "
            "{written}; en cada criterio cuenta el último periodo, así que esas no se usan; para que sean las "
            "últimas, dé --period {label}",
            "Aviso: {later} van después de {period} y puntúan la misma cuenta y criterio que {outranked} de "
            "{written}; en cada criterio cuenta el último periodo, así que esas no se usan; para que sean las "
            "últimas, dé --period {label}",
        ),
        "written": ("{n} puntuación nueva", "{n} puntuaciones nuevas"),
        "added": ("{n} cliente añadido", "{n} clientes añadidos"),
        "unplaced": "{added}, fuera de la matriz hasta tener puntuación en {axes}: {names}",
        "outside_segment": "No se escriben, porque el segmento de sus cuentas no tiene el criterio (criterios por "
        "segmento): {counts}",
        "axes": {"potential": "potencial", "position": "posición", "and": " y "},
        "sheets": "Métricas del libro de ventas: {metrics}; espacio en blanco: {gaps}",
        "accounts": ("{n} cuenta", "{n} cuentas"),
        "gaps": ("{n} familia que una cuenta no compra", "{n} familias que una cuenta no compra (cuenta × familia)"),
        "backup": "Copia de seguridad: {backup}",
    },
}
_UNMATCHED_SHOWN = 8


def ingest_summary(
    result: LedgerIngest, backup: Path | None = None, lang: str = "en", scores: bool = True
) -> list[str]:
    """Say what an ingest writes, one line each: period (and why, when it is not the ledger's month), customers
    scored, criteria, new accounts and those the matrix leaves out until scored on the other axis (said here once:
    later commands do not warn about them), the wallet estimates matched, what to know about the period (hand
    scores blended with the ledger's, later periods outranking them), the ledger sheets, and the backup (once
    written; None: a preview)."""
    words = _SUMMARY[check_lang(lang)]
    rows = ledger_rows(result, scores)
    lines = [
        words["period"].format(
            period=result.period,
            day=result.as_of.date().isoformat(),
            lines=count_text(words["lines"], result.lines, lang),
        )
    ]
    if result.after is not None:
        month = result.as_of.strftime("%Y-%m")
        lines.append(words["after"].format(month=month, after=result.after, period=period_option(result.period)))
    if scores:
        new = rows["accounts"]["account_id"].astype(str).tolist()
        criteria = ", ".join(dict.fromkeys(rows["scores"]["criterion_id"].astype(str)))
        count = number_text(len(new), lang, 0)
        lines += [
            words["scored"].format(n=number_text(rows["scores"]["account_id"].nunique(), lang, 0)),
            words["criteria"].format(criteria=criteria or words["none"]),
            words["new"].format(new=f"{count} ({', '.join(new)})" if new else words["none"]),
        ]
        lines += _unplaced_lines(result.unplaced, words, lang)
        outside = result.detail.attrs.get("outside_segment", {})
        if outside:
            counts = ", ".join(f"{c} ({number_text(n, lang, 0)})" for c, n in outside.items())
            lines.append(words["outside_segment"].format(counts=counts))
    else:
        lines.append(words["unchanged"])
    if result.wallet_estimates:
        unmatched = list(result.wallet_unmatched)
        matched = number_text(result.wallet_estimates - len(unmatched), lang, 0)
        text = words["wallet"].format(n=number_text(result.wallet_estimates, lang, 0), matched=matched)
        if unmatched:
            shown = ", ".join(unmatched[:_UNMATCHED_SHOWN])
            more = len(unmatched) - _UNMATCHED_SHOWN
            text += words["unmatched"].format(names=shown + (f" (+{more})" if more > 0 else ""))
        lines.append(text)
    if scores and result.hand_scores_in_period:
        lines.append(words["hand"].format(period=result.period))
    if scores and result.outranked:
        lines.append(
            words["later"][len(result.later_periods) != 1].format(
                later=", ".join(result.later_periods),
                period=result.period,
                outranked=number_text(result.outranked, lang, 0),
                written=count_text(words["written"], len(result.scores), lang),
                label=period_option(result.period_after),
            )
        )
    metrics = count_text(words["accounts"], len(rows["ledger_metrics"]), lang)
    lines.append(words["sheets"].format(metrics=metrics, gaps=count_text(words["gaps"], len(rows["whitespace"]), lang)))
    if backup is not None:
        lines.append(words["backup"].format(backup=backup))
    return lines


def _unplaced_lines(unplaced: Sequence[tuple[str, str]], words: Mapping[str, Any], lang: str) -> list[str]:
    """One line per set of axes the new accounts lack: how many were added out of the matrix, and which."""
    by_axes: dict[str, list[str]] = {}
    for account, axes in unplaced:
        by_axes.setdefault(axes, []).append(account)
    names = words["axes"]
    return [
        words["unplaced"].format(
            added=count_text(words["added"], len(accounts), lang),
            axes=names["and"].join(names[axis] for axis in axes.split(", ")),
            names=", ".join(accounts),
        )
        for axes, accounts in by_axes.items()
    ]


# --- rows to add ------------------------------------------------------------------------------------------


def _old_rows(sheet: str, period: str) -> Drop:
    """Which rows of a sheet a new ingest of `period` replaces: the ledger's scores of the period, every row of
    the period in the ledger's own sheets (accounts are only added to)."""

    def old(row: Mapping[str, str]) -> bool:
        ledger = sheet in _LEDGER_SHEETS or row.get("assessor", "").casefold() == ASSESSOR
        return row.get("period", "") == period and ledger

    return old


__all__ = ["SHEETS", "ingest", "ingest_summary", "ledger_rows", "write_ingest"]
