"""corpus.extract against its definition: XPath/ElementPath selections, read literally.

``extract`` walks the tree its own (faster) way; the reference below says what it
must select, in the words of the corpus module's docstring.  They must agree on
every field, in order, for the test cases, the real letters and a document made
of the awkward corners.  Records reach the corpus pass in three ways (from a
worker, from the cache, read in the pass itself); all give the same findings.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from corresptei.validate import corpus
from corresptei.validate.corpus import NS, POINTER_ATTRS, TEI, XML_ID, Record, extract
from corresptei.validate.security import parse_document

from .conftest import CASES, REPO

_IDS = etree.XPath("//@xml:id")
_POINTERS = etree.XPath("|".join(f"//@{a}" for a in POINTER_ATTRS))


def _body_text(el: etree._Element) -> list[str]:
    out = [el.text] if el.text else []
    for child in el:
        if isinstance(child.tag, str) and child.tag not in (f"{{{TEI}}}head", f"{{{TEI}}}note"):
            out += _body_text(child)
        if child.tail:
            out.append(child.tail)
    return out


def reference_extract(tree: etree._ElementTree, file: str) -> Record:
    """The record by the selections the corpus checks are specified with."""
    root = tree.getroot()
    rec = Record(file=file, root_id=root.get(XML_ID))
    for value in _IDS(root):
        rec.ids.setdefault(str(value), value.getparent().sourceline or 0)
    for value in _POINTERS(root):
        el = value.getparent()
        rec.pointers += [(value.attrname, tok, etree.QName(el).localname, el.sourceline or 0) for tok in value.split()]
    for ref in root.iterfind(".//t:correspDesc/t:correspContext/t:ref", NS):
        kind, target = ref.get("type"), ref.get("target")
        if target and kind == "prev" and rec.prev is None:
            rec.prev = (target, ref.sourceline or 0)
        elif target and kind == "next" and rec.next is None:
            rec.next = (target, ref.sourceline or 0)
        elif target and kind in ("sameDocument", "sameAs"):
            rec.same_document += target.split()
    date = root.find(".//t:correspDesc/t:correspAction[@type='sent']/t:date", NS)
    if date is not None:
        rec.sent = date.get("when") or date.get("notBefore") or date.get("from")
    for ms in root.iterfind(".//t:sourceDesc//t:msDesc", NS):
        rec.same_document += (ms.get("sameAs") or "").split()
        for ref in ms.iterfind(".//t:note[@type='shared-sheets']//t:ref[@target]", NS):
            rec.same_document += ref.get("target").split()
        ident = ms.find("t:msIdentifier", NS)
        parts = {i.get("type"): (i.text or "").strip() for i in ident.iter(f"{{{TEI}}}idno")
                 if i.get("type")} if ident is not None else {}
        if all(parts.get(k) for k in ("fond", "opis", "delo")):
            for locus in ms.iterfind(".//t:locus", NS):
                start = locus.get("from") or locus.get("to")
                if start:
                    rec.loci.append((parts["fond"], parts["opis"], parts["delo"], start,
                                     locus.get("to") or start, locus.sourceline or 0))
    body = root.find("t:text/t:body", NS)
    if body is not None:
        text = " ".join(" ".join(_body_text(body)).split()).lower()
        if len(text) >= 40:
            rec.text_hash = hashlib.sha256(text.encode()).hexdigest()
            rec.body_line = body.sourceline or 0
    return rec


AWKWARD = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:x="urn:other" xml:id="L1" corresp="#w1 #edition">
 <teiHeader><fileDesc><sourceDesc>
  <msDesc xml:id="w1" sameAs="b.xml  c.xml#w2">
   <msIdentifier><idno type="shelfmark"><idno type="fond"> 82 </idno><idno type="opis">2</idno>
     <idno type="delo">1424</idno></idno></msIdentifier>
   <msItem><locus from="3" to="4"/><locus to="7"/><locus/>
    <note type="shared-sheets">Also <note type="shared-sheets"><ref target="d.xml e.xml"/></note>
     <ref target=""/><ref>no target</ref></note></msItem>
   <msDesc sameAs="f.xml"><msIdentifier><idno type="fond">1</idno><idno type="opis">1</idno>
     <idno type="delo">1</idno></msIdentifier><locus from="9"/></msDesc>
  </msDesc>
  <sourceDesc><msDesc xml:id="w2" sameAs="z.xml"><msIdentifier><idno type="fond">5</idno></msIdentifier></msDesc></sourceDesc>
 </sourceDesc></fileDesc>
 <profileDesc>
  <correspDesc>
   <correspAction type="sent"/>
   <correspAction type="received"><date when="1900-01-01"/></correspAction>
   <correspContext><ref type="prev" target=""/><ref type="next" target="n.xml"/><ref type="next" target="m.xml"/>
    <ref type="sameDocument" target="g.xml  h.xml"/><ref type="sameAs" target="i.xml"/></correspContext>
  </correspDesc>
  <correspDesc>
   <correspAction type="sent"><date notBefore="1931-09-01" from="1931-08-01"/></correspAction>
   <correspContext><ref type="prev" target="p.xml"/></correspContext>
  </correspDesc>
 </profileDesc></teiHeader>
 <text><body xml:id="body">Dear<!-- a comment --> friend,<?pi data?>
  <head>Editorial <note>inside head</note> heading</head> after head
  <div><p xml:id="p1" ref="persons.xml#a" x:ref="#nope" target="#p1 #w9" resp="#mt" x:target="#n">wor<hi>ld</hi>
   is\u00a0wide\u2009and\tΟΔΟΣ ΑΣ <note place="foot">a note <note>in a note</note></note>tail of note
   <x:note>foreign notes count</x:note><head xmlns="">so do heads in no namespace</head></p>
   <p xml:id="p2" sameAs="#p1" prev="a.xml" next="b.xml" corresp="file:c.xml#x   http://e.org/y"/></div>
 </body><body>a second body is not the letter</body></text>
</TEI>
"""


