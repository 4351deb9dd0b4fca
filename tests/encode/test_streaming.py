"""encode_paths streams: one document's letters and tree in memory at a time, the rest on disk."""

from __future__ import annotations

import gc
import weakref

import corresptei.encode as encode
from corresptei.encode.corpus import CorpusEncoder
from corresptei.ingest import SpooledSources

from ..conftest import REPO

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def test_letters_and_trees_are_let_go_once_written(tmp_path, monkeypatch):
    loaded: list[weakref.ref] = []  # every whole letter read back from the spool
    encoded: list[weakref.ref] = []  # every EncodedLetter (it holds the tree)
    most_alive = [0, 0]

    real_letter, real_encode, real_serialise = SpooledSources.letter, CorpusEncoder._encode, encode.serialise

    def letter(self, k):
        L = real_letter(self, k)
        loaded.append(weakref.ref(L))
        return L

    def encode_one(self, doc):
        e = real_encode(self, doc)
        encoded.append(weakref.ref(e))
        return e

    def serialise(tree):
        gc.collect()
        most_alive[0] = max(most_alive[0], sum(r() is not None for r in loaded))
        most_alive[1] = max(most_alive[1], sum(r() is not None for r in encoded))
        return real_serialise(tree)

    monkeypatch.setattr(SpooledSources, "letter", letter)
    monkeypatch.setattr(CorpusEncoder, "_encode", encode_one)
    monkeypatch.setattr(encode, "serialise", serialise)
    report = encode.encode_paths(SEEDS, tmp_path / "tei")
    assert len(encoded) == len(report.letters) == 48
    assert len(loaded) == 49  # one letter printed twice: both read back, merged into one document
    assert most_alive == [1, 1]  # only the letter being written (the text that joined it is now part of it)
    assert report.files == [r.filename for r in report.letters] + ["persons.xml"]


def test_a_report_repr_is_a_summary(tmp_path):
    report = encode.encode_paths(SEEDS, tmp_path / "tei")
    text = repr(report)
    assert text.startswith("EncodeReport(48 letters, ") and "plan=Plan(write=49, " in text
    assert len(text) < 300
