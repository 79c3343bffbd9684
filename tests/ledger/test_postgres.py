"""A real PostgreSQL server read through the ledger's SQL path (SQLAlchemy, as any database URL), like DuckDB.

The suite starts its own server once per session with pytest-postgresql's executor: Debian's `postgresql`
package (.ci/run installs it; pg_ctl lives in /usr/lib/postgresql/<version>/bin, not on PATH). Without one
the tests skip, and fail under CI (CI=true). PostgreSQL refuses to run as root, and tests run as root in CI:
then pg_ctl runs as the `postgres` user (through runuser), in a temporary directory that user owns.
"""

import os
import pwd
import re
import shlex
import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import kamlib
from kamlib.errors import KamError
from kamlib.ledger.scores import ingest_scores, read_ledger
from tests.kam import run_kam

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

INSTALL_HINT = "install with: apt-get install -y postgresql; pip install -e .[test]"

# Invoice lines as an ERP keeps them: a date column, numeric amounts, a return, accented names, and a line of
# another company that the query leaves out.
COLUMNS = ("fecha", "empresa", "cliente_erp", "nombre_cliente", "articulo", "familia", "factura", "cantidad")
AMOUNTS = ("neto_eur", "coste")
LINES = [
    ("2024-03-10", "ES", "A1", "Supermercados Peñíscola", "P1", "Aceites", "F24-001", 10, "1000.50", "600.25"),
    ("2025-02-01", "ES", "A1", "Supermercados Peñíscola", "P1", "Aceites", "F25-002", 8, "1800.00", "400.00"),
    ("2025-06-15", "ES", "A1", "Supermercados Peñíscola", "P2", "Conservas", "F25-003", 7, "700.75", "500.00"),
    ("2025-06-20", "ES", "A1", "Supermercados Peñíscola", "P2", "Conservas", "R25-001", -3, "-300.25", "-200.00"),
    ("2024-05-01", "ES", "A2", "Hoteles Mirasol", "P2", "Conservas", "F24-004", 7, "700.00", "500.00"),
    ("2025-06-15", "ES", "A2", "Hoteles Mirasol", "P3", "Quesos", "F25-005", 3, "300.00", "200.00"),
    ("2025-07-01", "PT", "A2", "Hoteles Mirasol", "P3", "Quesos", "P25-900", 1, "99999.00", "1.00"),
    ("2024-11-30", "ES", "C9", "Cafés Logroño, S.L.", "P3", "Quesos", "F24-006", 5, "500.00", "250.00"),
    ("2025-12-31", "ES", "C9", "Cafés Logroño, S.L.", "P1", "Aceites", "F25-007", 5, "1234.56", "300.00"),
]
MAPPING = "columns:\n  customer: cliente_erp\n  revenue: neto_eur\n"
QUERY = (
    "SELECT fecha, cliente_erp, nombre_cliente, articulo, familia, factura, cantidad, neto_eur, coste "
    "FROM ventas WHERE empresa = 'ES' ORDER BY id"
)


def spanish_csv() -> str:
    """The lines the query selects, as Excel in Spanish saves them: ";", day first, decimal comma."""
    rows = ["Fecha;Cliente ERP;Nombre cliente;Artículo;Familia;Factura;Cantidad;Neto EUR;Coste"]
    for d, company, *texts, quantity, revenue, cost in LINES:
        if company == "ES":
            day = "/".join(reversed(d.split("-")))
            rows.append(";".join([day, *texts, str(quantity), revenue.replace(".", ","), cost.replace(".", ",")]))
    return "\n".join(rows) + "\n"


# --- the server ------------------------------------------------------------------------------------------


