"""The personography's knowledge base and name resolution.

``data/persons.json`` holds verified facts about the correspondents (each fact
with the address it was read at).  ``Lexicon.resolve`` maps a name as printed
("Kaganovich", "L. Kaganovich", "Кагановичу", "Sergo", "Tov. Stalin") to an id.
Names the knowledge base does not know get an id made from their surname.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e yu ya".split(" "),
    )
)
TITLES = re.compile(r"^(?:Tov\.|T\.|tt\.|Comrade|Comrades|Dear|т\.|тов\.|товарищ)\s+", re.I)
INITIALS = re.compile(r"^(?:[A-ZА-ЯЁ][a-zа-яё]?\.\s*)+")


@dataclass
class PersonEntry:
    id: str
    surname: str
    forename: str | None = None
    patronymic: str | None = None
    full_name_ru: str | None = None
    surname_ru: str | None = None
    forms: set[str] = field(default_factory=set)  # lower-cased forms that resolve to this person
    variants: list[str] = field(default_factory=list)
    birth: str | None = None
    death: str | None = None
    wikidata: str | None = None
    viaf: str | None = None
    known: bool = True
    sources: dict[str, str] = field(default_factory=dict)  # fact -> address it was read at

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.forename, self.patronymic, self.surname) if p)


def slug(name: str) -> str:
    """An ASCII id from a surname in Latin or Cyrillic script."""
    out = []
    for ch in name.lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        else:
            out.append(ch)
    s = unicodedata.normalize("NFKD", "".join(out)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "person"


def clean_name(printed: str) -> str:
    """'Tov. Stalin.' -> 'Stalin'; 'L. Kaganovich' -> 'Kaganovich'."""
    s = printed.strip().strip(".,;:!?").strip()
    s = TITLES.sub("", s)
    s = INITIALS.sub("", s)
    return s.strip()


class Lexicon:
    def __init__(self, entries: list[PersonEntry]):
        self.entries = {e.id: e for e in entries}
        self._forms: dict[str, str] = {}
        for e in entries:
            for f in e.forms:
                self._forms[f] = e.id

    def resolve(self, printed: str) -> str | None:
        """The id of a known person named ``printed``, or None."""
        name = clean_name(printed)
        if not name:
            return None
        key = name.lower()
        if key in self._forms:
            return self._forms[key]
        # "Kaganovich Lazar": surname first, forename after
        first = key.split()[0]
        if first in self._forms:
            return self._forms[first]
        last = key.split()[-1]
        return self._forms.get(last)

    def id_for(self, printed: str) -> str:
        """Resolve, or make (and remember) an entry for a person the knowledge base lacks."""
        pid = self.resolve(printed)
        if pid:
            return pid
        name = clean_name(printed)
        surname = name.split()[-1] if name else printed
        pid = slug(surname)
        if pid not in self.entries:
            e = PersonEntry(id=pid, surname=surname, forms={surname.lower()}, known=False)
            self.entries[pid] = e
            self._forms[surname.lower()] = pid
        return pid

    def is_name(self, word: str) -> bool:
        return self.resolve(word) is not None


@lru_cache(maxsize=1)
def _load_entries() -> tuple[PersonEntry, ...]:
    data = json.loads(resources.files("corresptei").joinpath("data/persons.json").read_text("utf-8"))
    out = []
    for d in data:
        forms = {d["surname"].lower(), *(f.lower() for f in d.get("ru_case_forms", []))}
        forms |= {v.lower() for v in d.get("variants", [])}
        if d.get("surname_ru"):
            forms.add(d["surname_ru"].lower())
        out.append(
            PersonEntry(
                id=d["id"],
                surname=d["surname"],
                forename=d.get("forename"),
                patronymic=d.get("patronymic"),
                full_name_ru=d.get("full_name_ru"),
                surname_ru=d.get("surname_ru"),
                forms=forms,
                variants=list(d.get("variants", [])),
                birth=d.get("birth"),
                death=d.get("death"),
                wikidata=d.get("wikidata"),
                viaf=d.get("viaf"),
                sources=dict(d.get("sources", {})),
            )
        )
    return tuple(out)


def default_lexicon() -> Lexicon:
    """A fresh lexicon (it learns unknown names, so each run gets its own)."""
    import copy

    return Lexicon([copy.deepcopy(e) for e in _load_entries()])
