"""Render TEI letters to readers' outputs: HTML site, plain text, PDF, CMIF.

The work is a list of :class:`Target` s.  Each target names the files it writes,
the inputs and stages (stylesheets, assets) it depends on, and how to make it.
``render`` makes every target; ``corresptei.render.build`` makes only the
targets whose dependency digest changed since the last build (manifest).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..errors import TransformError
from ..fsutil import atomic_write_bytes, atomic_write_text
from .corpus import Corpus
from .pdf import typeset
from .stages import PRINT_CSS, SITE_ASSETS, digest_files, engine, resource_bytes, stage_digest

#: The output formats, in the order ``build`` makes them.
FORMATS: tuple[str, ...] = ("html", "text", "pdf", "cmif")

#: File names of the corpus-wide outputs.
CORPUS_TEXT = "corpus.txt"
CORPUS_PDF = "corpus.pdf"
CORPUS_PRINT_HTML = "corpus.print.html"
CMIF_FILE = "cmif.xml"
SITE_PAGES: tuple[str, ...] = ("index", "persons", "archives")


@dataclass
class RenderOptions:
    """Options every format understands."""

    #: Where the edition will be published (CMIF correspDesc/@ref, idno type="url").
    base_url: str = ""
    #: CMIF publication date (default: the letters' latest revisionDesc change).
    publication_date: str = ""
    #: Keep intermediate files (the print HTML beside the PDF).
    keep_intermediate: bool = False


@dataclass
class Target:
    """One unit of work: files written from known inputs by named stages."""

    key: str
    outputs: tuple[Path, ...]
    inputs: tuple[str, ...]  #: digests of the input files it reads
    stages: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()
    action: Callable[[], None] = field(default=lambda: None, repr=False)

    def digest(self) -> str:
        """Everything the outputs depend on, hashed: redo the target when it changes."""
        h = hashlib.sha256(self.key.encode())
        for value in self.inputs:
            h.update(b"\0i" + value.encode())
        for name in self.stages:
            h.update(b"\0s" + stage_digest(name).encode())
        if self.assets:
            h.update(b"\0a" + digest_files(self.assets).encode())
        return h.hexdigest()

    def run(self) -> None:
        """Make the outputs."""
        self.action()


@dataclass
class RenderResult:
    """What a render or build did."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


