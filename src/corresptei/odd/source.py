"""Where the TEI P5 source (``p5subset.xml``) comes from.

Resolution order: an explicit ``--tei-source FILE|URL``, else the environment
variable ``CORRESPTEI_TEI_SOURCE``, else the pinned release, downloaded once into
the user cache and checked against its SHA-256.

The pinned release is stated here and nowhere else (see :data:`PINNED`).
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..errors import TeiSourceError
from ..fsutil import atomic_write_bytes

ENV_VAR = "CORRESPTEI_TEI_SOURCE"


@dataclass(frozen=True)
class PinnedSource:
    """A TEI release: where to fetch ``p5subset.xml`` and the bytes we expect."""

    version: str
    url: str
    sha256: str

    @property
    def filename(self) -> str:
        return f"p5subset-{self.version}.xml"


#: TEI P5 4.10.0a (11 June 2025, revision 92615b49e), from the TEI Vault.  No package
#: registry ships this file, so the pin is the Vault URL; the checksum is that of the
#: copy the project was developed against (``shared/tei/p5subset.xml``).
PINNED = PinnedSource(
    version="4.10.0a",
    url="https://www.tei-c.org/Vault/P5/4.10.0a/xml/tei/odd/p5subset.xml",
    sha256="3c162b4a5082d174a1edce5b7875e73315269c0c8cad95a0f570579b429c84a0",
)


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/corresptei``, else ``~/.cache/corresptei``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corresptei"


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "file://"))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download(url: str, dest: Path, sha256: str | None, timeout: float = 60.0) -> Path:
    """Fetch ``url`` into ``dest`` (atomically); refuse it if the checksum differs."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            data = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise TeiSourceError(
            f"cannot download the TEI source from {url}: {exc}; pass --tei-source FILE "
            f"or set {ENV_VAR} to a local p5subset.xml"
        ) from exc
    if sha256 is not None:
        got = sha256_of(data)
        if got != sha256:
            raise TeiSourceError(
                f"the TEI source downloaded from {url} has SHA-256 {got}, expected {sha256}; "
                "refusing to use it (the download is corrupt or the release changed)"
            )
    atomic_write_bytes(dest, data)
    return dest


def resolve_source(
    explicit: str | os.PathLike | None = None,
    *,
    pinned: PinnedSource = PINNED,
    cache: Path | None = None,
) -> Path:
    """Return a local path to ``p5subset.xml``, downloading the pinned release if needed."""
    choice = os.fspath(explicit) if explicit is not None else os.environ.get(ENV_VAR) or None
    if choice:
        if _is_url(choice):
            if choice.startswith("file://"):
                return _existing(Path(urllib.request.url2pathname(choice[len("file://"):])))
            name = "p5subset-" + sha256_of(choice.encode())[:16] + ".xml"
            dest = (cache or cache_dir()) / name
            return dest if dest.exists() else download(choice, dest, None)
        return _existing(Path(choice))
    dest = (cache or cache_dir()) / pinned.filename
    if dest.exists():
        if sha256_of(dest.read_bytes()) == pinned.sha256:
            return dest
        dest.unlink()
    return download(pinned.url, dest, pinned.sha256)


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise TeiSourceError(f"TEI source {path} does not exist (expected a p5subset.xml)")
    return path
