"""The text of one letter: blocks, opener, closer, postscript and notes.

The grammar, from the top of a letter's text:

    opener   := (doctype | dateline | transmission | registration | address | salute)*
    body     := block+
    closer   := a trailing run of blocks made only of signature / registration /
                date / time tokens, plus the closing tail of the block before them
    postscript := "PS" block ...   (before the closer analysis of the main text)

Each block keeps the line it starts on; notes are anchored with ``ANCHOR``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import ANCHOR, Block, Note
from ..persons import Lexicon
from . import grammar as g
from .notes import build_notes, place_anchors

_SENTENCE_END = re.compile(r"[.!?:;\"”»)…]$")
GREETING = re.compile(
    r"^(?P<salute>(?:Hello|Greetings|Dear|Hi|Здравствуйте|Привет|Дорогой)\b(?:[^!.]|(?<=\s\w)\.|(?<=\s\w\w)\.)*?(?:!|(?<!\s\w)(?<!\s\w\w)\.))"
    r"(?:\s+(?P<rest>\S.*))?$", re.S
)
NUMBERED_POINT = re.compile(r"^(?P<label>(?P<n>\d{1,2})\s*\)|(?P<n2>\d{1,2})\.(?=\s)|(?P<n3>[a-zа-я])\))")
PS = re.compile(r"^(?P<label>P\.?\s?S\.?|П\.?\s?С\.?)(?=\s|$)")


@dataclass
class Body:
    blocks: list[Block]
    notes: list[Note]  # in the order of their anchors in the text
    messages: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    kind: str = "letter"
    sent: Block | None = None
    received: Block | None = None
    intermediaries: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)


def make_blocks(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines -> blocks.  A line that stops mid-sentence and is followed directly by a
    line starting in lower case continues into it (joined with a newline)."""
    blocks: list[tuple[int, str]] = []
    prev_blank = True
    for no, text in lines:
        if not text:
            prev_blank = True
            continue
        if (
            blocks
            and not prev_blank
            and not _SENTENCE_END.search(blocks[-1][1])
            and re.match(r"[a-zа-яё(—–-]", text)
        ):
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + "\n" + text)
        else:
            blocks.append((no, text))
        prev_blank = False
    return blocks


def analyse(
    text_lines: list[tuple[int, str]],
    note_paragraphs: list[tuple[int, str]],
    lex: Lexicon,
    senders: list[str],
    recipients: list[str],
    year: int,
) -> Body:
    raw_blocks = make_blocks(text_lines)
    texts = [t for _, t in raw_blocks]
    notes, anchors, note_msgs = build_notes(note_paragraphs, texts) if note_paragraphs else ([], [], [])
    texts = place_anchors(texts, notes, anchors)
    # unresolved notes go to the end of the text
    ordered: list[tuple[tuple[int, int], Note]] = []
    for note, a in zip(notes, anchors):
        if a is None:
            texts[-1] = texts[-1] + ANCHOR if texts else ANCHOR
            ordered.append(((len(texts), 0), note))
        else:
            ordered.append(((a.block, a.start), note))
    ordered.sort(key=lambda t: t[0])
    body = Body(blocks=[], notes=[n for _, n in ordered])
    for note, msg in note_msgs:
        body.messages.append((note.line, msg))
    blocks = [Block("p", t, no) for (no, _), t in zip(raw_blocks, texts)]
    _opener(blocks, body, lex, senders, recipients, year)
    _postscript_and_closer(blocks, lex, senders, year)
    if blocks and not any(b.kind in ("p", "postscript-label") for b in blocks):
        # a letter has text: when every block read as opener or closer, the longest is the text
        longest = max(blocks, key=lambda b: len(b.text or "".join(t for _, t in b.parts)))
        longest.text = longest.text or " ".join(t for _, t in longest.parts)
        longest.kind, longest.parts = "p", []
    for b in blocks:
        if b.kind == "p":
            m = NUMBERED_POINT.match(b.text)
            if m:
                b.n = m["n"] or m["n2"] or m["n3"]
    body.blocks = blocks
    return body


# --------------------------------------------------------------------------- #
# opener
# --------------------------------------------------------------------------- #


def _opener(blocks: list[Block], body: Body, lex: Lexicon, senders, recipients, year: int) -> None:
    i = 0
    while i < len(blocks):
        b = blocks[i]
        plain = g.strip_anchors(b.text).strip()
        if _doctype(b, plain, body):
            i += 1
            continue
        if _transmission(b, plain, body, year, blocks, i):
            i += 1
            continue
        if g.REGISTRATION.fullmatch(plain):
            b.kind = "registration"
            i += 1
            continue
        if _dateline(b, plain, year):
            i += 1
            continue
        if _address(b, plain, lex, body):
            i += 1
            continue
        m = GREETING.match(b.text)
        if m and len(g.strip_anchors(m["salute"]).split()) <= 10:
            if m["rest"]:
                blocks.insert(i + 1, Block("p", m["rest"], b.line))
                b.text = m["salute"]
            b.kind = "salute"
        break


