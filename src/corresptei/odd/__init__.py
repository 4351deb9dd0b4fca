"""The ODD compiler: a TEI ODD customisation + TEI P5 → RELAX NG, Schematron, HTML.

Pure Python (lxml); no TEI Stylesheets and no Java.  See :func:`compile_odd`.
"""

from .compiler import STAGES, CompiledSchema, compile_odd
from .source import PINNED, resolve_source

__all__ = ["STAGES", "CompiledSchema", "compile_odd", "PINNED", "resolve_source"]
