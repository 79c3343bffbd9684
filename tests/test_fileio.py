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
    pd.testing.assert_frame_equal(pd.read_excel(tmp_path / "t.xlsx", engine="openpyxl"), frame, check_dtype=False)


def test_several_outputs_are_replaced_all_or_none(tmp_path, monkeypatch):
    """kam score --out t.csv --chart m.html: a chart that cannot be replaced (open elsewhere) puts the table back."""
    from kamlib.fileio import PartlyWritten, atomic_paths

    targets = [tmp_path / "table.csv", tmp_path / "matrix.html", tmp_path / "new.png"]
    for target in targets[:2]:
        target.write_text("old " + target.name, encoding="utf-8")
    real = os.replace

    def locked(src, dst):
        if os.fspath(dst).endswith("matrix.html"):
            raise PermissionError(13, "Permission denied", os.fspath(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(PartlyWritten) as info, atomic_paths(targets) as temps:
        for temp in temps:
            temp.write_text("new", encoding="utf-8")
    assert info.value.restored and "nothing was changed" in info.value.render("en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["matrix.html", "table.csv"]  # no temp, no kept copy
    assert [t.read_text(encoding="utf-8") for t in targets[:2]] == ["old table.csv", "old matrix.html"]


def test_temp_files_of_a_killed_run_are_removed_by_the_next_write(tmp_path):
    import subprocess
    import sys

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    left = tmp_path / f".out.csv.{ended.pid}-k2j4.tmp.csv"  # what `kill -9` during a write leaves
    left.write_text("a client's names", encoding="utf-8")
    running = tmp_path / f".out.csv.{os.getpid()}-a1.tmp.csv"  # a write still going on: kept
    running.write_text("", encoding="utf-8")
    write_text(tmp_path / "out.csv", "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.csv", running.name])
