"""Property tests: archival references and dates in any of the printed styles read back."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corresptei.ingest import grammar as g
from corresptei.ingest.notes import build_notes

STYLES = {
    "en": ("RGASPI", "F. {f}. Op. {o}. D. {d}. L. {l}"),
    "ru": ("РГАСПИ", "Ф. {f}. Оп. {o}. Д. {d}. Л. {l}"),
    "yale": (None, "F. {f}, op. {o}, d. {d}, l. {l}"),
}

numbers = st.integers(min_value=1, max_value=2000)


@st.composite
def sheets(draw):
    a = draw(st.integers(min_value=1, max_value=400))
    kind = draw(st.sampled_from(["one", "range", "verso", "pair"]))
    if kind == "one":
        return str(a), (str(a), str(a))
    if kind == "range":
        b = a + draw(st.integers(min_value=1, max_value=20))
        dash = draw(st.sampled_from(["–", "-"]))
        return f"{a}{dash}{b}", (str(a), str(b))
    if kind == "verso":
        return f"{a}, {a}v", (str(a), f"{a}v")
    return f"{a}, {a + 1}", (str(a), str(a + 1))


@settings(max_examples=300, deadline=None)
@given(style=st.sampled_from(sorted(STYLES)), f=st.one_of(numbers.map(str), numbers.map(lambda n: f"R-{n}")),
       o=numbers, d=numbers, sh=sheets(), lead=st.sampled_from(["(", "see ", "", "Archive: "]),
       trail=st.sampled_from([").", ". Autograph.", ";", ""]))
def test_citation_round_trip(style, f, o, d, sh, lead, trail):
    archive, fmt = STYLES[style]
    printed = fmt.format(f=f, o=o, d=d, l=sh[0])
    text = lead + (f"{archive}. " if archive else "") + printed + trail
    (c,) = g.find_citations(text)
    assert (c.fond, c.opis, c.delo) == (f, str(o), str(d))
    assert c.archive == archive
    assert c.ranges == [sh[1]]
    assert not c.repairs
    assert "".join(t for _, t in c.segments) == c.printed == text[c.start:c.end]


@settings(max_examples=200, deadline=None)
@given(day=st.integers(1, 28), month=st.integers(1, 12), year=st.integers(1900, 1999),
       brackets=st.sampled_from(["none", "full", "year"]))
def test_header_dates(day, month, year, brackets):
    name = list(g.MONTHS_EN)[month - 1].capitalize()
    printed = {"none": f"{name} {day}, {year}", "full": f"[{name} {day}, {year}]", "year": f"{name} {day} [{year}]"}[brackets]
    parsed, start = g.parse_header_date(f"Stalin to Kaganovich {printed}")
    assert parsed.when == f"{year:04d}-{month:02d}-{day:02d}"
    assert parsed.editorial == brackets
    assert parsed.printed == printed


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 9), glue=st.lists(st.sampled_from(["standalone", "glued", "lost"]), min_size=1, max_size=9))
def test_notes_anchor_in_order(n, glue):
    """Whatever the marker style, notes are anchored in text order and none is lost."""
    glue = glue[:n]
    parts = []
    for k, style in enumerate(glue, 1):
        word = f"we wrote about word{chr(96 + k)}"
        parts.append({"standalone": f"{word} {k} .", "glued": f"{word}{k} .", "lost": f"{word} ."}[style])
    text = " And then ".join(parts)
    paras = [(100 + k, f"{k} Note text {k}.") for k in range(1, len(glue) + 1)]
    notes, anchors, _ = build_notes(paras, ["Hello.", text])
    assert [x.n for x in notes] == list(range(1, len(glue) + 1))
    placed = [a for a in anchors if a is not None]
    assert [(a.block, a.start) for a in placed] == sorted((a.block, a.start) for a in placed)
    for note, style in zip(notes, glue):
        assert note.anchor == ("inferred" if style == "lost" else "marker")
