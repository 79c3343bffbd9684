"""The pieces of every client page (`kamlib.views.page`) and the report site (`kamlib.publish.site`): tables with
no index column, numbers in the reader's language aligned right, escaped workbook text."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import kamlib
from kamlib.publish.site import site_html, site_rows
from kamlib.views.page import heading_html, table_html, text_html
from kamlib.workbook.identity import Identity
from tests.client_grade import index_columns, problems

XSS = "<script>window.__kam_xss=1</script>"


def cells(html: str) -> list[list[str]]:
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row) for row in re.findall(r"<tr>(.*?)</tr>", html)]


def test_a_table_has_no_row_numbers_and_writes_each_unit_in_the_language() -> None:
    frame = pd.DataFrame(
        {
            "Estrategia": ["Invertir", XSS],
            "Cuentas": [9, 13],
            "Facturación": [28188082.0, np.nan],
            "Cuota": [48.14, 32.2],
            "Índice": [0.0561, 1.5],
            "Activa": [True, False],
        }
    )
    frame.attrs["units"] = {"Facturación": "money", "Cuota": "percent"}
    es, en = table_html(frame, "es"), table_html(frame, "en", "USD")
    assert cells(es) == [
        ["Estrategia", "Cuentas", "Facturación", "Cuota", "Índice", "Activa"],
        ["Invertir", "9", "28.188.082\xa0€", "48,1\xa0%", "0,06", "Sí"],
        ["&lt;script&gt;window.__kam_xss=1&lt;/script&gt;", "13", "—", "32,2\xa0%", "1,5", "No"],
    ]
    assert cells(en)[1][2:5] == ["US$28,188,082", "48.1%", "0.06"]
    assert index_columns(es) == [] and problems(re.sub("<[^>]+>", " ", es), "es") == []
    right = re.findall(r'<td style="[^"]*text-align:(\w+)">', es)[:6]
    assert right == ["left", "right", "right", "right", "right", "left"]  # numbers right, words left


def test_a_named_index_becomes_the_first_column_and_row_numbers_go() -> None:
    named = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["a", "b"], name="Cuenta"))
    assert cells(table_html(named, "en"))[0] == ["Cuenta", "n"]
    numbered = pd.DataFrame({"n": [1, 2]}, index=[5, 9])
    assert cells(table_html(numbered, "en")) == [["n"], ["1"], ["2"]]


def test_text_is_escaped_paragraphs_or_a_list() -> None:
    assert text_html(["uno", "", XSS]).count("<p ") == 2 and "&lt;script&gt;" in text_html(XSS)
    assert text_html("a\nb", listed=True).count("<li>") == 2 and text_html([" ", ""]) == ""


def test_the_heading_is_the_engagements_never_a_file_name() -> None:
    identity = Identity(client=XSS, supplier="Conservas del Norte", consultant="ECA")
    html = heading_html(identity, "account", "es", subject="Supermercados Levante")
    assert (
        "<h1" in html and "Supermercados Levante</h1>" in html and "Plan de cuenta clave · Conservas del Norte" in html
    )
    assert "Preparado para &lt;script&gt;" in html and XSS not in html
    assert "Cuadro de mando de cuentas clave</h1>" in heading_html(Identity(), "dashboard", "es")


def test_the_site_lists_every_account_and_links_only_the_reports_there_are() -> None:
    engagement = kamlib.load()
    scored = kamlib.score_scenario(engagement)
    rows = site_rows(engagement, scored, "es")
    assert len(rows) == len(engagement.accounts) and rows["revenue"].iloc[0] == "6.902.872\xa0€"
    assert set(rows["strategy"]) == {"Invertir", "Inversión selectiva", "Mantener", "Ordeñar"}
    assert set(rows["risk"]) <= {"Alto", "Medio", "Bajo", "Sin mapa"}
    rows.loc[0, "name"] = XSS
    page = site_html(engagement, rows, {"A001": "A001/report.html"}, "portfolio.html", "es")
    assert page.count('<a href="A001/report.html">') == 1 and XSS not in page and "&lt;script&gt;" in page
    assert "<title>Informes de cuentas clave · Conservas y Aceites del Ebro</title>" in page
    assert "default-src 'none'" in page and "http" not in page.replace("http-equiv", "")  # nothing loads
