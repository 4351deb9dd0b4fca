"""The Schematron compiler: stages, ISO features, TEI's own tei_all.isosch, and its API."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from corresptei.validate.findings import Severity
from corresptei.validate.schematron import SchematronError, compile_schematron

from .conftest import CASES, SCHEMAS, shared_path

TEI = "http://www.tei-c.org/ns/1.0"
DOC = f"""<TEI xmlns="{TEI}" xml:id="d">
  <text>
    <body>
      <p n="1">one <date when="1931-09-01">1 Sept</date></p>
      <p>two <date when="1931-9">Sept</date></p>
    </body>
  </text>
</TEI>
""".encode()


def sch(body: str, binding: str = "xslt2", extra: str = "") -> bytes:
    return (f'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="{binding}" {extra}>'
            f'<ns prefix="t" uri="{TEI}"/>{body}</schema>').encode()


def rules(findings) -> list[tuple[int, str, str]]:
    return sorted((f.line, f.rule, str(f.severity)) for f in findings)


def test_assert_report_value_of_name_and_roles() -> None:
    v = compile_schematron(sch("""
      <pattern id="p">
        <rule context="t:date">
          <assert id="iso" test="matches(@when, '^\\d{4}-\\d{2}-\\d{2}$')">date <value-of select="@when"/> in <name path=".."/> is not ISO</assert>
          <report id="has-date" test="true()" role="info">a <name/></report>
        </rule>
        <rule context="t:p" role="warning">
          <assert id="numbered" test="@n">paragraph without @n</assert>
        </rule>
      </pattern>"""))
    found = v.validate(DOC, "doc.xml")
    assert rules(found) == [(4, "has-date", "info"), (5, "has-date", "info"), (5, "iso", "error"),
                            (5, "numbered", "warning")]
    iso = next(f for f in found if f.rule == "iso")
    assert iso.message == "date 1931-9 in p is not ISO"
    assert iso.xpath == "/TEI/text[1]/body[1]/p[2]/date[1]"
    assert next(f for f in found if f.rule == "has-date").message == "a date"


def test_first_matching_rule_of_a_pattern_wins() -> None:
    v = compile_schematron(sch("""
      <pattern id="p">
        <rule context="t:p[@n]"><report id="first" test="true()">numbered</report></rule>
        <rule context="t:p"><report id="second" test="true()">any</report></rule>
      </pattern>"""))
    assert rules(v.validate(DOC)) == [(4, "first", "error"), (5, "second", "error")]


def test_attribute_contexts_point_at_the_attribute() -> None:
    v = compile_schematron(sch("""
      <pattern><rule context="@when"><assert id="len" test="string-length(.) = 10">short @when</assert></rule></pattern>"""))
    (f,) = v.validate(DOC)
    assert (f.line, f.xpath) == (5, "/TEI/text[1]/body[1]/p[2]/date[1]/@when")


def test_lets_at_schema_pattern_and_rule_level() -> None:
    v = compile_schematron(sch("""
      <let name="year" value="'1931'"/>
      <pattern id="p">
        <let name="n" value="count(//t:p)"/>
        <rule context="t:date">
          <let name="y" value="substring(@when, 1, 4)"/>
          <assert id="y" test="$y = $year and $n = 2">wrong</assert>
        </rule>
      </pattern>"""))
    assert v.validate(DOC) == []


def test_abstract_patterns_and_abstract_rules() -> None:
    v = compile_schematron(sch("""
      <pattern abstract="true" id="needs">
        <rule context="$el"><assert test="$test">&lt;<name/>&gt; lacks <value-of select="'$what'"/></assert></rule>
      </pattern>
      <pattern is-a="needs" id="p-needs-n"><param name="el" value="t:p"/><param name="test" value="@n"/>
        <param name="what" value="@n"/></pattern>
      <pattern id="ext">
        <rule abstract="true" id="dated"><assert id="has-when" test="@when">no @when</assert></rule>
        <rule context="t:date"><extends rule="dated"/></rule>
      </pattern>"""))
    found = v.validate(DOC)
    assert rules(found) == [(5, "p-needs-n", "error")]
    assert found[0].message == "<p> lacks @n"
    assert "abstract" not in v.stages["expand"]


def test_include_whole_files_and_fragments(tmp_path: Path) -> None:
    (tmp_path / "rules.sch").write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron">
      <pattern id="lib-p"><rule context="t:p"><report id="from-lib" test="@n">numbered</report></rule></pattern>
      <pattern id="unused"><rule context="t:p"><report id="unused" test="true()">x</report></rule></pattern>
    </schema>""")
    (tmp_path / "pattern.xml").write_text("""<pattern xmlns="http://purl.oclc.org/dsdl/schematron" id="inc">
      <rule context="t:date"><report id="from-include" test="@when = '1931-9'">odd date</report></rule></pattern>""")
    main = tmp_path / "main.sch"
    main.write_bytes(sch('<include href="pattern.xml"/><include href="rules.sch#lib-p"/>'))
    v = compile_schematron(main)
    assert rules(v.validate(DOC)) == [(4, "from-lib", "error"), (5, "from-include", "error")]
    assert "include" not in v.stages["include"].split("schematron")[-1] or "<include" not in v.stages["include"]


