"""Write the corpus of bad workbooks: one folder per rule, each a copy of ../tiny with one mistake.

Run `python tests/data/bad/make_corpus.py` after changing a case; each case's `expected.txt`
is written by hand (the messages a consultant must see) and checked by
tests/workbook/test_bad_corpus.py.
"""

from __future__ import annotations

import contextlib
import datetime
import shutil
from pathlib import Path

from openpyxl import Workbook, load_workbook

HERE = Path(__file__).resolve().parent
TINY = HERE.parent / "tiny"
SHEETS = ("accounts", "criteria", "scores", "kams", "time")


def csv_case(
    name: str,
    edits: dict[str, list[tuple[str, str]]] | None = None,
    drop: tuple[str, ...] = (),
    add: dict[str, str] | None = None,
) -> None:
    """Copy tiny into case `name`, replacing text in its CSV files, dropping whole files and adding sheets."""
    folder = HERE / name / "engagement"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for sheet in SHEETS:
        if sheet in drop:
            continue
        text = (TINY / f"{sheet}.csv").read_text(encoding="utf-8")
        for old, new in (edits or {}).get(sheet, []):
            assert old in text, (name, sheet, old)
            text = text.replace(old, new, 1)
        (folder / f"{sheet}.csv").write_text(text, encoding="utf-8")
    for sheet, text in (add or {}).items():
        (folder / f"{sheet}.csv").write_text(text, encoding="utf-8")


def xlsx_from_tiny(path: Path, drop: tuple[str, ...] = (), numbers_as_text: bool = False) -> None:
    """Write tiny as an .xlsx workbook (numbers typed as numbers unless `numbers_as_text`)."""
    import csv

    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        if sheet in drop:
            continue
        ws = book.create_sheet(sheet)
        with open(TINY / f"{sheet}.csv", encoding="utf-8") as f:
            for i, row in enumerate(csv.reader(f)):
                cells = []
                for v in row:
                    if i and not numbers_as_text:
                        with contextlib.suppress(ValueError):
                            v = float(v) if "." in v else int(v)
                    cells.append(v if v != "" else None)
                ws.append(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def main() -> None:
    csv_case("missing_sheet", drop=("kams",))
    csv_case(
        "missing_column",
        {
            "criteria": [
                ("label_en,weight,", "label_en,"),
                ("Business volume,3,", "Business volume,"),
                ("Growth,1,", "Growth,"),
                ("Service level,2,", "Service level,"),
                ("Service incidents,1,", "Service incidents,"),
            ]
        },
    )
    csv_case("wrong_type", {"accounts": [("640000", "mucho")], "kams": [("1650", "1.650 h")]})
    csv_case("score_outside_scale", {"scores": [("A1,volume,9", "A1,volume,11"), ("A2,service,1", "A2,service,6")]})
    csv_case("unknown_account", {"scores": [("A4,growth,3", "A5,growth,3")], "time": [("K2,A4,", "K2,A9,")]})
    csv_case("unknown_criterion", {"scores": [("A2,volume,8", "A2,volumen,8")]})
    csv_case("unknown_kam", {"accounts": [("horeca,K1,", "horeca,K7,")], "time": [("K2,,problem", "K3,,problem")]})
    csv_case("duplicate_account", {"accounts": [("A4,Épicerie", "A2,Épicerie")]})
    csv_case("duplicate_criterion", {"criteria": [("growth,potential", "volume,potential")]})
    csv_case(
        "all_weights_zero",
        {"criteria": [("Service level,2,", "Service level,0,"), ("Service incidents,1,", "Service incidents,0,")]},
    )
    csv_case("negative_weight", {"criteria": [("Growth,1,", "Growth,-1,")]})
    csv_case("negative_hours", {"time": [("reporting,12,", "reporting,-12,")]})
    csv_case("negative_revenue", {"accounts": [("180000", "-180000")]})
    csv_case("bad_axis", {"criteria": [("service,position", "service,posicionamiento")]})
    csv_case("bad_activity", {"time": [("selling", "ventas")]})
    csv_case("empty_required_cell", {"accounts": [("Hoteles Mirasol", "")], "scores": [("A1,volume", ",volume")]})
    csv_case("scale_order", {"criteria": [("Service level,2,0,5", "Service level,2,5,5")]})
    csv_case("bad_boolean", {"criteria": [("Growth,1,1,10,true", "Growth,1,1,10,quizás")]})
    csv_case(
        "many_problems",
        {
            "accounts": [("640000", "mucho")],
            "scores": [("A1,volume,9", "A1,volume,11"), ("A2,volume,8", "A2,volumen,8")],
            "criteria": [("service,position", "service,eje")],
        },
    )
    csv_case(
        "scoring_guide",
        add={
            "scoring_guide": "criterion_id,score,text_es,text_en\n"
            "volume,1,Compra muy poco,Buys very little\n"
            "volume,11,Compra muchísimo,Buys a lot\n"
            "service,5,,\n"
            "volume,1,Casi nada,Next to nothing\n"
            "volumen,4,Por debajo de la media,Below the average\n"
        },
    )
    csv_case("unquoted_decimal_comma", {"scores": [('A2,growth,"7,5"', "A2,growth,7,5")]})
    case = HERE / "xlsx_formula_and_date"
    xlsx_from_tiny(case / "engagement.xlsx")
    book = load_workbook(case / "engagement.xlsx")
    book["accounts"]["E3"] = "=600000+40000"  # a formula never calculated: openpyxl stores no value
    book["kams"]["C2"] = datetime.datetime(2025, 1, 1)  # a date typed where hours belong
    book.save(case / "engagement.xlsx")
    case = HERE / "empty_file"
    case.mkdir(exist_ok=True)
    (case / "engagement.xlsx").write_bytes(b"")
    case = HERE / "not_a_workbook"
    case.mkdir(exist_ok=True)
    (case / "engagement.xlsx").write_text("account_id,name\nA1,Peñíscola\n", encoding="utf-8")
    case = HERE / "xlsx_missing_sheet"
    xlsx_from_tiny(case / "engagement.xlsx", drop=("time",))
    case = HERE / "xlsx_outside_scale"
    xlsx_from_tiny(case / "engagement.xlsx", numbers_as_text=True)
    book = load_workbook(case / "engagement.xlsx")
    book["scores"]["C2"] = 1000  # A1 volume: a number, not text
    book["scores"]["C5"] = "20,5"  # A1 incidents, typed as text with a decimal comma: still outside 0 to 20
    book.save(case / "engagement.xlsx")


if __name__ == "__main__":
    main()
