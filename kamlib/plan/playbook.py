"""The strategy playbook: what each quadrant's strategy calls for, as bilingual data an engagement may change.

Per strategy (METHOD.md §1 and §4) the playbook states four elements:

- `relationship`: the relationship model (the method's, from the KAM literature's stages);
- `priority`: what the strategy is about (the seed's table, `kamlib.method.STRATEGY_PRIORITIES`);
- `activity`: the activities the KAM should stress (ours, from METHOD.md §1–§3: what each strategy asks of
  the relationship and implementation halves of the role);
- `metric`: the control metrics, each with its balanced-scorecard perspective (the seed names those of
  selective investment: sales volume, share of customer, quality of the relationship; the others are ours).

An engagement changes it in its workbook's optional `playbook` sheet (strategy, element, es, en,
perspective): the rows of one strategy and element replace the default rows of that pair, in the sheet's
order; every pair the sheet does not name keeps the default. So a consultant rewrites, say, only the
metrics of Maintain and the rest of the method stays.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kamlib.engagement import Engagement
from kamlib.i18n import check_lang
from kamlib.method import QUADRANTS, STRATEGY_NAMES, playbook_rows
from kamlib.workbook.sheets import ELEMENTS, PERSPECTIVES

ELEMENT_LABELS = {
    "relationship": {"es": "Modelo de relación", "en": "Relationship model"},
    "priority": {"es": "Prioridades", "en": "Priorities"},
    "activity": {"es": "Actividades que reforzar", "en": "Activities to stress"},
    "metric": {"es": "Métricas de control", "en": "Control metrics"},
}
PERSPECTIVE_LABELS = {
    "financial": {"es": "Financiera", "en": "Financial"},
    "customer": {"es": "Cliente", "en": "Customer"},
    "internal": {"es": "Procesos internos", "en": "Internal processes"},
    "learning": {"es": "Aprendizaje", "en": "Learning and growth"},
}
_HEADERS = {
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "element": {"es": "Elemento", "en": "Element"},
    "text": {"es": "Texto", "en": "Text"},
    "perspective": {"es": "Perspectiva", "en": "Perspective"},
    "source": {"es": "Origen", "en": "Source"},
}
_SOURCES = {"method": {"es": "Método", "en": "Method"}, "engagement": {"es": "Este encargo", "en": "This engagement"}}
COLUMNS = ("strategy", "element", "es", "en", "perspective", "source")


@dataclass(frozen=True)
class Play:
    """What one strategy calls for: the rows of the playbook for one quadrant."""

    strategy: str
    rows: pd.DataFrame
    """element, es, en, perspective (metrics only, else None), source (`method` or `engagement`)."""

    def texts(self, element: str, lang: str = "es") -> list[str]:
        """The texts of one element in `lang`, in order."""
        return self.rows.loc[self.rows["element"] == element, check_lang(lang)].tolist()

    @property
    def metrics(self) -> pd.DataFrame:
        """The control metrics: perspective, es, en (the scorecard's default KPIs for this strategy)."""
        return self.rows.loc[self.rows["element"] == "metric", ["perspective", "es", "en"]].reset_index(drop=True)


def default_rows() -> pd.DataFrame:
    """The method's playbook as rows (strategy, element, es, en, perspective, source = method)."""
    frame = pd.DataFrame(playbook_rows(), columns=list(COLUMNS[:-1]))
    frame["source"] = "method"
    return frame


def playbook(engagement: Engagement | None = None) -> pd.DataFrame:
    """The engagement's playbook: the method's rows, with each (strategy, element) its `playbook` sheet names replaced.

    Rows are in `QUADRANTS` × `ELEMENTS` order; `source` says whose each row is (`method` or `engagement`; a
    sheet row identical to the method's, as the template starts with, counts as the method's).
    A perspective counts only on a metric row; a metric row without one is shown without one.
    """
    rows = default_rows()
    custom = engagement.playbook if engagement is not None else None
    if custom is not None and len(custom):
        custom = custom.assign(source="engagement").reindex(columns=list(COLUMNS))
        custom["perspective"] = custom["perspective"].where(custom["element"] == "metric")
        same = ["strategy", "element", "es", "en", "perspective"]  # a row kept as the template gave it is the method's
        method = pd.MultiIndex.from_frame(rows[same].fillna(""))
        custom.loc[pd.MultiIndex.from_frame(custom[same].fillna("")).isin(method), "source"] = "method"
        replaced = pd.MultiIndex.from_frame(custom[["strategy", "element"]].drop_duplicates())
        keep = ~pd.MultiIndex.from_frame(rows[["strategy", "element"]]).isin(replaced)
        rows = pd.concat([rows[keep], custom], ignore_index=True)
    order = {(q, e): i for i, (q, e) in enumerate((q, e) for q in QUADRANTS for e in ELEMENTS)}
    key = [order[(q, e)] for q, e in zip(rows["strategy"], rows["element"], strict=True)]
    rows = rows.assign(_order=key).sort_values("_order", kind="stable").drop(columns="_order")
    rows["perspective"] = rows["perspective"].astype(object).where(rows["perspective"].notna(), None)
    return rows.reset_index(drop=True)


def play(engagement: Engagement | None, strategy: str) -> Play:
    """What `strategy` (one of `QUADRANTS`) calls for in this engagement."""
    if strategy not in QUADRANTS:
        raise ValueError(f"unknown strategy {strategy!r}; allowed: {', '.join(QUADRANTS)}")
    rows = playbook(engagement)
    return Play(strategy, rows[rows["strategy"] == strategy].drop(columns="strategy").reset_index(drop=True))


def playbook_table(rows: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """The playbook for people: strategy, element, text, perspective and source in `lang`."""
    check_lang(lang)
    table = pd.DataFrame(
        {
            "strategy": [STRATEGY_NAMES[q][lang] for q in rows["strategy"]],
            "element": [ELEMENT_LABELS[e][lang] for e in rows["element"]],
            "text": rows[lang].to_numpy(),
            "perspective": [PERSPECTIVE_LABELS[p][lang] if p in PERSPECTIVES else "" for p in rows["perspective"]],
            "source": [_SOURCES[s][lang] for s in rows["source"]],
        }
    )
    return table.rename(columns={k: v[lang] for k, v in _HEADERS.items()})
