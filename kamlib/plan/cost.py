"""Cost to serve each account and the whale curve: which accounts earn the profit and which give it back.

Kaplan's customer profitability (R. S. Kaplan and V. G. Narayanan, "Measuring and managing customer
profitability", Journal of Cost Management 15(5), 2001; R. S. Kaplan and R. Cooper, *Cost & Effect*, 1998): an
account's gross margin less what it costs to serve it. Ranked from the most profitable account to the least, the
cumulative profit draws the *whale curve*: it climbs above the total profit (often to 150–300 % of it) and the
unprofitable accounts at the tail give the difference back. The seeds ask a Milk account for cash and a Maintain
one for "good margin for as long as possible" (METHOD.md §1): one that costs more to serve than it earns is the
method's finding.

The rule, exact so that anyone can check it:

- **Gross margin** of an account: `accounts.gross_margin` when given; else the sales ledger's, volume × margin % /
  100 of the latest ledger period (`kamlib.engagement.ledger_periods`; an account without a row in that period, or
  whose margin % is empty there, has none); else unknown (NaN). `margin_source` says where it came from
  ("accounts", "ledger" or None).
- **KAM cost**: Σ over the time rows on the account (account_id given, hours given) of hours × the hourly rate of
  the row's KAM (`kams.cost_per_hour`, else the engagement's `cost_per_hour`). Hours of a KAM with no rate at all
  make the account's KAM cost unknown (NaN) and are counted in `unpriced_hours`; an account with no hours has a KAM
  cost of 0. A survey's time sheet (percentages, no hours) gives no KAM cost at all: every account's is unknown.
- **Other costs**: Σ of the account's `cost_to_serve` amounts (0 when none).
- With a `period`, only the time rows and cost rows whose period falls within it (`kamlib.periods.is_within`)
  count; rows without a period always count. The gross margin is the year's whatever the period.
- **Cost to serve** = KAM cost + other costs; **profit** (after the cost to serve) = gross margin − cost to serve,
  NaN when the margin or the KAM cost is unknown; an account is **unprofitable** when its profit is below 0.

Totals and the per-strategy figures add up the accounts whose profit is known, so that margin − cost to serve =
profit on every line. The result is `available` when some account's profit is known and some cost is known at
all (hours on an account, or a cost item): a margin with nothing against it is not a cost to serve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.engagement import Engagement, ledger_periods
from kamlib.i18n import check_lang, count_text, money_text, percent_text, short_text
from kamlib.method import QUADRANTS, strategy_text
from kamlib.periods import is_within

ACCOUNT_COLUMNS = (
    "account_id", "name", "kam_id", "quadrant", "revenue", "gross_margin", "margin_source", "kam_hours",
    "unpriced_hours", "kam_cost", "other_cost", "cost_to_serve", "profit", "unprofitable",
)  # fmt: skip
"""The columns of `CostToServe.accounts`."""
CURVE_COLUMNS = (
    "rank", "account_id", "name", "quadrant", "profit", "cumulative_profit", "accounts_share", "profit_share",
)  # fmt: skip
"""The columns of `CostToServe.curve()`."""
MINUS = "\u2212"

_WORDS = {
    "strategy": {"es": "Estrategia", "en": "Strategy"},
    "accounts": {"es": "Cuentas", "en": "Accounts"},
    "account": {"es": "Cuenta", "en": "Account"},
    "margin": {"es": "Margen bruto", "en": "Gross margin"},
    "cost": {"es": "Coste de servir", "en": "Cost to serve"},
    "profit": {"es": "Beneficio tras el coste de servir", "en": "Profit after cost to serve"},
    "unprofitable": {"es": "Cuentas no rentables", "en": "Unprofitable accounts"},
    "kam_cost": {"es": "Tiempo del KAM", "en": "KAM time"},
    "other_cost": {"es": "Otros costes", "en": "Other costs"},
    "what": {"es": "Concepto", "en": "Item"},
    "amount": {"es": "Importe", "en": "Amount"},
}
_TEXT = {
    "es": {
        "accounts": ("{n} cuenta", "{n} cuentas"),
        "hours": ("{n} hora", "{n} horas"),
        "summary": "En {accounts} con margen y coste conocidos{period}, un margen bruto de {margin} menos {cost} de "
        "coste de servir deja {profit} de beneficio; {losers}{peak}.",
        "period": " (periodo {period})",
        "losers": (
            "ninguna cuesta más de servir de lo que deja",
            "{n} cuesta más de servir de lo que deja",
            "{n} cuestan más de servir de lo que dejan",
        ),
        "peak": ", y el {accounts} más rentable de ellas gana el {profit} del beneficio",
        "peak_money": ", y el {accounts} más rentable de ellas gana {profit}, que las demás devuelven con creces",
        "survey": "El tiempo de los KAM se dio en porcentajes, no en horas: su coste en cada cuenta, y con él el "
        "beneficio tras el coste de servir, no se puede calcular.",
        "no_margin": "No se conoce el margen bruto de ninguna cuenta: el beneficio tras el coste de servir no se "
        "puede calcular.",
        "no_cost": "Se conoce el margen bruto de las cuentas, pero no lo que cuesta servirlas (ni horas de los KAM "
        "en ellas ni otros costes){period}: el beneficio tras el coste de servir no se puede calcular.",
        "no_profit": "Ninguna cuenta tiene a la vez margen y coste conocidos: el beneficio tras el coste de servir "
        "no se puede calcular.",
        "loser": "{strategy} · {name}: servirla cuesta {cost} y deja {margin} de margen ({profit}).",
        "unpriced": "Sin coste por hora: {hours} de KAM en {accounts}; el beneficio tras el coste de servir queda "
        "ahí sin calcular.",
        "missing": (
            "No se conoce el margen bruto de {accounts}: su beneficio tras el coste de servir queda sin calcular.",
        )
        * 2,
        "line_cost": "Servirla cuesta {cost}: {parts}.",
        "line_kam": "{kam} de tiempo del KAM ({hours})",
        "line_other": "{other} de otros costes{items}",
        "and": " y ",
        "line_free": "No consta ningún coste de servirla: ni horas del KAM ni otros costes.",
        "line_unpriced": "{hours} de KAM en ella no tienen coste por hora: su coste de servir queda sin calcular"
        "{other}.",
        "unpriced_other": " (otros costes: {other})",
        "line_margin": "Su margen bruto es de {margin}{source}.",
        "line_profit": "Con un margen bruto de {margin}{source}, deja {profit} tras el coste de servir.",
        "line_loss": "Con un margen bruto de {margin}{source}, deja {profit} tras el coste de servir: cuesta más "
        "servirla de lo que deja.",
        "line_no_margin": "No se conoce su margen bruto: su beneficio tras el coste de servir queda sin calcular.",
        "ledger": " (de las ventas del periodo {period})",
        "kam_row": "Tiempo del KAM ({hours} × {rate})",
        "kam_row_unpriced": "Tiempo del KAM ({hours}, {unpriced} sin coste por hora)",
        "kam_row_none": "Tiempo del KAM ({hours} sin coste por hora)",
    },
    "en": {
        "accounts": ("{n} account", "{n} accounts"),
        "hours": ("{n} hour", "{n} hours"),
        "summary": "On the {accounts} whose margin and cost are known{period}, a gross margin of {margin} less {cost} "
        "of cost to serve leaves {profit} of profit; {losers}{peak}.",
        "period": " (period {period})",
        "losers": (
            "none costs more to serve than it earns",
            "{n} costs more to serve than it earns",
            "{n} cost more to serve than they earn",
        ),
        "peak": ", and the most profitable {accounts} of them earn {profit} of the profit",
        "peak_money": ", and the most profitable {accounts} of them earn {profit}, which the others give back and more",
        "survey": "The KAMs' time was given as shares, not in hours: its cost on each account, and with it the "
        "profit after the cost to serve, cannot be worked out.",
        "no_margin": "No account's gross margin is known: the profit after the cost to serve cannot be worked out.",
        "no_cost": "The accounts' gross margin is known, but not what serving them costs (neither KAM hours on them "
        "nor other costs){period}: the profit after the cost to serve cannot be worked out.",
        "no_profit": "No account has both its margin and its cost known: the profit after the cost to serve cannot "
        "be worked out.",
        "loser": "{strategy} · {name}: serving it costs {cost} and it leaves {margin} of margin ({profit}).",
        "unpriced": "Without an hourly cost: {hours} of KAM time on {accounts}; the profit after the cost to serve "
        "there cannot be worked out.",
        "missing": (
            "The gross margin of {accounts} is not known: its profit after the cost to serve cannot be worked out.",
            "The gross margin of {accounts} is not known: their profit after the cost to serve cannot be worked out.",
        ),
        "line_cost": "Serving it costs {cost}: {parts}.",
        "line_kam": "{kam} of KAM time ({hours})",
        "line_other": "{other} of other costs{items}",
        "and": " and ",
        "line_free": "Serving it shows no cost: neither KAM hours nor other costs.",
        "line_unpriced": "{hours} of KAM time on it have no hourly cost: its cost to serve cannot be worked out"
        "{other}.",
        "unpriced_other": " (other costs: {other})",
        "line_margin": "Its gross margin is {margin}{source}.",
        "line_profit": "With a gross margin of {margin}{source}, it leaves {profit} after the cost to serve.",
        "line_loss": "With a gross margin of {margin}{source}, it leaves {profit} after the cost to serve: it costs "
        "more to serve than it earns.",
        "line_no_margin": "Its gross margin is not known: its profit after the cost to serve cannot be worked out.",
        "ledger": " (from the sales of period {period})",
        "kam_row": "KAM time ({hours} × {rate})",
        "kam_row_unpriced": "KAM time ({hours}, {unpriced} without an hourly cost)",
        "kam_row_none": "KAM time ({hours} without an hourly cost)",
    },
}
_CASH_STRATEGIES = ("milk", "maintain")
"""The strategies that should give cash: their unprofitable accounts come first among the findings."""


@dataclass(frozen=True)
class CostToServe:
    """Each account's gross margin, cost to serve and profit after it (see the module for the rule)."""

    accounts: pd.DataFrame
    """One row per account, workbook order: `ACCOUNT_COLUMNS`."""
    items: pd.DataFrame
    """The other costs per account and item (account_id, item, amount), accounts in workbook order."""
    currency: str = "EUR"
    """The ISO 4217 code every amount is in."""
    period: str | None = None
    """The period the time and cost rows were limited to (None: all of them)."""
    time_unit: str = "hours"
    """The time sheet's unit: `hours`, or `percent` for a survey (then no KAM cost is known)."""
    ledger_period: str | None = None
    """The ledger period the margins of source "ledger" come from."""

    @property
    def known(self) -> pd.DataFrame:
        """The accounts whose profit is known."""
        return self.accounts[self.accounts["profit"].notna()]

    @property
    def costs_known(self) -> bool:
        """Whether any cost is known at all: hours on an account (priced or not), or a cost item."""
        frame = self.accounts
        return bool((frame["kam_hours"].fillna(0) > 0).any() or len(self.items))

    @property
    def available(self) -> bool:
        """Whether some account's profit is known and some cost is known at all."""
        return bool(len(self.known)) and self.costs_known

    def curve(self) -> pd.DataFrame:
        """The whale curve: the accounts with a known profit, most profitable first (ties by name), with the
        cumulative profit, the share of the ranked accounts up to each (%) and the cumulative profit as a share of
        the total (%; NaN when the total is not above 0). Columns: `CURVE_COLUMNS`."""
        ranked = self.known.sort_values(["profit", "name"], ascending=[False, True], kind="stable")
        n = len(ranked)
        cumulative = ranked["profit"].to_numpy(dtype=float).cumsum()
        total = cumulative[-1] if n else math.nan
        share = 100.0 * cumulative / total if total > 0 else np.full(n, math.nan)
        return pd.DataFrame(
            {
                "rank": np.arange(1, n + 1),
                "account_id": ranked["account_id"].to_numpy(dtype=object),
                "name": ranked["name"].to_numpy(dtype=object),
                "quadrant": pd.Series(ranked["quadrant"].to_numpy(dtype=object), dtype=object),
                "profit": ranked["profit"].to_numpy(dtype=float),
                "cumulative_profit": cumulative,
                "accounts_share": 100.0 * np.arange(1, n + 1) / n if n else np.zeros(0),
                "profit_share": share,
            }
        )

    def peak(self) -> tuple[float, float]:
        """The whale curve's highest point (the first, on a tie): the share of the accounts (%) that earns the most,
        and the share of the total profit (%) it earns (NaN when the total is not above 0); both NaN without a
        curve. Kaplan's reading: the profitable accounts earn N % of the profit, the others give back the rest."""
        curve = self.curve()
        if curve.empty:
            return math.nan, math.nan
        top = curve.iloc[int(np.argmax(curve["cumulative_profit"].to_numpy()))]
        return float(top["accounts_share"]), float(top["profit_share"])

    def peak_profit(self) -> float:
        """The cumulative profit at the whale curve's highest point (NaN without a curve)."""
        curve = self.curve()
        return float(curve["cumulative_profit"].max()) if len(curve) else math.nan

    def by_strategy(self, lang: str) -> pd.DataFrame:
        """Per strategy (`QUADRANTS` order, then the unplaced accounts if any), for people: how many accounts, and
        the gross margin, cost to serve, profit and unprofitable accounts of those whose profit is known (so that
        margin − cost = profit on each line; a strategy with none shows a dash)."""
        check_lang(lang)
        w = {key: text[lang] for key, text in _WORDS.items()}
        frame = self.accounts
        groups = [*QUADRANTS, None] if frame["quadrant"].isna().any() else list(QUADRANTS)
        rows = []
        for quadrant in groups:
            mine = frame[frame["quadrant"].isna()] if quadrant is None else frame[frame["quadrant"] == quadrant]
            known = mine[mine["profit"].notna()]
            rows.append(
                {
                    w["strategy"]: strategy_text(quadrant, lang),
                    w["accounts"]: len(mine),
                    w["margin"]: known["gross_margin"].sum(min_count=1),
                    w["cost"]: known["cost_to_serve"].sum(min_count=1),
                    w["profit"]: known["profit"].sum(min_count=1),
                    w["unprofitable"]: int(known["unprofitable"].sum()),
                }
            )
        table = pd.DataFrame(
            rows, columns=[w[k] for k in ("strategy", "accounts", "margin", "cost", "profit", "unprofitable")]
        )
        units = {w["accounts"]: "integer", w["unprofitable"]: "integer"}
        table.attrs["units"] = units | {w[k]: "money" for k in ("margin", "cost", "profit")}
        return table

    def unprofitable_table(self, lang: str) -> pd.DataFrame:
        """The accounts that cost more to serve than they earn, the largest loss first (ties by name), for people:
        account, strategy, gross margin, KAM time, other costs, profit (amounts, `money` in `.attrs["units"]`)."""
        check_lang(lang)
        w = {key: text[lang] for key, text in _WORDS.items()}
        frame = self.accounts[self.accounts["unprofitable"]].sort_values(["profit", "name"], kind="stable")
        table = pd.DataFrame(
            {
                w["account"]: frame["name"].astype(str).to_numpy(dtype=object),
                w["strategy"]: [strategy_text(q, lang) for q in frame["quadrant"]],
                w["margin"]: frame["gross_margin"].to_numpy(dtype=float),
                w["kam_cost"]: frame["kam_cost"].to_numpy(dtype=float),
                w["other_cost"]: frame["other_cost"].to_numpy(dtype=float),
                w["profit"]: frame["profit"].to_numpy(dtype=float),
            }
        )
        table.attrs["units"] = {w[k]: "money" for k in ("margin", "kam_cost", "other_cost", "profit")}
        return table

    def findings(self, lang: str, losers_only: bool = False) -> list[str]:
        """What deserves a look, one sentence each: every unprofitable account (Milk and Maintain first, since they
        should give cash; then the largest loss first) and, unless `losers_only`, the hours without an hourly cost
        and the accounts without a known margin. Empty when the result is not `available`."""
        words = _TEXT[check_lang(lang)]
        if not self.available:
            return []
        frame = self.accounts
        losers = frame[frame["unprofitable"]]
        losers = losers.assign(later=~losers["quadrant"].isin(_CASH_STRATEGIES))  # cash strategies first
        lines = [self.loser_text(row, lang) for row in losers.sort_values(["later", "profit", "name"]).itertuples()]
        if losers_only:
            return lines
        unpriced = frame[frame["unpriced_hours"] > 0]
        if len(unpriced):
            hours = hours_text(float(unpriced["unpriced_hours"].sum()), lang)
            lines.append(
                words["unpriced"].format(hours=hours, accounts=count_text(words["accounts"], len(unpriced), lang))
            )
        missing = int(frame["gross_margin"].isna().sum())
        if missing:
            accounts = count_text(words["accounts"], missing, lang)
            lines.append(words["missing"][missing != 1].format(accounts=accounts))
        return lines

    def loser_text(self, row: object, lang: str) -> str:
        """The sentence of one unprofitable account (a row of `accounts`, as a named tuple)."""
        return _TEXT[lang]["loser"].format(
            strategy=strategy_text(row.quadrant, lang),
            name=row.name,
            cost=self.money(row.cost_to_serve, lang),
            margin=self.money(row.gross_margin, lang),
            profit=self.money(row.profit, lang),
        )

    def summary(self, lang: str) -> str:
        """One sentence: the total margin, cost to serve and profit of the accounts whose profit is known, how many
        cost more to serve than they earn, and the whale curve's peak; or why nothing can be worked out."""
        words = _TEXT[check_lang(lang)]
        period = words["period"].format(period=self.period) if self.period else ""
        if self.time_unit == "percent":
            return words["survey"]
        if self.accounts["gross_margin"].isna().all():
            return words["no_margin"]
        if not self.costs_known:
            return words["no_cost"].format(period=period)
        known = self.known
        if known.empty:
            return words["no_profit"]
        losers = int(known["unprofitable"].sum())
        return words["summary"].format(
            accounts=count_text(words["accounts"], len(known), lang),
            period=period,
            margin=self.money(known["gross_margin"].sum(), lang),
            cost=self.money(known["cost_to_serve"].sum(), lang),
            profit=self.money(known["profit"].sum(), lang),
            losers=words["losers"][min(losers, 2)].format(n=losers),
            peak=self.peak_text(lang) if losers else "",
        )

    def peak_text(self, lang: str) -> str:
        """The clause on the whale curve's peak: the share of the accounts and of the profit it earns (or, when the
        total is not above 0, the amount); "" when no account earns more than it costs."""
        words = _TEXT[check_lang(lang)]
        accounts, profit = self.peak()
        if not self.peak_profit() > 0:
            return ""
        if math.isnan(profit):
            return words["peak_money"].format(
                accounts=share_text(accounts, lang), profit=self.money(self.peak_profit(), lang)
            )
        return words["peak"].format(accounts=share_text(accounts, lang), profit=share_text(profit, lang))

    def account_lines(self, account_id: str, lang: str) -> list[str]:
        """One account's cost to serve and profit after it, in words; empty when nothing is known for it (no
        margin and no cost) or for the portfolio (not `available`)."""
        words = _TEXT[check_lang(lang)]
        row = self.account_row(account_id)
        if row is None or not self.available:
            return []
        lines = [self.cost_line(row, lang)]
        if pd.isna(row["gross_margin"]):
            return [*lines, words["line_no_margin"]]
        source = words["ledger"].format(period=self.ledger_period) if row["margin_source"] == "ledger" else ""
        margin, profit = self.money(row["gross_margin"], lang), self.money(row["profit"], lang)
        key = "line_margin" if pd.isna(row["profit"]) else "line_loss" if row["unprofitable"] else "line_profit"
        return [*lines, words[key].format(margin=margin, source=source, profit=profit)]

    def cost_line(self, row: pd.Series, lang: str) -> str:
        """The sentence on what serving one account costs (or which hours have no hourly cost)."""
        words = _TEXT[lang]
        items = self.items[self.items["account_id"] == row["account_id"]]["item"].astype(str).tolist()
        other = self.money(row["other_cost"], lang)
        if row["unpriced_hours"] > 0:
            other = words["unpriced_other"].format(other=other) if row["other_cost"] > 0 else ""
            return words["line_unpriced"].format(hours=hours_text(row["unpriced_hours"], lang), other=other)
        parts = []
        if row["kam_hours"] > 0:
            kam = self.money(row["kam_cost"], lang)
            parts.append(words["line_kam"].format(kam=kam, hours=hours_text(row["kam_hours"], lang)))
        if row["other_cost"] > 0:
            parts.append(words["line_other"].format(other=other, items=f" ({', '.join(items)})" if items else ""))
        if not parts:
            return words["line_free"]
        return words["line_cost"].format(cost=self.money(row["cost_to_serve"], lang), parts=words["and"].join(parts))

    def account_table(self, account_id: str, lang: str) -> pd.DataFrame:
        """One account's figures, for people: gross margin, KAM time (hours × hourly cost), each cost item, cost to
        serve, profit; two columns, what and amount (`money` in `.attrs["units"]`). No rows when `account_lines` has
        none."""
        check_lang(lang)
        w = {key: text[lang] for key, text in _WORDS.items()}
        row = self.account_row(account_id) if self.available else None
        rows: list[tuple[str, float]] = []
        if row is not None:
            items = self.items[self.items["account_id"] == account_id]
            rows = [
                (w["margin"], float(row["gross_margin"])),
                (self.kam_row_text(row, lang), float(row["kam_cost"])),
                *zip(items["item"].astype(str), items["amount"].astype(float), strict=True),
                (w["cost"], float(row["cost_to_serve"])),
                (w["profit"], float(row["profit"])),
            ]
        table = pd.DataFrame(rows, columns=[w["what"], w["amount"]])
        table[w["amount"]] = table[w["amount"]].astype(float)
        table.attrs["units"] = {w["amount"]: "money"}
        return table

    def kam_row_text(self, row: pd.Series, lang: str) -> str:
        """The account table's KAM time line: its hours × the hourly cost (the average when several KAMs' rates
        differ), or the hours without an hourly cost."""
        words = _TEXT[lang]
        hours = hours_text(row["kam_hours"], lang)
        if row["unpriced_hours"] >= row["kam_hours"] > 0:
            return words["kam_row_none"].format(hours=hours)
        if row["unpriced_hours"] > 0 or pd.isna(row["kam_cost"]):
            return words["kam_row_unpriced"].format(hours=hours, unpriced=hours_text(row["unpriced_hours"], lang))
        if not row["kam_hours"] > 0:
            return _WORDS["kam_cost"][lang]
        rate = row["kam_cost"] / row["kam_hours"]
        return words["kam_row"].format(hours=hours, rate=self.money(rate, lang))

    def account_row(self, account_id: str) -> pd.Series | None:
        """One account's row of `accounts`, or None when it is unknown or nothing is known for it."""
        rows = self.accounts[self.accounts["account_id"] == account_id]
        if rows.empty:
            return None
        row = rows.iloc[0]
        has_cost = row["kam_hours"] > 0 or row["other_cost"] > 0
        return row if pd.notna(row["gross_margin"]) or has_cost else None

    def money(self, value: float, lang: str) -> str:
        """An amount in the engagement's currency, a loss with a true minus: −12.900 €."""
        text = money_text(abs(value), lang, self.currency) if pd.notna(value) else money_text(value, lang)
        return MINUS + text if pd.notna(value) and value < 0 else text


