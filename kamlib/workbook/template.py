"""The engagement workbook a consultant fills in, built from the contract in `sheets.py`.

`write_template` writes a README sheet (Spanish and English) and one sheet per entry of
`SHEETS`, with bold frozen headers, a bilingual comment on every header and Excel data
validations (drop-downs for choices and references, numbers ≥ minimum, unique keys and
scores within their criterion's scale) on rows `FIRST_ROW`..`LAST_ROW`. The criteria, scoring_guide,
playbook and selection_criteria sheets start with the method's rows (`starter_rows`), to edit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kamlib.fileio import atomic_path
from kamlib.method import (
    AXES,
    AXIS_LABELS,
    MATRIX_CRITERIA,
    QUADRANTS,
    SCORE_ANCHORS,
    SELECTION_CRITERIA,
    SELECTION_SCALE,
    STRATEGY_NAMES,
    playbook_rows,
)
from kamlib.workbook.cells import DATE_YEARS
from kamlib.workbook.sheets import SHEETS, SHEETS_BY_NAME, Column, Sheet

README = "README"
"""Name of the explanatory first sheet (not part of the contract; readers ignore it)."""

FIRST_ROW = 2
"""First data row (row 1 holds the headers)."""

LAST_ROW = 1000
"""Last row that the template's data validations cover."""

SCORE_COLUMN = "score"
"""Number column that is checked against its criterion's scale."""

SCALE_COLUMNS = ("scale_min", "scale_max")
"""Columns of the referenced sheet holding a criterion's scale (inclusive bounds)."""

LANGS = ("es", "en")

# Excel's limits (MS-OI29500 §2.1.613 and the Data Validation dialog).
_MAX_FORMULA = 255
_MAX_ERROR = 224
_MAX_TITLE = 32

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TEXT_KINDS = ("id", "ref", "text", "choice", "period")
"""Kinds whose cells are formatted as text, so Excel keeps `007` and `2025-07` as typed."""

_README_WIDTHS = (16, 20, 24, 55, 55, 42)
_DESCRIPTION = {"es": "descripción (es)", "en": "description (en)"}


def write_template(path: Path, lang_order: tuple[str, str] = LANGS) -> Path:
    """Write a blank engagement workbook (.xlsx) to `path` and return the path.

    The file holds a bilingual README sheet and one sheet per `SHEETS` entry with its
    headers, header comments and data validations. `lang_order` orders the Spanish and
    English texts. The write is atomic: a temporary file in the target folder is saved,
    then moved onto `path`; missing parent folders are created.
    """
    if sorted(lang_order) != sorted(LANGS):
        raise ValueError(f"lang_order must order {LANGS}, got {lang_order!r}")
    path = Path(path)
    wb = build_template(tuple(lang_order))
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def build_template(lang_order: tuple[str, str] = LANGS) -> Workbook:
    """Build the template workbook in memory (README first, then one sheet per `SHEETS` entry)."""
    wb = Workbook()
    readme = wb.active
    readme.title = README
    _write_readme(readme, lang_order)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        _write_sheet(ws, sheet, lang_order)
        _write_starter_rows(ws, sheet)
    wb.active = 0
    return wb


def starter_rows(sheet: str) -> list[tuple[object, ...]]:
    """The rows a sheet starts with in the template, to edit: the method's criteria and what their scores mean
    (`kamlib.method.MATRIX_CRITERIA`, `SCORE_ANCHORS`), its playbook and its selection criteria.

    The playbook and selection criteria, kept as they are, change nothing (they are the defaults an absent sheet
    stands for); every other sheet starts empty.
    """
    if sheet == "criteria":
        columns = list(SHEETS_BY_NAME[sheet].column_names)
        rows = pd.DataFrame(MATRIX_CRITERIA, columns=columns[: len(MATRIX_CRITERIA[0])]).reindex(columns=columns)
    elif sheet == "scoring_guide":
        rows = pd.DataFrame(SCORE_ANCHORS, columns=["criterion_id", "score", "text_es", "text_en"])
    elif sheet == "playbook":
        rows = pd.DataFrame(playbook_rows(), columns=["strategy", "element", "es", "en", "perspective"])
    elif sheet == "selection_criteria":
        low, high = SELECTION_SCALE
        rows = pd.DataFrame(SELECTION_CRITERIA, columns=["criterion_id", "label_es", "label_en"]).assign(
            weight=1, scale_min=low, scale_max=high, higher_is_better=True
        )
    else:
        return []
    columns = SHEETS_BY_NAME[sheet].column_names
    return [tuple(None if pd.isna(v) else v for v in row) for row in rows[list(columns)].itertuples(index=False)]


