"""Reports: safe file names, planning, warm-kernel workers, failures kept apart, re-runs that skip, offline HTML."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib.errors import KamError
from kamlib.publish.reports import plan_reports, run_reports, safe_name, unique_names

pytestmark = pytest.mark.slow

SAFE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_safe_names_stay_where_they_are_put(text):
    name = safe_name(text)
    assert SAFE.match(name) and len(name) <= 80
    assert ".." not in name and name.split(".")[0].lower() not in RESERVED
    root = Path("/reports/engagement")
    assert (root / name).resolve().parent == root


def test_unique_names_keep_ids_apart_on_case_blind_disks():
    names = unique_names(["A/1", "A_1", "a_1", "B"])
    assert len({n.lower() for n in names.values()}) == 4
    assert names["B"] == "B"


def test_plan_lays_out_one_folder_per_account(tmp_path, tiny_path):
    jobs = plan_reports(tiny_path, tmp_path, ["A2", "A1", "A2"], lang="en")
    assert [j.key for j in jobs] == ["A2", "A1", ""]
    assert jobs[0].html == (tmp_path / "tiny" / "A2" / "report.html").resolve()
    assert jobs[-1].html == (tmp_path / "tiny" / "portfolio.html").resolve()
    workbook = str(tiny_path.resolve())
    expected = {"workbook": workbook, "scenario": None, "lang": "en", "assignment": None, "account": "A2"}
    assert jobs[0].parameters == expected
    assert len(plan_reports(tiny_path, tmp_path)) == 4 + 1


def test_fingerprints_follow_the_inputs(tmp_path, tiny_path):
    book = tmp_path / "tiny"
    shutil.copytree(tiny_path, book)
    first = plan_reports(book, tmp_path / "out", ["A1"], lang="es")[0].fingerprint
    assert plan_reports(book, tmp_path / "out", ["A1"], lang="es")[0].fingerprint == first
    assert plan_reports(book, tmp_path / "out", ["A1"], lang="en")[0].fingerprint != first
    (book / "kams.csv").write_text((book / "kams.csv").read_text(encoding="utf-8") + "K3,Nueva,10\n", "utf-8")
    assert plan_reports(book, tmp_path / "out", ["A1"], lang="es")[0].fingerprint != first


def test_unknown_accounts_are_named(tmp_path, tiny_path):
    with pytest.raises(KamError, match=r"unknown account 'A9', 'Z'; known: A1, A2, A3, A4"):
        plan_reports(tiny_path, tmp_path, ["A1", "A9", "Z"])


def test_reports_are_written(written_reports):
    jobs, run = written_reports
    assert run.failed == [] and len(run.written) == 3
    for job in jobs:
        assert job.ipynb.is_file() and job.html.is_file() and job.is_current()
    nb = nbformat.read(jobs[0].ipynb, as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_report_html_is_offline_hides_code_and_escapes_names(written_reports):
    jobs, _ = written_reports
    page = jobs[1].html.read_text(encoding="utf-8")  # A2, the account with the hostile name
    assert not re.findall(r"""(?:src|href)=["']https?://""", page)
    assert "Content-Security-Policy" in page
    assert "<script>window.__kam_xss=1</script>" not in page
    assert "&lt;script&gt;window.__kam_xss=1&lt;/script&gt;" in page
    assert "kamlib.load(" not in page  # code cells hidden
    assert page.count("vegaEmbed=") <= 1 or page.count("function vegaEmbed") <= 1


def test_a_rerun_skips_what_did_not_change_and_force_redoes_it(written_reports):
    jobs, _ = written_reports
    again = run_reports(jobs, workers=1, progress=False)
    assert again.written == [] and len(again.skipped) == 3
    forced = run_reports(jobs[:1], workers=1, force=True, progress=False)
    assert [j.key for j in forced.written] == ["A1"]


def test_one_failing_report_does_not_stop_the_others(written_reports, tmp_path):
    jobs, _ = written_reports
    broken = tmp_path / "broken.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("lang = 'es'"), nbformat.v4.new_code_cell("raise ValueError('boom')")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, broken)
    bad = replace(jobs[0], notebook=broken, ipynb=tmp_path / "x" / "report.ipynb", html=tmp_path / "x" / "report.html")
    good = replace(jobs[1], ipynb=tmp_path / "y" / "report.ipynb", html=tmp_path / "y" / "report.html")
    run = run_reports([bad, good], workers=1, progress=False)
    assert [j.key for j in run.written] == ["A2"]
    assert [(j.key, error) for j, error in run.failed] == [("A1", "ValueError: boom")]
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())  # nothing half-written


def test_the_reports_of_one_kernel_share_the_engagements_results_until_an_input_changes(tmp_path, tiny_path):
    from kamlib.publish.shared import shared

    book = tmp_path / "tiny"
    shutil.copytree(tiny_path, book)
    first = shared(book, None, None)
    assert shared(book, None, None) is first  # the next report of the run: nothing computed again
    assert first.assignment.plan["account_id"].tolist() == first.scored["account_id"].tolist()
    (book / "kams.csv").write_text((book / "kams.csv").read_text(encoding="utf-8") + "K3,Nueva,10\n", "utf-8")
    again = shared(book, None, None)
    assert again is not first and "K3" in set(again.engagement.kams["kam_id"])  # a changed workbook: recomputed


def test_the_client_page_carries_no_warning_meant_for_the_consultant():
    """A cell's stderr (a Python warning: English, a source path) stays in the report's notebook, not its HTML."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from kamlib.publish.reports import html_exporter

    cell = new_code_cell("x", outputs=[
        new_output("stream", name="stderr", text="/srv/kamlib/scoring.py:237: KamWarning: placed by the customer"),
        new_output("display_data", data={"text/html": "<p>Cartera de cuentas clave</p>"}),
    ])  # fmt: skip
    notebook = new_notebook(cells=[cell])
    body, _ = html_exporter().from_notebook_node(notebook)
    assert "Cartera de cuentas clave" in body and "KamWarning" not in body and "/srv/kamlib" not in body
    assert len(notebook.cells[0].outputs) == 2  # the notebook itself keeps it
    assert nbformat.validate(notebook) is None


def test_the_portfolio_report_draws_the_level_asked_for(tmp_path, tiny_path):
    level0 = plan_reports(tiny_path, tmp_path, [], lang="en")[-1]
    assert "level" not in level0.parameters  # the notebook's own default: reports run before stay as run
    level2 = plan_reports(tiny_path, tmp_path, [], lang="en", level=2)[-1]
    assert level2.parameters["level"] == 2 and level2.fingerprint != level0.fingerprint
    assert "level" not in plan_reports(tiny_path, tmp_path, ["A1"], lang="en", level=2)[0].parameters
