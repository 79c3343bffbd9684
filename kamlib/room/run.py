"""`kam workshop WB`: start (or resume) a workshop of a workbook and serve it until Ctrl-C.

Starting one: the workbook is loaded and validated as every command does; its workshop file
(`kamlib.workshop.workshop_path`, beside the workbook) is created, or continued with `--resume`; every account ×
criterion becomes a score item, every pair of an axis's criteria a pair item and each axis a 100-point allocation
(an item per criterion), all pending until the
facilitator opens them; the participants come from `--participants P.csv` (`kamlib.workshop.roster`) or as
`--seats N` to be claimed by name; then one server listens and the links are printed: the facilitator's, the
join link (its QR code is on the facilitator's screen), and each listed participant's own link.

One server per workshop file: a lock (in the temporary folder, named after the file; held by the operating system,
so a killed server leaves none held) makes a second `kam workshop` on it, or a `kam workshop accept`, stop with a
clear message.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import os
import signal
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import filelock
import tornado.httpserver
import tornado.netutil

from kamlib.agreement.spread import DISAGREEMENT_SHARE
from kamlib.engagement import Engagement, load
from kamlib.errors import KamError
from kamlib.publish.serve import LOOPBACK, WILDCARDS, machine_addresses, server_url, url_hosts
from kamlib.room.app import READ_AT_MOST, SIDE_LINK, Room, make_app, new_secret, participant_link, secret_hash
from kamlib.workbook.segments import scale_differences
from kamlib.workshop import Issued, WorkshopStore, workshop_path
from kamlib.workshop.checks import check_participants
from kamlib.workshop.roster import read_roster

IDLE_SECONDS = 30
"""Seconds a connection may sit idle, or take to send a request's headers or body, before it is closed."""
OPEN_FILES = 65_536
"""The open-file limit `kam workshop` asks for (within the system's ceiling)."""


@dataclass(frozen=True)
class Started:
    """A workshop being served: its store, its server and room, and the links printed."""

    store: WorkshopStore
    server: tornado.httpserver.HTTPServer
    room: Room
    facilitator_url: str
    join_url: str
    participant_urls: dict[str, str]


def open_store(workbook: Path, engagement: Engagement, lang: str, anonymous: bool, resume: bool) -> WorkshopStore:
    """Create the workbook's workshop, or resume it; add the score and pair items it lacks.

    With criteria per segment an account is asked only the criteria of its segment, and the pairs (whose weights
    become the default rows') are of the criteria with a default row; a criterion scored on another scale in some
    segment is refused (the room asks one scale per criterion)."""
    path = workshop_path(workbook)
    groups = engagement.segments
    ids = [str(c) for c in engagement.criteria["criterion_id"]]
    differ = scale_differences(groups, ids)
    if differ:
        criterion, segment, low, high = differ[0]
        raise KamError(
            f"{workbook}: criterion {criterion!r} is scored from {low:g} to {high:g} in segment {segment!r} and on "
            "another scale elsewhere; the workshop room asks one scale per criterion; allowed: the same scale in "
            "every segment (weights and direction may differ); nothing was started",
            f"{workbook}: el criterio {criterion!r} se puntúa de {low:g} a {high:g} en el segmento {segment!r} y en "
            "otra escala en los demás; la sala del taller pregunta una escala por criterio; se admite: la misma "
            "escala en todos los segmentos (pesos y sentido pueden variar); no se ha iniciado nada",
        )
    if resume:
        store = WorkshopStore.resume(path, workbook)
    else:
        store = WorkshopStore.create(
            path, workbook, engagement.accounts, engagement.criteria, lang=lang, anonymous=anonymous
        )
    criteria = engagement.criteria
    accounts = [str(a) for a in engagement.accounts["account_id"]]
    applies = groups.applies[groups.codes]  # accounts × criteria: the criteria of each account's segment
    store.add_score_items([(a, c) for i, a in enumerate(accounts) for j, c in enumerate(ids) if applies[i, j]])
    by_axis: dict[str, list[str]] = {}
    for c, axis, default in zip(criteria["criterion_id"], criteria["axis"], groups.applies[0], strict=True):
        if default:
            by_axis.setdefault(str(axis), []).append(str(c))
    store.add_pair_items([pair for names in by_axis.values() for pair in itertools.combinations(names, 2)])
    store.add_share_items(list(by_axis))
    return store