def _unavailable(reason: str) -> None:
    """Fail under CI (CI=true), else skip: the PostgreSQL tests must run in CI."""
    message = f"the PostgreSQL tests need {reason} ({INSTALL_HINT})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def pg_ctl() -> Path | None:
    """Debian's pg_ctl of the highest installed version, else one on PATH."""

    def version(path: Path) -> tuple[int, ...]:
        name = path.parents[1].name
        return tuple(map(int, name.split("."))) if re.fullmatch(r"\d+(\.\d+)*", name) else (-1,)

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=version)
    if found:
        return found[-1]
    on_path = shutil.which("pg_ctl")
    return Path(on_path) if on_path else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str, **kwargs):
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user, dbname=dbname, **kwargs)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """A PostgreSQL server for the session (trust authentication on 127.0.0.1), stopped and removed after."""
    ctl = pg_ctl()
    if ctl is None:
        _unavailable("a PostgreSQL server (no pg_ctl in /usr/lib/postgresql/*/bin or on PATH)")
    try:
        import psycopg  # noqa: F401 - the driver SQLAlchemy's postgresql+psycopg URLs use
        from pytest_postgresql.executors import PostgreSQLExecutor
    except ImportError as exc:
        _unavailable(f"pytest-postgresql and psycopg ({exc})")
    executable = ctl
    home = Path(tempfile.mkdtemp(prefix="kam-postgresql-"))
    try:
        if os.geteuid() == 0:  # PostgreSQL will not run as root: run it as the postgres user the package creates
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                _unavailable("a postgres user to run the server as (PostgreSQL refuses to run as root)")
            runuser = shutil.which("runuser", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
            if runuser is None:
                _unavailable("runuser (util-linux) to run the server as the postgres user")
            os.chown(home, owner.pw_uid, owner.pw_gid)
            executable = home / "pg_ctl"
            executable.write_text(
                f"#!/bin/sh\ncd {shlex.quote(str(home))} || exit 1\n"
                f'exec {shlex.quote(runuser)} -u postgres -- {shlex.quote(str(ctl))} "$@"\n',
                encoding="utf-8",
            )
            executable.chmod(0o755)
        server = Server("127.0.0.1", free_port(), "postgres")
        executor = PostgreSQLExecutor(
            executable=str(executable),
            host=server.host,
            port=server.port,
            datadir=str(home / "data"),
            unixsocketdir=str(home),
            logfile=str(home / "postgresql.log"),
            startparams="-w",
            dbname="tests",
            user=server.user,
        )
        try:
            try:
                executor.start()
            except Exception as exc:
                log = home / "postgresql.log"
                tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log.is_file() else "(no log)"
                pytest.fail(f"PostgreSQL ({ctl}) did not start: {type(exc).__name__}: {exc}\n{tail}", pytrace=False)
            yield server
        finally:
            if executor.running():
                executor.stop()
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def erp(pg_server: Server) -> str:
    """The URL of a database `erp` whose table `ventas` holds LINES, typed (date, integer, numeric)."""
    with pg_server.connect("postgres", autocommit=True) as con:
        # UTF-8 whatever the server's locale, so accented names come back as text
        con.execute("CREATE DATABASE erp ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'")
    with pg_server.connect("erp") as con:
        con.execute(
            "CREATE TABLE ventas (id serial PRIMARY KEY, fecha date NOT NULL, empresa text, cliente_erp text, "
            "nombre_cliente text, articulo text, familia text, factura text, cantidad integer, "
            "neto_eur numeric(12, 2), coste numeric(12, 2))"
        )
        names = ", ".join(COLUMNS + AMOUNTS)
        marks = ", ".join(["%s"] * len(COLUMNS + AMOUNTS))
        with con.cursor() as cur:
            cur.executemany(f"INSERT INTO ventas ({names}) VALUES ({marks})", LINES)
    return pg_server.url("erp")


@pytest.fixture
def files(tmp_path) -> tuple[Path, Path]:
    """The mapping and the CSV of the lines the query selects."""
    mapping = tmp_path / "erp.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    ledger = tmp_path / "ventas.csv"
    ledger.write_text(spanish_csv(), encoding="utf-8")
    return mapping, ledger


# --- reading --------------------------------------------------------------------------------------------


def test_a_query_reads_the_same_lines_as_the_csv(erp, files):
    mapping, ledger = files
    by_sql = read_ledger(erp, mapping, query=QUERY)
    by_csv = read_ledger(ledger, mapping)
    assert by_sql["row"].tolist() == list(range(1, 9))  # a query's first line is row 1
    pd.testing.assert_frame_equal(by_sql.drop(columns="row"), by_csv.drop(columns="row"))
    assert by_sql["date"].dtype == "datetime64[s]"
    assert by_sql["revenue"].sum() == pytest.approx(5935.56)  # net of the return
    assert set(by_sql["customer_name"]) == {"Supermercados Peñíscola", "Hoteles Mirasol", "Cafés Logroño, S.L."}


def test_a_bare_table_name_reads_the_whole_table(erp, files):
    mapping, _ = files
    for name in ("ventas", " public.ventas "):
        lines = read_ledger(erp, mapping, query=name)
        assert len(lines) == len(LINES)
        assert lines["invoice"].tolist() == [line[6] for line in LINES]


def test_a_failing_query_names_the_database_and_postgresqls_reason(erp, files):
    mapping, _ = files
    with pytest.raises(KamError) as info:
        read_ledger(erp, mapping, query="SELECT * FROM nada")
    reason = '((psycopg.errors.UndefinedTable) relation "nada" does not exist'
    assert info.value.render("en").startswith(f"erp, query: the query failed {reason}")
    assert info.value.render("es").startswith(f"erp, consulta: la consulta falló {reason}")


def test_a_database_the_server_lacks_is_named(erp, files):
    mapping, _ = files
    with pytest.raises(KamError) as info:
        read_ledger(erp.replace("/erp", "/otra"), mapping, query="ventas")
    assert info.value.render("en").startswith("otra, query: the query failed ((psycopg.OperationalError)")
    assert info.value.render("es").startswith("otra, consulta: la consulta falló ((psycopg.OperationalError)")
    assert 'database "otra" does not exist' in info.value.render("en")


# --- kam ingest -----------------------------------------------------------------------------------------


def test_kam_ingest_from_postgresql_writes_the_scores_the_csv_gives(erp, files, tmp_path, tiny_path, tiny):
    mapping, ledger = files
    by_sql, by_csv = ingest_scores(erp, mapping, tiny, query=QUERY), ingest_scores(ledger, mapping, tiny)
    pd.testing.assert_frame_equal(by_sql.metrics, by_csv.metrics)
    pd.testing.assert_frame_equal(by_sql.scores, by_csv.scores)
    written = {}
    for source, extra in ((erp, ["--query", QUERY]), (ledger, [])):
        wb = tmp_path / f"wb-{len(written)}"
        shutil.copytree(tiny_path, wb)
        result = run_kam("ingest", source, wb, "--map", mapping, *extra)
        assert result.returncode == 0, result.stderr
        assert "Customers scored: 3" in result.stdout and "New accounts: 1 (C9)" in result.stdout
        written[source] = {name: (wb / name).read_bytes() for name in ("scores.csv", "accounts.csv")}
    assert written[erp] == written[ledger]
    engagement = kamlib.load(tmp_path / "wb-0")
    ledger_scores = engagement.scores[engagement.scores["assessor"] == "ledger"]
    assert len(ledger_scores) == 6 and set(ledger_scores["period"].astype(str)) == {
        "2026-H1 2025-12"
    }  # after tiny's 2026-H1 round
    assert "Cafés Logroño, S.L." in set(engagement.accounts["name"])
