"""The HTML edition in a real browser: Debian's chromium driven by Playwright.

The site is opened from the file system (file://), as a reader who unpacked it
would.  Playwright does not download a browser: /usr/bin/chromium is launched.
One screenshot per page type is kept under test-artifacts/render/screenshots/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import Built, artifacts_dir

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists() or shutil.which("chromium"), \
        "chromium is missing: install it with `make system-deps` (Debian package chromium)"
    with sync_playwright() as p:
        profile = tmp_path_factory.mktemp("chromium-profile")
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield context
        context.close()


class Watched:
    """A page that records console errors, page errors and failed requests."""

    def __init__(self, context) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.close()


def in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight; }""")


def test_every_page_loads_without_errors(built: Built, watched: Watched) -> None:
    for path in sorted(built.html.glob("*.html")):
        watched.open(path)
        assert watched.page.title(), path.name
        # the stylesheet applied (not a bare page)
        assert watched.page.eval_on_selector("body", "el => getComputedStyle(el).marginTop") == "0px"
    assert watched.errors == []


def test_footnote_marker_jumps_to_its_note_and_back(built: Built, watched: Watched) -> None:
    page = watched.page
    tried = 0
    for letter in built.corpus.letters:
        watched.open(built.html / f"{letter.stem}.html")
        markers = page.query_selector_all("a.noteref")
        for marker in markers[:2]:
            note_id = marker.get_attribute("href")[1:]
            ref_id = marker.get_attribute("id")
            page.evaluate("window.scrollTo(0, 0)")
            marker.focus()
            page.keyboard.press("Enter")  # keyboard, as well as mouse, follows the link
            page.wait_for_function(f"location.hash === '#{note_id}'")
            assert in_viewport(page, f"[id='{note_id}']")
            page.click(f"[id='{note_id}'] a.backref")
            page.wait_for_function(f"location.hash === '#{ref_id}'")
            assert in_viewport(page, f"[id='{ref_id}']")
            tried += 1
    assert tried > 0
    assert watched.errors == []


def test_prev_next_walk_the_whole_chain(built: Built, watched: Watched) -> None:
    """Each correspondence chain (correspContext) walks forward to its end and back.

    The chains together visit every letter once, each in reading order.
    """
    page = watched.page
    stems = [lt.stem for lt in built.corpus.letters]
    seen: list[str] = []
    for head in (lt for lt in built.corpus.letters if lt.prev is None):
        watched.open(built.html / f"{head.stem}.html")
        chain = [head.stem]
        while page.query_selector("nav.chain a.next"):
            page.click("nav.chain a.next >> nth=0")
            page.wait_for_load_state("load")
            chain.append(Path(page.url).stem)
            assert len(chain) <= len(stems), "the next links loop"
        assert chain == sorted(chain, key=stems.index), chain
        backwards = [chain[-1]]
        while page.query_selector("nav.chain a.prev"):
            page.click("nav.chain a.prev >> nth=0")
            page.wait_for_load_state("load")
            backwards.append(Path(page.url).stem)
            assert len(backwards) <= len(chain)
        assert backwards == list(reversed(chain))
        seen += chain
    assert sorted(seen) == sorted(stems)
    assert watched.errors == []


def test_index_lists_every_letter_and_sorts(built: Built, watched: Watched) -> None:
    page = watched.page
    watched.open(built.html / "index.html")
    links = page.eval_on_selector_all("#letters tbody tr td:nth-child(2) a",
                                      "els => els.map(a => a.getAttribute('href'))")
    assert links == [f"{lt.stem}.html" for lt in built.corpus.letters]

    def column(n: int) -> list[str]:
        return page.eval_on_selector_all(f"#letters tbody tr td:nth-child({n})",
                                         "els => els.map(td => td.textContent.trim())")

    page.click("#letters thead button[data-column='2']")  # From
    senders = column(3)
    assert senders == sorted(senders, key=str.lower)
    assert page.get_attribute("#letters thead th:nth-child(3)", "aria-sort") == "ascending"
    page.click("#letters thead button[data-column='2']")
    assert column(3) == sorted(senders, key=str.lower, reverse=True)
    assert page.get_attribute("#letters thead th:nth-child(3)", "aria-sort") == "descending"
    page.click("#letters thead button[data-column='0']")  # Date, ascending again
    page.click("#letters thead button[data-column='0']")
    page.click("#letters thead button[data-column='0']")
    assert page.eval_on_selector_all("#letters tbody tr td:nth-child(2) a",
                                     "els => els.map(a => a.getAttribute('href'))") == links
    assert watched.errors == []


def test_phone_layout_and_screenshots(built: Built, browser) -> None:
    shots = artifacts_dir("screenshots", built.name)
    parallel = next((lt.stem for lt in built.corpus.letters
                     if (built.html / f"{lt.stem}.html").read_text(encoding="utf-8").count('class="parallel"')),
                    None)
    letter = parallel or built.corpus.letters[0].stem
    for viewport, suffix in (({"width": 1280, "height": 900}, "desktop"), (PHONE, "phone")):
        page = browser.new_page()
        page.set_viewport_size(viewport)
        try:
            for kind, name in (("index", "index"), ("letter", letter), ("persons", "persons"),
                               ("archives", "archives")):
                page.goto((built.html / f"{name}.html").as_uri())
                page.wait_for_load_state("load")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, (kind, suffix, overflow)
                page.screenshot(path=str(shots / f"{kind}-{suffix}.png"), full_page=True)
            if parallel:
                page.goto((built.html / f"{parallel}.html").as_uri())
                left = page.eval_on_selector(".column.translations", "el => el.getBoundingClientRect().left")
                right = page.eval_on_selector(".column.originals", "el => el.getBoundingClientRect().left")
                top_t = page.eval_on_selector(".column.translations", "el => el.getBoundingClientRect().top")
                top_o = page.eval_on_selector(".column.originals", "el => el.getBoundingClientRect().top")
                if suffix == "desktop":
                    assert right > left and abs(top_o - top_t) < 1  # side by side
                else:
                    assert top_o > top_t  # stacked on a phone
        finally:
            page.close()
    assert sorted(p.name for p in shots.glob("*.png")) == sorted(
        f"{k}-{s}.png" for k in ("index", "letter", "persons", "archives") for s in ("desktop", "phone"))
