"""Every notebook runs end to end with papermill, and is stored without outputs."""

import json

import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs_and_with_a_parameters_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert "parameters" in code[0].get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", ["es", "en"])
def test_notebook_runs(path, lang, tmp_path, tiny_path):
    import papermill as pm

    out = tmp_path / path.name
    params = {"lang": lang} if lang == "es" else {"lang": lang, "workbook": str(tiny_path)}
    nb = pm.execute_notebook(
        str(path), str(out), parameters=params, cwd=str(path.parent), progress_bar=False, kernel_name="python3"
    )
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    assert ("Inversión selectiva" if lang == "es" else "Selective investment") in text
    assert "kamlib-chart" in text and "vegaEmbed" in text  # the offline renderer, no CDN
    assert "cdn.jsdelivr" not in text
