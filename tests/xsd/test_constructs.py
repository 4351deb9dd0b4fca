"""One tiny RELAX NG schema per construct: convert, then validate good and bad documents.

``exact`` checks that RELAX NG and both XSD validators give the expected verdict.
``relaxed`` documents are rejected by RELAX NG but accepted by the XSD, as the recorded
relaxation says.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ._xsd_tiny import Tiny, doc, tiny

from corresptei.errors import XsdConversionError
from corresptei.odd.xsd import rng_to_xsd

XS = "{http://www.w3.org/2001/XMLSchema}"


def exact(t: Tiny, good: list[str], bad: list[str]) -> None:
    for xml in good:
        assert t.verdicts(xml) == (True, True, True), xml
    for xml in bad:
        assert t.verdicts(xml) == (False, False, False), xml


def relaxed(t: Tiny, xml: str) -> None:
    assert t.verdicts(xml) == (False, True, True), xml


def test_define_ref_become_named_type_and_group(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><ref name="r"/></start>
      <define name="r"><element name="r"><ref name="model.x"/></element></define>
      <define name="model.x"><oneOrMore><choice><ref name="a"/><ref name="b"/></choice></oneOrMore></define>
      <define name="a"><element name="a"><empty/></element></define>
      <define name="b"><element name="b"><empty/></element></define>""")
    exact(t, [doc("<a/>"), doc("<b/><a/><a/>")], [doc(""), doc("<c/>"), doc("", root="a")])
    xsd = etree.fromstring(t.result[t.result.main])
    assert xsd.find(f"{XS}group[@name='model.x']") is not None
    assert xsd.find(f"{XS}simpleType[@name='a']") is not None  # empty content, no attributes
    assert [e.get("name") for e in xsd.findall(f"{XS}element")] == ["r"]
    assert t.kinds == []


def test_group_is_a_sequence(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><element name="a"><empty/></element>
        <element name="b"><empty/></element></element></start>""")
    exact(t, [doc("<a/><b/>")], [doc("<b/><a/>"), doc("<a/>"), doc("<a/><b/><b/>")])


def test_choice(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><choice><element name="a"><empty/></element>
        <group><element name="b"><empty/></element><element name="c"><empty/></element></group>
      </choice></element></start>""")
    exact(t, [doc("<a/>"), doc("<b/><c/>")], [doc(""), doc("<a/><b/><c/>"), doc("<b/>")])


def test_occurrence_operators(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r">
        <optional><element name="a"><empty/></element></optional>
        <oneOrMore><element name="b"><empty/></element></oneOrMore>
        <zeroOrMore><element name="c"><empty/></element></zeroOrMore>
      </element></start>""")
    exact(
        t,
        [doc("<b/>"), doc("<a/><b/><b/><c/><c/>")],
        [doc("<a/>"), doc("<a/><a/><b/>"), doc("<b/><c/><b/>")],
    )


def test_interleave_of_single_elements_becomes_xs_all(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><interleave>
        <element name="a"><empty/></element><optional><element name="b"><empty/></element>
        </optional><element name="c"><empty/></element></interleave></element></start>""")
    exact(t, [doc("<a/><b/><c/>"), doc("<c/><b/><a/>"), doc("<c/><a/>")],
          [doc("<a/>"), doc("<a/><a/><c/>"), doc("<a/><b/><c/><b/>")])
    assert "<xs:all>" in t.main_text
    assert t.kinds == []


def test_other_interleave_is_relaxed_to_repeatable_choice(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><element name="x"><empty/></element><interleave>
        <element name="a"><empty/></element><element name="b"><empty/></element>
      </interleave></element></start>""")
    exact(t, [doc("<x/><a/><b/>"), doc("<x/><b/><a/>")], [doc("<x/>"), doc("<a/><b/>")])
    relaxed(t, doc("<x/><a/><a/>"))
    assert t.kinds == ["interleave"]


def test_interleave_with_repeats_is_relaxed(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><interleave>
        <oneOrMore><element name="a"><empty/></element></oneOrMore>
        <element name="b"><empty/></element></interleave></element></start>""")
    exact(t, [doc("<a/><b/><a/>"), doc("<b/><a/>")], [doc(""), doc("<c/>")])
    relaxed(t, doc("<a/><b/><b/>"))
    relaxed(t, doc("<b/>"))
    assert t.kinds == ["interleave"]


