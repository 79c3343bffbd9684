"""MkDocs hook: the reference pages written from kamlib's own contract at build time, so they cannot drift.

- `reference/workbook.md`: the marker `<!-- kam:workbook -->` becomes every sheet of
  `kamlib.workbook.sheets.SHEETS`, each with its columns, whether they are required, the values they
  admit and their descriptions in English and Spanish.
- `method.md`: the marker `<!-- kam:playbook -->` becomes the method's default playbook
  (`kamlib.method.playbook_rows()`).
- `design.md`: the marker `<!-- kam:layers -->` becomes a diagram of the package's layers (an inline SVG),
  drawn from the import-linter `layers` contract in pyproject.toml (the contract the test suite enforces).
- `reference/commands/index.md`: the marker `<!-- kam:commands -->` becomes the `kam` synopsis and a table
  of every subcommand of `kamlib.cli.build_parser()`.
- `reference/comandos.md`: the marker `<!-- kam:commands-es -->` becomes the same reference in Spanish, every
  command's usage and options on one page, from `build_parser("es")`.
- `reference/commands/<command>.md`: one page per subcommand. A hand-written page of that name keeps its
  text (examples, what it writes, exit codes) and gets the generated usage and options where it has the
  marker `<!-- kam:command -->` (or right after its title); a subcommand with no page of its own gets a
  generated one. Every command page is added to the nav after the commands index, so a command added to
  the parser shows up in the site without editing anything here; a hand-written page whose command the
  parser does not have (yet) is left out of the site, with a note in the build's log.

Only public names of kamlib are used (`SHEETS`, the `Sheet` and `Column` fields, `CHOICE_ALIASES`,
`TRUE_WORDS`/`FALSE_WORDS`, `playbook_rows`, `STRATEGY_NAMES`, `build_parser`); argparse's own structures
are walked for the options.
"""

from __future__ import annotations

import argparse
import html
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

log = get_plugin_logger(__name__)

WORKBOOK_PAGE = "reference/workbook.md"
COMMANDS_INDEX = "reference/commands/index.md"
COMMANDS_DIR = "reference/commands/"
WORKBOOK_MARKER = "<!-- kam:workbook -->"
COMMANDS_MARKER = "<!-- kam:commands -->"
SPANISH_COMMANDS_PAGE = "reference/comandos.md"
SPANISH_COMMANDS_MARKER = "<!-- kam:commands-es -->"
COMMAND_MARKER = "<!-- kam:command -->"
METHOD_PAGE = "method.md"
DESIGN_PAGE = "design.md"
LAYERS_MARKER = "<!-- kam:layers -->"
PLAYBOOK_MARKER = "<!-- kam:playbook -->"
ELEMENT_WORDS = {
    "relationship": "relationship model",
    "priority": "priority",
    "activity": "activity to stress",
    "metric": "control metric",
}
USAGE_WIDTH = "88"
"""Columns argparse wraps the usage lines at (it reads COLUMNS), so the pages do not depend on the terminal."""

METHOD_SECTIONS = {"1": "matrix", "2": "time", "3": "competences", "4": "plan"}
"""The method page's anchors for the sections the workbook's descriptions cite as `METHOD.md §N`."""
GENERIC_EXIT = (
    "Exit codes: 0 when it worked; 2 on bad input (a file that does not read, a value not allowed), with one "
    "clear message per problem on standard error and no traceback. Messages follow `--lang` or `KAM_LANG`."
)


# --- kamlib, imported at build time -------------------------------------------------------------


def _sheets() -> tuple[Any, ...]:
    from kamlib.workbook import sheets

    return tuple(sheets.SHEETS)


def _aliases() -> dict[str, dict[str, str]]:
    from kamlib.workbook import sheets

    return dict(getattr(sheets, "CHOICE_ALIASES", {}))


def _bool_words() -> tuple[list[str], list[str]]:
    try:
        from kamlib.workbook.cells import FALSE_WORDS, TRUE_WORDS
    except ImportError:
        return [], []
    return sorted(TRUE_WORDS), sorted(FALSE_WORDS)


def _parser(lang: str = "en") -> argparse.ArgumentParser:
    from kamlib.cli import build_parser

    return build_parser(lang)


def subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser, str]]:
    """Every subcommand of `parser` as (name, its parser, its one-line help), in the parser's order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            return [(name, sub, helps.get(name, "")) for name, sub in action.choices.items()]
    return []


# --- text helpers ---------------------------------------------------------------------------------


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell: HTML escaped, pipes escaped, on one line."""
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")