def _write_starter_rows(ws: Worksheet, sheet: Sheet) -> None:
    for r, row in enumerate(starter_rows(sheet.name), start=FIRST_ROW):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value.item() if hasattr(value, "item") else value)


# --- data sheets -------------------------------------------------------------------------


def _write_sheet(ws: Worksheet, sheet: Sheet, lang_order: tuple[str, str]) -> None:
    """Write one data sheet's header row, comments, widths, text formats and validations."""
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.name)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        descriptions = _ordered({"es": column.es, "en": column.en}, lang_order)
        note = "\n".join([*descriptions, "", allowed_values(sheet, column, lang_order)])
        comment = Comment(note, "kamlib")
        comment.width, comment.height = 320, 140
        cell.comment = comment
        dim = ws.column_dimensions[letter]
        dim.width = _column_width(column)
        if column.kind in _TEXT_KINDS:
            dim.number_format = "@"
        elif column.kind == "date":
            dim.number_format = "yyyy-mm-dd"
        validation = column_validation(sheet, column, lang_order)
        if validation is not None:
            validation.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"


def _column_width(column: Column) -> float:
    """Return a column width that fits the header and the longest choice."""
    longest = max([len(column.name), *(len(c) for c in column.choices)])
    minimum = {"id": 16, "ref": 16, "period": 14, "text": 24}.get(column.kind, 12)
    return float(min(max(longest + 4, minimum), 40))


def column_validation(sheet: Sheet, column: Column, lang_order: tuple[str, str] = LANGS) -> DataValidation | None:
    """Return the Excel data validation for a column of a sheet, or None for free text."""
    letter = _letter(sheet, column.name)
    cell = f"{letter}{FIRST_ROW}"
    where = f"{sheet.name}.{column.name}"
    if sheet.key == column.name or column.kind == "id":
        return _validation(
            "custom",
            f"COUNTIF({_range(None, letter)},{cell})=1",
            where,
            lang_order,
            es=f"Este {column.name} ya existe en la columna; debe ser único.",
            en=f"This {column.name} is already in the column; it must be unique.",
        )
    if column.kind == "choice":
        items = ",".join(column.choices)
        if len(items) + 2 > _MAX_FORMULA:
            raise ValueError(f"{where}: choices too long for an Excel list ({len(items)} characters)")
        return _validation(
            "list",
            f'"{items}"',
            where,
            lang_order,
            es="Elija un valor de la lista desplegable.",
            en="Pick a value from the drop-down list.",
        )
    if column.kind == "ref" and column.ref is not None:
        target, key = column.ref
        key_letter = _letter(SHEETS_BY_NAME[target], key)
        return _validation(
            "list",
            _range(target, key_letter),
            where,
            lang_order,
            es=f"Use un {key} de la hoja {target}.",
            en=f"Use {_article(key)} {key} of sheet {target}.",
        )
    if column.kind == "date":
        low, high = DATE_YEARS
        return _validation(
            "date",
            f"DATE({low},1,1)",
            where,
            lang_order,
            operator="between",
            formula2=f"DATE({high},12,31)",
            es=f"Escriba una fecha de {low} a {high} (AAAA-MM-DD o una fecha de Excel).",
            en=f"Enter a date from {low} to {high} (YYYY-MM-DD or an Excel date).",
        )
    if column.kind == "bool":
        return _validation(
            "list",
            '"TRUE,FALSE"',
            where,
            lang_order,
            es="Elija TRUE (sí) o FALSE (no).",
            en="Pick TRUE or FALSE.",
        )
    if column.kind == "number":
        scale = _scale_formula(sheet, column)
        if scale is not None:
            formula, key, (low, high) = scale
            return _validation(
                "custom",
                formula,
                where,
                lang_order,
                es=f"La puntuación debe estar en la escala de su criterio (por defecto {low}–{high}); "
                f"escriba antes {key}.",
                en=f"The score must lie within its criterion's scale (default {low}–{high}); fill {key} first.",
            )
        if column.minimum is not None and column.maximum is not None:
            low, high = _number(column.minimum), _number(column.maximum)
            return _validation(
                "decimal",
                low,
                where,
                lang_order,
                operator="between",
                formula2=high,
                es=f"Escriba un número de {low} a {high}.",
                en=f"Enter a number from {low} to {high}.",
            )
        if column.minimum is not None:
            bound = _number(column.minimum)
            return _validation(
                "decimal",
                bound,
                where,
                lang_order,
                operator="greaterThanOrEqual",
                es=f"Escriba un número ≥ {bound}.",
                en=f"Enter a number ≥ {bound}.",
            )
        return _validation(
            "custom",
            f"ISNUMBER({cell})",
            where,
            lang_order,
            es="Escriba un número.",
            en="Enter a number.",
        )
    return None


