"""The ODD compiler as named stages: source → expand → prune → relaxng → schematron → html.

Each stage is a plain function from trees to a tree (see :data:`STAGES`), so a stage can
be run, inspected or swapped on its own; ``keep_intermediate`` writes every stage's
output to a folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import OddCompileError
from ..fsutil import atomic_write_bytes
from .expand import expand_odd
from .html import build_html
from .prune import prune_odd
from .relaxng import build_relaxng
from .schematron import build_schematron
from .source import resolve_source
from .teisource import TeiSpecs, load_tei_source
from .xmlutil import T

#: The stages in order, with the file name each one's output gets in ``keep_intermediate``.
STAGES: tuple[tuple[str, str], ...] = (
    ("expand", "1-expanded.odd.xml"),
    ("prune", "2-pruned.odd.xml"),
    ("relaxng", "3-schema.rng"),
    ("schematron", "4-schema.sch"),
    ("html", "5-reference.html"),
)


def serialize(tree: etree._ElementTree, html: bool = False) -> bytes:
    """Stable bytes for a stage output (no timestamps: a rebuild is byte-identical)."""
    if html:
        return b"<!DOCTYPE html>\n" + etree.tostring(tree.getroot(), method="html", pretty_print=True, encoding="utf-8")
    etree.indent(tree, space="  ")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xsd_files(rng: etree._ElementTree, ident: str) -> dict[str, bytes]:
    """The XSD documents (one per namespace) for a compiled RELAX NG schema."""
    from .xsd import rng_to_xsd

    return dict(rng_to_xsd(rng, ident))


@dataclass
class CompiledSchema:
    """The result of :func:`compile_odd`: every stage's tree, and ways to write them."""

    ident: str
    expanded_odd: etree._ElementTree
    pruned_odd: etree._ElementTree
    rng: etree._ElementTree
    schematron: etree._ElementTree
    html: etree._ElementTree
    warnings: list[str] = field(default_factory=list)

    def outputs(self) -> dict[str, bytes]:
        """File name → content of the compiled files ``write`` produces."""
        files = {
            f"{self.ident}.rng": serialize(self.rng),
            f"{self.ident}.sch": serialize(self.schematron),
            f"{self.ident}.html": serialize(self.html, html=True),
        }
        files.update(_xsd_files(self.rng, self.ident))
        return files

    def write(self, out_dir: str | os.PathLike) -> list[Path]:
        """Write ``<ident>.rng``, ``.sch``, ``.html`` and ``.xsd`` into ``out_dir``."""
        written = []
        for name, data in self.outputs().items():
            path = Path(out_dir) / name
            atomic_write_bytes(path, data)
            written.append(path)
        return written


def read_odd(odd_path: str | os.PathLike) -> etree._ElementTree:
    """Parse an ODD file; a syntax error becomes an :class:`OddCompileError` with its line."""
    try:
        tree = etree.parse(os.fspath(odd_path), etree.XMLParser(collect_ids=False))
    except etree.XMLSyntaxError as exc:
        raise OddCompileError(f"not well-formed XML: {exc.msg}", os.fspath(odd_path), exc.lineno) from exc
    tree.xinclude()
    return tree


def source_for(odd: etree._ElementTree, odd_path: str, tei_source: str | os.PathLike | None) -> TeiSpecs:
    """The TEI source to expand against: schemaSpec/@source if it names a local file, else the resolved one."""
    schema = next(odd.getroot().iter(T("schemaSpec")), None)
    declared = schema.get("source") if schema is not None else None
    if declared and not declared.startswith("tei:"):
        local_path = Path(odd_path).parent / declared
        if "://" in declared or not local_path.is_file():
            raise OddCompileError(
                f"schemaSpec @source={declared!r}: no such file (give a path relative to the ODD, "
                "or 'tei:VERSION' for the TEI release)",
                odd_path,
                schema.sourceline,
            )
        return load_tei_source(local_path)
    return load_tei_source(resolve_source(tei_source))


def compile_odd(
    odd_path: str | os.PathLike,
    tei_source: str | os.PathLike | None = None,
    keep_intermediate: str | os.PathLike | None = None,
    schema_ident: str | None = None,
    strict: bool = True,
) -> CompiledSchema:
    """Compile an ODD customisation into RELAX NG, Schematron and an HTML reference.

    ``tei_source`` is a p5subset.xml path or URL (default: see :mod:`corresptei.odd.source`);
    ``keep_intermediate`` a folder that receives the output of every stage;
    ``schema_ident`` picks a schemaSpec when the ODD holds several;
    ``strict=False`` turns references to nonexistent components into warnings.
    """
    path = os.fspath(odd_path)
    odd = read_odd(path)
    source = source_for(odd, path, tei_source)
    expanded, warnings = expand_odd(odd, path, source, schema_ident, strict)
    pruned = prune_odd(expanded, source)
    rng = build_relaxng(pruned, path)
    schematron = build_schematron(pruned)
    html = build_html(pruned)
    result = CompiledSchema(
        ident=expanded.getroot().get("ident"),
        expanded_odd=expanded,
        pruned_odd=pruned,
        rng=rng,
        schematron=schematron,
        html=html,
        warnings=warnings,
    )
    if keep_intermediate is not None:
        trees = (expanded, pruned, rng, schematron, html)
        for (stage, filename), tree in zip(STAGES, trees, strict=True):
            atomic_write_bytes(Path(keep_intermediate) / filename, serialize(tree, html=stage == "html"))
    return result
