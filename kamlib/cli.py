"""The `kam` command: a thin shell that parses, calls one kamlib function, and prints.

Bad input exits 2 with one line per problem on stderr and no traceback; nothing is
written then. Messages follow `--lang` (or `KAM_LANG`), English by default.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from kamlib.errors import KamError, KamWarning
from kamlib.i18n import check_lang, default_lang, number_text

TABLE_SUFFIXES = (".csv", ".xlsx")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kam",
        description="Key account management workbook: validate, template, sample, score, time, compare, "
        "robustness, select, assign, ingest, deck, report, serve. / Gestión de cuentas clave.",
    )
    parser.add_argument(
        "--lang", choices=("es", "en"), default=None, help="language of messages and labels (default: KAM_LANG or en)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a workbook and list every problem")
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files")

    p = sub.add_parser(
        "template",
        help="write an empty workbook (.xlsx), or a reference file with every default (.yaml) to edit",
    )
    p.add_argument("out", type=Path, help="the .xlsx or .yaml file to write")
    p.add_argument(
        "--kind",
        choices=("workbook", "time", "assignment", "ledger"),
        help="what to write (default: workbook for .xlsx, the time reference for .yaml; assignment = the "
        "competence requirements, efforts and rules of kam assign; ledger = the ledger mapping of kam ingest)",
    )

    p = sub.add_parser("sample", help="copy the bundled sample engagement (or its sales ledger) to a new folder")
    p.add_argument("out", type=Path, help="the folder to write: new, or empty")
    p.add_argument(
        "--ledger", action="store_true", help="the sample's sales ledger instead: ventas.csv, ventas.yaml, wallet.csv"
    )

    p = sub.add_parser("score", help="place every account in the matrix")
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files")
    p.add_argument("--scenario", type=Path, help="scenario YAML with weights and cut lines")
    p.add_argument("--period", help="score as of this period (default: the latest per score)")
    p.add_argument("--cut-potential", help="cut line of potential: a number 0-10 or median (overrides the scenario)")
    p.add_argument("--cut-position", help="cut line of position: a number 0-10 or median (overrides the scenario)")
    p.add_argument("--out", type=Path, help="scored table, .csv or .xlsx (default: CSV on standard output)")
    p.add_argument(
        "--chart",
        type=Path,
        action="append",
        default=[],
        help="matrix chart to write: .html (offline), .svg, .png or .json; may be repeated",
    )
    p.add_argument("--live", type=Path, help="the live matrix as one .html file: sliders that work with no kernel")

    p = sub.add_parser("time", help="where the KAMs' time goes, against the method's profile and the strategies")
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files")
    p.add_argument("--kam", help="only this KAM's rows (default: every KAM and the team)")
    p.add_argument("--period", help="only this period and its sub-periods, e.g. 2025 or 2025-07 (default: all)")
    p.add_argument("--scenario", type=Path, help="scenario YAML whose quadrants the strategy time uses")
    p.add_argument("--reference", type=Path, help="time reference YAML: profile, activity types, targets")
    p.add_argument(
        "--normalise", action="store_true", help="rescale survey percentages that do not add up to 100 (warns)"
    )
    p.add_argument("--out", type=Path, help="table, .csv or .xlsx (default: CSV on standard output)")
    p.add_argument(
        "--charts",
        type=Path,
        help="folder to write the time charts to (profile, gaps of the team or --kam, strategy time), as .svg "
        "and .png for slides and offline .html",
    )
    p = sub.add_parser("compare", help="two weight scenarios side by side: the accounts that change quadrant")
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files")
    p.add_argument(
        "scenarios",
        type=Path,
        nargs="+",
        metavar="SCENARIO",
        help="S1.yaml [S2.yaml]: S1 against S2, or the workbook's weights against S1",
    )
    p.add_argument("--period", help="score as of this period (default: the latest per score)")
    p.add_argument("--out", type=Path, help="the movers, .csv or .xlsx (default: CSV on standard output)")

    p = sub.add_parser("robustness", help="how robust each account's quadrant is to the weights (SMAA)")
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files")
    p.add_argument("--scenario", type=Path, help="scenario YAML whose weights and cut lines are the centre")
    p.add_argument("--draws", type=int, default=10_000, help="weight vectors to draw (default 10000)")
    spread = p.add_mutually_exclusive_group()
    spread.add_argument(
        "--concentration", type=float, default=50.0, help="Dirichlet concentration: higher = weights surer (default 50)"
    )
    spread.add_argument("--uniform", action="store_true", help="draw weights uniformly over each axis (nothing known)")
    p.add_argument("--bounds", type=Path, help="YAML of criterion_id: [min, max], % of its axis")
    p.add_argument("--seed", type=int, help="random seed: the same seed gives the same numbers")
    p.add_argument("--period", help="score as of this period (default: the latest per score)")
    p.add_argument("--out", type=Path, help="table, .csv or .xlsx (default: CSV on standard output)")

    p = sub.add_parser(
        "select", help="propose the key-account list: every customer scored on the selection criteria, who enters"
    )
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files (with sheet customers)")
    rule = p.add_mutually_exclusive_group()
    rule.add_argument("--cutoff", help="propose every customer scoring at least this, 0-10 (default 5)")
    rule.add_argument("--top", help="propose the N best instead (a tie at the boundary proposes every tied one)")
    p.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="ID=W",
        help="weight of a selection criterion, e.g. profitability=2 (may be repeated; default: the workbook's)",
    )
    p.add_argument("--period", help="score as of this period (default: the latest per score)")
    p.add_argument("--out", type=Path, help="every customer's scores and status, .csv or .xlsx")

    p = sub.add_parser("assign", help="propose the KAM of each account: the plan of highest total competence fit")
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files (with a competences sheet)")
    p.add_argument("--scenario", type=Path, help="scenario YAML whose quadrants set what each account needs")
    p.add_argument(
        "--settings", type=Path, help="assignment YAML: requirements, efforts, bonus, minimum fit, fixed/forbidden"
    )
    p.add_argument("--out", type=Path, help="the plan, .csv or .xlsx (default: CSV on standard output)")
    p.add_argument("--fit-out", type=Path, help="the fit of every KAM × account pair, .csv or .xlsx")

    p = sub.add_parser(
        "ingest", help="score the accounts from an ERP/CRM ledger: add a new period of scores and the new customers"
    )
    p.add_argument("ledger", help="the ledger: .csv, .xlsx, .parquet, .duckdb file, or a database URL (with --query)")
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files to add the scores to")
    p.add_argument("--map", type=Path, help="ledger mapping YAML: columns, criteria, rules (default: the defaults)")
    p.add_argument("--period", help="period of the new scores (default: the month of the ledger's last date)")
    p.add_argument("--query", help="SQL query, or a table name, to run when LEDGER is a database URL")
    p.add_argument(
        "--wallet",
        type=Path,
        help="each customer's estimated total spend (.csv, .xlsx or .parquet: customer, wallet): share of wallet",
    )
    p.add_argument(
        "--accounts-only",
        action="store_true",
        help="score only the workbook's accounts; customers it lacks are not added",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long to wait while another kam ingest writes the same workbook (default 60)",
    )
    p.add_argument(
        "--no-scores",
        action="store_true",
        help="write only the ledger's metrics and whitespace for the reports; keep the scores and accounts as they are",
    )

    p = sub.add_parser("deck", help="write the consultants' PowerPoint deck: matrix, strategies, a plan per account")
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files")
    p.add_argument(
        "--account", nargs="+", metavar="ID", help="these accounts, in this order (default: all, by revenue)"
    )
    p.add_argument("--scenario", type=Path, help="scenario YAML with weights and cut lines")
    p.add_argument("--period", help="score as of this period (default: the latest per score)")
    p.add_argument("--out", type=Path, default=Path("deck.pptx"), help="the deck, .pptx (default: deck.pptx)")

    p = sub.add_parser("report", help="write a report per key account and one for the engagement (HTML, offline)")
    p.add_argument("workbook", type=Path, help="engagement .xlsx or folder of CSV files")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--account", nargs="+", metavar="ID", help="these accounts only")
    who.add_argument("--all", action="store_true", help="every account (the default)")
    p.add_argument("--scenario", type=Path, help="scenario YAML with weights and cut lines")
    p.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    p.add_argument("--out", type=Path, default=Path("reports"), help="folder for the reports (default: reports/)")
    p.add_argument("--force", action="store_true", help="redo every report, even those whose inputs did not change")
    p.add_argument("--settings", type=Path, help="assignment settings YAML the reports' KAM plan uses")

    p = sub.add_parser("serve", help="serve an engagement's dashboards (Voilà) on 127.0.0.1, or with a token elsewhere")
    p.add_argument(
        "target",
        type=Path,
        nargs="?",
        help="engagement .xlsx or CSV folder, or a report folder DIR/<engagement> (default: the sample)",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, help="port (default: a free one)")
    p.add_argument(
        "--token",
        help="token every visitor needs (off 127.0.0.1 one is generated if not given: better, since a token typed "
        "here shows in the process list of this machine)",
    )
    p.add_argument("--settings", type=Path, help="assignment settings YAML (default: the report folder's, or none)")
    for command in sub.choices.values():  # `kam report WB --lang en` as well as `kam --lang en report WB`
        command.add_argument(
            "--lang", choices=("es", "en"), default=argparse.SUPPRESS, help="language of messages and labels"
        )
    return parser


def _cut(text: str | None) -> float | str | None:
    if text is None:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


_FILE_KINDS = {
    "template": "plantilla",
    "workbook template": "plantilla de libro",
    "time template": "plantilla de tiempo",
    "assignment template": "plantilla de asignación",
    "ledger template": "plantilla de correspondencia del libro de ventas",
    "table": "tabla",
    "chart": "gráfico",
    "live matrix": "matriz en vivo",
}
"""The kinds of file `_check_suffix` names, with their Spanish words."""


def _check_suffix(path: Path, allowed: Sequence[str], what: str) -> None:
    if path.suffix.lower() not in allowed:
        raise KamError(
            f"{path}: unsupported {what} format {path.suffix or '(none)'!r}; allowed: {', '.join(allowed)}",
            f"{path}: formato de {_FILE_KINDS[what]} no admitido {path.suffix or '(ninguno)'!r}; se admite: "
            f"{', '.join(allowed)}",
        )


def _validate(args: argparse.Namespace) -> int:
    from kamlib.assignment.competences import check_competence_names
    from kamlib.engagement import load
    from kamlib.timealloc import check_survey

    engagement = load(args.workbook)
    check_survey(engagement)
    try:
        check_competence_names(engagement)
    except KamError as exc:  # a typo, or a competence the assignment settings may declare: said, not refused
        warnings.warn(KamWarning(exc.render("en"), exc.render("es")), stacklevel=1)
    print(engagement.summary(args.lang))
    return 0


def _template(args: argparse.Namespace) -> int:
    _check_suffix(args.out, (".xlsx", ".yaml", ".yml"), "template")
    kind = args.kind or ("workbook" if args.out.suffix.lower() == ".xlsx" else "time")
    _check_suffix(args.out, (".xlsx",) if kind == "workbook" else (".yaml", ".yml"), f"{kind} template")
    if kind == "workbook":
        from kamlib.workbook.template import write_template

        print(write_template(args.out))
    elif kind == "time":
        from kamlib.timeref import TimeReference, save_time_reference

        print(save_time_reference(TimeReference(), args.out))
    elif kind == "ledger":
        from kamlib.ledger.mapping import save_mapping_template

        print(save_mapping_template(args.out))
    else:
        from kamlib.assignment.competences import AssignmentSettings, save_assignment_settings

        print(save_assignment_settings(AssignmentSettings(), args.out))
    return 0


def _sample(args: argparse.Namespace) -> int:
    from kamlib.engagement import copy_sample

    out = copy_sample(args.out, ledger=args.ledger)
    names = ", ".join(sorted(p.name for p in out.iterdir()))
    print(f"{out}: {names}", file=sys.stderr)
    return 0


def _score(args: argparse.Namespace) -> int:
    from kamlib.engagement import load
    from kamlib.fileio import atomic_paths, write_table
    from kamlib.scenarios.scenario import load_scenario, score_scenario

    table = [args.out] if args.out is not None else []
    live = [args.live] if args.live is not None else []
    for path in table:
        _check_suffix(path, TABLE_SUFFIXES, "table")
    if args.chart:
        from kamlib.charts.export import FORMATS as CHART_SUFFIXES

        for chart in args.chart:
            _check_suffix(chart, CHART_SUFFIXES, "chart")
    for path in live:
        _check_suffix(path, (".html",), "live matrix")
    engagement = load(args.workbook)
    overrides = {"potential": _cut(args.cut_potential), "position": _cut(args.cut_position)}
    scored = score_scenario(engagement, args.scenario, args.period, overrides)
    if not table:
        write_table(scored, sys.stdout)
    targets = [*table, *args.chart, *live]
    with atomic_paths(targets) as temps:  # the table, every chart and the live matrix, or nothing
        if table:
            write_table(scored, temps[0])
        if args.chart:
            from kamlib.charts.export import save_chart
            from kamlib.charts.matrix import matrix_chart

            chart = matrix_chart(scored, lang=args.lang)
            for tmp in temps[len(table) : len(table) + len(args.chart)]:
                save_chart(chart, tmp)
        if live:
            from kamlib.widgets.standalone import save_live_matrix

            scenario = load_scenario(args.scenario) if args.scenario else None
            save_live_matrix(engagement, temps[-1], scenario, args.lang)
    for target in targets:
        print(target, file=sys.stderr)
    return 0


def _time(args: argparse.Namespace) -> int:
    from kamlib.engagement import load
    from kamlib.fileio import atomic_paths, write_table
    from kamlib.scenarios.scenario import score_scenario
    from kamlib.timealloc import allocate_time, check_kam
    from kamlib.timeref import load_time_reference

    if args.out is not None:
        _check_suffix(args.out, TABLE_SUFFIXES, "table")
    if args.charts is not None and args.charts.exists() and not args.charts.is_dir():
        raise KamError(
            f"{args.charts}: is a file; --charts needs a folder",
            f"{args.charts}: es un archivo; --charts necesita una carpeta",
        )
    reference = load_time_reference(args.reference)
    engagement = load(args.workbook)
    if args.kam is not None:
        check_kam(engagement.kams, args.kam)
    scored = score_scenario(engagement, args.scenario)  # a survey has no account time, but a bad file is still said
    allocation = allocate_time(engagement, reference, scored, args.period, args.normalise)
    table = allocation.long_table(args.kam)
    charts = {}
    if args.charts is not None:
        from kamlib.charts.time import time_charts

        charts = {
            args.charts / f"{name}{suffix}": chart
            for name, chart in time_charts(allocation, args.lang, args.kam).items()
            for suffix in (".svg", ".png", ".html")
        }
    targets = ([args.out] if args.out is not None else []) + list(charts)
    with atomic_paths(targets) as temps:  # the table and every chart, or nothing
        if args.out is not None:
            write_table(table, temps[0])
        if charts:
            from kamlib.charts.export import save_chart

            for chart, tmp in zip(charts.values(), temps[len(targets) - len(charts) :], strict=True):
                save_chart(chart, tmp)
    if args.out is None:  # only once every file is written, so a failure prints no table
        write_table(table, sys.stdout)
    findings = allocation.finding_rows
    if args.kam is not None:
        findings = findings[findings["kam_id"] == args.kam]
    for message in findings[f"message_{args.lang}"]:
        print(message, file=sys.stderr)
    for path in targets:
        print(path, file=sys.stderr)
    return 0


def _compare(args: argparse.Namespace) -> int:
    from kamlib.engagement import load
    from kamlib.fileio import write_table
    from kamlib.scenarios.compare import MOVER_COLUMNS, compare_scenarios

    if len(args.scenarios) > 2:
        raise KamError(
            f"compare takes one or two scenarios, not {len(args.scenarios)}",
            f"compare admite uno o dos escenarios, no {len(args.scenarios)}",
        )
    if args.out is not None:
        _check_suffix(args.out, TABLE_SUFFIXES, "table")
    before, after = args.scenarios if len(args.scenarios) == 2 else (None, args.scenarios[0])
    comparison = compare_scenarios(load(args.workbook), before, after, args.period)
    write_table(comparison.movers[list(MOVER_COLUMNS)], args.out if args.out is not None else sys.stdout)
    for line in [comparison.summary(args.lang), *comparison.findings(args.lang)]:
        print(line, file=sys.stderr)
    if args.out is not None:
        print(args.out, file=sys.stderr)
    return 0


def _robustness(args: argparse.Namespace) -> int:
    from kamlib.engagement import load
    from kamlib.fileio import write_table
    from kamlib.scenarios.robustness import CSV_COLUMNS, load_bounds, robustness

    if args.out is not None:
        _check_suffix(args.out, TABLE_SUFFIXES, "table")
    bounds = load_bounds(args.bounds) if args.bounds is not None else None
    concentration = None if args.uniform else args.concentration
    source = "weight bounds" if args.bounds is None else args.bounds.name
    engagement = load(args.workbook)
    result = robustness(engagement, args.scenario, args.draws, concentration, args.seed, bounds, args.period, source)
    table = result.accounts[list(CSV_COLUMNS)]
    write_table(table, args.out if args.out is not None else sys.stdout)
    print(result.summary(args.lang), file=sys.stderr)
    if args.out is not None:
        print(args.out, file=sys.stderr)
    return 0


def _number_option(option: str, text: str, allowed: dict[str, str], whole: bool = False, shown: str = "") -> float:
    """Read an option's number (decimal comma or point), or raise `KamError` saying what is allowed."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (whole and not value.is_integer()):
        shown = shown or text
        raise KamError(
            f"{option} {shown!r}: allowed: {allowed['en']}", f"{option} {shown!r}: se admite: {allowed['es']}"
        )
    return value


