"""The workshop's web server: the participants' pages, the facilitator's screen and the JSON they talk in.

One tornado application, no Jupyter kernel: a participant's page is a static shell (`kamlib/room/static`) that
asks the server for what to show (`kamlib.workshop.phone`) and posts each answer; the facilitator's screen does
the same with the board (`kamlib.workshop.board`) and the actions on items. Every answer is in the store's file,
committed and synced, before its reply leaves (`kamlib.workshop.store`).

Who may do what:

- every page and every call needs its secret: a participant's token (their link; 128 random bits, kept by the
  store as a hash), the facilitator's token (printed at start, this process only), or the join key (the QR code
  on the projector) to join by name; the page takes it from its address, the calls in the `X-Kam-Token` header;
- a participant writes only their own answers and reads only their own, and the group's once revealed;
- bodies over `MAX_BODY` bytes are refused before they are read (413); each token and each address has a token
  bucket (`kamlib.room.limits`): too many requests get 429;
- on a loopback address, requests must name a loopback host (a web page whose name resolves to 127.0.0.1, DNS
  rebinding, gets 403);
- every page is served with a Content-Security-Policy of its own origin only: no inline script, nothing from
  the internet.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.web

from kamlib.agreement.contested import criterion_labels
from kamlib.errors import KamError
from kamlib.method import AXIS_LABELS
from kamlib.publish.serve import LOOPBACK
from kamlib.room.limits import RateLimits
from kamlib.room.pages import page_html
from kamlib.workshop.board import board
from kamlib.workshop.checks import Refused
from kamlib.workshop.labels import account_names, criterion_rows
from kamlib.workshop.participants import MAX_TOKEN_CHARACTERS, Issued
from kamlib.workshop.phone import phone

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 16 * 1024
"""The largest request body taken (an answer is under 200 bytes): up to `READ_AT_MOST` gets 413 and a message; a
larger one is cut off by the server before it is read."""
READ_AT_MOST = 4 * MAX_BODY
LOOPBACK_NAMES = (*LOOPBACK, "[::1]")
"""The host names a loopback server answers to (an IPv6 address may come in brackets)."""
STATUS = {"token": 403, "forbidden": 403, "unknown": 404, "invalid": 422, "closed": 409, "round": 409}
"""The HTTP status of each reason a store refuses an answer (`kamlib.workshop.checks.REASONS`)."""
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
ERRORS = {
    403: {"en": "not allowed from here", "es": "no se admite desde aquí"},
    404: {"en": "no such page", "es": "no existe esa página"},
    405: {"en": "not allowed: this address takes another method", "es": "no se admite: esta dirección usa otro método"},
    500: {
        "en": "the server could not answer this request; nothing of it was stored",
        "es": "el servidor no ha podido atender esta petición; no se ha guardado nada de ella",
    },
}
"""What the server says for a status no handler chose a message for, in the workshop's language."""
SIDE_LINK = "&side=customer"
"""What a customer's link adds: said in the address, so whoever forwards it sees it is the customer's."""
ANSWER_FIELDS = frozenset({"item", "round", "value", "dont_know", "participant"})
"""What an answer's body may hold."""
ALLOCATION_FIELDS = frozenset({"axis", "round", "points", "dont_know"})
"""What a 100-point allocation's body may hold."""
BOARD_EVERY = 0.25
"""Seconds a board is reused for while answers arrive: the facilitator's screen is never more than this behind
the store, plus its own polling (`facilitator.js`: every 0.3 s)."""


def secret_hash(secret: str) -> bytes:
    """SHA-256 of a secret: what the server keeps of the facilitator's token and the join key."""
    return hashlib.sha256(secret.encode("utf-8")).digest()


