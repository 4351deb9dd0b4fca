"""The TEI P5 source, parsed once per process and indexed by ident.

Only what compilation needs is kept: the specifications stripped of examples,
remarks, bibliographic pointers and non-English glosses and descriptions.  The indexed
specs are shared by every compilation in the process: stages copy, never modify them.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import TeiSourceError
from .xmlutil import SPEC_KINDS, T, is_english, local

#: Children that documentation only needs; never used to build a schema.
_DROPPED = {"exemplum", "remarks", "listRef", "equiv"}


@dataclass
class TeiSpecs:
    """Every component of a TEI source, by ident, and the modules that hold them."""

    path: str
    version: str
    specs: dict[str, etree._Element] = field(default_factory=dict)
    modules: dict[str, list[str]] = field(default_factory=dict)

    def kind(self, ident: str) -> str | None:
        spec = self.specs.get(ident)
        return local(spec) if spec is not None else None


def _strip_documentation(root: etree._Element) -> None:
    """Remove, in place, what only documentation needs (fast: libxml2 does the walking)."""
    etree.strip_elements(root, *(T(name) for name in _DROPPED), with_tail=False)
    foreign = [el for el in root.iter(T("desc"), T("gloss")) if not is_english(el)]
    for el in foreign:
        el.getparent().remove(el)


def _version(root: etree._Element) -> str:
    edition = root.find(f".//{T('editionStmt')}/{T('edition')}")
    if edition is not None:
        text = " ".join("".join(edition.itertext()).split())
        match = re.search(r"Version\s+(\S+)\.", text)
        if match:
            return match.group(1)
    return "unknown"


@functools.lru_cache(maxsize=4)
def _load(path: str, _mtime: int, _size: int) -> TeiSpecs:
    try:
        tree = etree.parse(path, etree.XMLParser(remove_blank_text=False, huge_tree=True))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise TeiSourceError(f"cannot read the TEI source {path}: {exc}") from exc
    root = tree.getroot()
    index = TeiSpecs(path=path, version=_version(root))
    _strip_documentation(root)
    for module in root.iter(T("moduleSpec")):
        index.modules.setdefault(module.get("ident"), [])
    for spec in root.iter(*(T(k) for k in SPEC_KINDS)):
        ident = spec.get("ident")
        if not ident or spec.get("mode") == "delete":
            continue
        index.specs[ident] = spec
        index.modules.setdefault(spec.get("module", ""), []).append(ident)
    if not index.specs:
        raise TeiSourceError(f"{path} holds no TEI specifications; is it a p5subset.xml?")
    return index


def load_tei_source(path: str | os.PathLike) -> TeiSpecs:
    """Parse and index ``path`` (cached per process while the file is unchanged)."""
    p = Path(path).resolve()
    try:
        st = p.stat()
    except OSError as exc:
        raise TeiSourceError(f"TEI source {p} cannot be read: {exc.strerror}") from exc
    return _load(str(p), st.st_mtime_ns, st.st_size)