def test_phases() -> None:
    body = """<phase id="light"><active pattern="a"/></phase>
      <pattern id="a"><rule context="t:p"><report id="ra" test="true()">a</report></rule></pattern>
      <pattern id="b"><rule context="t:date"><report id="rb" test="true()">b</report></rule></pattern>"""
    assert {f.rule for f in compile_schematron(sch(body)).validate(DOC)} == {"ra", "rb"}
    assert {f.rule for f in compile_schematron(sch(body), phase="light").validate(DOC)} == {"ra"}
    assert {f.rule for f in compile_schematron(sch(body, extra='defaultPhase="light"')).validate(DOC)} == {"ra"}
    with pytest.raises(SchematronError, match="no phase"):
        compile_schematron(sch(body), phase="heavy")


def test_diagnostics_are_appended() -> None:
    v = compile_schematron(sch("""
      <pattern><rule context="t:p[not(@n)]"><assert id="n" test="@n" diagnostics="d">no number</assert></rule></pattern>
      <diagnostics><diagnostic id="d">text is "<value-of select="normalize-space(text()[1])"/>"</diagnostic></diagnostics>"""))
    (f,) = v.validate(DOC)
    assert f.message == 'no number (text is "two")'


def test_embedded_schematron_in_relax_ng_is_collected() -> None:
    rng = f"""<grammar xmlns="http://relaxng.org/ns/structure/1.0" xmlns:sch="http://purl.oclc.org/dsdl/schematron">
      <sch:ns prefix="t" uri="{TEI}"/>
      <start><element name="TEI"><text/></element></start>
      <sch:pattern id="emb"><sch:rule context="t:p"><sch:report id="emb" test="not(@n)">unnumbered</sch:report></sch:rule></sch:pattern>
    </grammar>""".encode()
    assert rules(compile_schematron(rng).validate(DOC)) == [(5, "emb", "error")]


def test_inputs_path_bytes_tree_and_element(tmp_path: Path) -> None:
    v = compile_schematron(SCHEMAS / "letter.sch")
    path = CASES / "sch-no-closer.xml"
    tree = etree.parse(str(path))
    by_path = rules(v.validate(path))
    assert by_path == [(40, "letter-has-closer", "error")]
    assert rules(v.validate(path.read_bytes(), str(path))) == by_path
    assert rules(v.validate(tree, str(path))) == by_path
    assert rules(v.validate(tree.getroot(), str(path))) == by_path
    assert v.validate(b"<TEI><unclosed></TEI>", "bad.xml")[0].rule == "not-well-formed"


def test_stages_can_be_kept_for_inspection(tmp_path: Path) -> None:
    v = compile_schematron(SCHEMAS / "letter.sch")
    written = v.write_stages(tmp_path / "stages")
    assert sorted(p.name for p in written) == ["compile.xsl", "expand.sch", "include.sch"]
    assert all(etree.parse(str(p)).getroot() is not None for p in written)


def test_stylesheet_text_and_stages_are_exposed() -> None:
    v = compile_schematron(SCHEMAS / "letter.sch")
    xslt = etree.fromstring(v.xslt.encode())
    assert xslt.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet" and xslt.get("version") == "3.0"
    assert set(v.stages) == {"include", "expand", "compile"}
    assert {c.id for c in v.checks} >= {"sent-date-iso", "corresp-sent", "note-unplaced"}


def test_unsupported_query_binding_and_bad_xpath_are_errors() -> None:
    with pytest.raises(SchematronError, match="queryBinding"):
        compile_schematron(sch("<pattern/>", binding="xquery"))
    bad = compile_schematron(sch('<pattern><rule context="t:p"><assert test="@n ==">x</assert></rule></pattern>'))
    with pytest.raises(SchematronError, match="does not compile"):
        bad.prepare()


