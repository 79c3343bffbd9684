"""Atomic writes leave either the old file or the new one, never a half-written file or a temp file."""

import os
import stat

import pandas as pd
import pytest

from kamlib.fileio import atomic_path, write_table, write_text


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_new_files_get_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        path = write_text(tmp_path / "a" / "b.txt", "ñ")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text(encoding="utf-8") == "ñ"


def test_write_table_by_suffix(tmp_path):
    frame = pd.DataFrame({"account_id": ["A1"], "name": ["Peñíscola"]})
    write_table(frame, tmp_path / "t.csv")
    write_table(frame, tmp_path / "t.xlsx")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "t.csv"), frame, check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_excel(tmp_path / "t.xlsx"), frame, check_dtype=False)
