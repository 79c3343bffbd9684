"""Slide layout with python-pptx: text boxes that fit, tables, pictures, charts as PNG.

The generic half of the workshop deck (`kamlib.publish.deck` decides what its slides say; this module lays it out):
the 16:9 slide's geometry and font sizes; text boxes whose lines are set smaller (to `SMALL_PT` at least)
until their estimated height fits; bullet lists cut to `MAX_BULLETS` items, the rest named in the speaker
notes; native tables with estimated row heights; pictures scaled into a box; charts rendered to PNG offline
(vl-convert, imported with altair only by the functions that draw). Text only ever reaches the file through
python-pptx (which escapes it), its control characters made spaces first.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

SLIDE_WIDTH = Emu(12192000)
"""13.333 in: the 16:9 widescreen slide."""
SLIDE_HEIGHT = Emu(6858000)
"""7.5 in."""
MAX_BULLETS = 6
"""At most this many items of a list on a slide; the rest are counted ("+N more") and named in the notes."""
MAX_CHARS = 110
"""Longer texts from the workbook are cut (with "…") so that a bullet stays within two or three lines."""
TITLE_PT, HEADING_PT, BODY_PT, SMALL_PT = 30, 20, 18, 14
"""Font sizes: readable from the back of a room on a projector (body ≥ 14 pt)."""

MARGIN = Inches(0.5)
"""The slide's margin, left and right."""
INSET = Inches(0.05)
"""Inner margin of every text box, on each side."""
EMU_PER_PT = 12700
"""EMU in a point."""
CELL_INSET_X, CELL_INSET_Y = Inches(0.1), Inches(0.05)
"""Inner margins of a table cell, left and right, top and bottom."""
MIN_ROW = Inches(0.45)
"""The height a table row is written with, and the least `row_heights` estimates."""
CHAR_EM = 0.55
"""A character's estimated width, in ems of its font size."""
LINE_SPACING = 1.2
"""A line's estimated height, in ems of its font size."""
BODY_TOP = Inches(1.4)
"""Where a slide's body starts, below its title."""
BODY_BOTTOM = SLIDE_HEIGHT - Inches(0.35)
"""Where a slide's body ends."""
TEXT = RGBColor(0x1F, 0x29, 0x33)
"""The colour of text."""
MUTED = RGBColor(0x52, 0x60, 0x6D)
"""The colour of secondary text: labels, captions, counts."""
LANGUAGE_IDS = {"es": MSO_LANGUAGE_ID.SPANISH, "en": MSO_LANGUAGE_ID.ENGLISH_UK}
"""The proofing language of the text runs, per language code."""
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters other than tab and newline (`clean` makes each a space)."""


# --- drawing -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One paragraph of a text box: text, size in points, and how it looks."""

    text: str
    size: int = BODY_PT
    bold: bool = False
    colour: RGBColor | None = None
    label: str | None = None
    """Written in bold before the text, followed by a colon."""
    bullet: bool = False
    space: int = 0
    """Points of space before the paragraph."""


def bullets(
    slide,
    items: Sequence[str],
    lang: str,
    size: int,
    more: str,
    heading: str | None = None,
    limit: int = MAX_BULLETS,
    room: tuple[int, float] | None = None,
) -> list[Line]:
    """Bullet lines for `items`: at most `limit`, and no more than fit in `room` (box width in EMU, points of
    height left); when the list is cut, the last line counts the rest (`more`, a text with `{n}` such as
    "+{n} more (full list in the notes)") and the notes list them all under `heading`."""
    items = [clip(str(i)) for i in items]

    def lines(k: int) -> list[Line]:
        shown = [Line(i, size, bullet=True, space=4) for i in items[:k]]
        if k < len(items):
            shown.append(Line(more.format(n=len(items) - k), SMALL_PT, colour=MUTED, space=4))
        return shown

    k = len(items) if len(items) <= limit else limit - 1
    while room is not None and k > 1 and text_height(lines(k), room[0]) > room[1]:
        k -= 1
    if k < len(items):
        note(slide, heading or "", items)
    return lines(k)


def note(slide, heading: str, items: Sequence[str]) -> None:
    """Add a list to the slide's speaker notes (what a cut list left out)."""
    frame = slide.notes_slide.notes_text_frame
    text = "\n".join([heading, *(f"• {clean(i)}" for i in items)]) if heading else "\n".join(items)
    frame.text = clean(f"{frame.text}\n\n{text}" if frame.text else text)