def test_dynamic_errors_become_findings() -> None:
    v = compile_schematron(sch('<pattern><rule context="t:date"><assert test="xs:date(@when)">d</assert></rule></pattern>'))
    found = v.validate(DOC, "doc.xml")
    assert [f.rule for f in found] == ["sch-dynamic-error"]


@pytest.fixture(scope="module")
def tei_all():
    return compile_schematron(shared_path("tei", "reference", "tei_all.isosch")).prepare()


def test_tei_all_isosch_compiles_with_its_features(tei_all) -> None:
    kinds = {c.kind for c in tei_all.checks}
    assert kinds == {"assert", "report"}
    assert sum(c.pattern == "declarable" for c in tei_all.checks) == 2 * 40  # 40 is-a instances, 2 checks each
    severities = {c.severity for c in tei_all.checks}
    assert severities == {Severity.ERROR, Severity.WARNING, Severity.INFO}


def test_tei_all_isosch_runs_on_tei_samples(tei_all) -> None:
    samples = sorted(shared_path("tei", "samples").iterdir())
    assert samples
    for sample in samples:
        found = tei_all.validate(sample)
        assert not [f for f in found if f.rule in ("sch-dynamic-error", "not-well-formed")], sample


def test_tei_all_abstract_pattern_instances_fire(tei_all) -> None:
    """The abstract pattern "declarable" (is-a with param $tde) expands for each declarable element."""
    doc = f"""<TEI xmlns="{TEI}"><teiHeader><fileDesc><sourceDesc><p/></sourceDesc><sourceDesc><p/></sourceDesc>
      </fileDesc></teiHeader></TEI>""".encode()
    found = tei_all.validate(doc, "t.xml")
    msgs = sorted(f.message for f in found)
    assert msgs == ["When there is more than one sourceDesc, each must have an @xml:id",
                    "When there is more than one sourceDesc, one and only one must have a @default of 'true'."]
    assert {f.line for f in found} == {1}


def test_xslt_functions_and_keys_in_the_schema_are_usable() -> None:
    v = compile_schematron(sch("""
      <xsl:function xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="t:year" as="xs:string">
        <xsl:param name="d" as="xs:string"/><xsl:sequence select="substring($d, 1, 4)"/>
      </xsl:function>
      <xsl:key xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="dates" match="t:date" use="@when"/>
      <pattern><rule context="t:date">
        <assert id="y" test="t:year(@when) = '1931' and count(key('dates', @when)) = 1">bad</assert>
      </rule></pattern>"""))
    assert v.validate(DOC) == []


def test_many_files_in_one_transformation_give_the_same_findings(tmp_path) -> None:
    """validate_files (one transformation, used by the runner) == validate, file by file,
    also when a rule fails on one file (that file gets sch-dynamic-error, the others their findings)."""
    from corresptei.validate.security import parse_document

    v = compile_schematron(sch("""
      <pattern id="p">
        <rule context="t:date">
          <assert id="iso" test="matches(@when, '^\\d{4}-\\d{2}-\\d{2}$')">not ISO</assert>
          <assert id="n" test="xs:integer(substring(@when, 1, 4)) gt 1000">a year</assert>
        </rule>
      </pattern>"""))
    assert v.batchable
    files = sorted(CASES.glob("*.xml"))
    docs = [(parse_document(str(f))[0], str(f)) for f in files]
    docs = [(tree, f) for tree, f in docs if tree is not None]
    broken = tmp_path / "year-not-a-number.xml"
    broken.write_bytes(DOC.replace(b'when="1931-9"', b'when="19x1-09-01"'))
    docs.append((parse_document(str(broken))[0], str(broken)))
    one_by_one = [v.validate(tree, f) for tree, f in docs]
    assert v.validate_files(docs) == one_by_one
    assert [f.rule for f in one_by_one[-1]] == ["sch-dynamic-error"]
    assert sum(map(len, one_by_one[:-1])) > 0


def test_a_schema_with_global_lets_is_checked_file_by_file() -> None:
    """ISO evaluates a schema-level let against each document; one transformation would not."""
    v = compile_schematron(sch("""<let name="dates" value="count(//t:date)"/>
      <pattern id="p"><rule context="t:p"><assert test="$dates lt 2">two dates</assert></rule></pattern>"""))
    assert not v.batchable
    tree = etree.ElementTree(etree.fromstring(DOC))
    assert len(v.validate_files([(tree, "doc.xml")])[0]) == 2
