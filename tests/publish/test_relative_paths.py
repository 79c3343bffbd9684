"""A report folder names no folder of the consultant's (security review, finding 17): every path written under
`kam report`'s output folder is relative to the folder of the file that holds it, and whatever reads it back
resolves it against that folder."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

import kamlib
from kamlib.engagement import SAMPLE_PATH
from kamlib.publish.record import ENGAGEMENT_RECORD, recorded_path, resolve_recorded
from kamlib.publish.reports import plan_reports
from kamlib.publish.serve import serve_target
from tests.kam import run_kam

SCENARIO = "name: cut3\ncuts: {position: 3}\n"
SETTINGS = "min_fit: 10\n"


def private_folders(tmp_path: Path) -> list[str]:
    """The folders no report may name, as text: the test's own, the home folder and kamlib's installation."""
    folders = {tmp_path, tmp_path.resolve(), Path.home(), Path(kamlib.__file__).resolve().parent, Path(sys.prefix)}
    texts = set()
    for folder in folders:
        if len(folder.parts) > 1:  # never "/" itself
            texts |= {str(folder), folder.as_posix(), json.dumps(str(folder))[1:-1]}  # as written in JSON too
    return sorted(texts)


def leaks(out: Path, private: Iterable[str]) -> list[str]:
    """Every file under `out` that holds one of the `private` texts, with the text."""
    found = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace")
        found += [f"{path.relative_to(out)}: {secret}" for secret in private if secret in text]
    return found


def flat(options: dict[str, object]) -> list[object]:
    """Command-line options from a dict: {"--out": "x"} → ["--out", "x"]."""
    return [part for pair in options.items() for part in pair]


def parameters_of(notebook: Path) -> tuple[dict, str]:
    """The parameters papermill recorded in an executed notebook, and its injected parameters cell."""
    nb = nbformat.read(notebook, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    papermill = nb.metadata["papermill"]
    assert "input_path" not in papermill and "output_path" not in papermill
    return dict(papermill["parameters"]), injected.source


# --- what a report folder records, and how it is read back ---------------------------------------------------------


def test_a_recorded_path_is_relative_to_its_folder_and_resolves_against_it(tmp_path):
    book = tmp_path / "clients" / "acme" / "book.xlsx"
    folder = tmp_path / "clients" / "acme" / "reports" / "acme" / "A1"
    assert recorded_path(book, folder) == "../../../book.xlsx"
    assert recorded_path(None, folder) is None
    assert resolve_recorded("../../../book.xlsx", folder) == book.resolve()
    assert resolve_recorded(str(book.resolve()), tmp_path / "elsewhere") == book.resolve()  # an older, absolute one
    assert resolve_recorded(None, folder) is None and resolve_recorded("", folder) is None


def test_serve_reads_a_record_against_its_folder_not_the_current_one(tmp_path, monkeypatch):
    reports = tmp_path / "acme" / "reports" / "acme"
    reports.mkdir(parents=True)
    record = {"workbook": "../../book", "scenario": "../../cut.yaml", "assignment": None}
    (reports / ENGAGEMENT_RECORD).write_text(json.dumps(record), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    expected = ((tmp_path / "acme" / "book").resolve(), (tmp_path / "acme" / "cut.yaml").resolve(), None)
    assert serve_target(Path("acme/reports/acme")) == expected
    (reports / ENGAGEMENT_RECORD).write_text(json.dumps(dict.fromkeys(record)), encoding="utf-8")
    assert serve_target(reports) == (SAMPLE_PATH, None, None)  # no workbook recorded: the bundled sample


def test_a_plan_names_its_inputs_relative_to_each_report(tmp_path, tiny_path):
    book = tmp_path / "acme" / "tiny"
    shutil.copytree(tiny_path, book)
    (tmp_path / "acme" / "settings.yaml").write_text(SETTINGS, encoding="utf-8")
    jobs = plan_reports(
        book, tmp_path / "acme" / "reports", ["A2"], lang="es", assignment=tmp_path / "acme" / "settings.yaml"
    )
    assert jobs[0].notebook_parameters() == {
        "workbook": "../../../tiny",
        "scenario": None,
        "lang": "es",
        "assignment": "../../../settings.yaml",
        "account": "A2",
    }
    assert jobs[1].notebook_parameters()["workbook"] == "../../tiny"  # the portfolio report, one folder up
    moved = replace(jobs[0], ipynb=tmp_path / "elsewhere" / "report.ipynb")  # a job written elsewhere: paths follow
    assert moved.notebook_parameters()["workbook"] == "../acme/tiny"
    sample = plan_reports(SAMPLE_PATH, tmp_path / "out", ["A001"])[0]
    assert sample.parameters["workbook"] is None and sample.notebook_parameters()["workbook"] is None


# --- `kam report` end to end: nothing under the output folder names a private folder --------------------------------


@pytest.mark.slow
def test_reports_on_the_bundled_sample_name_no_folder_of_this_machine(sample_reports_en):
    base, result = sample_reports_en  # run with KAM_WORKBOOK naming another engagement
    assert result.returncode == 0, result.stderr
    out = base / "reports"
    assert leaks(out, private_folders(base)) == []
    folder = out / "sample"
    record = json.loads((folder / ENGAGEMENT_RECORD).read_text(encoding="utf-8"))
    assert record == {"workbook": None, "scenario": None, "assignment": None}  # the sample: named by nothing
    parameters, injected = parameters_of(folder / "A001" / "report.ipynb")
    assert parameters["workbook"] is None and "workbook = None" in injected
    assert serve_target(folder) == (SAMPLE_PATH, None, None)


@pytest.mark.slow
def test_reports_name_their_inputs_relative_to_the_output_folder(tmp_path, tiny_path, monkeypatch):
    acme = tmp_path / "home" / "consultant" / "clients" / "acme"
    shutil.copytree(tiny_path, acme / "engagement")  # the tiny engagement: the paths are the point
    (acme / "cut3.yaml").write_text(SCENARIO, encoding="utf-8")
    (acme / "settings.yaml").write_text(SETTINGS, encoding="utf-8")
    inputs = {"--scenario": "cut3.yaml", "--settings": "settings.yaml", "--out": "reports"}
    result = run_kam("--lang", "en", "report", "engagement", "--account", "A1", "--jobs", "1", *flat(inputs), cwd=acme)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr  # the worker's kernel talks over IPC: no unencrypted-TCP warning
    out = acme / "reports"
    assert leaks(out, private_folders(tmp_path)) == []
    folder = out / "engagement"
    assert (folder / "A1" / "report.html").is_file() and (folder / "portfolio.html").is_file()
    record = json.loads((folder / ENGAGEMENT_RECORD).read_text(encoding="utf-8"))
    assert record == {
        "workbook": "../../engagement",
        "scenario": "../../cut3.yaml",
        "assignment": "../../settings.yaml",
    }
    parameters, injected = parameters_of(folder / "A1" / "report.ipynb")
    assert parameters["workbook"] == "../../../engagement" and 'workbook = "../../../engagement"' in injected
    assert parameters["scenario"] == "../../../cut3.yaml" and parameters["assignment"] == "../../../settings.yaml"
    assert parameters_of(folder / "portfolio.ipynb")[0]["workbook"] == "../../engagement"
    elsewhere = {flag: acme / name for flag, name in inputs.items()}  # the same inputs, run from another folder
    again = run_kam("--lang", "en", "report", acme / "engagement", "--account", "A1", *flat(elsewhere), cwd=tmp_path)
    assert again.returncode == 0 and "2 unchanged (--force redoes them)" in again.stderr, again.stderr
    bad = run_kam("report", acme / "engagement", "--account", "A9", "--out", tmp_path / "none")
    assert bad.returncode == 2 and "unknown account 'A9'" in bad.stderr and not (tmp_path / "none").exists()
    moved = tmp_path / "moved"
    shutil.move(acme, moved)  # the folders travel together: the record still finds its inputs
    monkeypatch.chdir(tmp_path)
    assert serve_target(moved / "reports" / "engagement") == (
        (moved / "engagement").resolve(),
        (moved / "cut3.yaml").resolve(),
        (moved / "settings.yaml").resolve(),
    )
