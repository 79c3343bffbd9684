"""The participants' file as a hostile file: every way it can be wrong gets one clear message naming the file."""

from __future__ import annotations

import pytest

from kamlib.errors import KamError
from kamlib.workshop import workshop_path
from kamlib.workshop.roster import MAX_BYTES, read_roster
from tests.conftest import copy_tiny
from tests.kam import run_kam


def write(tmp_path, data: bytes | str, name: str = "people.csv"):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_any_column_order_delimiter_and_windows_text(tmp_path):
    path = write(tmp_path, 'Name;CODE\r\nMaría Ñúñez;mn\r\n;\r\n=HYPERLINK("http://x");f1\r\n'.encode("cp1252"))
    assert read_roster(path) == [
        {"code": "mn", "name": "María Ñúñez", "side": ""},
        {"code": "f1", "name": '=HYPERLINK("http://x")', "side": ""},  # a formula is a name like any other: text
    ]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("", "no participant"),
        ("code,nombre\nana,Ana\n", "unknown column 'nombre'; allowed: code, name, side"),
        ("name,side\nAna,ours\n", "no column 'code'"),
        ('code,name\nana,"Ana\nben,Ben\n', "line 2"),  # a quote never closed
        ("code,name\nana,María\n".encode() + b"ben,Jos\xe9\n", "line 3"),  # UTF-8 with a Windows-1252 byte
    ],
)
def test_a_bad_file_is_named_with_what_is_wrong(tmp_path, data, said):
    with pytest.raises(KamError, match=said) as caught:
        read_roster(write(tmp_path, data))
    assert "people.csv" in str(caught.value)


def test_too_large_and_missing_files(tmp_path):
    with pytest.raises(KamError, match="larger than"):
        read_roster(write(tmp_path, "code,name\n" + "x,y\n" * (MAX_BYTES // 4 + 1)))
    with pytest.raises(KamError, match="cannot read the participants' file"):
        read_roster(tmp_path / "none.csv")


def test_kam_workshop_names_every_bad_row_and_starts_nothing(tmp_path):
    tiny_path = copy_tiny(tmp_path / "tiny")
    people = write(tmp_path, "code,name,side\nana,Ana,ours\nana,Otra,\nb c,Ben,theirs\n")
    done = run_kam("--lang", "en", "workshop", tiny_path, "--participants", people, "--port", "0")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    for said in ("row 2: code 'ana' already in row 1", "row 3: code 'b c'", "row 3: side 'theirs'"):
        assert said in done.stderr
    assert not workshop_path(tiny_path).exists()  # nothing started, nothing left behind
    nobody = run_kam("--lang", "en", "workshop", tiny_path, "--port", "0")
    assert nobody.returncode == 2 and "no participant" in nobody.stderr
    assert not workshop_path(tiny_path).exists()
    usage = run_kam("--lang", "en", "workshop", "accept", tiny_path, "extra")
    assert usage.returncode == 2 and "allowed: kam workshop WB" in usage.stderr


def test_no_more_participants_than_seats(tmp_path):
    rows = "".join(f"p{k},Person {k}\n" for k in range(501))
    with pytest.raises(KamError, match="501 participants; allowed: up to 500"):
        read_roster(write(tmp_path, "code,name\n" + rows))