@dataclass
class Room:
    """One workshop being served: its store and engagement, its secrets (as hashes), its counters and limits.

    `version` moves with every change (an answer, an action); `items_version` only with the facilitator's actions,
    which are all that change what another participant's page shows.
    """

    store: Any
    engagement: Any
    facilitator: bytes
    join_key: bytes
    join_url: str
    title: str
    lang: str
    loopback: bool
    base_url: str = ""
    print_line: Callable[[str], None] = print
    """Where a reissued link is written: the terminal `kam workshop` runs in."""
    share: float = 0.25
    version: int = 0
    items_version: int = 0
    answered: dict[str, int] = field(default_factory=dict)
    boot: str = field(default_factory=lambda: secrets.token_hex(4))
    """This server's run: a page that saw another run's version (before a restart) always reloads."""
    """How many answers each token has given since the server started: with `items_version`, what a page saw."""
    per_token: RateLimits = field(default_factory=lambda: RateLimits(rate=20.0, burst=60))
    per_address: RateLimits = field(default_factory=lambda: RateLimits(rate=5.0, burst=30))
    executor: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(2, "kam-workshop"))
    _board: tuple[int, float, float, dict[str, Any]] | None = None
    _board_task: asyncio.Future | None = None

    def changed(self, items: bool = False) -> None:
        self.version += 1
        if items:
            self.items_version += 1

    def seen(self, token: str) -> str:
        """The version of what `token`'s page shows: it moves with the facilitator's actions and its own answers
        (its consistency ratio), never with someone else's answer, which its page does not show."""
        return f"{self.boot}.{self.items_version}.{self.answered.get(token, 0)}"

    async def board(self) -> dict[str, Any]:
        """The board of the current version (one computation at a time, on a worker thread: answers keep flowing)."""
        cached = self._board
        if cached and cached[0] == self.version and cached[1] == self.share:
            return cached[3]
        if cached and cached[1] == self.share and time.monotonic() - cached[2] < BOARD_EVERY:
            return cached[3]
        if self._board_task is None or self._board_task.done():
            version, share = self.version, self.share
            loop = asyncio.get_running_loop()
            self._board_task = loop.run_in_executor(self.executor, self._compute, version, share)
        return await asyncio.shield(self._board_task)

    def _compute(self, version: int, share: float) -> dict[str, Any]:
        payload = board(self.store, self.engagement, share, self.lang)
        self._board = (version, share, time.monotonic(), payload)
        return payload


class Base(tornado.web.RequestHandler):
    """Security headers, the loopback host check, the rate limits and JSON in and out."""

    room: Room

    def initialize(self, room: Room) -> None:
        self.room = room

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Cross-Origin-Opener-Policy", "same-origin")

    def prepare(self) -> None:
        host = self.request.host_name
        if self.room.loopback and host not in LOOPBACK_NAMES:
            raise tornado.web.HTTPError(403, reason="Host not allowed")
        if len(self.request.body) > MAX_BODY:
            self.fail(
                413,
                f"the request is larger than {MAX_BODY} bytes; an answer takes under 200",
                f"la petición supera los {MAX_BODY} bytes; una respuesta ocupa menos de 200",
            )
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if self.request.method == "POST" and kind != "application/json":
            self.fail(  # a page elsewhere can send form posts, never JSON, without the browser asking us first
                415,
                "allowed: a JSON body (Content-Type: application/json)",
                "se admite: un cuerpo JSON (Content-Type: application/json)",
            )

    def fail(self, status: int, en: str, es: str) -> None:
        """Answer with `status` and a message in the workshop's language, and stop the request."""
        self.set_status(status)
        self.finish({"error": es if self.room.lang == "es" else en})
        raise tornado.web.Finish()

    def refused(self, exc: KamError) -> None:
        status = STATUS.get(exc.reason, 400) if isinstance(exc, Refused) else 400
        self.set_status(status)
        self.finish(
            {"error": exc.render(self.room.lang), **({"reason": exc.reason} if isinstance(exc, Refused) else {})}
        )
        raise tornado.web.Finish()

    def secret(self, page: bool = False) -> str:
        """The caller's secret: a page's in its address (`t`), a call's in the `X-Kam-Token` header only."""
        given = self.get_query_argument("t", "") if page else self.request.headers.get("X-Kam-Token", "")
        return given if len(given) <= MAX_TOKEN_CHARACTERS else ""

    def participant_token(self, page: bool = False) -> str:
        """The caller's participant token, known to the workshop and within its rate; else 403 (and the try counts
        against the caller's address: random tokens are refused at the address's rate, and never get a bucket)."""
        token = self.secret(page)
        if not token or self.room.store.participant_by_token(token) is None:
            self.by_address()
            self.fail(
                403,
                "unknown or voided participant token; open your link again or ask the facilitator for a new one",
                "token de participante desconocido o anulado; abra de nuevo su enlace o pida otro a quien facilita",
            )
        self.limited(self.room.per_token, secret_hash(token).hex())
        return token

    def by_address(self) -> None:
        """Count a request without a valid secret (joining, a wrong token) against its address's rate."""
        self.limited(self.room.per_address, self.request.remote_ip or "")

    def limited(self, limits: RateLimits, key: str) -> None:
        if not limits.allow(key):
            self.fail(429, "too many requests; wait a moment", "demasiadas peticiones; espere un momento")

    def body_json(self) -> dict[str, Any]:
        try:
            body = json.loads(self.request.body or b"{}")
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: JSON nested thousands deep
            body = None
        if not isinstance(body, dict):
            self.fail(400, "the request is not a JSON object", "la petición no es un objeto JSON")
        return body

    def answer_body(self, allowed: frozenset[str]) -> tuple[str, dict[str, Any]]:
        """The caller's token (within its rate) and the body of its answer, holding only `allowed` fields and a round
        that is a whole number, if any."""
        token = self.participant_token()
        body = self.body_json()
        unknown = sorted(set(body) - allowed)
        if unknown:
            self.fail(
                400,
                f"unknown field {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}",
                f"campo desconocido {unknown[0]!r}; se admite: {', '.join(sorted(allowed))}",
            )
        rnd = body.get("round")
        if rnd is not None and (isinstance(rnd, bool) or not isinstance(rnd, int)):
            self.fail(
                422,
                f"round: got {str(rnd)[:20]!r}; allowed: a whole number (the round the page shows)",
                f"ronda: valor {str(rnd)[:20]!r}; se admite: un número entero (la ronda que muestra la página)",
            )
        return token, body

    def acknowledged(self, token: str) -> None:
        """Count an answer stored: the room changed, and so did what the token's page shows."""
        self.room.changed()
        self.room.answered[token] = self.room.answered.get(token, 0) + 1

    def facilitator_only(self, page: bool = False) -> None:
        given = self.secret(page)
        if not given or not hmac.compare_digest(secret_hash(given), self.room.facilitator):
            self.by_address()
            self.fail(
                403,
                "this is the facilitator's; open the facilitator's link",
                "esto es de quien facilita; abra el enlace de quien facilita",
            )
        self.limited(self.room.per_token, "facilitator")

    def join_key_only(self, key: object) -> None:
        """Refuse a join without the workshop's join key (every try counts against its address)."""
        self.by_address()
        if not isinstance(key, str) or not key or not hmac.compare_digest(secret_hash(key), self.room.join_key):
            self.fail(
                403,
                "this join link is not valid; scan the code on the screen again",
                "este enlace para unirse no es válido; escanee de nuevo el código de la pantalla",
            )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        words = ERRORS.get(status_code, ERRORS[500])
        self.finish({"error": words[self.room.lang]})

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        log_error(self.request, typ, value, tb)


