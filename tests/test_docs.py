"""The documentation: the site builds with `mkdocs build --strict`, works offline, and lists what the code has;
the README stays short and its links lead somewhere."""

from __future__ import annotations

import argparse
import html
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kamlib.cli import build_parser
from kamlib.workbook.sheets import SHEETS
from tests.conftest import ROOT

README = ROOT / "README.md"
README_MAX_LINES = 150
CDN = re.compile(
    r"https?://(?:fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com)"
)
"""Addresses the site must never name: web fonts and script CDNs (it has to work with no network)."""


def subcommands() -> list[str]:
    """The names of every `kam` subcommand, as the parser has them."""
    parser = build_parser()
    return [
        name for action in parser._actions if isinstance(action, argparse._SubParsersAction) for name in action.choices
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with `mkdocs build --strict` into a temporary folder (any warning fails the build)."""
    missing = [name for name in ("mkdocs", "material") if importlib.util.find_spec(name) is None]
    if missing:
        message = f"the docs need {' and '.join(missing)} (pip install mkdocs mkdocs-material)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("docs") / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    return out


@pytest.mark.slow
def test_site_builds_and_names_no_cdn(site: Path) -> None:
    assert (site / "index.html").is_file()
    offenders = {
        str(path.relative_to(site)): sorted(set(CDN.findall(path.read_text(encoding="utf-8", errors="replace"))))
        for path in site.rglob("*")
        if path.suffix in (".html", ".js", ".css")
    }
    assert {path: found for path, found in offenders.items() if found} == {}


@pytest.mark.slow
def test_workbook_reference_lists_every_sheet(site: Path) -> None:
    page = (site / "reference" / "workbook.html").read_text(encoding="utf-8")
    for sheet in SHEETS:
        assert f'id="sheet-{sheet.name.replace("_", "-")}"' in page, sheet.name
        assert f"<code>{sheet.name}</code>" in page, sheet.name
        for column in sheet.columns:
            assert f"<code>{column.name}</code>" in page, f"{sheet.name}.{column.name}"


@pytest.mark.slow
def test_commands_reference_lists_every_subcommand(site: Path) -> None:
    index = (site / "reference" / "commands" / "index.html").read_text(encoding="utf-8")
    names = subcommands()
    assert names
    for name in names:
        assert f"kam {name}" in index, name
        assert f'href="{name}.html"' in index, name
        page = site / "reference" / "commands" / f"{name}.html"
        assert page.is_file(), name
        assert f"kam {name}" in page.read_text(encoding="utf-8"), name


@pytest.mark.slow
def test_the_command_reference_in_spanish_lists_every_subcommand_with_its_spanish_help(site: Path) -> None:
    page = (site / "reference" / "comandos.html").read_text(encoding="utf-8")
    spanish = build_parser("es")
    sub = next(a for a in spanish._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    for name in subcommands():
        assert f'id="kam-{name}"' in page and f'href="#kam-{name}"' in page, name
        assert html.escape(" ".join(helps[name].split())[1:40], quote=False) in page, name  # its Spanish help
    assert "argumento" in page and "qué hace" in page and "obligatorio" in page
    assert "what it does" not in page  # the table's own words in Spanish too


def readme_links(text: str) -> list[str]:
    """The targets of the README's Markdown links and images, and of its HTML `href`/`src`, outside code."""
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)  # fenced code blocks
    text = re.sub(r"`[^`\n]*`", "", text)  # inline code
    targets = re.findall(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", text)
    targets += re.findall(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", text, flags=re.M)
    targets += re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", text)
    return targets


def test_readme_is_short_and_its_links_resolve() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES, "the README is the front door; the rest belongs in docs/"
    links = readme_links(text)
    assert links, "the README links into the docs"
    broken = []
    for target in links:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, flags=re.I) or target.startswith("#"):
            continue  # http(s), mailto, … and anchors within the README
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not (README.parent / path).exists():
            broken.append(target)
    assert broken == []