def text_box(slide, left: int, top: int, width: int, height: int, lines: Sequence[Line], lang: str):
    """A word-wrapped text box holding `lines`, their sizes made smaller (to `SMALL_PT` at least) if they would
    not fit in it otherwise."""
    lines = fit(lines, width, height)
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = INSET
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if line.space:
            paragraph.space_before = Pt(line.space)
        if line.bullet:
            bullet(paragraph, line.size)
        if line.label:
            run(paragraph, f"{line.label}: ", lang, line.size, bold=True, colour=MUTED)
        run(paragraph, line.text, lang, line.size, bold=line.bold, colour=line.colour or TEXT)
    return box


def room(width: int, height: int, lines: Sequence[Line]) -> tuple[int, float]:
    """The width of a text box and the points of its height that `lines` leave free."""
    return width, height / EMU_PER_PT - 2 * INSET / EMU_PER_PT - text_height(lines, width)


def text_height(lines: Sequence[Line], width: int) -> float:
    """Estimate the height in points of `lines` wrapped in a text box `width` EMU wide.

    Characters are taken as `CHAR_EM` of the font size wide (DejaVu Sans, LibreOffice's stand-in for
    Calibri, averages about 0.5; Calibri less), so the estimate errs on the tall side.
    """
    total = 0.0
    for line in lines:
        text = f"{line.label}: {line.text}" if line.label else line.text
        usable = (width - 2 * INSET) / EMU_PER_PT - (0.9 * line.size if line.bullet else 0.0)
        per_line = max(1, int(usable / (line.size * CHAR_EM * (1.1 if line.bold else 1.0))))
        rows = max(1, len(textwrap.wrap(text, per_line)))
        total += rows * line.size * LINE_SPACING + line.space
    return total


def fit(lines: Sequence[Line], width: int, height: int) -> list[Line]:
    """`lines` with their sizes scaled down in steps until their estimated height fits (not below `SMALL_PT`)."""
    available = (height - 2 * INSET) / EMU_PER_PT
    scale, fitted = 1.0, list(lines)
    while text_height(fitted, width) > available and any(line.size > SMALL_PT for line in fitted):
        scale -= 0.05
        fitted = [replace(line, size=max(SMALL_PT, round(line.size * scale))) for line in lines]
    return fitted


def bullet(paragraph, size: int) -> None:
    """Make a paragraph a bullet with a hanging indent (attributes python-pptx does not expose; no text here)."""
    properties = paragraph._p.get_or_add_pPr()
    indent = Pt(size * 0.9)
    properties.set("marL", str(int(indent)))
    properties.set("indent", str(-int(indent)))
    char = OxmlElement("a:buChar")
    char.set("char", "•")
    properties.append(char)


def run(paragraph, text: str, lang: str, size: int, bold: bool = False, colour: RGBColor | None = None):
    """Append a run of plain text (python-pptx escapes it) in `lang`, at `size` points."""
    text_run = paragraph.add_run()
    text_run.text = clean(text)
    font = text_run.font
    font.size = Pt(size)
    font.bold = bold
    font.language_id = LANGUAGE_IDS[lang]
    if colour is not None:
        font.color.rgb = colour
    return text_run


def table(
    slide,
    rows: Sequence[Sequence[str]],
    left: int,
    top: int,
    widths: Sequence[int],
    lang: str,
    size: int = BODY_PT,
    numeric: Sequence[int] | None = None,
):
    """A native table: the first row is the header, columns `widths` wide, numbers right-aligned.

    Rows are written `MIN_ROW` tall: PowerPoint and LibreOffice make a row as tall as its text needs (the
    slide budgets the room with `row_heights`).
    """
    shape = slide.shapes.add_table(len(rows), len(widths), left, top, sum(widths), MIN_ROW * len(rows))
    grid = shape.table
    for c, column_width in enumerate(widths):
        grid.columns[c].width = column_width
    numeric = range(1, len(widths)) if numeric is None else numeric
    for r, values in enumerate(rows):
        grid.rows[r].height = MIN_ROW
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.margin_left = cell.margin_right = CELL_INSET_X
            cell.margin_top = cell.margin_bottom = CELL_INSET_Y
            frame = cell.text_frame
            frame.word_wrap = True
            paragraph = frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.RIGHT if c in numeric else PP_ALIGN.LEFT
            run(paragraph, str(value), lang, size, bold=r == 0)
    return shape