def method_links(text: str, prefix: str) -> str:
    """Turn the contract's `METHOD.md §N` into a link to the method page's section N."""

    def link(match: re.Match[str]) -> str:
        first, last = match.group(1), match.group(2)
        label = f"§{first}–{last}" if last else f"§{first}"
        return f"[method {label}]({prefix}method.md#{METHOD_SECTIONS.get(first, 'matrix')})"

    return re.sub(r"METHOD\.md §(\d)(?:[–-](\d))?", link, text)


def sentence(text: str) -> str:
    """A help string as a sentence: capitalised, with a full stop, safe in a table cell."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return cell(text if text.endswith(".") else text + ".")


def usage_text(parser: argparse.ArgumentParser) -> str:
    """The parser's usage without the `usage: ` prefix, its continuation lines dedented to match."""
    with usage_width():
        usage = parser.format_usage().rstrip()
    prefix = "usage: " if usage.startswith("usage: ") else "uso: "
    lines = usage.splitlines()
    first = lines[0][len(prefix) :] if lines[0].startswith(prefix) else lines[0]
    rest = [line[len(prefix) :] if line.startswith(" " * len(prefix)) else line for line in lines[1:]]
    return "\n".join([first, *rest])


def number(value: float) -> str:
    return f"{value:g}"


@contextmanager
def usage_width() -> Iterator[None]:
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = USAGE_WIDTH
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = before


# --- the workbook -----------------------------------------------------------------------------------


def sheet_anchor(name: str) -> str:
    return f"sheet-{name.replace('_', '-')}"


def needed_text(column: Any) -> str:
    if not column.required:
        return "optional"
    return "yes" if column.filled else "yes (may be empty)"


def allowed_text(sheet: Any, column: Any) -> str:
    """What a column's cells may hold, from the column's fields (kind, bounds, choices, reference, default)."""
    kind = column.kind
    if kind == "id":
        text = (
            "text"
            if sheet.key != column.name
            else "unique text"
            if not sheet.key_scope
            else f"text, unique per {sheet.key_scope}"
        )
    elif kind == "ref" and column.ref:
        target, key = column.ref
        text = f"a <code>{cell(key)}</code> of sheet [<code>{cell(target)}</code>](#{sheet_anchor(target)})"
    elif kind == "choice":
        text = ", ".join(f"<code>{cell(c)}</code>" for c in column.choices)
        also = [a for a, v in _aliases().get(column.name, {}).items() if a != v and " " not in a]
        if also:
            text += "; also read: " + ", ".join(cell(a.replace("_", " ")) for a in also)
    elif kind == "bool":
        true, false = _bool_words()
        text = "true or false"
        if true and false:
            text += f" (true: {cell(', '.join(true))}; false: {cell(', '.join(false))})"
    elif kind == "period":
        text = "a period label such as 2025, 2025-H2, 2025-Q3, 2025-07 (natural order)"
    elif kind == "date":
        text = "a date from 1900 to 2199: a spreadsheet's date cell, or YYYY-MM-DD such as 2026-03-15"
    elif kind == "number":
        low, high = column.minimum, column.maximum
        if low is not None and high is not None:
            text = f"a number from {number(low)} to {number(high)}"
        elif low is not None:
            text = f"a number ≥ {number(low)}"
        elif high is not None:
            text = f"a number ≤ {number(high)}"
        else:
            text = "a number"
    else:
        text = "text"
    if column.default is not None:
        default = str(column.default).lower() if isinstance(column.default, bool) else column.default
        text += f"; default {cell(number(default) if isinstance(default, float) else default)}"
    return text


def sheet_summary(sheet: Any) -> str:
    parts = ["**required sheet**" if sheet.required else "**optional sheet** (may be absent)"]
    if sheet.key:
        scope = f"unique per <code>{cell(sheet.key_scope)}</code>" if sheet.key_scope else "unique"
        parts.append(f"key: <code>{cell(sheet.key)}</code> ({scope})")
    if sheet.min_rows:
        parts.append(f"at least {sheet.min_rows} data row{'s' if sheet.min_rows != 1 else ''}")
    return " · ".join(parts)