def _doctype(b: Block, plain: str, body: Body) -> bool:
    # "9/IX 31 Copy." : a date followed by a document type
    m = g.SHORT_DATE.match(plain)
    rest = plain[m.end():].strip() if m else plain
    toks = g.doctype_tokens(rest)
    if not toks:
        return False
    if m:
        b.kind = "dateline-doctype"
    else:
        b.kind = "classification" if all(g.CLASSIFICATION_WORDS.search(t) for t in toks) else "doctype"
    if any(g.TELEGRAM_WORDS.search(t) for t in toks):
        body.kind = "telegram"
    return True


def _transmission(b: Block, plain: str, body: Body, year: int, blocks, i) -> bool:
    m = g.SENT_LINE.match(plain)
    r = g.RECEIVED_LINE.match(plain)
    if not (m or r):
        return False
    # a transmission line says where from or when: "Received Patek's draft" is a sentence
    if m and not (m["place"] or m["place_ru"] or g.parse_moment(m["rest"], year)[0]):
        return False
    if r and not m and not (re.match(r"Received\s+for\b|Получен[оа]?\s+для\b", plain)
                            or g.parse_moment(r["rest"], year)[0]):
        return False
    if m:
        # "Dispatched from Moscow 8.IX. at 20:35. Received for interpretation on 9. IX at 0:45."
        split = re.search(r"(?<=[.\s])(?=Received\b|Получен)", b.text)
        if split and split.start() > 0:
            blocks.insert(i + 1, Block("p", b.text[split.start():].lstrip(), b.line))
            b.text = b.text[: split.start()].rstrip()
            plain = g.strip_anchors(b.text).strip()
            m = g.SENT_LINE.match(plain)
        b.place = m["place"] or m["place_ru"]
        body.sent = _moment(b, "sent", m["rest"], plain, body, year)
    else:
        body.received = _moment(b, "received", r["rest"], plain, body, year)
    return True


def _moment(b: Block, kind: str, rest: str, plain: str, body: Body, year: int) -> Block:
    b.kind = kind
    b.when, b.time_printed = g.parse_moment(rest, year)
    body.kind = "telegram"
    if b.when is None:
        what = "dispatch" if kind == "sent" else "receipt"
        body.messages.append((b.line, f"cannot read the time of {what} in {plain!r}"))
    return b


def _dateline(b: Block, plain: str, year: int) -> bool:
    m = g.SHORT_DATE.fullmatch(plain.rstrip("."))
    if not m:
        return False
    b.kind = "dateline"
    b.when = g.short_date_iso(m, year)
    return True


_ADDRESS_WORDS = re.compile(r"^(?:Tov\.|T\.|tt\.|Comrade|Comrades|Moscow|copy|to|for|and|Central|т\.|тов\.)$", re.I)


def _address(b: Block, plain: str, lex: Lexicon, body: Body) -> bool:
    """'Tov. Stalin.', 'Stalin, Molotov.', 'Kaganovich, copy to Yagoda.', 'Poskrebyshev for Kaganovich .'"""
    words = re.findall(r"[^\s,.]+\.?", plain.rstrip(".!").strip())
    if not words or len(words) > 8:
        return False
    names = [w for w in words if not _ADDRESS_WORDS.match(w)]
    if not names or not all(lex.is_name(w.rstrip(".")) for w in names):
        return False
    b.kind = "address"
    cm = re.search(r"copy to\s+(?P<names>.+)$", plain.rstrip(".!"))
    if cm:
        body.copies = [lex.id_for(n) for n in re.split(r"\s*(?:,|and)\s*", cm["names"]) if n.strip()]
    fm = re.match(r"(?P<via>[^,]+?)\s+for\s+", plain)
    if fm and lex.is_name(fm["via"]):
        body.intermediaries = [lex.id_for(fm["via"])]
    return True


# --------------------------------------------------------------------------- #
# postscript and closer
# --------------------------------------------------------------------------- #


def _postscript_and_closer(blocks: list[Block], lex: Lexicon, senders: list[str], year: int) -> None:
    # a postscript follows the letter: a "PS" before any paragraph is just text
    first_p = next((k for k, b in enumerate(blocks) if b.kind == "p"), len(blocks))
    start = next((k for k, b in enumerate(blocks) if k > first_p and b.kind == "p" and PS.match(b.text)), None)
    main_end = start if start is not None else len(blocks)
    _closer(blocks, 0, main_end, lex, senders, year)
    if start is not None:
        ps = blocks[start]
        m = PS.match(ps.text)
        ps.kind = "postscript-label"
        ps.n = m["label"]
        ps.text = ps.text[m.end():].lstrip()
        _closer(blocks, start + 1, len(blocks), lex, senders, year)