def _records(path: Path) -> tuple[Record, Record]:
    tree, refused = parse_document(path)
    assert tree is not None, refused
    return extract(tree, str(path)), reference_extract(tree, str(path))


# Every case the parser accepts (the xml-* cases are refused before any record is made).
PARSED = [p for p in sorted(CASES.rglob("*.xml")) + sorted((REPO / "tei").glob("*.xml"))[:20]
          if not p.name.startswith("xml-")]


@pytest.mark.parametrize("path", PARSED, ids=lambda p: p.name)
def test_extract_matches_its_definition(path: Path) -> None:
    got, want = _records(path)
    assert got.to_dict() == want.to_dict()


def test_extract_matches_its_definition_in_the_corners(tmp_path: Path) -> None:
    path = tmp_path / "awkward.xml"
    path.write_text(AWKWARD, encoding="utf-8")
    got, want = _records(path)
    assert got.to_dict() == want.to_dict()
    # the corners were reached
    assert (got.prev, got.next, got.sent) == (("p.xml", 24), ("n.xml", 19), "1931-09-01")
    assert got.pointers[:3] == [("corresp", "#w1", "TEI", 2), ("corresp", "#edition", "TEI", 2),
                                ("sameAs", "b.xml", "msDesc", 4)]
    assert ("ref", "persons.xml#a", "p", 29) in got.pointers
    assert not any(p[1] in ("#nope", "#n") for p in got.pointers)  # x:ref, x:target are not pointers
    # ElementPath's ".//a//b" yields b once per a above it: nested notes, nested sourceDescs
    assert got.same_document.count("d.xml") == 2 and got.same_document.count("z.xml") == 2
    assert [x[3:] for x in got.loci] == [("3", "4", 7), ("7", "7", 7), ("9", "9", 11), ("9", "9", 11)]
    assert got.ids["p1"] == 29 and got.text_hash is not None


WHITESPACE = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]


def test_every_whitespace_but_the_space_is_unprintable() -> None:
    """What corpus._normalize_space relies on to skip splitting printable text."""
    assert [c for c in WHITESPACE if c.isprintable()] == [" "]


