"""The HTML reference page: every element of the schema, its attributes and value lists,
with English glosses and descriptions."""

from __future__ import annotations

import lxml.html

from corresptei.odd.compiler import serialize

RNG = "{http://relaxng.org/ns/structure/1.0}"


def test_reference_page_documents_every_element(shared, compile_cached):
    compiled, _ = compile_cached(shared / "tei" / "reference" / "tei_lite.odd")
    page = lxml.html.fromstring(serialize(compiled.html, html=True))
    elements = {e.get("name") for e in compiled.rng.iter(f"{RNG}element") if e.get("name")}
    sections = {s.get("id") for s in page.iter("section")}
    assert elements <= sections
    title = page.get_element_by_id("title")
    text = " ".join(title.text_content().split())
    assert "@type" in text and "open list" in text and "main main title" in text
    assert "contains a title for any kind of work" in text  # the English description
    status = " ".join(page.get_element_by_id("availability").text_content().split())
    assert "@status" in status and "closed list" in status
    assert page.find(".//nav") is not None and page.get("lang") == "en"