def share_text(value: float, lang: str) -> str:
    """A share in whole percent (33 %), with one decimal where whole percent would round to exactly 0 % or 100 %
    without being so (100,1 %)."""
    whole = round(value)
    decimals = 1 if whole in (0, 100) and abs(value - whole) >= 0.05 else 0
    return percent_text(value, lang, decimals)


def hours_text(hours: float, lang: str) -> str:
    """Hours with their noun: 1 hora, 224 horas, 8,5 horas."""
    return _TEXT[check_lang(lang)]["hours"][bool(hours != 1)].format(n=short_text(hours, lang, 1))


# --- the rule -------------------------------------------------------------------------------------------------


def cost_to_serve(engagement: Engagement, scored: pd.DataFrame, period: str | None = None) -> CostToServe:
    """Work out each account's gross margin, cost to serve and profit after it (see the module for the rule), with
    the strategies of `scored` (from `score_accounts` or `score_scenario`), limited to `period` when given."""
    accounts = engagement.accounts
    ids = accounts["account_id"].astype(str)
    margin, source = account_margins(engagement)
    kam = kam_costs(engagement, period).reindex(ids)
    items = cost_items(engagement, period)
    other = items.groupby("account_id")["amount"].sum().reindex(ids, fill_value=0.0).to_numpy(dtype=float)
    placed = scored.set_index(scored["account_id"].astype(str))
    quadrant = placed["quadrant"].reindex(ids).to_numpy(dtype=object)
    revenue = (placed["revenue"] if "revenue" in placed else accounts.set_index(ids)["revenue"]).reindex(ids)
    survey = engagement.time_unit == "percent"
    kam_hours = np.full(len(ids), np.nan) if survey else kam["hours"].fillna(0.0).to_numpy(dtype=float)
    unpriced = np.zeros(len(ids)) if survey else kam["unpriced"].fillna(0.0).to_numpy(dtype=float)
    kam_cost = np.full(len(ids), np.nan) if survey else kam["cost"].fillna(0.0).to_numpy(dtype=float)
    kam_cost = np.where(unpriced > 0, np.nan, kam_cost)
    cost = kam_cost + other
    profit = np.round(margin - cost, 9)
    frame = pd.DataFrame(
        {
            "account_id": ids.to_numpy(dtype=object),
            "name": accounts["name"].astype(str).to_numpy(dtype=object),
            "kam_id": pd.Series(accounts["kam_id"].to_numpy(dtype=object), dtype=object),
            "quadrant": pd.Series([q if isinstance(q, str) else None for q in quadrant], dtype=object),
            "revenue": revenue.to_numpy(dtype=float),
            "gross_margin": margin,
            "margin_source": pd.Series(source, dtype=object),
            "kam_hours": kam_hours,
            "unpriced_hours": unpriced,
            "kam_cost": kam_cost,
            "other_cost": other,
            "cost_to_serve": cost,
            "profit": profit,
            "unprofitable": np.nan_to_num(profit, nan=0.0) < 0,
        }
    )
    periods = ledger_periods(engagement)
    return CostToServe(
        frame,
        items,
        currency=engagement.identity.currency,
        period=period,
        time_unit=engagement.time_unit,
        ledger_period=periods[-1] if periods else None,
    )