def workbook_markdown(prefix: str) -> str:
    """Every sheet of the contract: an overview table, then one section per sheet with its columns."""
    sheets = _sheets()
    lines = [
        "## The sheets at a glance",
        "",
        "| sheet | needed | key | what it holds |",
        "|---|---|---|---|",
    ]
    for sheet in sheets:
        lines.append(
            f"| [<code>{cell(sheet.name)}</code>](#{sheet_anchor(sheet.name)}) "
            f"| {'required' if sheet.required else 'optional'} "
            f"| {f'<code>{cell(sheet.key)}</code>' if sheet.key else ''} "
            f"| {cell(sheet.en)} |"
        )
    lines += ["", "## Sheet by sheet", ""]
    for sheet in sheets:
        lines += [
            f"### {sheet.name} {{#{sheet_anchor(sheet.name)}}}",
            "",
            sheet_summary(sheet),
            "",
            cell(sheet.en),
            "",
            f"*Español:* {cell(sheet.es)}",
            "",
            "| column | required | allowed values | meaning | significado |",
            "|---|---|---|---|---|",
        ]
        for column in sheet.columns:
            lines.append(
                f"| <code>{cell(column.name)}</code> | {needed_text(column)} | {allowed_text(sheet, column)} "
                f"| {cell(column.en)} | {cell(column.es)} |"
            )
        lines.append("")
    return method_links("\n".join(lines), prefix)


# --- the method's playbook -------------------------------------------------------------------------


def playbook_markdown() -> str:
    """The method's default playbook (`kamlib.method.playbook_rows()`), one table per strategy."""
    from kamlib.method import STRATEGY_NAMES, playbook_rows

    rows = playbook_rows()
    lines: list[str] = []
    for strategy in dict.fromkeys(row[0] for row in rows):
        names = STRATEGY_NAMES.get(strategy, {})
        lines += [
            f"#### {cell(names.get('en', strategy))} / {cell(names.get('es', strategy))} {{#playbook-{strategy}}}",
            "",
            "| element | English | español | scorecard perspective |",
            "|---|---|---|---|",
        ]
        for _, element, es, en, perspective in (row for row in rows if row[0] == strategy):
            lines.append(
                f"| {ELEMENT_WORDS.get(element, cell(element))} | {cell(en)} | {cell(es)} | {cell(perspective or '')} |"
            )
        lines.append("")
    return "\n".join(lines)


# --- the layers -------------------------------------------------------------------------------------


def layer_rows(pyproject: Any) -> list[list[str]]:
    """The layers of the import-linter `layers` contract in pyproject.toml, bottom first, siblings split."""
    import tomllib

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    contracts = data.get("tool", {}).get("importlinter", {}).get("contracts", [])
    layers = next((c["layers"] for c in contracts if c.get("type") == "layers"), None)
    if not layers:
        return []
    return [[name.strip() for name in re.split(r"[|:]", layer) if name.strip()] for layer in reversed(layers)]


def layers_markdown(config: Any) -> str:
    """Draw the layers (`kamlib.<name>`), top layer first, as an inline SVG: each imports only from the rows below."""
    from pathlib import Path

    root = Path(config["config_file_path"]).parent
    rows = layer_rows(root / "pyproject.toml")
    if not rows:
        log.warning("pyproject.toml has no import-linter layers contract: the layer diagram is not drawn")
        return ""
    width, box_height, gap, arrow = 720, 34, 10, 22
    height = len(rows) * box_height + (len(rows) - 1) * arrow
    parts = []
    for index, row in enumerate(reversed(rows)):
        top = index * (box_height + arrow)
        box_width = (width - gap * (len(row) - 1)) / len(row)
        for position, name in enumerate(row):
            left = position * (box_width + gap)
            parts.append(
                f'<rect x="{left:.1f}" y="{top}" width="{box_width:.1f}" height="{box_height}" rx="6" '
                'fill="#e0f2f1" stroke="#00796b"/>'
                f'<text x="{left + box_width / 2:.1f}" y="{top + box_height / 2 + 5}" text-anchor="middle" '
                f'font-family="monospace" font-size="14" fill="#004d40">{html.escape(name)}</text>'
            )
        if index < len(rows) - 1:
            y0, y1 = top + box_height + 3, top + box_height + arrow - 3
            parts.append(
                f'<path d="M{width / 2} {y0} V{y1 - 6} M{width / 2 - 5} {y1 - 7} L{width / 2} {y1} '
                f'L{width / 2 + 5} {y1 - 7}" stroke="#546e7a" stroke-width="1.6" fill="none"/>'
            )
    label = "Layers of kamlib, top to bottom: " + "; ".join(" | ".join(row) for row in reversed(rows))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 {width + 2} {height + 2}" '
        f'role="img" aria-label="{html.escape(label)}" style="max-width:100%;height:auto">'
        f"<title>{html.escape(label)}</title>{''.join(parts)}</svg>"
    )
    return f'<div class="kam-layers" markdown="0">\n{svg}\n</div>'