def _selection_weights(given: Sequence[str]) -> dict[str, float]:
    """Read --weight ID=W options into criterion id → weight; a malformed one or an id given twice is refused."""
    allowed = {
        "en": "ID=WEIGHT, a selection criterion's id and a number ≥ 0, e.g. profitability=2",
        "es": "ID=PESO, el identificador de un criterio de selección y un número ≥ 0, p. ej. profitability=2",
    }
    weights: dict[str, float] = {}
    for item in given:
        criterion, sep, text = item.partition("=")
        criterion = criterion.strip()
        if not sep or not criterion:
            raise KamError(
                f"--weight {item!r}: allowed: {allowed['en']}", f"--weight {item!r}: se admite: {allowed['es']}"
            )
        if criterion in weights:
            raise KamError(
                f"--weight: criterion {criterion!r} is given twice; allowed: each criterion once",
                f"--weight: el criterio {criterion!r} aparece dos veces; se admite: cada criterio una vez",
            )
        weights[criterion] = _number_option("--weight", text, allowed, shown=item)
    return weights


def _select(args: argparse.Namespace) -> int:
    from kamlib.engagement import load
    from kamlib.fileio import write_table
    from kamlib.plan.selection import DEFAULT_CUTOFF, select_accounts

    if args.out is not None:
        _check_suffix(args.out, TABLE_SUFFIXES, "table")
    weights = _selection_weights(args.weight)
    top = None
    if args.top is not None:
        top = int(_number_option("--top", args.top, {"en": "a whole number ≥ 1", "es": "un número entero ≥ 1"}, True))
    cutoff = DEFAULT_CUTOFF
    if args.cutoff is not None:
        cutoff = _number_option("--cutoff", args.cutoff, {"en": "a number from 0 to 10", "es": "un número de 0 a 10"})
    selection = select_accounts(load(args.workbook), cutoff, top, weights or None, args.period)
    if args.out is not None:
        write_table(selection.customers, args.out)
    lang = args.lang
    print(selection.summary(lang))
    changes = selection.changes()
    for status, heading in (("enters", {"es": "Entran", "en": "Enter"}), ("leaves", {"es": "Salen", "en": "Leave"})):
        rows = changes[changes["status"] == status]
        if rows.empty:
            print(f"{heading[lang]}: {'ninguno' if lang == 'es' else 'none'}")
            continue
        print(f"{heading[lang]} ({len(rows)}):")
        for row in rows.itertuples(index=False):
            drivers = getattr(row, f"drivers_{lang}")
            print(
                f"  {row.customer_id} {row.name}: {number_text(row.composite, lang, 1)}"
                + (f" ({drivers})" * bool(drivers))
            )
    if args.out is not None:
        print(args.out, file=sys.stderr)
    return 0


