"""Helpers shared by the render tests: where things are, what a build holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from corresptei.render.corpus import Corpus

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURES = HERE / "fixtures" / "tei"
REAL_TEI = REPO / "tei"
ARTIFACTS = REPO / "test-artifacts" / "render"
TEI = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI, "h": "http://www.w3.org/1999/xhtml"}


def corpora() -> list:
    """The corpora every render test runs on."""
    params = [pytest.param(FIXTURES, id="fixtures")]
    if REAL_TEI.is_dir() and any(REAL_TEI.glob("*.xml")):
        params.append(pytest.param(REAL_TEI, id="corpus"))
    return params


@dataclass
class Built:
    """One build of a corpus: where the outputs are and what went in."""

    name: str
    out: Path
    corpus: Corpus

    @property
    def html(self) -> Path:
        return self.out / "html"

    def tei(self, stem: str) -> etree._Element:
        letter = next(lt for lt in self.corpus.letters if lt.stem == stem)
        return etree.parse(str(letter.path)).getroot()

    def letters(self) -> list[tuple[str, etree._Element]]:
        return [(lt.stem, etree.parse(str(lt.path)).getroot()) for lt in self.corpus.letters]

    def persons(self) -> etree._Element | None:
        return etree.parse(str(self.corpus.persons)).getroot() if self.corpus.persons else None


def artifacts_dir(*parts: str) -> Path:
    """A folder for test artefacts (screenshots) under test-artifacts/ (git-ignored)."""
    path = ARTIFACTS.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


CYRILLIC = re.compile(r"[\u0400-\u04FF]")
