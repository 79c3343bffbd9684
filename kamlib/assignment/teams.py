"""KAM teams: where no single KAM has what an account needs, pool the competences of two or three (METHOD.md §3).

For an account whose minimum levels no single allowed KAM meets, the smallest team of two or three whose combined
levels (the best level per competence among its members) meet them all, preferring the team of highest fit with
those combined levels (`kamlib.assignment.solver.fit_matrix`); capacity is not applied to teams (a proposal to discuss).
`kamlib.assignment.proposal.assign` proposes them as `Assignment.teams`.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from kamlib.assignment.competences import AccountNeeds, requirement_text
from kamlib.assignment.solver import fit_matrix
from kamlib.i18n import LANGS, number_text

TEAM_COLUMNS = ["account_id", "name", "quadrant", "needs_es", "needs_en", "members", "size", "team_fit", "message_es",
                 "message_en"]  # fmt: skip
"""One row per account that needs a team (`Assignment.teams`)."""


def propose_teams(scored, levels, needs: AccountNeeds, forbidden, kam_ids, settings) -> pd.DataFrame:
    """For each account whose minimum levels no single allowed KAM meets, the smallest covering team of 2 or 3."""
    key = np.column_stack([needs.importance, np.nan_to_num(needs.minimum, nan=0.0), forbidden])
    groups = np.unique(key, axis=0, return_inverse=True)[1].ravel()
    if np.isnan(levels).all():  # no assessment yet: nothing to say about teams
        return pd.DataFrame(columns=TEAM_COLUMNS)
    answer = {}  # group → (members, team fit, competences nobody reaches), for groups that need a team
    for g, a in enumerate(np.unique(groups, return_index=True)[1]):
        need = np.flatnonzero(~np.isnan(needs.minimum[a]))
        ok = np.flatnonzero(~forbidden[a])
        meets = levels[np.ix_(ok, need)] >= needs.minimum[a, need]
        if not len(need) or meets.all(axis=1).any():
            continue
        members, team_fit = (), np.nan
        for size in (2, 3):
            combos = np.array(list(itertools.combinations(range(len(ok)), size)), dtype=np.intp).reshape(-1, size)
            cover = meets[combos].any(axis=1).all(axis=1)
            if cover.any():
                candidates = combos[cover]
                team_levels = np.fmax.reduce(levels[ok][candidates], axis=1)
                fits = fit_matrix(team_levels, needs.importance[a : a + 1], needs.minimum[a : a + 1])[0]
                pick = int(np.argmax(np.nan_to_num(fits, nan=-1.0)))
                members, team_fit = tuple(kam_ids[ok[i]] for i in candidates[pick]), float(fits[pick])
                break
        answer[g] = (members, team_fit, need[~meets.any(axis=0)])
    out = []
    for a in np.flatnonzero(np.isin(groups, list(answer))):
        members, team_fit, nobody = answer[groups[a]]
        account = scored["account_id"].iloc[a]
        needs_text = {lang: requirement_text(needs.minimum[a], settings, lang) for lang in LANGS}
        if members:
            team = " + ".join(members)
            f = {lang: number_text(team_fit, lang, 1) for lang in LANGS}
            message = {
                "en": f"{account}: no single KAM meets {needs_text['en']}; the team {team} does (team fit {f['en']}).",
                "es": f"{account}: ningún KAM cumple por sí solo {needs_text['es']}; el equipo {team} sí (encaje del "
                f"equipo {f['es']}).",
            }
        else:
            lack = {
                lang: ", ".join(settings.label(settings.competence_ids()[j], lang) for j in nobody) for lang in LANGS
            }
            message = {
                "en": f"{account}: no team of up to three KAMs meets {needs_text['en']}"
                + (f"; nobody reaches the level in {lack['en']}." if len(nobody) else "."),
                "es": f"{account}: ningún equipo de hasta tres KAM cumple {needs_text['es']}"
                + (f"; nadie alcanza el nivel en {lack['es']}." if len(nobody) else "."),
            }
        out.append(
            {
                "account_id": account,
                "name": scored["name"].iloc[a] if "name" in scored else None,
                "quadrant": scored["quadrant"].iloc[a],
                "needs_es": needs_text["es"],
                "needs_en": needs_text["en"],
                "members": " + ".join(members),
                "size": len(members),
                "team_fit": team_fit,
                "message_es": message["es"],
                "message_en": message["en"],
            }
        )
    return pd.DataFrame(out, columns=TEAM_COLUMNS)
