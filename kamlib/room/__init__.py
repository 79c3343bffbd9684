"""The workshop's room: the web server participants and the facilitator talk to during `kam workshop`.

`app` is the tornado application (pages, JSON, who may call what), `limits` the per-caller rate limits, `pages`
the HTML shells, `run` starts a workshop and serves it until Ctrl-C; the pages' scripts and style are in
`static/`. What the pages show is computed below, in `kamlib.workshop` (`phone`, `board`), from the store.
"""

from kamlib.room.app import Room, make_app
from kamlib.room.run import serve_workshop, start

__all__ = ["Room", "make_app", "serve_workshop", "start"]
