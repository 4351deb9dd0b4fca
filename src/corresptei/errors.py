"""Exception hierarchy.  This module imports nothing from the package."""

from __future__ import annotations


class CorrespteiError(Exception):
    """Root of every error corresptei raises on purpose."""


class SourceLocationMixin:
    """Carries ``path:line`` so messages point at the input."""

    path: str | None = None
    line: int | None = None

    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}: " if self.line else f"{self.path}: "


class IngestError(SourceLocationMixin, CorrespteiError, ValueError):
    """A source text could not be read as correspondence."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message, self.path, self.line = message, path, line
        super().__init__(f"{self.where()}{message}")


class EncodeError(CorrespteiError):
    """The model could not be written as TEI (e.g. a hand-edited file is in the way)."""


class OddCompileError(SourceLocationMixin, CorrespteiError, ValueError):
    """An ODD customisation is wrong (unknown component, duplicate ident, ...)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message, self.path, self.line = message, path, line
        super().__init__(f"{self.where()}{message}")


class TeiSourceError(CorrespteiError, OSError):
    """The TEI P5 source (p5subset.xml) could not be found, fetched or verified."""


class ValidationError(CorrespteiError):
    """Raised by ``corresptei.validate.validate`` when a document has errors."""

    def __init__(self, findings):
        self.findings = list(findings)
        first = self.findings[0] if self.findings else "invalid"
        more = f" (+{len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        super().__init__(f"{first}{more}")


class TransformError(CorrespteiError):
    """An XSLT transformation or a render step failed."""


class XsdConversionError(CorrespteiError, ValueError):
    """A RELAX NG schema could not be converted to W3C XML Schema."""
