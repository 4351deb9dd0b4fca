"""Synthetic correspondence at archive scale, deterministic by seed.

``generate(n, seed)`` makes ``n`` letters shaped like the seed letters
(``seeds/000_…`` and ``seeds/004_…``): correspondents from the seeds, dates
running month by month from September 1931 (about 48 letters a month),
archive lines with one or two witnesses and the seeds' repairable errors
(``Op. P.``, ``Op. ID 76``, ``L. 106 - TsZ``), document-type and telegram
transmission lines, numbered points, postscripts, notes (numbered, glued
``word1`` markers, unnumbered notes, multi-paragraph notes, unanchored notes)
with archival citations, ``Ibid.`` chains and repairable citation errors.

``write_corpus`` writes the letters in both input formats — monthly pages
(many letters per file) and single-letter pages with a Russian original for a
share of Stalin's letters — and, straight from the model, as TEI following
docs/tei-encoding.md, for benchmarking the stages after encoding.

Letter ``i`` depends only on ``(seed, i)`` and its month on ``(seed, month)``:
a smaller corpus is a prefix of a larger one with the same seed.

    python -m bench.synth --letters 1000 --seed 1 --out bench/work/n1000
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import seedtext

# --------------------------------------------------------------------------- people

#: id -> (printed surname, initials, Russian dative with initials, Russian surname)
PERSONS: dict[str, tuple[str, str, str]] = {
    "stalin": ("Stalin", "I.V.", "И.В. Сталину", "Сталин"),
    "kaganovich": ("Kaganovich", "L.M.", "Л.М. Кагановичу", "Каганович"),
    "molotov": ("Molotov", "V.M.", "В.М. Молотову", "Молотов"),
    "rudzutak": ("Rudzutak", "Ya.E.", "Я.Э. Рудзутаку", "Рудзутак"),
    "ordzhonikidze": ("Ordzhonikidze", "G.K.", "Г.К. Орджоникидзе", "Орджоникидзе"),
    "postyshev": ("Postyshev", "P.P.", "П.П. Постышеву", "Постышев"),
    "kalinin": ("Kalinin", "M.I.", "М.И. Калинину", "Калинин"),
    "khalatov": ("Khalatov", "A.B.", "А.Б. Халатову", "Халатов"),
    "yagoda": ("Yagoda", "G.G.", "Г.Г. Ягоде", "Ягода"),
    "voroshilov": ("Voroshilov", "K.E.", "К.Е. Ворошилову", "Ворошилов"),
    "poskrebyshev": ("Poskrebyshev", "A.N.", "А.Н. Поскребышеву", "Поскребышев"),
}

#: who writes from Sochi (Stalin's side) and to whom, as in the seeds
SOUTH_SENDERS = [["stalin"]] * 10 + [["stalin", "molotov"]] * 4 + [["stalin", "kalinin"]]
SOUTH_RECIPIENTS = (
    [["kaganovich"]] * 10
    + [["kaganovich", "molotov"]] * 3
    + [["kaganovich", "rudzutak", "ordzhonikidze"], ["kaganovich", "rudzutak"], ["ordzhonikidze"]]
    + [["kaganovich", "postyshev"], ["kaganovich", "kalinin", "khalatov"]]
    + [["kaganovich", "molotov", "voroshilov"]]
)
MOSCOW_SENDERS = (
    [["kaganovich"]] * 10
    + [["kaganovich", "postyshev"]] * 2
    + [["kaganovich", "molotov"]] * 2
    + [["kaganovich", "rudzutak", "ordzhonikidze"]]
)
MOSCOW_RECIPIENTS = [["stalin"]] * 4 + [["stalin", "molotov"]]

MONTHS = list(calendar.month_name)
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
RU_MONTHS = ["", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]  # fmt: skip

LETTERS_PER_MONTH = (40, 56)  # drawn uniformly: ~48 a month, as in the seed page

# --------------------------------------------------------------------------- model


@dataclass
class Citation:
    """An archival reference in a note: structure plus how it is printed."""

    archive: str  # "RGASPI", "GA RF"
    fond: str
    opis: str
    delo: str
    folio: str
    printed: str = ""  # the text between the parentheses
    ibid: bool = False
    archive_printed: bool = True  # False: "F. 17. Op. 162. …" names no archive
    error: str | None = None  # "delo-P", "folio-I", "inv": the printed form has an OCR slip

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.archive, self.fond, self.opis, self.delo, self.folio)

    def shelfmark(self) -> str:
        return f"F. {self.fond}. Op. {self.opis}. D. {self.delo}. L. {self.folio}"


@dataclass
class Witness:
    """One archival witness of a letter (one ``msDesc``)."""

    fond: str
    opis: str
    delo: str
    folio_from: str
    folio_to: str
    folios_printed: str  # "65–67", "65, 65v", "14"
    kind: str  # "Autograph."
    error: str | None = None  # "op-P", "op-ID", "folio-TsZ"
    style: str = ""  # printing quirks: "archive-dot", "no-dot-after-fond", "no-dot-after-folio"
    span: int = 0  # sheets after the first
    verso: bool = False  # "L. 65, 65v"

    def shelfmark(self) -> str:
        return f"F. {self.fond}. Op. {self.opis}. D. {self.delo}. L. {self.folios_printed}"


@dataclass
class NoteRef:
    """Where a note's marker sits: after sentence ``sentence`` of a paragraph."""

    n: int
    style: str  # "spaced" (word 1 .), "space" (word 1.), "glued" (word1.), "glued-space" (word1 .)