def account_margins(engagement: Engagement) -> tuple[np.ndarray, np.ndarray]:
    """Each account's gross margin (workbook order) and where it came from: the accounts sheet's, else the
    ledger's latest period, else NaN and None."""
    ids = engagement.accounts["account_id"].astype(str)
    given = pd.to_numeric(engagement.accounts["gross_margin"], errors="coerce").to_numpy(dtype=float)
    ledger = ledger_margins(engagement).reindex(ids).to_numpy(dtype=float)
    margin = np.where(np.isnan(given), ledger, given)
    source = np.where(~np.isnan(given), "accounts", np.where(~np.isnan(ledger), "ledger", None)).astype(object)
    return margin, np.array([s if isinstance(s, str) else None for s in source], dtype=object)


def ledger_margins(engagement: Engagement) -> pd.Series:
    """Each account's gross margin from the sales ledger's latest period: volume × margin % / 100 (NaN when the
    margin % is empty), indexed by account_id; empty without a ledger."""
    periods = ledger_periods(engagement)
    if not periods:
        return pd.Series(dtype=float)
    frame = engagement.ledger_metrics
    latest = frame[frame["period"].astype(str) == periods[-1]]
    margin = latest["volume"].astype(float) * latest["margin"].astype(float) / 100.0
    return margin.groupby(latest["account_id"].astype(str)).sum(min_count=1)


