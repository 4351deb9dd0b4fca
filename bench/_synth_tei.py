"""Small, deterministic synthetic TEI letters in the shape of docs/tei-encoding.md.

Self-contained on purpose (a fuller corpus generator lives elsewhere under
bench/ and can replace this): ``write_corpus(directory, n, seed)`` writes
``n`` letters chained by prev/next, plus ``persons.xml``, all valid against
tei_all and the corpus checks.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

PEOPLE = {
    "stalin": "Stalin", "kaganovich": "Kaganovich", "molotov": "Molotov",
    "voroshilov": "Voroshilov", "ordzhonikidze": "Ordzhonikidze", "rudzutak": "Rudzutak",
}
WORDS = ("plan grain transport commissariat resolution telegram report question industry "
         "decision comrade proposal directive meeting committee delivery foreign press "
         "negotiations credits oil orders factory plenum editorial railway supply").split()

PERSONS = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="persons" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Persons</title></titleStmt>
      <publicationStmt><publisher>corresptei</publisher></publicationStmt>
      <sourceDesc><p>Compiled from the edition.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <listPerson>
{persons}
      </listPerson>
    </body>
  </text>
</TEI>
"""

LETTER = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="../schema/corresptei.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>{title}</title>
        <respStmt><resp>TEI encoding</resp><name xml:id="corresptei">corresptei converter</name></respStmt>
      </titleStmt>
      <publicationStmt>
        <publisher>corresptei</publisher>
        <idno type="corresptei">{id}</idno>
        <availability><p>For research.</p></availability>
      </publicationStmt>
      <sourceDesc>
        <bibl type="edition" xml:id="edition">
          <title level="m">Stalin and Kaganovich. Correspondence. 1931–1936</title>
          <pubPlace>Moscow</pubPlace><publisher>ROSSPEN</publisher><date when="2001">2001</date>
        </bibl>
        <msDesc xml:id="w1">
          <msIdentifier>
            <country>Russia</country>
            <settlement>Moscow</settlement>
            <repository>Russian State Archive of Socio-Political History (RGASPI)</repository>
            <idno type="shelfmark">F. <idno type="fond">{fond}</idno>. Op. <idno type="opis">{opis}</idno>. D. <idno type="delo">{delo}</idno>. L. <idno type="list">{sheets}</idno></idno>
          </msIdentifier>
          <head type="citation">Archive: RGASPI F. {fond}. Op. {opis}. D. {delo}. L. {sheets}.</head>
          <msContents>
            <msItem><locus from="{lfrom}" to="{lto}">{sheets}</locus><p>{title}</p></msItem>
          </msContents>
          <physDesc><p>Autograph.</p></physDesc>
        </msDesc>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent">
          <persName ref="persons.xml#{sender}">{sender_name}</persName>
          <date when="{when}">{when}</date>
        </correspAction>
        <correspAction type="received">
          <persName ref="persons.xml#{recipient}">{recipient_name}</persName>
        </correspAction>
        <correspContext>{context}</correspContext>
      </correspDesc>
      <langUsage><language ident="en">English</language></langUsage>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="letter" subtype="letter" xml:lang="en">
        <head>{title}</head>
        <opener><salute>{recipient_name}.</salute></opener>
{paragraphs}
        <closer>
          <signed><persName ref="persons.xml#{sender}">{sender_name}</persName>.</signed>
          <dateline><date when="{when}">{when}</date></dateline>
        </closer>
      </div>
    </body>
  </text>
</TEI>
"""


def _paragraphs(rng: random.Random, letter_id: str, size: int) -> str:
    out, total, n = [], 0, 0
    while total < size:
        n += 1
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90)))
        note = ""
        if n % 3 == 0:
            note = (f'<note n="{n}" type="editorial" place="foot" xml:id="{letter_id}-n{n}">The '
                    f"{escape(rng.choice(WORDS))} was discussed by the PB.</note>")
        para = f'        <p n="{n}"><label>{n})</label> {escape(words.capitalize())}{note}.</p>'
        out.append(para)
        total += len(para)
    return "\n".join(out)


def letter_name(i: int, day: date, sender: str, recipient: str) -> str:
    return f"{day.isoformat()}_{sender}-{recipient}_{i:05d}"


def write_corpus(directory: str | Path, n: int, seed: int = 1931, size: int = 6000) -> list[Path]:
    """Write ``n`` letters (about ``size`` bytes of text each) and persons.xml; return the letter paths."""
    rng = random.Random(seed)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    persons = "\n".join(
        f'        <person xml:id="{pid}"><persName>{name}</persName></person>' for pid, name in PEOPLE.items())
    (directory / "persons.xml").write_text(PERSONS.format(persons=persons), encoding="utf-8")
    start = date(1931, 8, 1)
    plan = []
    for i in range(n):
        sender, recipient = rng.sample(sorted(PEOPLE), 2)
        day = start + timedelta(days=i * 3 // max(1, n // 300 + 1) // 1)
        plan.append((letter_name(i, day, sender, recipient), day, sender, recipient))
    paths = []
    for i, (stem, day, sender, recipient) in enumerate(plan):
        letter_id = "L" + stem
        ctx = []
        if i > 0:
            ctx.append(f'<ref type="prev" target="{plan[i - 1][0]}.xml">previous</ref>')
        if i + 1 < n:
            ctx.append(f'<ref type="next" target="{plan[i + 1][0]}.xml">next</ref>')
        sheet = 10 + 2 * i
        title = f"{PEOPLE[sender]} to {PEOPLE[recipient]}, {day.day} {day.strftime('%B')} {day.year}"
        text = LETTER.format(
            id=letter_id, title=title, fond="558", opis="11", delo=str(70 + i // 400),
            sheets=f"{sheet}–{sheet + 1}", lfrom=sheet, lto=sheet + 1,
            sender=sender, sender_name=PEOPLE[sender], recipient=recipient, recipient_name=PEOPLE[recipient],
            when=day.isoformat(), context="".join(ctx) or "<note>none</note>",
            paragraphs=_paragraphs(rng, letter_id, size),
        )
        path = directory / f"{stem}.xml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    write_corpus(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)
