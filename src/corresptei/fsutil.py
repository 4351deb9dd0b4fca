"""Small file-system helpers shared by every stage: reading a file whole, atomic writes."""

from __future__ import annotations

import itertools
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

_SERIAL = itertools.count()
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def read_file(path: str | os.PathLike, max_bytes: int | None = None) -> tuple[bytes | int, os.stat_result]:
    """The bytes of the file ``path`` (or its size when that is over ``max_bytes``,
    unread) and the open file's ``fstat`` (its identity: ``st_dev``, ``st_ino``).

    Four system calls (open, fstat, read, close) where ``open(path, "rb").read()``
    makes eleven: on a virtual machine they cost more than parsing a letter.  The size
    comes from the open file, so the path is looked up once.  A read shorter than asked
    is the end of a regular file; anything else (a file that grew, a pipe) reads on.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        size = st.st_size
        if max_bytes is not None and size > max_bytes:
            return size, st
        first = os.read(fd, size + 1)
        if len(first) <= size:
            return first, st
        chunks, total = [first], len(first)
        while chunk := os.read(fd, 1 << 16):
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:
                return total, st
            chunks.append(chunk)
        return b"".join(chunks), st
    finally:
        os.close(fd)


def _open_temp(path: str) -> tuple[int, str]:
    """A new, empty file beside ``path`` (``.name.<pid>.<n>.tmp``), open for writing.

    Created with ``O_EXCL`` and mode 0o666 less the umask: the permissions a plain
    ``open`` gives, with no ``chmod`` (mkstemp's files are private) and no random
    names.  The folder is made when it is missing.
    """
    folder, name = os.path.split(path)
    for _ in range(1000):
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{next(_SERIAL)}.tmp")
        try:
            return os.open(tmp, _FLAGS, 0o666), tmp
        except FileExistsError:  # left by a process that had this pid: take the next number
            continue
        except FileNotFoundError:
            if not folder or os.path.isdir(folder):
                raise
            os.makedirs(folder, exist_ok=True)
    raise FileExistsError(f"{path}: no free temporary name beside it")  # pragma: no cover


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def atomic_write_bytes(path: str | os.PathLike, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and an interrupted run leaves the
    previous version in place.  The file gets the permissions a plain ``open``
    would give it.  ``durable=False`` skips the fsync, for files that can be
    regenerated (call :func:`sync_dir` once after a batch).
    """
    atomic_write_chunks(path, (data,), durable=durable)


def atomic_write_chunks(path: str | os.PathLike, chunks: Iterable[bytes], durable: bool = True) -> None:
    """:func:`atomic_write_bytes` for data that comes in pieces (never held whole)."""
    path = os.fspath(path)
    fd, tmp = _open_temp(path)
    try:
        try:
            for chunk in chunks:
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


@contextmanager
def atomic_output(path: str | os.PathLike, durable: bool = True) -> Iterator[Path]:
    """A temporary file name beside ``path``, for a writer that takes a file name;
    renamed over ``path`` when the block succeeds, removed when it fails."""
    fd, tmp = _open_temp(os.fspath(path))
    os.close(fd)
    try:
        yield Path(tmp)
        if durable:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def sync_dir(path: str | os.PathLike) -> None:
    """Flush a folder's new files and renames to disk (one fsync for a batch of writes)."""
    os.sync()


def atomic_write_text(path: str | os.PathLike, text: str, durable: bool = True) -> None:
    """:func:`atomic_write_bytes` of ``text`` in UTF-8."""
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)