@given(st.lists(st.sampled_from(["a", "Σ", "é", " ", "  ", "\u00a0", "\t", "\n", "\u3000", "x y"]), max_size=30))
def test_normalize_space_is_split_and_join(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert corpus._normalize_space(text) == " ".join(text.split())


@pytest.mark.parametrize("case", ["corpus-prev-next-mismatch", "corpus-duplicate-id", "corpus-overlapping-sheets"])
def test_corpus_pass_takes_records_stored_dicts_and_unread_files_alike(case: str) -> None:
    """Records from workers, dicts from the cache, files outside --changed read in the pass: same findings."""
    from corresptei.validate.runner import _corpus_findings, collect_files
    from corresptei.validate.security import DEFAULT_LIMITS

    files = collect_files([CASES / case])
    assert len(files) >= 3
    records = {f: extract(parse_document(f)[0], f) for f in files}
    everything = list(_corpus_findings(files, files, records, DEFAULT_LIMITS))
    assert everything
    mixed = {files[0]: records[files[0]], files[1]: records[files[1]].to_dict()}  # the rest: unread
    assert list(_corpus_findings(files, files, mixed, DEFAULT_LIMITS)) == everything
    for changed in ([files[0]], files[1:]):
        got = list(_corpus_findings(files, changed, {f: mixed.get(f, records[f]) for f in changed}, DEFAULT_LIMITS))
        assert got == [f for f in everything if f.file in changed]


def test_a_pointer_checked_once_per_folder_still_fails_where_it_should() -> None:
    """The corpus pass remembers (folder, pointer) pairs that resolved in another file;
    a pointer into the letter itself, or one that does not resolve, is checked every time."""
    persons = Record(file="tei/persons.xml", ids={"stalin": 3})
    a = Record(file="tei/a.xml", ids={"x": 2},
               pointers=[("ref", "persons.xml#stalin", "persName", 5), ("target", "a.xml#x", "ref", 6)])
    b = Record(file="tei/b.xml", ids={"y": 2},
               pointers=[("ref", "persons.xml#stalin", "persName", 7), ("target", "a.xml#x", "ref", 8),
                         ("target", "b.xml#x", "ref", 9), ("ref", "persons.xml#stalin2", "persName", 10)])
    found = [(f.file, f.line) for f in corpus.check_corpus([persons, a, b])]
    assert found == [("tei/b.xml", 9), ("tei/b.xml", 10)]


def test_a_prev_link_confirmed_from_the_other_end_is_not_checked_again() -> None:
    a = Record(file="tei/a.xml", next=("b.xml", 3), sent="1931-09-01")
    b = Record(file="tei/b.xml", prev=("a.xml", 3), next=("c.xml", 4), sent="1931-09-02")
    c = Record(file="tei/c.xml", prev=("./b.xml", 3), sent="1931-09-03")
    d = Record(file="tei/d.xml", prev=("a.xml", 5), sent="1931-09-04")  # a's next is b, not d
    e = Record(file="tei/e.xml", prev=("#e", 6))  # an id, not a file
    found = [(f.file, f.line, f.rule) for f in corpus.check_corpus([e, d, c, b, a])]
    assert found == [("tei/d.xml", 5, "prev-next-mismatch"), ("tei/e.xml", 6, "prev-next-target")]


@given(st.lists(st.sampled_from(["tei", "a b", "..", ".", "", "x.xml", "é", "persons.xml"]), min_size=1, max_size=5),
       st.booleans())
def test_a_corpus_key_is_the_absolute_normalised_path(parts: list[str], absolute: bool) -> None:
    path = ("/" if absolute else "") + "/".join(parts)
    if not path:
        return
    keys = corpus.Corpus([])
    import os

    assert keys.key(path) == os.path.normcase(os.path.abspath(path))
    assert keys.key(path) == keys.key(path)  # remembered


@given(st.sampled_from(["tei/a.xml", "a.xml", "/abs/tei/a.xml", "tei/sub/../b.xml", "./tei/c.xml"]),
       st.sampled_from(["b.xml", "./b.xml", "../x/b.xml", "sub/b.xml", "b.xml#n1", "#n1", "", ".", "..", "a b.xml",
                        "é.xml", "http://example.org/b.xml", "file:///tmp/b.xml", "file:b.xml", "urn:x", "b.xml#"]))
def test_the_key_of_a_target_is_the_key_of_the_file_it_resolves_to(file: str, target: str) -> None:
    """A bare file name's key comes from its folder's key without path arithmetic: it must be
    the key the general path gives (absolute, normalised) for every kind of target."""
    keys = corpus.Corpus([])
    rec = Record(file=file)
    path = keys.resolve(rec, target)[0]
    assert keys.target_key(rec, target) == (keys.key(path) if path is not None else None)
