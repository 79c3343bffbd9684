"""Reports: one notebook per key account and one for the engagement, run with parameters, saved as HTML.

`kam report` plans one job per account (and the portfolio), skips those whose inputs have not changed
since the last run (a fingerprint of the workbook, scenario, notebook, parameters and kamlib's own
code), and runs the rest on worker processes. Each worker keeps one warm Jupyter kernel for all its
reports, so the seconds spent importing pandas, altair and kamlib are paid once per worker instead of
once per report (the naive way, a papermill and an nbconvert process per account, pays them three
times per report). Every file is written atomically; a failing report does not stop the others.

File names come from ids through `safe_name`: nothing a workbook holds can name a path outside the
output folder.

The output folder is handed to the client, so nothing in it names the consultant's folders: a report's
parameters (its notebook's parameters cell and papermill's metadata) and the engagement record name the
workbook, scenario and assignment settings by their path relative to the folder of the notebook or record
(`kamlib.publish.record.recorded_path`), and the bundled sample not at all (None). Each report runs with
its own folder as the kernel's working folder, as Jupyter runs a notebook it opens, so those paths resolve
when the report is run and when it is opened and run again in Jupyter (papermill: pass `--cwd` that folder).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kamlib.errors import KamError, check_accounts
from kamlib.publish.record import ENGAGEMENT_RECORD, RECORDED, inputs_digest, recorded_path

if TYPE_CHECKING:
    from jupyter_client.client import KernelClient
    from nbformat import NotebookNode

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
ACCOUNT_NOTEBOOK = NOTEBOOKS / "account_report.ipynb"
PORTFOLIO_NOTEBOOK = NOTEBOOKS / "portfolio_report.ipynb"
TEMPLATES = Path(__file__).resolve().parent / "jupyter" / "nbconvert" / "templates"
FINGERPRINT = ".fingerprint"
CELL_TIMEOUT = 300
"""Seconds a report cell may run before the report is given up as failed."""

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 80


def safe_name(text: str) -> str:
    """Turn an id or a name into a file name that stays where it is put, on any system.

    Accents are dropped (Peñíscola → Peniscola), anything but letters, digits, `.`, `_` and `-` becomes
    `_`, leading dots go (no `..`, no hidden files), names Windows reserves get a `_`, and long names are
    cut with a short hash of the whole so that two long ids stay apart.

    >>> [safe_name(t) for t in ("A-001", "../../etc/passwd", "Peñíscola S.A.", "CON", " ", "a/b\\\\c", "..")]
    ['A-001', 'etc_passwd', 'Peniscola_S.A', 'CON_', '_', 'a_b_c', '_']
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    name = _UNSAFE.sub("_", re.sub(r"\.{2,}", ".", ascii_text)).strip("._") or "_"
    if name.split(".")[0].lower() in _RESERVED:
        name += "_"
    if len(name) > _MAX_NAME:
        name = name[: _MAX_NAME - 9] + "-" + hashlib.sha256(str(text).encode("utf-8")).hexdigest()[:8]
    return name


