"""The HTML edition as files: well-formed XHTML5, structure, links, indexes.

Browsers are checked in test_browser.py; here each page is parsed as XML
(the XHTML serialisation must be well-formed) and checked for what a reader
and a validator need: lang attributes (Russian text inside lang="ru"), unique
ids, internal links that resolve, HTML content-model rules an XML parser does
not know (no blocks in <p>, no links in links), and complete indexes.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .helpers import CYRILLIC, NS, TEI, Built
from .test_text import is_footnote

H = "{http://www.w3.org/1999/xhtml}"
T = f"{{{TEI}}}"
BLOCKS = {H + n for n in ("address", "article", "aside", "blockquote", "div", "dl", "fieldset",
                          "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
                          "main", "nav", "ol", "p", "pre", "section", "table", "ul")}


def pages(built: Built) -> list[Path]:
    return sorted(built.html.glob("*.html"))


def parse(path: Path) -> etree._Element:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()


def lang_of(el: etree._Element) -> str | None:
    while el is not None:
        if el.get("lang"):
            return el.get("lang")
        el = el.getparent()
    return None


def test_every_page_is_wellformed_xhtml5(built: Built) -> None:
    assert len(pages(built)) == len(built.corpus.letters) + 3
    for path in pages(built):
        raw = path.read_text(encoding="utf-8")
        assert raw.startswith("<!DOCTYPE html>"), path.name
        root = parse(path)
        assert root.tag == H + "html" and root.get("lang"), path.name
        assert root.find("h:head/h:meta[@charset='UTF-8']", NS) is not None
        assert root.find("h:head/h:meta[@name='viewport']", NS) is not None
        assert (root.findtext("h:head/h:title", namespaces=NS) or "").strip(), path.name
        assert len(root.findall(".//h:h1", NS)) == 1, path.name


def test_ids_unique_and_content_model(built: Built) -> None:
    for path in pages(built):
        root = parse(path)
        ids = [el.get("id") for el in root.iter() if el.get("id")]
        assert len(ids) == len(set(ids)), (path.name, sorted({i for i in ids if ids.count(i) > 1}))
        for bad in ids:
            assert re.fullmatch(r"[^\s]+", bad), (path.name, bad)
        for p in root.iter(H + "p"):
            assert not [c for c in p.iter() if c is not p and c.tag in BLOCKS], (path.name, etree.tostring(p)[:200])
        for a in root.iter(H + "a"):
            assert not [c for c in a.iter(H + "a") if c is not a], path.name
        for button in root.iter(H + "button"):
            assert button.get("type") == "button"


def test_internal_links_resolve(built: Built) -> None:
    ids: dict[str, set[str]] = {p.name: {el.get("id") for el in parse(p).iter() if el.get("id")}
                                for p in pages(built)}
    for path in pages(built):
        for el in parse(path).iter(H + "a", H + "link", H + "script"):
            href = el.get("href") or el.get("src")
            if href is None or urlsplit(href).scheme in ("http", "https", "mailto"):
                continue
            parts = urlsplit(href)
            target = unquote(parts.path) or path.name
            assert (built.html / target).is_file(), (path.name, href)
            if parts.fragment:
                assert parts.fragment in ids[target], (path.name, href)


LATIN = re.compile(r"[A-Za-z]")


def test_russian_text_is_marked_russian(built: Built) -> None:
    """Text that is mostly Cyrillic sits inside lang="ru" (a stray Cyrillic letter in
    an English sentence, as the source prints it, does not make it Russian)."""
    for path in pages(built):
        root = parse(path)
        for el in root.iter():
            for text, holder in ((el.text, el), (el.tail, el.getparent())):
                if text and len(CYRILLIC.findall(text)) > len(LATIN.findall(text)):
                    assert lang_of(holder) == "ru", (path.name, text.strip()[:60])


def test_letter_page_parts(built: Built) -> None:
    for stem, tei in built.letters():
        page = parse(built.html / f"{stem}.html")
        meta = page.find(".//h:section[@class='meta']", NS)
        assert meta is not None
        labels = [dt.text for dt in meta.iter(H + "dt")]
        for label in ("From", "To", "Date", "Kind", "Archival reference", "Source"):
            assert label in labels, (stem, label)
        # correspondents link to the person index
        for person in meta.iterfind(".//h:a[@class='person']", NS):
            assert person.get("href").startswith("persons.html#")
        # editorial dates and repairs are visibly marked
        if tei.find(f".//{T}correspAction[@type='sent']/{T}date[@evidence]") is not None:
            assert meta.find(".//h:span[@class='editorial']", NS) is not None
            assert "supplied by the editors" in "".join(meta.itertext())
        if tei.find(f".//{T}msDesc/{T}head//{T}corr") is not None:
            corr = meta.find(".//h:span[@class='corr']", NS)
            assert corr is not None and "[" in "".join(corr.itertext())
        # telegram times
        for date in tei.iterfind(f".//{T}correspAction/{T}date[@type]"):
            assert meta.find(f".//h:time[@datetime='{date.get('when')}']", NS) is not None
        # footnote markers and notes link both ways
        markers = page.findall(".//h:a[@class='noteref']", NS)
        anchored = [n for n in tei.find(f"{T}text/{T}body").iter(T + "note")
                    if is_footnote(n) and n.get("place") != "end"]
        assert len(markers) == len(anchored), stem
        for marker in markers:
            note_id = marker.get("href")[1:]
            note = page.find(f".//h:li[@id='{note_id}']", NS)
            assert note is not None
            back = note.find("h:a[@class='backref']", NS)
            assert back is not None and back.get("href") == f"#{marker.get('id')}"


def test_translation_beside_original(built: Built) -> None:
    for stem, tei in built.letters():
        divs = tei.findall(f"{T}text/{T}body/{T}div")
        if not any(d.get("type") == "original" for d in divs):
            continue
        page = parse(built.html / f"{stem}.html")
        parallel = page.find(".//h:div[@class='parallel']", NS)
        assert parallel is not None
        originals = parallel.find("h:div[@class='column originals']", NS)
        assert originals.find("h:section", NS).get("lang") == "ru"
        translations = parallel.findall("h:div[@class='column translations']/h:section", NS)
        assert len(translations) == sum(d.get("type") == "translation" for d in divs)


def test_index_lists_every_letter(built: Built) -> None:
    index = parse(built.html / "index.html")
    rows = index.findall(".//h:table[@id='letters']/h:tbody/h:tr", NS)
    assert [r.get("id") for r in rows] == [f"row-{lt.stem}" for lt in built.corpus.letters]
    kinds = {"".join(r.findall("h:td", NS)[4].itertext()) for r in rows}
    assert kinds <= {"letter", "cipher telegram"}


def test_person_index(built: Built) -> None:
    page = parse(built.html / "persons.html")
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    persons = built.persons()
    if persons is not None:
        for person in persons.iter(T + "person"):
            assert person.get("{http://www.w3.org/XML/1998/namespace}id") in ids
    for stem, tei in built.letters():
        for action in tei.iterfind(f".//{T}correspAction[@type='sent']"):
            for name in action.iterfind(f"{T}persName"):
                pid = name.get("ref").split("#")[-1]
                section = page.find(f".//h:section[@id='{pid}']", NS)
                sent = "".join(section.itertext())
                assert "Letters sent" in sent
                links = [a.get("href") for a in section.iter(H + "a")]
                assert f"{stem}.html" in links


def archival_files(tei: etree._Element) -> set[tuple[str, str, str, str]]:
    """(archive, fond, opis, delo) of every file a letter cites, read independently."""
    def structured(el):
        return [i for i in el.iter(T + "idno") if i.get("type") == "shelfmark"
                and not any(a.tag in (T + "sic", T + "abbr") for a in i.iterancestors())]

    def parts(sm):
        return tuple("".join(sm.find(f"{T}idno[@type='{k}']").itertext()).strip()
                     for k in ("fond", "opis", "delo"))

    found = set()
    default = "RGASPI"
    for ms in tei.iterfind(f".//{T}sourceDesc/{T}msDesc"):
        repo = ms.findtext(f"{T}msIdentifier/{T}repository") or ""
        archive = re.search(r"\(([^()]+)\)\s*$", repo)
        archive = archive.group(1) if archive else repo.strip()
        for sm in structured(ms.find(f"{T}msIdentifier")):
            found.add((archive, *parts(sm)))
    first = tei.find(f".//{T}sourceDesc/{T}msDesc/{T}msIdentifier/{T}repository")
    if first is not None and re.search(r"\(([^()]+)\)", first.text or ""):
        default = re.search(r"\(([^()]+)\)\s*$", first.text).group(1)
    for bibl in tei.iter(T + "bibl"):
        if bibl.get("type") != "archival":
            continue
        orgs = [o for o in bibl.iter(T + "orgName") if o.get("type") == "archive"
                and not any(a.tag in (T + "sic", T + "abbr") for a in o.iterancestors())]
        sms = [s for s in structured(bibl) if s.find(f"{T}idno[@type='fond']") is not None]
        if sms:
            name = (orgs[0].text or "").strip() if orgs else default
            found.add(({"РГАСПИ": "RGASPI", "ГА РФ": "GA RF", "АП РФ": "AP RF"}.get(name, name),
                       *parts(sms[0])))
    return found


def test_archival_index_lists_every_file_cited(built: Built) -> None:
    page = parse(built.html / "archives.html")
    entries = {el.get("id"): el for el in page.iterfind(".//h:li[@class='file']", NS)}
    for stem, tei in built.letters():
        for archive, fond, opis, delo in archival_files(tei):
            key = re.sub(r"[^A-Za-z0-9]+", "-", f"{archive}|{fond}|{opis}|{delo}").strip("-")
            entry = entries.get(f"f-{key}")
            assert entry is not None, (stem, archive, fond, opis, delo)
            assert any(a.get("href").split("#")[0] == f"{stem}.html" for a in entry.iter(H + "a"))
