"""The correspondence model -> one TEI P5 document per letter (lxml trees).

See docs/tei-encoding.md for the shape.  Every word of the source letter ends up
in the document: text as printed, repairs as choice/sic/corr, Ibid. as
choice/abbr/expan, editorial dates and times in attributes beside the printed text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from .. import __version__
from ..ingest import grammar as g
from ..model import ANCHOR, Block, Citation, Division, Letter, LetterHead, Note, Witness
from ..persons import Lexicon

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
PERSONS_FILE = "persons.xml"

MONTH_NAMES = "January February March April May June July August September October November December".split()

#: Archives by the acronym the editions print; the repository named in msIdentifier.
ARCHIVES = {
    "RGASPI": ("Russian State Archive of Socio-Political History (RGASPI)", "Russia", "Moscow"),
    "РГАСПИ": ("Russian State Archive of Socio-Political History (RGASPI)", "Russia", "Moscow"),
    "GA RF": ("State Archive of the Russian Federation (GA RF)", "Russia", "Moscow"),
    "ГА РФ": ("State Archive of the Russian Federation (GA RF)", "Russia", "Moscow"),
    "AP RF": ("Archive of the President of the Russian Federation (AP RF)", "Russia", "Moscow"),
    "АП РФ": ("Archive of the President of the Russian Federation (AP RF)", "Russia", "Moscow"),
}


def E(tag: str, *children, **attrs) -> etree._Element:
    """Build a TEI element; ``attrs`` with a trailing underscore drop it (``type_``)."""
    el = etree.Element(T + tag, nsmap={None: TEI_NS} if tag == "TEI" else None)
    for k, v in attrs.items():
        if v is None:
            continue
        k = k.rstrip("_")
        if k == "xml_id":
            k = XML_ID
        elif k == "xml_lang":
            k = XML_LANG
        el.set(k, str(v))
    for c in children:
        if c is None:
            continue
        if isinstance(c, str):
            _append_text(el, c)
        else:
            el.append(c)
    return el


def _append_text(el: etree._Element, text: str) -> None:
    if not text:
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def human_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)} {MONTH_NAMES[int(m) - 1]} {y}"


def names_phrase(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def letter_title(letter: Letter, lex: Lexicon) -> str:
    return _title([p.id for p in letter.senders], [p.id for p in letter.recipients], [p.id for p in letter.copies],
                  letter.date.when, lex)


def head_title(head: LetterHead, lex: Lexicon) -> str:
    """The title of the letter ``head`` stands for (``letter_title``)."""
    return _title(head.senders, head.recipients, head.copies, head.when, lex)


def _title(senders: Sequence[str], recipients: Sequence[str], copy_ids: Sequence[str], when: str,
           lex: Lexicon) -> str:
    surname = lambda pid: lex.entries[pid].surname if pid in lex.entries else pid  # noqa: E731
    copies = set(copy_ids)
    to = [surname(p) for p in recipients if p not in copies]
    cc = [surname(p) for p in recipients if p in copies]
    title = f"{names_phrase([surname(p) for p in senders])} to {names_phrase(to)}"
    if cc:
        title += f" (copy to {names_phrase(cc)})"
    return f"{title}, {human_date(when)}"


@dataclass
class Context:
    """What a letter's encoding needs from the corpus."""

    xml_id: str
    lex: Lexicon
    prev: tuple[str, str] | None = None  # (file name, title)
    next: tuple[str, str] | None = None
    edition: dict | None = None  # title, publisher, pub_place, year
    shared: dict | None = None  # witness number -> [(file, title)] of other letters on the same sheets


