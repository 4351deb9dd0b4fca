"""The letter pass in worker processes, and the corpus outputs made without a corpus document.

Worker processes (``jobs``) give the same bytes as one process; the corpus text
written letter by letter and the index pages made from the site index equal the
stylesheets' output over the whole corpus document (the way they were made before).
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from corresptei.cli import main
from corresptei.errors import TransformError
from corresptei.render import Corpus, Renderer, render
from corresptei.render.api import SITE_PAGES
from corresptei.render.parallel import MIN_LETTERS_PER_WORKER, worker_count
from corresptei.render.stages import engine

from .helpers import FIXTURES, Built, corpora

QUICK = ("html", "text", "cmif")


@pytest.fixture
def tei_copy(tmp_path: Path) -> Path:
    """A private copy of the fixture letters."""
    return Path(shutil.copytree(FIXTURES, tmp_path / "tei"))


def same_tree(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only (recursively)."""
    cmp = filecmp.dircmp(a, b)
    bad = [*cmp.left_only, *cmp.right_only, *cmp.funny_files]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    bad += mismatch + errors
    for sub in cmp.common_dirs:
        bad += [f"{sub}/{name}" for name in same_tree(a / sub, b / sub)]
    return bad


@pytest.mark.parametrize("source", corpora())
def test_workers_write_the_same_bytes_as_one_process(source: Path, tmp_path: Path) -> None:
    for fmt in QUICK:
        render([source], fmt, tmp_path / "one" / fmt, jobs=1)
        render([source], fmt, tmp_path / "two" / fmt, jobs=2)
    assert same_tree(tmp_path / "one", tmp_path / "two") == []
    assert not [p for p in (tmp_path / "two").rglob(".*")], "temporary files left behind"


def test_corpus_text_equals_the_text_of_the_corpus_document(built: Built) -> None:
    eng = engine()
    corpus = built.corpus
    whole = eng.transform("text", eng.parse(text=corpus.corpus_xml()),
                          {"persons": eng.parse(path=corpus.persons)} if corpus.persons else {})
    assert (built.out / "text" / "corpus.txt").read_text(encoding="utf-8") == whole


def test_index_pages_equal_the_pages_of_the_corpus_document(built: Built) -> None:
    eng = engine()
    corpus = built.corpus
    node = eng.parse(text=corpus.corpus_xml())
    persons = {"persons": eng.parse(path=corpus.persons)} if corpus.persons else {}
    for page in SITE_PAGES:
        whole = eng.transform("html-site", node, {**persons, "page": page})
        assert (built.html / f"{page}.html").read_text(encoding="utf-8") == whole, page


def test_the_letter_pass_needs_no_corpus_document(tei_copy: Path, tmp_path: Path, monkeypatch) -> None:
    def refuse(self):  # pragma: no cover - called only if the pass regresses
        raise AssertionError("the corpus document was built")

    monkeypatch.setattr(Corpus, "corpus_xml", refuse)
    for fmt in ("html", "text"):
        render([tei_copy], fmt, tmp_path / fmt, jobs=2)
    assert (tmp_path / "html" / "archives.html").is_file()
    assert (tmp_path / "text" / "corpus.txt").is_file()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_broken_letter_is_named_and_leaves_no_partial_files(tei_copy: Path, tmp_path: Path,
                                                              jobs: int) -> None:
    broken = tei_copy / "1931-09-03_kaganovich-stalin_a.xml"
    text = broken.read_text(encoding="utf-8")
    end = text.rindex("</body>")  # past the header: found by the transformation, not the corpus scan
    broken.write_text(text[:end] + "<p>unclosed" + text[end:], encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(TransformError, match=r"1931-09-03_kaganovich-stalin_a\.xml.*not well-formed"):
        render([tei_copy], "text", out, jobs=jobs)
    assert not (out / "corpus.txt").exists()
    assert not [p for p in out.rglob("*") if p.name.startswith(".")], "temporary files left behind"


def test_worker_count() -> None:
    assert worker_count(1, 1000) == 1
    assert worker_count(4, 3) == 3  # never more workers than letters
    assert worker_count(None, 10) == 1  # a small corpus: in this process
    assert worker_count(None, 100 * MIN_LETTERS_PER_WORKER) >= 1


def test_cli_jobs(tei_copy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["render", "--to", "text", str(tei_copy), "--out",
                                  str(tmp_path / "o"), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "corpus.txt").is_file()
    zero = runner.invoke(main, ["render", "--to", "text", str(tei_copy), "--out",
                                str(tmp_path / "o"), "--jobs", "0"])
    assert zero.exit_code == 2
    built = runner.invoke(main, ["build", str(tei_copy), "--out", str(tmp_path / "b"),
                                 "--format", "html", "-j", "2"])
    assert built.exit_code == 0, built.output


def test_progress_reports_every_target_once(tei_copy: Path, tmp_path: Path) -> None:
    renderer = Renderer(Corpus.from_paths([tei_copy]))
    targets = [*renderer.targets("html", tmp_path / "html"), *renderer.targets("text", tmp_path / "text")]
    seen: list[str] = []
    result = renderer.run(targets, lambda target: seen.append(target.key), jobs=2)
    assert sorted(seen) == sorted(t.key for t in targets)
    assert sorted(result.written) == sorted(p for t in targets for p in t.outputs)