def _assign(args: argparse.Namespace) -> int:
    from kamlib.assignment import assign
    from kamlib.assignment.competences import check_competence_names, load_assignment_settings
    from kamlib.engagement import load
    from kamlib.fileio import atomic_paths, write_table
    from kamlib.scenarios.scenario import score_scenario

    targets = [path for path in (args.out, args.fit_out) if path is not None]
    for path in targets:
        _check_suffix(path, TABLE_SUFFIXES, "table")
    settings = load_assignment_settings(args.settings)
    engagement = load(args.workbook)
    check_competence_names(engagement, settings)
    result = assign(score_scenario(engagement, args.scenario), engagement.kams, engagement.competences, settings)
    tables = {args.out: result.plan, args.fit_out: result.fit_table}
    with atomic_paths(targets) as temps:  # the plan and the fits, or nothing
        for path, tmp in zip(targets, temps, strict=True):
            write_table(tables[path], tmp)
    if args.out is None:
        write_table(result.plan, sys.stdout)
    for message in [result.summary(args.lang), *result.findings(args.lang)]:
        print(message, file=sys.stderr)
    for path in targets:
        print(path, file=sys.stderr)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from kamlib.ledger.ingest import ingest, ingest_summary

    result, backup = ingest(
        args.ledger,
        args.workbook,
        args.map,
        args.period,
        args.query,
        wallet=args.wallet,
        new_accounts=not args.accounts_only,
        scores=not args.no_scores,
        wait=args.wait,
    )
    for line in ingest_summary(result, backup, args.lang, scores=not args.no_scores):
        print(line)
    print(args.workbook, file=sys.stderr)
    return 0


