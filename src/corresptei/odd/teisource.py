"""The TEI P5 source, parsed once per process and indexed by ident.

Only what compilation needs is kept: the specifications stripped of examples,
remarks, bibliographic pointers and non-English glosses and descriptions.
"""

from __future__ import annotations

import copy as copy_module
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import TeiSourceError
from .xmlutil import SPEC_KINDS, TEI_NS, T, is_english, local

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


def _lean_copy(el: etree._Element) -> etree._Element:
    """Copy ``el`` without documentation-only children (recursively, TEI elements only)."""
    out = etree.Element(el.tag, dict(el.attrib), nsmap=el.nsmap)
    out.text = el.text
    for child in el:
        name = local(child)
        if name is None:
            continue
        if child.tag.startswith("{" + TEI_NS):
            if name in _DROPPED or (name in ("desc", "gloss") and not is_english(child)):
                continue
            if name in ("desc", "gloss", "constraint", "content", "datatype", "defaultVal"):
                copy = copy_module.deepcopy(child)
            else:
                copy = _lean_copy(child)
        else:
            copy = copy_module.deepcopy(child)
        copy.tail = child.tail
        out.append(copy)
    return out


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
    for module in root.iter(T("moduleSpec")):
        index.modules.setdefault(module.get("ident"), [])
    for spec in root.iter(*(T(k) for k in SPEC_KINDS)):
        ident = spec.get("ident")
        if not ident or spec.get("mode") == "delete":
            continue
        index.specs[ident] = _lean_copy(spec)
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