def kam_rates(engagement: Engagement) -> pd.Series:
    """Each KAM's hourly cost, indexed by kam_id: their own, else the engagement's, else NaN."""
    kams = engagement.kams
    fallback = engagement.identity.cost_per_hour
    rates = pd.to_numeric(kams["cost_per_hour"], errors="coerce").astype(float)
    rates = rates.fillna(math.nan if fallback is None else float(fallback))
    return pd.Series(rates.to_numpy(), index=kams["kam_id"].astype(str))


def kam_costs(engagement: Engagement, period: str | None = None) -> pd.DataFrame:
    """Per account with hours in the period: hours, unpriced (hours of KAMs with no rate) and cost (hours × rate of
    the priced hours), indexed by account_id."""
    time = engagement.time
    keep = time["account_id"].notna().to_numpy() & time["hours"].notna().to_numpy() & in_period(time, period)
    rows = time[keep]
    hours = rows["hours"].astype(float)
    rate = rows["kam_id"].astype(str).map(kam_rates(engagement)).astype(float)
    frame = pd.DataFrame(
        {
            "account_id": rows["account_id"].astype(str),
            "hours": hours,
            "unpriced": hours.where(rate.isna(), 0.0),
            "cost": (hours * rate).fillna(0.0),
        }
    )
    return frame.groupby("account_id")[["hours", "unpriced", "cost"]].sum()


