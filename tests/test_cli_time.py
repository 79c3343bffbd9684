"""`kam time`: what it hands to the library, end-to-end runs, and bad requests that exit 2 and write nothing."""

import io
import shutil

import pandas as pd
import pytest

from kamlib import cli
from tests.kam import run_kam


def test_time_hands_its_options_to_the_library(monkeypatch, tmp_path, tiny_path):
    seen = {}
    import kamlib.timealloc as timealloc

    real = timealloc.allocate_time

    def spy(engagement, reference, scored, period, normalise):
        seen.update(reference=reference, quadrants=dict(zip(scored.account_id, scored.quadrant, strict=True)))
        seen.update(period=period, normalise=normalise)
        return real(engagement, reference, scored, period, normalise)

    monkeypatch.setattr(timealloc, "allocate_time", spy)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: all invest\ncuts: {potential: 0, position: 0}\n", encoding="utf-8")
    reference = tmp_path / "r.yaml"
    reference.write_text("reference: {selling: 20, other: 0}\n", encoding="utf-8")
    out = tmp_path / "t.csv"
    args = ["time", str(tiny_path), "--scenario", str(scenario), "--reference", str(reference)]
    code = cli.main([*args, "--period", "2025-01", "--normalise", "--out", str(out)])
    assert code == 0
    assert seen["period"] == "2025-01" and seen["normalise"] is True
    assert seen["reference"].reference["selling"] == 20
    assert set(seen["quadrants"].values()) == {"invest"}
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table.loc[table["activity"] == "selling", "reference"].unique().tolist() == [20]


def test_time_end_to_end(tmp_path, tiny_path):
    result = run_kam("time", tiny_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "scope,kam_id,kam_name,activity,hours,share,reference,gap_pp,tvd,aitchison"
    assert "kam,K1,María Núñez,relationships,30.0,59.406,20.0,39.406,60.0," in result.stdout
    assert len(lines) == 1 + 3 * 9
    assert "K2 (Jordi Ibáñez) spends 16.7% of account time on Milk accounts; target at most 15%: about 0.4 h over." in (
        result.stderr
    )
    spanish = run_kam("--lang", "es", "time", tiny_path, "--kam", "K2", "--out", tmp_path / "t.xlsx")
    assert spanish.returncode == 0, spanish.stderr
    assert "cuentas «Ordeñar»" in spanish.stderr and "K1 (" not in spanish.stderr
    table = pd.read_excel(tmp_path / "t.xlsx", engine="openpyxl")
    assert set(table["kam_id"]) == {"K2"} and len(table) == 9


def test_time_shows_the_selling_findings_largest_first(tmp_path, tiny_path):
    book = tmp_path / "book"
    shutil.copytree(tiny_path, book)
    (book / "time.csv").write_text(
        "kam_id,account_id,activity,hours,period\n"
        "K1,A1,selling,30,2025-01\nK1,A1,relationships,70,2025-01\n"
        "K2,A3,selling,2,2025-01\nK2,A3,relationships,98,2025-01\n",
        encoding="utf-8",
    )
    reference = tmp_path / "r.yaml"
    # only the selling findings: no capacity floor, no profile threshold, no strategy target in the way
    quiet = "utilisation: {min: 0}\nfar_from_reference: 100\n"
    quiet += "strategy_targets: {maintain: {max: 100}, selective: {min: 0}}\n"
    reference.write_text(quiet, encoding="utf-8")
    result = run_kam("time", book, "--reference", reference)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "K1 (María Núñez) spends 30.0% of their time selling, against the method's 10% (±2.5 pp allowed): 20 pp more, "
        "about 20 h.",
        "The team spends 16.0% of its time selling, against the method's 10% (±2.5 pp allowed): 6 pp more, about 12 h.",
        "K2 (Jordi Ibáñez) spends 2.0% of their time selling, against the method's 10% (±2.5 pp allowed): 8 pp less, "
        "about 8 h.",
    ]
    spanish = run_kam("--lang", "es", "time", book, "--reference", reference, "--kam", "K2")
    assert spanish.returncode == 0, spanish.stderr
    assert spanish.stderr.splitlines() == [  # one KAM's rows: neither the other KAM nor the team
        "K2 (Jordi Ibáñez) dedica el 2,0\xa0% de su tiempo a vender, frente al 10\xa0% del método "
        "(se admiten ±2,5 pp): 8 pp menos, unas 8 h."
    ]


def survey_workbook(tmp_path, tiny_path, k1_reporting):
    book = tmp_path / "survey"
    shutil.copytree(tiny_path, book)
    (book / "time.csv").write_text(
        "kam_id;activity;percent;period\n"
        f"K1;relationships;40;2025\nK1;selling;10;2025\nK1;reporting;{k1_reporting};2025\n"
        "K2;relationships;20;2025\nK2;other;80;2025\n",
        encoding="utf-8",
    )
    return book


