"""W3C XML Schema validation with libxml2 (lxml), messages shortened for people."""

from __future__ import annotations

import os
import re

from lxml import etree

from ..errors import CorrespteiError
from .findings import Engine, Finding, Severity
from .xmlpaths import node_at, readable_path

_CLARK = re.compile(r"\{[^}]*\}")


class XsdValidator:
    """A compiled XSD (compile once per process; workers fork after it)."""

    engine = Engine.XSD

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = str(path)
        try:
            tree = etree.parse(self.path, etree.XMLParser(no_network=True, resolve_entities=False))
            self._xsd = etree.XMLSchema(tree)
        except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as exc:
            raise CorrespteiError(f"{self.path}: not a usable XML Schema: {exc}") from exc

    def validate(self, tree: etree._ElementTree, file: str) -> list[Finding]:
        """Findings for one parsed document."""
        if self._xsd.validate(tree):
            return []
        out = []
        for e in self._xsd.error_log:
            el = node_at(tree, getattr(e, "path", None))
            message = _CLARK.sub("", e.message)  # "{http://www.tei-c.org/ns/1.0}p" -> "p"
            out.append(Finding(file, e.line or 0, e.column or 0, Engine.XSD, Severity.ERROR,
                               e.type_name.replace("SCHEMAV_", "").lower(), message,
                               readable_path(el) if el is not None else (getattr(e, "path", "") or "")))
        return out
