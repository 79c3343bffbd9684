"""Every file of the hostile corpus gets exit 0 or 2 and a message saying what is wrong, never a traceback."""

import pytest

from tests.hostile.corpus import CASES, Case
from tests.kam import run_kam


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_hostile_file_is_answered_with_a_clear_message(case: Case, tmp_path):
    result = run_kam(*case.build(tmp_path))
    output = result.stderr if case.code == 2 else result.stdout + result.stderr
    assert result.returncode == case.code, result.stderr
    assert "Traceback" not in result.stderr
    for text in case.said:
        assert text in output


def test_the_corpus_covers_every_finding_about_files():
    assert {1, 2, 3, 4, 5, 6, 7, 12, 13, 17} <= {c.finding for c in CASES}


def test_an_ingested_formula_stays_text(tmp_path):
    from tests.hostile.corpus import a_formula_as_a_customer_name

    assert run_kam(*a_formula_as_a_customer_name(tmp_path)).returncode == 0
    accounts = (tmp_path / "engagement" / "accounts.csv").read_text(encoding="utf-8")
    assert "'=WEBSERVICE(" in accounts and ",=WEBSERVICE(" not in accounts
