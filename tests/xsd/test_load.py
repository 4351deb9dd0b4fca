"""The XSD made from each reference and odd-tests schema loads in both XSD validators.

xmlschema is slow on large schemas (30-50 s for tei_all-sized ones), so it loads the small
and medium ones; lxml's XMLSchema loads all.  The relaxations recorded for each schema are
compared with a table, so a change in what the XSD approximates shows up in review.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Callable

import pytest
import xmlschema
from lxml import etree

from ._xsd_harness import Compiled

from corresptei.odd.xsd import rng_to_xsd

KINDS = {
    "upa", "edc", "interleave", "mixed", "attribute-choice", "data-except", "datatype",
    "list", "name-class", "wildcard-content", "data-and-elements", "foreign-element",
}

# schema -> (validators that load it, {relaxation kind: count})
SCHEMAS: dict[str, tuple[str, dict[str, int]]] = {
    "tei_bare": ("both", {}),
    "tei_minimal": ("both", {}),
    "tei_lite": ("both", {}),
    "tei_simplePrint": ("both", {"mixed": 1, "name-class": 1, "wildcard-content": 1}),
    "test-pure": ("both", {"mixed": 6}),
    "testClass": ("both", {}),
    "testjustfs": ("both", {"mixed": 1}),
    "testi18n": ("both", {"mixed": 1, "name-class": 1, "wildcard-content": 1}),
    "tei_all": ("lxml", {}),
}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_loads(name: str, compiled: Callable[[str], Compiled]) -> None:
    c = compiled(name)
    validators, expected = SCHEMAS[name]
    assert isinstance(c.lxml_xsd, etree.XMLSchema)
    if validators == "both":
        assert isinstance(c.xmlschema, xmlschema.XMLSchema10)
        assert len(c.xmlschema.elements) >= 1  # the start element(s)
    kinds = Counter(r.kind for r in c.result.relaxations)
    assert set(kinds) <= KINDS
    if name != "tei_all":
        assert dict(kinds) == expected


def test_tei_all_relaxations(compiled: Callable[[str], Compiled]) -> None:
    kinds = Counter(r.kind for r in compiled("tei_all").result.relaxations)
    assert dict(kinds) == {"attribute-choice": 5, "list": 2, "mixed": 2, "name-class": 6,
                           "wildcard-content": 6}


ODD_TESTS = ("test", "test21", "test30", "testAlien", "testPure1", "testbasic",
             "testdocbook1", "testdocbook2", "testfand2", "testfand3", "testmixedup",
             "testspoken", "testall")


@pytest.mark.parametrize("name", ODD_TESTS)
def test_odd_test_schema_loads_in_lxml(name: str, compiled: Callable[[str], Compiled]) -> None:
    c = compiled(name)
    assert isinstance(c.lxml_xsd, etree.XMLSchema)
    assert {r.kind for r in c.result.relaxations} <= KINDS


def test_foreign_namespaces_get_their_own_documents(
    compiled: Callable[[str], Compiled],
) -> None:
    files = set(compiled("testdocbook1").result)
    assert files == {"testdocbook1.xsd", "testdocbook1-ns.xsd", "testdocbook1-xlink.xsd",
                     "testdocbook1-xml.xsd"}
    main = etree.fromstring(compiled("testdocbook1").result["testdocbook1.xsd"])
    imports = {i.get("namespace"): i.get("schemaLocation")
               for i in main.iter("{http://www.w3.org/2001/XMLSchema}import")}
    assert imports["http://docbook.org/ns/docbook"] == "testdocbook1-ns.xsd"


def test_relaxations_are_machine_readable(compiled: Callable[[str], Compiled]) -> None:
    rows = [r.as_dict() for r in compiled("tei_simplePrint").result.relaxations]
    assert all(set(r) == {"kind", "component", "detail"} for r in rows)
    assert {"kind": "mixed", "component": "xenoData",
            "detail": "text accepted anywhere in the content"} in rows


def test_conversion_is_deterministic(compiled: Callable[[str], Compiled]) -> None:
    c = compiled("tei_lite")
    again = rng_to_xsd(etree.parse(str(c.rng_path)), "tei_lite")
    assert dict(again) == dict(c.result)
    assert again.relaxations == c.result.relaxations


def test_output_does_not_depend_on_hash_seed(shared: Path, tmp_path: Path) -> None:
    """Byte-identical output across interpreters with different string-hash seeds."""
    rng = shared / "tei" / "odd-tests" / "testdocbook1" / "reference.rng"
    script = (
        "import hashlib, sys\n"
        "from corresptei.odd.xsd import rng_to_xsd\n"
        "r = rng_to_xsd(sys.argv[1], 'db')\n"
        "h = hashlib.sha256()\n"
        "for name, data in r.items(): h.update(name.encode() + data)\n"
        "h.update(repr(r.relaxations).encode())\n"
        "print(h.hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", script, str(rng)], env=env,
                             capture_output=True, text=True, check=True)
        digests.add(run.stdout.strip())
    assert len(digests) == 1
