"""A workshop of the tiny engagement served for real, in this process: its own copy of the workbook, a tornado
server on a free port of 127.0.0.1 running on a thread of its own, and a small HTTP client.

The tiny engagement: accounts A1–A4; volume and growth (1–10) on potential, service (0–5) and incidents (0–20,
lower is better) on position. Items are created as `kam workshop` creates them: A1 × volume is item 1, A1 ×
growth 2, A1 × service 3, A1 × incidents 4, A2 × volume 5, …, A4 × incidents 16; then the pairs volume/growth
(17) and service/incidents (18); then the 100-point allocations, potential (volume 19, growth 20) and position
(service 21, incidents 22).
"""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kamlib.room.run import Started, start
from tests.conftest import copy_tiny

PEOPLE = "code,name,side\nana,Ana Peña,ours\nben,Ben Ruiz,\ncli,Carla Cliente,customer\n"


@dataclass
class Reply:
    status: int
    data: Any
    body: bytes
    headers: dict[str, str]


def call(
    url: str,
    token: str | None = None,
    body: object = None,
    raw: bytes | None = None,
    host: str | None = None,
    content_type: str = "application/json",
) -> Reply:
    """GET `url`, or POST `body` as JSON (or `raw` bytes, as `content_type`); the token in the header the pages
    send."""
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if data is not None:
        request.add_header("Content-Type", content_type)
    if token is not None:
        request.add_header("X-Kam-Token", token)
    if host is not None:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, content, headers = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        status, content, headers = exc.code, exc.read(), dict(exc.headers)
    try:
        parsed = json.loads(content) if content else None
    except ValueError:
        parsed = None
    return Reply(status, parsed, content, headers)


@dataclass
class Served:
    """A running workshop: what `start` returned, the base URL, each listed participant's token, the workbook."""

    started: Started
    base: str
    tokens: dict[str, str]
    facilitator: str
    join_key: str
    workbook: Path

    def act(self, action: str, items: list[int]) -> Reply:
        return call(f"{self.base}/api/f/items", self.facilitator, {"action": action, "items": items})

    def answer(self, who: str, item: int, value: object = None, **more: object) -> Reply:
        body = {"item": item, **({"value": value} if value is not None else {}), **more}
        return call(f"{self.base}/api/p/answer", self.tokens.get(who, who), body)

    def state(self, who: str) -> Reply:
        return call(f"{self.base}/api/p/state", self.tokens.get(who, who))

    def board(self) -> dict[str, Any]:
        reply = call(f"{self.base}/api/f/board", self.facilitator)
        assert reply.status == 200, reply.data
        return reply.data


def serve_in_thread(workbook: Path, **options: Any) -> Iterator[Served]:
    """Start `kam workshop` on `workbook` in a thread of its own; yield it served; stop it afterwards."""
    ready: dict[str, Any] = {}
    loop = asyncio.new_event_loop()
    stopped = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def main() -> None:
            try:
                ready["started"], ready["lock"] = start(workbook, **options)
            except BaseException as exc:  # handed to the test thread
                ready["error"] = exc
            ready["event"].set()

        loop.run_until_complete(main())
        loop.run_forever()
        stopped.set()

    ready["event"] = threading.Event()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready["event"].wait(60)
    if "error" in ready:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        raise ready["error"]
    started: Started = ready["started"]
    base = started.facilitator_url.split("/f?")[0]
    tokens = {code: url.split("t=")[1].split("&")[0] for code, url in started.participant_urls.items()}
    served = Served(
        started,
        base,
        tokens,
        started.facilitator_url.split("t=")[1],
        started.join_url.split("k=")[1],
        workbook,
    )
    try:
        yield served
    finally:

        def stop() -> None:
            try:
                started.server.stop()
                started.room.executor.shutdown(wait=True)
                started.store.close()
                ready["lock"].release()
            finally:  # whatever failed above, the loop ends and the test goes on
                loop.stop()

        loop.call_soon_threadsafe(stop)
        stopped.wait(10)


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    return path


@pytest.fixture
def served(tmp_path: Path, roster: Path) -> Iterator[Served]:
    """The tiny engagement's workshop: ana and ben (ours), cli (the customer's side), and two seats."""
    workbook = copy_tiny(tmp_path / "tiny", "Hoteles <b>Mirasol</b>")
    yield from serve_in_thread(workbook, participants=roster, seats=2, lang="en")
