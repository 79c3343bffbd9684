"""The `kam` command's parser, built in one language: every command, option and help text, each written in English
and Spanish side by side."""

from __future__ import annotations

import argparse
from pathlib import Path

from kamlib.cli.spanish import Parser

_WORKBOOK = ("engagement .xlsx or folder of CSV files", "libro del encargo: .xlsx o carpeta de archivos CSV")
_SCENARIO = ("scenario YAML with weights and cut lines", "YAML de escenario con pesos y líneas de corte")
_PERIOD = (
    "score as of this period (default: the latest per score)",
    "puntúa a fecha de este periodo (por defecto: el último de cada puntuación)",
)
_TABLE = (
    "table, .csv or .xlsx (default: CSV on standard output)",
    "tabla, .csv o .xlsx (por defecto: CSV en la salida estándar)",
)
_LANG = (
    "language of messages, labels and this help (default: KAM_LANG, else the system's language, else en)",
    "idioma de los mensajes, las etiquetas y esta ayuda (por defecto: KAM_LANG; si no, el del sistema; si no, en)",
)
_SETTINGS = ("SETTINGS", "AJUSTES")  # the texts above are shared by several commands


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """Build the `kam` parser with every help text, and argparse's own words and errors, in `lang` (English by
    default: the command reference of the docs is written from it)."""

    def say(en: str, es: str) -> str:
        return es if lang == "es" else en

    parser = Parser(
        prog="kam",
        lang=lang,
        description=say(
            "Key account management workbook: validate, template, sample, score, time, compare, robustness, select, "
            "assign, ingest, deck, report, serve, workshop. En español: kam --lang es --help.",
            "Libro de gestión de cuentas clave (KAM): validate, template, sample, score, time, compare, robustness, "
            "select, assign, ingest, deck, report, serve, workshop.",
        ),
    )
    parser.add_argument("--lang", choices=("es", "en"), default=None, help=say(*_LANG))
    sub = parser.add_subparsers(dest="command", required=True, metavar=say("COMMAND", "ORDEN"))

    def command(name: str, en: str, es: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=say(en, es), lang=lang)

    def workbook(p: argparse.ArgumentParser, *text: str) -> None:  # text: English and Spanish, else the usual
        p.add_argument("workbook", type=Path, metavar=say("workbook", "libro"), help=say(*(text or _WORKBOOK)))

    def scenario(p: argparse.ArgumentParser, *text: str) -> None:
        p.add_argument("--scenario", type=Path, metavar=say("SCENARIO", "ESCENARIO"), help=say(*(text or _SCENARIO)))

    def listening(p: argparse.ArgumentParser, default_en: str, default_es: str) -> None:  # a server's address
        p.add_argument(
            "--host",
            default="127.0.0.1",
            metavar=say("HOST", "DIRECCIÓN"),
            help=say(
                f"address to listen on (default 127.0.0.1: {default_en})",
                f"dirección en la que escuchar (por defecto 127.0.0.1: {default_es})",
            ),
        )
        p.add_argument(
            "--port",
            type=int,
            metavar=say("PORT", "PUERTO"),
            help=say("port (default: a free one)", "puerto (por defecto: uno libre)"),
        )

    def period(p: argparse.ArgumentParser, *text: str) -> None:
        p.add_argument("--period", metavar=say("PERIOD", "PERIODO"), help=say(*(text or _PERIOD)))

    def hierarchy_level(p: argparse.ArgumentParser, what_en: str, what_es: str) -> None:  # the groups' level
        p.add_argument(
            "--level",
            type=int,
            default=0,
            metavar=say("LEVEL", "NIVEL"),
            help=say(
                f"the account-hierarchy level {what_en} draws its groups at (default 0: the top accounts)",
                f"nivel de la jerarquía de cuentas al que {what_es} dibuja sus grupos (por defecto 0: las cuentas de "
                "primer nivel)",
            ),
        )

    def out(p: argparse.ArgumentParser, *text: str, **kwargs: object) -> None:
        p.add_argument("--out", type=Path, metavar=say("OUT", "SALIDA"), help=say(*(text or _TABLE)), **kwargs)

    p = command("validate", "check a workbook and list every problem", "revisa un libro y enumera cada problema")
    workbook(p)

    p = command(
        "template",
        "write an empty workbook (.xlsx), or a reference file with every default (.yaml) to edit",
        "escribe un libro vacío (.xlsx), o un archivo de referencia con cada valor por defecto (.yaml) para editarlo",
    )
    p.add_argument(
        "out",
        type=Path,
        metavar=say("out", "archivo"),
        help=say("the .xlsx or .yaml file to write", "el archivo .xlsx o .yaml que escribir"),
    )
    p.add_argument(
        "--kind",
        choices=("workbook", "time", "assignment", "ledger"),
        help=say(
            "what to write (default: workbook for .xlsx, the time reference for .yaml; assignment = the competence "
            "requirements, efforts and rules of kam assign; ledger = the ledger mapping of kam ingest)",
            "qué escribir (por defecto: workbook para .xlsx, la referencia de tiempo para .yaml; assignment = los "
            "requisitos de competencias, los esfuerzos y las reglas de kam assign; ledger = la correspondencia del "
            "libro de ventas de kam ingest)",
        ),
    )

    p = command(
        "sample",
        "copy the bundled sample engagement (or its sales ledger) to a new folder",
        "copia el encargo de ejemplo incluido (o su libro de ventas) a una carpeta nueva",
    )
    p.add_argument(
        "out",
        type=Path,
        metavar=say("out", "carpeta"),
        help=say("the folder to write: new, or empty", "la carpeta que escribir: nueva, o vacía"),
    )
    p.add_argument(
        "--ledger",
        action="store_true",
        help=say(
            "the sample's sales ledger instead: ventas.csv, ventas.yaml, wallet.csv",
            "en su lugar, el libro de ventas del ejemplo: ventas.csv, ventas.yaml, wallet.csv",
        ),
    )

    p = command("score", "place every account in the matrix", "sitúa cada cuenta en la matriz")
    workbook(p)
    scenario(p)
    period(p)
    for axis, eje in (("potential", "del potencial"), ("position", "de la posición")):
        p.add_argument(
            f"--cut-{axis}",
            metavar=say(f"CUT_{axis.upper()}", "CORTE"),
            help=say(
                f"cut line of {axis}: a number 0-10 or median (overrides the scenario)",
                f"línea de corte {eje}: un número de 0 a 10 o median (en lugar de la del escenario)",
            ),
        )
    out(
        p,
        "scored table, .csv or .xlsx (default: CSV on standard output)",
        "tabla puntuada, .csv o .xlsx (por defecto: CSV en la salida estándar)",
    )
    p.add_argument(
        "--chart",
        type=Path,
        action="append",
        default=[],
        metavar=say("CHART", "GRÁFICO"),
        help=say(
            "matrix chart to write: .html (offline), .svg, .png or .json; may be repeated",
            "gráfico de la matriz que escribir: .html (sin conexión), .svg, .png o .json; puede repetirse",
        ),
    )
    p.add_argument(
        "--live",
        type=Path,
        metavar=say("LIVE", "ARCHIVO"),
        help=say(
            "the live matrix as one .html file: sliders that work with no kernel",
            "la matriz en vivo en un solo archivo .html: controles deslizantes que funcionan sin kernel",
        ),
    )

    p = command(
        "time",
        "where the KAMs' time goes, against the method's profile and the strategies",
        "en qué emplean su tiempo los KAM, frente al perfil del método y las estrategias",
    )
    workbook(p)
    p.add_argument(
        "--kam",
        metavar="KAM",
        help=say(
            "only this KAM's rows (default: every KAM and the team)",
            "solo las filas de este KAM (por defecto: cada KAM y el equipo)",
        ),
    )
    period(
        p,
        "only this period and its sub-periods, e.g. 2025 or 2025-07 (default: all)",
        "solo este periodo y sus subperiodos, p. ej. 2025 o 2025-07 (por defecto: todos)",
    )
    scenario(
        p,
        "scenario YAML whose quadrants the strategy time uses",
        "YAML de escenario cuyos cuadrantes usa el tiempo por estrategia",
    )
    p.add_argument(
        "--reference",
        type=Path,
        metavar=say("REFERENCE", "REFERENCIA"),
        help=say(
            "time reference YAML: profile, activity types, targets",
            "YAML de referencia de tiempo: perfil, tipos de actividad, objetivos",
        ),
    )
    p.add_argument(
        "--normalise",
        action="store_true",
        help=say(
            "rescale survey percentages that do not add up to 100 (warns)",
            "reescala a 100 los porcentajes de una encuesta que no suman 100 (con un aviso)",
        ),
    )
    out(p)
    p.add_argument(
        "--charts",
        type=Path,
        metavar=say("CHARTS", "CARPETA"),
        help=say(
            "folder to write the time charts to (profile, gaps of the team or --kam, strategy time), as .svg and "
            ".png for slides and offline .html",
            "carpeta donde escribir los gráficos de tiempo (perfil, diferencias con la referencia del equipo o de "
            "--kam, tiempo por estrategia), en .svg y .png para diapositivas y en .html sin conexión",
        ),
    )

    p = command(
        "compare",
        "two weight scenarios side by side: the accounts that change quadrant",
        "dos escenarios de pesos frente a frente: las cuentas que cambian de cuadrante",
    )
    workbook(p)
    p.add_argument(
        "scenarios",
        type=Path,
        nargs="+",
        metavar=say("SCENARIO", "ESCENARIO"),
        help=say(
            "S1.yaml [S2.yaml]: S1 against S2, or the workbook's weights against S1",
            "S1.yaml [S2.yaml]: S1 frente a S2, o los pesos del libro frente a S1",
        ),
    )
    period(p)
    out(
        p,
        "the movers, .csv or .xlsx (default: CSV on standard output)",
        "las cuentas que cambian de cuadrante, .csv o .xlsx (por defecto: CSV en la salida estándar)",
    )

    p = command(
        "robustness",
        "how robust each account's quadrant is to the weights (SMAA)",
        "cuán robusto es el cuadrante de cada cuenta frente a los pesos (SMAA)",
    )
    workbook(p)
    scenario(
        p,
        "scenario YAML whose weights and cut lines are the centre",
        "YAML de escenario cuyos pesos y líneas de corte son el centro",
    )
    p.add_argument(
        "--draws",
        type=int,
        default=10_000,
        metavar=say("DRAWS", "EXTRACCIONES"),
        help=say("weight vectors to draw (default 10000)", "vectores de pesos que extraer (por defecto 10000)"),
    )
    spread = p.add_mutually_exclusive_group()
    spread.add_argument(
        "--concentration",
        type=float,
        default=50.0,
        metavar=say("CONCENTRATION", "CONCENTRACIÓN"),
        help=say(
            "Dirichlet concentration: higher = weights surer (default 50)",
            "concentración de la Dirichlet: más alta = pesos más seguros (por defecto 50)",
        ),
    )
    spread.add_argument(
        "--uniform",
        action="store_true",
        help=say(
            "draw weights uniformly over each axis (nothing known)",
            "extrae los pesos de manera uniforme en cada eje (sin saber nada de ellos)",
        ),
    )
    p.add_argument(
        "--bounds",
        type=Path,
        metavar=say("BOUNDS", "LÍMITES"),
        help=say(
            "YAML of criterion_id: [min, max], percent of its axis",
            "YAML de criterion_id: [mín, máx], en porcentaje de su eje",
        ),
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar=say("SEED", "SEMILLA"),
        help=say(
            "random seed: the same seed gives the same numbers",
            "semilla aleatoria: la misma semilla da los mismos números",
        ),
    )
    period(p)
    out(p)

    p = command(
        "select",
        "propose the key-account list: every customer scored on the selection criteria, who enters",
        "propone la lista de cuentas clave: cada cliente puntuado en los criterios de selección, y quién entra",
    )
    workbook(
        p,
        "engagement .xlsx or folder of CSV files (with sheet customers)",
        "libro del encargo: .xlsx o carpeta de archivos CSV (con la hoja customers)",
    )
    rule = p.add_mutually_exclusive_group()
    rule.add_argument(
        "--cutoff",
        metavar=say("CUTOFF", "CORTE"),
        help=say(
            "propose every customer scoring at least this, 0-10 (default 5)",
            "propone a cada cliente que puntúe al menos esto, de 0 a 10 (por defecto 5)",
        ),
    )
    rule.add_argument(
        "--top",
        metavar=say("TOP", "N"),
        help=say(
            "propose the N best instead (a tie at the boundary proposes every tied one)",
            "propone en su lugar los N mejores (un empate en el límite los propone a todos)",
        ),
    )
    p.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar=say("ID=W", "ID=P"),
        help=say(
            "weight of a selection criterion, e.g. profitability=2 (may be repeated; default: the workbook's)",
            "peso de un criterio de selección, p. ej. profitability=2 (puede repetirse; por defecto: el del libro)",
        ),
    )
    period(p)
    out(
        p,
        "every customer's scores and status, .csv or .xlsx",
        "las puntuaciones y el estado de cada cliente, .csv o .xlsx",
    )

    p = command(
        "assign",
        "propose the KAM of each account: the plan of highest total competence fit",
        "propone el KAM de cada cuenta: el plan de mayor encaje total de competencias",
    )
    workbook(
        p,
        "engagement .xlsx or folder of CSV files (with a competences sheet)",
        "libro del encargo: .xlsx o carpeta de archivos CSV (con una hoja competences)",
    )
    scenario(
        p,
        "scenario YAML whose quadrants set what each account needs",
        "YAML de escenario cuyos cuadrantes fijan lo que necesita cada cuenta",
    )
    p.add_argument(
        "--settings",
        type=Path,
        metavar=say(*_SETTINGS),
        help=say(
            "assignment YAML: requirements, efforts, bonus, minimum fit, fixed/forbidden",
            "YAML de asignación: requisitos, esfuerzos, bonificación, encaje mínimo, fijadas/prohibidas",
        ),
    )
    out(
        p,
        "the plan, .csv or .xlsx (default: CSV on standard output)",
        "el plan, .csv o .xlsx (por defecto: CSV en la salida estándar)",
    )
    p.add_argument(
        "--fit-out",
        type=Path,
        metavar=say("FIT_OUT", "ENCAJES"),
        help=say(
            "the fit of every KAM × account pair, .csv or .xlsx", "el encaje de cada par KAM × cuenta, .csv o .xlsx"
        ),
    )

    p = command(
        "ingest",
        "score the accounts from an ERP/CRM ledger: add a new period of scores and the new customers",
        "puntúa las cuentas desde un libro de ventas de un ERP/CRM: añade un periodo nuevo de puntuaciones y los "
        "clientes nuevos",
    )
    p.add_argument(
        "ledger",
        metavar=say("ledger", "ventas"),
        help=say(
            "the ledger: .csv, .xlsx, .parquet, .duckdb file, or a database URL (with --query)",
            "el libro de ventas: un archivo .csv, .xlsx, .parquet o .duckdb, o la URL de una base de datos (con "
            "--query)",
        ),
    )
    workbook(
        p,
        "engagement .xlsx or folder of CSV files to add the scores to",
        "libro del encargo (.xlsx o carpeta de archivos CSV) al que añadir las puntuaciones",
    )
    p.add_argument(
        "--map",
        type=Path,
        metavar=say("MAP", "CORRESPONDENCIA"),
        help=say(
            "ledger mapping YAML: columns, criteria, rules (default: the defaults)",
            "YAML de correspondencia del libro de ventas: columnas, criterios, reglas (por defecto: la de serie)",
        ),
    )
    period(
        p,
        "period of the new scores (default: the month of the ledger's last date, or '<latest period> <month>' when "
        "a period of the workbook sorts after it, so that the new scores are the latest)",
        "periodo de las puntuaciones nuevas (por defecto: el mes de la última fecha del libro de ventas, o "
        "'<último periodo> <mes>' si un periodo del libro va detrás, para que las nuevas sean las más recientes)",
    )
    p.add_argument(
        "--query",
        metavar=say("QUERY", "CONSULTA"),
        help=say(
            "SQL query, or a table name, to run when LEDGER is a database URL",
            "consulta SQL, o nombre de una tabla, que ejecutar cuando el libro de ventas es la URL de una base de "
            "datos",
        ),
    )
    p.add_argument(
        "--wallet",
        type=Path,
        metavar=say("WALLET", "GASTO"),
        help=say(
            "each customer's estimated total spend (.csv, .xlsx or .parquet: customer, wallet): share of wallet",
            "el gasto total estimado de cada cliente (.csv, .xlsx o .parquet: customer, wallet): cuota en el cliente",
        ),
    )
    p.add_argument(
        "--accounts-only",
        action="store_true",
        help=say(
            "score only the workbook's accounts; customers it lacks are not added",
            "puntúa solo las cuentas del libro; los clientes que no tiene no se añaden",
        ),
    )
    p.add_argument(
        "--wait",
        type=float,
        default=60.0,
        metavar=say("SECONDS", "SEGUNDOS"),
        help=say(
            "how long to wait while another kam ingest writes the same workbook (default 60)",
            "cuánto esperar mientras otro kam ingest escribe el mismo libro (por defecto 60)",
        ),
    )
    p.add_argument(
        "--no-scores",
        action="store_true",
        help=say(
            "write only the ledger's metrics and whitespace for the reports; keep the scores and accounts as they are",
            "escribe solo las métricas y el espacio en blanco del libro de ventas para los informes; deja las "
            "puntuaciones y las cuentas como están",
        ),
    )

    p = command(
        "deck",
        "write the consultants' PowerPoint deck: matrix, strategies, a plan per account",
        "escribe la presentación PowerPoint de los consultores: matriz, estrategias, un plan por cuenta",
    )
    workbook(p)
    chosen = p.add_mutually_exclusive_group()
    chosen.add_argument(
        "--account",
        nargs="+",
        metavar="ID",
        help=say(
            "these accounts, in this order (default: the portfolio and the accounts that need the room's attention: "
            "Invest and Selective, on the fence, high-risk decision maps, missed KPIs, plans due for review, accounts "
            "that cost more to serve than they earn)",
            "estas cuentas, en este orden (por defecto: la cartera y las cuentas que requieren la atención de la "
            "sala: Invertir e Inversión selectiva, en la frontera, mapas de decisión de riesgo alto, indicadores no "
            "cumplidos, planes por revisar, cuentas que cuestan más de servir de lo que dejan)",
        ),
    )
    chosen.add_argument(
        "--all",
        action="store_true",
        help=say("every account, by revenue", "todas las cuentas, por facturación"),
    )
    scenario(p)
    period(p)
    out(
        p,
        "the deck, .pptx (default: deck.pptx)",
        "la presentación, .pptx (por defecto: deck.pptx)",
        default=Path("deck.pptx"),
    )

    p = command(
        "report",
        "write a report per key account and one for the engagement (HTML, offline)",
        "escribe un informe por cuenta clave y uno del encargo (HTML, sin conexión)",
    )
    workbook(p)
    who = p.add_mutually_exclusive_group()
    who.add_argument("--account", nargs="+", metavar="ID", help=say("these accounts only", "solo estas cuentas"))
    who.add_argument(
        "--all", action="store_true", help=say("every account (the default)", "todas las cuentas (por defecto)")
    )
    scenario(p)
    p.add_argument(
        "--jobs",
        type=int,
        metavar=say("JOBS", "PROCESOS"),
        help=say("worker processes (default: one per core)", "procesos de trabajo (por defecto: uno por núcleo)"),
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        metavar=say("OUT", "CARPETA"),
        help=say("folder for the reports (default: reports/)", "carpeta de los informes (por defecto: reports/)"),
    )
    hierarchy_level(p, "the engagement's report", "el informe del encargo")
    p.add_argument(
        "--force",
        action="store_true",
        help=say(
            "redo every report, even those whose inputs did not change",
            "rehace cada informe, también aquellos cuyos datos no han cambiado",
        ),
    )
    p.add_argument(
        "--settings",
        type=Path,
        metavar=say(*_SETTINGS),
        help=say(
            "assignment settings YAML the reports' KAM plan uses",
            "YAML de ajustes de asignación que usa el plan de KAM de los informes",
        ),
    )

    p = command(
        "serve",
        "serve an engagement's dashboards (Voilà) on 127.0.0.1, or with a token elsewhere",
        "sirve los cuadros de mando de un encargo (Voilà) en 127.0.0.1, o con un token en otra dirección",
    )
    p.add_argument(
        "target",
        type=Path,
        nargs="?",
        metavar=say("target", "origen"),
        help=say(
            "engagement .xlsx or CSV folder, or a report folder DIR/<engagement> (default: the sample)",
            "libro del encargo (.xlsx o carpeta CSV), o una carpeta de informes DIR/<encargo> (por defecto: el "
            "ejemplo)",
        ),
    )
    listening(p, "this machine only", "solo esta máquina")
    p.add_argument(
        "--token",
        metavar="TOKEN",
        help=say(
            "token every visitor needs (off 127.0.0.1 one is generated if not given: better, since a token typed "
            "here shows in the process list of this machine)",
            "token que necesita cada visitante (fuera de 127.0.0.1 se genera uno si no se da: mejor, porque un "
            "token escrito aquí se ve en la lista de procesos de esta máquina)",
        ),
    )
    p.add_argument(
        "--settings",
        type=Path,
        metavar=say(*_SETTINGS),
        help=say(
            "assignment settings YAML (default: the report folder's, or none)",
            "YAML de ajustes de asignación (por defecto: el de la carpeta de informes, o ninguno)",
        ),
    )
    hierarchy_level(p, "the dashboard", "el cuadro de mando")
    p = command(
        "workshop",
        "run a workshop: everyone in the room scores and weighs on their own device; `kam workshop accept WB` "
        "writes what the room agreed",
        "dirige un taller: cada participante puntúa y pondera en su dispositivo; `kam workshop accept LIBRO` "
        "escribe lo acordado",
    )
    p.add_argument(
        "words",
        nargs="+",
        metavar=say("[accept] workbook", "[accept] libro"),
        help=say(
            "the engagement .xlsx or CSV folder; `accept WB` writes the workshop's answers into it",
            "el libro del encargo (.xlsx o carpeta CSV); `accept LIBRO` escribe en él las respuestas del taller",
        ),
    )
    listening(p, "this machine only; 0.0.0.0: the room's network", "solo esta máquina; 0.0.0.0: la red de la sala")
    p.add_argument(
        "--participants",
        type=Path,
        metavar=say("PEOPLE.csv", "PERSONAS.csv"),
        help=say(
            "the participants: a CSV with code, name and optionally side (ours or customer)",
            "los participantes: un CSV con code, name y, opcionalmente, side (ours o customer)",
        ),
    )
    p.add_argument(
        "--seats",
        type=int,
        metavar=say("SEATS", "ASIENTOS"),
        help=say(
            "N seats claimed by name on the join page", "N asientos que se ocupan con el nombre en la página de unirse"
        ),
    )
    p.add_argument(
        "--anonymous",
        action="store_true",
        help=say("no names on the facilitator's screen", "sin nombres en la pantalla de quien facilita"),
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help=say(
            "continue the workbook's workshop (after a stop or a crash): every answer acknowledged is there",
            "continuar el taller del libro (tras una parada o un fallo): están todas las respuestas confirmadas",
        ),
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=25.0,
        metavar=say("PCT", "PORCENTAJE"),
        help=say(
            "disagreement past this percent of a criterion's scale (default 25; the screen says it in points)",
            "desacuerdo por encima de este porcentaje de la escala del criterio (por defecto 25; la pantalla lo "
            "dice en puntos)",
        ),
    )
    period(
        p,
        "accept: the new period the room's scores are written as (must sort after the workbook's)",
        "accept: el periodo nuevo con el que se escriben las puntuaciones de la sala (debe ir después de los del "
        "libro)",
    )
    p.add_argument(
        "--weights",
        metavar=say("NAME", "NOMBRE"),
        help=say(
            "accept: save the group's weights (AHP, or the mean 100-point allocation) as the scenario NAME",
            "accept: guardar los pesos del grupo (AHP, o el reparto medio de 100 puntos) como el escenario NOMBRE",
        ),
    )
    p.add_argument(
        "--round",
        type=int,
        metavar=say("ROUND", "RONDA"),
        help=say(
            "accept: the answers of round N (default: each item's latest)",
            "accept: las respuestas de la ronda N (por defecto: la última de cada elemento)",
        ),
    )
    for name in sub.choices:  # `kam report WB --lang en` as well as `kam --lang en report WB`
        sub.choices[name].add_argument(
            "--lang",
            choices=("es", "en"),
            default=argparse.SUPPRESS,
            help=say(
                "language of messages, labels and this help", "idioma de los mensajes, las etiquetas y esta ayuda"
            ),
        )
    return parser