class LetterEncoder:
    def __init__(self, letter: Letter, ctx: Context):
        self.letter = letter
        self.ctx = ctx
        self.lex = ctx.lex
        self.year = int(letter.date.when[:4])
        self.div_index = 0
        self.variants: dict[str, set[str]] = {}  # person id -> printed forms marked up

    # ------------------------------------------------------------------ header
    def document(self) -> etree._Element:
        L = self.letter
        tei = E("TEI", xml_id=self.ctx.xml_id, xml_lang="en")
        tei.append(self.header())
        text = E("text")
        body = E("body")
        merged = len(L.divisions) > 1
        for k, div in enumerate(L.divisions):
            self.div_index = k
            body.append(self.division(div, k, merged))
        text.append(body)
        tei.append(text)
        return tei

    def header(self) -> etree._Element:
        L, lex = self.letter, self.lex
        title = letter_title(L, lex)
        resp_stmts = [
            E("respStmt", E("resp", "TEI encoding"), E("name", "corresptei " + __version__, xml_id="corresptei")),
            E("respStmt", E("resp", "dates and readings in square brackets"),
              E("name", "the editors of the printed edition"), xml_id="editors"),
        ]
        if any(s.machine_translated for s in L.sources):
            resp_stmts.append(
                E("respStmt", E("resp", "English translation of the single-letter page"),
                  E("name", "machine translation (the page says: AI translated)"), xml_id="mt")
            )
        file_desc = E(
            "fileDesc",
            E("titleStmt", E("title", title), *resp_stmts),
            E(
                "publicationStmt",
                E("publisher", "corresptei"),
                E("idno", self.ctx.xml_id, type_="corresptei"),
                E("availability", E("p", "Encoded from the published text for archival use; "
                                         "the rights in the source text remain with its publishers.")),
            ),
            self.source_desc(),
        )
        enc = E(
            "encodingDesc",
            E("editorialDecl",
              E("p", "Printed text kept as printed; readings the converter corrected are encoded as "
                     "choice/sic/corr with @cert; Ibid. references as choice/abbr/expan."),
              E("p", "Editorial notes stand at their markers; where no marker is printed they are anchored "
                     "by sequence and listed in the encode report.")),
            E("appInfo", E("application", E("label", "corresptei"), ident="corresptei", version=__version__)),
        )
        langs = sorted({d.lang for d in L.divisions} | {"en"})
        profile = E(
            "profileDesc",
            self.corresp_desc(),
            E("langUsage", *[E("language", {"en": "English", "ru": "Russian"}.get(l, l), ident=l) for l in langs]),
        )
        return E("teiHeader", file_desc, enc, profile)

    def source_desc(self) -> etree._Element:
        L = self.letter
        ed = self.ctx.edition or {}
        pages = next((s.pages for s in L.sources if s.pages), None)
        sd = E("sourceDesc")
        sd.append(E(
            "bibl",
            E("title", ed.get("title") or "Stalin and Kaganovich. Correspondence. 1931–1936", level="m"),
            E("pubPlace", ed.get("pub_place") or "Moscow"),
            E("publisher", ed.get("publisher") or "ROSSPEN"),
            E("date", ed.get("year") or "2001", when=ed.get("year") or "2001"),
            E("biblScope", pages, unit="page", from_=pages.split("-")[0].split("–")[0].strip(),
              to=re.split(r"[-–]", pages)[-1].strip()) if pages else None,
            type_="edition", xml_id="edition", default="true",
        ))
        for k, s in enumerate(L.sources, 1):
            note = None
            if s.machine_translated:
                note = E("note", "The English text of this page is a machine translation (AI translated).")
            titles = [E("title", t, xml_lang="ru" if re.search("[а-яА-Я]", t) else "en") for t in s.titles] \
                or [E("title", s.title)]
            sd.append(E(
                "bibl",
                *titles,
                E("note", s.metadata, type_="metadata") if s.metadata else None,
                E("idno", s.path.rsplit("/", 1)[-1], type_="file"),
                E("biblScope", f"{s.first_line}–{s.last_line}", unit="line", from_=s.first_line, to=s.last_line),
                note,
                type_="transcription", xml_id=f"transcription{k}",
            ))
        for k, w in enumerate(L.witnesses, 1):
            sd.append(self.ms_desc(w, k))
        return sd

    def ms_desc(self, w: Witness, k: int) -> etree._Element:
        c = w.citation
        archive = c.archive or (self.letter.witnesses[0].citation.archive if self.letter.witnesses else None) or "RGASPI"
        repo, country, settlement = ARCHIVES.get(archive, (archive, None, None))
        ident = E("msIdentifier", E("country", country) if country else None,
                  E("settlement", settlement) if settlement else None, E("repository", repo), self.shelfmark(c))
        head = E("head", type_="citation")
        self.printed_citation(head, w.printed, c)
        item = E("msItem")
        if c.ranges:
            if len(c.ranges) == 1:
                item.append(E("locus", c.sheets, from_=c.ranges[0][0], to=c.ranges[0][1]))
            else:
                item.append(E("locusGrp", *[E("locus", f"{a}–{b}" if a != b else a, from_=a, to=b) for a, b in c.ranges]))
        item.append(E("textLang", "Russian", mainLang="ru"))
        others = (self.ctx.shared or {}).get(k, [])
        if others:
            note = E("note", "Also on these sheets: ", type_="shared-sheets")
            for j, (fname, title) in enumerate(others):
                if j:
                    _append_text(note, "; ")
                note.append(E("ref", title, target=fname))
            item.append(note)
        ms = E("msDesc", ident, head, E("msContents", item), xml_id=f"w{k}")
        if w.description:
            ms.append(E("physDesc", E("p", w.description)))
        return ms

    def shelfmark(self, c: Citation, canonical: bool = False) -> etree._Element:
        """The typed idno: F. <fond>. Op. <opis>. D. <delo>. L. <list> (values after repair)."""
        idno = E("idno", type_="shelfmark")
        if canonical or not c.segments:
            labels = {"fond": "F. ", "opis": "Op. ", "delo": "D. ", "list": "L. "}
            first = True
            for part in g.PARTS:
                v = c.sheets if part == "list" else getattr(c, part)
                if v is None:
                    continue
                _append_text(idno, ("" if first else ". ") + labels[part])
                idno.append(E("idno", v, type_=part))
                first = False
            return idno
        segs = _from_first_part(c.segments)
        for kind, text in segs:
            if kind in g.PARTS:
                value = c.sheets if kind == "list" else getattr(c, kind)
                idno.append(E("idno", value, type_=kind))
                if kind == "opis" and c.values.get("opis", "").endswith("D"):
                    _append_text(idno, ". D.")  # "Op. ID 76": the delo marker was glued to the opis
            else:
                _append_text(idno, text)
        return idno

    def printed_citation(self, parent: etree._Element, printed: str, c: Citation) -> None:
        """The printed text of a citation with per-part choice/sic/corr for repairs."""
        i = printed.find(c.printed)
        if i < 0:
            _append_text(parent, printed)
            return
        _append_text(parent, printed[:i])
        repairs = {r.part: r for r in c.repairs}
        for kind, text in c.segments:
            rep = repairs.get(kind)
            if rep:
                corr_text = rep.corrected + (". D." if kind == "opis" and rep.printed.endswith("D") else "")
                parent.append(E("choice", E("sic", text),
                                E("corr", corr_text, cert=rep.cert, resp="#corresptei")))
            else:
                _append_text(parent, text)
        _append_text(parent, printed[i + len(c.printed):])

    def corresp_desc(self) -> etree._Element:
        L = self.letter
        sent = E("correspAction", type_="sent")
        for p in L.senders:
            sent.append(self.pers_name(p.id, p.printed))
        if L.sent_place:
            sent.append(E("placeName", L.sent_place))
        d = L.date
        attrs = {}
        if d.editorial == "full":
            attrs = {"evidence": "conjecture", "resp": "#editors"}
        elif d.editorial == "year":
            attrs = {"evidence": "internal", "resp": "#editors"}
        sent.append(E("date", d.printed, when=d.when, **attrs))
        if L.dispatched:
            sent.append(E("date", L.dispatched.printed, when=L.dispatched.when, type_="dispatch"))
        cd = E("correspDesc", sent)
        copies = {p.id for p in L.copies}
        recv = E("correspAction", type_="received")
        for p in L.recipients:
            if p.id not in copies:
                recv.append(self.pers_name(p.id, p.printed))
        if L.received:
            recv.append(E("date", L.received.printed, when=L.received.when, type_="receipt"))
        cd.append(recv)
        for p in L.recipients:
            if p.id in copies:
                cd.append(E("correspAction", self.pers_name(p.id, p.printed), type_="received", subtype="copy"))
        for p in L.intermediaries:
            cd.append(E("correspAction", self.pers_name(p.id, self.lex.entries[p.id].surname), type_="transmitted"))
        if self.ctx.prev or self.ctx.next:
            ctx = E("correspContext")
            if self.ctx.prev:
                ctx.append(E("ref", self.ctx.prev[1], type_="prev", target=self.ctx.prev[0]))
            if self.ctx.next:
                ctx.append(E("ref", self.ctx.next[1], type_="next", target=self.ctx.next[0]))
            cd.append(ctx)
        return cd

    def pers_name(self, pid: str, printed: str) -> etree._Element:
        self.variants.setdefault(pid, set()).add(printed.strip())
        return E("persName", printed.strip(), ref=f"{PERSONS_FILE}#{pid}")

    # ------------------------------------------------------------------ text
    def division(self, div: Division, k: int, merged: bool) -> etree._Element:
        L = self.letter
        dtype = div.type if merged else "letter"
        el = E("div", type_=dtype, subtype=L.kind, xml_lang=div.lang, resp=div.resp,
               source=f"#transcription{self._source_index(div)}" if merged else None)
        if div.head:
            head = E("head")
            self._head(head, div.head)
            el.append(head)
        for kind, text in div.extra:
            if kind == "source":
                el.append(E("note", text, type_="source", place="top"))
        self.notes = {id(n): n for n in div.notes}
        self.note_queue = list(div.notes)
        blocks = list(div.blocks)
        i = 0
        opener = E("opener")
        while i < len(blocks) and blocks[i].kind in OPENER_KINDS:
            self.opener_item(opener, blocks[i])
            i += 1
        if len(opener):
            el.append(opener)
        target = el
        ps = None
        closer = None
        for b in blocks[i:]:
            if b.kind == "postscript-label":
                ps = E("postscript", E("label", b.n))
                el.append(ps)
                target, closer = ps, None
                if b.text.strip():
                    p = E("p")
                    self.inline(p, b.text)
                    ps.append(p)
                continue
            if b.kind == "closer":
                if closer is None:
                    closer = E("closer")
                    target.append(closer)
                self.closer_parts(closer, b)
                continue
            closer = None
            p = E("p", n=b.n)
            self.inline(p, b.text)
            target.append(p)
        for kind, text in div.extra:
            if kind == "edition":
                el.append(E("note", self.bibl_line(text), type_="source", place="end"))
            elif kind == "citation":
                n = E("note", type_="source", place="end")
                self.text_with_citations(n, text, g.find_citations(text))
                el.append(n)
            elif kind == "note-label":
                el.append(E("note", E("label", text), type_="editorial", place="end"))
            elif kind == "note":
                last = el[-1] if len(el) and el[-1].get("type") == "editorial" and el[-1].tag == T + "note" \
                    and len(el[-1]) == 1 and el[-1][0].tag == T + "label" else None
                if last is not None:
                    _append_text(last, " " + text)
                else:
                    el.append(E("note", text, type_="editorial", place="end"))
            elif kind == "see":
                el.append(E("note", text, type_="crossref", place="end"))
        return el

    def _source_index(self, div: Division) -> int:
        for k, s in enumerate(self.letter.sources, 1):
            if div.source == s.path:
                return k
        return 1

    def bibl_line(self, text: str) -> etree._Element:
        return E("bibl", text)

    def _head(self, head: etree._Element, text: str) -> None:
        found = g.parse_header_date(text, self.year) if not re.search("[а-я]", text) else None
        if found:
            date, start = found
            _append_text(head, text[:start])
            attrs = {"evidence": "conjecture"} if date.editorial == "full" else {}
            head.append(E("date", text[start:start + len(date.printed)], when=date.when, **attrs))
            _append_text(head, text[start + len(date.printed):])
        else:
            _append_text(head, text)

    def opener_item(self, opener: etree._Element, b: Block) -> None:
        text = b.text
        if b.kind in ("doctype", "classification"):
            seg = E("seg", type_=b.kind)
            self.inline(seg, text)
            opener.append(seg)
        elif b.kind in ("dateline", "dateline-doctype"):
            m = g.SHORT_DATE.search(g.strip_anchors(text))
            dl = E("dateline")
            if m and m.start() == 0 and ANCHOR not in text[: m.end()]:
                dl.append(E("date", text[: m.end()], when=g.short_date_iso(m, self.year)))
                rest = text[m.end():]
            else:
                rest = text
            if b.kind == "dateline-doctype":
                opener.append(dl)
                lead = rest[: len(rest) - len(rest.lstrip())]
                _append_text(opener, lead)
                seg = E("seg", type_="doctype")
                self.inline(seg, rest.lstrip())
                opener.append(seg)
            else:
                self.inline(dl, rest)
                opener.append(dl)
        elif b.kind in ("sent", "received"):
            dl = E("dateline")
            plain = text
            if b.when and b.time_printed and b.time_printed in plain:
                i = plain.index(b.time_printed)
                before = plain[:i]
                if b.place and b.place in before:
                    j = before.index(b.place)
                    self.inline(dl, before[:j])
                    dl.append(E("placeName", b.place))
                    self.inline(dl, before[j + len(b.place):])
                else:
                    self.inline(dl, before)
                dl.append(E("date", b.time_printed, when=b.when, type_="dispatch" if b.kind == "sent" else "receipt"))
                self.inline(dl, plain[i + len(b.time_printed):])
            else:
                self.inline(dl, plain)
            opener.append(dl)
        elif b.kind == "registration":
            self.idno_with_notes(opener, text)
        elif b.kind in ("address", "salute"):
            s = E("salute")
            self.names_inline(s, text)
            opener.append(s)
        else:
            p = E("seg")
            self.inline(p, text)
            opener.append(p)

    def closer_parts(self, closer: etree._Element, b: Block) -> None:
        first = True
        for kind, text in b.parts:
            if kind == "word-number" and len(closer) and closer[-1].tag == T + "dateline":
                # "1.40. five": a spelt-out note marker after the secretary's time
                self.inline(closer[-1], " " + text)
                continue
            if not first or len(closer):
                _append_text(closer, " ")
            first = False
            if kind == "salute":
                s = E("salute")
                self.inline(s, text)
                closer.append(s)
            elif kind == "signed":
                s = E("signed")
                self.names_inline(s, text)
                closer.append(s)
            elif kind == "registration":
                self.idno_with_notes(closer, text)
            elif kind == "date":
                dl = E("dateline")
                m = g.SHORT_DATE.search(text)
                if m and ANCHOR not in text[: m.end()]:
                    self.inline(dl, text[: m.start()])
                    dl.append(E("date", text[m.start(): m.end()], when=g.short_date_iso(m, self.year)))
                    self.inline(dl, text[m.end():])
                else:
                    self.inline(dl, text)
                closer.append(dl)
            elif kind == "time":
                dl = E("dateline")
                core = g.strip_anchors(text).strip()
                m = g.TIME.match(core)
                iso = g.time_iso(m) if m else None
                tm = E("time", when=iso)
                body = text.rstrip(ANCHOR + " .") if text.rstrip(ANCHOR + " .") else text
                self.inline(tm, body)
                dl.append(tm)
                self.inline(dl, text[len(body):])
                closer.append(dl)
            else:
                self.inline(closer, text)

    # ------------------------------------------------------------------ inline
    def idno_with_notes(self, parent: etree._Element, text: str) -> None:
        """A registration number; an idno holds no notes, so its markers' notes follow it."""
        parent.append(E("idno", g.strip_anchors(text), type_="registration"))
        for _ in range(text.count(ANCHOR)):
            parent.append(self.note_element(self.note_queue.pop(0)))

    def names_inline(self, parent: etree._Element, text: str) -> None:
        """Text with correspondents' names marked up as persName."""
        rx = re.compile(r"(?:(?:[A-ZА-ЯЁ]\.\s?){1,2})?[A-ZА-ЯЁ][\w'’-]+(?:\s+[A-ZА-ЯЁ][a-zа-яё]+)?|[A-ZА-ЯЁ][a-zа-яё]?\.\s?[A-ZА-ЯЁ][a-zа-яё]?\.")
        pos = 0
        for m in rx.finditer(text):
            word = m.group(0)
            pid = self.lex.resolve(word)
            if pid is None and re.fullmatch(r"[A-ZА-ЯЁ]\.\s?St\.", word):
                pid = self.lex.resolve("Stalin")
            if pid is None or word in ("Tov", "Comrade"):
                continue
            self.inline(parent, text[pos:m.start()])
            parent.append(self.pers_name(pid, word))
            pos = m.end()
        self.inline(parent, text[pos:])

    def inline(self, parent: etree._Element, text: str) -> None:
        """Text with ANCHORs (notes) and newlines (lb)."""
        parts = re.split(f"({ANCHOR}|\n)", text)
        for part in parts:
            if part == ANCHOR:
                parent.append(self.note_element(self.note_queue.pop(0)))
            elif part == "\n":
                parent.append(E("lb"))
            elif part:
                _append_text(parent, part)

    def note_element(self, note: Note) -> etree._Element:
        # notes are numbered per division: a letter with several texts keeps their ids apart
        div = f"-d{self.div_index + 1}" if self.div_index else ""
        n = E("note", n=note.n, type_="editorial", place="foot" if note.anchor != "unresolved" else "end",
              xml_id=f"{self.ctx.xml_id}{div}-n{note.n}")
        if note.anchor == "inferred":
            n.set("cert", "medium")
        paras = note.paragraphs
        cits = note.citations or [[] for _ in paras]
        if len(paras) == 1:
            self.text_with_citations(n, paras[0], cits[0])
        else:
            for para, cs in zip(paras, cits):
                p = E("p")
                self.text_with_citations(p, para, cs)
                n.append(p)
        return n

    def text_with_citations(self, parent: etree._Element, text: str, cits: list[Citation]) -> None:
        pos = 0
        for c in cits:
            _append_text(parent, text[pos:c.start])
            parent.append(self.citation_bibl(c))
            pos = c.end
        _append_text(parent, text[pos:])

    def citation_bibl(self, c: Citation) -> etree._Element:
        bibl = E("bibl", type_="archival")
        if c.ibid:
            abbr = E("abbr")
            self.printed_citation(abbr, c.printed, c)
            if c.resolved is None:  # nothing earlier to expand to: keep the printed text
                _append_text(bibl, c.printed)
                return bibl
            r = c.resolved
            expan = E("expan")
            if r.archive:
                expan.append(E("orgName", r.archive, type_="archive"))
                _append_text(expan, ". ")
            expan.append(self.shelfmark(r, canonical=True))
            bibl.append(E("choice", abbr, expan))
            return bibl
        segs = _from_first_part(c.segments)
        lead = _before_first_part(c.segments)
        for kind, text in lead:
            if kind == "archive":
                bibl.append(E("orgName", text, type_="archive"))
            else:
                _append_text(bibl, text)
        if c.repairs:
            sic_text = "".join(t for _, t in segs)
            cert = min((r.cert for r in c.repairs), key=["low", "medium", "high"].index)
            bibl.append(E("choice", E("sic", sic_text), E("corr", self.shelfmark(c), cert=cert, resp="#corresptei")))
        else:
            bibl.append(self.shelfmark(c))
        return bibl