def cost_items(engagement: Engagement, period: str | None = None) -> pd.DataFrame:
    """The cost_to_serve amounts in the period summed per account and item (account_id, item, amount), accounts in
    workbook order, items in the order they first appear."""
    rows = engagement.cost_to_serve
    rows = rows[in_period(rows, period)]
    order = {a: i for i, a in enumerate(engagement.accounts["account_id"].astype(str))}
    items = pd.DataFrame(
        {
            "account_id": rows["account_id"].astype(str).to_numpy(dtype=object),
            "item": rows["item"].astype(str).to_numpy(dtype=object),
            "amount": rows["amount"].to_numpy(dtype=float),
        }
    )
    summed = items.groupby(["account_id", "item"], sort=False)["amount"].sum().reset_index()
    return summed.sort_values("account_id", key=lambda ids: ids.map(order), kind="stable").reset_index(drop=True)


def in_period(rows: pd.DataFrame, period: str | None) -> np.ndarray:
    """Which rows count for `period`: all without one; else those whose period falls within it, and those with no
    period."""
    labels = rows["period"] if "period" in rows else pd.Series([None] * len(rows), index=rows.index)
    if period is None:
        return np.ones(len(rows), dtype=bool)
    return np.array([blank(label) or is_within(str(label).strip(), period) for label in labels], dtype=bool)


def blank(label: object) -> bool:
    """Whether a period cell is empty (None, NaN or blank text)."""
    return label is None or bool(pd.isna(label)) or not str(label).strip()
