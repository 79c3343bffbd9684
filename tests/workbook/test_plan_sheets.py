"""The key-account plan's sheets: each rule's message, in both languages, naming file, sheet, row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kamlib


def broken(tiny_path: Path, tmp_path: Path, sheet: str, old: str, new: str) -> Path:
    folder = shutil.copytree(tiny_path, tmp_path / "book")
    path = folder / f"{sheet}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


CASES = [
    (
        "stakeholders",
        "A1,Tomás Vidal,Director Financiero,influenciador,4,",
        "A1,Tomás Vidal,Director Financiero,jefe,4,",
        'book/stakeholders.csv, sheet "stakeholders", row 3, column "role": got \'jefe\'; allowed: decision_maker, '
        "influencer, user, gatekeeper, buyer.",
        "se admite: decision_maker (decisor), influencer (influenciador), user (usuario), gatekeeper (filtro), "
        "buyer (comprador).",
    ),
    (
        "stakeholders",
        "Director Financiero,influenciador,4,-1,2,",
        "Director Financiero,influenciador,4,-3,2,",
        'book/stakeholders.csv, sheet "stakeholders", row 3, column "attitude": got -3; allowed: a number from -2 to 2 '
        "(decimal comma or point).",
        'hoja "stakeholders", fila 3, columna "attitude": valor -3; se admite: un número de -2 a 2',
    ),
    (
        "stakeholders",
        "A3,Iker Arana",
        "A9,Iker Arana",
        'book/stakeholders.csv, sheet "stakeholders", row 5, column "account_id": unknown account \'A9\'; known: '
        "A1, A2, A3, A4.",
        "no existe la cuenta 'A9'",
    ),
    (
        "kpis",
        "A1,cliente,Iniciativas",
        "A1,clientes,Iniciativas",
        'book/kpis.csv, sheet "kpis", row 4, column "perspective": got \'clientes\'; allowed: financial, customer, '
        "internal, learning.",
        "se admite: financial (financiera), customer (cliente), internal (interna), learning (aprendizaje).",
    ),
    (
        "kpis",
        '"0,085",2026-H1,no',
        '"0,085",2026-H1,quizá',
        'book/kpis.csv, sheet "kpis", row 5, column "higher_is_better": got \'quizá\'; allowed: true or false (yes/no, '
        "sí/no, 1/0).",
        "se admite: verdadero o falso",
    ),
    (
        "accounts",
        "account_id,name,sector,kam_id,revenue,country\nA1,Supermercados Peñíscola,gran distribución,K1,2500000,ES",
        "account_id,name,sector,kam_id,revenue,country,target_potential\n"
        "A1,Supermercados Peñíscola,gran distribución,K1,2500000,ES,11",
        'book/accounts.csv, sheet "accounts", row 2, column "target_potential": got 11; allowed: a number from 0 to 10 '
        "(decimal comma or point).",
        'columna "target_potential": valor 11; se admite: un número de 0 a 10',
    ),
    (
        "selection_scores",
        "C1,profitability,7",
        "C1,profitability,11",
        'book/selection_scores.csv, sheet "selection_scores", row 18, column "score": got 11; allowed: 1 to 10 '
        '(criterion "profitability").',
        'valor 11; se admite: de 1 a 10 (criterio "profitability")',
    ),
]


@pytest.mark.parametrize(("sheet", "old", "new", "english", "spanish"), CASES, ids=lambda c: str(c)[:24])
def test_each_rule_names_its_cell(tiny_path, tmp_path, sheet, old, new, english, spanish) -> None:
    with pytest.raises(kamlib.WorkbookError) as raised:
        kamlib.load(broken(tiny_path, tmp_path, sheet, old, new))
    assert raised.value.render("en") == english
    assert spanish in raised.value.render("es")


def test_a_playbook_row_with_an_unknown_element(tiny_path, tmp_path) -> None:
    folder = shutil.copytree(tiny_path, tmp_path / "book")
    (folder / "playbook.csv").write_text(
        "strategy,element,es,en,perspective\nmantener,métrica,Margen,Margin,financiera\nmilk,tarea,x,x,\n",
        encoding="utf-8",
    )
    with pytest.raises(kamlib.WorkbookError) as raised:
        kamlib.load(folder)
    assert raised.value.render("en") == (
        'book/playbook.csv, sheet "playbook", row 3, column "element": got \'tarea\'; allowed: relationship, priority, '
        "activity, metric."
    )
    assert "relationship (relación), priority (prioridad), activity (actividad), metric (métrica)" in (
        raised.value.render("es")
    )


def test_selection_scores_without_a_customers_sheet_say_so_once(tiny_path, tmp_path) -> None:
    folder = shutil.copytree(tiny_path, tmp_path / "book")
    (folder / "customers.csv").unlink()
    with pytest.raises(kamlib.WorkbookError) as raised:
        kamlib.load(folder)
    assert raised.value.render("en") == (
        'book/selection_scores.csv, sheet "selection_scores", column "customer_id": this sheet names ids of sheet '
        '"customers", which the workbook lacks; allowed: add sheet "customers" (columns customer_id, name).'
    )
    assert 'se admite: añadir la hoja "customers" (columnas customer_id, name)' in raised.value.render("es")


def test_selection_criteria_all_at_zero_weight(tiny_path, tmp_path) -> None:
    folder = shutil.copytree(tiny_path, tmp_path / "book")
    (folder / "selection_criteria.csv").write_text(
        "criterion_id,label_es,label_en,weight\nvolume_scalability,Volumen,Volume,0\nprofitability,Rentabilidad,"
        "Profitability,0\ndiversification,D,D,0\nmarket_access,M,M,0\ninnovation_adoption,I,I,0\n",
        encoding="utf-8",
    )
    with pytest.raises(kamlib.WorkbookError) as raised:
        kamlib.load(folder)
    assert raised.value.render("en") == (
        'book/selection_criteria.csv, sheet "selection_criteria", column "weight": every selection criterion has '
        "weight 0; allowed: at least one weight > 0 (or no rows: the five default criteria)."
    )
    assert "todos los criterios de selección tienen peso 0" in raised.value.render("es")


def test_a_kpis_unit_from_an_xlsx_where_a_percent_cell_reads_as_shown(tmp_path) -> None:
    """A percentage is stated in points: a cell Excel shows as 6 % (stored as 0.06) reads as 6, like "6 %"."""
    from openpyxl import load_workbook

    from tests.data.bad.make_corpus import xlsx_from_tiny

    path = tmp_path / "book.xlsx"
    xlsx_from_tiny(path)
    book = load_workbook(path)
    sheet = book.create_sheet("kpis")
    sheet.append(["account_id", "perspective", "kpi", "unit", "target", "actual", "period", "higher_is_better"])
    sheet.append(["A1", "financial", "Crecimiento de ventas", "Porcentaje", 0.06, "6,5 %", "2026-H1", True])
    sheet.append(["A1", "financial", "Volumen de ventas", "importe", 2_500_000, 2_400_000, "2026-H1", True])
    sheet.append(["A1", "internal", "Plazo de cobro", "DÍAS", 45, 50, "2026-H1", False])
    sheet.append(["A1", "customer", "Satisfacción", None, 8, 7.5, "2026-H1", True])
    sheet["E2"].number_format = "0%"
    book.save(path)
    kpis = kamlib.load(path).kpis
    assert kpis["unit"].tolist() == ["%", "currency", "days", "number"]
    assert kpis["target"].tolist() == [6.0, 2_500_000.0, 45.0, 8.0]
    assert kpis["actual"].tolist() == [6.5, 2_400_000.0, 50.0, 7.5]


def test_only_the_kpis_sheet_has_a_unit_column() -> None:
    """CHOICE_ALIASES is keyed by column name: the unit aliases (€ → currency) must apply to no other sheet."""
    from kamlib.i18n import UNITS
    from kamlib.workbook.sheets import CHOICE_ALIASES, KPIS, SHEETS

    assert [s.name for s in SHEETS if "unit" in s.column_names] == ["kpis"]
    assert KPIS.column("unit").choices == UNITS and KPIS.column("unit").default == "number"
    assert set(CHOICE_ALIASES["unit"].values()) <= set(UNITS)
