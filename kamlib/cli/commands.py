"""What each `kam` command does: parse its arguments further, call one kamlib function, print."""

from __future__ import annotations

import argparse
import errno
import math
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from kamlib.errors import KamError, KamWarning
from kamlib.i18n import number_text

TABLE_SUFFIXES = (".csv", ".xlsx")


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
    from kamlib.assignment import assign_engagement
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
    result = assign_engagement(engagement, score_scenario(engagement, args.scenario), settings)
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

    engagement = load(args.workbook)
    out = write_deck(engagement, args.out, args.account, args.scenario, args.given_lang, args.period, every=args.all)
    print(out, file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    from kamlib.publish.reports import plan_reports, run_reports
    from kamlib.publish.site import write_report_site

    if args.jobs is not None and args.jobs < 1:
        raise KamError(f"--jobs {args.jobs}: allowed: 1 or more", f"--jobs {args.jobs}: se admite: 1 o más")
    if args.level < 0:
        raise KamError(f"--level {args.level}: allowed: 0 or more", f"--level {args.level}: se admite: 0 o más")
    jobs = plan_reports(
        args.workbook, args.out, args.account, args.scenario, args.given_lang, args.settings, level=args.level
    )
    run = run_reports(jobs, args.jobs, args.force, progress=sys.stderr.isatty())
    site = write_report_site(jobs)
    es = args.lang == "es"
    for job in run.written:
        print(job.html)
    if site is not None:
        print(site)
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

    engagement = load(serve_target(args.target).workbook)  # bad input is reported here, in one clear message
    if args.settings is not None:
        load_assignment_settings(args.settings)
    lang = engagement.identity.lang(args.given_lang)  # read once here: serve need not load the workbook again
    if args.level < 0:
        raise KamError(f"--level {args.level}: allowed: 0 or more", f"--level {args.level}: se admite: 0 o más")
    return serve(args.target, args.port, args.host, args.token, lang, assignment=args.settings, level=args.level)


def _workshop(args: argparse.Namespace) -> int:
    from kamlib.engagement import load

    words = list(args.words)
    accepting = len(words) == 2 and str(words[0]) == "accept"
    if len(words) != 1 and not accepting:
        raise KamError(
            f"kam workshop {' '.join(map(str, words))}: allowed: kam workshop WB [options], or kam workshop accept WB "
            "--period P [--weights NAME]",
            f"kam workshop {' '.join(map(str, words))}: se admite: kam workshop LIBRO [opciones], o kam workshop "
            "accept LIBRO --period P [--weights NOMBRE]",
        )
    workbook = Path(words[-1])
    lang = load(workbook).identity.lang(args.given_lang)  # bad input is reported here, in one clear message
    if accepting:
        return _workshop_accept(args, workbook, lang)
    from kamlib.room.run import serve_workshop

    return serve_workshop(
        workbook,
        host=args.host,
        port=args.port or 0,
        participants=args.participants,
        seats=args.seats,
        anonymous=args.anonymous,
        lang=lang,
        resume=args.resume,
        share=_share(args.threshold),
    )


def _share(percent: float) -> float:
    if not math.isfinite(percent) or not 1 <= percent <= 100:
        raise KamError(
            f"--threshold {percent}: allowed: a percent of the scale from 1 to 100",
            f"--threshold {percent}: se admite: un porcentaje de la escala de 1 a 100",
        )
    return percent / 100


def _workshop_accept(args: argparse.Namespace, workbook: Path, lang: str) -> int:
    from kamlib.engagement import load
    from kamlib.workshop import WorkshopStore, accept_weights, workshop_path
    from kamlib.workshop.accept import accept_room

    if args.period is None and args.weights is None:
        raise KamError(
            "kam workshop accept: nothing to accept; allowed: --period P (the scores), --weights NAME (the weights), "
            "or both",
            "kam workshop accept: nada que aceptar; se admite: --period P (las puntuaciones), --weights NOMBRE (los "
            "pesos), o ambos",
        )
    from kamlib.room.run import lock_for

    try:
        lock = lock_for(workshop_path(workbook))
    except KamError:
        raise KamError(
            f"{workbook}: its workshop is being served; nothing was written; allowed: accept from the facilitator's "
            "screen (Rounds & accept), or stop kam workshop first",
            f"{workbook}: su taller está en marcha; no se ha escrito nada; se admite: aceptar desde la pantalla de "
            "quien facilita (Rondas y aceptar), o detener antes kam workshop",
        ) from None
    with lock, WorkshopStore.resume(workshop_path(workbook), workbook) as store:
        if args.period is not None:
            print(accept_room(workbook, store, args.period, args.weights, args.round).text(lang))
        else:
            saved = accept_weights(load(workbook), store, args.weights, args.round)
            print(
                f"pesos del grupo guardados como el escenario: {saved}"
                if lang == "es"
                else f"the group's weights saved as the scenario: {saved}"
            )
    return 0


_OS_ERRORS_ES = {
    errno.ENOENT: "no existe ese archivo ni carpeta",
    errno.EACCES: "permiso denegado",
    errno.EPERM: "operación no permitida",
    errno.EISDIR: "es una carpeta",
    errno.ENOTDIR: "una parte de la ruta no es una carpeta",
    errno.EEXIST: "ya existe",
    errno.ENOSPC: "no queda espacio en el disco",
    errno.EROFS: "el sistema de archivos es de solo lectura",
    errno.ENAMETOOLONG: "el nombre es demasiado largo",
}
"""The operating system's commonest file errors in Spanish (Python gives their text in English)."""


def os_error_text(exc: OSError, lang: str) -> str:
    """An operating system error as one line: the file, and what went wrong in `lang` where it is a common one."""
    said = _OS_ERRORS_ES.get(exc.errno) if lang == "es" else None
    return f"{exc.filename or ''}: {said or exc.strerror or exc}"


COMMANDS = {
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
    "workshop": _workshop,
}
