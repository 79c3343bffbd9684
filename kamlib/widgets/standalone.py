"""The live matrix as one HTML file: the same sliders and recompute, with no kernel at all.

The page carries matrix.js (bundled with Vega), the engagement's data and both languages'
chart specs, and drives the widget's browser side with a small in-page model instead of a
kernel. Nothing loads from the internet, and a Content-Security-Policy sees to it: the page may run
its own inline script (by hash) and the bundle that script makes (a blob: URL), and load nothing else
at all. Data is embedded as escaped JSON, so no account name can end the script it sits in. Scenarios
cannot be saved from it (there is no kernel): it is for sending the workshop's matrix to people who
were not in the room.
"""

from __future__ import annotations

import base64
import hashlib
import html
from pathlib import Path

from kamlib.charts.export import script_json
from kamlib.charts.live_matrix import live_matrix_spec
from kamlib.charts.matrix import TEXTS
from kamlib.engagement import Engagement
from kamlib.fileio import write_text
from kamlib.scenarios.live import live_matrix_data, reference_quadrants
from kamlib.scenarios.scenario import Scenario
from kamlib.widgets.matrix import HERE, UI_TEXTS, matrix_bundle, matrix_values, start_state

_BOOT = """
const values = %(values)s;
const specs = %(specs)s;
const handlers = {};
const model = {
  get: (key) => values[key],
  set: (key, value) => { values[key] = value; (handlers["change:" + key] || []).forEach((f) => f()); },
  on: (event, f) => { (handlers[event] = handlers[event] || []).push(f); },
  save_changes: () => {},
};
model.on("change:lang", () => {
  model.set("reference_name", values.texts[values.lang].workbook);
  model.set("spec", specs[values.lang]);
});
const url = URL.createObjectURL(new Blob([%(bundle)s], { type: "text/javascript" }));
const widget = await import(url);
await widget.default.render({ model, el: document.getElementById("kam") });
document.body.dataset.ready = "true";
"""


_NOTICE = {
    "es": "Copia sin conexión: los controles funcionan aquí; para guardar escenarios, abra la matriz con kam serve.",
    "en": "Offline copy: the controls work here; to save scenarios, open the matrix with kam serve.",
}


def content_security_policy(script: str) -> str:
    """Return the page's Content-Security-Policy: the inline `script` and the blobs it makes may run; no load
    from any address, no form, no <base>.

    Vega compiles its expressions with `Function` ('unsafe-eval'); styles are inline; images only from
    data: and blob: (the chart's PNG/SVG export)."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'sha256-{digest}' blob: 'unsafe-eval'",
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def live_matrix_html(engagement: Engagement, scenario: Scenario | None = None, lang: str = "es") -> str:
    """Return a self-contained HTML page with the live matrix of `engagement`."""
    state = start_state(engagement, scenario, lang)
    values = matrix_values(engagement, live_matrix_data(engagement), state)
    specs = {code: live_matrix_spec(code, UI_TEXTS[code]["revenue"], values["cuts"]) for code in UI_TEXTS}
    values |= {
        "spec": specs[lang],
        "reference": reference_quadrants(engagement),
        "reference_name": UI_TEXTS[lang]["workbook"],
        "label_top": 8,
    }
    boot = _BOOT % {"values": script_json(values), "specs": script_json(specs), "bundle": script_json(matrix_bundle())}
    who = engagement.identity.who  # the engagement's client or supplier, never the file's name
    title = html.escape(f"{TEXTS['title'][lang]} · {who}" if who else TEXTS["title"][lang])
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(content_security_policy(boot))}">\n'
        f"<title>{title}</title>\n"
        f"<style>{(HERE / 'matrix.css').read_text(encoding='utf-8')}\nbody {{ margin: 16px; }}</style>\n</head>\n"
        f'<body>\n<div id="kam"></div>\n<p class="kam-none">{html.escape(_NOTICE[lang])}</p>\n'
        f'<script type="module">{boot}</script>\n</body>\n</html>\n'
    )


def save_live_matrix(
    engagement: Engagement, path: Path | str, scenario: Scenario | None = None, lang: str = "es"
) -> Path:
    """Write the standalone live matrix to `path` atomically and return it."""
    return write_text(path, live_matrix_html(engagement, scenario, lang))
