"""Render TEI letters to readers' outputs: HTML site, plain text, PDF, CMIF.

The work is a list of :class:`Target` s.  Each target names the files it writes,
the inputs and stages (stylesheets, assets) it depends on, and how to make it.
``render`` makes every target; ``corresptei.render.build`` makes only the
targets whose dependency digest changed since the last build (manifest).

:meth:`Renderer.run` makes targets in two steps:

1. **the letter pass** (``parallel``): each letter is parsed once, in one of
   ``jobs`` worker processes, which writes the letter's own outputs and sends
   back what the corpus outputs gather from it (:class:`Gather`): its entry in
   the site index, its part of the corpus text.  The gathered pieces go to
   temporary files, in reading order, so no process holds the corpus.
2. **the corpus outputs**, in this process: the index pages from the site index,
   ``corpus.txt`` from its head and the gathered letters, the PDF and CMIF from
   the corpus document.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..errors import TransformError
from ..fsutil import (
    atomic_output,
    atomic_write_bytes,
    atomic_write_chunks,
    atomic_write_text,
    sync_dir,
)
from .corpus import Corpus, Letter
from .parallel import LetterJob, LetterWorker, run_jobs, worker_count
from .pdf import typeset
from .stages import (
    PRINT_CSS,
    SITE_ASSETS,
    SITE_INDEX_NS,
    digest_files,
    engine,
    resource_bytes,
    stage_digest,
)

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
    #: a letter's own output, made in the letter pass: ``stages[0]`` over ``letter``
    letter: Letter | None = None
    #: what ``action`` reads from the letter pass (gathered before it runs)
    gathers: tuple["Gather", ...] = ()

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
        """Make the outputs (in this process; :meth:`Renderer.run` makes many at once)."""
        self.action()


class Gather:
    """One product of every letter (``parallel.PRODUCTS``), in reading order, on disk.

    Filled during the letter pass, read by the corpus outputs after it; the
    temporary file lives beside the outputs and is removed after the run.
    """

    product = ""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path: Path | None = None
        self._fh = None

    def open(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{self.product}.", suffix=".tmp", dir=self.out_dir)
        self.path = Path(name)
        self._fh = os.fdopen(fd, "wb")
        self.begin()

    def begin(self) -> None:
        """Write what comes before the first letter."""

    def end(self) -> None:
        """Write what comes after the last letter."""

    def write(self, text: str) -> None:
        self._fh.write(text.encode("utf-8"))

    def close(self) -> None:
        self.end()
        self._fh.close()
        self._fh = None

    def chunks(self, size: int = 1 << 20) -> Iterator[bytes]:
        """The gathered bytes, a piece at a time."""
        with open(self.path, "rb") as fh:
            while chunk := fh.read(size):
                yield chunk

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


class SiteIndex(Gather):
    """The site index ``html-site.xsl`` reads: ``<ix:index>`` holding each letter's
    record (``site-index.xsl``), in reading order."""

    product = "site-index"

    def __init__(self, out_dir: Path, renderer: "Renderer") -> None:
        super().__init__(out_dir)
        self.renderer = renderer
        self._node = None

    def begin(self) -> None:
        self.write(f'<ix:index xmlns:ix="{SITE_INDEX_NS}">')

    def end(self) -> None:
        self.write("</ix:index>")

    def node(self):
        """The site index, parsed once."""
        if self._node is None:
            self._node = self.renderer.engine.parse(path=self.path)
        return self._node

    def discard(self) -> None:
        self._node = None
        super().discard()


class CorpusText(Gather):
    """Each letter's part of ``corpus.txt``."""

    product = "corpus-text"


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
        self._persons_node = None
        self._corpus_node = None
        self._worker: LetterWorker | None = None

    @property
    def engine(self):
        """This process's Saxon engine (made when first needed: after the letter pass)."""
        return engine()

    # ------------------------------------------------------------ inputs

    def persons_params(self) -> dict[str, object]:
        """The ``$persons`` stylesheet parameter, when there is a personography."""
        if self.corpus.persons is None:
            return {}
        if self._persons_node is None:
            self._persons_node = self.engine.parse(path=self.corpus.persons)
        return {"persons": self._persons_node}

    def corpus_node(self):
        """The corpus document, parsed once (written to a temporary file letter by
        letter, so Saxon's tree is the only whole copy)."""
        if self._corpus_node is None:
            fd, name = tempfile.mkstemp(prefix="corresptei-corpus.", suffix=".xml")
            try:
                with os.fdopen(fd, "wb") as fh:
                    self.corpus.write_corpus_xml(fh)
                self._corpus_node = self.engine.parse(path=Path(name))
            finally:
                os.unlink(name)
        return self._corpus_node

    def _letter_worker(self) -> LetterWorker:
        """Makes a letter's outputs in this process (``Target.run`` of a letter target)."""
        if self._worker is None:
            self._worker = LetterWorker(str(self.corpus.persons) if self.corpus.persons else None)
        return self._worker

    def _all_inputs(self) -> tuple[str, ...]:
        return (self.corpus.persons_digest,
                *(f"{lt.stem}:{lt.digest}" for lt in self.corpus.letters))

    # ------------------------------------------------------------ running

    def run(self, targets: Sequence[Target], progress: Callable[[Target], None] | None = None, *,
            jobs: int | None = None, done: Callable[[Target], None] | None = None) -> RenderResult:
        """Make ``targets``: the letter pass in ``jobs`` worker processes, then the rest here.

        ``jobs`` = None uses every core (a small corpus is rendered in this
        process).  ``done``, then ``progress``, is called with each finished
        target.  Outputs are synced to disk once, at the end.
        """
        result = RenderResult()

        def finished(target: Target) -> None:
            result.written.extend(target.outputs)
            if done is not None:
                done(target)
            if progress is not None:
                progress(target)

        gathers: list[Gather] = []
        for target in targets:
            gathers.extend(g for g in target.gathers if g not in gathers)
        own: dict[Path, list[Target]] = {}
        for target in targets:
            if target.letter is not None:
                own.setdefault(target.letter.path, []).append(target)
        products = tuple(g.product for g in gathers)
        # gathering needs every letter, in reading order; else only the letters with outputs to make
        letters = [lt for lt in self.corpus.letters if products or lt.path in own]
        known = {lt.path for lt in self.corpus.letters}
        letters += [own[path][0].letter for path in own if path not in known]
        letter_jobs = [LetterJob(str(lt.path), returns=products,
                                 writes=tuple((t.stages[0], str(t.outputs[0])) for t in own.get(lt.path, ())))
                       for lt in letters]
        try:
            for gather in gathers:
                gather.open()
            workers = worker_count(jobs, len(letter_jobs))
            made = run_jobs(letter_jobs, self.corpus.persons, workers) if letter_jobs else ()
            # consumed to the end, so the workers are gone before the corpus outputs start
            for i, pieces in enumerate(made):
                letter = letters[i]
                for gather in gathers:
                    gather.write(pieces[gather.product])
                for target in own.get(letter.path, ()):
                    finished(target)
            for gather in gathers:
                gather.close()
            for target in targets:
                if target.letter is None:
                    target.run()
                    finished(target)
        finally:
            for gather in gathers:
                gather.discard()
            for folder in {p.parent for p in result.written}:
                sync_dir(folder)
        return result

    # ------------------------------------------------------------ targets

    def targets(self, fmt: str, out_dir: Path) -> list[Target]:
        """The targets that render format ``fmt`` into ``out_dir``."""
        planners = {"html": self._html, "text": self._text, "pdf": self._pdf, "cmif": self._cmif}
        if fmt not in planners:
            raise TransformError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return planners[fmt](Path(out_dir))

    def _letter_target(self, key: str, stage: str, letter: Letter, out: Path) -> Target:
        def action() -> None:
            self._letter_worker().run(LetterJob(str(letter.path), writes=((stage, str(out)),)))

        return Target(key=key, outputs=(out,), inputs=(letter.digest, self.corpus.persons_digest),
                      stages=(stage,), action=action, letter=letter)

    def _html(self, out_dir: Path) -> list[Target]:
        targets = [self._letter_target(f"html:letter:{lt.stem}", "html-letter", lt,
                                       out_dir / f"{lt.stem}.html")
                   for lt in self.corpus.letters]
        index = SiteIndex(out_dir, self)
        for page in SITE_PAGES:
            out = out_dir / f"{page}.html"

            def action(page: str = page, out: Path = out) -> None:
                with atomic_output(out, durable=False) as tmp:
                    self.engine.transform_to_file("html-site", index.node(), tmp,
                                                  {**self.persons_params(), "page": page},
                                                  source=f"{page} page")

            targets.append(Target(key=f"html:site:{page}", outputs=(out,), inputs=self._all_inputs(),
                                  stages=("html-site", "site-index"), action=action, gathers=(index,)))
        for asset in SITE_ASSETS:
            out = out_dir / asset

            def copy(asset: str = asset, out: Path = out) -> None:
                atomic_write_bytes(out, resource_bytes(asset), durable=False)

            targets.append(Target(key=f"html:asset:{asset}", outputs=(out,), inputs=(),
                                  assets=(asset,), action=copy))
        return targets

    def _text(self, out_dir: Path) -> list[Target]:
        targets = [self._letter_target(f"text:letter:{lt.stem}", "text", lt,
                                       out_dir / f"{lt.stem}.txt")
                   for lt in self.corpus.letters]
        out = out_dir / CORPUS_TEXT
        letters = CorpusText(out_dir)

        def action() -> None:
            head = self.engine.call_template("text", "corpus-head",
                                             {"letter-count": len(self.corpus.letters)},
                                             source="corpus head")
            atomic_write_chunks(out, (head.encode("utf-8"), *letters.chunks()), durable=False)

        targets.append(Target(key="text:corpus", outputs=(out,), inputs=self._all_inputs(),
                              stages=("text",), action=action, gathers=(letters,)))
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
                atomic_write_text(html_out, html, durable=False)
            atomic_write_bytes(out, html_to_pdf(html), durable=False)

        return [Target(key=f"pdf:corpus:keep={keep}", outputs=outputs, inputs=self._all_inputs(),
                       stages=("print",), assets=(PRINT_CSS,), action=action)]

    def _cmif(self, out_dir: Path) -> list[Target]:
        out = out_dir / CMIF_FILE
        params = {"base-url": self.options.base_url,
                  "publication-date": self.options.publication_date}

        def action() -> None:
            result = self.engine.transform("cmif", self.corpus_node(),
                                           {**self.persons_params(), **params}, source="corpus")
            atomic_write_text(out, result, durable=False)

        return [Target(key=f"cmif:corpus:{params['base-url']}|{params['publication-date']}",
                       outputs=(out,), inputs=self._all_inputs(), stages=("cmif",),
                       action=action)]


def html_to_pdf(html: str) -> bytes:
    """Typeset print HTML with WeasyPrint and ``print.css``, every footnote on its call's page."""
    return typeset(html, resource_bytes(PRINT_CSS).decode("utf-8")).pdf


def render(inputs: Iterable[Path | str], to: str, out_dir: Path | str, *,
           options: RenderOptions | None = None,
           progress: Callable[[Target], None] | None = None,
           jobs: int | None = None) -> RenderResult:
    """Render TEI letters (files or folders) to one format in ``out_dir``.

    ``jobs``: worker processes for the letters (default: every core; a small
    corpus is rendered in this process).

    Example::

        render(["tei/"], "html", "out/html")
    """
    corpus = Corpus.from_paths(inputs)
    if not corpus.letters:
        raise TransformError("no TEI letters among the inputs; pass TEI files or a folder of them")
    renderer = Renderer(corpus, options)
    return renderer.run(renderer.targets(to, Path(out_dir)), progress, jobs=jobs)
