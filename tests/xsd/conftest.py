"""Fixtures for the XSD converter tests: each schema is converted and compiled once."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from lxml import etree

from ._xsd_harness import Compiled

REFERENCE = ("tei_all", "tei_bare", "tei_lite", "tei_minimal", "tei_simplePrint")


def rng_source(shared: Path, name: str) -> Path:
    """The RELAX NG file for a reference customisation or an odd-tests case."""
    if name in REFERENCE or name.startswith("tei_"):
        return shared / "tei" / "reference" / f"{name}.rng"
    return shared / "tei" / "odd-tests" / name / "reference.rng"


@pytest.fixture(scope="session")
def compiled(
    tmp_path_factory: pytest.TempPathFactory, shared: Path
) -> Callable[[str], Compiled]:
    """``compiled(name)``: the converted and lazily compiled schema, shared by the session."""
    cache: dict[str, Compiled] = {}
    root = tmp_path_factory.mktemp("xsd")

    def get(name: str) -> Compiled:
        if name not in cache:
            cache[name] = Compiled(name, rng_source(shared, name), root / name)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def sample_docs(shared: Path) -> dict[str, etree._ElementTree]:
    """Every document of shared/tei/samples, parsed once."""
    folder = shared / "tei" / "samples"
    return {p.name: etree.parse(str(p)) for p in sorted(folder.iterdir())}