def _scale_formula(sheet: Sheet, column: Column) -> tuple[str, str, tuple[str, str]] | None:
    """Return (formula, criterion column, default bounds) checking a score against its criterion's scale.

    The score sheet's `ref` column that points at a sheet with `SCALE_COLUMNS` names the
    criterion; its scale cells are looked up with INDEX/MATCH and an empty (or non-numeric)
    scale cell falls back to the column's default. The criterion must exist. Excel caps
    validation formulas at 255 characters, hence VALUE(x&"") instead of IF(x="",d,x).
    """
    if column.kind != "number" or column.name != SCORE_COLUMN:
        return None
    for ref_column in sheet.columns:
        if ref_column.kind != "ref" or ref_column.ref is None:
            continue
        target = SHEETS_BY_NAME[ref_column.ref[0]]
        if not all(name in target.column_names for name in SCALE_COLUMNS):
            continue
        score = f"{_letter(sheet, column.name)}{FIRST_ROW}"
        for whole in (False, True):  # whole columns (A:A) when a long sheet name makes the formula too long
            keys = _range(target.name, _letter(target, ref_column.ref[1]), whole)
            match = f"MATCH({_letter(sheet, ref_column.name)}{FIRST_ROW},{keys},0)"
            bounds = []
            for name in SCALE_COLUMNS:
                scale = target.column(name)
                values, default = _range(target.name, _letter(target, name), whole), _number(scale.default)
                bounds.append((f'IFERROR(VALUE(INDEX({values},{match})&""),{default})', default))
            (low, low_default), (high, high_default) = bounds
            formula = f"AND(ISNUMBER({score}),ISNUMBER({match}),{score}>={low},{score}<={high})"
            if len(formula) <= _MAX_FORMULA:
                return formula, ref_column.name, (low_default, high_default)
        raise ValueError(f"{sheet.name}.{column.name}: scale formula longer than {_MAX_FORMULA} characters")
    return None


def _validation(
    kind: str,
    formula: str,
    where: str,
    lang_order: tuple[str, str],
    *,
    es: str,
    en: str,
    operator: str | None = None,
    formula2: str | None = None,
) -> DataValidation:
    """Return a stopping data validation with a bilingual error message."""
    error = "\n".join(_ordered({"es": es, "en": en}, lang_order))
    if len(error) > _MAX_ERROR:
        raise ValueError(f"{where}: error message longer than {_MAX_ERROR} characters")
    return DataValidation(
        type=kind,
        formula1=formula,
        formula2=formula2,
        operator=operator,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=where[:_MAX_TITLE],
        error=error,
    )


def _letter(sheet: Sheet, column: str) -> str:
    """Return the spreadsheet column letter of a sheet's column."""
    return get_column_letter(sheet.column_names.index(column) + 1)