@dataclass
class Sentence:
    text: str
    note: NoteRef | None = None


@dataclass
class Para:
    sentences: list[Sentence]
    label: str | None = None  # "1)" for numbered points


@dataclass
class Note:
    n: int
    paragraphs: list[list[str | Citation]]  # each paragraph: text pieces and citations
    number_style: str = "spaced"  # "spaced" (1 Text), "glued" (1Text), "none" (number lost)
    anchored: bool = True


@dataclass
class Line:
    """A short structural line: kind is doctype, sent, received, inno, address, salute,
    dateline, closing, signed, registration, stamp."""

    kind: str
    text: str
    when: str | None = None  # ISO date or dateTime for datelines
    place: str | None = None
    persons: list[str] = field(default_factory=list)
    note: NoteRef | None = None


@dataclass
class Letter:
    index: int
    senders: list[str]
    recipients: list[str]
    date: dt.date
    evidence: str | None  # None, "conjecture" ([Month d, yyyy]) or "internal" (Month d [yyyy])
    header_style: str  # "to", "dash", "dash-to", "on"
    telegram: bool
    witnesses: list[Witness]
    opener: list[Line]
    paragraphs: list[Para]
    closer: list[Line]
    postscript: list[Para]
    notes: list[Note]
    copy_to: list[str] = field(default_factory=list)
    via: str | None = None
    single_page: bool = False  # also published as a single-letter page (with the Russian original)
    russian: list[str] = field(default_factory=list)
    pages: tuple[int, int] = (0, 0)  # pages of the printed edition
    # filled in by write_corpus
    stem: str = ""
    source_file: str = ""
    source_lines: tuple[int, int] = (0, 0)
    single_file: str = ""

    @property
    def header_date(self) -> str:
        d = self.date
        if self.evidence == "conjecture":
            return f"[{MONTHS[d.month]} {d.day}, {d.year}]"
        if self.evidence == "internal":
            return f"{MONTHS[d.month]} {d.day} [{d.year}]"
        return f"{MONTHS[d.month]} {d.day}, {d.year}"

    def names(self, ids: list[str]) -> str:
        return ", ".join(PERSONS[p][0] for p in ids)

    @property
    def header_names(self) -> tuple[str, str]:
        """(before the date, joiner) of the printed header line."""
        s, r = self.names(self.senders), self.names(self.recipients)
        if self.copy_to:
            r = self.names(self.recipients + self.copy_to)
        joiner = {"to": " to ", "on": " to ", "dash": " - ", "dash-to": " - to "}[self.header_style]
        return f"{s}{joiner}{r}", ("on " if self.header_style == "on" else "")

    @property
    def header(self) -> str:
        names, on = self.header_names
        return f"{names} {on}{self.header_date}"

    @property
    def title(self) -> str:
        d = self.date
        return f"{self.names(self.senders)} to {self.names(self.recipients)}, {d.day} {MONTHS[d.month]} {d.year}"


# --------------------------------------------------------------------------- generation


