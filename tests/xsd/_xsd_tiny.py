"""Tiny schemas for construct tests: RELAX NG text in, three validators out."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import xmlschema
from lxml import etree

from corresptei.odd.xsd import XsdResult, write_xsd

RNG_HEAD = (
    '<grammar xmlns="http://relaxng.org/ns/structure/1.0" '
    'xmlns:a="http://relaxng.org/ns/compatibility/annotations/1.0" '
    'xmlns:o="urn:other" ns="urn:t" '
    'datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">'
)
_counter = itertools.count()


@dataclass
class Tiny:
    """A converted tiny schema with its RELAX NG and both XSD validators."""

    result: XsdResult
    rng: etree.RelaxNG
    lxml_xsd: etree.XMLSchema
    xmlschema: xmlschema.XMLSchema10
    folder: Path

    def verdicts(self, xml: str) -> tuple[bool, bool, bool]:
        """(RELAX NG, lxml XSD, xmlschema) verdicts on one document."""
        doc = etree.ElementTree(etree.fromstring(xml))
        return (
            bool(self.rng.validate(doc)),
            bool(self.lxml_xsd.validate(doc)),
            bool(self.xmlschema.is_valid(doc)),
        )

    @property
    def main_text(self) -> str:
        return self.result[self.result.main].decode()

    @property
    def kinds(self) -> list[str]:
        return [r.kind for r in self.result.relaxations]


def grammar(body: str) -> str:
    """A grammar in namespace ``urn:t`` (prefix-free), with ``o:`` bound to ``urn:other``."""
    return f"{RNG_HEAD}{body}</grammar>"


def tiny(tmp_path: Path, body: str) -> Tiny:
    """Convert ``grammar(body)`` and compile it with every validator."""
    text = grammar(body) if not body.lstrip().startswith("<grammar") else body
    rng_tree = etree.ElementTree(etree.fromstring(text))
    folder = tmp_path / f"tiny{next(_counter)}"
    result = write_xsd(rng_tree, folder, "tiny")
    main = folder / result.main
    return Tiny(
        result,
        etree.RelaxNG(rng_tree),
        etree.XMLSchema(etree.parse(str(main))),
        xmlschema.XMLSchema10(str(main)),
        folder,
    )


def doc(inner: str, root: str = "r", attrs: str = "") -> str:
    """``<root xmlns="urn:t" attrs>inner</root>``."""
    return f'<{root} xmlns="urn:t" xmlns:o="urn:other" {attrs}>{inner}</{root}>'
