"""Small file-system helpers shared by every stage: atomic writes."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and an interrupted run leaves the
    previous version in place.  The file gets the permissions a plain ``open``
    would give it (mkstemp's are private).  ``durable=False`` skips the fsync, for
    files that can be regenerated (call :func:`sync_dir` once after a batch).
    """
    atomic_write_chunks(path, (data,), durable=durable)


def atomic_write_chunks(path: str | os.PathLike, chunks: Iterable[bytes], durable: bool = True) -> None:
    """:func:`atomic_write_bytes` for data that comes in pieces (never held whole)."""
    with atomic_output(path, durable=durable) as tmp, open(tmp, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)


@contextmanager
def atomic_output(path: str | os.PathLike, durable: bool = True) -> Iterator[Path]:
    """A temporary file name beside ``path``, for a writer that takes a file name;
    renamed over ``path`` when the block succeeds, removed when it fails."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        if durable:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def sync_dir(path: str | os.PathLike) -> None:
    """Flush a folder's new files and renames to disk (one fsync for a batch of writes)."""
    os.sync()


def atomic_write_text(path: str | os.PathLike, text: str, durable: bool = True) -> None:
    """:func:`atomic_write_bytes` of ``text`` in UTF-8."""
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)
