"""The seeds' letters as encoded in tei/, read against expectations written from the seeds."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from corresptei.encode.lossless import tei_words, words
from corresptei.ingest import read_sources

from ..conftest import REPO, shared_path

NS = {"t": "http://www.tei-c.org/ns/1.0"}
TEI_DIR = REPO / "tei"
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
HERE = Path(__file__).parent


def expected_rows():
    with open(HERE / "expected_letters.tsv", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")]
    return rows


@pytest.fixture(scope="module")
def docs() -> dict[str, etree._ElementTree]:
    return {p.name: etree.parse(str(p)) for p in sorted(TEI_DIR.glob("*.xml"))}


def test_every_letter_is_there(docs):
    expected = {r[0] for r in expected_rows()}
    letters = {n for n in docs if n != "persons.xml"}
    assert letters == expected
    assert len(letters) == 48  # 48 on the monthly page; the single-letter page is one of them


@pytest.mark.parametrize("row", expected_rows(), ids=lambda r: r[0])
def test_letter_metadata(docs, row):
    fname, senders, recipients, copies, date, evidence, kind, witnesses = row
    d = docs[fname]
    sent = d.xpath("//t:correspAction[@type='sent']", namespaces=NS)
    assert len(sent) == 1
    refs = lambda xp: " ".join(r.split("#")[1] for r in d.xpath(xp, namespaces=NS))  # noqa: E731
    assert refs("//t:correspAction[@type='sent']/t:persName/@ref") == senders
    assert refs("//t:correspAction[@type='received' and not(@subtype)]/t:persName/@ref") == recipients
    assert (refs("//t:correspAction[@subtype='copy']/t:persName/@ref") or "-") == copies
    date_el = sent[0].xpath("t:date[not(@type)]", namespaces=NS)[0]
    assert date_el.get("when") == date
    assert (date_el.get("evidence") or "-") == evidence
    assert d.xpath("string(//t:body/t:div[1]/@subtype)", namespaces=NS) == kind
    got = []
    for ms in d.xpath("//t:msDesc", namespaces=NS):
        part = {i.get("type"): i.text for i in ms.xpath("t:msIdentifier/t:idno/t:idno", namespaces=NS)}
        phys = ms.xpath("string(t:physDesc)", namespaces=NS).strip()
        got.append(f"{part['fond']}/{part['opis']}/{part['delo']}/{part['list']}={phys}")
    assert " | ".join(got) == witnesses
    assert d.getroot().get("{http://www.w3.org/XML/1998/namespace}id") == "L" + fname[:-4]


TELEGRAMS = [
    # file, dispatched, received, place of sending — read off the seed's transmission lines
    ("1931-09-08_kaganovich-stalin.molotov_a.xml", "1931-09-08T20:35:00", "1931-09-08T23:30:00", "Moscow"),
    ("1931-09-08_kaganovich.postyshev-stalin.molotov.xml", "1931-09-08T20:35:00", "1931-09-09T00:45:00", "Moscow"),
    ("1931-09-13_kaganovich.postyshev-stalin.xml", "1931-09-13T23:38:00", "1931-09-14T08:30:00", ""),
    ("1931-09-18_kaganovich-stalin.xml", "1931-09-18T15:35:00", "1931-09-18T18:30:00", "Moscow"),
    ("1931-09-20_kaganovich.molotov-stalin.xml", "1931-09-21T00:39:00", "1931-09-21T04:00:00", "Moscow"),
    ("1931-09-20_kaganovich.postyshev-stalin.xml", "1931-09-20T18:36:00", "1931-09-20T21:00:00", "Moscow"),
    ("1931-09-21_kaganovich.molotov-stalin.xml", "1931-09-21T00:39:00", "1931-09-21T04:00:00", "Moscow"),
    ("1931-09-22_kaganovich.molotov-stalin.xml", "1931-09-22T20:50:00", "1931-09-22T22:45:00", "Moscow"),
    ("1931-09-25_kaganovich.molotov-stalin.xml", "1931-09-25T14:33:00", "1931-09-25T17:35:00", "Moscow"),
    # letters whose secretary's note names the place of writing
    ("1931-09-03_stalin.molotov-kaganovich.rudzutak.ordzhonikidze.xml", "", "", "Sochi"),
    ("1931-09-05_stalin.molotov-kaganovich.rudzutak.xml", "", "", "Sochi"),
    ("1931-09-06_stalin.molotov-kaganovich.rudzutak.ordzhonikidze.xml", "", "", "Sochi"),
]


@pytest.mark.parametrize("fname,dispatched,received,place", TELEGRAMS, ids=[t[0] for t in TELEGRAMS])
def test_transmission_times_and_places(docs, fname, dispatched, received, place):
    d = docs[fname]
    x = lambda xp: d.xpath(f"string({xp})", namespaces=NS)  # noqa: E731
    assert x("//t:correspAction[@type='sent']/t:date[@type='dispatch']/@when") == dispatched
    assert x("//t:correspAction[@type='received']/t:date[@type='receipt']/@when") == received
    assert x("//t:correspAction[@type='sent']/t:placeName") == place


def test_no_other_letter_claims_a_place_or_time(docs):
    named = {t[0] for t in TELEGRAMS}
    for name, d in docs.items():
        if name in named or name == "persons.xml":
            continue
        assert not d.xpath("//t:correspAction/t:placeName | //t:correspAction/t:date[@type]", namespaces=NS), name


def test_copy_and_intermediary(docs):
    d = docs["1931-09-12_stalin-kaganovich_a.xml"]
    assert d.xpath("string(//t:correspAction[@type='transmitted']/t:persName/@ref)", namespaces=NS) == \
        "persons.xml#poskrebyshev"


@pytest.mark.parametrize("fname,printed,corrected,cert", [
    ("1931-09-11_kaganovich-stalin_a.xml", "P", "11", "high"),           # Op. P. -> 11 (Cyrillic П)
    ("1931-09-11_kaganovich-stalin_b.xml", "106 - TsZ", "106–113", "high"),  # folio sequence: next is L. 114
    ("1931-09-25_stalin.kalinin-kaganovich.molotov.xml", "ID", "11. D.", "high"),  # Op. ID 76 -> Op. 11. D. 76
])
def test_archival_repairs_are_visible(docs, fname, printed, corrected, cert):
    d = docs[fname]
    choices = d.xpath("//t:msDesc/t:head[@type='citation']/t:choice", namespaces=NS)
    pairs = {(c.findtext("t:sic", namespaces=NS), c.findtext("t:corr", namespaces=NS),
              c.find("t:corr", NS).get("cert")) for c in choices}
    assert (printed, corrected, cert) in pairs


def test_repaired_shelfmarks_hold_the_corrected_values(docs):
    d = docs["1931-09-25_stalin.kalinin-kaganovich.molotov.xml"]
    shelf = d.xpath("//t:msIdentifier/t:idno[@type='shelfmark']", namespaces=NS)[0]
    assert "".join(shelf.itertext()) == "F. 558. Op. 11. D. 76. L. 78, 78v"
    loc = d.xpath("//t:msItem/t:locus", namespaces=NS)[0]
    assert (loc.get("from"), loc.get("to")) == ("78", "78v")


def test_every_sic_has_a_corr_with_cert(docs):
    for name, d in docs.items():
        for sic in d.xpath("//t:sic", namespaces=NS):
            corr = sic.getparent().find("t:corr", NS)
            assert corr is not None and corr.get("cert") in {"high", "medium", "low"}, name


def test_ibid_is_always_expanded_to_a_full_reference(docs):
    n = 0
    for d in docs.values():
        for choice in d.xpath("//t:bibl[@type='archival']/t:choice[t:abbr]", namespaces=NS):
            parts = [i.get("type") for i in choice.xpath("t:expan//t:idno/t:idno", namespaces=NS)]
            assert parts[:3] == ["fond", "opis", "delo"], etree.tostring(choice)
            n += 1
    assert n > 50


def test_archival_citations_in_notes_are_structured(docs):
    gar = 0
    for d in docs.values():
        for bibl in d.xpath("//t:note//t:bibl[@type='archival']", namespaces=NS):
            assert bibl.xpath(".//t:idno[@type='shelfmark']", namespaces=NS), etree.tostring(bibl)
            if bibl.xpath("t:orgName[.='GA RF']", namespaces=NS):
                gar += 1
                assert bibl.xpath("string(.//t:idno[@type='fond'])", namespaces=NS).startswith("R-")
    assert gar == 3  # F. R-5446 Op. 57, F. R-3316 Op. 64 and Op. 65
    # "(Ibid. D. 144. L. 5)" follows a GA RF reference: it expands to GA RF, F. R-3316, Op. 65
    d = docs["1931-09-04_stalin-kaganovich.xml"]
    expan = d.xpath("//t:choice[t:abbr='Ibid. D. 144. L. 5']/t:expan", namespaces=NS)[0]
    assert "".join(expan.itertext()) == "GA RF. F. R-3316. Op. 65. D. 144. L. 5"


def test_note_numbers_unique_and_in_sequence(docs):
    total = 0
    for name, d in docs.items():
        for div in d.xpath("//t:body/t:div", namespaces=NS):
            ns = [int(n) for n in div.xpath(".//t:note[@n]/@n", namespaces=NS)]
            assert sorted(ns) == list(range(1, len(ns) + 1)), name
            total += len(ns)
    assert total == 103


def test_multi_paragraph_note_stays_one_note(docs):
    d = docs["1931-09-12_stalin-kaganovich_b.xml"]
    note3 = d.xpath("//t:note[@n='3']", namespaces=NS)[0]
    assert len(note3.findall("t:p", NS)) == 7
    assert not d.xpath("//t:note[@n='4']", namespaces=NS)


def test_glued_markers_are_resolved(docs):
    d = docs["1931-09-03_kaganovich-stalin_c.xml"]  # "In Tanya 1an article"
    note = d.xpath("//t:note[@n='1']", namespaces=NS)[0]
    assert (note.getprevious().tail if note.getprevious() is not None else note.getparent().text).rstrip().endswith("In Tanya")
    assert note.tail.startswith(" an article")


def test_seven_september_letter_has_both_translations_and_the_original(docs):
    d = docs["1931-09-07_stalin-kaganovich.xml"]
    divs = d.xpath("//t:body/t:div", namespaces=NS)
    assert [(x.get("type"), x.get("{http://www.w3.org/XML/1998/namespace}lang"), x.get("resp")) for x in divs] == [
        ("translation", "en", None), ("translation", "en", "#mt"), ("original", "ru", None)]
    assert d.xpath("//t:respStmt[@xml:id='mt']", namespaces=NS)
    assert d.xpath("//t:div[@resp='#mt']/t:note[@type='editorial']", namespaces=NS)
    assert d.xpath("//t:div[@resp='#mt']/t:note[@type='crossref'][starts-with(., 'See:')]", namespaces=NS)
    assert d.xpath("//t:div[@type='original']/t:note[@type='crossref'][starts-with(., 'См.:')]", namespaces=NS)
    assert len(d.xpath("//t:sourceDesc/t:bibl[@type='transcription']", namespaces=NS)) == 2
    assert d.xpath("string(//t:bibl[@type='edition']/t:biblScope[@unit='page'])", namespaces=NS) == "88-89"


def test_personography(docs):
    p = docs["persons.xml"]
    ids = p.xpath("//t:person/@xml:id", namespaces=NS)
    assert ids == sorted(["stalin", "kaganovich", "molotov", "ordzhonikidze", "rudzutak", "postyshev",
                          "kalinin", "khalatov", "voroshilov", "yagoda", "poskrebyshev"])
    serg = p.xpath("//t:person[@xml:id='ordzhonikidze']/t:persName/text()", namespaces=NS)
    assert "Sergo" in serg
    stalin = p.xpath("//t:person[@xml:id='stalin']", namespaces=NS)[0]
    assert stalin.xpath("string(t:birth/@when)", namespaces=NS) == "1878-12-18"
    assert stalin.xpath("string(t:persName[@xml:lang='ru'][@type='main'])", namespaces=NS).endswith("Сталин")
    assert "И. Сталин" in stalin.xpath("t:persName[@type='variant']/text()", namespaces=NS)
    # every persName/@ref in a letter resolves
    for name, d in docs.items():
        for ref in d.xpath("//t:persName/@ref", namespaces=NS):
            assert ref.startswith("persons.xml#") and ref.split("#")[1] in ids, (name, ref)


def test_prev_next_chains_are_consistent_and_in_date_order(docs):
    for name, d in docs.items():
        for ref in d.xpath("//t:correspContext/t:ref", namespaces=NS):
            other = docs[ref.get("target")]
            back = "next" if ref.get("type") == "prev" else "prev"
            assert other.xpath(f"string(//t:correspContext/t:ref[@type='{back}']/@target)", namespaces=NS) == name
            a = name[:10]
            b = ref.get("target")[:10]
            assert (a >= b) if ref.get("type") == "prev" else (a <= b)


def test_every_file_is_valid_against_tei_all(docs):
    rng = etree.RelaxNG(etree.parse(str(shared_path("tei", "reference", "tei_all.rng"))))
    bad = {name: str(rng.error_log.last_error) for name, d in docs.items() if not rng.validate(d)}
    assert bad == {}


def test_nothing_lost_word_for_word():
    """Every word of each source letter (word multisets) is in the letter's TEI."""
    result = read_sources(SEEDS)
    from corresptei.encode import encode_result

    encoded, report = encode_result(result)
    assert len(encoded) == 48
    for e in encoded:
        missing = words("\n".join(e.letter.source_lines)) - tei_words(e.tree)
        assert missing == Counter(), e.filename
    # the check is not vacuous: dropping a paragraph is noticed
    e = encoded[0]
    p = e.tree.find(".//{http://www.tei-c.org/ns/1.0}body//{http://www.tei-c.org/ns/1.0}p")
    p.getparent().remove(p)
    assert words("\n".join(e.letter.source_lines)) - tei_words(e.tree)


def test_tei_dir_is_up_to_date():
    out = subprocess.run([sys.executable, "-m", "corresptei.cli", "encode", *map(str, SEEDS), "--out", str(TEI_DIR),
                          "--check", "-q"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert re.search(r"48 letters, 103 notes, \d+ repaired readings, \d+ unresolved notes, 0 lost words", out.stderr)