# --- the commands -----------------------------------------------------------------------------------


def invocation(action: argparse.Action) -> str:
    """How an argument is written: `--chart CHART`, `--uniform`, `workbook`, `SCENARIO [SCENARIO ...]`."""
    if not action.option_strings:
        name = action.metavar or action.dest
    elif action.nargs == 0:
        return ", ".join(action.option_strings)
    else:
        choices = "{" + ",".join(map(str, action.choices)) + "}" if action.choices else None
        name = action.metavar or choices or action.dest.upper()
    if action.nargs == "+":
        arg = f"{name} [{name} ...]"
    elif action.nargs == "*":
        arg = f"[{name} ...]"
    elif action.nargs == "?":
        arg = f"[{name}]"
    else:
        arg = str(name)
    return f"{', '.join(action.option_strings)} {arg}" if action.option_strings else arg


TABLE_WORDS = {
    "en": {"required": "required", "repeat": "may be repeated", "not_with": "not with ", "argument": "argument",
           "default": "default", "what": "what it does", "command": "command"},
    "es": {"required": "obligatorio", "repeat": "puede repetirse", "not_with": "no con ", "argument": "argumento",
           "default": "por defecto", "what": "qué hace", "command": "orden"},
}  # fmt: skip


def options_table(sub: argparse.ArgumentParser, lang: str = "en") -> list[str]:
    words = TABLE_WORDS[lang]
    exclusive: dict[argparse.Action, list[argparse.Action]] = {}
    for group in sub._mutually_exclusive_groups:
        for action in group._group_actions:
            exclusive[action] = [a for a in group._group_actions if a is not action]
    rows: list[tuple[str, str, str]] = []
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        help_text = action.help or ""
        notes = []
        if not action.option_strings and action.nargs not in ("?", "*"):
            notes.append(words["required"])
        if isinstance(action, argparse._AppendAction) and not re.search("repeat|repet", help_text):
            notes.append(words["repeat"])
        if action in exclusive:
            others = ", ".join(a.option_strings[0] for a in exclusive[action] if a.option_strings)
            notes.append(words["not_with"] + others)
        default = action.default
        shown = ""
        said = re.search("default|defecto", help_text)
        if action.nargs != 0 and default not in (None, False, [], argparse.SUPPRESS) and not said:
            shown = f"<code>{cell(default)}</code>"
        text = cell(help_text) + (f" ({'; '.join(notes)})" if notes else "")
        rows.append((f"<code>{cell(invocation(action))}</code>", shown, text))
    if not rows:
        return []
    if any(shown for _, shown, _ in rows):
        return [
            f"| {words['argument']} | {words['default']} | {words['what']} |",
            "|---|---|---|",
            *(f"| {arg} | {shown} | {text} |" for arg, shown, text in rows),
        ]
    return [
        f"| {words['argument']} | {words['what']} |",
        "|---|---|",
        *(f"| {arg} | {text} |" for arg, _, text in rows),
    ]


def command_markdown(name: str, sub: argparse.ArgumentParser, help_text: str) -> str:
    usage = usage_text(sub)
    lines = [sentence(help_text), ""]
    lines += ["```text", usage, "```", ""]
    table = options_table(sub)
    if table:
        lines += [*table, ""]
    lines += [
        "Every command also takes `--lang es|en` before or after its name (`kam --lang es "
        f"{name} …` or `kam {name} … --lang es`); see [the commands](index.md) for what all commands share.",
        "",
    ]
    return "\n".join(lines)


def commands_markdown() -> str:
    parser = _parser()
    usage = usage_text(parser)
    lines = ["```text", usage, "```", "", cell(parser.description or ""), "", "| command | what it does |", "|---|---|"]
    for name, _sub, help_text in subcommands(parser):
        lines.append(f"| [`kam {name}`]({name}.md) | {sentence(help_text)} |")
    return "\n".join([*lines, ""])


def spanish_commands_markdown() -> str:
    """The whole command reference in Spanish, on one page: the synopsis, the commands, then each command's usage
    and options, from `build_parser("es")` (what `kam --lang es … --help` prints)."""
    parser = _parser("es")
    words = TABLE_WORDS["es"]
    lines = ["```text", usage_text(parser), "```", "", cell(parser.description or ""), ""]
    lines += [f"| {words['command']} | {words['what']} |", "|---|---|"]
    commands = subcommands(parser)
    lines += [f"| [`kam {name}`](#kam-{name}) | {sentence(help_text)} |" for name, _sub, help_text in commands]
    for name, sub, help_text in commands:
        lines += ["", f"## kam {name} {{#kam-{name}}}", "", sentence(help_text), "", "```text", usage_text(sub), "```"]
        table = options_table(sub, "es")
        if table:
            lines += ["", *table]
    return "\n".join([*lines, ""])