class ParticipantPage(Base):
    def get(self) -> None:
        self.participant_token(page=True)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page_html("participant", self.room.title, self.room.lang))


class FacilitatorPage(Base):
    def get(self) -> None:
        self.facilitator_only(page=True)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page_html("facilitator", self.room.title, self.room.lang))


class JoinPage(Base):
    def get(self) -> None:
        self.join_key_only(self.get_query_argument("k", ""))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page_html("join", self.room.title, self.room.lang))


class Join(Base):
    def post(self) -> None:
        body = self.body_json()
        self.join_key_only(body.get("key"))
        name, code, side = body.get("name"), body.get("code"), body.get("side") or None
        try:
            if isinstance(code, str) and code.strip():
                issued = self.room.store.join(code, str(name or ""), side)
            else:
                issued = self.room.store.join_seat(str(name or ""), side)
        except KamError as exc:
            self.refused(exc)
        self.room.changed()
        self.finish({"link": f"/p?t={issued.token}", "code": issued.participant.code})


class ParticipantState(Base):
    async def get(self) -> None:
        token = self.participant_token()
        version = self.room.seen(token)
        if self.get_query_argument("v", "") == version:
            self.set_status(204)  # nothing changed since the page's last look
            self.finish()
            return
        try:
            shown = phone(self.room.store, self.room.engagement, token, self.room.lang)
        except KamError as exc:
            self.refused(exc)
        self.finish({"version": version, "title": self.room.title, "lang": self.room.lang, **shown})


class Answer(Base):
    def post(self) -> None:
        token, body = self.answer_body(ANSWER_FIELDS)
        item = body.get("item")
        try:
            answer = self.room.store.answer(
                token,
                item,
                body.get("value"),
                dont_know=body.get("dont_know", False),
                round=body.get("round"),
                participant=body.get("participant"),
            )
        except Refused as exc:
            self.refused(_for_the_phone(exc, item, self.room))
        except KamError as exc:
            self.refused(exc)
        self.acknowledged(token)
        self.finish(
            {"item": answer.item_id, "round": answer.round, "value": answer.value, "dont_know": answer.dont_know}
        )


