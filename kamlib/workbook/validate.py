"""Validate a raw workbook against the contract in `sheets.py`: every problem at once, or the clean sheets.

Two passes, every problem collected before anything is raised:
1. per sheet, pandera's lazy validation of the rules a single column can check
   (filled cells, numbers, minimums, allowed values, unique ids);
2. across sheets, the rules that need two of them (ids that must exist elsewhere,
   scores within their criterion's scale, an axis with some weight).

The scoring guide's scores lie within their criterion's scale too, and `kamlib.workbook.guide` adds its own two
rules (one row per criterion and score, a text in each row).

The key-account selection's sheets follow the same rules: `selection_scores` names a criterion
of `selection_criteria`, or when that sheet is absent or empty one of the five defaults of
`kamlib.method.SELECTION_CRITERIA` (scale 1–10), and its scores lie within that criterion's scale.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.errors import KamWarning, Problem, WorkbookError, list_known
from kamlib.method import AXES, SELECTION_CRITERIA, SELECTION_SCALE
from kamlib.periods import period_key
from kamlib.workbook.cells import (
    DATE_YEARS,
    invisible_character,
    name_key,
    normalise_choice,
    parse_bools,
    parse_dates,
    parse_numbers,
    to_text,
    without_direction_marks,
)
from kamlib.workbook.guide import guide_problems
from kamlib.workbook.identity import identity_problems
from kamlib.workbook.read import RawWorkbook, uncalculated_formulas
from kamlib.workbook.segments import Segments, account_segments, build_segments, segment_key, split_criteria
from kamlib.workbook.sheets import CHOICE_ALIASES, SHEETS, SHEETS_BY_NAME, TIME, TIME_AMOUNTS, Column, Sheet

_TEXT_KINDS = ("id", "ref", "text", "period", "date")
_KEY_KINDS = ("id", "ref", "period")
"""Texts that name something: an invisible character in one is refused, not removed (it would read as another)."""
_WHAT_OF_SHEET = {
    "accounts": "account",
    "criteria": "criterion",
    "kams": "kam",
    "customers": "customer",
    "selection_criteria": "criterion",
}
_BLOCKING = ("not_found", "empty_file", "not_a_workbook", "xlsx")


def allowed_text(col: Column) -> dict[str, str]:
    """Describe in both languages what a column's cells may hold."""
    if col.kind == "number":
        if col.minimum is not None and col.maximum is not None:
            low, high = f"{col.minimum:g}", f"{col.maximum:g}"
            return {
                "en": f"a number from {low} to {high} (decimal comma or point)",
                "es": f"un número de {low} a {high} (coma o punto decimal)",
            }
        if col.minimum is not None:
            low = f"{col.minimum:g}"
            return {
                "en": f"a number ≥ {low} (decimal comma or point)",
                "es": f"un número ≥ {low} (coma o punto decimal)",
            }
        return {"en": "a number (decimal comma or point)", "es": "un número (coma o punto decimal)"}
    if col.kind == "bool":
        return {"en": "true or false (yes/no, sí/no, 1/0)", "es": "verdadero o falso (sí/no, true/false, 1/0)"}
    if col.kind == "date":
        return {
            "en": f"a date from {DATE_YEARS[0]} to {DATE_YEARS[1]}: a date cell, or YYYY-MM-DD such as 2026-03-15",
            "es": f"una fecha de {DATE_YEARS[0]} a {DATE_YEARS[1]}: una celda de fecha, o AAAA-MM-DD como 2026-03-15",
        }
    if col.kind == "choice":
        spanish = {}  # the first Spanish spelling accepted for each choice, shown beside it in Spanish
        for alias, choice in CHOICE_ALIASES.get(col.name, {}).items():
            if alias != choice:
                spanish.setdefault(choice, alias.replace("_", " "))
        shown = [f"{c} ({spanish[c]})" if c in spanish else c for c in col.choices]
        return {"en": ", ".join(col.choices), "es": ", ".join(shown)}
    if col.kind == "ref" and col.ref:
        sheet, key = col.ref
        return {
            "en": f"an id from sheet {sheet} (column {key})",
            "es": f"un identificador de la hoja {sheet} (columna {key})",
        }
    if col.kind == "id":
        return {"en": "a unique id (text)", "es": "un identificador único (texto)"}
    return {"en": "any text", "es": "cualquier texto"}


def _pandera_schema(sheet: Sheet, present: list[str], decimal_comma: bool | None):
    import pandera.pandas as pa

    def numbers(s: pd.Series) -> pd.Series:
        return parse_numbers(s, decimal_comma)

    columns = {}
    for col in sheet.columns:
        if col.name not in present:
            continue
        checks = []
        if col.kind == "number":
            checks.append(pa.Check(lambda s: s.isna() | numbers(s).notna(), name="number"))
            if col.minimum is not None:
                low = col.minimum
                checks.append(pa.Check(lambda s, low=low: ~(numbers(s) < low), name="minimum"))
            if col.maximum is not None:
                high = col.maximum
                checks.append(pa.Check(lambda s, high=high: ~(numbers(s) > high), name="maximum"))
        elif col.kind == "bool":
            checks.append(pa.Check(lambda s: parse_bools(s, True).notna(), name="bool"))
        elif col.kind == "date":
            checks.append(pa.Check(lambda s: s.isna() | parse_dates(s).notna(), name="date"))
        elif col.kind == "choice":
            aliases = CHOICE_ALIASES.get(col.name)
            checks.append(
                pa.Check(
                    lambda s, c=col.choices, a=aliases: s.isna() | normalise_choice(s, c, a).notna(), name="choice"
                )
            )
        scoped = col.name == sheet.key and sheet.key_scope in present  # unique per scope: `_scoped_key_problems`
        columns[col.name] = pa.Column(
            None,
            nullable=not col.filled,
            unique=col.kind == "id" and not scoped,
            report_duplicates="exclude_first",
            checks=checks,
            required=False,
        )
    return pa.DataFrameSchema(columns, strict=False)


