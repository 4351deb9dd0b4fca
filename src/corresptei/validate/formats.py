"""Writing findings: text, json, junit, sarif, github.

Where each goes (the sqlite-utils way): ``text`` and ``github`` are messages
for people and for the Actions log, written to stderr; ``json``, ``junit`` and
``sarif`` are data, written to stdout so they can be redirected to a file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from lxml import etree

from .. import __version__
from .findings import Finding, Severity, count_by_severity

FORMATS = ("text", "json", "junit", "sarif", "github")
#: Formats that are data (stdout); the others are messages (stderr).
DATA_FORMATS = frozenset({"json", "junit", "sarif"})

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def summary(findings: Sequence[Finding], files: int) -> str:
    """``3 errors, 1 warning in 2 of 40 files`` (or ``40 files valid``)."""
    counts = count_by_severity(findings)
    if not findings:
        return f"{files} file{'s' if files != 1 else ''} valid"
    bad = len({f.file for f in findings})
    parts = [f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    return f"{', '.join(parts)} in {bad} of {files} file{'s' if files != 1 else ''}"


def format_text(findings: Sequence[Finding], files: Sequence[str]) -> str:
    """One ``file:line:col: severity: message [engine:rule]`` line per finding, then a summary."""
    lines = [str(f) for f in findings]
    lines.append(summary(findings, len(files)))
    return "\n".join(lines) + "\n"


def format_json(findings: Sequence[Finding], files: Sequence[str], timings: dict[str, float] | None = None) -> str:
    """``{"files": N, "summary": {...}, "findings": [...]}`` (plus ``timings`` in seconds when known)."""
    counts = count_by_severity(findings)
    doc = {
        "tool": "corresptei validate",
        "version": __version__,
        "files": len(files),
        "summary": {s.value: n for s, n in counts.items()},
        "findings": [f.to_dict() for f in findings],
    }
    if timings:
        doc["timings"] = {k: round(v, 4) for k, v in timings.items()}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def format_junit(findings: Sequence[Finding], files: Sequence[str]) -> str:
    """JUnit XML: one testsuite per engine-independent run, one testcase per file.

    A file with errors has one ``<failure>`` (all its error findings listed in
    the body); warnings and info go to ``<system-out>``.
    """
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_file[f.file].append(f)
    all_files = list(dict.fromkeys(list(files) + list(by_file)))
    suites = etree.Element("testsuites", name="corresptei validate")
    suite = etree.SubElement(suites, "testsuite", name="corresptei validate")
    failures = 0
    for path in all_files:
        case = etree.SubElement(suite, "testcase", classname="corresptei.validate", name=path, file=path)
        found = by_file.get(path, [])
        errors = [f for f in found if f.severity is Severity.ERROR]
        others = [f for f in found if f.severity is not Severity.ERROR]
        if errors:
            failures += 1
            fail = etree.SubElement(case, "failure", type="validation",
                                    message=f"{len(errors)} error{'s' if len(errors) != 1 else ''}: {errors[0].message}")
            fail.text = "\n".join(str(f) for f in errors)
        if others:
            etree.SubElement(case, "system-out").text = "\n".join(str(f) for f in others)
    for el in (suite, suites):
        el.set("tests", str(len(all_files)))
        el.set("failures", str(failures))
        el.set("errors", "0")
    return etree.tostring(suites, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode()


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def format_sarif(findings: Sequence[Finding], files: Sequence[str]) -> str:
    """SARIF 2.1.0 (GitHub code scanning): one run, a rule per (engine, rule id)."""
    rules: dict[str, dict] = {}
    results = []
    for f in findings:
        rule_id = f"{f.engine}/{f.rule}"
        if rule_id not in rules:
            rules[rule_id] = {
                "id": rule_id,
                "name": f.rule,
                "shortDescription": {"text": f"{f.engine} check {f.rule}"},
                "defaultConfiguration": {"level": _SARIF_LEVEL[f.severity]},
            }
        region = {"startLine": max(f.line, 1)}
        if f.column:
            region["startColumn"] = f.column
        location = {"physicalLocation": {"artifactLocation": {"uri": _uri(f.file)}, "region": region}}
        if f.xpath:
            location["logicalLocations"] = [{"fullyQualifiedName": f.xpath, "kind": "element"}]
        results.append({
            "ruleId": rule_id,
            "ruleIndex": list(rules).index(rule_id),
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [location],
        })
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "corresptei-validate",
                "version": __version__,
                "informationUri": "https://tei-c.org/guidelines/p5/",
                "rules": list(rules.values()),
            }},
            "results": results,
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(findings: Sequence[Finding], files: Sequence[str]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``), then a summary."""
    lines = []
    for f in findings:
        props = [f"file={_gh_escape(f.file, True)}"]
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_gh_escape(f'{f.engine}:{f.rule}', True)}")
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_gh_escape(f.message)}")
    lines.append(summary(findings, len(files)))
    return "\n".join(lines) + "\n"


WRITERS = {
    "text": format_text,
    "json": format_json,
    "junit": format_junit,
    "sarif": format_sarif,
    "github": format_github,
}


def render(fmt: str, findings: Iterable[Finding], files: Sequence[str],
           timings: dict[str, float] | None = None) -> str:
    """Render ``findings`` in format ``fmt`` (``timings`` go into the json report)."""
    if fmt == "json":
        return format_json(list(findings), files, timings)
    return WRITERS[fmt](list(findings), files)
