"""Fixtures for the validate tests: schema locations and a small letter builder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = Path(os.environ.get("CORRESPTEI_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path inside ../shared (the suite needs TEI's reference schemas from there)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: set CORRESPTEI_SHARED to the shared folder")
    return path


CASES = HERE / "cases"
SCHEMAS = HERE / "schemas"


def schema_set(alias: str) -> list[Path]:
    """The schema files behind a manifest alias."""
    if alias == "letter":
        return [SCHEMAS / "letter.rng", SCHEMAS / "letter.sch"]
    if alias == "letter-rng":
        return [SCHEMAS / "letter.rng"]
    if alias == "tei_all":
        return [shared_path("tei", "reference", "tei_all.rng"), shared_path("tei", "reference", "tei_all.isosch")]
    raise KeyError(alias)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Never touch the user's cache: each test session gets its own."""
    monkeypatch.setenv("CORRESPTEI_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def letter_schemas() -> list[Path]:
    return schema_set("letter")