def _sheet_problems(sheet: Sheet, frame: pd.DataFrame, file: str, decimal_comma: bool | None) -> list[Problem]:
    """Run pandera on one sheet and turn each failure case into a Problem."""
    import pandera.pandas as pa

    try:
        _pandera_schema(sheet, list(frame.columns), decimal_comma).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            continue
        col = sheet.column(case.column)
        row = int(case.index)
        value = frame.at[row, col.name]
        if case.check == "not_nullable":
            problems.append(
                Problem("empty_cell", file, sheet.name, row, col.name, params={"allowed": allowed_text(col)})
            )
        elif case.check == "field_uniqueness":
            first = int(frame.index[(frame[col.name] == value).to_numpy()][0])
            problems.append(Problem("duplicate_id", file, sheet.name, row, col.name, value, {"first_row": first}))
        else:
            if case.check in ("minimum", "maximum"):  # show the number read, not the text it was typed as
                value = parse_numbers(pd.Series([value], dtype=object), decimal_comma).iloc[0]
            problems.append(
                Problem("bad_value", file, sheet.name, row, col.name, value, {"allowed": allowed_text(col)})
            )
    return problems


def _scoped_key_problems(sheet: Sheet, frame: pd.DataFrame, file: str) -> list[Problem]:
    """A key repeated within its scope (a criterion_id twice for one segment, or twice without one)."""
    scope = segment_key(frame[sheet.key_scope])
    keyed = pd.Series(list(zip(scope, frame[sheet.key], strict=True)), index=frame.index)[frame[sheet.key].notna()]
    firsts = keyed[~keyed.duplicated()]
    lookup = dict(zip(firsts.to_numpy(), firsts.index, strict=True))
    first = pd.Series([lookup[key] for key in keyed], index=keyed.index, dtype=object)
    return [
        Problem(
            "duplicate_in_segment",
            file,
            sheet.name,
            int(row),
            sheet.key,
            frame.at[row, sheet.key],
            {"first_row": int(first[row]), "segment": _segment_words(frame.at[row, sheet.key_scope])},
        )
        for row in keyed.index[keyed.duplicated()]
    ]


def _segment_words(segment: object) -> dict[str, str]:
    """A segment as messages name it: "segment 'Retail'", or the default rows."""
    if segment is None or segment_key(pd.Series([segment])).iloc[0] == "":
        return {"en": "the default rows (no segment)", "es": "las filas generales (sin segmento)"}
    return {"en": f"segment {str(segment).strip()!r}", "es": f"el segmento {str(segment).strip()!r}"}


