"""Named render stages: XSLT 3.0 stylesheets compiled once per process.

Each stage is one stylesheet in the ``corresptei.xslt`` package data (the
repository's top-level ``xslt/`` folder) plus the modules it imports.  Python
only orchestrates: it parses inputs into Saxon nodes, hands them to a compiled
stylesheet and writes the string result.  The transformations live in XSLT.

The stage digests (stylesheet + modules + assets) feed the build manifest, so a
changed stylesheet redoes exactly the outputs that use it.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Mapping

from ..errors import TransformError

XSLT_PACKAGE = "corresptei.xslt"


@dataclass(frozen=True)
class Stage:
    """One named transformation step."""

    name: str
    stylesheet: str
    modules: tuple[str, ...]
    description: str

    @property
    def files(self) -> tuple[str, ...]:
        """Every resource whose content determines the stage's output."""
        return (self.stylesheet, *self.modules)


STAGES: dict[str, Stage] = {
    stage.name: stage
    for stage in (
        Stage("html-letter", "html-letter.xsl", ("html-common.xsl", "common.xsl"),
              "one TEI letter -> its HTML page"),
        Stage("site-index", "site-index.xsl", ("site-record.xsl", "common.xsl"),
              "one TEI letter -> its record in the site index"),
        Stage("html-site", "html-site.xsl", ("html-common.xsl", "site-record.xsl", "common.xsl"),
              "site index (or TEI corpus) -> index, person index and archival index pages"),
        Stage("text", "text.xsl", ("common.xsl",),
              "TEI letter or corpus -> plain text, 78 columns; corpus head and separator"),
        Stage("print", "print.xsl", ("html-common.xsl", "common.xsl"),
              "TEI corpus -> print HTML for paged media (WeasyPrint)"),
        Stage("cmif", "cmif.xsl", ("common.xsl",),
              "TEI corpus -> CMIF v1.1"),
    )
}

#: The namespace of the site index records (site-record.xsl).
SITE_INDEX_NS = "urn:corresptei:site-index"

#: Static files copied into the HTML site, and the paged-media stylesheet.
SITE_ASSETS: tuple[str, ...] = ("edition.css", "edition.js")
PRINT_CSS = "print.css"


def resource_bytes(name: str) -> bytes:
    """The bytes of one file of the ``corresptei.xslt`` package data."""
    try:
        return resources.files(XSLT_PACKAGE).joinpath(name).read_bytes()
    except FileNotFoundError as exc:  # pragma: no cover - a broken installation
        raise TransformError(f"render resource {name!r} is missing from {XSLT_PACKAGE}; "
                             "reinstall corresptei (pip install -e .)") from exc


def digest_files(names: tuple[str, ...] | list[str]) -> str:
    """A SHA-256 over the named resources (name and content)."""
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode())
        h.update(b"\0")
        h.update(resource_bytes(name))
    return h.hexdigest()


def stage_digest(name: str) -> str:
    """The digest of a stage's stylesheet and modules."""
    return digest_files(STAGES[name].files)


def _xslt_dir() -> Path:
    """The folder holding the stylesheets (real files, so xsl:import resolves)."""
    root = resources.files(XSLT_PACKAGE)
    path = Path(str(root))
    if not (path / "common.xsl").is_file():  # pragma: no cover - zipped installs
        raise TransformError(f"{XSLT_PACKAGE} is not installed as files on disk; "
                             "install corresptei unzipped")
    return path


class Engine:
    """One Saxon processor and the stages compiled on first use.

    Saxon wants one processor per process; use :func:`engine` to share it.
    Parameters are set per call and cleared afterwards, so a compiled stage can
    be reused for every document.
    """

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor

        self._proc = PySaxonProcessor(license=False)
        self._xslt = self._proc.new_xslt30_processor()
        self._compiled: dict[str, object] = {}
        self._lock = threading.Lock()

    @property
    def processor(self):
        """The underlying ``PySaxonProcessor``."""
        return self._proc

    def compiled(self, name: str):
        """The compiled executable of stage ``name`` (compiled once)."""
        if name not in STAGES:
            raise TransformError(f"unknown render stage {name!r}; known: {', '.join(STAGES)}")
        exe = self._compiled.get(name)
        if exe is None:
            path = _xslt_dir() / STAGES[name].stylesheet
            try:
                exe = self._xslt.compile_stylesheet(stylesheet_file=str(path))
            except Exception as exc:  # saxonche raises PySaxonApiError
                raise TransformError(f"{path}: stylesheet does not compile: {exc}") from exc
            if exe is None:  # pragma: no cover - older saxonche reports this way
                raise TransformError(f"{path}: stylesheet does not compile")
            self._compiled[name] = exe
        return exe

    def parse(self, *, path: Path | None = None, text: str | None = None):
        """Parse a document into a Saxon node (from a file or a string)."""
        try:
            if path is not None:
                return self._proc.parse_xml(xml_file_name=str(path))
            return self._proc.parse_xml(xml_text=text)
        except Exception as exc:
            where = str(path) if path is not None else "<corpus>"
            raise TransformError(f"{where}: not well-formed XML: {exc}") from exc

    def transform(self, name: str, node, params: Mapping[str, object] | None = None,
                  *, source: str = "") -> str:
        """Run stage ``name`` over a parsed node; return the serialized result.

        ``params`` values are Saxon nodes (document parameters), strings or integers.
        """
        return self._run(name, params, source, lambda exe: exe.transform_to_string(xdm_node=node))

    def transform_to_file(self, name: str, node, out: Path, params: Mapping[str, object] | None = None,
                          *, source: str = "") -> None:
        """Run stage ``name`` over a parsed node, serializing straight into file ``out``
        (for large results: the result is never held as a string)."""
        def call(exe) -> str:
            exe.transform_to_file(xdm_node=node, output_file=str(out))
            return ""

        self._run(name, params, source, call)

    def call_template(self, name: str, template: str, params: Mapping[str, object] | None = None,
                      *, source: str = "") -> str:
        """Run stage ``name`` from its named template ``template`` (no input document)."""
        return self._run(name, params, source or template,
                         lambda exe: exe.call_template_returning_string(template))

    def _run(self, name: str, params: Mapping[str, object] | None, source: str, call) -> str:
        exe = self.compiled(name)
        with self._lock:
            try:
                exe.clear_parameters()
                for key, value in (params or {}).items():
                    if isinstance(value, bool):
                        value = self._proc.make_boolean_value(value)
                    elif isinstance(value, int):
                        value = self._proc.make_integer_value(value)
                    elif isinstance(value, str):
                        value = self._proc.make_string_value(value)
                    exe.set_parameter(key, value)
                result = call(exe)
            except Exception as exc:
                raise TransformError(f"{source or '<input>'}: {name} transformation failed: {exc}") from exc
            finally:
                exe.clear_parameters()
        if result is None:  # pragma: no cover - older saxonche reports this way
            raise TransformError(f"{source or '<input>'}: {name} transformation produced nothing")
        return result


_ENGINE: Engine | None = None
_ENGINE_LOCK = threading.Lock()


def engine() -> Engine:
    """The process-wide :class:`Engine`."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = Engine()
        return _ENGINE