def test_mixed_and_text(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><mixed><zeroOrMore><element name="a"><text/></element>
        </zeroOrMore></mixed></element></start>""")
    exact(t, [doc("x<a>y</a>z<a/>"), doc("")], [doc("<a><a/></a>"), doc("<b/>")])
    assert t.kinds == []


def test_text_in_part_of_the_content_makes_it_mixed(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><choice><text/><element name="a"><empty/></element>
      </choice></element></start>""")
    exact(t, [doc("x"), doc("<a/>")], [doc("<a/><a/>")])
    relaxed(t, doc("x<a/>"))
    assert t.kinds == ["mixed"]


def test_empty_content(tmp_path: Path) -> None:
    t = tiny(tmp_path, """<start><element name="r"><empty/></element></start>""")
    exact(t, [doc(""), doc(" \n\t")], [doc("x"), doc("<r/>")])  # RELAX NG allows whitespace


def test_not_allowed_branch_disappears(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><choice><ref name="gone"/>
        <element name="a"><empty/></element></choice></element></start>
      <define name="gone"><notAllowed/></define>""")
    exact(t, [doc("<a/>")], [doc("")])
    assert "gone" not in t.main_text


def test_data_with_params(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><attribute name="n"><data type="integer">
        <param name="minInclusive">2</param></data></attribute>
        <data type="token"><param name="pattern">[a-z]+</param><param name="minLength">2</param>
        <param name="pattern">.*q.*</param></data></element></start>""")
    exact(
        t,
        [doc("aqz", attrs='n="3"'), doc("qq", attrs='n="2"')],
        [doc("aqz", attrs='n="1"'), doc("q", attrs='n="3"'), doc("abc", attrs='n="3"'),
         doc("aQz", attrs='n="x"')],
    )


def test_values_become_enumerations(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><attribute name="v"><choice><value>yes</value>
        <value>no</value><value type="integer">1</value></choice></attribute>
        <choice><value type="string">a b</value><value>c</value></choice></element></start>""")
    exact(
        t,
        [doc("a b", attrs='v="yes"'), doc(" c ", attrs='v=" no "'), doc("c", attrs='v="01"')],
        [doc("a  b", attrs='v="yes"'), doc("c", attrs='v="maybe"'), doc("d", attrs='v="no"')],
    )


def test_list_becomes_xs_list(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><attribute name="l"><list><oneOrMore>
        <data type="integer"/></oneOrMore></list></attribute>
        <attribute name="pair"><list><data type="double"/><data type="double"/></list>
        </attribute></element></start>""")
    exact(
        t,
        [doc("", attrs='l="1 2 3" pair="1 2.5"'), doc("", attrs='l="4" pair=" 0 0 "')],
        [doc("", attrs='l="" pair="1 2"'), doc("", attrs='l="x" pair="1 2"'),
         doc("", attrs='l="1" pair="1"'), doc("", attrs='l="1" pair="1 2 3"')],
    )


def test_attributes_required_optional_and_namespaced(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><attribute name="id"><text/></attribute>
        <optional><attribute name="o:x"><data type="boolean"/></attribute></optional>
        <optional><attribute name="xml:lang"><data type="language"/></attribute></optional>
      </element></start>""")
    exact(
        t,
        [doc("", attrs='id="a" o:x="true" xml:lang="de"'), doc("", attrs='id=""')],
        [doc(""), doc("", attrs='id="a" o:x="maybe"'), doc("", attrs='id="a" x="1"'),
         doc("", attrs='id="a" xml:lang="not a language"')],
    )
    assert set(t.result) == {"tiny.xsd", "tiny-o.xsd", "tiny-xml.xsd"}


def test_attribute_name_class_becomes_any_attribute(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><zeroOrMore><attribute><anyName/></attribute></zeroOrMore>
      </element></start>""")
    exact(t, [doc("", attrs='a="1" o:b="2"'), doc("")], [doc("<x/>")])
    assert t.kinds == []


