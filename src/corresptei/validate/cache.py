"""Caching between runs, keyed by content hashes.

Two things are cached in one SQLite file (``$CORRESPTEI_CACHE_DIR`` or
``$XDG_CACHE_HOME/corresptei`` or ``~/.cache/corresptei``, file ``validate.sqlite``):

- per-file results: ``sha256(schema digest, path, file bytes)`` -> findings and
  the corpus record, so an unchanged file is never parsed or validated again
  and, when no file changed, no schema is even compiled;
- compiled Schematron: ``sha256(schema bytes, compiler version)`` -> the
  generated XSLT and its check table (saxonche executables and lxml RelaxNG
  objects live in memory only: neither can be serialised).

A broken or unwritable cache is never an error: the run goes on uncached.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from .findings import Engine, Finding, Severity


def default_cache_dir() -> Path:
    env = os.environ.get("CORRESPTEI_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "corresptei"


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def finding_from_dict(d: dict[str, Any]) -> Finding:
    return Finding(d["file"], d["line"], d["column"], Engine(d["engine"]), Severity(d["severity"]),
                   d["rule"], d["message"], d.get("xpath", ""), d.get("extra") or {})


class Cache:
    """A small key-value store; every method swallows storage errors."""

    def __init__(self, directory: Path | None = None, enabled: bool = True) -> None:
        self.enabled = enabled
        self._db: sqlite3.Connection | None = None
        if enabled:
            try:
                directory = directory or default_cache_dir()
                directory.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(directory / "validate.sqlite"), timeout=5)
                self._db.execute("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
            except (OSError, sqlite3.Error):
                self._db = None

    def get(self, key: str) -> Any | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT v FROM kv WHERE k = ?", (key,)).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    def put_many(self, items: list[tuple[str, Any]]) -> None:
        if self._db is None or not items:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)",
                                     [(k, json.dumps(v, ensure_ascii=False)) for k, v in items])
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