def unique_names(ids: Sequence[str]) -> dict[str, str]:
    """Give each id a distinct safe file name: ids that clash once made safe get a short hash."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    counts = Counter(safe_name(i).lower() for i in ids)
    clashing = {name for name, count in counts.items() if count > 1}
    for i in ids:
        name = safe_name(i)
        if name.lower() in clashing:
            name = f"{name[: _MAX_NAME - 9]}-{hashlib.sha256(i.encode('utf-8')).hexdigest()[:8]}"
        while name.lower() in taken:  # a hash can only clash with an id that already looks like one
            name += "_"
        taken.add(name.lower())
        names[i] = name
    return names


@dataclass(frozen=True)
class ReportJob:
    """One report to run: which notebook, with what parameters, into which folder."""

    key: str
    """The account id, or "" for the portfolio report."""
    notebook: Path
    parameters: dict[str, object]
    """The notebook's parameters, input files by absolute path (None: not given, or the bundled sample); what
    the notebook is given, and keeps, is `notebook_parameters`."""
    ipynb: Path
    html: Path
    fingerprint: str
    title: str = ""
    """The page's title (its browser tab, its bookmark), from the engagement's identity, never a file name."""

    def is_current(self) -> bool:
        """Tell whether the last run wrote both files from the same inputs (then it need not run again)."""
        return (
            self.ipynb.is_file()
            and self.html.is_file()
            and self.stamp.is_file()
            and self.stamp.read_text(encoding="utf-8") == self.fingerprint
        )

    def notebook_parameters(self) -> dict[str, object]:
        """The parameters as the notebook gets and keeps them: input files relative to the folder of `ipynb`."""
        folder = self.ipynb.parent
        return {k: recorded_path(v, folder) if k in RECORDED else v for k, v in self.parameters.items()}

    @property
    def stamp(self) -> Path:
        """Where the fingerprint of the inputs the files were made from is kept."""
        return self.ipynb.parent / FINGERPRINT if self.key else self.html.with_suffix(".fingerprint")


@dataclass
class ReportRun:
    """What a run did: reports written, reports skipped as current, and failures with their error."""

    written: list[ReportJob] = field(default_factory=list)
    skipped: list[ReportJob] = field(default_factory=list)
    failed: list[tuple[ReportJob, str]] = field(default_factory=list)


def plan_reports(
    workbook: Path | str,
    out: Path | str,
    accounts: Iterable[str] | None = None,
    scenario: Path | str | None = None,
    lang: str | None = None,
    assignment: Path | str | None = None,
    level: int = 0,
) -> list[ReportJob]:
    """Plan the account reports (all accounts if `accounts` is None) and the portfolio report, in `lang` (None:
    the engagement's language, else the default; `Identity.lang`); the portfolio report draws the account
    hierarchy's groups at `level` (0: the top accounts; `kamlib.plan.hierarchy`).

    Reads and validates the workbook, the scenario and the assignment settings (bad input raises `KamError`
    before anything runs), checks the account ids, and lays out `out/<engagement>/<account>/report.{ipynb,html}` and
    `out/<engagement>/portfolio.{ipynb,html}`. The bundled sample is named by no path (workbook None).
    """
    from kamlib.engagement import SAMPLE_PATH, load
    from kamlib.scenarios.scenario import load_scenario

    workbook = Path(workbook).resolve()
    engagement = load(workbook)
    lang = engagement.identity.lang(lang)
    if scenario is not None:
        scenario = Path(scenario).resolve()
        load_scenario(scenario).check_against(engagement, scenario.name)
    if assignment is not None:
        from kamlib.assignment.competences import load_assignment_settings

        assignment = Path(assignment).resolve()
        load_assignment_settings(assignment)
    known = engagement.accounts["account_id"].tolist()
    chosen = known if accounts is None else list(dict.fromkeys(accounts))
    check_accounts(chosen, known)
    root = Path(out).resolve() / safe_name(engagement.name)
    inputs = inputs_digest(workbook, scenario, assignment)
    common = {
        "workbook": None if workbook == SAMPLE_PATH.resolve() else str(workbook),  # None: the bundled sample
        "scenario": None if scenario is None else str(scenario),
        "lang": lang,
        "assignment": None if assignment is None else str(assignment),
    }
    names = unique_names(known)
    account_names = dict(zip(known, engagement.accounts["name"].astype(str), strict=True))
    identity = engagement.identity
    jobs = []
    for account in chosen:
        folder = root / names[account]
        title = f"{account_names[account]} · {identity.title('account', lang)}"
        jobs.append(_job(account, ACCOUNT_NOTEBOOK, {**common, "account": account}, folder / "report", inputs, title))
    portfolio = common | ({"level": level} if level else {})  # level 0 is the notebook's own: reports stay as run
    jobs.append(_job("", PORTFOLIO_NOTEBOOK, portfolio, root / "portfolio", inputs, identity.title("portfolio", lang)))
    for job in jobs:
        if root not in job.html.resolve().parents:  # safe_name makes this impossible; keep it so
            raise KamError(f"{job.html}: outside {root}", f"{job.html}: fuera de {root}")
    return jobs


def _job(key: str, notebook: Path, parameters: dict[str, object], stem: Path, inputs: str, title: str) -> ReportJob:
    digest = hashlib.sha256()
    for part in (inputs, notebook.read_bytes(), json.dumps(parameters, sort_keys=True)):
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
    return ReportJob(
        key, notebook, parameters, stem.with_suffix(".ipynb"), stem.with_suffix(".html"), digest.hexdigest(), title
    )


def run_reports(
    jobs: Sequence[ReportJob], workers: int | None = None, force: bool = False, progress: bool = True
) -> ReportRun:
    """Run the jobs that are not current (all with `force`) on `workers` processes, each with a warm kernel."""
    run = ReportRun()
    _record_engagement(jobs)
    todo = []
    for job in jobs:
        (todo if force or not job.is_current() else run.skipped).append(job)
    if not todo:
        return run
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from multiprocessing import get_context

    from tqdm import tqdm

    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    with (
        ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start_worker) as pool,
        tqdm(total=len(todo), unit="report", disable=not progress, leave=False) as bar,
    ):
        futures = {pool.submit(_run_job, job): job for job in todo}
        for future in as_completed(futures):
            job = futures[future]
            try:
                error = future.result()
            except Exception as exc:  # a worker that died (out of memory, killed) fails its report only
                error = f"{type(exc).__name__}: {exc}"
            if error is None:
                run.written.append(job)
            else:
                run.failed.append((job, error))
            bar.update()
    run.failed.sort(key=lambda item: item[0].key)
    return run


def _record_engagement(jobs: Sequence[ReportJob]) -> None:
    """Note the workbook, scenario and assignment settings beside the reports, for `kam serve DIR/<engagement>`.

    They are the portfolio report's, relative to DIR/<engagement> where the record is; null: the bundled sample,
    no scenario, no settings."""
    from kamlib.fileio import write_text

    for job in jobs:
        if not job.key:  # the portfolio report sits in DIR/<engagement>
            record = {k: recorded_path(job.parameters[k], job.html.parent) for k in RECORDED}
            write_text(job.html.parent / ENGAGEMENT_RECORD, json.dumps(record, indent=2) + "\n")


# --- inside a worker process ---------------------------------------------------------------------

_KERNEL = None
_CLIENT = None
_EXPORTER = None
_WARM_UP = "import kamlib, kamlib.charts, kamlib.timealloc, kamlib.plan.account, kamlib.charts.account"


def _start_worker() -> None:
    """Start this worker's kernel and one client of it, and import in it what every report needs, once.

    The kernel talks over IPC sockets in a private temporary folder, not TCP: nothing listens on a port,
    and ipykernel has no reason to warn about unencrypted traffic. Every report of the worker goes through the
    one client: a new client waits 0.2 s for the kernel's output channel to fall quiet before it is ready, twice
    a report (entering its folder, running it), a tenth of a report's time.
    """
    global _KERNEL, _CLIENT, _EXPORTER
    import atexit
    import shutil
    import tempfile

    from jupyter_client.manager import KernelManager

    sockets = Path(tempfile.mkdtemp(prefix="kam-kernel-"))
    _KERNEL = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "kernel"))
    _KERNEL.start_kernel(cwd=str(NOTEBOOKS), env=kernel_environment())
    atexit.register(shutil.rmtree, sockets, ignore_errors=True)  # runs last (last in, first out)
    atexit.register(_KERNEL.shutdown_kernel, now=True)
    _CLIENT = _KERNEL.client()
    _CLIENT.start_channels()
    atexit.register(_CLIENT.stop_channels)
    _CLIENT.wait_for_ready(timeout=120)
    _CLIENT.allow_stdin = False
    _CLIENT.execute_interactive(_WARM_UP, timeout=120)
    _EXPORTER = html_exporter()


def kernel_environment() -> dict[str, str]:
    """The environment a report kernel runs in: this one without `KAM_WORKBOOK` (a report's workbook is its
    parameter, None the bundled sample) and with `KAM_DATA` absolute (the kernel changes folder)."""
    env = {name: value for name, value in os.environ.items() if name != "KAM_WORKBOOK"}
    if env.get("KAM_DATA"):
        from kamlib.scenarios.store import user_data

        env["KAM_DATA"] = str(user_data())
    return env


def html_exporter():
    """nbconvert's HTML exporter with kamlib's report template: code hidden, nothing loaded from the internet, and
    no stream a cell wrote to stderr (a warning for the consultant, with a source path in English: it stays in the
    report's notebook beside the HTML, never in the client's page)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name="kamlib_report",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(without_stderr, enabled=True)
    return exporter


def without_stderr(notebook, resources: dict) -> tuple:
    """An nbconvert preprocessor: the notebook without the outputs its cells wrote to stderr."""
    for cell in notebook.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") ==
                                                            "stderr")]  # fmt: skip
    return notebook, resources


