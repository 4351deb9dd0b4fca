"""Writing generated TEI safely: atomic, byte-stable, and never over a hand edit.

Each generated file carries ``<?corresptei-generated sha256="…"?>`` with the hash
of everything after that line.  A file whose content no longer matches its hash
was edited by hand: it is not overwritten (or deleted) without ``force``.

``Batch`` takes the files of a run one at a time, as they are made: each is
compared with what is on disk and, when it must be written, staged in a hidden
folder inside the output folder.  ``finish`` then moves every staged file into
place, or none of them when a file edited by hand is in the way.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import EncodeError
from ..fsutil import sync_dir

PI = re.compile(rb'<\?corresptei-generated sha256="(?P<hash>[0-9a-f]{64})"\?>\n')
SCHEMA_PIS = (
    b'<?xml-model href="../schema/corresptei.rng" type="application/xml" '
    b'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    b'<?xml-model href="../schema/corresptei.sch" type="application/xml" '
    b'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)


def serialise(tree: etree._Element) -> bytes:
    """The bytes of a generated document, hash line included."""
    body = SCHEMA_PIS + etree.tostring(tree, encoding="UTF-8", pretty_print=True)
    digest = hashlib.sha256(body).hexdigest()
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + f'<?corresptei-generated sha256="{digest}"?>\n'.encode() + body


def edit_state(data: bytes) -> str:
    """'generated' (unchanged since written), 'edited' or 'foreign' (not written by corresptei)."""
    m = PI.search(data[:200])
    if not m:
        return "foreign"
    body = data[m.end():]
    return "generated" if hashlib.sha256(body).hexdigest() == m["hash"].decode() else "edited"


@dataclass(repr=False)
class Plan:
    write: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    remove: list[Path] = field(default_factory=list)
    blocked: list[tuple[Path, str]] = field(default_factory=list)  # (path, why)

    @property
    def out_of_date(self) -> bool:
        return bool(self.write or self.remove or self.blocked)

    def __repr__(self) -> str:
        return (f"Plan(write={len(self.write)}, unchanged={len(self.unchanged)}, remove={len(self.remove)}, "
                f"blocked={self.blocked!r})")


class Batch:
    """The generated files of one run into ``out_dir``: planned as they come, written together.

    ``add(name, data)`` decides for each file (``plan``: write, unchanged, blocked)
    and stages the files to write; ``finish()`` adds the stale generated files to
    remove and, unless ``dry_run``, puts everything in place — or raises
    ``EncodeError`` and writes nothing when a file is blocked.  Use it as a context
    manager so that staged files are removed if the run fails.
    """

    def __init__(self, out_dir: Path, *, force: bool = False, dry_run: bool = False):
        self.out_dir = Path(out_dir)
        self.force = force
        self.dry_run = dry_run
        self.plan = Plan()
        self._names: set[str] = set()
        self._staging: Path | None = None

    def add(self, name: str, data: bytes) -> None:
        self._names.add(name)
        path = self.out_dir / name
        if not path.exists():
            self.plan.write.append(path)
            self._stage(name, data)
            return
        old = path.read_bytes()
        if old == data:
            self.plan.unchanged.append(path)
            return
        state = edit_state(old)
        if state != "generated" and not self.force:
            self.plan.blocked.append((path, "edited by hand since it was generated" if state == "edited"
                                      else "not written by corresptei"))
        else:
            self.plan.write.append(path)
            self._stage(name, data)

    def _stage(self, name: str, data: bytes) -> None:
        if self.dry_run or self.plan.blocked:  # once a file is blocked nothing will be written
            return
        if self._staging is None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self._staging = Path(tempfile.mkdtemp(prefix=".corresptei-", dir=self.out_dir))
        with open(self._staging / name, "wb") as fh:  # generated: one sync for the batch
            fh.write(data)

    def finish(self) -> Plan:
        p = self.plan
        if self.out_dir.is_dir():
            for path in sorted(self.out_dir.glob("*.xml")):
                if path.name not in self._names and edit_state(path.read_bytes()) == "generated":
                    p.remove.append(path)
        p.write.sort()
        p.unchanged.sort()
        p.blocked.sort()
        if p.blocked and not self.dry_run:
            self.discard()
            lines = "\n".join(f"  {path}: {why}" for path, why in p.blocked)
            raise EncodeError(f"refusing to overwrite {len(p.blocked)} file(s):\n{lines}\n"
                              "(move your changes into the source text, or rerun with --force to overwrite)")
        if not self.dry_run:
            for path in p.write:
                os.replace(self._staging / path.name, path)
            for path in p.remove:
                path.unlink()
            if p.write or p.remove:
                sync_dir(self.out_dir)
        self.discard()
        return p

    def discard(self) -> None:
        """Remove the staged files that were not moved into place."""
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()
