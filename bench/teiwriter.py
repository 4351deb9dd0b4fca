"""Write synthetic letters straight as TEI, in the shape of docs/tei-encoding.md.

This is for benchmarking the stages *after* encoding (validate, render) on a
corpus of any size without depending on the converter; it is not a second
converter.  Strings are assembled directly (fast, and mixed content stays
readable); the tests parse every document written.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .synth import MONTHS, PERSONS, Citation, Letter, Line, Note, Para, Sentence, Witness, marker

TEI_NS = "http://www.tei-c.org/ns/1.0"
PROLOG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<?xml-model href="../schema/corresptei.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    '<?xml-model href="../schema/corresptei.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)
CORR = 'cert="high" resp="#corresptei"'


def e(text: str) -> str:
    return escape(text)


def a(value: str) -> str:
    return quoteattr(value)


def pers(pid: str, text: str | None = None) -> str:
    return f'<persName ref="persons.xml#{pid}">{e(text or PERSONS[pid][0])}</persName>'


def shelfmark(fond: str, opis: str, delo: str, folio: str) -> str:
    return (
        f'<idno type="shelfmark">F. <idno type="fond">{e(fond)}</idno>. Op. <idno type="opis">{e(opis)}</idno>. '
        f'D. <idno type="delo">{e(delo)}</idno>. L. <idno type="list">{e(folio)}</idno></idno>'
    )


def citation(c: Citation) -> str:
    structured = shelfmark(c.fond, c.opis, c.delo, c.folio)
    org = f'<orgName type="archive">{e(c.archive)}</orgName>. '
    if c.ibid:
        return f'<bibl type="archival"><choice><abbr>{e(c.printed)}</abbr><expan>{org}{structured}</expan></choice></bibl>'
    head = org if c.archive_printed else ""
    if c.error:
        sic = c.printed[len(c.archive) + 2 :] if c.archive_printed else c.printed
        return f'<bibl type="archival">{head}<choice><sic>{e(sic)}</sic><corr {CORR}>{structured}</corr></choice></bibl>'
    return f'<bibl type="archival">{head}{structured}</bibl>'


def note_xml(note: Note, doc_id: str, place: str = "foot") -> str:
    paras = []
    for pieces in note.paragraphs:
        paras.append("".join(citation(p) if isinstance(p, Citation) else e(p) for p in pieces))
    body = paras[0] if len(paras) == 1 else "".join(f"<p>{p}</p>" for p in paras)
    return f'<note n="{note.n}" type="editorial" place="{place}" xml:id="{doc_id}-n{note.n}">{body}</note>'


def witness_head(w: Witness, first: bool) -> str:
    fond_dot = "" if w.style == "no-dot-after-fond" else "."
    folio_dot = "" if w.style == "no-dot-after-folio" else "."
    lead = ("Archive: RGASPI. " if w.style == "archive-dot" else "Archive: RGASPI ") if first else ""
    if w.error == "op-P":
        mid = f'Op. <choice><sic>P.</sic><corr {CORR}>{e(w.opis)}.</corr></choice> D. {e(w.delo)}. L. {e(w.folios_printed)}'
    elif w.error == "op-ID":
        mid = f"Op. <choice><sic>ID {e(w.delo)}</sic><corr {CORR}>{e(w.opis)}. D. {e(w.delo)}</corr></choice>. L. {e(w.folios_printed)}"
    elif w.error == "folio-TsZ":
        mid = (f"Op. {e(w.opis)}. D. {e(w.delo)}. L. <choice><sic>{e(w.folio_from)} - TsZ</sic>"
               f'<corr cert="medium" resp="#corresptei">{e(w.folios_printed)}</corr></choice>')  # fmt: skip
    else:
        mid = f"Op. {e(w.opis)}. D. {e(w.delo)}. L. {e(w.folios_printed)}"
    return f'<head type="citation">{lead}F. {e(w.fond)}{fond_dot} {mid}{folio_dot}</head>'


def ms_desc(w: Witness, k: int, letter: Letter) -> str:
    return (
        f'<msDesc xml:id="w{k + 1}"><msIdentifier><country>Russia</country><settlement>Moscow</settlement>'
        "<repository>Russian State Archive of Socio-Political History (RGASPI)</repository>"
        f"{shelfmark(w.fond, w.opis, w.delo, w.folios_printed)}</msIdentifier>"
        f"{witness_head(w, k == 0)}"
        f'<msContents><msItem><locus from={a(w.folio_from)} to={a(w.folio_to)}>{e(w.folios_printed)}</locus>'
        f"<p>{e(letter.names(letter.senders))} to {e(letter.names(letter.recipients))}</p></msItem></msContents>"
        f"<physDesc><p>{e(w.kind)}</p></physDesc></msDesc>"
    )


def sentence_xml(s: Sentence, notes: dict[int, Note], doc_id: str) -> str:
    if s.note is None:
        return e(s.text)
    body, punct = (s.text[:-1], s.text[-1]) if s.text[-1] in ".!?" else (s.text, "")
    return f"{e(body)}{note_xml(notes[s.note.n], doc_id)}{e(punct)}"


def para_xml(p: Para, notes: dict[int, Note], doc_id: str) -> str:
    text = " ".join(sentence_xml(s, notes, doc_id) for s in p.sentences)
    if p.label:
        return f'<p n="{e(p.label.rstrip(")"))}"><label>{e(p.label)}</label> {text}</p>'
    return f"<p>{text}</p>"


def line_xml(line: Line, notes: dict[int, Note], doc_id: str) -> str:
    note = note_xml(notes[line.note.n], doc_id) if line.note else ""
    text = e(line.text)
    if line.kind == "doctype":
        return f'<seg type="doctype">{text}</seg>'
    if line.kind in ("sent", "received"):
        kind = "dispatch" if line.kind == "sent" else "receipt"
        if line.place and f"from {line.place}" in line.text:
            pre, post = line.text.split(f"from {line.place}", 1)
            return (f'<dateline>{e(pre)}from <placeName>{e(line.place)}</placeName> '
                    f'<date when="{line.when}" type="{kind}">{e(post.strip())}</date></dateline>')  # fmt: skip
        return f'<dateline><date when="{line.when}" type="{kind}">{text}</date></dateline>'
    if line.kind in ("inno", "registration"):
        return f'<idno type="registration">{text}</idno>{note}'
    if line.kind in ("dateline", "stamp"):
        return f'<dateline><date when="{line.when}">{text}</date>{note}</dateline>'
    if line.kind == "signed":
        if len(line.persons) == 1:
            pid = line.persons[0]
            surname = PERSONS[pid][0]
            if surname in line.text:
                pre, post = line.text.rsplit(surname, 1)
                # "Your L. Kaganovich." -> Your <persName>L. Kaganovich</persName>.
                words = pre.split(" ")
                initials = words.pop() if words and words[-1].endswith(".") and len(words[-1]) <= 3 else ""
                pre = " ".join(words) + (" " if words and words[0] else "")
                name = (initials + " " if initials else "") + surname
                return f"<signed>{e(pre.lstrip())}{pers(pid, name)}{e(post)}{note}</signed>"
        names = ", ".join(pers(p) for p in line.persons)
        return f"<signed>{names}.{note}</signed>"
    return f"<salute>{text}{note}</salute>"  # address, salute, closing


def letter_div(letter: Letter, doc_id: str, notes: dict[int, Note]) -> str:
    subtype = "telegram" if letter.telegram else "letter"
    names, on = letter.header_names
    head = f'<head>{e(names)} {e(on)}<date when="{letter.date.isoformat()}">{e(letter.header_date)}</date></head>'
    opener = "".join(line_xml(ln, notes, doc_id) for ln in letter.opener)
    body = "".join(para_xml(p, notes, doc_id) for p in letter.paragraphs)
    closer = "".join(line_xml(ln, notes, doc_id) for ln in letter.closer)
    unanchored = "".join(note_xml(n, doc_id, "end") for n in letter.notes if not n.anchored)
    if unanchored:
        body += f"<p>{unanchored}</p>" if not closer else ""
        closer += unanchored if closer else ""
    ps = ""
    if letter.postscript:
        ps = "<postscript><label>PS</label>" + "".join(para_xml(p, notes, doc_id) for p in letter.postscript) + "</postscript>"
    attrs = f' type="{"translation" if letter.single_page else "letter"}" subtype="{subtype}" xml:lang="en"'
    return (
        f"<div{attrs}>{head}" + (f"<opener>{opener}</opener>" if opener else "") + body
        + (f"<closer>{closer}</closer>" if closer else "") + ps + "</div>"
    )  # fmt: skip


def mt_div(letter: Letter) -> str:
    paras = "".join(
        f"<p>{e(' '.join(s.text for s in p.sentences))}</p>" for p in letter.paragraphs
    )
    return f'<div type="translation" subtype="letter" xml:lang="en" resp="#mt"><p>Greetings, Comrade {e(PERSONS[letter.recipients[0]][0])}!</p>{paras}<closer><salute>Regards,</salute><signed>{pers("stalin", "I. Stalin")}</signed></closer></div>'


def ru_div(letter: Letter) -> str:
    paras = "".join(f"<p>{e(t)}</p>" for t in letter.russian)
    return f'<div type="original" subtype="letter" xml:lang="ru"><opener><salute>Здравствуйте, т. {e(PERSONS[letter.recipients[0]][3])}!</salute></opener>{paras}<closer><salute>Привет</salute><signed>{pers("stalin", "И. Сталин")}</signed></closer></div>'


def letter_tei(letter: Letter, prev: Letter | None, nxt: Letter | None) -> str:
    doc_id = "L" + letter.stem
    notes = {n.n: n for n in letter.notes}
    d = letter.date
    line_from, line_to = letter.source_lines
    evidence = f' evidence="{letter.evidence}" resp="#edition"' if letter.evidence else ""
    # telegrams: the place of dispatch (the dispatch/receipt times are in the opener's datelines)
    sent_extra = "<placeName>Moscow</placeName>" if any(ln.kind == "sent" for ln in letter.opener) else ""
    received_extra = ""
    actions = (
        '<correspAction type="sent">' + "".join(pers(p) for p in letter.senders)
        + f'<date when="{d.isoformat()}"{evidence}>{e(letter.header_date)}</date>{sent_extra}</correspAction>'
        + '<correspAction type="received">' + "".join(pers(p) for p in letter.recipients) + received_extra
        + "</correspAction>"
    )  # fmt: skip
    for p in letter.copy_to:
        actions += f'<correspAction type="received" subtype="copy">{pers(p)}</correspAction>'
    if letter.via:
        actions += f'<correspAction type="transmitted">{pers(letter.via)}</correspAction>'
    context = ""
    if prev or nxt:
        context = "<correspContext>"
        if prev:
            context += f'<ref type="prev" target="{prev.stem}.xml">{e(prev.title)}</ref>'
        if nxt:
            context += f'<ref type="next" target="{nxt.stem}.xml">{e(nxt.title)}</ref>'
        context += "</correspContext>"
    single_bibl = ""
    if letter.single_page:
        single_bibl = (
            f'<bibl type="transcription" xml:id="transcription2"><title>{e(letter.title)}</title>'
            f'<idno type="file">{e(letter.single_file)}</idno></bibl>'
        )
    divs = letter_div(letter, doc_id, notes)
    if letter.single_page:
        divs += mt_div(letter) + ru_div(letter)
    langs = '<language ident="en">English</language>' + ('<language ident="ru">Russian</language>' if letter.russian else "")
    p1, p2 = letter.pages
    return PROLOG + (
        f'<TEI xmlns="{TEI_NS}" xml:id="{doc_id}" xml:lang="en"><teiHeader><fileDesc>'
        f'<titleStmt><title>{e(letter.title)}</title><respStmt><resp>TEI encoding</resp>'
        '<name xml:id="corresptei">corresptei converter</name></respStmt>'
        + ('<respStmt><resp>machine translation</resp><name xml:id="mt">machine translation</name></respStmt>' if letter.single_page else "")
        + "</titleStmt>"
        f'<publicationStmt><publisher>corresptei</publisher><idno type="corresptei">{doc_id}</idno>'
        "<availability><p>Synthetic letter generated for benchmarking (bench/synth.py).</p></availability></publicationStmt>"
        '<sourceDesc><bibl type="edition" xml:id="edition" default="true"><title level="m">Stalin and Kaganovich. Correspondence. 1931–1936</title>'
        f'<pubPlace>Moscow</pubPlace><publisher>ROSSPEN</publisher><date when="2001">2001</date>'
        f'<biblScope unit="page" from="{p1}" to="{p2}">{p1}–{p2}</biblScope></bibl>'
        f'<bibl type="transcription" xml:id="transcription1"><title>Stalin Kaganovich {MONTHS[d.month].lower()} {d.year}</title>'
        f'<idno type="file">{e(letter.source_file)}</idno>'
        f'<biblScope unit="line" from="{line_from}" to="{line_to}">{line_from}–{line_to}</biblScope></bibl>'
        + single_bibl
        + "".join(ms_desc(w, k, letter) for k, w in enumerate(letter.witnesses))
        + "</sourceDesc></fileDesc>"
        "<encodingDesc><editorialDecl><p>Synthetic correspondence for benchmarking corresptei.</p></editorialDecl></encodingDesc>"
        f"<profileDesc><correspDesc>{actions}{context}</correspDesc><langUsage>{langs}</langUsage></profileDesc>"
        f"</teiHeader><text><body>{divs}</body></text></TEI>\n"
    )  # fmt: skip


def persons_tei() -> str:
    people = "".join(
        f'<person xml:id="{pid}"><persName><surname>{e(surname)}</surname><forename>{e(initials)}</forename></persName></person>'
        for pid, (surname, initials, _, _) in PERSONS.items()
    )
    return PROLOG + (
        f'<TEI xmlns="{TEI_NS}" xml:id="persons" xml:lang="en"><teiHeader><fileDesc>'
        "<titleStmt><title>Persons</title></titleStmt><publicationStmt><publisher>corresptei</publisher></publicationStmt>"
        "<sourceDesc><p>Synthetic personography (bench/synth.py).</p></sourceDesc></fileDesc></teiHeader>"
        f"<text><body><listPerson>{people}</listPerson></body></text></TEI>\n"
    )


def write_tei(letters: list[Letter], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "persons.xml").write_text(persons_tei(), encoding="utf-8")
    for k, letter in enumerate(letters):
        prev = letters[k - 1] if k else None
        nxt = letters[k + 1] if k + 1 < len(letters) else None
        (out / f"{letter.stem}.xml").write_text(letter_tei(letter, prev, nxt), encoding="utf-8")