def _signature_rx(lex: Lexicon, senders: list[str]) -> re.Pattern:
    names = []
    for pid in senders:
        e = lex.entries.get(pid)
        if e is None:
            continue
        names.extend(sorted(e.forms, key=len, reverse=True))
        names.append(e.surname[:2] + r"\.")  # "I. St."
    alt = "|".join(re.escape(n) if not n.endswith(r"\.") else n for n in names if n)
    name = rf"(?:(?:[A-ZА-ЯЁ]\.\s?){{0,2}}(?i:{alt})(?:\s+[A-Z][a-z]+)?)"
    return re.compile(rf"(?:(?:Your|Yours|Ваш)\s+)?{name}(?:\s*,\s*{name})*\s*\.?")


_TAIL_PIECES = [
    ("registration", g.REGISTRATION),
    ("date", re.compile(g.SHORT_DATE.pattern + r"\.?")),
    ("time", re.compile(r"(?:" + g.TIME.pattern + r")(?:\s*-\s*m\.)?\.?")),
    ("word-number", re.compile(r"(?:one|two|three|four|five|six|seven|eight|nine)")),
]


def _peel(text: str, sig: re.Pattern) -> tuple[str, list[tuple[str, str]]]:
    """Take closing pieces (signature, registration, date, time) off the end of ``text``."""
    pieces: list[tuple[str, str]] = []
    rest = text
    signed = False
    while rest.strip():
        stripped = rest.rstrip()
        trail_anchor = ""
        while stripped.endswith(ANCHOR) or stripped.endswith(" ."):
            if stripped.endswith(ANCHOR):
                trail_anchor = ANCHOR + trail_anchor
                stripped = stripped[:-1].rstrip()
            else:
                trail_anchor = " ." + trail_anchor
                stripped = stripped[:-2].rstrip()
        hit = None
        for kind, rx in ([] if signed else [("signed", sig)]) + _TAIL_PIECES:
            for m in rx.finditer(stripped):
                if m.end() == len(stripped) and m.start() < len(stripped) and (
                    m.start() == 0 or stripped[m.start() - 1] in " .\n"
                ):
                    if kind == "time" and not g.is_time(m.group(0).removesuffix("- m.").strip()):
                        continue
                    if kind == "word-number" and ANCHOR not in trail_anchor:
                        continue  # a spelt-out number closes a line only as a note marker
                    hit = (kind, m.start())
                    break
            if hit:
                break
        if not hit:
            break
        kind, at = hit
        if kind == "signed":
            signed = True
        pieces.insert(0, (kind, stripped[at:] + trail_anchor))
        rest = stripped[:at]
    return rest, pieces


def _closer(blocks: list[Block], lo: int, hi: int, lex: Lexicon, senders: list[str], year: int) -> None:
    if hi <= lo:
        return
    sig = _signature_rx(lex, senders)
    k = hi
    # short closing salutations after the signature ("Greetings Comrade Molotov.")
    signed_at = next(
        (j for j in range(hi - 1, lo - 1, -1)
         if blocks[j].kind == "p" and any(kind == "signed" for kind, _ in _peel(blocks[j].text, sig)[1])),
        None,
    )
    if signed_at is not None and all(
        blocks[j].kind == "p" and len(g.strip_anchors(blocks[j].text).split()) <= 8
        and not NUMBERED_POINT.match(blocks[j].text)
        for j in range(signed_at + 1, hi)
    ):
        for j in range(signed_at + 1, hi):
            rest, pieces = _peel(blocks[j].text, sig)
            blocks[j].kind = "closer"
            blocks[j].parts = ([("salute", rest.rstrip())] if rest.strip() else []) + pieces
        k = signed_at + 1
    # trailing blocks made only of closing pieces
    while k > lo and blocks[k - 1].kind == "p":
        rest, pieces = _peel(blocks[k - 1].text, sig)
        if rest.strip() or not pieces:
            break
        blocks[k - 1].kind = "closer"
        blocks[k - 1].parts = pieces
        k -= 1
    # a short closing formula just before the signature ("Regards,", "Привет")
    if k < hi and k - 1 > lo and blocks[k - 1].kind == "p" and len(g.strip_anchors(blocks[k - 1].text).split()) <= 3 \
            and not re.search(r"[.!?]$", blocks[k - 1].text.strip()) and any(
                kind == "signed" for kind, _ in blocks[k].parts):
        blocks[k - 1].kind = "closer"
        blocks[k - 1].parts = [("salute", blocks[k - 1].text)]
        k -= 1
    # the closing tail of the last text block
    elif k > lo and blocks[k - 1].kind == "p":
        b = blocks[k - 1]
        rest, pieces = _peel(b.text, sig)
        if pieces and any(kind == "signed" for kind, _ in pieces):
            words = len(g.strip_anchors(rest).split())
            text_before = any(x.kind == "p" for x in blocks[lo:k - 1])
            if words <= 14 and text_before and not NUMBERED_POINT.match(b.text):
                b.kind = "closer"
                b.parts = ([("salute", rest.rstrip())] if rest.strip() else []) + pieces
            else:
                b.text = rest.rstrip()
                blocks.insert(k, Block("closer", "", b.line, parts=pieces))
