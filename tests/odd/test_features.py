"""The ODD language, feature by feature: small customisations compiled by us and checked
by validating tiny documents with lxml (each expectation stated in TEI terms)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from corresptei.odd import compile_odd
from corresptei.odd.relaxng import repeat

TEI_NS = "http://www.tei-c.org/ns/1.0"

ODD = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:rng="http://relaxng.org/ns/structure/1.0"
     xmlns:sch="http://purl.oclc.org/dsdl/schematron">
  <teiHeader><fileDesc><titleStmt><title>feature test</title></titleStmt>
    <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc></fileDesc></teiHeader>
  <text><body>
    <schemaSpec ident="feature" start="TEI" {attrs}>
      <moduleRef key="tei"/><moduleRef key="core"/><moduleRef key="header"/><moduleRef key="textstructure"/>
      {specs}
    </schemaSpec>
    {extra}
  </body></text>
</TEI>
"""

DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<text><body>{body}</body></text></TEI>"""


@pytest.fixture
def build(tmp_path: Path, tei_source: Path):
    def make(specs: str, attrs: str = "", extra: str = ""):
        path = tmp_path / "feature.odd"
        path.write_text(ODD.format(specs=specs, attrs=attrs, extra=extra), encoding="utf-8")
        return compile_odd(path, tei_source=tei_source)

    return make


def valid(compiled, body: str) -> bool:
    return etree.RelaxNG(compiled.rng).validate(etree.fromstring(DOC.format(body=body)))


def test_class_attribute_changed_on_one_element_along_the_chain(build):
    # p inherits @rend through att.global -> att.global.rendition; only p's @rend becomes a closed list
    compiled = build("""<elementSpec ident="p" mode="change"><attList>
        <attDef ident="rend" mode="change"><valList type="closed" mode="add"><valItem ident="bold"/></valList></attDef>
      </attList></elementSpec>""")
    assert valid(compiled, '<p rend="bold">x</p>')
    assert not valid(compiled, '<p rend="italic">x</p>')
    assert valid(compiled, '<p><hi rend="italic">x</hi></p>')
    assert valid(compiled, '<p style="color:red" xml:id="a1">x</p>')  # the rest of the chain is kept


def test_inherited_attribute_deleted_on_one_element(build):
    compiled = build("""<elementSpec ident="p" mode="change"><attList>
        <attDef ident="xml:lang" mode="delete"/></attList></elementSpec>""")
    assert not valid(compiled, '<p xml:lang="en">x</p>')
    assert valid(compiled, '<p n="1">x</p>')
    assert valid(compiled, '<head xml:lang="en">x</head><p>x</p>')


def test_class_attribute_deleted_from_the_class(build):
    compiled = build("""<classSpec ident="att.global" type="atts" mode="change"><attList>
        <attDef ident="n" mode="delete"/></attList></classSpec>""")
    assert not valid(compiled, '<p n="1">x</p>')
    assert valid(compiled, '<p xml:id="x1">x</p>')


def test_closed_value_list_items_added_and_deleted(build):
    compiled = build("""<elementSpec ident="title" mode="change"><attList>
        <attDef ident="level" mode="change"><valList mode="change">
          <valItem ident="u" mode="delete"/><valItem ident="x" mode="add"/>
        </valList></attDef></attList></elementSpec>""")
    assert valid(compiled, '<p><title level="x">t</title></p>')
    assert valid(compiled, '<p><title level="m">t</title></p>')
    assert not valid(compiled, '<p><title level="u">t</title></p>')


def test_value_list_replaced_by_a_semi_open_one(build):
    compiled = build("""<elementSpec ident="title" mode="change"><attList>
        <attDef ident="level" mode="change"><valList type="semi" mode="replace"><valItem ident="q"/></valList>
        <datatype><dataRef key="teidata.enumerated"/></datatype></attDef></attList></elementSpec>""")
    assert valid(compiled, '<p><title level="anything">t</title></p>')
    assert not valid(compiled, '<p><title level="two words">t</title></p>')


def test_membership_deleted_removes_element_from_the_class(build):
    compiled = build("""<elementSpec ident="hi" mode="change"><classes mode="change">
        <memberOf key="model.hiLike" mode="delete"/></classes></elementSpec>""")
    assert not valid(compiled, "<p><hi>x</hi></p>")
    assert valid(compiled, "<p><emph>x</emph></p>")


def test_classes_replaced(build):
    compiled = build("""<elementSpec ident="emph" mode="change"><classes>
        <memberOf key="model.pLike"/></classes></elementSpec>""")
    assert valid(compiled, "<emph>x</emph>")
    assert not valid(compiled, "<p><emph>x</emph></p>")


def test_element_deleted_and_references_pruned(build):
    compiled = build('<elementSpec ident="hi" mode="delete"/>')
    assert not valid(compiled, "<p><hi>x</hi></p>")
    assert not any(d.get("name") == "hi" for d in compiled.rng.getroot())


def test_pure_odd_content_with_occurrences_and_class_expansion(build):
    compiled = build("""
      <classSpec ident="model.part" type="model"/>
      <elementSpec ident="partA"><classes><memberOf key="model.part"/></classes><content><textNode/></content></elementSpec>
      <elementSpec ident="partB"><classes><memberOf key="model.part"/></classes><content><textNode/></content></elementSpec>
      <elementSpec ident="partC"><classes><memberOf key="model.part"/></classes><content><textNode/></content></elementSpec>
      <elementSpec ident="seq"><classes><memberOf key="model.pLike"/></classes>
        <content><classRef key="model.part" expand="sequence" except="partC"/></content></elementSpec>
      <elementSpec ident="few"><classes><memberOf key="model.pLike"/></classes>
        <content><elementRef key="partA" minOccurs="2" maxOccurs="3"/></content></elementSpec>
      <elementSpec ident="alt"><classes><memberOf key="model.pLike"/></classes>
        <content><alternate><classRef key="model.part" include="partC"/><empty/></alternate></content></elementSpec>
      <elementSpec ident="some"><classes><memberOf key="model.pLike"/></classes>
        <content><classRef key="model.part" expand="sequenceOptionalRepeatable"/></content></elementSpec>
    """)
    ns = f' xmlns="{TEI_NS}"'
    assert valid(compiled, f"<seq{ns}><partA>a</partA><partB>b</partB></seq>")
    assert not valid(compiled, "<seq><partB>b</partB><partA>a</partA></seq>")
    assert not valid(compiled, "<seq><partA>a</partA><partB>b</partB><partC>c</partC></seq>")
    assert not valid(compiled, "<few><partA/></few>")
    assert valid(compiled, "<few><partA/><partA/></few>")
    assert valid(compiled, "<few><partA/><partA/><partA/></few>")
    assert not valid(compiled, "<few><partA/><partA/><partA/><partA/></few>")
    assert valid(compiled, "<alt><partC/></alt>") and valid(compiled, "<alt/>")
    assert not valid(compiled, "<alt><partA/></alt>")
    assert valid(compiled, "<some><partA/><partA/><partC/></some>")
    assert not valid(compiled, "<some><partC/><partA/></some>")


def test_datatypes_restriction_and_list(build):
    compiled = build("""<elementSpec ident="num" mode="change"><attList>
        <attDef ident="digits" mode="add"><datatype minOccurs="1" maxOccurs="2">
          <dataRef name="token" restriction="[0-9]+"/></datatype></attDef></attList></elementSpec>""")
    assert valid(compiled, '<p><num digits="12">x</num></p>')
    assert valid(compiled, '<p><num digits="1 2">x</num></p>')
    assert not valid(compiled, '<p><num digits="1 2 3">x</num></p>')
    assert not valid(compiled, '<p><num digits="a">x</num></p>')


def test_spec_group_alien_namespace_and_renamed_element(build):
    compiled = build(
        """<specGrpRef target="#extras"/>
        <elementSpec ident="emph" mode="change"><altIdent>betont</altIdent></elementSpec>""",
        extra="""<specGrp xml:id="extras">
          <elementSpec ident="alien" ns="http://example.org/alien"><classes><memberOf key="model.pLike"/></classes>
            <content><anyElement require="http://example.org/other" minOccurs="0"/></content></elementSpec>
        </specGrp>""",
    )
    assert valid(compiled, "<p><betont>x</betont></p>")
    assert not valid(compiled, "<p><emph>x</emph></p>")
    assert valid(compiled, '<alien xmlns="http://example.org/alien"><o:x xmlns:o="http://example.org/other" a="1"/></alien>')
    assert not valid(compiled, '<alien xmlns="http://example.org/alien"><p xmlns="http://www.tei-c.org/ns/1.0"/></alien>')


def test_external_relaxng_module(build, tmp_path: Path):
    (tmp_path / "extra.rng").write_text(
        """<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://example.org/x">
             <start><ref name="x.root"/></start>
             <define name="x.root"><element name="box"><text/></element></define></grammar>""",
        encoding="utf-8",
    )
    compiled = build("""<moduleRef url="extra.rng"><content>
        <rng:define name="model.pLike" combine="choice"><rng:ref name="x.root"/></rng:define></content></moduleRef>""")
    assert valid(compiled, '<box xmlns="http://example.org/x">text</box>')
    assert not valid(compiled, '<box>text</box>')


def test_prefix_and_start(build):
    compiled = build("", attrs='prefix="tei_"')
    names = {d.get("name") for d in compiled.rng.getroot() if d.get("name")}
    assert "tei_p" in names and "p" not in names
    assert valid(compiled, "<p>x</p>")


def test_constraints_become_schematron_rules(build):
    compiled = build("""<elementSpec ident="p" mode="change">
        <constraintSpec ident="p-not-empty" scheme="schematron"><constraint>
          <sch:assert test="normalize-space(.)">A paragraph needs text.</sch:assert></constraint></constraintSpec>
        <attList><attDef ident="n" mode="change"><constraintSpec ident="n-numeric" scheme="schematron"><constraint>
          <sch:assert test=". castable as xs:integer">@n must be a number.</sch:assert></constraint></constraintSpec>
        </attDef></attList></elementSpec>""")
    sch = "{http://purl.oclc.org/dsdl/schematron}"
    contexts = {r.get("context") for r in compiled.schematron.iter(f"{sch}rule")}
    assert {"tei:p", "tei:p/@n"} <= contexts
    assert compiled.schematron.getroot().get("queryBinding") == "xslt2"
    assert not list(compiled.schematron.iter(f"{sch}param"))  # abstract patterns are expanded
    assert any(n.get("prefix") == "tei" for n in compiled.schematron.iter(f"{sch}ns"))


@pytest.mark.parametrize(
    ("lo", "hi", "shape"),
    [(1, 1, "ref"), (0, 1, "optional"), (0, None, "zeroOrMore"), (1, None, "oneOrMore"), (2, 3, "group")],
)
def test_repeat_shapes(lo, hi, shape):
    pattern = repeat(etree.Element("{http://relaxng.org/ns/structure/1.0}ref", name="x"), lo, hi)
    assert etree.QName(pattern).localname == shape


def test_odd_chaining_through_schemaspec_source(shared, tei_source, tmp_path):
    # an ODD whose @source is another customisation's expanded ODD sees only what that one kept
    mother = compile_odd(shared / "tei" / "reference" / "tei_lite.odd", tei_source=tei_source)
    mother.expanded_odd.write(str(tmp_path / "lite.expanded.xml"))
    child = tmp_path / "child.odd"
    child.write_text(ODD.format(specs="", attrs='source="lite.expanded.xml"', extra=""), encoding="utf-8")
    compiled = compile_odd(child, tei_source=tei_source)
    defined = {d.get("name") for d in compiled.rng.getroot() if d.get("name")}
    assert "p" in defined and "hi" in defined
    assert "said" not in defined  # in TEI's core, but not in tei_lite's
    assert valid(compiled, "<p>x</p>")


def test_deletion_markers_in_replacing_lists_are_not_members(build):
    compiled = build("""<elementSpec ident="hi" mode="change"><classes>
        <memberOf key="model.hiLike" mode="delete"/><memberOf key="model.emphLike"/></classes></elementSpec>
      <elementSpec ident="title" mode="change"><attList><attDef ident="level" mode="change">
        <valList type="closed" mode="replace"><valItem ident="m"/><valItem ident="a" mode="delete"/></valList>
      </attDef></attList></elementSpec>""")
    assert valid(compiled, "<p><hi>x</hi></p>")  # still phrase-level, through model.emphLike
    hi = next(s for s in compiled.expanded_odd.getroot() if s.get("ident") == "hi")
    assert [m.get("key") for m in hi.iter(f"{{{TEI_NS}}}memberOf")] == ["model.emphLike"]
    assert valid(compiled, '<p><title level="m">t</title></p>')
    assert not valid(compiled, '<p><title level="a">t</title></p>')