class Allocation(Base):
    def post(self) -> None:
        token, body = self.answer_body(ALLOCATION_FIELDS)
        axis = body.get("axis")
        try:
            answers = self.room.store.allocate(
                token, axis, body.get("points"), dont_know=body.get("dont_know", False), round=body.get("round")
            )
        except Refused as exc:
            shares = (i.item_id for i in self.room.store.items() if i.kind == "share" and i.axis == axis)
            self.refused(_for_the_phone(exc, next(shares, None), self.room))
        except KamError as exc:
            self.refused(exc)
        self.acknowledged(token)
        self.finish(
            {"axis": body.get("axis"), "items": [a.item_id for a in answers], "dont_know": answers[0].dont_know}
        )


class Board(Base):
    async def get(self) -> None:
        self.facilitator_only()
        payload = await self.room.board()
        self.finish(
            {
                "version": self.room.version,
                "title": self.room.title,
                "lang": self.room.lang,
                "anonymous": self.room.store.session.anonymous,
                "join_url": self.room.join_url,
                "accounts": [{"id": a, "name": n} for a, n in account_names(self.room.engagement).items()],
                "criteria": criterion_rows(self.room.engagement, self.room.lang),
                **payload,
            }
        )


class Items(Base):
    ACTIONS = ("open", "close", "reveal", "reopen")

    def post(self) -> None:
        self.facilitator_only()
        body = self.body_json()
        action, ids = body.get("action"), body.get("items")
        whole = isinstance(ids, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
        if action not in self.ACTIONS or not whole or len(ids) > 10_000:
            self.fail(
                400,
                "allowed: an action (open, close, reveal or reopen) and a list of item numbers",
                "se admite: una acción (open, close, reveal o reopen) y una lista de números de elemento",
            )
        try:
            moved = getattr(self.room.store, f"{action}_items")(ids)
        except KamError as exc:
            self.refused(exc)
        self.room.changed(items=True)
        self.finish({"moved": len(moved)})


class Threshold(Base):
    def post(self) -> None:
        self.facilitator_only()
        share = self.body_json().get("share")
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0.01 <= share <= 1:
            self.fail(
                422,
                "threshold: allowed a share of the scale from 0.01 to 1",
                "umbral: se admite una proporción de la escala de 0,01 a 1",
            )
        self.room.share = float(share)
        self.room.changed()
        self.finish({"share": self.room.share})


class Accept(Base):
    """The facilitator's accept: the room's scores into the workbook as a new period and, with a name, its weights
    as a scenario (`kamlib.workshop.accept`), on a worker thread; the reply says what was written or why not."""

    async def post(self) -> None:
        self.facilitator_only()
        body = self.body_json()
        period, name = body.get("period"), body.get("weights")
        if not isinstance(period, str) or not period.strip() or not (name is None or isinstance(name, str)):
            self.fail(
                422,
                "accept: allowed a new period label (text) and, optionally, a scenario name for the weights",
                "aceptar: se admite una etiqueta de periodo nueva (texto) y, si se quiere, un nombre de escenario "
                "para los pesos",
            )
        loop = asyncio.get_running_loop()
        try:
            said = await loop.run_in_executor(self.room.executor, accepted, self.room, period.strip(), name or None)
        except KamError as exc:
            self.set_status(422)
            self.finish({"error": exc.render(self.room.lang)})
            return
        self.finish({"said": said})


def accepted(room: Room, period: str, name: str | None) -> str:
    """Accept what the room agreed (`kamlib.workshop.accept.accept_room`); say what was written."""
    from kamlib.workshop.accept import accept_room

    return accept_room(room.store.session.workbook, room.store, period, name).text(room.lang)


class Reissue(Base):
    """A new link for a participant who lost theirs (their earlier links stop working): printed where `kam workshop`
    runs, never sent to the projector, where the room could read it."""

    def post(self) -> None:
        self.facilitator_only()
        code = self.body_json().get("code")
        try:
            issued = self.room.store.reissue(str(code))
        except KamError as exc:
            self.refused(exc)
        who = issued.participant
        self.room.print_line(f"  {who.code}: {participant_link(self.room.base_url, issued)}")
        said = {
            "es": f"Enlace nuevo de {who.name or who.code} en la ventana de kam workshop; el anterior ya no vale.",
            "en": f"New link for {who.name or who.code} in the kam workshop window; the earlier one no longer works.",
        }
        self.finish({"said": said[self.room.lang]})


class QrCode(Base):
    def get(self) -> None:
        self.facilitator_only()
        import io

        import segno

        drawn = io.BytesIO()  # with its namespace: an <img> draws no SVG without one
        segno.make(self.room.join_url, error="m").save(
            drawn, kind="svg", scale=6, border=2, dark="#111", xmldecl=False, nl=False, svgns=True
        )
        self.set_header("Content-Type", "image/svg+xml")
        self.finish(drawn.getvalue())


class Static(tornado.web.StaticFileHandler):
    """The pages' scripts and style: no data in them, only the loopback host check and the headers."""

    def parse_url_path(self, url_path: str) -> str:
        if "\x00" in url_path:  # the file system refuses it: 404, not a 500
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(url_path)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        log_error(self.request, typ, value, tb)

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Security-Policy", CSP)

    def prepare(self) -> None:
        room = self.settings["room"]
        if room.loopback and self.request.host_name not in LOOPBACK_NAMES:
            raise tornado.web.HTTPError(403)


def _for_the_phone(exc: Refused, item_id: object, room: Room) -> Refused:
    """A refusal of an item as its participant reads it: the account's name and the criteria's labels, not ids."""
    if exc.reason not in ("closed", "round"):
        return exc
    item = next((i for i in room.store.items() if i.item_id == item_id), None)
    if item is None:
        return exc
    labels = {lang: criterion_labels(room.engagement.criteria, lang) for lang in ("en", "es")}
    if item.kind == "score":
        account = account_names(room.engagement)[str(item.account_id)]
        what = {lang: f"{account} · {labels[lang][str(item.criterion_id)]}" for lang in labels}
    elif item.kind == "share":
        axis = AXIS_LABELS.get(item.axis, {"en": item.axis, "es": item.axis})
        what = {"en": f"{axis['en']}: 100-point allocation", "es": f"{axis['es']}: reparto de 100 puntos"}
    else:
        what = {
            lang: f"{labels[lang][str(item.criterion_a)]} / {labels[lang][str(item.criterion_b)]}" for lang in labels
        }
    if exc.reason == "closed" and item.state == "pending":
        return Refused(
            exc.reason,
            f"{what['en']}: this question is not open yet; your answer was not saved",
            f"{what['es']}: esta pregunta aún no está abierta; su respuesta no se ha guardado",
        )
    if exc.reason == "closed":
        return Refused(
            exc.reason,
            f"{what['en']}: the facilitator has closed this question; your answer was not saved",
            f"{what['es']}: quien facilita ha cerrado esta pregunta; su respuesta no se ha guardado",
        )
    return Refused(
        exc.reason,
        f"{what['en']}: this question has moved to round {item.round}; answer it again",
        f"{what['es']}: esta pregunta ha pasado a la ronda {item.round}; respóndala de nuevo",
    )


def log_error(request: Any, typ: Any, value: Any, tb: Any) -> None:
    """Log an unexpected error by method and path only: a request's address may hold a token."""
    if isinstance(value, tornado.web.HTTPError):
        return  # a refusal the handler chose: nothing unexpected
    logging.getLogger("kamlib.room").error(
        "kam workshop: %s %s failed", request.method, request.path, exc_info=(typ, value, tb)
    )


def make_app(room: Room) -> tornado.web.Application:
    """The application serving `room`."""
    routes = [
        (r"/p", ParticipantPage),
        (r"/f", FacilitatorPage),
        (r"/join", JoinPage),
        (r"/api/join", Join),
        (r"/api/p/state", ParticipantState),
        (r"/api/p/answer", Answer),
        (r"/api/p/allocation", Allocation),
        (r"/api/f/board", Board),
        (r"/api/f/items", Items),
        (r"/api/f/threshold", Threshold),
        (r"/api/f/qr.svg", QrCode),
        (r"/api/f/accept", Accept),
        (r"/api/f/reissue", Reissue),
    ]
    handlers: list[Any] = [(path, handler, {"room": room}) for path, handler in routes]
    handlers.append((r"/static/(.*)", Static, {"path": str(STATIC)}))
    return tornado.web.Application(
        handlers,
        room=room,
        compress_response=True,
        xsrf_cookies=False,  # no cookie carries authority here: every call brings its token in a header
        log_function=_log,
    )


def _log(handler: tornado.web.RequestHandler) -> None:
    """Log nothing of a request's address: it may hold a token. Errors only, by path."""
    status = handler.get_status()
    if status >= 500:
        print(f"kam workshop: {status} {handler.request.method} {handler.request.path}", flush=True)


def participant_link(base: str, issued: Issued) -> str:
    """A participant's own link: their page with their token (and, for the customer's side, saying so)."""
    return f"{base}/p?t={issued.token}" + (SIDE_LINK if issued.participant.side == "customer" else "")


def new_secret() -> str:
    """A new secret of 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


__all__ = ["MAX_BODY", "READ_AT_MOST", "Room", "make_app", "new_secret", "secret_hash"]
