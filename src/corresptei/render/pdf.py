"""Typeset the print HTML with WeasyPrint, every footnote on the page of its call.

``print.css`` makes each note a CSS footnote (``float: footnote``) and
``footnote-policy: line`` takes the line of a call whose note does not fit to
the next page, with its note.  WeasyPrint (70) has one more way out when a page
is full: when only one line of a paragraph fits at the foot of a page
(``orphans: 2`` forbids leaving it alone), it moves the page's last footnote to
the next page to make room for the paragraph's second line, and the call stays
behind (WeasyPrint issue 2432, ``_linebox_layout`` in ``layout/block.py``).
No value of ``orphans`` or ``widows`` avoids that: it happens whenever a
paragraph has exactly ``orphans - 1`` lines on a page that has footnotes.

When moving the page's footnotes away still leaves no room for that second
line (the empty footnote area keeps its margin, so a page with a single
one-line note frees less than a line of text), the paragraph goes to the next
page all the same, and so do the footnotes, without their calls.

So the document is laid out, and WeasyPrint's page anchors tell on which page
each footnote call, each footnote and each block of a letter begins (print.xsl
gives them ids).  For a footnote that landed a page after its call, the blocks
at that page break get a higher ``orphans`` for the next layout: the last block
that begins on the call's page (broken across the break) and the first blocks
that begin on the next page (a paragraph moved whole, with the label and
heading kept before it by ``break-after: avoid``).  Such a paragraph then goes
to the next page whole, as orphan control moves it, and the footnote stays.
A footnote still away from its call in the layout after that is taken to be too
tall for the space below its call line even at the top of a page (paged media
does not split a footnote): it is set a step smaller (``SMALLER``) in the next
layout.  That repeats until
every footnote is on its call's page, or nothing is left to change, or
``MAX_LAYOUTS`` is reached; a footnote still misplaced then is logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import TransformError

log = logging.getLogger(__name__)

#: Layouts tried before the PDF is written with the footnotes as they are.
MAX_LAYOUTS = 8
#: ``orphans`` of print.css for paragraphs; a nudged block asks for one more line.
ORPHANS = 2
#: Blocks nudged at the top of the next page: a paragraph, and the heading and
#: label kept with it (print.css: ``break-after: avoid``).
NEXT_PAGE_BLOCKS = 3
#: Type sizes (and leading) for a footnote too tall for a page, a step at a time
#: (print.css sets notes in 7.5pt, notes over 3,000 characters in 7pt).
SMALLER = (("6.5pt", 1.2), ("6pt", 1.2), ("5.5pt", 1.2))

_ANCHOR = re.compile(r'\bid="((?:blk|call)\.[^"]*)"')


@dataclass
class Typeset:
    """A PDF and how it was made."""

    pdf: bytes
    pages: int
    layouts: int
    #: block id -> the ``orphans`` it was given
    nudged: dict[str, int] = field(default_factory=dict)
    #: note id -> the step of ``SMALLER`` it was set in
    shrunk: dict[str, int] = field(default_factory=dict)
    #: ids of the calls whose footnote is still on another page
    misplaced: list[str] = field(default_factory=list)


def first_pages(pages: Iterable) -> dict[str, int]:
    """Anchor name -> the (0-based) page it first appears on."""
    first: dict[str, int] = {}
    for number, page in enumerate(pages):
        for name in page.anchors:
            first.setdefault(name, number)
    return first


def misplaced_calls(calls: list[str], first: dict[str, int]) -> list[str]:
    """The calls whose footnote does not begin on the call's page."""
    return [call for call in calls
            if call in first and first.get("note." + call[len("call."):]) != first[call]]


def nudge_css(nudged: dict[str, int], shrunk: dict[str, int] | None = None) -> str:
    """The style sheet of the nudges, after print.css."""
    rules = [f'[id="{block}"] {{ orphans: {n} }}' for block, n in sorted(nudged.items())]
    for note, step in sorted((shrunk or {}).items()):
        size, leading = SMALLER[step]
        rules.append(f'span.footnote[id="{note}"] {{ font-size: {size}; line-height: {leading} }}')
    return "\n".join(rules)


def typeset(html: str, css: str, max_layouts: int = MAX_LAYOUTS) -> Typeset:
    """Lay out ``html`` with ``css`` until every footnote is on its call's page."""
    try:
        import weasyprint
    except ImportError as exc:  # pragma: no cover - weasyprint is a dependency
        raise TransformError("PDF output needs WeasyPrint (pip install weasyprint) and "
                             "Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0)") from exc
    anchors = [m.group(1) for m in _ANCHOR.finditer(html)]
    blocks = [a for a in anchors if a.startswith("blk.")]
    calls = [a for a in anchors if a.startswith("call.")]
    try:
        document_html = weasyprint.HTML(string=html)
        base = [weasyprint.CSS(string=css)]
        nudged: dict[str, int] = {}
        shrunk: dict[str, int] = {}
        layouts = 0
        before: list[str] = []
        while True:
            extra = [weasyprint.CSS(string=nudge_css(nudged, shrunk))] if nudged or shrunk else []
            document = document_html.render(stylesheets=base + extra)
            layouts += 1
            first = first_pages(document.pages)
            misplaced = misplaced_calls(calls, first)
            if not misplaced or layouts >= max_layouts:
                break
            starts: dict[int, list[str]] = {}
            for block in blocks:
                if block in first:
                    starts.setdefault(first[block], []).append(block)
            changed = False
            for call in misplaced:
                if call in before:  # the blocks at its page break were nudged: the note is too tall
                    note = "note." + call[len("call."):]
                    if shrunk.get(note, -1) + 1 < len(SMALLER):
                        shrunk[note] = shrunk.get(note, -1) + 1
                        changed = True
                    continue
                page = first[call]
                for block in starts.get(page, [])[-1:] + starts.get(page + 1, [])[:NEXT_PAGE_BLOCKS]:
                    nudged[block] = nudged.get(block, ORPHANS) + 1
                    changed = True
            if not changed:
                break
            before = misplaced
        pdf = document.write_pdf()
    except TransformError:
        raise
    except Exception as exc:  # WeasyPrint has no error root of its own
        raise TransformError(f"PDF typesetting failed: {exc}") from exc
    if misplaced:
        log.warning("%d footnote(s) not on the page of their call after %d layouts: %s",
                    len(misplaced), layouts, ", ".join(c[len("call."):] for c in misplaced))
    return Typeset(pdf=pdf, pages=len(document.pages), layouts=layouts, nudged=nudged,
                   shrunk=shrunk, misplaced=misplaced)