def command_page(src_uri: str) -> str | None:
    """The subcommand a page documents (`reference/commands/score.md` → `score`), or None."""
    if not src_uri.startswith(COMMANDS_DIR) or src_uri == COMMANDS_INDEX or not src_uri.endswith(".md"):
        return None
    return src_uri[len(COMMANDS_DIR) : -len(".md")]


# --- MkDocs events ----------------------------------------------------------------------------------


def _add_to_nav(nav: Any, entries: list[dict[str, str]]) -> bool:
    """Insert `entries` right after the commands index wherever it appears in the nav; True if it was found."""
    if isinstance(nav, list):
        for index, item in enumerate(nav):
            target = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
            if target == COMMANDS_INDEX:
                known = {next(iter(i.values())) if isinstance(i, dict) else i for i in nav}
                nav[index + 1 : index + 1] = [e for e in entries if next(iter(e.values())) not in known]
                return True
            if _add_to_nav(target, entries):
                return True
    elif isinstance(nav, dict):
        return any(_add_to_nav(value, entries) for value in nav.values())
    return False


def on_config(config: Any) -> Any:
    names = [name for name, _sub, _help in subcommands(_parser())]
    if config.get("nav") and not _add_to_nav(config["nav"], [{f"kam {n}": f"{COMMANDS_DIR}{n}.md"} for n in names]):
        log.warning("the nav has no %s: the command pages are not listed", COMMANDS_INDEX)
    return config


def on_files(files: Files, config: Any) -> Files:
    for name, _sub, _help in subcommands(_parser()):
        src_uri = f"{COMMANDS_DIR}{name}.md"
        if files.get_file_from_path(src_uri) is None:
            content = f"# kam {name}\n\n{COMMAND_MARKER}\n\n{GENERIC_EXIT}\n"
            files.append(File.generated(config, src_uri, content=content))
    known = {name for name, _sub, _help in subcommands(_parser())}
    for file in list(files.documentation_pages()):
        name = command_page(file.src_uri)
        if name is not None and name not in known:  # written ahead of its command, or left behind by one removed
            log.info("%s: build_parser() has no `kam %s`; the page is left out", file.src_uri, name)
            files.remove(file)
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    src_uri = page.file.src_uri
    prefix = "../" * src_uri.count("/")
    if src_uri == WORKBOOK_PAGE:
        if WORKBOOK_MARKER not in markdown:
            log.warning("%s has no %s marker: the sheets are not listed", src_uri, WORKBOOK_MARKER)
        return markdown.replace(WORKBOOK_MARKER, workbook_markdown(prefix))
    if src_uri == METHOD_PAGE:
        if PLAYBOOK_MARKER not in markdown:
            log.warning("%s has no %s marker: the playbook is not shown", src_uri, PLAYBOOK_MARKER)
        return markdown.replace(PLAYBOOK_MARKER, playbook_markdown())
    if src_uri == DESIGN_PAGE:
        if LAYERS_MARKER not in markdown:
            log.warning("%s has no %s marker: the layers are not drawn", src_uri, LAYERS_MARKER)
        return markdown.replace(LAYERS_MARKER, layers_markdown(config))
    if src_uri == SPANISH_COMMANDS_PAGE:
        if SPANISH_COMMANDS_MARKER not in markdown:
            log.warning("%s has no %s marker: the commands are not listed", src_uri, SPANISH_COMMANDS_MARKER)
        return markdown.replace(SPANISH_COMMANDS_MARKER, spanish_commands_markdown())
    if src_uri == COMMANDS_INDEX:
        if COMMANDS_MARKER not in markdown:
            log.warning("%s has no %s marker: the commands are not listed", src_uri, COMMANDS_MARKER)
        return markdown.replace(COMMANDS_MARKER, commands_markdown())
    name = command_page(src_uri)
    if name is None:
        return markdown
    found = {n: (sub, h) for n, sub, h in subcommands(_parser())}
    if name not in found:
        return markdown
    generated = command_markdown(name, *found[name])
    if COMMAND_MARKER in markdown:
        return markdown.replace(COMMAND_MARKER, generated)
    title, _, rest = markdown.partition("\n")
    return f"{title}\n\n{generated}\n{rest}"
