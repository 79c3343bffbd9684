"""The engagement's identity (the optional `engagement` sheet) and the one formatter of client numbers and dates
(`kamlib.i18n`, on Babel): what titles every deliverable and how every number reads, in both languages."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamlib.engagement import SAMPLE_PATH, load
from kamlib.errors import WorkbookError
from kamlib.i18n import date_text, default_lang, money_text, number_text, percent_text, short_text, unit_text
from kamlib.workbook.identity import Identity


def book(tmp_path: Path, sheet: str | None) -> Path:
    folder = tmp_path / "libro"
    shutil.copytree(SAMPLE_PATH, folder)
    (folder / "engagement.csv").unlink()
    if sheet is not None:
        (folder / "engagement.csv").write_text(sheet, encoding="utf-8")
    return folder


def test_the_sheet_names_the_engagement_in_either_language(tmp_path: Path) -> None:
    sheet = "key,value\nCliente,Grupo Ibérico S.A.\nproveedor,Conservas del Norte\nconsultora,ECA\n"
    sheet += "fecha,2026-12-07 00:00:00\n"
    sheet += "idioma,Inglés\nmoneda,usd\n"
    identity = load(book(tmp_path, sheet)).identity
    assert identity == Identity("Grupo Ibérico S.A.", "Conservas del Norte", "ECA", dt.date(2026, 12, 7), "en", "USD")
    assert identity.title("portfolio", "es") == "Cartera de cuentas clave · Conservas del Norte"
    assert identity.byline("es") == "Preparado para Grupo Ibérico S.A. por ECA · 7 dic 2026"
    assert identity.byline("en") == "Prepared for Grupo Ibérico S.A. by ECA · 7 Dec 2026"


def test_without_the_sheet_titles_are_neutral_never_the_folder(tmp_path: Path) -> None:
    engagement = load(book(tmp_path, None))
    assert engagement.identity == Identity()
    assert engagement.identity.title("deck", "es") == "Gestión de cuentas clave"
    assert engagement.identity.byline("en", dt.date(2026, 1, 2)) == "2 Jan 2026"
    assert "libro" not in engagement.identity.title("site", "en")


def test_bad_items_get_one_message_each(tmp_path: Path) -> None:
    sheet = "key,value\nclient,A\nclient,B\ndate,7/12/2026\nlanguage,fr\ncurrency,XX1\ncolour,red\n"
    with pytest.raises(WorkbookError) as caught:
        load(book(tmp_path, sheet))
    lines = caught.value.render("en").splitlines()
    assert any("row 3, column \"key\": got 'client'; allowed: each item once" in line for line in lines)
    assert any("'7/12/2026'; allowed: a date, e.g. 2026-12-07" in line for line in lines)
    assert any("'fr'; allowed: es or en" in line for line in lines)
    assert any("'XX1'; allowed: an ISO 4217 currency code" in line for line in lines)
    assert any("'colour'; allowed: client, supplier, consultant, date, language, currency" in line for line in lines)
    assert len(lines) == 5


def test_the_deliverables_language_is_the_one_given_then_the_engagements_then_the_default(monkeypatch) -> None:
    monkeypatch.setenv("KAM_LANG", "en")
    assert Identity(language="es").lang(None) == "es"
    assert Identity(language="es").lang("en") == "en"
    assert Identity().lang(None) == "en"


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"KAM_LANG": "es"}, "es"),
        ({"KAM_LANG": "en", "LANG": "es_ES.UTF-8"}, "en"),
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LC_ALL": "es_MX.UTF-8", "LANG": "en_GB.UTF-8"}, "es"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_the_default_language_is_kam_lang_then_the_system_locale(monkeypatch, env: dict, lang: str) -> None:
    for name in ("KAM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_lang() == lang


def test_numbers_amounts_and_dates_as_each_language_writes_them() -> None:
    assert money_text(28188082.0, "es") == "28.188.082\xa0€" and money_text(28188082.0, "en") == "€28,188,082"
    assert percent_text(25.3, "es") == "25,3\xa0%" and percent_text(25.3, "en") == "25.3%"
    assert date_text(dt.date(2026, 12, 7), "es") == "7 dic 2026" and date_text("2026-12-07", "en") == "7 Dec 2026"
    assert number_text(1648.5, "es", 1) == "1.648,5" and number_text(1648.5, "en", 1) == "1,648.5"
    assert money_text(12.5, "es") == "12,50\xa0€" and money_text(1234.5, "en", "USD") == "US$1,235"
    assert unit_text(6.0, "%", "en") == "6.0%" and unit_text(1, "days", "es") == "1 día"
    assert unit_text(25000, "currency", "es", "GBP") == "25.000\xa0GBP"
    assert number_text(float("nan"), "es", 1) == "—" and money_text(None, "en") == "—"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_a_number_reads_back_as_itself_in_both_languages(value: float, decimals: int) -> None:
    english, spanish = number_text(value, "en", decimals), number_text(value, "es", decimals)
    assert spanish == english.replace(",", "\0").replace(".", ",").replace("\0", ".")
    assert abs(float(english.replace(",", "")) - value) <= 0.5 * 10**-decimals + 1e-6 * abs(value)
    assert not english.startswith("-0") or float(english.replace(",", "")) != 0  # no negative zero
    assert short_text(value, "en", decimals) == english.rstrip("0").rstrip(".") if decimals else True
