"""Errors a user can hit, kept as data and rendered as one line each, in Spanish or English.

Every problem names where it is (file, sheet, Excel row, column), what was found and
what is allowed. Validation collects all problems of a workbook and raises once
(after pandera's lazy validation), so a consultant fixes everything in one pass.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_NO_VALUE = object()

# What each kind of problem says after its location; {value} is the rendered cell value.
_TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "not_found": {
        "en": "no such file or folder",
        "es": "no existe ese archivo ni carpeta",
    },
    "empty_file": {
        "en": "the file is empty; expected an Excel workbook (.xlsx) or a folder of CSV files named after the sheets",
        "es": "el archivo está vacío; se espera un libro Excel (.xlsx) o una carpeta de archivos CSV con el nombre "
        "de cada hoja",
    },
    "not_a_workbook": {
        "en": "not an Excel workbook (.xlsx) nor a folder of CSV files ({detail}); allowed: an .xlsx file or a "
        "folder holding {sheets}",
        "es": "no es un libro Excel (.xlsx) ni una carpeta de archivos CSV ({detail}); se admite: un archivo .xlsx "
        "o una carpeta con {sheets}",
    },
    "duplicate_sheet": {
        "en": '"{first}" and "{second}" are both this sheet (names are compared ignoring case and spaces), and '
        "neither may silently win; allowed: one of them, the other renamed or removed",
        "es": '"{first}" y "{second}" son los dos esta hoja (los nombres se comparan sin mayúsculas ni espacios), y '
        "ninguno puede prevalecer en silencio; se admite: uno de ellos, con el otro renombrado o quitado",
    },
    "csv_link": {
        "en": "a link to a file elsewhere, which is not read (it could be any file of this machine); allowed: the "
        "CSV file itself in the folder",
        "es": "un enlace a un archivo de otro lugar, que no se lee (podría ser cualquier archivo de esta máquina); "
        "se admite: el propio archivo CSV en la carpeta",
    },
    "unreadable_csv": {
        "en": "line {line}: {detail}",
        "es": "línea {line}: {detail}",
    },
    "open_quote": {
        "en": 'a cell of column "{column_name}" runs from line {line} to line {end}: a quote opened on line {line} '
        "is not closed where the cell ends, and the rows in between would be lost; allowed: line breaks only in "
        'quoted text cells, a quote inside a cell doubled ("")',
        "es": 'una celda de la columna "{column_name}" va de la línea {line} a la {end}: unas comillas abiertas en '
        "la línea {line} no se cierran donde acaba la celda, y las filas intermedias se perderían; se admite: "
        'saltos de línea solo en celdas de texto entre comillas, y unas comillas dentro de una celda, dobles ("")',
    },
    "xlsx": {
        "en": "{detail}",
        "es": "{detail}",
    },
    "invisible_character": {
        "en": "got {value}, which holds the invisible character {character}; it changes how the id reads (a "
        "direction mark shows the text reversed); allowed: {allowed} without invisible characters",
        "es": "valor {value}, que contiene el carácter invisible {character}; cambia cómo se lee el identificador "
        "(una marca de dirección muestra el texto al revés); se admite: {allowed} sin caracteres invisibles",
    },
    "missing_sheet": {
        "en": 'missing sheet "{sheet_name}"; required sheets: {sheets}',
        "es": 'falta la hoja "{sheet_name}"; hojas obligatorias: {sheets}',
    },
    "missing_column": {
        "en": 'missing column "{column_name}"; required columns: {columns}',
        "es": 'falta la columna "{column_name}"; columnas obligatorias: {columns}',
    },
    "duplicate_column": {
        "en": 'the column "{column_name}" appears twice in the header; each column name must appear once',
        "es": 'la columna "{column_name}" aparece dos veces en la cabecera; cada nombre de columna debe ser único',
    },
    "too_few_rows": {
        "en": "the sheet has {count} data rows; at least {minimum} needed",
        "es": "la hoja tiene {count} filas de datos; se necesitan al menos {minimum}",
    },
    "extra_cells": {
        "en": "the row has {count} cells but the header has {width}; a decimal comma in a comma-separated file "
        'must be quoted ("7,5"), or save the file with ";" as separator',
        "es": "la fila tiene {count} celdas y la cabecera {width}; una coma decimal en un CSV separado por comas "
        'debe ir entre comillas ("7,5"), o guarde el archivo con ";" como separador',
    },
    "uncalculated_formula": {
        "en": "a formula without a calculated value; allowed: a value (open and save the file in Excel or "
        "LibreOffice so the result is stored)",
        "es": "una fórmula sin valor calculado; se admite: un valor (abra y guarde el archivo en Excel o LibreOffice "
        "para que se guarde el resultado)",
    },
    "empty_cell": {
        "en": "empty cell; this column needs a value; allowed: {allowed}",
        "es": "celda vacía; esta columna necesita un valor; se admite: {allowed}",
    },
    "bad_value": {
        "en": "got {value}; allowed: {allowed}",
        "es": "valor {value}; se admite: {allowed}",
    },
    "duplicate_id": {
        "en": "duplicate id {value} (first in row {first_row}); allowed: each id once",
        "es": "identificador repetido {value} (primero en la fila {first_row}); se admite: cada identificador una vez",
    },
    "duplicate_in_segment": {
        "en": "criterion {value} is already in row {first_row} for {segment}; allowed: each criterion once per "
        "segment, and once without a segment",
        "es": "el criterio {value} ya está en la fila {first_row} para {segment}; se admite: cada criterio una vez por "
        "segmento, y una vez sin segmento",
    },
    "segment_axis": {
        "en": "got {value}; allowed: {axis}, the axis of criterion {criterion} in row {first_row} (a criterion keeps "
        "its axis in every segment)",
        "es": "valor {value}; se admite: {axis}, el eje del criterio {criterion} en la fila {first_row} (un criterio "
        "conserva su eje en todos los segmentos)",
    },
    "not_in_segment": {
        "en": "criterion {value} does not apply to account {account}, of segment {segment}; allowed: its segment's "
        "criteria: {known}",
        "es": "el criterio {value} no se aplica a la cuenta {account}, del segmento {segment}; se admite: los "
        "criterios de su segmento: {known}",
    },
    "segment_without_axis": {
        "en": 'the accounts of {segment} ({accounts}) have no criterion of axis "{axis}" with weight > 0; allowed: '
        "a row of that axis for the segment, or a default row (without a segment)",
        "es": 'las cuentas de {segment} ({accounts}) no tienen ningún criterio del eje "{axis}" con peso > 0; se '
        "admite: una fila de ese eje para el segmento, o una fila general (sin segmento)",
    },
    "duplicate_forecast": {
        "en": "account {account}'s forecast of {item} for {period} ({case}) is already in row {first_row}; allowed: "
        "one forecast per account, horizon, case and criterion or composite",
        "es": "el pronóstico de {item} de la cuenta {account} para {period} ({case}) ya está en la fila {first_row}; "
        "se admite: un pronóstico por cuenta, horizonte, caso y criterio o valor compuesto",
    },
    "duplicate_kpi": {
        "en": "KPI {value} of account {account} in period {period} is already in row {first_row}; allowed: one row "
        "per account, KPI and period (names compared ignoring case, accents and spaces)",
        "es": "el indicador {value} de la cuenta {account} en el periodo {period} ya está en la fila {first_row}; se "
        "admite: una fila por cuenta, indicador y periodo (los nombres se comparan sin mayúsculas, acentos ni "
        "espacios)",
    },
    "duplicate_ledger_row": {
        "en": "account {value} in period {period} is already in row {first_row}; allowed: one row per account and "
        "period (kam ingest replaces a period's rows)",
        "es": "la cuenta {value} en el periodo {period} ya está en la fila {first_row}; se admite: una fila por "
        "cuenta y periodo (kam ingest sustituye las filas de un periodo)",
    },
    "duplicate_whitespace": {
        "en": "family {value} of account {account} in period {period} is already in row {first_row}; allowed: one "
        "row per account, period and family",
        "es": "la familia {value} de la cuenta {account} en el periodo {period} ya está en la fila {first_row}; se "
        "admite: una fila por cuenta, periodo y familia",
    },
    "no_selection_weight": {
        "en": "every selection criterion has weight 0; allowed: at least one weight > 0 (or no rows: the five "
        "default criteria)",
        "es": "todos los criterios de selección tienen peso 0; se admite: al menos un peso > 0 (o ninguna fila: "
        "los cinco criterios por defecto)",
    },
    "sheet_needed": {
        "en": 'this sheet names ids of sheet "{needed}", which the workbook lacks; allowed: add sheet "{needed}" '
        "(columns {columns})",
        "es": 'esta hoja nombra identificadores de la hoja "{needed}", que el libro no tiene; se admite: añadir la '
        'hoja "{needed}" (columnas {columns})',
    },
    "unknown_id": {
        "en": "unknown {what} {value}; known: {known}",
        "es": "no existe {what} {value}; existentes: {known}",
    },
    "outside_scale": {
        "en": 'got {value}; allowed: {low} to {high} (criterion "{criterion}")',
        "es": 'valor {value}; se admite: de {low} a {high} (criterio "{criterion}")',
    },
    "duplicate_anchor": {
        "en": 'score {value} of criterion "{criterion}" is already described in row {first_row}; allowed: one row '
        "per criterion and score",
        "es": 'la puntuación {value} del criterio "{criterion}" ya está descrita en la fila {first_row}; se admite: '
        "una fila por criterio y puntuación",
    },
    "no_guide_text": {
        "en": 'empty cell, and "text_en" is empty too; allowed: what the score means, in text_es, text_en or both',
        "es": 'celda vacía, y "text_en" también; se admite: qué significa la puntuación, en text_es, text_en o ambas',
    },
    "scale_order": {
        "en": "scale_min {low} is not below scale_max {high}; allowed: scale_min < scale_max",
        "es": "scale_min {low} no es menor que scale_max {high}; se admite: scale_min < scale_max",
    },
    "axis_without_weight": {
        "en": 'all weights on axis "{axis}" are zero or absent; allowed: at least one criterion of that axis with '
        "weight > 0",
        "es": 'todos los pesos del eje "{axis}" son cero o no hay criterios; se admite: al menos un criterio de ese '
        "eje con peso > 0",
    },
    "survey_total": {
        "en": 'the stated shares of KAM "{kam}" in period {period} (rows {rows}) add up to {total}; allowed: a total '
        "of 100 (±{tolerance}) per KAM and period, or ask for them to be rescaled to 100 (kam time --normalise)",
        "es": 'los porcentajes declarados del KAM "{kam}" en el periodo {period} (filas {rows}) suman {total}; se '
        "admite: un total de 100 (±{tolerance}) por KAM y periodo, o pedir que se reescalen a 100 "
        "(kam time --normalise)",
    },
}

_WHAT = {
    "account": {"en": "account", "es": "la cuenta"},
    "criterion": {"en": "criterion", "es": "el criterio"},
    "kam": {"en": "KAM", "es": "el KAM"},
    "customer": {"en": "customer", "es": "el cliente"},
}

_LOCATION = {
    "en": {"sheet": 'sheet "{}"', "row": "row {}", "column": 'column "{}"', "empty": "empty cell"},
    "es": {"sheet": 'hoja "{}"', "row": "fila {}", "column": 'columna "{}"', "empty": "celda vacía"},
}


def show_value(value: object, lang: str = "en") -> str:
    """Render a cell value for a message: `repr` for values, "empty cell" for nothing."""
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # a numpy scalar shows as the number it holds, not np.float64(5.5)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return _LOCATION[lang]["empty"]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) and value.time() == dt.time() else value
        return repr(day.isoformat()) + (" (fecha)" if lang == "es" else " (a date)")
    return repr(value)


def list_known(values: Iterable[object], limit: int = 12) -> str:
    """List known values for a message, cut after `limit` with an ellipsis."""
    shown = [_visible(str(v)) for v in values]
    if not shown:
        return "(none)"
    text = ", ".join(shown[:limit])
    return text + (", …" if len(shown) > limit else "")


def _visible(text: str) -> str:
    """The text with invisible formatting characters written as escapes (a direction mark would turn the list)."""
    if text.isascii():
        return text
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) == "Cf" else c for c in text)


def check_accounts(chosen: Iterable[object], known: Iterable[object]) -> None:
    """Raise `KamError` naming the account ids of `chosen` that are not in `known`, and the known ones."""
    known = [str(k) for k in known]
    present = set(known)
    unknown = [a for a in chosen if str(a) not in present]
    if unknown:
        names = ", ".join(repr(a) for a in unknown)
        raise KamError(
            f"unknown account {names}; known: {list_known(known)}",
            f"no existe la cuenta {names}; existentes: {list_known(known)}",
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is and what is allowed."""

    kind: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = _NO_VALUE
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str = "en") -> str:
        """Render the problem as one line: location, then what was found and what is allowed."""
        loc = _LOCATION[lang]
        parts = [self.file]
        if self.sheet is not None:
            parts.append(loc["sheet"].format(self.sheet))
        if self.row is not None:
            parts.append(loc["row"].format(self.row))
        if self.column is not None:
            parts.append(loc["column"].format(self.column))
        params = {k: (v[lang] if isinstance(v, Mapping) else v) for k, v in self.params.items()}
        if "what" in params:
            params["what"] = _WHAT[str(params["what"])][lang]
        if self.value is not _NO_VALUE:
            params["value"] = show_value(self.value, lang)
        return ", ".join(parts) + ": " + _TEMPLATES[self.kind][lang].format(**params) + "."

    def sort_key(self) -> tuple:
        return (self.file, self.sheet or "", self.row or 0, self.column or "")