def test_attribute_choice_is_relaxed(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><choice><attribute name="a"/><attribute name="b"/></choice>
      </element></start>""")
    exact(t, [doc("", attrs='a="1"'), doc("", attrs='b="1"')], [doc("", attrs='c="1"')])
    relaxed(t, doc("", attrs='a="1" b="2"'))
    relaxed(t, doc(""))
    assert t.kinds == ["attribute-choice"]


def test_any_name_except_namespace_becomes_wildcards(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><zeroOrMore><ref name="any"/></zeroOrMore></element></start>
      <define name="any"><element><anyName><except><nsName/></except></anyName>
        <zeroOrMore><attribute><anyName/></attribute></zeroOrMore>
        <zeroOrMore><choice><text/><ref name="any"/></choice></zeroOrMore></element></define>""")
    exact(
        t,
        [doc("<o:x a='1'><y xmlns=''>t<o:r/></y></o:x><z xmlns=''/>")],
        [doc("<r/>"), doc("<o:x/><q/>")],
    )
    relaxed(t, doc("<o:x><r/></o:x>"))  # descendants of a skipped element are not checked
    assert t.kinds == ["wildcard-content"]
    assert 'namespace="##other"' in t.main_text and 'namespace="##local"' in t.main_text


def test_ns_name_with_except_is_recorded(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><element><nsName ns="urn:other"><except>
        <name ns="urn:other">no</name></except></nsName><empty/></element></element></start>""")
    exact(t, [doc("<o:yes/>")], [doc("<yes/>")])
    relaxed(t, doc("<o:no/>"))
    assert "name-class" in t.kinds


def test_foreign_element_gets_its_own_schema(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><element name="o:x"><attribute name="n"/>
        <element name="y"><empty/></element></element></element></start>""")
    exact(t, [doc('<o:x n="1"><y/></o:x>')], [doc("<o:x><y/></o:x>"), doc('<x n="1"><y/></x>')])
    assert "tiny-o.xsd" in t.result


def test_start_elements_by_name_choice_and_in_other_namespaces(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><choice><element><choice><name>r</name><name>s</name></choice><empty/></element>
        <element name="o:top"><empty/></element></choice></start>""")
    exact(t, [doc(""), doc("", root="s"), '<o:top xmlns:o="urn:other"/>'],
          [doc("", root="t"), '<o:s xmlns:o="urn:other"/>'])


def test_merged_foreign_declarations_accept_any_content(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><element name="x"><element name="o:e"><attribute name="a"/>
        </element></element><element name="y"><element name="o:e"><element name="z">
        <empty/></element></element></element></element></start>""")
    exact(t, [doc('<x><o:e a="1"/></x><y><o:e><z/></o:e></y>')], [doc("<x/><y/>")])
    relaxed(t, doc('<x><o:e b="1"><q/></o:e></x><y><o:e/></y>'))
    assert t.kinds == ["foreign-element"]


def test_documentation_becomes_annotation(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><a:documentation>The root.</a:documentation>
        <attribute name="n"><a:documentation>A number.</a:documentation><text/></attribute>
      </element></start>""")
    xsd = etree.fromstring(t.result[t.result.main])
    docs = [d.text for d in xsd.iter(f"{XS}documentation")]
    assert docs == ["The root.", "A number."]


def test_upa_violation_is_repaired(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><optional><element name="a"><empty/></element></optional>
        <element name="a"><empty/></element><element name="b"><empty/></element></element>
      </start>""")
    exact(t, [doc("<a/><b/>"), doc("<a/><a/><b/>")], [doc("<b/>"), doc("<b/><a/>")])
    relaxed(t, doc("<a/><a/><a/><b/>"))  # (a?, a) became a+
    assert t.kinds == ["upa"]