def lock_for(path: Path) -> filelock.BaseFileLock:
    """Hold the workshop file's lock, or raise `KamError`: another server is serving it.

    The lock (filelock's, released by the operating system however the process ends) is a file in the temporary
    folder named after the workshop file's full path, as `kamlib.fileio.workbook_lock` does: nothing is left beside
    the client's files."""
    digest = hashlib.sha256(os.fsencode(Path(path).resolve())).hexdigest()[:32]
    lock = filelock.FileLock(Path(tempfile.gettempdir()) / f"kam-workshop-{digest}.lock", mode=0o666)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise KamError(
            f"{path}: another kam workshop is serving this workshop; nothing was changed; allowed: one server per "
            "workshop (stop the other, or use its links)",
            f"{path}: otro kam workshop ya sirve este taller; no se ha cambiado nada; se admite: un servidor por "
            "taller (detenga el otro, o use sus enlaces)",
        ) from None
    return lock


@dataclass
class Prepared:
    """A workshop ready to be served: its store (participants added), lock and bound sockets; `abandon` undoes it."""

    store: WorkshopStore
    lock: filelock.BaseFileLock
    sockets: list
    engagement: object
    host: str
    issued: list[Issued]
    resume: bool

    def abandon(self) -> None:
        """Close what was opened and, for a workshop that never started, remove its file; release the lock."""
        try:
            for socket in self.sockets:
                socket.close()
            self.store.close()
            if not self.resume:  # a workshop that never started leaves no file behind
                path = self.store.path
                for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    leftover.unlink(missing_ok=True)
        finally:
            self.lock.release()


def prepare(
    workbook: Path | str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    participants: Path | None = None,
    seats: int | None = None,
    anonymous: bool = False,
    lang: str = "es",
    resume: bool = False,
) -> Prepared:
    """Everything of a start that can fail, with no event loop: the workbook, the participants' file, the lock, the
    port (checked before a byte is written), then the workshop file and its participants; a failure after that
    leaves no file behind."""
    workbook = Path(workbook).resolve()
    engagement = load(workbook)
    listed = check_participants(read_roster(participants)) if participants is not None else []
    if not (listed or seats or resume):
        raise KamError(
            "no participant: allowed --participants P.csv (code, name, side) or --seats N",
            "ningún participante: se admite --participants P.csv (code, name, side) o --seats N",
        )
    path = workshop_path(workbook)
    lock = lock_for(path)
    sockets: list = []
    try:
        sockets = _bind(host, port)
        store = open_store(workbook, engagement, lang, anonymous, resume)
    except BaseException:
        for socket in sockets:
            socket.close()
        lock.release()
        raise
    ready = Prepared(store, lock, sockets, engagement, host, [], resume)
    try:
        if listed:
            ready.issued += store.add_participants([vars(p) for p in listed])
        if seats:
            ready.issued += store.seats(seats)
    except BaseException:
        ready.abandon()
        raise
    return ready


def start(workbook: Path | str, *, share: float = DISAGREEMENT_SHARE, **options: object) -> tuple[Started, object]:
    """Prepare the workshop (`prepare`, with `options`) and serve it on the running event loop; return what was
    started and its lock."""
    ready = prepare(workbook, **options)  # type: ignore[arg-type]
    try:
        started = _serve(ready.store, ready.engagement, ready.host, ready.sockets, ready.issued, share)
    except BaseException:
        ready.abandon()
        raise
    return started, ready.lock


def _bind(host: str, port: int) -> list:
    """The listening sockets, or `KamError` naming the address."""
    try:
        sockets = tornado.netutil.bind_sockets(port, address=host or None)
    except OSError as exc:
        raise KamError(
            f"{host}:{port}: cannot listen there ({exc.strerror or exc}); nothing was started; allowed: another "
            "--port, or leave it out for a free one",
            f"{host}:{port}: no se puede escuchar ahí ({exc.strerror or exc}); no se ha arrancado nada; se admite: "
            "otro --port, o ninguno para uno libre",
        ) from exc
    _more_files()
    return sockets


