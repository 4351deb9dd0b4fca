"""RELAX NG (XML syntax) -> W3C XML Schema 1.0, in pure Python.

>>> result = rng_to_xsd("tei_lite.rng", name="tei_lite")   # doctest: +SKIP
>>> sorted(result)                                          # doctest: +SKIP
['tei_lite-xml.xsd', 'tei_lite.xsd']
>>> result.relaxations[0].kind                              # doctest: +SKIP
'mixed'

The result maps file names to schema documents: ``result.main`` is the schema of the start
elements' namespace; every other namespace with declared elements or attributes (``xml:``
included: the converter writes its own ``{name}-xml.xsd`` with the types the RELAX NG gives
``xml:id``, ``xml:lang``..., so nothing is fetched) has its own document, imported with a
relative ``schemaLocation``.  Write them into one folder and load the main one.

XSD 1.0 cannot say everything RELAX NG says.  The converter then accepts *more* (never less)
and records each such place in ``result.relaxations`` (see :class:`Relaxation` for the kinds):

* content models that break Unique Particle Attribution or Element Declarations Consistent
  are repaired by making the smallest offending part ``(a | b | ...)*`` (of a sequence only
  the span between the competing items, of a choice only the competing branches);
* ``interleave`` becomes ``xs:all`` when it is the whole content and holds single elements
  at most once each; any other interleave becomes a repeatable choice of its elements;
* ``text`` that RELAX NG allows only in some places makes the whole element ``mixed``;
* choices between attributes become independent optional attributes;
* name classes map to XSD 1.0 wildcards (``anyName - nsName(tei)`` -> ``##other`` plus
  ``##local``; excepted single names cannot be excluded); elements matched by a wildcard are
  not validated (``processContents="skip"``, ``"lax"`` where no declared namespace matches);
* ``data`` with ``except``, unknown datatype libraries and ENTITY/NOTATION are loosened.

Exact translations worth knowing:

* elements are declared locally (named complexTypes, one per element define), except start
  elements and elements of other namespaces, which must be global -- in XSD every global
  element may be the document element, so this keeps "only start elements are roots";
* RELAX NG ``empty`` content allows whitespace, XSD's empty content type does not: such
  elements get simple content restricted to whitespace (``empty.content``);
* several ``pattern`` params are ANDed by nesting restrictions (one restriction step ORs them);
* ``xs:ID``/``xs:IDREF`` are checked as lxml's RelaxNG checks them (unique, resolved); Jing
  run with ``-i`` does not check them, and libxml2's XMLSchema does not resolve IDREFs.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from corresptei.errors import XsdConversionError
from corresptei.fsutil import atomic_write_bytes
from corresptei.odd._xsd_emit import Converter, Relaxation, check_schema
from corresptei.odd._xsd_rng import read_rng

__all__ = ["Relaxation", "XsdResult", "rng_to_xsd", "write_xsd"]


class XsdResult(dict):
    """``{file name: schema bytes}``, with ``main`` (the file to load) and ``relaxations``."""

    def __init__(self, files: dict[str, bytes], main: str, relaxations: list[Relaxation]):
        super().__init__(files)
        self.main = main
        self.relaxations = relaxations


RngInput = "etree._ElementTree | etree._Element | str | os.PathLike[str]"


def rng_to_xsd(rng: RngInput, name: str | None = None) -> XsdResult:
    """Convert a RELAX NG schema (an lxml tree or element, or a path) to XSD documents.

    ``name`` is the stem of the file names (default: the RELAX NG file's stem, or
    ``schema``).  The output is deterministic: the same input gives byte-identical files.
    Raises :class:`~corresptei.errors.XsdConversionError` on input it cannot convert.
    """
    if isinstance(rng, os.PathLike):
        rng = os.fspath(rng)
    stem = name or (Path(rng).stem if isinstance(rng, str) else "schema")
    if not stem.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise XsdConversionError(f"schema name {stem!r} is not a plain file stem")
    schema = read_rng(rng)
    check_schema(schema)
    converter = Converter(schema, stem)
    docs = converter.run()
    files = {
        fname: etree.tostring(doc, pretty_print=True, xml_declaration=True, encoding="UTF-8")
        for fname, doc in docs.items()
    }
    return XsdResult(files, converter.file_for(converter.tns), converter.relaxations)


def write_xsd(rng: RngInput, out_dir: str | os.PathLike[str], name: str) -> XsdResult:
    """Convert ``rng`` and write every document into ``out_dir`` (atomically, one by one).

    Returns the result; ``Path(out_dir) / result.main`` is the schema to load.
    """
    result = rng_to_xsd(rng, name)
    for fname, data in result.items():
        atomic_write_bytes(Path(out_dir) / fname, data)
    return result
