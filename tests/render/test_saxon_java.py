"""The stylesheets are standard XSLT 3.0: Saxon-HE for Java gives the same bytes.

Debian's libsaxonhe-java (Saxon-HE 9.9) runs every stage over the fixture
letters and the fixture corpus, and the pieces the renderer makes the corpus
outputs from (site index records, corpus text head and separator); its output
must equal SaxonC's, byte for byte.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from corresptei.render.api import SITE_PAGES
from corresptei.render.corpus import Corpus
from corresptei.render.stages import SITE_INDEX_NS, _xslt_dir, engine

from .helpers import FIXTURES

SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")


def java_saxon(*args: str) -> None:
    java = shutil.which("java")
    assert java and SAXON_JAR.is_file(), \
        "Saxon-HE for Java is missing: `make system-deps` installs default-jre-headless and libsaxonhe-java"
    subprocess.run([java, "-cp", str(SAXON_JAR), "net.sf.saxon.Transform", *args],
                   check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.from_paths([FIXTURES])


@pytest.mark.parametrize("stage", ["html-letter", "text"])
def test_letter_stages(stage: str, corpus: Corpus, tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    for letter in corpus.letters:
        shutil.copy(letter.path, letters)
    (tmp_path / "java").mkdir()
    java_saxon(f"-s:{letters}", f"-xsl:{_xslt_dir() / (stage + '.xsl')}", f"-o:{tmp_path / 'java'}",
               f"+persons={corpus.persons}")
    eng = engine()
    params = {"persons": eng.parse(path=corpus.persons)}
    for letter in corpus.letters:
        ours = eng.transform(stage, eng.parse(path=letter.path), params)
        theirs = (tmp_path / "java" / letter.path.name).read_text(encoding="utf-8")
        assert theirs == ours, letter.stem


@pytest.mark.parametrize("stage,params", [
    ("html-site", {"page": "index"}), ("html-site", {"page": "persons"}),
    ("html-site", {"page": "archives"}), ("text", {}), ("cmif", {}), ("print", {}),
])
def test_corpus_stages(stage: str, params: dict, corpus: Corpus, tmp_path: Path) -> None:
    source = tmp_path / "corpus.xml"
    source.write_text(corpus.corpus_xml(), encoding="utf-8")
    out = tmp_path / "java.out"
    java_saxon(f"-s:{source}", f"-xsl:{_xslt_dir() / (stage + '.xsl')}", f"-o:{out}",
               *(f"{k}={v}" for k, v in params.items()))
    eng = engine()
    ours = eng.transform(stage, eng.parse(text=source.read_text(encoding="utf-8")), params)
    assert out.read_text(encoding="utf-8") == ours


def test_site_pages_from_the_site_index(corpus: Corpus, tmp_path: Path) -> None:
    """The letter pass's way: a record per letter (site-index.xsl), then the pages from the index."""
    letters = tmp_path / "letters"
    letters.mkdir()
    for letter in corpus.letters:
        shutil.copy(letter.path, letters)
    records = tmp_path / "records"
    records.mkdir()
    java_saxon(f"-s:{letters}", f"-xsl:{_xslt_dir() / 'site-index.xsl'}", f"-o:{records}",
               f"+persons={corpus.persons}")
    eng = engine()
    params = {"persons": eng.parse(path=corpus.persons)}
    ours = [eng.transform("site-index", eng.parse(path=letter.path), params) for letter in corpus.letters]
    theirs = [(records / letter.path.name).read_text(encoding="utf-8") for letter in corpus.letters]
    assert theirs == ours
    index = tmp_path / "index.xml"
    index.write_text(f'<ix:index xmlns:ix="{SITE_INDEX_NS}">{"".join(ours)}</ix:index>', encoding="utf-8")
    for page in SITE_PAGES:
        out = tmp_path / f"{page}.html"
        java_saxon(f"-s:{index}", f"-xsl:{_xslt_dir() / 'html-site.xsl'}", f"-o:{out}",
                   f"+persons={corpus.persons}", f"page={page}")
        assert out.read_text(encoding="utf-8") == eng.transform(
            "html-site", eng.parse(path=index), {**params, "page": page}), page


@pytest.mark.parametrize("template,params", [("corpus-head", {"letter-count": 4}), ("corpus-separator", {})])
def test_corpus_text_pieces(template: str, params: dict, tmp_path: Path) -> None:
    out = tmp_path / "piece.txt"
    java_saxon(f"-it:{template}", f"-xsl:{_xslt_dir() / 'text.xsl'}", f"-o:{out}",
               *(f"?{k}={v}" for k, v in params.items()))
    assert out.read_text(encoding="utf-8") == engine().call_template("text", template, params)
