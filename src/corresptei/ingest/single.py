"""A single-letter page: one letter in one or two languages.

    page     := navigation* title title-ru? meta? part+
    title    := ("Letter" | "Telegram" | "Note") ("from" names)? "to" names "," date
    meta     := ISO-date languages ("AI translated")?          ("1931-09-07 ru:tom17;en:AI AI translated")
    part     := title "Source:" volume  text  "---"  apparatus  (English)
              | volume title text "." apparatus                 (Russian: "Том 17", "Письмо … 7 сентября 1931 года")
    apparatus:= "Source:" edition pages | citation | "Note:" text | "See:" reference
              | edition "С." pages | citation | "ПРИМЕЧАНИЕ" text | "См.:" reference

The sender, when the title does not name one, is the signatory.
"""

from __future__ import annotations

import re

from ..model import Division, EditorialDate, Letter, PersonRef, Problem, Source, Witness
from ..persons import Lexicon
from . import grammar as g
from .body import analyse
from .text import SourceText, is_navigation, is_separator

TITLE_EN = re.compile(
    r"^(?P<kind>Letter|Telegram|Note|Cipher)\s+(?:from\s+(?P<senders>.+?)\s+)?to\s+(?P<recipients>.+?),\s*(?P<date>.+)$"
)
TITLE_RU = re.compile(
    r"^(?P<kind>Письмо|Телеграмма|Записка|Шифровка)\s+(?:от\s+(?P<senders>.+?)\s+)?(?P<recipients>.+?)\s+(?P<date>\d{1,2}\s+\w+\s+\d{4}\s*(?:г\.|года)?)$"
)
META = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<langs>\S+)(?P<rest>.*)$")
MACHINE = re.compile(r"\b(?:AI|machine)[ -]translat", re.I)
VOLUME = re.compile(r"^(?:Source:\s*)?(?:Tom|Том|Vol\.?|Volume)\s+\d+$")
SOURCE_EN = re.compile(r"^Source:\s*(?P<text>.+)$")
EDITION_RU = re.compile(r"^(?P<text>.+Переписка\..+)$")
PAGES = re.compile(r"(?:pp?\.|С\.)\s*(?P<pages>\d+(?:\s*[-–]\s*\d+)?)")
NOTE_LABEL = re.compile(r"^(?:Note|Примечание|ПРИМЕЧАНИЕ)\s*:?\s*(?P<text>.*)$")
SEE = re.compile(r"^(?P<label>See|См\.)\s*:\s*(?P<text>.+)$")


def looks_single(src: SourceText) -> bool:
    return any(TITLE_EN.match(l) or TITLE_RU.match(l) for l in src.lines[:20])


def _names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"\s*(?:,|\band\b|\bи\b)\s*", text) if n.strip()]


def read_single(src: SourceText, lex: Lexicon, edition_title: str | None = None) -> tuple[list[Letter], list[Problem]]:
    problems: list[Problem] = []
    lines = src.lines
    n = len(lines)
    first = next((i for i, l in enumerate(lines) if TITLE_EN.match(l) or TITLE_RU.match(l)), None)
    if first is None:
        return [], [Problem(src.path, 1, "error", "no letter title found (e.g. 'Letter to L.M. Kaganovich, September 7, 1931')")]
    meta = next((META.match(l) for l in lines if META.match(l)), None)
    machine = bool(meta and MACHINE.search(meta.group(0)))

    # part boundaries: an English title line followed by "Source:" / a volume line, and a
    # Russian volume line followed by a Russian title
    parts: list[tuple[str, int]] = []  # (lang, index of first line)
    for i, l in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < n else ""
        if TITLE_EN.match(l) and VOLUME.match(nxt):
            parts.append(("en", i))
        elif VOLUME.match(l) and TITLE_RU.match(nxt):
            parts.append(("ru", i))
    if not parts:
        return [], [Problem(src.path, first + 1, "error", "no letter text found after the title")]

    title_en = next((TITLE_EN.match(l) for l in lines if TITLE_EN.match(l)), None)
    title_ru = next((TITLE_RU.match(l) for l in lines if TITLE_RU.match(l)), None)
    tm = title_en or title_ru
    found = g.parse_header_date(tm["date"].replace("года", "").strip())
    if meta:
        when = meta["date"]
        date = EditorialDate(when, found[0].printed if found else tm["date"], found[0].editorial if found else "none")
    elif found:
        date = EditorialDate(found[0].when, found[0].printed, found[0].editorial)
    else:
        return [], [Problem(src.path, first + 1, "error", f"cannot read the date of {tm.group(0)!r}")]
    year = int(date.when[:4])
    recipients = [PersonRef(lex.id_for(r), r) for r in _names(tm["recipients"])]

    divisions: list[Division] = []
    witnesses: list[Witness] = []
    pages = None
    senders: list[PersonRef] = []
    for k, (lang, start) in enumerate(parts):
        stop = parts[k + 1][1] if k + 1 < len(parts) else n
        while stop > start and (not lines[stop - 1] or is_navigation(lines[stop - 1])):
            stop -= 1
        div, wit, pg, signatory, probs = _read_part(src, lang, start, stop, lex, year, [r.id for r in recipients], machine)
        problems.extend(probs)
        divisions.append(div)
        witnesses = witnesses or wit
        pages = pages or pg
        if signatory and not senders:
            senders = [PersonRef(lex.id_for(signatory), signatory)]
    if tm["senders"]:
        senders = [PersonRef(lex.id_for(s), s) for s in _names(tm["senders"])]
    if not senders:
        problems.append(Problem(src.path, first + 1, "error", "the sender is neither in the title nor signed"))
        return [], problems
    header = lines[first]
    letter = Letter(
        header=header,
        header_line=first + 1,
        senders=senders,
        recipients=recipients,
        copies=[],
        intermediaries=[],
        date=date,
        witnesses=witnesses,
        divisions=divisions,
        sources=[Source(src.path, header, 1, n, "single", pages=pages, machine_translated=machine,
                        titles=[l for l in lines[:parts[0][1]] if TITLE_EN.match(l) or TITLE_RU.match(l)],
                        metadata=meta.group(0) if meta else None)],
        source_lines=[r for r, l in zip(src.raw, lines) if not is_navigation(l)],
    )
    return [letter], problems


