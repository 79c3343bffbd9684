"""Properties: whatever valid answers come in whatever order, the file keeps the last one of each participant, item
and round; a score is accepted exactly when it is a finite number within its criterion's scale."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib.workshop import Refused, WorkshopStore
from kamlib.workshop.checks import Scale, check_score
from tests.workshop.conftest import PEOPLE, Ticks, stored_answers

CELLS = [("A1", "volume"), ("A1", "growth"), ("A2", "volume")]
"""Three score items, each on a 1–10 scale."""
ANSWER = st.tuples(
    st.just("answer"),
    st.integers(0, len(PEOPLE) - 1),
    st.integers(0, len(CELLS) - 1),
    st.one_of(st.none(), st.floats(1, 10)),  # None: don't know
)
NEXT_ROUND = st.tuples(st.just("next round"), st.integers(0, len(CELLS) - 1))


@settings(max_examples=40, deadline=None)
@given(actions=st.lists(st.one_of(ANSWER, ANSWER, ANSWER, NEXT_ROUND), min_size=1, max_size=30))
def test_the_last_answer_given_is_the_one_kept(tiny, tmp_path_factory, actions):
    folder = tmp_path_factory.mktemp("property")
    workbook = folder / "w.xlsx"
    with WorkshopStore.create(folder / "w.sqlite", workbook, tiny.accounts, tiny.criteria, clock=Ticks()) as store:
        tokens = [issued.token for issued in store.add_participants(PEOPLE)]
        ids = [item.item_id for item in store.add_score_items(CELLS)]
        store.open_items(ids)
        rounds = dict.fromkeys(ids, 1)
        expected = {}
        for action in actions:
            if action[0] == "next round":
                item_id = ids[action[1]]
                store.reveal_items([item_id])
                rounds[item_id] = store.reopen_items([item_id])[0].round
                continue
            _, who, which, value = action
            item_id = ids[which]
            store.answer(tokens[who], item_id, value, dont_know=value is None)
            expected[PEOPLE[who]["code"], item_id, rounds[item_id]] = (value, int(value is None))
        kept = {(code, item, rnd): (value, dk) for code, item, rnd, value, dk, _ in stored_answers(store.path)}
        assert kept == expected
        now = {(c, i): v for (c, i, r), (v, dk) in expected.items() if r == rounds[i] and not dk}
        frame = store.scores("R")
        cells = dict(zip(ids, CELLS, strict=True))
        rows = frame[["assessor", "account_id", "criterion_id", "score"]].itertuples(index=False, name=None)
        assert sorted(rows) == sorted((code, *cells[item], value) for (code, item), value in now.items())


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-50, 50)))
def test_a_score_is_accepted_exactly_within_its_scale(value):
    scale = Scale("incidents", "position", 0.0, 20.0)
    if math.isfinite(value) and 0 <= value <= 20:
        assert check_score(value, scale) == value
        assert check_score(str(value).replace(".", ","), scale) == pytest.approx(value)
    else:
        with pytest.raises(Refused, match="allowed: a number from 0 to 20"):
            check_score(value, scale)