def _range(sheet: str | None, letter: str, whole: bool = False) -> str:
    """Return the absolute data range of a column, e.g. `kams!$A$2:$A$1000` (`whole`: `kams!$A:$A`)."""
    cells = f"${letter}:${letter}" if whole else f"${letter}${FIRST_ROW}:${letter}${LAST_ROW}"
    if sheet is None:
        return cells
    name = sheet if re.fullmatch(r"[A-Za-z_][A-Za-z_]*", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{cells}"


def _article(word: str) -> str:
    """Return the English indefinite article for `word` (`an account_id`, `a kam_id`)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def _number(value: object) -> str:
    """Format a number without a needless `.0` (1.0 → `1`)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- README ------------------------------------------------------------------------------


def allowed_values(sheet: Sheet, column: Column, lang_order: tuple[str, str] = LANGS) -> str:
    """Return a short bilingual text of the values a sheet's column admits (kind, choices, minimum, default)."""
    kind = column.kind
    scale = _scale_formula(sheet, column)
    if kind == "id":
        text = {"es": "texto único", "en": "unique text"}
    elif kind == "ref" and column.ref is not None:
        target, key = column.ref
        text = {"es": f"un {key} de la hoja {target}", "en": f"{_article(key)} {key} of sheet {target}"}
    elif kind == "choice":
        text = {"es": ", ".join(column.choices), "en": ", ".join(column.choices)}
    elif kind == "bool":
        text = {"es": "true/false (sí/no, 1/0)", "en": "true/false (sí/no, 1/0)"}
    elif kind == "period":
        text = {"es": "texto: 2025, 2025-Q3, 2025-07", "en": "text: 2025, 2025-Q3, 2025-07"}
    elif kind == "date":
        text = {"es": "fecha (AAAA-MM-DD)", "en": "date (YYYY-MM-DD)"}
    elif scale is not None:
        low, high = scale[2]
        text = {
            "es": f"número dentro de la escala del criterio (por defecto {low}–{high})",
            "en": f"number within the criterion's scale (default {low}–{high})",
        }
    elif kind == "number":
        if column.maximum is not None:
            low, high = _number(column.minimum or 0), _number(column.maximum)
            text = {"es": f"número de {low} a {high}", "en": f"number from {low} to {high}"}
        else:
            bound = "" if column.minimum is None else f" ≥ {_number(column.minimum)}"
            text = {"es": f"número{bound}", "en": f"number{bound}"}
    else:
        text = {"es": "texto libre", "en": "free text"}
    if column.default is not None:
        if isinstance(column.default, bool):
            default = {"es": "sí" if column.default else "no", "en": str(column.default).lower()}
        else:
            default = {"es": _number(column.default), "en": _number(column.default)}
        text = {"es": f"{text['es']}; por defecto {default['es']}", "en": f"{text['en']}; default {default['en']}"}
    return _both(text, lang_order)


def _required(column: Column, lang_order: tuple[str, str]) -> str:
    """Return the bilingual `required` cell of a column (present; and whether it may be empty)."""
    if not column.required:
        return "no"
    if column.filled:
        return _both({"es": "sí", "en": "yes"}, lang_order)
    return _both({"es": "sí (puede quedar vacía)", "en": "yes (may be empty)"}, lang_order)


def _readme_texts() -> tuple[dict[str, str], list[dict[str, str]], list[dict[str, str]]]:
    """Return the README's title, intro paragraphs and rules, each in Spanish and English."""
    axes = {lang: " × ".join(AXIS_LABELS[a][lang].lower() for a in AXES) for lang in LANGS}
    strategies = {lang: ", ".join(STRATEGY_NAMES[q][lang] for q in QUADRANTS) for lang in LANGS}
    names = ", ".join(s.name for s in SHEETS)
    keys = ", ".join(f"{s.name}.{s.key}" for s in SHEETS if s.key)
    scale_sheet = next(s for s in SHEETS if all(n in s.column_names for n in SCALE_COLUMNS))
    low, high = (_number(scale_sheet.column(n).default) for n in SCALE_COLUMNS)
    title = {"es": "Libro de un encargo KAM", "en": "KAM engagement workbook"}
    criteria = {
        (axis, lang): ", ".join(row[2 if lang == "es" else 3].lower() for row in MATRIX_CRITERIA if row[1] == axis)
        for axis in AXES
        for lang in LANGS
    }
    *lower, top = (_number(float(s)) for s in sorted({row[1] for row in SCORE_ANCHORS}))
    levels = {lang: f"{', '.join(lower)} {word} {top}" for lang, word in (("es", "o"), ("en", "or"))}
    intro = [
        {
            "es": "Este libro recoge un encargo (engagement) del método KAM: las cuentas de un proveedor, "
            "los criterios y las puntuaciones que sitúan cada cuenta en la matriz de cuentas "
            f"({axes['es']}) y los KAM con su registro de horas.",
            "en": "This workbook holds one engagement of the KAM method: a supplier's accounts, the criteria and the "
            f"scores that place each account on the account matrix ({axes['en']}), and the KAMs with their "
            "time records.",
        },
        {
            "es": f"Cuadrantes de la matriz: {strategies['es']}.",
            "en": f"Quadrants of the matrix: {strategies['en']}.",
        },
        {
            "es": f"Rellene las hojas {names} a partir de la fila 2. No cambie los nombres de las hojas ni de las "
            "columnas; las columnas adicionales se conservan. Cada encabezado tiene un comentario con su descripción.",
            "en": f"Fill in the sheets {names} from row 2 on. Do not rename sheets or columns; extra columns are kept. "
            "Each header has a comment with its description.",
        },
        {
            "es": "La hoja criteria empieza con los criterios del método, con el mismo peso en cada eje. De potencial, "
            f"los del método: {criteria['potential', 'es']}. De posición, un punto de partida que conviene adaptar "
            f"a lo que el sector valora en un proveedor: {criteria['position', 'es']}. La hoja scoring_guide (guía "
            f"de puntuación) dice qué significa puntuar {levels['es']} en cada uno, para que todos puntúen con la "
            "misma vara. Cambie, quite o añada filas; al quitar un criterio, quite también sus filas de "
            "scoring_guide.",
            "en": "The criteria sheet starts with the method's criteria, equally weighted on each axis. For "
            f"potential, the method's: {criteria['potential', 'en']}. For position, a starting point to adapt to "
            f"what the sector values in a supplier: {criteria['position', 'en']}. The scoring_guide sheet says "
            f"what a score of {levels['en']} means on each, so that everyone scores by the same yardstick. Change, "
            "delete or add rows; when you delete a criterion, delete its scoring_guide rows too.",
        },
    ]
    rules = [
        {
            "es": "Los números admiten coma o punto decimal (7,5 o 7.5).",
            "en": "Numbers accept a decimal comma or point (7,5 or 7.5).",
        },
        {
            "es": "Una puntuación vacía significa «sin puntuar»; no cuenta como cero.",
            "en": "An empty score means not scored; it does not count as zero.",
        },
        {
            "es": "Si varios evaluadores puntúan la misma cuenta y criterio, sus puntuaciones se promedian.",
            "en": "If several assessors score the same account and criterion, their scores are averaged.",
        },
        {
            "es": "Si hay varios periodos, se usa el último (los periodos se comparan como texto: "
            "2025, 2025-Q3, 2025-07).",
            "en": "If there are several periods, the latest is used (periods compare as text: 2025, 2025-Q3, 2025-07).",
        },
        {
            "es": "Cada puntuación debe estar dentro de la escala de su criterio "
            f"({SCALE_COLUMNS[0]}–{SCALE_COLUMNS[1]};"
            f" por defecto {low}–{high}).",
            "en": f"Each score must lie within its criterion's scale ({SCALE_COLUMNS[0]}–{SCALE_COLUMNS[1]}; "
            f"default {low}–{high}).",
        },
        {
            "es": "Cada fila de scoring_guide describe una puntuación de un criterio, dentro de su escala y una sola "
            "vez, en text_es, text_en o ambas.",
            "en": "Each scoring_guide row describes one score of one criterion, within its scale and once, in "
            "text_es, text_en or both.",
        },
        {
            "es": f"Los identificadores ({keys}) son únicos y cada referencia debe existir en su hoja.",
            "en": f"Ids ({keys}) are unique and every reference must exist in its sheet.",
        },
        {
            "es": f"Las listas desplegables y comprobaciones cubren las filas {FIRST_ROW}–{LAST_ROW}; "
            "Excel no comprueba "
            "los datos pegados, kamlib sí al leer el libro.",
            "en": f"Drop-downs and checks cover rows {FIRST_ROW}–{LAST_ROW}; Excel does not check pasted data, kamlib "
            "does when it reads the workbook.",
        },
    ]
    return title, intro, rules


def _write_readme(ws: Worksheet, lang_order: tuple[str, str]) -> None:
    """Write the README sheet: intro, sheets table, columns table and rules, in both languages."""
    title, intro, rules = _readme_texts()
    for index, width in enumerate(_README_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    span = sum(_README_WIDTHS)
    ws.append([_both(title, lang_order)])
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.append([])
    for paragraph in intro:
        for text in _ordered(paragraph, lang_order):
            _paragraph(ws, text, span)
    ws.append([])

    _section(ws, {"es": "Hojas", "en": "Sheets"}, lang_order)
    _table_header(
        ws,
        [
            _both({"es": "hoja", "en": "sheet"}, lang_order),
            _both({"es": "filas mínimas", "en": "minimum rows"}, lang_order),
            _both({"es": "obligatoria", "en": "required"}, lang_order),
            *(_DESCRIPTION[lang] for lang in lang_order),
        ],
    )
    for sheet in SHEETS:
        required = _both({"es": "sí", "en": "yes"}, lang_order) if sheet.required else "no"
        _table_row(ws, [sheet.name, sheet.min_rows, required, *_ordered({"es": sheet.es, "en": sheet.en}, lang_order)])
    ws.append([])

    _section(ws, {"es": "Columnas", "en": "Columns"}, lang_order)
    _table_header(
        ws,
        [
            _both({"es": "hoja", "en": "sheet"}, lang_order),
            _both({"es": "columna", "en": "column"}, lang_order),
            _both({"es": "obligatoria", "en": "required"}, lang_order),
            *(_DESCRIPTION[lang] for lang in lang_order),
            _both({"es": "valores admitidos", "en": "allowed values"}, lang_order),
        ],
    )
    for sheet, column in _all_columns(SHEETS):
        _table_row(
            ws,
            [
                sheet.name,
                column.name,
                _required(column, lang_order),
                *_ordered({"es": column.es, "en": column.en}, lang_order),
                allowed_values(sheet, column, lang_order),
            ],
        )
    ws.append([])

    _section(ws, {"es": "Reglas", "en": "Rules"}, lang_order)
    for rule in rules:
        for text in _ordered(rule, lang_order):
            _paragraph(ws, "• " + text, span)


def _all_columns(sheets: Iterable[Sheet]) -> Iterable[tuple[Sheet, Column]]:
    """Yield every (sheet, column) pair of the contract in order."""
    for sheet in sheets:
        for column in sheet.columns:
            yield sheet, column


def _section(ws: Worksheet, title: dict[str, str], lang_order: tuple[str, str]) -> None:
    """Append a bold section title."""
    ws.append([_both(title, lang_order)])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)


def _table_header(ws: Worksheet, values: list[object]) -> None:
    """Append a bold, shaded table header row."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP


def _table_row(ws: Worksheet, values: list[object]) -> None:
    """Append a table row with wrapped, top-aligned cells."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.alignment = _WRAP


def _paragraph(ws: Worksheet, text: str, span: int) -> None:
    """Append a paragraph merged across the README's columns, with a row height that fits it."""
    ws.append([text])
    row = ws.max_row
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(_README_WIDTHS))
    ws.cell(row=row, column=1).alignment = _WRAP
    ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(text) * 1.1 / span))


def _ordered(text: dict[str, str], lang_order: tuple[str, str]) -> list[str]:
    """Return a bilingual text's versions in `lang_order`."""
    return [text[lang] for lang in lang_order]


def _both(text: dict[str, str], lang_order: tuple[str, str]) -> str:
    """Return `first / second` in `lang_order`, or one text when both languages agree."""
    first, second = _ordered(text, lang_order)
    return first if first == second else f"{first} / {second}"