OPENER_KINDS = {"doctype", "classification", "dateline", "dateline-doctype", "sent", "received", "registration",
                "address", "salute"}


def _before_first_part(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What precedes the first part marker: the archive, Ibid., separators."""
    rest = _from_first_part(segments)
    joined = "".join(t for _, t in segments)
    cut = len(joined) - len("".join(t for _, t in rest))
    out, pos = [], 0
    for kind, text in segments:
        if pos >= cut:
            break
        take = text[: cut - pos]
        out.append((kind, take))
        pos += len(text)
    return out


def _from_first_part(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The segments of a citation from its first part marker ("F. …") to its end."""
    parts_at = [k for k, (kind, _) in enumerate(segments) if kind in g.PARTS]
    if not parts_at:
        return []
    first = parts_at[0]
    # the marker text ("F. ") precedes the first value
    start = first - 1 if first > 0 and segments[first - 1][0] == "text" else first
    marker_text = segments[start][1] if start != first else ""
    # a leading separator belongs to what precedes ("RGASPI. F. ") — keep only the marker
    m = re.search(r"(?:F|Ф|f|Fond|Op|Оп|op|Inv|D|Д|d|L|Лл|Л|ll|l)\b[\s.]*/?\s*$", marker_text)
    out = []
    if start != first:
        out.append(("text", marker_text[m.start():] if m else marker_text))
    out.extend(segments[first:])
    return out