def _run_job(job: ReportJob) -> str | None:
    """Execute one report in the worker's kernel and write its notebook and HTML; return the error, if any."""
    try:
        notebook = execute_report(job)
        write_report(job, notebook)
    except Exception as exc:
        return _describe(exc)
    return None


def execute_report(job: ReportJob) -> NotebookNode:
    """Return the report notebook executed with its parameters (in this worker's kernel; outside a worker, in a
    new kernel) in the folder it is written to, against which its paths resolve."""
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = parameterize_notebook(
        load_notebook_node(str(job.notebook)), job.notebook_parameters(), kernel_name="python3", language="python"
    )
    folder = job.ipynb.parent
    folder.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(notebook, km=_KERNEL, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=False)
    if _CLIENT is None:
        client.execute(cwd=str(folder), env=kernel_environment())  # its own kernel, shut down after
    else:
        _enter_folder(_CLIENT, folder)
        client.kc = _CLIENT  # the worker's client, already ready: nbclient uses it and leaves it open
        client.execute()
    return notebook


def _enter_folder(client: KernelClient, folder: Path) -> None:
    """Make `folder` the working folder of the kernel of a ready `client`, silently: nothing of it shows in any
    notebook."""
    reply = client.execute_interactive(
        f"__import__('os').chdir({str(folder)!r})", silent=True, store_history=False, timeout=120
    )
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{folder}: {reply['content'].get('evalue', 'cannot run there')}")


