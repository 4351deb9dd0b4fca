"""Test harness: convert once per session, compile each schema once, compute verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import xmlschema
from lxml import etree

from corresptei.odd.xsd import XsdResult, write_xsd


@dataclass
class Compiled:
    """One RELAX NG schema, its XSD conversion, and the validators built from both."""

    name: str
    rng_path: Path
    out_dir: Path
    _result: XsdResult | None = field(default=None, repr=False)

    @property
    def result(self) -> XsdResult:
        if self._result is None:
            self._result = write_xsd(self.rng_path, self.out_dir, self.name)
        return self._result

    @property
    def xsd_path(self) -> Path:
        return self.out_dir / self.result.main

    @cached_property
    def rng(self) -> etree.RelaxNG:
        return etree.RelaxNG(etree.parse(str(self.rng_path)))

    @cached_property
    def lxml_xsd(self) -> etree.XMLSchema:
        return etree.XMLSchema(etree.parse(str(self.xsd_path)))

    @cached_property
    def xmlschema(self) -> xmlschema.XMLSchema10:
        return xmlschema.XMLSchema10(str(self.xsd_path))

    def rng_valid(self, doc: etree._ElementTree) -> bool:
        return bool(self.rng.validate(doc))

    def lxml_valid(self, doc: etree._ElementTree) -> bool:
        return bool(self.lxml_xsd.validate(doc))

    def xmlschema_valid(self, doc: etree._ElementTree) -> bool:
        return bool(self.xmlschema.is_valid(doc))


def verdict(valid: bool) -> str:
    return "valid" if valid else "invalid"
