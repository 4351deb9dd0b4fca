"""A monthly page of the published correspondence: many letters, each with

    header    := senders CONNECT recipients date           ("Stalin to Kaganovich September 1, 1931")
    archive   := ("Archive:" | "Архив:")? witness+         (witness := citation description?)
    text      := see ``body``
    notes     := separator note-paragraph*

An introduction (with its own notes) may precede the first letter, and site
navigation may surround the page; neither is a letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import DateTime, Division, EditorialDate, Letter, PersonRef, Problem, Source, Witness
from ..persons import Lexicon
from . import grammar as g
from .body import analyse
from .text import SourceText, is_navigation, is_separator

_NAME = r"(?:[A-ZА-ЯЁ]\.\s?)*[A-ZА-ЯЁ][\w'’-]+"
_NAMES = rf"{_NAME}(?:\s*,\s*{_NAME})*"
HEADER = re.compile(
    rf"^(?P<senders>{_NAMES})\s*(?:[-–—]\s*(?:to\s+)?|\s+to\s+|\s+[-–—]\s+)(?P<recipients>{_NAMES})\s*,?\s+(?P<rest>.+)$"
)
ARCHIVE_LABEL = re.compile(r"(?P<label>Archive|Архив)\s*:\s*")
MONTH_HEADING = re.compile(r"^(?P<year>1[89]\d\d)\s*[-–—]\s*(?P<month>[A-Za-zА-Яа-я]+)$")
SOURCE_LINE = re.compile(r"^Source\s*[;:]\s*(?P<text>.+)$")
EDITION_TITLE = re.compile(r"^(?P<title>[^\"]*?Correspondence\.\s*\d{4}\s*[–-]\s*\d{4})")
SECRETARY_PLACE = re.compile(
    r"[\"“„]\s*(?:\d{1,2}\s*[./]\s*[IVX]+[^\"”]*?)\s+(?P<place>[A-ZА-Я][a-zа-я]+)\.?\s*[\"”]"
)


@dataclass
class PageInfo:
    title: str
    edition: str | None
    publisher: str | None
    pub_place: str | None
    pub_year: str | None
    year: int | None


def parse_header(line: str, lex: Lexicon, default_year: int | None):
    """(senders, recipients, date, archive_rest) or None when ``line`` is no header."""
    archive_rest = None
    am = ARCHIVE_LABEL.search(line)
    if am and am.start() > 0:
        archive_rest = line[am.start():]
        line = line[: am.start()].rstrip()
    m = HEADER.match(line)
    if not m:
        return None
    found = g.parse_header_date(line, default_year)
    if not found:
        return None
    date, start = found
    if start < m.start("rest"):
        return None
    between = line[m.end("recipients"):start].strip(" ,")
    if between and between not in ("on", "от"):
        return None
    senders = [s.strip() for s in re.split(r"\s*,\s*", m["senders"])]
    recipients = [s.strip() for s in re.split(r"\s*,\s*", m["recipients"])]
    # a header names people: every name must look like one (known, or a capitalised surname)
    if not all(_looks_like_name(n, lex) for n in senders + recipients):
        return None
    return senders, recipients, date, archive_rest


def _looks_like_name(n: str, lex: Lexicon) -> bool:
    if lex.is_name(n):
        return True
    return bool(re.fullmatch(_NAME, n)) and n.lower() not in g.MONTHS_EN


def parse_witnesses(rest: str) -> tuple[list[Witness], str]:
    """The archive line after its label: citations, each followed by its description."""
    cits = g.find_citations(rest)
    witnesses = []
    for k, c in enumerate(cits):
        end = cits[k + 1].start if k + 1 < len(cits) else len(rest)
        desc = rest[c.end:end].strip()
        desc = desc[1:].strip() if desc.startswith(".") else desc
        start = 0 if k == 0 else c.start
        witnesses.append(Witness(citation=c, description=desc, printed=rest[start:end].strip()))
    return witnesses, rest


def read_page_info(src: SourceText, first_header: int) -> PageInfo:
    title = next((l for l in src.lines[:first_header] if l and not is_navigation(l)), "")
    edition = publisher = place = pub_year = None
    year = None
    for l in src.lines[:first_header]:
        m = SOURCE_LINE.match(l)
        if m:
            t = m["text"].strip().strip('"')
            em = EDITION_TITLE.match(t)
            edition = em["title"] if em else t
            pm = re.search(r"\((?P<pub>[^)]+)\)", t)
            publisher = pm["pub"] if pm else None
            ym = re.search(r"(\d{4})\s*$", t)
            pub_year = ym.group(1) if ym else None
            cm = re.search(r"\d{4}\s*[–-]\s*\d{4}\s+(?P<place>[A-Z][a-z]+)", t)
            place = cm["place"] if cm else None
        mh = MONTH_HEADING.match(l)
        if mh:
            year = int(mh["year"])
    if edition is None:
        for l in src.lines[:first_header]:
            em = EDITION_TITLE.match(l)
            if em:
                edition = em["title"]
    return PageInfo(title, edition, publisher, place, pub_year, year)


def read_monthly(src: SourceText, lex: Lexicon) -> tuple[list[Letter], list[Problem], PageInfo]:
    problems: list[Problem] = []
    heads: list[tuple[int, tuple]] = []
    year_guess = None
    for no, line in enumerate(src.lines, 1):
        mh = MONTH_HEADING.match(line)
        if mh:
            year_guess = int(mh["year"])
        parsed = parse_header(line, lex, year_guess)
        if parsed:
            heads.append((no, parsed))
    info = read_page_info(src, heads[0][0] - 1 if heads else len(src.lines))
    letters: list[Letter] = []
    for k, (no, (senders, recipients, date, archive_rest)) in enumerate(heads):
        end = heads[k + 1][0] - 1 if k + 1 < len(heads) else len(src.lines)
        # trailing site navigation is not part of the last letter
        while end > no and (not src.line(end) or is_navigation(src.line(end))):
            end -= 1
        letter, probs = _read_letter(src, no, end, senders, recipients, date, archive_rest, lex, info,
                                     last=k + 1 == len(heads))
        problems.extend(probs)
        if letter is not None:
            letters.append(letter)
    if not heads:
        problems.append(Problem(src.path, 1, "error", "no letter found: no line reads as a header "
                                "'Senders to Recipients Date' (e.g. 'Stalin to Kaganovich September 1, 1931')"))
    return letters, problems, info


def _read_letter(src, no, end, senders_p, recipients_p, date, archive_rest, lex, info, last=False):
    problems: list[Problem] = []
    header = src.line(no)
    senders = [PersonRef(lex.id_for(s), s) for s in senders_p]
    recipients = [PersonRef(lex.id_for(s), s) for s in recipients_p]
    i = no + 1
    archive_line, archive_no = None, None
    if archive_rest is not None:
        archive_line, archive_no = archive_rest, no
        header = header[: header.find(archive_rest)].rstrip()
    else:
        while i <= end and not src.line(i):
            i += 1
        if i <= end and (ARCHIVE_LABEL.match(src.line(i)) or _starts_with_citation(src.line(i))):
            archive_line, archive_no = src.line(i), i
            i += 1
    witnesses: list[Witness] = []
    if archive_line is None:
        problems.append(Problem(src.path, no, "error", "header without an archive line: expected "
                                "'Archive: RGASPI F. … Op. … D. … L. …' after it"))
    else:
        am = ARCHIVE_LABEL.match(archive_line)
        rest = archive_line[am.end():] if am else archive_line
        witnesses, _ = parse_witnesses(rest)
        if witnesses:
            witnesses[0].printed = archive_line[: am.end()] + witnesses[0].printed if am else witnesses[0].printed
        else:
            problems.append(Problem(src.path, archive_no, "error", f"cannot read an archival reference in {archive_line!r}"))
    # text and notes
    sep = next((j for j in range(i, end + 1) if is_separator(src.line(j))), None)
    text_end = sep - 1 if sep else end
    text_lines = [(j, src.line(j)) for j in range(i, text_end + 1)]
    note_lines = [(j, src.line(j)) for j in range(sep + 1, end + 1) if src.line(j)] if sep else []
    if not any(t for _, t in text_lines):
        problems.append(Problem(src.path, no, "error", "the letter has no text (cut off?)"))
        return None, problems
    last_text = [t for _, t in text_lines if t][-1]
    if sep is None and last and not re.search(r"[.!?\"”»)\d]$", last_text):
        problems.append(Problem(src.path, end, "error", "the letter is cut off: the file ends mid-sentence"))
    year = int(date.when[:4])
    body = analyse(text_lines, note_lines, lex, [p.id for p in senders], [p.id for p in recipients], year)
    for line, msg in body.messages:
        problems.append(Problem(src.path, line, "warning", msg))
    copies = [p for p in recipients if p.id in body.copies]
    intermediaries = [PersonRef(pid, pid) for pid in body.intermediaries]
    div = Division(lang="ru" if re.search("[а-яА-Я]", header) else "en", type="letter", blocks=body.blocks,
                   notes=body.notes, head=header, head_line=no)
    letter = Letter(
        header=header,
        header_line=no,
        senders=senders,
        recipients=recipients,
        copies=copies,
        intermediaries=intermediaries,
        date=EditorialDate(date.when, date.printed, date.editorial),
        witnesses=witnesses,
        divisions=[div],
        sources=[Source(src.path, info.title, no, end, "monthly")],
        kind=body.kind,
        archive_line=archive_line,
        archive_line_no=archive_no,
        source_lines=src.raw[no - 1:end],
    )
    if body.sent is not None:
        letter.sent_place = body.sent.place
        if body.sent.when:
            letter.dispatched = DateTime(body.sent.when, body.sent.time_printed or "")
    if body.received is not None and body.received.when:
        letter.received = DateTime(body.received.when, body.received.time_printed or "")
    if letter.sent_place is None:
        # the secretary's annotation quoted in a note: "3/IX - 31 Sochi."
        for para in (p for note in body.notes for p in note.paragraphs):
            m = SECRETARY_PLACE.search(para)
            if m and ("secretary" in para.lower() or "note" in para.lower()):
                letter.sent_place = m["place"]
                letter.sent_place_printed = m.group(0)
                break
    for p in problems:
        if p.severity == "error":
            letter.problems.append(p)
    return letter, problems


def _starts_with_citation(line: str) -> bool:
    cits = g.find_citations(line)
    return bool(cits) and cits[0].start == 0
