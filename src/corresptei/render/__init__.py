"""Render TEI to readers' outputs with XSLT 3.0 (HTML, plain text, print/PDF, CMIF).

Named stages (``stages.STAGES``) are stylesheets in ``corresptei.xslt``, each
compiled once per process; Python orchestrates: it collects the letters
(``corpus``), plans targets (``api``) and, for ``build``, skips targets whose
inputs and stylesheets are unchanged (``build``).
"""

from .api import FORMATS, RenderOptions, RenderResult, Renderer, render
from .build import BuildResult, build
from .corpus import Corpus, Letter
from .stages import STAGES, Stage, engine

__all__ = [
    "FORMATS", "STAGES", "BuildResult", "Corpus", "Letter", "RenderOptions",
    "RenderResult", "Renderer", "Stage", "build", "engine", "render",
]
