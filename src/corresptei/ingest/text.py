"""Reading a source file: bytes -> numbered, normalised lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError

#: Spaces that typesetting and web pages use where a plain space is meant.
_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f\u200b\ufeff]")
#: Site navigation around the text: "Marx-Engels | Lenin | Stalin | Home Page", "← Back to index".
_NAV = re.compile(
    r"^(?:[←→«»]\s*.*|(?:[^|]{1,30}\|){2,}[^|]{0,30}|(?:Back to|Home Page|Index|Next|Previous|Top)\b.{0,30})$"
)


@dataclass
class SourceText:
    path: str
    raw: list[str]  # lines as read (without line ends)
    lines: list[str]  # normalised: odd spaces -> ' ', stripped

    def line(self, n: int) -> str:
        """Normalised line ``n`` (1-based)."""
        return self.lines[n - 1]


def read_source(path: str | Path) -> SourceText:
    """Read a UTF-8 text; bad bytes and empty files are IngestErrors with file:line."""
    p = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}", p) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert the file to UTF-8", p, line
        ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise IngestError("the file is empty", p, 1)
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_SPACES.sub(" ", r).strip() for r in raw]
    return SourceText(p, raw, lines)


def is_navigation(line: str) -> bool:
    return bool(line) and bool(_NAV.match(line))


def is_separator(line: str) -> bool:
    """The rule between a letter and its notes: a line of underscores or dashes."""
    return bool(re.fullmatch(r"[_—–-]{3,}", line))