def write_report(job: ReportJob, notebook, exporter=None) -> None:
    """Write the executed notebook and its HTML (one copy of the Vega bundle), then the fingerprint: atomically."""
    import nbformat

    from kamlib.charts.export import vega_bundle
    from kamlib.fileio import atomic_paths

    notebook.metadata["title"] = job.title
    body, _ = (exporter or _EXPORTER or html_exporter()).from_notebook_node(notebook)
    bundle = vega_bundle()
    first = body.find(bundle)
    if first >= 0:  # every chart output carries the bundle in case it is alone on its page; one is enough
        cut = first + len(bundle)
        body = body[:cut] + body[cut:].replace(bundle, "")
    with atomic_paths([job.ipynb, job.html, job.stamp]) as (ipynb, html, stamp):
        nbformat.write(notebook, str(ipynb))
        html.write_text(body, encoding="utf-8")
        stamp.write_text(job.fingerprint, encoding="utf-8")


def _describe(exc: Exception) -> str:
    """One line for a failed report: nbclient's cell error names the exception and its message."""
    from nbclient.exceptions import CellExecutionError

    if isinstance(exc, CellExecutionError):
        name = getattr(exc, "ename", "") or "error"
        value = getattr(exc, "evalue", "") or str(exc).strip().splitlines()[-1]
        return f"{name}: {value}"
    return f"{type(exc).__name__}: {exc}"
