"""Where the TEI source comes from: explicit path, environment, or the pinned release
downloaded once into the user cache and checked against its SHA-256.  Downloads are
tested against a local HTTP server on 127.0.0.1 only."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from corresptei.errors import TeiSourceError
from corresptei.odd.source import (
    ENV_VAR,
    PINNED,
    PinnedSource,
    cache_dir,
    resolve_source,
)

PAYLOAD = b"<TEI xmlns='http://www.tei-c.org/ns/1.0'/>"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """(base URL, list of requested paths) of an HTTP server serving tmp_path/www."""
    www = tmp_path / "www"
    www.mkdir()
    (www / "p5subset.xml").write_bytes(PAYLOAD)
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            requests.append(self.path)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(www)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_pin_is_stated_once_and_is_a_sha256():
    assert PINNED.version == "4.10.0a"
    assert len(PINNED.sha256) == 64 and int(PINNED.sha256, 16) >= 0
    assert PINNED.url.endswith("/p5subset.xml")


def test_shared_copy_matches_the_pinned_checksum(p5subset: Path):
    assert hashlib.sha256(p5subset.read_bytes()).hexdigest() == PINNED.sha256


def test_explicit_path_wins(p5subset: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere.xml"))
    assert resolve_source(p5subset) == p5subset


def test_environment_variable(p5subset: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(ENV_VAR, str(p5subset))
    assert resolve_source() == p5subset


def test_missing_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(TeiSourceError, match="does not exist"):
        resolve_source(tmp_path / "nope.xml")


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "corresptei"


def test_pinned_release_downloaded_once_and_verified(server, tmp_path: Path):
    base, requests = server
    pin = PinnedSource("9.9.9", f"{base}/p5subset.xml", hashlib.sha256(PAYLOAD).hexdigest())
    first = resolve_source(pinned=pin, cache=tmp_path / "cache")
    assert first.read_bytes() == PAYLOAD and first.parent == tmp_path / "cache"
    second = resolve_source(pinned=pin, cache=tmp_path / "cache")
    assert second == first
    assert requests == ["/p5subset.xml"]


def test_checksum_mismatch_is_refused(server, tmp_path: Path):
    base, _ = server
    pin = PinnedSource("9.9.9", f"{base}/p5subset.xml", "0" * 64)
    with pytest.raises(TeiSourceError, match="SHA-256 .* expected 0{64}; refusing"):
        resolve_source(pinned=pin, cache=tmp_path / "cache")
    assert not (tmp_path / "cache" / pin.filename).exists()


def test_corrupt_cached_copy_is_fetched_again(server, tmp_path: Path):
    base, requests = server
    pin = PinnedSource("9.9.9", f"{base}/p5subset.xml", hashlib.sha256(PAYLOAD).hexdigest())
    cached = tmp_path / "cache" / pin.filename
    cached.parent.mkdir()
    cached.write_bytes(b"truncated")
    assert resolve_source(pinned=pin, cache=tmp_path / "cache").read_bytes() == PAYLOAD
    assert requests == ["/p5subset.xml"]


def test_url_source(server, tmp_path: Path):
    base, _ = server
    path = resolve_source(f"{base}/p5subset.xml", cache=tmp_path / "cache")
    assert path.read_bytes() == PAYLOAD


def test_unreachable_url_says_what_to_do(server, tmp_path: Path):
    base, _ = server
    with pytest.raises(TeiSourceError, match="--tei-source"):
        resolve_source(f"{base}/missing.xml", cache=tmp_path / "cache")
