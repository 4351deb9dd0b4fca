"""Hostile input is refused with one clear finding; nothing outside the input is read; nothing hangs.

Each attack runs through the real CLI in a subprocess with a timeout (a hang
fails the test instead of blocking the suite).  Proofs that nothing is read:
``file:`` targets are FIFOs (opening one for reading would block until the
timeout) next to a plain file holding a marker that must not appear anywhere;
``http:`` targets point at a server on 127.0.0.1 that counts requests.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE.parent / "schemas"
MARKER = "TOP-SECRET-7f3a9c"
TIMEOUT = 120


def run_validate(*args: str | os.PathLike, cwd: Path) -> tuple[int, dict]:
    """``corresptei validate --format json`` in a subprocess: (exit status, parsed report)."""
    cmd = [sys.executable, "-c", "from corresptei.cli import main; main()", "validate", "--no-cache", "-j1", "--format", "json",
           "--schema", str(SCHEMAS / "letter.rng"), "--schema", str(SCHEMAS / "letter.sch"), *map(str, args)]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)
    assert MARKER not in proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def only_refusal(report: dict, *rules: str) -> dict:
    """The report holds exactly one finding: an ``xml`` refusal with one of ``rules``."""
    findings = report["findings"]
    assert len(findings) == 1, findings
    (finding,) = findings
    assert (finding["engine"], finding["severity"]) == ("xml", "error")
    assert finding["rule"] in rules
    return finding


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A FIFO (opening it would block) and a marker file beside it."""
    (tmp_path / "secret.txt").write_text(MARKER)
    fifo = tmp_path / "secret.fifo"
    os.mkfifo(fifo)
    return tmp_path


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = f'<!ENTITY leak "{MARKER}">'.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    """An HTTP server on 127.0.0.1 (ephemeral port) that records every request."""
    _Counting.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Counting.requests
    httpd.shutdown()
    httpd.server_close()


def _doc(doctype: str, body: str = "&xxe;") -> str:
    return (f'<?xml version="1.0"?>\n{doctype}\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="L1">'
            f"<teiHeader><fileDesc><titleStmt><title>{body}</title></titleStmt></fileDesc></teiHeader></TEI>\n")


def test_xxe_file_entity_is_refused_unread(secret: Path) -> None:
    for target in ("secret.fifo", "secret.txt"):
        doc = secret / f"xxe-{target}.xml"
        doc.write_text(_doc(f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file://{secret / target}">]>'))
        status, report = run_validate(doc, cwd=secret)
        assert status == 1
        assert "declares entities" in only_refusal(report, "doctype")["message"]


def test_xxe_http_entity_is_never_fetched(tmp_path: Path, server) -> None:
    url, requests = server
    doc = tmp_path / "xxe-http.xml"
    doc.write_text(_doc(f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "{url}/entity">]>'))
    status, report = run_validate(doc, cwd=tmp_path)
    assert status == 1
    only_refusal(report, "doctype")
    assert requests == []


def test_parameter_entity_http_is_never_fetched(tmp_path: Path, server) -> None:
    url, requests = server
    doc = tmp_path / "xxe-parameter-entity.xml"
    doc.write_text(_doc(f'<!DOCTYPE TEI [<!ENTITY % ext SYSTEM "{url}/dtd"> %ext;]>', body="&leak;"))
    status, report = run_validate(doc, cwd=tmp_path)
    assert status == 1
    assert report["findings"][0]["engine"] == "xml"
    assert len(report["findings"]) == 1
    assert requests == []


def test_external_dtd_http_is_never_fetched(tmp_path: Path, server) -> None:
    url, requests = server
    doc = tmp_path / "external-dtd.xml"
    doc.write_text(_doc(f'<!DOCTYPE TEI SYSTEM "{url}/tei.dtd">', body="t"))
    status, report = run_validate(doc, cwd=tmp_path)
    assert status == 1
    assert "external DTD" in only_refusal(report, "doctype")["message"]
    assert requests == []


def test_external_dtd_file_is_never_opened(secret: Path) -> None:
    doc = secret / "external-dtd-file.xml"
    doc.write_text(_doc(f'<!DOCTYPE TEI SYSTEM "file://{secret / "secret.fifo"}">', body="t"))
    status, report = run_validate(doc, cwd=secret)
    assert status == 1
    only_refusal(report, "doctype")


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    status, report = run_validate(HERE / "billion-laughs.xml", cwd=tmp_path)
    assert status == 1
    # libxml2 stops the expansion while parsing, or our DOCTYPE guard refuses it after
    only_refusal(report, "entity-expansion", "doctype")


def test_huge_text_node_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "huge-text-node.xml"
    doc.write_text(_doc("", body="x" * 11_000_000))
    status, report = run_validate(doc, cwd=tmp_path)
    assert status == 1
    assert "10 MB" in only_refusal(report, "too-large")["message"]


def test_file_over_size_limit_is_refused_unread(tmp_path: Path) -> None:
    doc = tmp_path / "big.xml"
    doc.write_text(_doc("", body="x" * 5000))
    status, report = run_validate("--max-size", "1000", doc, cwd=tmp_path)
    assert status == 1
    assert "refused unread" in only_refusal(report, "too-large")["message"]


def test_deep_nesting_beyond_the_parser_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "deep-nesting.xml"
    doc.write_text(_doc("", body="<hi>" * 5000 + "x" + "</hi>" * 5000))
    status, report = run_validate(doc, cwd=tmp_path)
    assert status == 1
    only_refusal(report, "too-deep")


def test_nesting_beyond_our_limit_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "deep-nesting-120.xml"
    doc.write_text(_doc("", body="<hi>" * 120 + "x" + "</hi>" * 120))
    status, report = run_validate("--max-depth", "100", doc, cwd=tmp_path)
    assert status == 1
    assert "over the limit of 100" in only_refusal(report, "too-deep")["message"]


def test_a_refused_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = HERE.parent / "cases" / "valid-letter.xml"
    status, report = run_validate(HERE / "billion-laughs.xml", good, "--no-corpus", cwd=tmp_path)
    assert status == 1
    assert report["files"] == 2
    assert [f["file"] for f in report["findings"]] == [str(HERE / "billion-laughs.xml")]
