"""The grammar of the printed conventions: dates, times, archival references,
registration numbers and document-type lines, in English, Russian and the
Yale edition's style.

Every parser here takes a string and returns a small model object or ``None``;
none of them knows which file it is reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import ANCHOR, Citation, Repair

# --------------------------------------------------------------------------- #
# Vocabulary
# --------------------------------------------------------------------------- #

MONTHS_EN = {
    m.lower(): i
    for i, m in enumerate(
        "January February March April May June July August September October November December".split(), 1
    )
}
MONTHS_RU = {
    m: i
    for i, m in enumerate(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(), 1
    )
}
ROMAN = {r: i for i, r in enumerate("I II III IV V VI VII VIII IX X XI XII".split(), 1)}
NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}

_MONTH_EN = "|".join(m.capitalize() for m in MONTHS_EN)
_MONTH_RU = "|".join(MONTHS_RU)
_ROMAN = r"(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"

# --------------------------------------------------------------------------- #
# Dates in headers: "September 1, 1931", "[September 3, 1931]", "September 4 [1931]",
# "on September 3 [1931]", "1 сентября 1931 г.", "[3 сентября 1931 г.]"
# --------------------------------------------------------------------------- #

HEADER_DATE_EN = re.compile(
    rf"(?P<date>(?:on\s+)?\[?\s*(?P<month>{_MONTH_EN})\s+(?P<day>\d{{1,2}})\s*\]?"
    rf"(?:\s*,?\s*\[?\s*(?P<year>\d{{4}})\s*\]?)?\]?)\s*$"
)
HEADER_DATE_RU = re.compile(
    rf"(?P<date>\[?\s*(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_RU})\s*\]?"
    rf"(?:\s*\[?\s*(?P<year>\d{{4}})\s*\]?\s*(?:г\.?|года)?)?\]?)\s*$"
)


@dataclass
class ParsedDate:
    when: str
    printed: str
    editorial: str  # none | full | year | all-but-year


def _bracketed(printed: str, token: str) -> bool:
    """Is ``token`` inside square brackets in ``printed``?"""
    i = printed.find(token)
    if i < 0:
        return False
    return printed.rfind("[", 0, i) > printed.rfind("]", 0, i)


def parse_header_date(text: str, default_year: int | None = None) -> tuple[ParsedDate, int] | None:
    """Find a header date at the end of ``text``; return it and where it starts."""
    for rx, months in ((HEADER_DATE_EN, MONTHS_EN), (HEADER_DATE_RU, MONTHS_RU)):
        m = rx.search(text)
        if not m:
            continue
        month = months[m["month"].lower() if months is MONTHS_EN else m["month"]]
        day = int(m["day"])
        printed = m["date"]
        start = m.start("date")
        lead = re.match(r"(?:on\s+)?\s*", printed).end()
        printed, start = printed[lead:], start + lead
        year_s = m["year"]
        year = int(year_s) if year_s else default_year
        if year is None or not 1 <= day <= 31:
            return None
        day_in = _bracketed(printed, m["day"])
        year_in = year_s is None or _bracketed(printed, year_s)
        editorial = "full" if day_in and year_in else "year" if year_in else "none"
        return ParsedDate(f"{year:04d}-{month:02d}-{day:02d}", printed, editorial), start
    return None


# --------------------------------------------------------------------------- #
# Short dates written in letters and closers: "6.IX.31", "8/IX-31", "14/IX - 31",
# "12/IX. 31 year", "9/IX. 31 y.", "3/IX", "30/VIII", "1/X"
# --------------------------------------------------------------------------- #

SHORT_DATE = re.compile(
    rf"(?P<day>\d{{1,2}})\s*[./]\s*(?P<month>{_ROMAN})(?![A-Za-z])\.?"
    r"(?:\s*[-–.]?\s*(?P<yy>\d{2})(?!\d)(?:\s*(?:year|y\.|г\.))?)?"
)

LONG_DATE_SHORTYEAR = re.compile(
    rf"(?P<month>{_MONTH_EN})\s+(?P<day>\d{{1,2}})(?:\s*[-–]\s*(?P<yy>\d{{2}}))?"
)


def short_date_iso(m: re.Match, default_year: int) -> str | None:
    month = ROMAN.get(m["month"]) if m["month"] in ROMAN else MONTHS_EN.get(m["month"].lower())
    day = int(m["day"])
    year = 1900 + int(m["yy"]) if m["yy"] else default_year
    if not month or not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# --------------------------------------------------------------------------- #
# Times: "20:35", "9:45 a.m.", "12.30", "23 o'clock. 38 min.", "15-35 min.",
# "21 hours", "23h 45m", "[0J h. 39 min.", "20:00. 50 min.", "21–15"
# --------------------------------------------------------------------------- #

TIME = re.compile(
    r"(?P<time>(?:at\s+)?"
    r"(?P<hour>\[?\d{1,2}[\]J]?)"
    r"(?:\s*(?:[:.]|[-–])\s*(?P<minute>\d{2})(?!\d)|\s*(?P<unit>o'clock|o’clock|hours?|h\b|h\.|ч\.))?"
    r"(?:\s*(?P<ampm>a\.m\.|p\.m\.))?"
    r"(?:\.?\s*(?P<minute2>\d{1,2})\s*(?:min(?:utes)?\b|m\b|мин)\.?)?"
    r"(?:\s*(?:min(?:utes)?\b|m\b)\.?)?)"
)


def time_iso(m: re.Match) -> str | None:
    hour_s = m["hour"].strip("[]J")
    if not hour_s.isdigit():
        return None
    hour = int(hour_s)
    minute = int(m["minute2"] or m["minute"] or 0) if (m["minute2"] or m["minute"] in (None, "00")) else int(m["minute"])
    if m["minute2"] and m["minute"] and m["minute"] != "00":
        return None
    if m["ampm"] == "p.m." and hour < 12:
        hour += 12
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    return f"{hour:02d}:{minute:02d}:00"


def is_time(text: str) -> bool:
    """True when ``text`` (stripped) is nothing but a time of day."""
    text = text.strip()
    for candidate in (text, text.rstrip(".")):
        m = TIME.fullmatch(candidate)
        if m and (m["minute"] or m["unit"] or m["minute2"] or m["ampm"]) and time_iso(m):
            return True
    return False


# --------------------------------------------------------------------------- #
# Transmission lines of telegrams
# --------------------------------------------------------------------------- #

SENT_LINE = re.compile(
    r"(?P<verb>Sent|Dispatched|Отправлен[оа]?|Послан[оа]?)\s+"
    r"(?:from\s+(?P<place>[A-ZА-Я][a-zа-я]+)\s+|из\s+(?P<place_ru>[А-Я][а-я]+)\s+)?"
    r"(?:on\s+)?(?P<rest>.*)",
)
RECEIVED_LINE = re.compile(
    r"(?P<verb>Received|Получен[оа]?|Поступил[оа]?)\s+(?:for\s+(?:decryption|deciphering|interpretation|decoding)\s+|"
    r"для\s+расшифровки\s+)?(?:on\s+)?(?P<rest>.*)"
)


def parse_moment(rest: str, default_year: int) -> tuple[str | None, str]:
    """Date and time of a transmission line: ('1931-09-08T20:35:00' | None, printed)."""
    printed = rest.strip().rstrip(",")
    date = None
    m = SHORT_DATE.search(rest)
    if m:
        date = short_date_iso(m, default_year)
        tail = rest[m.end():]
    else:
        m = LONG_DATE_SHORTYEAR.search(rest)
        if m:
            month = MONTHS_EN[m["month"].lower()]
            year = 1900 + int(m["yy"]) if m["yy"] else default_year
            date = f"{year:04d}-{month:02d}-{int(m['day']):02d}"
            tail = rest[m.end():]
        else:
            tail = rest
    tail = tail.lstrip(" ,.")
    t = TIME.match(tail)
    if date and t and time_iso(t) and (t["minute"] or t["unit"] or t["minute2"]):
        return f"{date}T{time_iso(t)}", printed
    return None, printed


# --------------------------------------------------------------------------- #
# Registration numbers, document types
# --------------------------------------------------------------------------- #

REGISTRATION = re.compile(
    r"(?P<reg>(?:In\.\s*No\.|No\.|Nr\.?|HP|#|№|Вх\.\s*№)\s*\d+(?:\s*,\s*\d+)*(?:/\s*(?:sh|ш)\.?)?\.?)"
)

DOCTYPE_WORDS = re.compile(
    r"(?:Encryption|Cipher|Copy|Immediately|Urgent|(?:S|Sov|Owls|Top)\.\s*secret|Secret|"
    r"Шифровка|Шифротелеграмма|Копия|Срочно|Сов\.\s*секретно|Секретно)\.?",
    re.I,
)
TELEGRAM_WORDS = re.compile(r"Encryption|Cipher|Шифр", re.I)
CLASSIFICATION_WORDS = re.compile(r"secret|секретно", re.I)


def doctype_tokens(line: str) -> list[str] | None:
    """Split a document-type line ("S. secret. Encryption.") into its tokens, or None."""
    pos, out = 0, []
    s = line.strip()
    while pos < len(s):
        m = DOCTYPE_WORDS.match(s, pos)
        if not m:
            return None
        out.append(m.group(0))
        pos = m.end()
        while pos < len(s) and s[pos] == " ":
            pos += 1
    return out or None


# --------------------------------------------------------------------------- #
# Archival references
#   RGASPI F. 558. Op. 11. D. 76. L. 50          (English edition)
#   РГАСПИ. Ф. 558. Оп. 11. Д. 76. Л. 50         (Russian edition)
#   F. 558, op. 11, d. 76, l. 50.                (Yale edition)
#   GA RF. F. R-5446. Op. 57. D. 16. L. 53 ; Ibid. D. 846. L. 2 ; (Ibid., L. 4)
# --------------------------------------------------------------------------- #

PARTS = ("fond", "opis", "delo", "list")
_MARKER = {
    "fond": r"F|Ф|f|Fond",
    "opis": r"Op|Оп|op|Inv|opis",
    "delo": r"D|Д|d|delo",
    "list": r"Лл|Л|ll|L|l",
}
_MARKER_RX = {
    part: re.compile(rf"(?P<marker>(?:{alts})(?![\w]))(?P<sep>\s*\.{{0,2}}\s*/?\s*|\s+)") for part, alts in _MARKER.items()
}
# OCR and machine-translation readings of digits, as seen in the editions:
# Cyrillic П for "11", Ц (transliterated Ts) for "11", З (Z) for 3, I/l for 1.
GLYPHS = {"P": "11", "П": "11", "Ts": "11", "Ц": "11", "Z": "3", "З": "3", "I": "1", "l": "1", "O": "0", "О": "0"}
_GLYPH = r"(?:Ts|[PПЦZЗIlOО])"
_NUM = r"\d+(?:\s*[а-яa-z](?![\w]))?"
_SHEET = rf"(?:\d+(?:\s*(?:(?:v|ob)(?![\w])|об\.?))?|{_GLYPH}+(?![\w])|(?:{'|'.join(NUMBER_WORDS)})(?![\w]))"
_VALUE = {
    "fond": re.compile(r"(?:R|Р)-?\s?\d+|\d+"),
    "opis": re.compile(rf"{_NUM}|{_GLYPH}+D(?=\s*\d)|{_GLYPH}+(?![\w])"),
    "delo": re.compile(rf"{_NUM}|{_GLYPH}+(?![\w])"),
    "list": re.compile(rf"{_SHEET}(?:\s*(?:[-–—]|,)\s*{_SHEET})*"),
}
ARCHIVE = re.compile(r"(?!Ibid|See\b|Cf\b)(?P<archive>RGASPI|РГАСПИ|GA RF|ГА РФ|AP RF|АП РФ|[A-ZА-Я][A-Za-zА-Яа-я]{1,7}(?: [A-ZА-Я]{1,3})?)\.?\s+(?=[FФ]\b)")
IBID = re.compile(r"(?P<ibid>Ibid\.?|Там же\.?)(?P<sep>\s*,?\s*)")


def degarble(token: str) -> str | None:
    """Read an OCR-garbled number ('P' -> '11', 'TsZ' -> '113'); None if not one."""
    out, i = [], 0
    while i < len(token):
        for g in ("Ts", token[i]):
            if token.startswith(g, i) and g in GLYPHS:
                out.append(GLYPHS[g])
                i += len(g)
                break
        else:
            if token[i].isdigit():
                out.append(token[i])
                i += 1
            else:
                return None
    return "".join(out)


def _parse_parts(text: str, pos: int, first_part: int) -> tuple[list[tuple[str, str]], dict, int] | None:
    """Parse consecutive parts from ``pos``; returns (segments, values, end)."""
    segments: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    k = first_part
    end = pos
    while k < len(PARTS):
        matched = False
        for j in range(k, len(PARTS)):
            part = PARTS[j]
            mm = _MARKER_RX[part].match(text, end)
            if not mm:
                continue
            vm = _VALUE[part].match(text, mm.end())
            if not vm:
                continue
            value = vm.group(0)
            segments.append(("text", mm.group(0)))
            segments.append((part, value))
            values[part] = value
            end = vm.end()
            k = j + 1
            matched = True
            if part == "opis" and value.endswith("D"):
                # "Op. ID 76": the delo marker is glued to a garbled opis.
                dv = re.compile(r"\s*(\d+)").match(text, end)
                if dv:
                    segments.append(("text", dv.group(0)[: len(dv.group(0)) - len(dv.group(1))]))
                    segments.append(("delo", dv.group(1)))
                    values["delo"] = dv.group(1)
                    end = dv.end()
                    k = PARTS.index("delo") + 1
            # a separator ". " / ", " between parts belongs to the citation
            sm = re.compile(r"\s*[.,]{1,2}\s*|\s+").match(text, end)
            if sm and k < len(PARTS) and any(_MARKER_RX[p].match(text, sm.end()) for p in PARTS[k:]):
                segments.append(("text", sm.group(0)))
                end = sm.end()
            break
        if not matched:
            break
    if not values:
        return None
    # drop a trailing separator segment that isn't followed by a part
    while segments and segments[-1][0] == "text" and not segments[-1][1].strip(" .,"):
        if len(segments) >= 2 and segments[-2][0] != "text":
            end -= len(segments[-1][1])
            segments.pop()
        else:
            break
    return segments, values, end


def find_citations(text: str) -> list[Citation]:
    """All archival references in ``text``, in order, with their printed spans."""
    found: list[Citation] = []
    pos = 0
    while pos < len(text):
        best = None
        for m in (ARCHIVE.search(text, pos), IBID.search(text, pos), _bare_fond(text, pos)):
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            break
        cit = _citation_at(text, best)
        if cit is None:
            pos = best.end()
            continue
        found.append(cit)
        pos = cit.end
    return found


_BARE_F = re.compile(r"(?<![\w.])(?=(?:F|Ф)\s*\.?\s*(?:R-?|Р-?)?\d)")


def _bare_fond(text: str, pos: int):
    return _BARE_F.search(text, pos)


def _citation_at(text: str, m: re.Match) -> Citation | None:
    start = m.start()
    lead: list[tuple[str, str]] = []
    archive = ibid = None
    if m.re is ARCHIVE:
        archive = m["archive"]
        lead = [("archive", archive), ("text", text[m.start("archive") + len(archive): m.end()])]
        pos, first = m.end(), 0
    elif m.re is IBID:
        ibid = m["ibid"]
        lead = [("ibid", ibid)]
        sep = m["sep"]
        pos, first = m.end(), 0
        if sep:
            lead.append(("text", sep))
    else:
        pos, first = m.start(), 0
    parsed = _parse_parts(text, pos, first)
    if parsed is None:
        if ibid is None:
            return None
        # a bare "Ibid." stands for the whole previous reference
        return Citation(printed=ibid, ibid=True, ibid_printed=ibid, start=start, end=start + len(ibid),
                        segments=[("ibid", ibid)])
    segments, values, end = parsed
    segs = lead + segments
    printed = text[start:end]
    cit = Citation(printed=printed, archive=archive, start=start, end=end, ibid=ibid is not None, ibid_printed=ibid)
    cit.values = values
    cit.segments = segs
    for part in PARTS:
        if part in values:
            setattr(cit, "sheets" if part == "list" else part, values[part])
    normalise_citation(cit)
    return cit


def normalise_citation(cit: Citation) -> None:
    """Repair what can be read without context (garbled digits, number words) and compute ranges."""
    for part in ("fond", "opis", "delo"):
        v = getattr(cit, part)
        if v is None:
            continue
        if part == "opis" and v.endswith("D"):
            v = v[:-1]
        clean = re.sub(r"\s+", "", v)
        if clean.isdigit() or re.fullmatch(r"(?:R|Р)-?\d+|\d+[а-яa-z]", clean):
            setattr(cit, part, clean.replace("Р", "R") if part == "fond" else clean)
            continue
        read = degarble(clean)
        if read:
            setattr(cit, part, read)
            cit.repairs.append(Repair(part, cit.values[part], read, "medium", f"OCR reading of '{clean}' as {read}"))
    if cit.sheets is not None:
        cit.sheets, cit.ranges = _read_sheets(cit, cit.sheets)


def _read_sheets(cit: Citation, printed: str) -> tuple[str, list[tuple[str, str]]]:
    items = re.split(r"\s*,\s*", printed)
    ranges: list[tuple[str, str]] = []
    out_items = []
    repaired = False
    for item in items:
        ends = re.split(r"\s*[-–—]\s*", item)
        read_ends = []
        for e in ends:
            e2 = re.sub(r"\s+", "", e)
            suffix = ""
            sm = re.fullmatch(r"(\d+)(v|ob|об)\.?", e2)
            if sm:
                e2, suffix = sm.group(1), "v"
            if e2.isdigit():
                read_ends.append(e2 + suffix)
            elif e2 in NUMBER_WORDS:
                read_ends.append(NUMBER_WORDS[e2])
                repaired = True
            else:
                d = degarble(e2)
                read_ends.append(d if d else e2)
                repaired = True
        out_items.append("–".join(read_ends) if len(read_ends) > 1 else read_ends[0])
        ranges.append((read_ends[0], read_ends[-1]))
    # "65, 65v" and "79, 80" are one continuous stretch
    merged: list[tuple[str, str]] = []
    for a, b in ranges:
        if merged and _follows(merged[-1][1], a):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    corrected = ", ".join(out_items)
    if repaired:
        cit.repairs.append(Repair("list", printed, corrected, "medium", "OCR/translation reading of the sheet numbers"))
    return (corrected if repaired else printed), merged


def _follows(a: str, b: str) -> bool:
    """Does sheet ``b`` directly follow sheet ``a`` (65 -> 65v, 65v -> 66, 79 -> 80)?"""
    na, nb = re.match(r"\d+", a), re.match(r"\d+", b)
    if not (na and nb):
        return False
    ia, ib = int(na.group(0)), int(nb.group(0))
    if a.endswith("v"):
        return ib == ia + 1 and not b.endswith("v")
    return (ib == ia and b.endswith("v")) or (ib == ia + 1 and not b.endswith("v"))


def sheet_number(s: str) -> int | None:
    m = re.match(r"\d+", s)
    return int(m.group(0)) if m else None


def strip_anchors(text: str) -> str:
    return text.replace(ANCHOR, "")