def _deck(args: argparse.Namespace) -> int:
    from kamlib.engagement import load
    from kamlib.publish.deck import write_deck

    out = write_deck(load(args.workbook), args.out, args.account, args.scenario, args.lang, args.period)
    print(out, file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    from kamlib.publish.reports import plan_reports, run_reports

    if args.jobs is not None and args.jobs < 1:
        raise KamError(f"--jobs {args.jobs}: allowed: 1 or more", f"--jobs {args.jobs}: se admite: 1 o más")
    jobs = plan_reports(args.workbook, args.out, args.account, args.scenario, args.lang, args.settings)
    run = run_reports(jobs, args.jobs, args.force, progress=sys.stderr.isatty())
    es = args.lang == "es"
    for job in run.written:
        print(job.html)
    if run.skipped:
        count = len(run.skipped)
        note = f"{count} sin cambios (--force los rehace)" if es else f"{count} unchanged (--force redoes them)"
        print(note, file=sys.stderr)
    for job, error in run.failed:
        what = job.key or ("cartera" if es else "portfolio")
        print(f"{'falló' if es else 'failed'}: {what}: {error}", file=sys.stderr)
    return 1 if run.failed else 0


def _serve(args: argparse.Namespace) -> int:
    from kamlib.assignment.competences import load_assignment_settings
    from kamlib.engagement import load
    from kamlib.publish.serve import serve, serve_target

    load(serve_target(args.target).workbook)  # bad input is reported here, in one clear message, not inside the app
    if args.settings is not None:
        load_assignment_settings(args.settings)
    return serve(args.target, args.port, args.host, args.token, args.lang, assignment=args.settings)


_COMMANDS = {
    "validate": _validate,
    "template": _template,
    "sample": _sample,
    "score": _score,
    "time": _time,
    "compare": _compare,
    "robustness": _robustness,
    "select": _select,
    "ingest": _ingest,
    "deck": _deck,
    "assign": _assign,
    "report": _report,
    "serve": _serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `kam` command line; return the exit code (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    lang = check_lang(args.lang or default_lang())
    args.lang = lang
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", KamWarning)
        try:
            code = _COMMANDS[args.command](args)
        except KamError as exc:
            print(exc.render(lang), file=sys.stderr)
            code = 2
        except BrokenPipeError:  # e.g. `kam score WB | head`: the reader has what it wanted
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            code = 0
        except OSError as exc:
            print(f"{exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
            code = 2
        except MemoryError:  # a last resort: the readers refuse files beyond their limits before this
            es = "no hay memoria suficiente para esta orden; nada se ha escrito a medias"
            print(
                es if lang == "es" else "not enough memory for this command; nothing was half-written", file=sys.stderr
            )
            code = 2
    said = dict.fromkeys(w.message.render(lang) for w in caught if isinstance(w.message, KamWarning))
    for message in said:  # a warning raised twice (e.g. by both scorings of kam compare) is said once
        print(("aviso: " if lang == "es" else "warning: ") + message, file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