def _read_part(src: SourceText, lang: str, start: int, stop: int, lex, year, recipients, machine):
    lines = src.lines
    problems: list[Problem] = []
    head_idx = start if lang == "en" else start + 1
    head = lines[head_idx]
    extra: list[tuple[str, str]] = []
    volume_idx = start + 1 if lang == "en" else start
    extra.append(("source", lines[volume_idx]))
    i = max(head_idx, volume_idx) + 1
    # the text runs to the rule ("---") or to a line holding only "."; the apparatus follows
    end = next((j for j in range(i, stop) if is_separator(lines[j]) or lines[j] == "."), None)
    if end is None:
        end = next((j for j in range(i, stop) if SOURCE_EN.match(lines[j]) or EDITION_RU.match(lines[j])), stop)
    text_lines = [(j + 1, lines[j]) for j in range(i, end)]
    if end < stop and lines[end] == ".":
        # the closing full stop of the signature, printed on its own line
        text_lines.append((end + 1, "."))
    witnesses: list[Witness] = []
    pages = None
    note_paras: list[tuple[int, str]] = []
    in_note = False
    for j in range(end + (0 if end < stop and lines[end] == "." else 1), stop):
        l = lines[j]
        if not l or (j == end and lines[end] == "."):
            continue
        sm = SOURCE_EN.match(l)
        em = EDITION_RU.match(l) if not sm else None
        cits = g.find_citations(l)
        nm = NOTE_LABEL.match(l)
        see = SEE.match(l)
        if sm or em:
            extra.append(("edition", l))
            pm = PAGES.search(l)
            pages = pages or (pm["pages"] if pm else None)
            in_note = False
        elif cits and cits[0].start == 0:
            extra.append(("citation", l))
            if not witnesses:
                witnesses.append(Witness(cits[0], "", l))
            in_note = False
        elif see:
            extra.append(("see", l))
            in_note = False
        elif nm:
            in_note = True
            if nm["text"]:
                extra.append(("note", l))
            else:
                extra.append(("note-label", l))
        elif in_note:
            extra.append(("note", l))
        else:
            extra.append(("note", l))
    body = analyse(_merge_dot(text_lines), note_paras, lex, [], recipients, year)
    signatory = None
    for b in body.blocks:
        name = re.sub(r"\s+", " ", b.text).strip().rstrip(".").strip()
        if b.kind == "p" and re.fullmatch(r"(?:[A-ZА-ЯЁ]\.\s?){1,2}[A-ZА-ЯЁ][a-zа-яё]+", name):
            signatory = name
    if signatory:
        body = analyse(_merge_dot(text_lines), note_paras, lex, [lex.id_for(signatory)], recipients, year)
    for line, msg in body.messages:
        problems.append(Problem(src.path, line, "warning", msg))
    resp = "#mt" if (lang == "en" and machine) else None
    div = Division(lang=lang, type="translation" if lang == "en" else "original", blocks=body.blocks, notes=body.notes,
                   resp=resp, head=head, head_line=head_idx + 1, extra=extra)
    return div, witnesses, pages, signatory, problems


def _merge_dot(text_lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A lone '.' line ends the line before it."""
    out: list[tuple[int, str]] = []
    for no, t in text_lines:
        if t == "." and out:
            k = len(out) - 1
            while k > 0 and not out[k][1]:
                k -= 1
            out[k] = (out[k][0], out[k][1] + "\n.")
        else:
            out.append((no, t))
    return out
