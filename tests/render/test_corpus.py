"""Collecting the render inputs (render/corpus.py): each file once, persons apart, reading order."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from corresptei.errors import TransformError
from corresptei.render.corpus import Corpus

from .helpers import FIXTURES


def test_a_file_named_twice_or_through_a_link_is_one_letter(tmp_path: Path) -> None:
    tei = tmp_path / "tei"
    shutil.copytree(FIXTURES, tei)
    letters = sorted(p for p in tei.glob("*.xml") if p.name != "persons.xml")
    os.symlink(letters[0], tmp_path / "link.xml")
    once = Corpus.from_paths([tei])
    dotted = Path(str(letters[1]).replace("/tei/", "/tei/./"))
    again = Corpus.from_paths([tei, letters[0], tmp_path / "link.xml", dotted])
    assert [lt.stem for lt in again.letters] == [lt.stem for lt in once.letters]
    assert once.persons == tei / "persons.xml" and len(once.letters) == len(letters)


def test_a_folder_contributes_its_xml_files_only(tmp_path: Path) -> None:
    tei = tmp_path / "tei"
    shutil.copytree(FIXTURES, tei)
    (tei / "notes.txt").write_text("not a letter")
    (tei / "sub.xml").mkdir()  # a folder with an .xml name
    assert len(Corpus.from_paths([tei]).letters) == len(list(FIXTURES.glob("*.xml"))) - 1


def test_two_letters_with_one_name_are_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(FIXTURES, a)
    shutil.copytree(FIXTURES, b)
    with pytest.raises(TransformError, match="same file name"):
        Corpus.from_paths([a, b])


def test_reading_order_follows_dates_and_the_chain() -> None:
    corpus = Corpus.from_paths([FIXTURES])
    dates = [lt.date for lt in corpus.letters]
    assert dates == sorted(dates)
    position = {lt.stem: i for i, lt in enumerate(corpus.letters)}
    for lt in corpus.letters:
        if lt.next in position and corpus.letters[position[lt.next]].date == lt.date:
            assert position[lt.next] > position[lt.stem]