def _invisible_problems(sheet: Sheet, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Ids, references and periods holding an invisible formatting character (a direction mark, a zero-width
    space): each shows as another text than it is."""
    problems = []
    for col in sheet.columns:
        if col.kind not in _KEY_KINDS or col.name not in frame.columns:
            continue
        hidden = {v: invisible_character(v) for v in pd.unique(frame[col.name].dropna())}
        hidden = {v: c for v, c in hidden.items() if c is not None}
        for row, value in frame[col.name][frame[col.name].isin(list(hidden))].items():
            params = {"character": hidden[value], "allowed": allowed_text(col)}
            problems.append(Problem("invisible_character", file, sheet.name, int(row), col.name, value, params))
    return problems


def _typed(sheet: Sheet, frame: pd.DataFrame, decimal_comma: bool | None) -> pd.DataFrame:
    """Return the sheet with each column of the contract in its type, defaults filled in, extra columns kept."""
    out = frame.copy()
    for col in sheet.columns:
        if col.name not in out.columns:
            out[col.name] = pd.Series(col.default, index=out.index, dtype=object)
        cells = out[col.name]
        if col.kind == "number":
            numbers = parse_numbers(cells, decimal_comma)  # as validated: "690.287" in a ";" file is 690287
            out[col.name] = numbers.fillna(col.default) if col.default is not None else numbers
        elif col.kind == "bool":
            default = bool(col.default)
            out[col.name] = pd.Series(
                [default if v is None else v for v in parse_bools(cells, default)], index=out.index, dtype=bool
            )
        elif col.kind == "date":
            out[col.name] = parse_dates(cells)
        elif col.kind == "choice":
            chosen = normalise_choice(cells, col.choices, CHOICE_ALIASES.get(col.name))
            out[col.name] = chosen if col.default is None else chosen.fillna(col.default)
    return out


def _present_sheets(raw: RawWorkbook, problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """Check sheets and columns exist, normalise text columns, and run the per-sheet rules."""
    frames: dict[str, pd.DataFrame] = {}
    required = ", ".join(s.name for s in SHEETS if s.required)
    for sheet in SHEETS:
        if sheet.name in raw.unreadable:  # a problem says why; what was read of it would only mislead
            continue
        file = raw.file_of(sheet.name)
        frame = raw.sheets.get(sheet.name)
        if frame is None and sheet.required:
            problems.append(Problem("missing_sheet", file, params={"sheet_name": sheet.name, "sheets": required}))
            continue
        if frame is None or (frame.empty and len(frame.columns) == 0):  # absent optional, blank sheet, empty CSV
            frame = pd.DataFrame({c.name: pd.Series([], dtype=object) for c in sheet.columns})
            frame.index = pd.Index([], dtype="int64", name="row")
        decimal_comma = True if sheet.name in raw.decimal_comma else None
        needed = [c.name for c in sheet.columns if c.required]
        missing = [c for c in needed if c not in frame.columns]
        for name in missing:
            problems.append(
                Problem("missing_column", file, sheet.name, params={"column_name": name, "columns": ", ".join(needed)})
            )
        if sheet is TIME and not any(c in frame.columns for c in TIME_AMOUNTS):
            missing.append("hours")
            problems.append(
                Problem(
                    "missing_column",
                    file,
                    sheet.name,
                    params={"column_name": "hours", "columns": ", ".join([*needed, " | ".join(TIME_AMOUNTS)])},
                )
            )
        if missing:
            continue
        frame = frame.copy()
        for col in sheet.columns:
            if col.name in frame.columns and col.kind in _TEXT_KINDS:
                frame[col.name] = to_text(frame[col.name])
        problems.extend(_invisible_problems(sheet, frame, file))
        keys = {c.name for c in sheet.columns if c.kind in _KEY_KINDS}
        for name in frame.columns.difference(list(keys)):
            frame[name] = without_direction_marks(frame[name])
        problems.extend(_sheet_problems(sheet, frame, file, decimal_comma))
        if sheet.key and sheet.key_scope in frame.columns:
            problems.extend(_scoped_key_problems(sheet, frame, file))
        if len(frame) < sheet.min_rows:
            problems.append(
                Problem("too_few_rows", file, sheet.name, params={"count": len(frame), "minimum": sheet.min_rows})
            )
        frames[sheet.name] = _typed(sheet, frame, decimal_comma)
    return frames


def _selection_criteria(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The selection criteria scores refer to: the sheet's, or the method's (ids and scale) when it has no rows."""
    sheet = frames.get("selection_criteria")
    if sheet is not None and not sheet.empty:
        return sheet
    low, high = SELECTION_SCALE
    return pd.DataFrame({"criterion_id": [c[0] for c in SELECTION_CRITERIA], "scale_min": low, "scale_max": high})


def _reference_problems(frames: dict[str, pd.DataFrame], raw: RawWorkbook) -> list[Problem]:
    """Ids that must exist in another sheet (selection criteria: the defaults when that sheet has no rows)."""
    problems = []
    for sheet in SHEETS:
        frame = frames.get(sheet.name)
        if frame is None:
            continue
        for col in sheet.columns:
            if col.kind != "ref" or col.ref is None or col.ref[0] not in frames:
                continue
            target_sheet, target_col = col.ref
            if (
                target_sheet not in raw.sheets
                and target_sheet != "selection_criteria"
                and frame[col.name].notna().any()
            ):
                needed = SHEETS_BY_NAME[target_sheet]  # an optional sheet left out: said once, not once per row
                columns = ", ".join(c.name for c in needed.columns if c.required)
                problems.append(
                    Problem(
                        "sheet_needed",
                        raw.file_of(sheet.name),
                        sheet.name,
                        column=col.name,
                        params={"needed": target_sheet, "columns": columns},
                    )
                )
                continue
            target = _selection_criteria(frames) if target_sheet == "selection_criteria" else frames[target_sheet]
            known = pd.unique(target[target_col].dropna())
            cells = frame[col.name]
            unknown = cells.notna() & ~cells.isin(known)
            for row, value in cells[unknown].items():
                problems.append(
                    Problem(
                        "unknown_id",
                        raw.file_of(sheet.name),
                        sheet.name,
                        int(row),
                        col.name,
                        value,
                        {"what": _WHAT_OF_SHEET[target_sheet], "known": list_known(known)},
                    )
                )
    return problems


def _scale_problems(criteria: pd.DataFrame, file: str, sheet: str) -> list[Problem]:
    """Each criterion's scale_min below its scale_max (sheet `criteria` or `selection_criteria`)."""
    bad_scale = criteria["scale_min"] >= criteria["scale_max"]
    return [
        Problem(
            "scale_order",
            file,
            sheet,
            int(row),
            "scale_min",
            params={"low": f"{c.scale_min:g}", "high": f"{c.scale_max:g}"},
        )
        for row, c in criteria[bad_scale].iterrows()
    ]


def _criteria_problems(criteria: pd.DataFrame, file: str) -> list[Problem]:
    """Scales in the right order and some weight on each axis (per segment with segment rows: `_segment_problems`)."""
    problems = _scale_problems(criteria, file, "criteria")
    if (segment_key(criteria["segment"]) != "").any():
        return problems
    for axis in AXES:
        weights = criteria.loc[criteria["axis"] == axis, "weight"]
        if not (weights > 0).any() and criteria["axis"].notna().all() and criteria["weight"].notna().all():
            problems.append(Problem("axis_without_weight", file, "criteria", column="weight", params={"axis": axis}))
    return problems


def _score_problems(
    scores: pd.DataFrame, criteria: pd.DataFrame, file: str, sheet: str = "scores", groups: _Groups | None = None
) -> list[Problem]:
    """Scores outside their criterion's scale (sheet `scores` or `scoring_guide`, or `selection_scores` against its
    criteria); with `groups` (criteria per segment) each account's on its segment's scale."""
    if groups is not None:
        joined = pd.concat([scores[["criterion_id", "score"]], groups.cells(scores)], axis=1)
    else:
        sound = criteria[criteria["scale_min"] < criteria["scale_max"]]  # a broken scale is reported once, with it
        scale = sound.drop_duplicates("criterion_id").set_index("criterion_id")[["scale_min", "scale_max"]]
        joined = scores[["criterion_id", "score"]].join(scale, on="criterion_id")
    outside = joined["score"].notna() & (
        (joined["score"] < joined["scale_min"]) | (joined["score"] > joined["scale_max"])
    )
    return [
        Problem(
            "outside_scale",
            file,
            sheet,
            int(row),
            "score",
            r.score,
            {"low": f"{r.scale_min:g}", "high": f"{r.scale_max:g}", "criterion": r.criterion_id},
        )
        for row, r in joined[outside].iterrows()
    ]


@dataclass(frozen=True)
class _Groups:
    """Criteria per segment while validating: the groups of a workbook whose criteria sheet is sound."""

    segments: Segments
    ids: pd.Index
    """The catalogue's criterion ids (the columns of `segments`' arrays)."""
    account_group: pd.Series
    """Each account id's group."""
    accounts: pd.Series
    """Each account id's segment as written (`account_segments`)."""

    def cells(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Per row (with account_id and criterion_id): its group, whether the criterion applies there, and the
        scale (NaN where the account or criterion is unknown, the criterion does not apply, or its scale is
        broken: each is reported by its own rule)."""
        group = rows["account_id"].map(self.account_group).fillna(-1).to_numpy(dtype=np.int64)
        column = self.ids.get_indexer(rows["criterion_id"])
        known = (group >= 0) & (column >= 0)
        g, c = np.where(known, group, 0), np.where(known, column, 0)
        applies = known & self.segments.applies[g, c]
        low, high = self.segments.scale_min[g, c], self.segments.scale_max[g, c]
        sound = applies & (low < high)
        return pd.DataFrame(
            {
                "group": np.where(known, group, -1),
                "applies": applies | ~known,
                "scale_min": np.where(sound, low, np.nan),
                "scale_max": np.where(sound, high, np.nan),
            },
            index=rows.index,
        )


def _groups(frames: dict[str, pd.DataFrame], problems: list[Problem]) -> _Groups | None:
    """The criteria's segment groups, when sheet criteria has segment rows and nothing else wrong (else None: its
    problems come first)."""
    criteria, accounts = frames.get("criteria"), frames.get("accounts")
    if criteria is None or accounts is None or not (segment_key(criteria["segment"]) != "").any():
        return None
    if any(p.sheet == "criteria" for p in problems):
        return None
    catalogue, segment_rows = split_criteria(criteria)
    built = build_segments(criteria.iloc[catalogue], criteria.iloc[segment_rows], accounts)
    first = ~accounts["account_id"].duplicated() & accounts["account_id"].notna()
    ids = accounts.loc[first, "account_id"]
    return _Groups(
        built,
        pd.Index(criteria.iloc[catalogue]["criterion_id"]),
        pd.Series(built.codes[first.to_numpy()], index=ids.to_numpy()),
        pd.Series(account_segments(accounts)[first].to_numpy(), index=ids.to_numpy()),
    )


def _segment_axis_problems(criteria: pd.DataFrame, file: str) -> list[Problem]:
    """A segment row on another axis than its criterion's row in the catalogue (`split_criteria`)."""
    catalogue, segment_rows = split_criteria(criteria)
    first = criteria.iloc[catalogue].drop_duplicates("criterion_id").set_index("criterion_id")
    rows = criteria.iloc[segment_rows]
    axis = rows["criterion_id"].map(first["axis"])
    at = rows["criterion_id"].map(pd.Series(criteria.index[catalogue], index=criteria.iloc[catalogue]["criterion_id"]))
    moved = rows["axis"].notna() & axis.notna() & (rows["axis"] != axis)
    return [
        Problem(
            "segment_axis",
            file,
            "criteria",
            int(row),
            "axis",
            rows.at[row, "axis"],
            {"axis": axis[row], "criterion": rows.at[row, "criterion_id"], "first_row": int(at[row])},
        )
        for row in rows.index[moved]
    ]


def _segment_problems(frames: dict[str, pd.DataFrame], groups: _Groups, raw: RawWorkbook) -> list[Problem]:
    """With criteria per segment: every group with accounts has weight on both axes, and each account's scores
    (ours, the customer's, forecasts) name criteria of its segment."""
    problems = []
    segments = groups.segments
    axis = frames["criteria"].iloc[split_criteria(frames["criteria"])[0]]["axis"].to_numpy()
    for group in np.unique(segments.codes):
        members = groups.account_group.index[groups.account_group.to_numpy() == group]
        for name in AXES:
            if not (segments.weight[group, (axis == name) & segments.applies[group]] > 0).any():
                where = _segment_words(segments.names[group]) if group else {
                    "en": "no segment with rows of its own", "es": "ningún segmento con filas propias"}  # fmt: skip
                params = {"segment": where, "accounts": list_known(members, 5), "axis": name}
                problems.append(Problem("segment_without_axis", raw.file_of("criteria"), "criteria", params=params))
    for sheet in ("scores", "forecasts"):
        rows = frames.get(sheet)
        if rows is None or not len(rows):
            continue
        rows = rows[rows["criterion_id"].notna() & (rows["score"].notna() if sheet == "scores" else True)]
        cells = groups.cells(rows)  # an empty score is no score: its criterion does not matter
        for row in rows.index[~cells["applies"]]:
            group = int(cells.at[row, "group"])
            account = rows.at[row, "account_id"]
            params = {
                "account": account,
                "segment": repr(groups.accounts[account]) if groups.accounts[account] else "—",
                "known": list_known(groups.ids[segments.applies[group]]),
            }
            problems.append(
                Problem(
                    "not_in_segment",
                    raw.file_of(sheet),
                    sheet,
                    int(row),
                    "criterion_id",
                    rows.at[row, "criterion_id"],
                    params,
                )
            )
    return problems


def _warn_unknown_segments(accounts: pd.DataFrame, groups: _Groups | None, accounts_file: str, shown: int = 6) -> None:
    """Say which accounts name in their `segment` cell a segment sheet criteria has no rows for: the default rows
    score them, which a misspelt segment would otherwise hide (values shown escaped: an invisible character shows)."""
    written = accounts["segment"]
    if written.isna().all():
        return
    known = set(groups.segments.keys) if groups is not None else {""}
    keys = segment_key(written)
    odd = accounts.loc[(keys != "") & ~keys.isin(known), ["account_id", "segment"]]
    if odd.empty:
        return
    listed = ", ".join(f"{a} ({v!r})" for a, v in odd.head(shown).itertuples(index=False, name=None))
    listed += f" (+{len(odd) - shown})" if len(odd) > shown else ""
    segments = list_known([n for n in groups.segments.names if n]) if groups is not None else ""
    has = {"en": f"its segments: {segments}", "es": f"sus segmentos: {segments}"} if segments else {
        "en": "it has no segment rows", "es": "no tiene filas de segmento"}  # fmt: skip
    warnings.warn(
        KamWarning(
            f"{accounts_file}: the segment of {listed} has no rows in sheet criteria ({has['en']}): the default "
            "criteria score them",
            f"{accounts_file}: el segmento de {listed} no tiene filas en la hoja criteria ({has['es']}): los "
            "criterios generales las puntúan",
        ),
        stacklevel=3,
    )


def _warn_unused_segments(groups: _Groups, criteria_file: str) -> None:
    """Say which segments of sheet criteria no account belongs to: their rows score nobody (a misspelt segment?)."""
    used = set(groups.segments.codes.tolist())
    unused = [name for group, name in enumerate(groups.segments.names) if group and group not in used]
    if unused:
        known = list_known(sorted({s for s in groups.accounts if s}))
        warnings.warn(
            KamWarning(
                f"{criteria_file}: no account belongs to segment {', '.join(map(repr, unused))} of sheet criteria, so "
                f"its rows score nobody; the accounts' segments (column segment, else sector): {known}",
                f"{criteria_file}: ninguna cuenta pertenece al segmento {', '.join(map(repr, unused))} de la hoja "
                f"criteria, así que sus filas no puntúan a nadie; segmentos de las cuentas (columna segment, si no "
                f"sector): {known}",
            ),
            stacklevel=3,
        )


def _side_problems(scores: pd.DataFrame, criteria: pd.DataFrame, file: str) -> list[Problem]:
    """A customer's score on a criterion of business potential: the customer rates our position, nothing else."""
    axis = criteria.drop_duplicates("criterion_id").set_index("criterion_id")["axis"]
    theirs = scores[(scores["side"] == "customer") & (scores["criterion_id"].map(axis) == "potential")]
    allowed = {
        "en": "supplier: the customer (side customer) scores only criteria of our position (axis position), and "
        "criterion {criterion} is of business potential",
        "es": "supplier (proveedor): el cliente (side customer) solo puntúa criterios de nuestra posición (eje "
        "position), y el criterio {criterion} es de potencial de negocio",
    }
    return [
        Problem(
            "bad_value",
            file,
            "scores",
            int(row),
            "side",
            "customer",
            {"allowed": {lang: text.format(criterion=criterion) for lang, text in allowed.items()}},
        )
        for row, criterion in theirs["criterion_id"].items()
    ]


_FORECAST_ALLOWED = {
    "score": {
        "en": "the criterion's forecast score, within its scale",
        "es": "la puntuación pronosticada del criterio, dentro de su escala",
    },
    "criterion": {
        "en": "a criterion of sheet criteria with its score, or potential and/or position (0–10) in a row of their own",
        "es": "un criterio de la hoja criteria con su puntuación, o potential y/o position (0–10) en una fila propia",
    },
    "alone": {
        "en": "empty: this row forecasts a criterion; give the composites in a row of their own",
        "es": "vacía: esta fila pronostica un criterio; dé los valores compuestos en una fila propia",
    },
    "no_score": {
        "en": "empty: a score needs its criterion_id beside it",
        "es": "vacía: una puntuación necesita su criterion_id al lado",
    },
}


_LOOP_SHOWN = 6
"""The most accounts of a loop a message names."""


def _loops(parents: Mapping[object, object]) -> dict[object, tuple[list[object], int]]:
    """Each account on a loop of parents, with its loop (shared by its members) and where it stands in it; each
    account is walked once, so a chain of any length costs its length."""
    state: dict[object, int] = {}  # 1 on the current walk, 2 done
    found: dict[object, tuple[list[object], int]] = {}
    for start in parents:
        path: list[object] = []
        node = start
        while node in parents and node not in state:
            state[node] = 1
            path.append(node)
            node = parents[node]
        if node in parents and state.get(node) == 1:  # the walk came back to itself: a loop from `node`
            loop = path[path.index(node) :]
            for i, member in enumerate(loop):
                found[member] = (loop, i)
        for member in path:
            state[member] = 2
    return found


def _cycle_problems(accounts: pd.DataFrame, file: str) -> list[Problem]:
    """Accounts whose chain of parents comes back to them (`A1 → A2 → A1`): each account in a loop, once."""
    parents = {a: p for a, p in zip(accounts["account_id"], accounts["parent_id"], strict=True) if a is not None}
    loops = _loops({a: p for a, p in parents.items() if p is not None})
    problems = []
    for row, account in accounts["account_id"].items():
        if account in loops:
            members, at = loops[account]
            shown = [members[(at + k) % len(members)] for k in range(min(len(members), _LOOP_SHOWN))]
            tail = [] if len(members) <= _LOOP_SHOWN else [f"… (+{len(members) - _LOOP_SHOWN})"]
            loop = " → ".join(map(str, [*shown, *tail, account]))
            allowed = {
                "en": f"an account it does not belong to itself: {loop} loops; empty for a top account",
                "es": f"una cuenta de la que no forme parte ella misma: {loop} da la vuelta; vacía para una cuenta de "
                "primer nivel",
            }
            params = {"allowed": allowed}
            problems.append(Problem("bad_value", file, "accounts", int(row), "parent_id", parents[account], params))
    depths = _depths({a: p for a, p in parents.items() if a not in loops})
    for row, account in accounts["account_id"].items():
        if depths.get(account) == MAX_DEPTH + 1:  # the first account below the deepest level allowed, per branch
            allowed = {
                "en": f"a parent at most {MAX_DEPTH} levels below a top account",
                "es": f"una cuenta a lo sumo {MAX_DEPTH} niveles por debajo de una de primer nivel",
            }
            problems.append(
                Problem("bad_value", file, "accounts", int(row), "parent_id", parents[account], {"allowed": allowed})
            )
    return problems


MAX_DEPTH = 100
"""The deepest level of an account hierarchy (0 = a top account): any real group is far shallower."""


def _depths(parents: Mapping[object, object]) -> dict[object, int]:
    """Each account's depth below its top account (no loops: `_loops` has taken them out), each walked once."""
    depth: dict[object, int] = {}
    for start in parents:
        path, node = [], start
        while node in parents and node not in depth:
            path.append(node)
            node = parents[node]
        base = depth.get(node, -1) if node in parents else -1
        for member in reversed(path):
            base += 1
            depth[member] = base
    return depth


def _forecast_problems(
    forecasts: pd.DataFrame,
    criteria: pd.DataFrame,
    file: str,
    groups: _Groups | None = None,
    scales_known: bool = True,
) -> list[Problem]:
    """Each row of `forecasts` forecasts one criterion (criterion_id and score, within its scale) or the composites
    (potential and/or position), not both nor neither; and says it once per account, horizon and case."""
    problems = []
    named = forecasts["criterion_id"].notna()
    composite = forecasts[["potential", "position"]].notna()
    for row in forecasts.index[named & forecasts["score"].isna()]:
        problems.append(
            Problem("empty_cell", file, "forecasts", int(row), "score", params={"allowed": _FORECAST_ALLOWED["score"]})
        )
    for axis in ("potential", "position"):
        for row in forecasts.index[named & composite[axis]]:
            value = forecasts.at[row, axis]
            params = {"allowed": _FORECAST_ALLOWED["alone"]}
            problems.append(Problem("bad_value", file, "forecasts", int(row), axis, value, params))
    unnamed = ~named & ~composite.any(axis=1)
    for row in forecasts.index[unnamed & forecasts["score"].notna()]:
        value = forecasts.at[row, "score"]
        problems.append(
            Problem(
                "bad_value", file, "forecasts", int(row), "score", value, {"allowed": _FORECAST_ALLOWED["no_score"]}
            )
        )
    for row in forecasts.index[unnamed & forecasts["score"].isna()]:
        params = {"allowed": _FORECAST_ALLOWED["criterion"]}
        problems.append(Problem("empty_cell", file, "forecasts", int(row), "criterion_id", params=params))
    if scales_known:
        problems.extend(_score_problems(forecasts[named], criteria, file, "forecasts", groups))
    problems.extend(_mixed_forecast_problems(forecasts, criteria, file))
    seen: dict[tuple, int] = {}
    for row, r in forecasts.iterrows():
        if r["account_id"] is None or r["horizon"] is None:
            continue
        what = [r["criterion_id"]] if named[row] else [a for a in ("potential", "position") if composite.at[row, a]]
        for item in what:
            key = (r["account_id"], repr(period_key(str(r["horizon"]))), r["case"], item)
            if key in seen:
                params = {"account": r["account_id"], "period": r["horizon"], "case": r["case"], "item": item,
                          "first_row": seen[key]}  # fmt: skip
                problems.append(
                    Problem("duplicate_forecast", file, "forecasts", int(row), "horizon", r["horizon"], params)
                )
            seen.setdefault(key, int(row))
    return problems


def _mixed_forecast_problems(forecasts: pd.DataFrame, criteria: pd.DataFrame, file: str) -> list[Problem]:
    """A composite forecast beside criterion forecasts of the same axis, account, horizon and case: the composite
    would silently override them, so the one or the other is allowed."""
    axis = criteria.drop_duplicates("criterion_id").set_index("criterion_id")["axis"]
    key = [forecasts[c].astype(str) for c in ("account_id", "horizon", "case")]
    problems = []
    for name in ("potential", "position"):
        by_criteria = forecasts["criterion_id"].map(axis) == name
        keyed = pd.Series(list(zip(*key, strict=True)), index=forecasts.index)
        first = keyed[by_criteria].groupby(keyed[by_criteria]).apply(lambda rows: int(rows.index[0]))
        beside = forecasts[name].notna() & forecasts["criterion_id"].isna() & keyed.isin(first.index)
        for row in forecasts.index[beside]:
            allowed = {
                "en": f"empty: row {first[keyed[row]]} forecasts a criterion of {name} for the same account, horizon "
                "and case; forecast the criteria or the composite, not both",
                "es": f"vacía: la fila {first[keyed[row]]} pronostica un criterio de {name} para la misma cuenta, "
                "horizonte y caso; pronostique los criterios o el valor compuesto, no ambos",
            }
            problems.append(
                Problem("bad_value", file, "forecasts", int(row), name, forecasts.at[row, name], {"allowed": allowed})
            )
    return problems


def _time_problems(time: pd.DataFrame, file: str, columns: set[str]) -> list[Problem]:
    """A time sheet states hours in every row, or (a survey) percent in every row and no hours nor accounts.

    Which of the two it is: the one column the sheet has, or with both, the one filled in more rows
    (so a few stray cells are reported as such, not every cell of the other column).
    """
    if "hours" not in columns or "percent" not in columns:
        survey = "hours" not in columns
    else:
        survey = int(time["percent"].notna().sum()) > int(time["hours"].notna().sum())
    amount, other = ("percent", "hours") if survey else ("hours", "percent")
    amount_col = TIME.column(amount)
    problems = [
        Problem("empty_cell", file, "time", int(row), amount, params={"allowed": allowed_text(amount_col)})
        for row in time.index[time[amount].isna()]
    ]
    empty_only = {
        "en": f"an empty cell: this sheet states {amount} (column {amount}), so {{}} stays empty",
        "es": f"una celda vacía: esta hoja da {'porcentajes' if survey else 'horas'} (columna {amount}), así que "
        "{} queda vacía",
    }
    stray = [other, "account_id"] if survey else [other]
    for column in stray:
        allowed = {lang: text.format(column) for lang, text in empty_only.items()}
        problems.extend(
            Problem("bad_value", file, "time", int(row), column, time.at[row, column], {"allowed": allowed})
            for row in time.index[time[column].notna()]
        )
    return problems


_REPEATS = {
    "kpis": ("duplicate_kpi", ("account_id", "kpi", "period"), "kpi"),
    "ledger_metrics": ("duplicate_ledger_row", ("account_id", "period"), "account_id"),
    "whitespace": ("duplicate_whitespace", ("account_id", "period", "family"), "family"),
}
"""Sheets with one row per key: the problem kind, the key's columns and the column a repeat is reported in."""


def _repeat_problems(frame: pd.DataFrame, file: str, sheet: str) -> list[Problem]:
    """A row repeating an earlier row's key (names compared by `name_key`, periods by `period_key`)."""
    kind, key, column = _REPEATS[sheet]
    if frame.empty or frame[list(key)].isna().any(axis=None):
        return []  # an empty required cell is reported as such
    keys = pd.DataFrame(
        {
            name: [repr(period_key(str(v))) for v in frame[name]]
            if name == "period"
            else [name_key(v) if name != "account_id" else v for v in frame[name]]
            for name in key
        },
        index=frame.index,
    )
    first = keys.assign(row=keys.index).groupby(list(key), sort=False)["row"].transform("min")
    return [
        Problem(
            kind,
            file,
            sheet,
            int(row),
            column,
            frame.at[row, column],
            {"account": frame.at[row, "account_id"], "period": frame.at[row, "period"], "first_row": int(first[row])},
        )
        for row in keys.index[keys.duplicated(keep="first")]
    ]


def _explain_formulas(problems: list[Problem], raw: RawWorkbook) -> list[Problem]:
    """Say "formula without a value" instead of "empty cell" where an .xlsx cell holds an uncalculated formula."""
    empty = [p for p in problems if p.kind == "empty_cell"]
    if not empty or raw.source is None or raw.source.suffix.lower() not in (".xlsx", ".xlsm"):
        return problems
    formulas = uncalculated_formulas(raw, [(p.sheet, p.row, p.column) for p in empty])
    return [
        Problem("uncalculated_formula", p.file, p.sheet, p.row, p.column)
        if (p.sheet, p.row, p.column) in formulas
        else p
        for p in problems
    ]


def _silent_formulas(raw: RawWorkbook, frames: dict[str, pd.DataFrame], problems: list[Problem]) -> list[Problem]:
    """The cells of an .xlsx that read as empty where nothing else was said about them but hold a formula with no
    stored value at all (an optional column's cell would otherwise be read as "not given"); a formula that gave an
    empty text is an empty cell."""
    if raw.source is None or raw.source.suffix.lower() not in (".xlsx", ".xlsm") or not raw.formula_sheets:
        return []
    said = {(p.sheet, p.row, p.column) for p in problems}
    cells = [
        (sheet, int(row), column)
        for sheet in sorted(raw.formula_sheets & frames.keys())
        for column in SHEETS_BY_NAME[sheet].column_names
        if column in raw.sheets[sheet].columns
        for row in raw.sheets[sheet].index[raw.sheets[sheet][column].isna()]
        if (sheet, int(row), column) not in said
    ]
    found = uncalculated_formulas(raw, cells, valueless=True) if cells else set()
    return [Problem("uncalculated_formula", raw.file_of(s), s, r, c) for s, r, c in sorted(found)]


def _warn_external_links(raw: RawWorkbook, shown: int = 5) -> None:
    """Say which cells read another workbook: their values are as it last gave them, and nothing refreshes them."""
    cells = raw.external_links
    listed = ", ".join(cells[:shown]) + (f" (+{len(cells) - shown})" if len(cells) > shown else "")
    warnings.warn(
        KamWarning(
            f"{raw.file_of('')}: {listed} read another workbook through an external link; their values are those "
            "it gave when the file was last saved, and nothing here refreshes them; paste them as values to be sure",
            f"{raw.file_of('')}: {listed} leen otro libro mediante un vínculo externo; sus valores son los que "
            "dio al guardarse el archivo por última vez, y aquí nada los actualiza; péguelos como valores para "
            "estar seguro",
        ),
        stacklevel=3,
    )


@dataclass(frozen=True)
class ValidWorkbook:
    """A workbook that passed every rule: its sheets typed and clean (`kamlib.engagement` makes the `Engagement`)."""

    name: str
    source: Path | None
    sheets: Mapping[str, pd.DataFrame]
    """The contract's sheets present, typed, rows renumbered from 0 (scores without a score dropped)."""
    extra: Mapping[str, pd.DataFrame]
    """Sheets beyond those of the contract, kept as read."""
    rows: Mapping[str, np.ndarray]
    """Excel row number of each row of each sheet."""
    files: Mapping[str, str]
    """The file each sheet was read from, as messages name it."""


def validate(raw: RawWorkbook) -> ValidWorkbook:
    """Check every rule of the contract, raise one `WorkbookError` listing all problems, or return the clean sheets."""
    problems = list(raw.problems)
    if any(p.kind in _BLOCKING and (p.sheet is None or not raw.sheets) for p in problems):  # nothing read
        raise WorkbookError(problems)
    frames = _present_sheets(raw, problems)
    problems.extend(_reference_problems(frames, raw))
    if "accounts" in frames:
        problems.extend(_cycle_problems(frames["accounts"], raw.file_of("accounts")))
    groups = None
    if "criteria" in frames:
        problems.extend(_criteria_problems(frames["criteria"], raw.file_of("criteria")))
        problems.extend(_segment_axis_problems(frames["criteria"], raw.file_of("criteria")))
        groups = _groups(frames, problems)
        if groups is not None:
            problems.extend(_segment_problems(frames, groups, raw))
        catalogue = frames["criteria"].iloc[split_criteria(frames["criteria"])[0]]  # each criterion's default row
        # with segment rows, a score's scale is its account's segment's: unknown while sheet criteria has problems
        scales_known = groups is not None or not (segment_key(frames["criteria"]["segment"]) != "").any()
        if "scores" in frames:
            if scales_known:
                problems.extend(_score_problems(frames["scores"], catalogue, raw.file_of("scores"), groups=groups))
            problems.extend(_side_problems(frames["scores"], catalogue, raw.file_of("scores")))
        if "forecasts" in frames:
            said = {(p.sheet, p.row, p.column) for p in problems}  # an unreadable cell is reported once
            found = _forecast_problems(frames["forecasts"], catalogue, raw.file_of("forecasts"), groups, scales_known)
            problems.extend(p for p in found if (p.sheet, p.row, p.column) not in said)
        if "scoring_guide" in frames:
            file = raw.file_of("scoring_guide")
            problems.extend(_score_problems(frames["scoring_guide"], catalogue, file, "scoring_guide"))
    if "scoring_guide" in frames:
        problems.extend(guide_problems(frames["scoring_guide"], raw.file_of("scoring_guide")))
    if "selection_criteria" in frames:
        file = raw.file_of("selection_criteria")
        problems.extend(_scale_problems(frames["selection_criteria"], file, "selection_criteria"))
        weights = frames["selection_criteria"]["weight"]
        if len(weights) and weights.notna().all() and not (weights > 0).any():
            problems.append(Problem("no_selection_weight", file, "selection_criteria", column="weight"))
    if "engagement" in frames:
        problems.extend(identity_problems(frames["engagement"], raw.file_of("engagement")))
    for sheet in _REPEATS:
        if sheet in frames:
            problems.extend(_repeat_problems(frames[sheet], raw.file_of(sheet), sheet))
    if "selection_scores" in frames and "selection_criteria" in frames:  # absent or empty: the defaults
        scores = frames["selection_scores"]
        file = raw.file_of("selection_scores")
        problems.extend(_score_problems(scores, _selection_criteria(frames), file, "selection_scores"))
    if "time" in frames:
        seen = {(p.sheet, p.row, p.column) for p in problems}  # a cell already reported is not reported twice
        problems.extend(
            p
            for p in _time_problems(frames["time"], raw.file_of("time"), set(raw.sheets["time"].columns))
            if (p.sheet, p.row, p.column) not in seen
        )
    problems.extend(_silent_formulas(raw, frames, problems))
    if problems:
        raise WorkbookError(_explain_formulas(problems, raw))
    if raw.external_links:
        _warn_external_links(raw)
    if groups is not None:
        _warn_unused_segments(groups, raw.file_of("criteria"))
    _warn_unknown_segments(frames["accounts"], groups, raw.file_of("accounts"))
    extra = {
        name: frame.reset_index(drop=True).apply(without_direction_marks)
        for name, frame in raw.sheets.items()
        if name not in frames and name != "readme"
    }
    frames["scores"] = frames["scores"][frames["scores"]["score"].notna()]
    rows = {name: frame.index.to_numpy(dtype=np.int64) for name, frame in frames.items()}
    clean = {name: frame.reset_index(drop=True) for name, frame in frames.items()}
    files = {name: raw.file_of(name) for name in frames}
    return ValidWorkbook(name=raw.name, source=raw.source, sheets=clean, extra=extra, rows=rows, files=files)


def frames_to_raw(frames: dict[str, pd.DataFrame], name: str = "engagement") -> RawWorkbook:
    """Wrap in-memory sheets as a raw workbook (rows numbered as Excel would) so they go through validation."""
    raw = RawWorkbook(name=name, source=None)
    for sheet, frame in frames.items():
        data = frame.astype(object).where(frame.notna(), None)
        data.columns = [str(c).strip().lower() for c in data.columns]
        data.index = pd.Index(np.arange(2, len(data) + 2), dtype="int64", name="row")
        raw.sheets[sheet.strip().lower()] = data
    return raw