class Renderer:
    """Plans and runs the targets of one corpus.  Parsed inputs are cached."""

    def __init__(self, corpus: Corpus, options: RenderOptions | None = None) -> None:
        self.corpus = corpus
        self.options = options or RenderOptions()
        self.engine = engine()
        self._persons_node = None
        self._corpus_node = None

    # ------------------------------------------------------------ inputs

    def persons_params(self) -> dict[str, object]:
        """The ``$persons`` stylesheet parameter, when there is a personography."""
        if self.corpus.persons is None:
            return {}
        if self._persons_node is None:
            self._persons_node = self.engine.parse(path=self.corpus.persons)
        return {"persons": self._persons_node}

    def corpus_node(self):
        """The corpus document, parsed once."""
        if self._corpus_node is None:
            self._corpus_node = self.engine.parse(text=self.corpus.corpus_xml())
        return self._corpus_node

    def _all_inputs(self) -> tuple[str, ...]:
        return (self.corpus.persons_digest,
                *(f"{lt.stem}:{lt.digest}" for lt in self.corpus.letters))

    # ------------------------------------------------------------ targets

    def targets(self, fmt: str, out_dir: Path) -> list[Target]:
        """The targets that render format ``fmt`` into ``out_dir``."""
        planners = {"html": self._html, "text": self._text, "pdf": self._pdf, "cmif": self._cmif}
        if fmt not in planners:
            raise TransformError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return planners[fmt](Path(out_dir))

    def _letter_target(self, key: str, stage: str, letter, out: Path) -> Target:
        def action() -> None:
            node = self.engine.parse(path=letter.path)
            result = self.engine.transform(stage, node, self.persons_params(), source=str(letter.path))
            atomic_write_text(out, result)

        return Target(key=key, outputs=(out,), inputs=(letter.digest, self.corpus.persons_digest),
                      stages=(stage,), action=action)

    def _html(self, out_dir: Path) -> list[Target]:
        targets = [self._letter_target(f"html:letter:{lt.stem}", "html-letter", lt,
                                       out_dir / f"{lt.stem}.html")
                   for lt in self.corpus.letters]
        for page in SITE_PAGES:
            out = out_dir / f"{page}.html"

            def action(page: str = page, out: Path = out) -> None:
                result = self.engine.transform("html-site", self.corpus_node(),
                                               {**self.persons_params(), "page": page},
                                               source=f"{page} page")
                atomic_write_text(out, result)

            targets.append(Target(key=f"html:site:{page}", outputs=(out,),
                                  inputs=self._all_inputs(), stages=("html-site",), action=action))
        for asset in SITE_ASSETS:
            out = out_dir / asset

            def copy(asset: str = asset, out: Path = out) -> None:
                atomic_write_bytes(out, resource_bytes(asset))

            targets.append(Target(key=f"html:asset:{asset}", outputs=(out,), inputs=(),
                                  assets=(asset,), action=copy))
        return targets

    def _text(self, out_dir: Path) -> list[Target]:
        targets = [self._letter_target(f"text:letter:{lt.stem}", "text", lt,
                                       out_dir / f"{lt.stem}.txt")
                   for lt in self.corpus.letters]
        out = out_dir / CORPUS_TEXT

        def action() -> None:
            atomic_write_text(out, self.engine.transform("text", self.corpus_node(),
                                                         self.persons_params(), source="corpus"))

        targets.append(Target(key="text:corpus", outputs=(out,), inputs=self._all_inputs(),
                              stages=("text",), action=action))
        return targets

    def _pdf(self, out_dir: Path) -> list[Target]:
        out = out_dir / CORPUS_PDF
        html_out = out_dir / CORPUS_PRINT_HTML
        keep = self.options.keep_intermediate
        outputs = (out, html_out) if keep else (out,)

        def action() -> None:
            html = self.engine.transform("print", self.corpus_node(), self.persons_params(),
                                         source="corpus")
            if keep:
                atomic_write_text(html_out, html)
            atomic_write_bytes(out, html_to_pdf(html))

        return [Target(key=f"pdf:corpus:keep={keep}", outputs=outputs, inputs=self._all_inputs(),
                       stages=("print",), assets=(PRINT_CSS,), action=action)]

    def _cmif(self, out_dir: Path) -> list[Target]:
        out = out_dir / CMIF_FILE
        params = {"base-url": self.options.base_url,
                  "publication-date": self.options.publication_date}

        def action() -> None:
            result = self.engine.transform("cmif", self.corpus_node(),
                                           {**self.persons_params(), **params}, source="corpus")
            atomic_write_text(out, result)

        return [Target(key=f"cmif:corpus:{params['base-url']}|{params['publication-date']}",
                       outputs=(out,), inputs=self._all_inputs(), stages=("cmif",),
                       action=action)]


def html_to_pdf(html: str) -> bytes:
    """Typeset print HTML with WeasyPrint and ``print.css``, every footnote on its call's page."""
    return typeset(html, resource_bytes(PRINT_CSS).decode("utf-8")).pdf


def run_targets(targets: Sequence[Target],
                progress: Callable[[Target], None] | None = None) -> RenderResult:
    """Make every target, unconditionally."""
    result = RenderResult()
    for target in targets:
        target.run()
        result.written.extend(target.outputs)
        if progress is not None:
            progress(target)
    return result


def render(inputs: Iterable[Path | str], to: str, out_dir: Path | str, *,
           options: RenderOptions | None = None,
           progress: Callable[[Target], None] | None = None) -> RenderResult:
    """Render TEI letters (files or folders) to one format in ``out_dir``.

    Example::

        render(["tei/"], "html", "out/html")
    """
    corpus = Corpus.from_paths(inputs)
    if not corpus.letters:
        raise TransformError("no TEI letters among the inputs; pass TEI files or a folder of them")
    renderer = Renderer(corpus, options)
    return run_targets(renderer.targets(to, Path(out_dir)), progress)
