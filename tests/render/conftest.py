"""Fixtures for the render tests: corpora to render and one build of each.

Corpora: the hand-written fixture letters (always: a letter without notes,
one without an archival line, one with two witnesses, the 7 September letter
with translations and original) and, once the converter's output is in the
repository (``tei/``), the real corpus.  Every build-based test runs on each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corresptei.render import RenderOptions, build
from corresptei.render.corpus import Corpus

from .helpers import FIXTURES, Built, corpora


@pytest.fixture(scope="session", params=corpora())
def built(request, tmp_path_factory) -> Built:
    """The corpus built once per session into a pytest tmp dir (all four formats)."""
    source: Path = request.param
    out = tmp_path_factory.mktemp("build")
    build([source], out, options=RenderOptions(keep_intermediate=True))
    name = "fixtures" if source == FIXTURES else "corpus"
    return Built(name=name, out=out, corpus=Corpus.from_paths([source]))


