"""The grammar of the printed conventions, on small pages that vary them.

Each page is a variation the issue names: other months of the same publication and
similar publications print the same things differently.
"""

from __future__ import annotations

import pytest

from corresptei.ingest import read_sources
from corresptei.ingest import grammar as g


def read(tmp_path, text: str, name="page.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return read_sources([p])


BASIC = """Marx-Engels |  Lenin  | Stalin |  Home Page

1931 - September

{letters}

← Back to index
Marx-Engels | Lenin | Stalin | Home Page
"""


def test_navigation_before_and_after_is_not_part_of_a_letter(tmp_path):
    r = read(tmp_path, BASIC.format(letters="""Stalin to Kaganovich September 1, 1931

Archive: RGASPI F. 558. Op. 11. D. 76. L. 50. Handwritten text.
Kaganovich.

School and OGIZ can be published. Stalin."""))
    assert not r.problems
    (L,) = r.letters
    assert not any("Back to index" in l or "Home Page" in l for l in L.source_lines)
    closer = [b for b in L.divisions[0].blocks if b.kind == "closer"]
    assert closer[-1].parts == [("signed", "Stalin.")]


def test_header_and_archive_on_one_line(tmp_path):
    r = read(tmp_path, """1931 - September

Stalin to Kaganovich September 1, 1931 Archive: RGASPI F. 558. Op. 11. D. 76. L. 50. Autograph.
Kaganovich.

Agreed. Stalin.
""")
    (L,) = r.letters
    assert L.header == "Stalin to Kaganovich September 1, 1931"
    (w,) = L.witnesses
    assert (w.citation.fond, w.citation.opis, w.citation.delo, w.citation.sheets, w.description) == \
        ("558", "11", "76", "50", "Autograph.")


@pytest.mark.parametrize("style", ["1 .", "1On", "[1]", "1.", ""])
def test_note_numbering_styles(tmp_path, style):
    first = {"1 .": "1 . On", "1On": "1On", "[1]": "[1] On", "1.": "1. On", "": "On"}[style]
    second = {"1 .": "2 . The", "1On": "2The", "[1]": "[2] The", "1.": "2. The", "": "The"}[style]
    r = read(tmp_path, f"""1931 - September

Kaganovich to Stalin September 2, 1931

Archive: RGASPI F. 558. Op. 11. D. 739. L. 60. Autograph.
Hello Comrade Stalin!

We discussed Poland 1 and the pipes 2 .

Your L. Kaganovich.

_______________

{first} September 5 the PB decided (RGASPI. F. 17. Op. 162. D. 10. L. 183).

{second} pipes were cancelled{"" if style else " (Ibid. L. 184)"}.
""")
    (L,) = r.letters
    notes = L.divisions[0].notes
    assert [n.n for n in notes] == [1, 2]
    assert all(n.anchor == "marker" for n in notes)
    assert notes[0].paragraphs[0].startswith("On September 5") or notes[0].paragraphs[0].startswith("September 5")


def test_unnumbered_note_gets_its_number_by_sequence_and_continuations_stay(tmp_path):
    r = read(tmp_path, """1931 - September

Stalin to Kaganovich September 4, 1931

Archive: RGASPI F. 81. Op. 3. D. 99. L. 16–19. Autograph.
Hello, Comrade Kaganovich!

1) He will not object .

2) We sent a telegram to PB2 .

Best wishes. I. Stalin.

__________

On September 5, 1931, a resolution was adopted.

2 See the introduction.

"a) This is a quoted point of note 2, not a new note.
""")
    (L,) = r.letters
    notes = L.divisions[0].notes
    assert [(n.n, n.anchor, len(n.paragraphs)) for n in notes] == [(1, "inferred", 1), (2, "marker", 2)]
    assert any("anchored at a lost-marker site" in p.message for p in r.problems)


def test_introduction_with_its_own_notes_before_the_first_letter(tmp_path):
    r = read(tmp_path, """Stalin and Kaganovich. Correspondence. 1931–1936

1931 - September

In September 1931 Stalin was on holiday in Sochi 1 . The letters show the Politburo at work.

________

1 On the holiday see the introduction to the volume.

Stalin to Kaganovich September 1, 1931

Archive: RGASPI F. 558. Op. 11. D. 76. L. 50. Autograph.
Kaganovich.

Agreed. Stalin.
""")
    assert len(r.letters) == 1
    assert r.letters[0].divisions[0].notes == []
    assert not r.problems


def test_russian_headers_and_archive_lines(tmp_path):
    r = read(tmp_path, """1931 - сентябрь

Сталин — Кагановичу 1 сентября 1931 г.

РГАСПИ. Ф. 558. Оп. 11. Д. 76. Л. 65, 65 об. Автограф.
Кагановичу.

Школу и ОГИЗ можно опубликовать. Сталин.

Каганович — Сталину [3 сентября 1931 г.]

РГАСПИ. Ф. 558. Оп. 11. Д. 739. Л. 65–67. Автограф.
Здравствуйте, т. Сталин!

Получил ваше письмо.

Ваш Л. Каганович.
""")
    assert [(p.id for p in L.senders) and [p.id for p in L.senders] for L in r.letters] == [["stalin"], ["kaganovich"]]
    assert [[p.id for p in L.recipients] for L in r.letters] == [["kaganovich"], ["stalin"]]
    a, b = r.letters
    assert a.date.when == "1931-09-01" and a.date.editorial == "none"
    assert b.date.when == "1931-09-03" and b.date.editorial == "full"
    c = a.witnesses[0].citation
    assert (c.archive, c.fond, c.opis, c.delo, c.ranges) == ("РГАСПИ", "558", "11", "76", [("65", "65v")])
    assert a.witnesses[0].description == "Автограф."
    assert [b_.kind for b_ in b.divisions[0].blocks] == ["salute", "p", "closer"]


def test_yale_style_archive_line(tmp_path):
    r = read(tmp_path, """1931 - September

Stalin to Kaganovich September 1, 1931
F. 558, op. 11, d. 76, l. 50.
Kaganovich.

Agreed. Stalin.
""")
    (L,) = r.letters
    c = L.witnesses[0].citation
    assert (c.fond, c.opis, c.delo, c.sheets) == ("558", "11", "76", "50")


def test_telegram_lines(tmp_path):
    r = read(tmp_path, """1931 - September

Kaganovich to Stalin September 8, 1931

Archive: RGASPI F. 558. Op. 11. D. 76. L. 53. Original. Typescript.
S. secret. Encryption.

Dispatched from Moscow 8.IX. at 20:35. Received for interpretation on 9. IX at 0:45.

In. No. 66/sh.

Tov. Stalin.

The Politburo cancelled the decision.

Kaganovich.

No. 1250/sh.
""")
    (L,) = r.letters
    assert L.kind == "telegram"
    assert (L.dispatched.when, L.received.when, L.sent_place) == ("1931-09-08T20:35:00", "1931-09-09T00:45:00", "Moscow")
    kinds = [b.kind for b in L.divisions[0].blocks]
    assert kinds == ["doctype", "sent", "received", "registration", "address", "p", "closer", "closer"]


@pytest.mark.parametrize("text,expected", [
    ("RGASPI. F. 17. Op. 162. D. 10. L. 182-183", ("RGASPI", "17", "162", "10", "182-183")),
    ("GA RF. F. R-5446. Op. 57. D. 16. L. 53", ("GA RF", "R-5446", "57", "16", "53")),
    ("РГАСПИ Ф. 81. Оп. 3. Д. 99. Л. 21–23", ("РГАСПИ", "81", "3", "99", "21–23")),
    ("F. 558, op. 11, d. 76, l. 50", (None, "558", "11", "76", "50")),
    ("Ibid. F 17. Inv. 162. D. 10. L. 176", (None, "17", "162", "10", "176")),
    ("RGASPI. F. 17. Op. 3. D 859. L. 1", ("RGASPI", "17", "3", "859", "1")),
    ("Ibid. D. 847. L . four", (None, None, None, "847", "4")),
    ("RGASPI. F. 17. Op. 162. D. P. L. 71", ("RGASPI", "17", "162", "11", "71")),
])
def test_citation_forms(text, expected):
    (c,) = g.find_citations(f"({text}).")
    assert (c.archive, c.fond, c.opis, c.delo, c.sheets) == expected
    assert "".join(t for _, t in c.segments) == c.printed


def test_ibid_resolves_to_the_reference_it_abbreviates(tmp_path):
    r = read(tmp_path, """1931 - September

Kaganovich to Stalin September 2, 1931

Archive: RGASPI F. 558. Op. 11. D. 739. L. 60. Autograph.
We decided 1 and 2 and 3 .

Your L. Kaganovich.

__________

1 See RGASPI. F. 17. Op. 162. D. 10. L. 183.

2 See Ibid. D. 11. L. 3.

3 See GA RF. F. R-3316. Op. 65. D. 73. L. 9 and Ibid. D. 144. L. 5.
""")
    cits = [c for n in r.letters[0].divisions[0].notes for cs in n.citations for c in cs]
    ibid = [c.resolved for c in cits if c.ibid]
    assert [(x.archive, x.fond, x.opis, x.delo, x.sheets) for x in ibid] == [
        ("RGASPI", "17", "162", "11", "3"), ("GA RF", "R-3316", "65", "144", "5")]


def test_ps_before_any_paragraph_is_text_not_a_postscript(tmp_path):
    """Regression (synthetic corpus): a letter whose text starts with "PS" had an empty body."""
    r = read(tmp_path, """1931 - September

Stalin to Kaganovich September 19, 1931

Archive: RGASPI F. 558. Op. 11. D. 76. L. 50. Autograph.
Kaganovich .

PS I have just received Litvinov's message about Poland, I am sending it to you.

Stalin.
""")
    (L,) = r.letters
    assert [b.kind for b in L.divisions[0].blocks] == ["address", "p", "closer"]


def test_a_sentence_starting_received_is_not_a_transmission_line(tmp_path):
    """Regression (synthetic corpus): "Received Patek's draft …" was read as a telegram line."""
    r = read(tmp_path, """1931 - September

Stalin to Kaganovich September 7, 1931

Archive: RGASPI F. 81. Op. 3. D. 99. L. 21–23. Autograph.
Kaganovich .

Received Patek's draft and Karahan's "conversation" with Patek. I return both documents.

Stalin.
""")
    (L,) = r.letters
    assert L.kind == "letter" and L.received is None
    assert [b.kind for b in L.divisions[0].blocks] == ["address", "p", "closer"]


def test_received_for_decryption_with_a_roman_month_keeps_its_day(tmp_path):
    """Regression (synthetic corpus): the "1" of "1.II - 32" was taken for a note marker."""
    r = read(tmp_path, """1932 - February

Kaganovich to Stalin February 1, 1932

Archive: RGASPI F. 558. Op. 11. D. 76. L. 5. Original. Typescript.
Encryption.

Received for decryption 1.II - 32 at 14 o'clock. 39 minutes.

Tov. Stalin.

We discussed the plan 1 .

Kaganovich. HP 1245. 1

__________

1 Number entered by the secretary.
""")
    (L,) = r.letters
    assert L.received.when == "1932-02-01T14:39:00"
    from corresptei.encode import encode_result

    (e,), _ = encode_result(r)
    T = "{http://www.tei-c.org/ns/1.0}"
    for idno in e.tree.iter(T + "idno"):  # an idno holds no note: the note follows it
        assert idno.find(T + "note") is None