def _rng(seed: int, *key: object) -> random.Random:
    """An independent, reproducible stream per (seed, key): no global state."""
    digest = hashlib.sha256(repr((seed,) + key).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def month_of(m: int) -> tuple[int, int]:
    """Month number ``m`` (0 = September 1931) as (year, month)."""
    return 1931 + (8 + m) // 12, (8 + m) % 12 + 1


def letter_dates(seed: int, n: int) -> list[tuple[int, dt.date]]:
    """(month number, date) for letters 0..n-1, sorted within each month."""
    out: list[tuple[int, dt.date]] = []
    m = 0
    while len(out) < n:
        rng = _rng(seed, "month", m)
        count = rng.randint(*LETTERS_PER_MONTH)
        year, month = month_of(m)
        days = sorted(rng.randint(1, calendar.monthrange(year, month)[1]) for _ in range(count))
        out += [(m, dt.date(year, month, d)) for d in days]
        m += 1
    return out[:n]


# archival units the seeds cite for letters: (fond, opis, delo, kinds)
UNITS_SOUTH = [("558", "11", "76", ["Autograph.", "Handwritten text.", "Autograph of Molotov."]),
               ("81", "3", "99", ["Autograph.", "Certified typewritten copy."]),
               ("82", "2", "1424", ["Stalin's autograph.", "Autograph of Stalin and Molotov."])]  # fmt: skip
UNITS_MOSCOW = [("558", "11", "739", ["Autograph."]),
                ("558", "11", "76", ["Original. Typescript.", "Typewritten text."]),
                ("81", "3", "101", ["Typewritten text with corrections by the author."])]  # fmt: skip

NOTE_STAMPS = [
    "Date, number and time entered by the secretary.",
    "Number, date and time entered by the secretary.",
    "Time and date of transcription.",
]
CLOSINGS_MOSCOW = ["Shake your hand.", "Goodbye. Shake your hand.", "Well, I'll end with this. Shake your hand.",
                   "I firmly shake your hand.", "All the best."]  # fmt: skip
CLOSINGS_SOUTH = ["Greetings", "Hello.", "Best wishes.", "Well, that's all for now. Shake your hand.", "Everybody. Greetings"]  # fmt: skip
SALUTES_MOSCOW = ["Hello Comrade Stalin!", "Hello, Dear Comrade Stalin.", "Hello again, Comrade Stalin!"]
SALUTES_SOUTH = ["Hello, Comrade Kaganovich!", "Hello Comrade Kaganovich!"]
DOCTYPES = [["Encryption."], ["S. secret.", "Encryption."], ["Owls. secret. Encryption."],
            ["Owls. secret.", "Encryption."], ["S. secret. Encryption."], ["Cipher."]]  # fmt: skip


def _witness(rng: random.Random, units, index: int, force_error: str | None = None) -> Witness:
    fond, opis, delo, kinds = rng.choice(units)
    start = 1 + (index * 3 + rng.randint(0, 2)) % 240
    span = rng.choice([0, 0, 0, 1, 2, 3, 5, 9])
    shape = rng.random()
    if shape < 0.12:
        f_from, f_to, printed = str(start), f"{start}v", f"{start}, {start}v"
    elif span == 0:
        f_from = f_to = printed = str(start)
    else:
        f_from, f_to = str(start), str(start + span)
        printed = f"{f_from}–{f_to}"
    w = Witness(fond, opis, delo, f_from, f_to, printed, rng.choice(kinds))
    roll = rng.random()
    error = force_error
    if error is None and fond == "558" and opis == "11":
        # the seed page: 4 × "Op. P.", 1 × "Op. ID 76", 1 × "L. 106 - TsZ" in 48 archive lines
        error = "op-P" if roll < 0.08 else "op-ID" if roll < 0.10 and delo == "76" else None
        if error is None and 0.10 <= roll < 0.12:
            error = "folio-TsZ"
    if error == "folio-TsZ":  # the last sheet of a range is garbled: a range it must be
        w.fond, w.opis, w.delo = "558", "11", "739"
        span = max(span, 2)
    w.error = error
    w.span, w.verso = (0, True) if shape < 0.12 and error != "folio-TsZ" else (span, False)
    style = rng.random()
    w.style = "archive-dot" if style < 0.04 else "no-dot-after-fond" if style < 0.07 else (
        "no-dot-after-folio" if style < 0.10 else "")
    return w


def _sentences(rng: random.Random, pool: list[str], target: int) -> list[Sentence]:
    out: list[Sentence] = []
    length = 0
    while length < target * 0.85 or not out:
        s = rng.choice(pool)
        out.append(Sentence(s))
        length += len(s) + 1
    return out


def _citation(rng: random.Random, prev: Citation | None) -> Citation:
    """A citation, printed as Ibid. relative to ``prev`` where the seeds would."""
    if prev is not None and rng.random() < 0.55:
        # same archive, same fond; change from some level downwards
        level = rng.choice(["opis", "delo", "delo", "folio", "folio", "same"])
        c = Citation(prev.archive, prev.fond, prev.opis, prev.delo, prev.folio, ibid=True)
        if level == "opis":
            c.opis = rng.choice(["3", "162", "114"])
            c.delo, c.folio = str(rng.randint(840, 870)), str(rng.randint(1, 40))
        elif level == "delo":
            c.delo, c.folio = str(int(prev.delo) + rng.randint(1, 6)) if prev.delo.isdigit() else "11", str(rng.randint(1, 30))
        elif level == "folio":
            c.folio = str(rng.randint(1, 30))
        if c.key == prev.key or level == "same":
            c.opis, c.delo, c.folio = prev.opis, prev.delo, prev.folio
            c.printed = "Ibid."
        else:
            changed = next(i for i, (a, b) in enumerate(zip(prev.key, c.key)) if a != b)
            parts = [f"Op. {c.opis}", f"D. {c.delo}", f"L. {c.folio}"][changed - 2 :]
            sep = ", " if changed == 4 and rng.random() < 0.5 else " "
            c.printed = "Ibid." + sep + ". ".join(parts)
        return c
    if rng.random() < 0.1:
        c = Citation("GA RF", rng.choice(["R-3316", "R-5446"]), str(rng.randint(10, 70)),
                     str(rng.randint(10, 1200)), str(rng.randint(1, 60)))  # fmt: skip
    else:
        c = Citation("RGASPI", "17", rng.choice(["3", "162", "162", "114"]),
                     str(rng.randint(840, 870)) if rng.random() < 0.5 else rng.choice(["10", "11"]),
                     str(rng.randint(1, 200)))  # fmt: skip
        if rng.random() < 0.2:
            c.folio = f"{c.folio}-{int(c.folio) + rng.randint(1, 3)}"
    roll = rng.random()
    body = c.shelfmark()
    if c.archive == "RGASPI" and roll < 0.03:
        c.delo, c.error = "11", "delo-P"
        body = c.shelfmark().replace("D. 11.", "D. P.")
    elif c.archive == "RGASPI" and roll < 0.05:
        c.folio, c.error = "1", "folio-I"
        body = c.shelfmark()[: -len("1")] + "I"
    if c.archive == "RGASPI" and 0.05 <= roll < 0.10:
        c.archive_printed = False
        c.printed = body
    else:
        c.printed = f"{c.archive}. {body}"
    return c


def make_letter(seed: int, index: int, month: int, date: dt.date) -> Letter:
    stats = seedtext.load()
    rng = _rng(seed, "letter", index)
    tpl = rng.choice(stats.templates)
    south = tpl.header.startswith("Stalin")
    senders = list(rng.choice(SOUTH_SENDERS if south else MOSCOW_SENDERS))
    recipients = list(rng.choice(SOUTH_RECIPIENTS if south else MOSCOW_RECIPIENTS))
    copy_to: list[str] = []
    via = None
    if south and recipients == ["kaganovich"] and tpl.telegram and rng.random() < 0.15:
        copy_to = ["yagoda"]
    elif south and recipients == ["kaganovich"] and tpl.telegram and rng.random() < 0.1:
        via = "poskrebyshev"
    evidence = rng.choices([None, "conjecture", "internal"], [0.6, 0.2, 0.2])[0]
    header_style = "on" if evidence == "internal" and not south and rng.random() < 0.8 else (
        rng.choices(["to", "dash", "dash-to"], [0.8, 0.15, 0.05])[0])
    if header_style == "dash-to" and south:
        header_style = "dash"

    units = UNITS_SOUTH if south else UNITS_MOSCOW
    witnesses = [_witness(rng, units, index)]
    if tpl.witnesses > 1 or rng.random() < 0.05:
        w2 = _witness(rng, UNITS_MOSCOW[:1], index + 1)
        w2.error = None
        w2.style = ""
        witnesses.append(w2)

    # text paragraphs, lengths from the template
    paragraphs = [Para(_sentences(rng, stats.sentences, n)) for n in tpl.text_lengths]
    postscript: list[Para] = []
    if tpl.postscript and len(paragraphs) > 1:
        postscript = [paragraphs.pop()]
    if tpl.numbered:
        for k, p in enumerate(paragraphs[: max(1, len(paragraphs) - (1 if len(paragraphs) > 2 else 0))], 1):
            p.label = f"{k})"

    opener: list[Line] = []
    closer: list[Line] = []
    sender_names = [PERSONS[p][0] for p in senders]
    rec_line = ", ".join(PERSONS[p][0] for p in recipients)
    t_sent = dt.datetime.combine(date, dt.time(rng.randint(0, 23), rng.randint(0, 59)))
    if tpl.telegram and not south:
        for d in rng.choice(DOCTYPES):
            opener.append(Line("doctype", d))
        t_recv = t_sent + dt.timedelta(minutes=rng.randint(60, 600))
        if rng.random() < 0.5:
            sent = f"Sent from Moscow on {MONTHS[date.month]} {date.day} at {t_sent.hour}:{t_sent:%M}."
            recv = f"Received for decryption {t_recv.day}.{ROMAN[t_recv.month]}. at {t_recv.hour}:{t_recv:%M}"
        else:
            sent = f"Dispatched from Moscow on {date.day}/{ROMAN[date.month]}-{date.year % 100} at {t_sent.hour} o'clock. {t_sent.minute} min."
            recv = f"Received for decryption {t_recv.day}.{ROMAN[t_recv.month]} - {t_recv.year % 100} at {t_recv.hour} o'clock. {t_recv.minute} minutes."
        opener.append(Line("sent", sent, when=t_sent.isoformat(), place="Moscow"))
        opener.append(Line("received", recv, when=t_recv.isoformat()))
        if rng.random() < 0.4:
            opener.append(Line("inno", f"In. No. {rng.randint(50, 99)}/sh."))
        opener.append(Line("address", rng.choice(["Tov. ", ""]) + ", ".join(PERSONS[p][0] for p in recipients) + ".",
                           persons=list(recipients)))  # fmt: skip
        closer.append(Line("signed", ", ".join(sender_names) + ".", persons=list(senders)))
        closer.append(Line("registration", rng.choice(["No. ", "HP "]) + f"{1200 + index % 800}" + rng.choice(["/sh.", "."])))
    elif tpl.telegram or (south and len(paragraphs) <= 2):
        if tpl.telegram and rng.random() < 0.3:
            opener.append(Line("doctype", "Cipher."))
        if via:
            opener.append(Line("address", f"Poskrebyshev for {rec_line} .", persons=["poskrebyshev"] + recipients))
        elif copy_to:
            opener.append(Line("address", f"{rec_line}, copy to {PERSONS[copy_to[0]][0]}.", persons=recipients + copy_to))
        else:
            opener.append(Line("address", rec_line + rng.choice([".", " ."]), persons=list(recipients)))
        closer.append(Line("signed", ", ".join(sender_names) + ".", persons=list(senders)))
        closer.append(Line("registration", rng.choice(["#", "No. ", "Nr "]) + f"{20 + index % 60}" + rng.choice(["", "/sh."])))
        closer.append(Line("stamp", f"{t_sent.hour}.{t_sent:%M}", when=t_sent.isoformat()))
        closer.append(Line("stamp", f"{date.day}/{ROMAN[date.month]}-{date.year % 100}", when=date.isoformat()))
    else:
        if rng.random() < 0.6:
            opener.append(Line("dateline", f"{date.day}/{ROMAN[date.month]}", when=date.isoformat()))
        salute = rng.choice(SALUTES_SOUTH if south else SALUTES_MOSCOW)
        if south and recipients[0] != "kaganovich":
            salute = "Hello Sergo!" if recipients[0] == "ordzhonikidze" else salute.replace("Kaganovich", PERSONS[recipients[0]][0])
        opener.append(Line("salute", salute))
        if rng.random() < 0.4:
            paragraphs.insert(0, Para([Sentence(rng.choice(["I received your letter.", "Got a letter.",
                                                            "I have received your last letter."]))]))  # fmt: skip
        signature = "I. Stalin" if south else "L. Kaganovich"
        closing = rng.choice(CLOSINGS_SOUTH if south else CLOSINGS_MOSCOW)
        closer.append(Line("closing", closing))
        closer.append(Line("signed", ("" if south else "Your ") + signature + ".", persons=[senders[0]]))
        if not south and rng.random() < 0.3:
            closer.append(Line("closing", "Greetings Comrade Molotov."))

    if postscript and not any(ln.kind == "closing" for ln in closer):
        paragraphs += postscript  # a postscript only after a letter's closing, as in the seeds
        postscript = []

    # notes: markers after sentences, in order; a few unanchored
    notes: list[Note] = []
    slots = [(p, s) for p in paragraphs + postscript for s in p.sentences]
    n_notes = tpl.notes
    if slots and n_notes:
        picks = sorted(rng.sample(range(len(slots)), min(n_notes, len(slots))))
    else:
        picks = []
    prev: Citation | None = None
    for k in range(n_notes):
        n = k + 1
        anchored = k < len(picks) and rng.random() > 0.03
        if anchored:
            style = rng.choices(["spaced", "space", "glued", "glued-space"], [0.4, 0.3, 0.15, 0.15])[0]
            slots[picks[k]][1].note = NoteRef(n, style)
        paras: list[list[str | Citation]] = []
        for _ in range(2 if rng.random() < 0.05 else 1):
            body = [s.text for s in _sentences(rng, stats.note_sentences, rng.choice([80, 150, 300, 600]))]
            pieces: list[str | Citation] = []
            for j, sentence in enumerate(body):
                lead = "" if j == 0 else " "
                if sentence.endswith(".") and rng.random() < 0.45:
                    prev = _citation(rng, prev)
                    pieces += [lead + sentence[:-1] + " (", prev, ")."]
                else:
                    pieces.append(lead + sentence)
            paras.append(pieces)
        number_style = rng.choices(["spaced", "glued", "none"], [0.75, 0.1, 0.15])[0]
        notes.append(Note(n, paras, number_style, anchored))
    if south and closer and closer[-1].kind == "stamp" and rng.random() < 0.7:
        n = len(notes) + 1
        closer[-1].note = NoteRef(n, "space")
        notes.append(Note(n, [[rng.choice(NOTE_STAMPS)]], "spaced", True))

    letter = Letter(
        index=index, senders=senders, recipients=recipients, date=date, evidence=evidence,
        header_style=header_style, telegram=tpl.telegram, witnesses=witnesses, opener=opener,
        paragraphs=paragraphs, closer=closer, postscript=postscript, notes=notes,
        copy_to=copy_to, via=via, pages=(20 + index * 2, 21 + index * 2),
    )  # fmt: skip
    return letter


def generate(n: int, seed: int = 1, single_share: float = 0.25) -> list[Letter]:
    """``n`` letters; ``single_share`` of Stalin's own letters also get a single-letter page."""
    stats = seedtext.load()
    letters = []
    for i, (month, date) in enumerate(letter_dates(seed, n)):
        letter = make_letter(seed, i, month, date)
        rng = _rng(seed, "single", i)
        if letter.senders == ["stalin"] and not letter.telegram and rng.random() < single_share:
            letter.single_page = True
            k = max(2, sum(len(s.text) for p in letter.paragraphs for s in p.sentences) // 250)
            letter.russian = [rng.choice(stats.russian_lines) for _ in range(k)]
        letters.append(letter)
    number_sheets(letters)
    assign_stems(letters)
    return letters


SHEETS_PER_DELO = 300


def number_sheets(letters: list[Letter]) -> None:
    """Consecutive sheets per delo, in letter order, as in an archive file (no two letters
    claim the same sheet); a full delo continues in the next one."""
    next_sheet: dict[tuple[str, str, str], int] = {}
    current: dict[tuple[str, str, str], str] = {}
    for letter in letters:
        for w in letter.witnesses:
            base = (w.fond, w.opis, w.delo)
            delo = current.get(base, w.delo)
            start = next_sheet.get((w.fond, w.opis, delo), 1)
            if start + w.span > SHEETS_PER_DELO:
                delo = str(int(delo) + 1)
                current[base] = delo
                start = next_sheet.get((w.fond, w.opis, delo), 1)
            w.delo = delo
            if w.verso:
                w.folio_from, w.folio_to, w.folios_printed = str(start), f"{start}v", f"{start}, {start}v"
            elif w.span == 0:
                w.folio_from = w.folio_to = w.folios_printed = str(start)
            else:
                w.folio_from, w.folio_to = str(start), str(start + w.span)
                w.folios_printed = f"{w.folio_from}–{w.folio_to}"
            next_sheet[(w.fond, w.opis, delo)] = start + w.span + 1


def assign_stems(letters: list[Letter]) -> None:
    """File stems as docs/tei-encoding.md: ``<date>_<senders>-<recipients>[_a|_b…]``."""
    groups: dict[str, list[Letter]] = {}
    for letter in letters:
        base = f"{letter.date.isoformat()}_{'.'.join(letter.senders)}-{'.'.join(letter.recipients)}"
        groups.setdefault(base, []).append(letter)
    for base, group in groups.items():
        if len(group) == 1:
            group[0].stem = base
        else:
            for k, letter in enumerate(group):
                letter.stem = f"{base}_{_suffix(k)}"


def _suffix(k: int) -> str:
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(97 + r) + s
    return s


# --------------------------------------------------------------------------- text rendering


def marker(ref: NoteRef) -> tuple[str, str]:
    """(before the sentence-final punctuation, after it) for a note marker."""
    return {
        "spaced": (f" {ref.n} ", ""),
        "space": (f" {ref.n}", ""),
        "glued": (f"{ref.n}", ""),
        "glued-space": (f"{ref.n} ", ""),
    }[ref.style]


def sentence_text(s: Sentence) -> str:
    if s.note is None:
        return s.text
    body, punct = (s.text[:-1], s.text[-1]) if s.text[-1] in ".!?" else (s.text, "")
    before, _ = marker(s.note)
    return f"{body}{before}{punct}"


def para_text(p: Para) -> str:
    text = " ".join(sentence_text(s) for s in p.sentences)
    return f"{p.label} {text}" if p.label else text


def line_text(line: Line) -> str:
    if line.note is None:
        return line.text
    return f"{line.text} {line.note.n}"


def witness_text(w: Witness, first: bool) -> str:
    fond_dot = "" if w.style == "no-dot-after-fond" else "."
    folio_dot = "" if w.style == "no-dot-after-folio" else "."
    if w.error == "op-P":
        body = f"F. {w.fond}{fond_dot} Op. P. D. {w.delo}. L. {w.folios_printed}{folio_dot}"
    elif w.error == "op-ID":
        body = f"F. {w.fond}{fond_dot} Op. ID {w.delo}. L. {w.folios_printed}{folio_dot}"
    elif w.error == "folio-TsZ":
        body = f"F. {w.fond}{fond_dot} Op. {w.opis}. D. {w.delo}. L. {w.folio_from} - TsZ{folio_dot}"
    else:
        body = f"F. {w.fond}{fond_dot} Op. {w.opis}. D. {w.delo}. L. {w.folios_printed}{folio_dot}"
    if not first:
        return f"{body} {w.kind}"
    archive = "RGASPI." if w.style == "archive-dot" else "RGASPI"
    return f"Archive: {archive} {body} {w.kind}"


def note_text(note: Note) -> list[str]:
    paras = []
    for k, pieces in enumerate(note.paragraphs):
        text = "".join(p.printed if isinstance(p, Citation) else p for p in pieces)
        if k == 0:
            text = {"spaced": f"{note.n} {text}", "glued": f"{note.n}{text}", "none": text}[note.number_style]
        paras.append(text)
    return paras


def letter_text(letter: Letter, rng: random.Random) -> list[str]:
    """The lines of one letter on a monthly page (no trailing blank lines)."""
    lines = [("  " if rng.random() < 0.03 else "") + letter.header]
    if rng.random() > 0.05:
        lines.append("")
    lines.append(" ".join(witness_text(w, k == 0) for k, w in enumerate(letter.witnesses)))
    # the seed puts the first line right under the archive line, then blank-separated paragraphs
    body: list[str] = []
    inline_doctype = [ln.text for ln in letter.opener if ln.kind == "doctype"]
    rest = [ln for ln in letter.opener if ln.kind != "doctype"]
    if inline_doctype:
        body.append(" ".join(inline_doctype) if rng.random() < 0.5 else inline_doctype[0])
        body += inline_doctype[1:] if len(body[-1]) == len(inline_doctype[0]) else []
    body += [line_text(ln) for ln in rest]
    body += [para_text(p) for p in letter.paragraphs]
    closing = [line_text(ln) for ln in letter.closer]
    if closing and rng.random() < 0.5 and letter.closer[0].kind == "closing":
        body.append(" ".join(closing[:2]))
        body += closing[2:]
    else:
        body += closing
    for k, p in enumerate(letter.postscript):
        body.append(("PS " if k == 0 else "") + para_text(p))
    lines.append(body[0])
    for b in body[1:]:
        lines += ["", b]
    if letter.notes:
        lines += ["", ("—" * 14) if rng.random() < 0.02 else "_" * rng.randint(19, 32)]
        for note in letter.notes:
            for para in note_text(note):
                lines += ["", para]
    return lines


PAGE_HEAD = """{title}

Marx-Engels |  Lenin  | Stalin |  Home Page

 Stalin and Kaganovich. Correspondence. 1931–1936

Source ;  "Stalin and Kaganovich. Correspondence. 1931–1936 Moscow" (ROSSPEN), 2001

{year} - {month}
"""


def monthly_page(letters: list[Letter], seed: int, month: int) -> tuple[str, list[tuple[int, int]]]:
    """The text of one monthly page and each letter's (first, last) line number (1-based)."""
    year, mon = month_of(month)
    rng = _rng(seed, "page", month)
    lines = PAGE_HEAD.format(title=f"Stalin Kaganovich {MONTHS[mon].lower()} {year}",
                             year=year, month=MONTHS[mon]).split("\n")  # fmt: skip
    spans = []
    for letter in letters:
        lines += [""] * rng.choice([1, 1, 1, 2, 3])
        first = len(lines) + 1
        lines += letter_text(letter, rng)
        spans.append((first, len(lines)))
    return "\n".join(lines) + "\n", spans


def _recipients_en(letter: Letter) -> str:
    people = [f"{PERSONS[p][1]} {PERSONS[p][0]}" for p in letter.recipients]
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def single_page(letter: Letter, seed: int) -> str:
    """A single-letter page like seeds/004_…: machine translation + Russian original."""
    rng = _rng(seed, "single-page", letter.index)
    d = letter.date
    title_en = f"Letter to {_recipients_en(letter)}, {MONTHS[d.month]} {d.day}, {d.year}"
    title_ru = f"Письмо {', '.join(PERSONS[p][2] for p in letter.recipients)} {d.day} {RU_MONTHS[d.month]} {d.year} года"
    tom = 17 if d.year < 1940 else 18
    out = ["← Back to index", "", title_en, "", title_ru, "", f"{d.isoformat()} ru:tom{tom};en:AI AI translated", "",
           title_en, f"Source: Tom {tom}", ""]  # fmt: skip
    addressee = letter.recipients[0]
    greet = rng.choice(["Greetings, Comrade {}!", "Hello, Comrade {}!"]).format(PERSONS[addressee][0])
    out += [greet, ""]
    for p in letter.paragraphs:
        text = " ".join(s.text for s in p.sentences)  # the machine translation has no markers
        for a, b in (("I think", "I believe"), ("Hello", "Greetings"), ("Well, ", "")):
            text = text.replace(a, b)
        out += [f"{p.label} {text}" if p.label else text, ""]
    out += ["Regards,", "", "I. Stalin", "", "---"]
    w = letter.witnesses[0]
    p1, p2 = letter.pages
    out += [f"Source: Stalin and Kaganovich: Correspondence, 1931-1936, pp. {p1}-{p2}.",
            f"RGASPI. F. {w.fond}. Op. {w.opis}. D. {w.delo}. L. {w.folios_printed.replace('–', '-')}.", ""]  # fmt: skip
    if letter.notes:
        first = note_text(letter.notes[0])[0]
        out += ["Note: " + re.sub(r"^\d+\s*", "", first)]
    out += [f"See: Letter to {_recipients_en(letter)}, {MONTHS[d.month]} {max(1, d.day - 8)}, {d.year}.", ""]
    out += [f"Том {tom}", title_ru, f"Здравствуйте, т. {PERSONS[addressee][3]}!"]
    for para in letter.russian:  # the Russian original is broken into short lines, as in the seed
        words = para.split()
        while words:
            k = rng.randint(6, 16)
            out.append(" ".join(words[:k]))
            words = words[k:]
    out += ["Привет", "И. Сталин", "."]
    out += [f"Сталин и Каганович. Переписка. 1931–1936 гг. С. {p1}–{p2}.",
            f"РГАСПИ Ф. {w.fond}. Оп. {w.opis}. Д. {w.delo}. Л. {w.folios_printed}."]  # fmt: skip
    if letter.notes:
        out += ["ПРИМЕЧАНИЕ", rng.choice(seedtext.load().russian_lines)]
    out += [f"См.: Письмо {PERSONS[letter.recipients[0]][2]} {max(1, d.day - 8)} {RU_MONTHS[d.month]} {d.year} года."]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- corpus


def generator_digest() -> str:
    """Changes whenever the generator (or its seeds) does: a cached corpus is then stale."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for path in (here / "synth.py", here / "seedtext.py", here / "teiwriter.py",
                 seedtext.MONTHLY_SEED, seedtext.SINGLE_SEED):  # fmt: skip
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _named(seq: int, text: str) -> str:
    return f"{seq:03d}_{hashlib.sha256(text.encode()).hexdigest()[:16]}.txt"


def write_corpus(out: Path, n: int, seed: int = 1, single_share: float = 0.25, tei: bool = True) -> dict:
    """Write ``out/text/`` (monthly and single-letter pages), ``out/tei/`` and ``out/manifest.json``."""
    from . import teiwriter

    out = Path(out)
    (out / "text").mkdir(parents=True, exist_ok=True)
    letters = generate(n, seed, single_share)
    by_month: dict[int, list[Letter]] = {}
    dates = letter_dates(seed, n)
    for letter, (month, _) in zip(letters, dates):
        by_month.setdefault(month, []).append(letter)
    seq = 0
    monthly_files, single_files = [], []
    for month, group in by_month.items():
        text, spans = monthly_page(group, seed, month)
        name = _named(seq, text)
        seq += 1
        (out / "text" / name).write_text(text, encoding="utf-8")
        monthly_files.append(name)
        for letter, span in zip(group, spans):
            letter.source_file, letter.source_lines = name, span
        for letter in group:
            if letter.single_page:
                page = single_page(letter, seed)
                letter.single_file = _named(seq, page)
                seq += 1
                (out / "text" / letter.single_file).write_text(page, encoding="utf-8")
                single_files.append(letter.single_file)
    if tei:
        teiwriter.write_tei(letters, out / "tei")
    manifest = {
        "generator": generator_digest(),
        "letters": n,
        "seed": seed,
        "single_share": single_share,
        "monthly_files": len(monthly_files),
        "single_files": len(single_files),
        "text_bytes": sum((out / "text" / f).stat().st_size for f in monthly_files + single_files),
        "tei_files": n if tei else 0,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--letters", "-n", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--single-share", type=float, default=0.25)
    ap.add_argument("--no-tei", action="store_true", help="write only the text pages")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    manifest = write_corpus(args.out, args.letters, args.seed, args.single_share, tei=not args.no_tei)
    print(json.dumps(manifest))


if __name__ == "__main__":
    # run through the package module, so teiwriter sees the same classes
    from bench import synth

    synth.main()
