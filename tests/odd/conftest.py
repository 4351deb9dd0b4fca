"""Fixtures for the ODD compiler tests: the TEI source, a document corpus with mutants,
and compiled schemas cached for the session (compiling tei_all in lxml takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from corresptei.odd import CompiledSchema, compile_odd

from .mutants import write_mutants

#: How many of the project's letters get mutants (they are much alike).
MUTATED_LETTERS = 10


@pytest.fixture(scope="session")
def tei_source(p5subset: Path) -> Path:
    return p5subset


@pytest.fixture(scope="session")
def corpus(shared: Path, repo: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """TEI's sample documents, the project's tei/*.xml, and mutants of the samples and of
    the first MUTATED_LETTERS letters (a few hundred mutants in all)."""
    samples = sorted((shared / "tei" / "samples").iterdir())
    letters = sorted((repo / "tei").glob("*.xml"))
    mutated = samples + letters[:MUTATED_LETTERS]
    return samples + letters + write_mutants(mutated, tmp_path_factory.mktemp("mutants"))


@pytest.fixture(scope="session")
def compile_cached(tei_source: Path, tmp_path_factory: pytest.TempPathFactory):
    """compile_odd(path, strict) → (CompiledSchema, path of its written .rng), once per session."""
    cache: dict[tuple[Path, bool], tuple[CompiledSchema, Path]] = {}
    out = tmp_path_factory.mktemp("compiled")

    def get(odd: Path, strict: bool = True) -> tuple[CompiledSchema, Path]:
        key = (odd, strict)
        if key not in cache:
            compiled = compile_odd(odd, tei_source=tei_source, strict=strict)
            folder = out / f"{odd.parent.name}-{odd.stem}"
            compiled.write(folder)
            cache[key] = (compiled, folder / f"{compiled.ident}.rng")
        return cache[key]

    return get


@pytest.fixture(scope="session")
def lxml_schema():
    """An lxml RelaxNG for a CompiledSchema, compiled once per session."""
    cache: dict[int, etree.RelaxNG] = {}

    def get(compiled: CompiledSchema) -> etree.RelaxNG:
        if id(compiled) not in cache:
            cache[id(compiled)] = etree.RelaxNG(compiled.rng)
        return cache[id(compiled)]

    return get
