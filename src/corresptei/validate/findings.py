"""Validation findings: one record per problem, whatever engine found it.

This module imports nothing from the rest of the package but ``errors``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """How bad a finding is.  Only errors fail a run (warnings too with ``--strict``)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:  # "error", not "Severity.ERROR"
        return self.value


class Engine(str, Enum):
    """Which check produced a finding."""

    XML = "xml"  # well-formedness and the hostile-input guards
    RNG = "rng"
    SCH = "sch"
    XSD = "xsd"
    CORPUS = "corpus"

    def __str__(self) -> str:
        return self.value


#: Schematron ``@role`` values (case-insensitive) and the severity each means.
ROLE_SEVERITY = {
    "fatal": Severity.ERROR,
    "error": Severity.ERROR,
    "warn": Severity.WARNING,
    "warning": Severity.WARNING,
    "nonfatal": Severity.WARNING,
    "info": Severity.INFO,
    "information": Severity.INFO,
    "informational": Severity.INFO,
}


def severity_for_role(role: str | None) -> Severity:
    """Map a Schematron ``@role`` to a severity; no role (or an unknown one) is an error."""
    if not role:
        return Severity.ERROR
    return ROLE_SEVERITY.get(role.strip().lower(), Severity.ERROR)


@dataclass(frozen=True, order=False)
class Finding:
    """One problem in one file.

    ``line``/``column`` are 1-based; 0 means unknown.  A finding at an element is
    placed just after its start tag's ``>``, as Jing does (``locations.py``; the
    runner adds the column); corpus findings give the line only.  ``xpath`` is a readable
    path to the node (``/TEI/teiHeader[1]/fileDesc[1]``), ``rule`` a stable id
    for the check (an RNG error kind, a Schematron pattern/assert id, a corpus
    rule name) that tests and CI annotations can key on.
    """

    file: str
    line: int
    column: int
    engine: Engine
    severity: Severity
    rule: str
    message: str
    xpath: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else f"{self.file}:0:0"
        return f"{where}: {self.severity}: {self.message} [{self.engine}:{self.rule}]"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, str(self.engine), self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (enums as their values; ``extra`` only when set)."""
        data = asdict(self)
        data["engine"] = str(self.engine)
        data["severity"] = str(self.severity)
        if not self.extra:
            data.pop("extra")
        return data


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    """How many findings of each severity (all three keys present)."""
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    return counts