def test_survey_that_does_not_add_up_exits_2_unless_normalised(tmp_path, tiny_path):
    book = survey_workbook(tmp_path, tiny_path, "45,5")
    out = tmp_path / "t.csv"
    result = run_kam("time", book, "--out", out)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        'survey/time.csv, sheet "time", row 2, column "percent": the stated shares of KAM "K1" in period \'2025\' '
        "(rows 2–4) add up to 95.5; allowed: a total of 100 (±0.5) per KAM and period, or ask for them to be "
        "rescaled to 100 (kam time --normalise)."
    )
    assert not out.exists()
    result = run_kam("time", book, "--out", out, "--normalise")
    assert result.returncode == 0, result.stderr
    assert "warning: rescaled to 100 as asked (--normalise):\nsurvey/time.csv" in result.stderr
    table = pd.read_csv(out, encoding="utf-8-sig")
    k1 = table[table["kam_id"] == "K1"].set_index("activity")
    assert k1.loc["reporting", "share"] == pytest.approx(100 * 45.5 / 95.5, abs=1e-3)
    assert table["hours"].isna().all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["time", "{tiny}", "--kam", "K9"], "unknown KAM 'K9'; known: K1, K2"),
        (["time", "{tiny}", "--period", "2030"], "no time records in period '2030'; periods: 2025-01, 2025-02"),
        (["time", "{tiny}", "--out", "{tmp}/t.txt"], "unsupported table format '.txt'; allowed: .csv, .xlsx"),
        (["time", "{tiny}", "--reference", "{tmp}/none.yaml"], "none.yaml: no such time reference file"),
        (["time", "{tmp}/none"], "none: no such file or folder."),
    ],
)
def test_bad_time_requests_exit_2(tmp_path, tiny_path, args, message):
    args = [a.format(tiny=tiny_path, tmp=tmp_path) for a in args]
    result = run_kam(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_template_writes_the_time_reference_to_edit(tmp_path, tiny_path):
    from kamlib.timeref import TimeReference, load_time_reference

    out = tmp_path / "time.yaml"
    result = run_kam("template", out)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("# kamlib time reference / referencia de tiempo")
    assert load_time_reference(out) == TimeReference()
    edited = (
        out.read_text(encoding="utf-8").replace("selling: 10.0", "selling: 20.0").replace("other: 10.0", "other: 0")
    )
    out.write_text(edited, encoding="utf-8")
    table = pd.read_csv(io.StringIO(run_kam("time", tiny_path, "--reference", out).stdout))
    assert table.loc[table["activity"] == "other", "reference"].unique().tolist() == [0]


def test_charts_for_slides_are_written_with_the_table(tmp_path, tiny_path):
    charts = tmp_path / "charts"
    result = run_kam("--lang", "es", "time", tiny_path, "--kam", "K1", "--out", tmp_path / "t.csv", "--charts", charts)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in charts.iterdir())
    assert names == sorted(
        f"{n}.{s}" for n in ("time_profile", "time_gap", "strategy_time") for s in ("svg", "png", "html")
    )
    assert (charts / "time_profile.png").read_bytes().startswith(b"\x89PNG")
    svg = (charts / "time_gap.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Vender" in svg and "María Núñez" in svg  # K1's gaps, in Spanish
    assert "cdn." not in (charts / "strategy_time.html").read_text(encoding="utf-8")


def test_table_and_charts_are_written_all_or_none(tmp_path, tiny_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run_kam("time", tiny_path, "--out", tmp_path / "t.csv", "--charts", tmp_path / "afile")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_charts_onto_a_file_print_nothing_and_say_so_in_both_languages(tmp_path, tiny_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run_kam("--lang", "es", "time", tiny_path, "--charts", tmp_path / "afile")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"{tmp_path / 'afile'}: es un archivo; --charts necesita una carpeta"


def test_a_survey_still_checks_the_scenario_file(tmp_path, tiny_path):
    book = survey_workbook(tmp_path, tiny_path, "50")
    result = run_kam("time", book, "--scenario", tmp_path / "none.yaml")
    assert result.returncode == 2 and "none.yaml: no such scenario file" in result.stderr


def test_validate_refuses_a_survey_that_does_not_add_up(tmp_path, tiny_path):
    book = survey_workbook(tmp_path, tiny_path, "45")
    result = run_kam("validate", book)
    assert result.returncode == 2 and "add up to 95" in result.stderr and "Traceback" not in result.stderr
    good = run_kam("validate", survey_workbook(tmp_path / "ok", tiny_path, "50"))
    assert good.returncode == 0 and "(survey percentages)" in good.stdout