def test_edc_violation_is_repaired(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><choice>
        <element name="a"><attribute name="x"/></element>
        <element name="a"><attribute name="y"/></element></choice></element></start>""")
    exact(t, [doc('<a x="1"/>'), doc('<a y="1"/>')], [doc(""), doc("<b/>")])
    relaxed(t, doc('<a z="1"/>'))
    assert t.kinds == ["edc"]


def test_only_start_elements_can_be_the_document_element(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><ref name="a"/></element></start>
      <define name="a"><element name="a"><empty/></element></define>""")
    exact(t, [doc("<a/>")], [doc("", root="a")])


def test_include_div_combine_and_nested_grammar(tmp_path: Path) -> None:
    (tmp_path / "lib.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="urn:t">'
        '<define name="item"><element name="a"><empty/></element></define>'
        '<define name="other"><element name="gone"><empty/></element></define></grammar>')
    (tmp_path / "ext.rng").write_text(
        '<element xmlns="http://relaxng.org/ns/structure/1.0" name="e" ns="urn:t"><empty/>'
        '</element>')
    main = tmp_path / "main.rng"
    main.write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="urn:t">'
        '<include href="lib.rng"><define name="other"><notAllowed/></define></include>'
        '<div><start><element name="r"><zeroOrMore><choice><ref name="item"/>'
        '<ref name="other"/><externalRef href="ext.rng"/>'
        '<grammar><start><element name="n"><parentRef name="item"/></element></start></grammar>'
        '</choice></zeroOrMore></element></start></div>'
        '<define name="item" combine="choice"><element name="b"><empty/></element></define>'
        '</grammar>')
    result = rng_to_xsd(main)
    folder = tmp_path / "out"
    folder.mkdir()
    for name, data in result.items():
        (folder / name).write_bytes(data)
    schema = etree.XMLSchema(etree.parse(str(folder / result.main)))
    rng = etree.RelaxNG(etree.parse(str(main)))
    for inner, ok in [("<a/><b/><e/><n><b/></n>", True), ("<gone/>", False), ("<n/>", False)]:
        instance = etree.ElementTree(etree.fromstring(doc(inner)))
        assert (rng.validate(instance), schema.validate(instance)) == (ok, ok), inner


def test_id_and_idref(tmp_path: Path) -> None:
    t = tiny(tmp_path, """
      <start><element name="r"><zeroOrMore><element name="e">
        <optional><attribute name="id"><data type="ID"/></attribute></optional>
        <optional><attribute name="to"><data type="IDREF"/></attribute></optional>
      </element></zeroOrMore></element></start>""")
    exact(t, [doc('<e id="a"/><e to="a"/>')], [doc('<e id="a"/><e id="a"/>')])
    # a dangling IDREF: lxml's RelaxNG and xmlschema reject it, libxml2's XMLSchema does not
    assert t.verdicts(doc('<e to="nowhere"/>')) == (False, True, False)


def test_output_is_deterministic(tmp_path: Path) -> None:
    body = """<start><element name="r"><attribute name="o:x"/><ref name="a"/></element></start>
      <define name="a"><element name="a"><choice><value>1</value><value>2</value></choice>
      </element></define>"""
    first = tiny(tmp_path, body).result
    second = tiny(tmp_path, body).result
    assert dict(first) == dict(second)
    assert list(first) == list(second)


def test_undefined_reference_is_an_error() -> None:
    bad = etree.fromstring(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="x"/></start>'
        '</grammar>')
    with pytest.raises(XsdConversionError, match="undefined pattern 'x'"):
        rng_to_xsd(bad)


def test_non_rng_input_is_an_error() -> None:
    with pytest.raises(XsdConversionError, match="not a RELAX NG schema"):
        rng_to_xsd(etree.fromstring("<schema/>"))


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(XsdConversionError, match="cannot read"):
        rng_to_xsd(tmp_path / "nope.rng")