class _Bilingual:
    """A message in English and Spanish, rendered in the language asked for."""

    def __init__(self, en: str, es: str | None = None):
        super().__init__(en)
        self.messages = {"en": en, "es": es or en}

    def render(self, lang: str = "en") -> str:
        """Render the message for a person, in `lang`."""
        return self.messages[lang]


class KamError(_Bilingual, Exception):
    """Bad input or a bad request: the CLI prints it and exits 2, without a traceback."""


class WorkbookError(KamError):
    """Every problem found in one workbook, raised once after validation collected them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems, key=Problem.sort_key)
        super().__init__(self.render("en"), self.render("es"))

    def render(self, lang: str = "en") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class KamWarning(_Bilingual, UserWarning):
    """Something a person should know about a result, in Spanish and English; the CLI prints it to stderr."""


class UnplacedAccountsWarning(KamWarning):
    """Accounts left out of the matrix because an axis has no score with a weight above zero.

    Not raised for the accounts `kam ingest` added that await their first scores on the other axis: the ingest
    names them once (`kamlib.scoring.awaiting_scores`).
    """

    def __init__(self, unplaced: list[tuple[str, str]]):
        self.unplaced = unplaced
        super().__init__(self.render("en"), self.render("es"))

    def render(self, lang: str = "en") -> str:
        """Name the accounts and the axes they lack, in `lang`."""
        if lang == "es":
            names = "; ".join(f"{a} (sin puntuación con peso en {m})" for a, m in self.unplaced)
            return f"{len(self.unplaced)} cuenta(s) fuera de la matriz: {names}"
        names = "; ".join(f"{a} (no weighted score on {m})" for a, m in self.unplaced)
        return f"{len(self.unplaced)} account(s) left out of the matrix: {names}"
