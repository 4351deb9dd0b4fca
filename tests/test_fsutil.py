"""Atomic writes (fsutil): all or nothing, the permissions of a plain open, no litter."""

from __future__ import annotations

import os
import stat

import pytest

from corresptei.fsutil import atomic_output, atomic_write_bytes, atomic_write_chunks, atomic_write_text, read_file


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_file_has_the_permissions_of_a_plain_open(tmp_path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write_bytes(tmp_path / "a.txt", b"x")
        with open(tmp_path / "b.txt", "wb") as fh:
            fh.write(b"x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.txt") == _mode(tmp_path / "b.txt") == 0o640


def test_replaces_and_leaves_no_temporary_file(tmp_path) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")
    for durable in (False, True):
        atomic_write_text(target, "новый", durable=durable)
        assert target.read_text(encoding="utf-8") == "новый"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_missing_folders_are_made(tmp_path) -> None:
    atomic_write_bytes(tmp_path / "x" / "y" / "a.txt", b"1")
    assert (tmp_path / "x" / "y" / "a.txt").read_bytes() == b"1"


def test_a_failure_while_writing_keeps_the_old_file(tmp_path) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")

    def chunks():
        yield b"half of the new"
        raise RuntimeError("the producer failed")

    with pytest.raises(RuntimeError):
        atomic_write_chunks(target, chunks())
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_large_data_is_written_whole(tmp_path) -> None:
    data = os.urandom(3 * 2**20 + 17)
    atomic_write_chunks(tmp_path / "big", (data[:5], memoryview(data)[5:]))
    assert (tmp_path / "big").read_bytes() == data


def test_a_temporary_name_left_by_another_run_is_skipped(tmp_path) -> None:
    from corresptei import fsutil

    serial = next(fsutil._SERIAL) + 1
    stale = tmp_path / f".a.txt.{os.getpid()}.{serial}.tmp"
    stale.write_bytes(b"stale")
    atomic_write_bytes(tmp_path / "a.txt", b"new")
    assert (tmp_path / "a.txt").read_bytes() == b"new"
    assert stale.read_bytes() == b"stale"


def test_atomic_output_for_writers_that_take_a_name(tmp_path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    with atomic_output(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".out.pdf.")
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(ValueError), atomic_output(target) as tmp:
        tmp.write_bytes(b"broken")
        raise ValueError("the writer failed")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.pdf"]


def test_read_file_gives_the_bytes_and_the_identity(tmp_path) -> None:
    data = os.urandom(70_000)
    (tmp_path / "a").write_bytes(data)
    os.link(tmp_path / "a", tmp_path / "b")
    got, st = read_file(tmp_path / "a")
    assert got == data
    assert (st.st_dev, st.st_ino) == (lambda s: (s.st_dev, s.st_ino))(read_file(tmp_path / "b")[1])
    assert read_file(tmp_path / "a", max_bytes=1000)[0] == 70_000  # over the limit: the size, unread
    (tmp_path / "empty").write_bytes(b"")
    assert read_file(tmp_path / "empty")[0] == b""
