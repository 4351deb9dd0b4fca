"""spool_sources reads what read_sources reads, keeping only the letters' heads in memory."""

from __future__ import annotations

import pytest

from corresptei.ingest import letter_head, read_sources, spool_sources
from corresptei.ingest.spool import LetterSpool

from ..conftest import REPO

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def in_memory():
    return read_sources(SEEDS)


@pytest.fixture()
def spooled():
    with spool_sources(SEEDS) as s:
        yield s


def test_same_letters_as_read_sources(in_memory, spooled):
    assert len(spooled.heads) == len(in_memory.letters) == len(spooled.spool)
    for k, letter in enumerate(in_memory.letters):
        assert spooled.letter(k) == letter, k
    assert spooled.problems == in_memory.problems
    assert spooled.pages == in_memory.pages


def test_heads_carry_the_repaired_shelfmarks(in_memory, spooled):
    """The heads are made before the corpus repairs; the repairs still reach them."""
    # the seeds' witnesses have an Op. repaired by consensus and a last sheet by the folio sequence
    witness_repairs = {rep.part for L in in_memory.letters for w in L.witnesses for rep in w.citation.repairs}
    assert witness_repairs >= {"opis", "list"}
    assert spooled.heads == [letter_head(L) for L in in_memory.letters]


def test_a_letter_read_back_is_a_fresh_copy(spooled):
    a, b = spooled.letter(0), spooled.letter(0)
    assert a == b and a is not b
    a.divisions.clear()
    assert spooled.letter(0) == b


def test_head_is_small_and_textless(in_memory):
    letter = max(in_memory.letters, key=lambda L: len(L.source_lines))
    head = letter_head(letter)
    assert head.when == letter.date.when and head.header_line == letter.header_line
    assert head.senders == tuple(p.id for p in letter.senders)
    assert not hasattr(head, "__dict__")  # slots: a few hundred bytes per letter


def test_spool_reads_back_in_any_order_and_appends_after_reading(tmp_path, in_memory):
    letters = in_memory.letters[:5]
    with LetterSpool(str(tmp_path)) as spool:
        for L in letters[:3]:
            spool.append(L)
        assert spool[2] == letters[2] and spool[0] == letters[0]
        assert spool.append(letters[3]) == 3  # after a read, appends still go at the end
        spool.append(letters[4])
        assert [spool[k] for k in (4, 1, 3)] == [letters[4], letters[1], letters[3]]
        with pytest.raises(IndexError):
            spool[5]
        with pytest.raises(IndexError):
            spool[-1]
    assert list(tmp_path.iterdir()) == []  # anonymous: nothing left behind
