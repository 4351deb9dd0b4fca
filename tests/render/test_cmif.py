"""CMIF as its consumers check it: the CMIF RELAX NG and the CMIF Schematron rules."""

from __future__ import annotations

from lxml import etree

from corresptei.validate.schematron import compile_schematron

from .helpers import TEI, Built

T = f"{{{TEI}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def cmif(built: Built) -> etree._Element:
    return etree.parse(str(built.out / "cmif" / "cmif.xml")).getroot()


def test_valid_against_cmif_relaxng(built: Built, shared) -> None:
    schema = etree.RelaxNG(etree.parse(str(shared / "cmif" / "cmi-customization.rng")))
    doc = cmif(built)
    assert schema.validate(doc), str(schema.error_log)


def test_cmif_schematron_rules_hold(built: Built, shared) -> None:
    rules = compile_schematron(str(shared / "cmif" / "cmif.sch"))
    findings = rules.validate(str(built.out / "cmif" / "cmif.xml"))
    assert findings == [], [str(f) for f in findings]  # no errors and no warnings (UUID ids)


def test_one_correspdesc_per_letter_with_its_people_and_dates(built: Built) -> None:
    doc = cmif(built)
    descs = doc.findall(f".//{T}profileDesc/{T}correspDesc")
    letters = built.letters()
    assert len(descs) == len(letters)
    bibl_ids = {b.get(XML_ID) for b in doc.iterfind(f".//{T}sourceDesc/{T}bibl")}
    for desc, (stem, tei) in zip(descs, letters):
        assert desc.get("source")[1:] in bibl_ids
        for kind in ("sent", "received"):
            action = desc.find(f"{T}correspAction[@type='{kind}']")
            assert action is not None and action.find(f"{T}persName") is not None, (stem, kind)
        sent = [p.get("ref").split("#")[-1] for p in
                tei.iterfind(f".//{T}correspAction[@type='sent']/{T}persName")]
        assert len(desc.findall(f"{T}correspAction[@type='sent']/{T}persName")) == len(sent)
        date = tei.find(f".//{T}correspAction[@type='sent']/{T}date")
        if date is not None and date.get("type") is None and date.get("when"):
            assert desc.find(f"{T}correspAction[@type='sent']/{T}date").get("when") == date.get("when")


def test_authority_uris_only_where_the_personography_has_them(built: Built) -> None:
    persons = built.persons()
    assert persons is not None
    with_authority = {}
    names = {}
    for person in persons.iter(T + "person"):
        pid = person.get(XML_ID)
        idnos = [i for i in person.iterfind(f"{T}idno") if i.get("type") in ("wikidata", "viaf", "gnd")]
        with_authority[pid] = bool(idnos)
        names[pid] = person
    doc = cmif(built)
    for desc, (stem, tei) in zip(doc.iterfind(f".//{T}correspDesc"), built.letters()):
        refs = [p.get("ref").split("#")[-1] for p in tei.iterfind(f".//{T}correspAction/{T}persName")
                if p.getparent().get("type") in ("sent", "received")]
        cmif_names = desc.findall(f".//{T}persName")
        assert len(cmif_names) == len(refs), stem
        for pid, name in zip(refs, cmif_names):
            if with_authority.get(pid):
                assert name.get("ref", "").startswith(("http://", "https://")), (stem, pid)
            else:
                assert name.get("ref") is None, (stem, pid)


def test_the_schematron_check_sees_a_broken_file(built: Built, shared) -> None:
    """The rules are live: a correspDesc without a received action is an error."""
    doc = cmif(built)
    desc = doc.find(f".//{T}correspDesc")
    desc.remove(desc.find(f"{T}correspAction[@type='received']"))
    rules = compile_schematron(str(shared / "cmif" / "cmif.sch"))
    findings = rules.validate(etree.tostring(doc))
    assert any("E0002" in str(f) for f in findings), [str(f) for f in findings]
