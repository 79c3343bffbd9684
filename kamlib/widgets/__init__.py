"""Widgets for notebooks and Voilà dashboards (the edge: ipywidgets, anywidget, altair)."""

from __future__ import annotations

from kamlib.widgets.matrix import MatrixApp, make_matrix_app

__all__ = ["MatrixApp", "make_matrix_app"]
