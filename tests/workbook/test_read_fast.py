"""The fast ways through a CSV folder read exactly what the cell-by-cell ways read.

A file whose every record is one line is split by pyarrow (`split_grid`), any other by the csv module
(`records`, `records_grid`); either is put into its sheet from its distinct texts (`read_grid`), and
columns of texts are checked once per distinct text (`map_cells`, `parse_numbers`). Each must agree
with the csv module and the cell-by-cell code on any text: stray quotes, blank lines, line ends,
control characters and rows of any width included.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kamlib
from kamlib.workbook.cells import (
    map_cells,
    normalise_choice,
    parse_bools,
    parse_numbers,
    text_codes,
    to_text,
    without_direction_marks,
)
from kamlib.workbook.csvtext import UnreadableText, records, records_grid, split_grid
from kamlib.workbook.read import RawWorkbook, read_grid, read_sheet

PIECES = [
    *("a", "B", "Id", "x y", "1", "7,5", "1.234,5", "", " ", "\t"),
    *(",", ",", ";", '"', '""', 'x"y', "\n", "\n", "\r", "\r\n"),
    *("é", "e\u0301", "\u00a0", "\x01", "\x7f", "\x85", "\x0b", "\x1c", "\u2028", "\u200e", "\u202e", "\u3000"),
]
csv_texts = st.lists(st.sampled_from(PIECES), max_size=50).map("".join)
delimiters = st.sampled_from([",", ";", "\t"])


def cells_of(found) -> list[list[str]]:
    return [
        [found.texts[c] for c in found.codes[found.offsets[r] : found.offsets[r + 1]]]
        for r in range(len(found.offsets) - 1)
    ]


def sheet_of(raw: RawWorkbook, sheet: str) -> tuple:
    """A sheet as read, every cell with its type, and the problems and positions reading it gave."""
    frame = raw.sheets[sheet]
    cells = {c: [(type(v), v) for v in frame[c]] for c in frame.columns}
    problems = [(p.kind, p.row, dict(p.params)) for p in raw.problems]
    return list(frame.columns), frame.index.tolist(), str(frame.index.dtype), cells, problems, raw.positions


@settings(max_examples=150, deadline=None)
@given(csv_texts, delimiters)
def test_split_grid_splits_as_the_csv_module_does(text, delimiter):
    found = split_grid(text, delimiter)
    try:
        expected = records(text, delimiter)
    except UnreadableText:
        assert found is None
        return
    if found is None:  # a record over several lines, or a quote open at a line's end or at the file's end
        assert any(
            r.first_line < r.last_line or {"\n", "\r"} & set("".join(r.cells)) or r.open_at_end for r in expected
        )
        return
    assert all(r.first_line == r.last_line == r.number for r in expected)
    assert cells_of(found) == [r.cells or [""] for r in expected]  # a blank line: no cell there, one empty here


@settings(max_examples=150, deadline=None)
@given(csv_texts, delimiters, st.sampled_from(["time", "accounts", "extra"]))
def test_read_grid_reads_as_read_sheet_does(text, delimiter, sheet):
    try:
        found = records(text, delimiter)
    except UnreadableText:
        return
    slow = RawWorkbook(name="x", source=None)
    read_sheet(((r.number, r.cells) for r in found), slow, sheet, "f.csv", strict_width=True)
    grids = [records_grid(found), split_grid(text, delimiter)]  # the second: None for a record over lines
    for grid in (g for g in grids if g is not None):
        fast = RawWorkbook(name="x", source=None)
        read_grid(grid, fast, sheet, "f.csv")
        assert sheet_of(fast, sheet) == sheet_of(slow, sheet)


def test_only_a_record_over_several_lines_takes_the_slow_way():
    assert split_grid('id,name\nA1,"Pérez, Ana"\nA2,"dice ""hola"""\n', ",") is not None
    assert split_grid('id,name\nA1,"Pérez\nAna"\n', ",") is None
    assert split_grid('id,name\nA1,"Pérez, Ana\n', ",") is None  # a quote never closed
    assert split_grid('id,name\nA1,"Pérez, Ana', ",") is None  # …on the last line: `records` names it
    assert split_grid("id\n" + "x" * 200_000 + "\n", ",") is None  # longer than the csv module's limit


texts_and_empties = st.lists(
    st.one_of(
        st.none(), st.just(float("nan")), st.sampled_from(["7,5", " 7.5 ", "1.234", "sí", "No", "Ω", "a\u202eb"])
    ),
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(texts_and_empties)
def test_columns_of_texts_are_checked_once_per_text_as_cell_by_cell(cells):
    column = pd.Series(cells, dtype=object, index=range(3, 3 + len(cells)))
    mixed = pd.concat([column, pd.Series([0], dtype=object)])  # a number among the cells: cell by cell
    assert text_codes(mixed) is None
    same = [
        (to_text, ()),
        (parse_bools, (True,)),
        (normalise_choice, (("si", "no"), {"sí": "si"})),
    ]
    for fn, args in same:
        assert fn(column, *args).tolist() == fn(mixed, *args).tolist()[:-1]
    for decimal_comma in (None, True, False):
        fast, slow = parse_numbers(column, decimal_comma), parse_numbers(mixed, decimal_comma)
        np.testing.assert_array_equal(fast.to_numpy(), slow.to_numpy()[:-1])
        assert fast.index.equals(column.index)
    assert map_cells(column, repr).tolist() == [repr(v) for v in cells]
    expected = column.map(lambda v: v.replace("\u202e", "") if isinstance(v, str) else v)
    pd.testing.assert_series_equal(without_direction_marks(column), expected)


def test_a_text_column_read_as_str_is_coded_too():
    column = pd.Series(["b", None, "a", "b"], dtype="str")  # pandas 3: the str dtype (NaN); pandas 2: object (None)
    found = text_codes(column)
    assert found is not None
    empty = -1 if column.iloc[1] is None else -2
    assert found.codes.tolist() == [0, empty, 1, 0]
    assert text_codes(pd.Series(["a", pd.NA], dtype=object)) is None


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_a_regular_time_sheet_keeps_its_row_numbers_and_checks(tmp_path, tiny_path, line_end):
    folder = tmp_path / "engagement"
    folder.mkdir()
    for path in tiny_path.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    lines = (folder / "time.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(lines[2].split(",")[0], "K\u200b01", 1)  # an invisible character in an id
    lines.insert(3, "")
    lines[5] += ",7"  # a cell beyond the header
    (folder / "time.csv").write_bytes(line_end.join(lines).encode("utf-8"))
    assert split_grid((folder / "time.csv").read_text(encoding="utf-8"), ",") is not None
    with pytest.raises(kamlib.WorkbookError) as raised:
        kamlib.load(folder)
    assert raised.value.render("en").splitlines() == [
        'engagement/time.csv, sheet "time", row 3, column "kam_id": got \'K\\u200b01\', which holds the invisible '
        "character U+200B; it changes how the id reads (a direction mark shows the text reversed); allowed: an id "
        "from sheet kams (column kam_id) without invisible characters.",
        'engagement/time.csv, sheet "time", row 3, column "kam_id": unknown KAM \'K\\u200b01\'; known: K1, K2.',
        'engagement/time.csv, sheet "time", row 6: the row has 6 cells but the header has 5; a decimal comma in a '
        'comma-separated file must be quoted ("7,5"), or save the file with ";" as separator.',
    ]