def column_widths(width: int, proportions: Sequence[float]) -> list[int]:
    """Split `width` (EMU) into columns in these proportions."""
    total = sum(proportions)
    return [Emu(int(width * share / total)) for share in proportions]


def row_heights(rows: Sequence[Sequence[str]], widths: Sequence[int], size: int) -> list[int]:
    """Estimate each table row's height (EMU): its tallest cell, wrapped (the header in bold)."""
    heights = []
    for r, values in enumerate(rows):
        tallest = max(
            text_height([Line(str(v), size, bold=r == 0)], w - 2 * CELL_INSET_X + 2 * INSET)
            for v, w in zip(values, widths, strict=True)
        )
        heights.append(max(MIN_ROW, Emu(int((tallest + 2 * CELL_INSET_Y / EMU_PER_PT) * EMU_PER_PT))))
    return heights


def picture(slide, png: bytes, left: int, top: int, width: int, height: int):
    """Add a PNG scaled to fit the box (aspect kept), centred in it."""
    image = slide.shapes.add_picture(io.BytesIO(png), left, top)
    scale = min(width / image.width, height / image.height)
    image.width, image.height = Emu(int(image.width * scale)), Emu(int(image.height * scale))
    image.left = Emu(int(left + (width - image.width) / 2))
    image.top = Emu(int(top + (height - image.height) / 2))
    return image


def chart_png(chart) -> bytes:
    """Render a chart to PNG offline (vl-convert, at `kamlib.charts.export.PNG_SCALE`: sharp on a projector).

    Control characters are taken out of every text of the spec first: vl-convert 1.9 aborts the whole
    process (a Rust panic, not an exception) on a text holding one, and a workbook cell may.
    """
    from kamlib.charts.export import chart_spec, png_bytes

    return png_bytes(without_control(chart_spec(chart)))


def without_control(value):
    """The spec with control characters (other than tab and newline) removed from its keys and texts."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {without_control(k): without_control(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_control(v) for v in value]
    return value


def untitled(chart) -> tuple[object, list[str]]:
    """Take the title off a chart made for the slide (the slide has its own) and return it with the subtitle's
    lines, which the slide writes as text."""
    import altair as alt

    title = chart.title
    subtitle = getattr(title, "subtitle", alt.Undefined)
    lines = [] if subtitle is alt.Undefined or subtitle is None else subtitle
    chart.title = alt.Undefined
    return chart, [lines] if isinstance(lines, str) else [str(line) for line in lines]


# --- text --------------------------------------------------------------------------------------------------


def body_height() -> int:
    """The height of a slide's body, from `BODY_TOP` to `BODY_BOTTOM` (EMU)."""
    return BODY_BOTTOM - BODY_TOP


def rgb(colour: str) -> RGBColor:
    """A python-pptx colour from a hex code such as "#1F2933"."""
    return RGBColor.from_string(colour.lstrip("#"))


def clean(text: object) -> str:
    """Text with each control character (other than tab and newline) made a space."""
    return CONTROL.sub(" ", str(text))


def clip(text: object, limit: int = MAX_CHARS) -> str:
    """One line of text, whitespace collapsed (a non-breaking space, as in `25,3 %` or `28.188.082 €`, is kept),
    cut to `limit` characters with "…"."""
    text = re.sub(r"[^\S\xa0]+", " ", clean(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = [
    "BODY_BOTTOM",
    "BODY_PT",
    "BODY_TOP",
    "CELL_INSET_X",
    "CELL_INSET_Y",
    "CHAR_EM",
    "CONTROL",
    "EMU_PER_PT",
    "HEADING_PT",
    "INSET",
    "LANGUAGE_IDS",
    "LINE_SPACING",
    "MARGIN",
    "MAX_BULLETS",
    "MAX_CHARS",
    "MIN_ROW",
    "MUTED",
    "SLIDE_HEIGHT",
    "SLIDE_WIDTH",
    "SMALL_PT",
    "TEXT",
    "TITLE_PT",
    "Line",
    "body_height",
    "bullet",
    "bullets",
    "chart_png",
    "clean",
    "clip",
    "column_widths",
    "fit",
    "note",
    "picture",
    "rgb",
    "room",
    "row_heights",
    "run",
    "table",
    "text_box",
    "text_height",
    "untitled",
    "without_control",
]