def _serve(
    store: WorkshopStore, engagement: object, host: str, sockets: list, issued: Iterable[Issued], share: float
) -> Started:
    bound = sockets[0].getsockname()[1]
    hosts = url_hosts(host, machine_addresses() if host in WILDCARDS else [])
    base = server_url(hosts[0], bound).rstrip("/")
    facilitator, join_key = new_secret(), new_secret()
    title = engagement.identity.who or ""  # the supplier (else the client) the workshop is for; never a file name
    room = Room(
        store=store,
        engagement=engagement,
        facilitator=secret_hash(facilitator),
        join_key=secret_hash(join_key),
        join_url=f"{base}/join?k={join_key}",
        title=title,
        lang=store.session.lang,
        loopback=host in LOOPBACK,
        base_url=base,
        print_line=lambda line: print(line, flush=True),
        share=share,
    )
    server = tornado.httpserver.HTTPServer(
        make_app(room),
        max_body_size=READ_AT_MOST,
        max_buffer_size=2 * READ_AT_MOST,
        idle_connection_timeout=IDLE_SECONDS,  # also the time a request's headers may take: slow ones are cut
        body_timeout=IDLE_SECONDS,
    )
    server.add_sockets(sockets)
    links = {i.participant.code: participant_link(base, i) for i in issued if i.participant.name is not None}
    return Started(store, server, room, f"{base}/f?t={facilitator}", room.join_url, links)


def _more_files() -> None:
    """Raise this process's limit of open files to its ceiling (at most `OPEN_FILES`): each phone holds a
    connection, and a laptop's default of 1,024 is little against a script opening connections on purpose."""
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def announce(started: Started, lang: str, resumed: bool) -> list[str]:
    """The lines `kam workshop` prints: where the facilitator's screen is, the join link, each participant's."""
    es = lang == "es"
    lines = [
        ("Pantalla de quien facilita: " if es else "Facilitator's screen: ") + started.facilitator_url,
        ("Enlace para unirse (código QR en la pantalla): " if es else "Join link (QR code on the screen): ")
        + started.join_url,
        ("Enlace para unirse por parte del cliente: " if es else "Join link for the customer's side: ")
        + started.join_url
        + SIDE_LINK,
    ]
    for code, url in started.participant_urls.items():
        lines.append(f"  {code}: {url}")
    if resumed:
        lines.append(
            "Los enlaces de los participantes de antes siguen valiendo."
            if es
            else "The participants' links from before still work."
        )
    lines.append(
        "Ctrl-C para terminar; las respuestas ya están guardadas." if es else "Ctrl-C stops; answers are already saved."
    )
    return lines


def read_links(lines: Iterable[str]) -> dict[str, str]:
    """Read back the links `announce` printed, in either language, up to its last line: `facilitator`, `join` and
    each listed participant's by code (scripts that drive `kam workshop` use it).

    >>> read_links(["Facilitator's screen: http://h:1/f?t=F", "  ana: http://h:1/p?t=A", "Ctrl-C stops; …", "x"])
    {'facilitator': 'http://h:1/f?t=F', 'ana': 'http://h:1/p?t=A'}
    """
    links: dict[str, str] = {}
    for line in lines:
        url = next((word for word in line.split() if word.startswith("http")), None)
        if url and "/f?t=" in url:
            links["facilitator"] = url
        elif url and "/join?k=" in url:
            links["join_customer" if SIDE_LINK in url else "join"] = url
        elif url and line.startswith("  "):
            links[line.strip().split(":", 1)[0]] = url
        elif line.startswith("Ctrl-C"):
            break
    return links


def serve_workshop(
    workbook: Path | str, out: TextIO = sys.stdout, share: float = DISAGREEMENT_SHARE, **options: object
) -> int:
    """Start the workshop and serve it until Ctrl-C or SIGTERM; return 0. What can fail is checked before the event
    loop starts (`prepare`)."""
    ready = prepare(workbook, **options)  # type: ignore[arg-type]

    async def main() -> None:
        try:
            started = _serve(ready.store, ready.engagement, ready.host, ready.sockets, ready.issued, share)
        except BaseException:
            ready.abandon()
            raise
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        if sys.platform != "win32":  # Windows' event loop takes no signal handler; Ctrl-C still ends asyncio.run
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
        try:
            print("\n".join(announce(started, started.room.lang, ready.resume)), file=out, flush=True)
            await stop.wait()
        finally:
            started.server.stop()
            started.room.executor.shutdown(wait=True)  # a board being computed finishes before its store closes
            started.store.close()
            ready.lock.release()

    asyncio.run(main())
    return 0


__all__ = [
    "Prepared",
    "Started",
    "announce",
    "lock_for",
    "open_store",
    "prepare",
    "read_links",
    "serve_workshop",
    "start",
]
