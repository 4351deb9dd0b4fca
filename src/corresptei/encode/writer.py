"""Writing generated TEI safely: atomic, byte-stable, and never over a hand edit.

Each generated file carries ``<?corresptei-generated sha256="…"?>`` with the hash
of everything after that line.  A file whose content no longer matches its hash
was edited by hand: it is not overwritten (or deleted) without ``force``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import EncodeError
from ..fsutil import atomic_write_bytes

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


@dataclass
class Plan:
    write: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    remove: list[Path] = field(default_factory=list)
    blocked: list[tuple[Path, str]] = field(default_factory=list)  # (path, why)

    @property
    def out_of_date(self) -> bool:
        return bool(self.write or self.remove or self.blocked)


def plan(out_dir: Path, files: dict[str, bytes], force: bool = False) -> Plan:
    p = Plan()
    for name, data in sorted(files.items()):
        path = out_dir / name
        if not path.exists():
            p.write.append(path)
            continue
        old = path.read_bytes()
        if old == data:
            p.unchanged.append(path)
            continue
        state = edit_state(old)
        if state != "generated" and not force:
            p.blocked.append((path, "edited by hand since it was generated" if state == "edited"
                              else "not written by corresptei"))
        else:
            p.write.append(path)
    if out_dir.is_dir():
        for path in sorted(out_dir.glob("*.xml")):
            if path.name in files:
                continue
            state = edit_state(path.read_bytes())
            if state == "generated":
                p.remove.append(path)
    return p


def apply(p: Plan, files: dict[str, bytes]) -> None:
    if p.blocked:
        lines = "\n".join(f"  {path}: {why}" for path, why in p.blocked)
        raise EncodeError(f"refusing to overwrite {len(p.blocked)} file(s):\n{lines}\n"
                          "(move your changes into the source text, or rerun with --force to overwrite)")
    for path in p.write:
        atomic_write_bytes(path, files[path.name])
    for path in p.remove:
        path.unlink()
