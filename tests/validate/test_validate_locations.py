"""Columns of findings: where each element's start tag ends (validate/locations.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from corresptei.validate.findings import Engine, Finding, Severity
from corresptei.validate.locations import element_paths, start_tag_ends, with_columns
from corresptei.validate.xmlpaths import readable_path

TRICKY = """<?xml version="1.0" encoding="UTF-8"?>
<!-- <not> a tag -->
<?pi <not/> either?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <p n="a>b" rend='c"d'>x &lt; y <![CDATA[<no>]]> z</p><p/>
  <p
     n="1"
  >Жж <hi>w</hi></p>
</TEI>
"""


def test_start_tags_skip_comments_cdata_and_instructions() -> None:
    ends = start_tag_ends(TRICKY)
    root = etree.fromstring(TRICKY.encode())
    assert [line for line, _ in ends] == [el.sourceline for el in root.iter(etree.Element)]
    lines = TRICKY.split("\n")
    for line, col in ends:
        assert lines[line - 1][col - 2] == ">"
    assert ends[1] == (5, 25)  # <p n="a>b" rend='c"d'>: the ">" in a value does not end it
    assert ends[3:] == [(8, 4), (8, 11)]  # a tag over three lines; <hi> after Cyrillic: characters count


def test_element_paths_are_the_readable_paths() -> None:
    root = etree.fromstring(TRICKY.encode())
    assert element_paths(root) == [readable_path(el) for el in root.iter(etree.Element)]


def test_findings_get_the_column_and_others_keep_theirs(tmp_path) -> None:
    path = tmp_path / "a.xml"
    path.write_text(TRICKY, encoding="utf-8")
    tree = etree.parse(str(path))
    at_p = Finding(str(path), 8, 0, Engine.RNG, Severity.ERROR, "r", "m", "/TEI/p[3]/@n")
    corpus = Finding(str(path), 5, 0, Engine.CORPUS, Severity.ERROR, "duplicate-id", "m")
    unknown = Finding(str(path), 5, 0, Engine.SCH, Severity.ERROR, "r", "m", "/TEI/q[1]")
    got = with_columns(tree, str(path), [at_p, corpus, unknown])
    assert (got[0].line, got[0].column) == (8, 4)
    assert got[1:] == [corpus, unknown]


def test_a_file_that_changed_since_it_was_parsed_keeps_column_zero(tmp_path) -> None:
    path = tmp_path / "a.xml"
    path.write_text(TRICKY, encoding="utf-8")
    tree = etree.parse(str(path))
    path.write_text("<TEI/>", encoding="utf-8")
    f = Finding(str(path), 8, 0, Engine.RNG, Severity.ERROR, "r", "m", "/TEI/p[3]")
    assert with_columns(tree, str(path), [f]) == [f]


NAMES = st.sampled_from(["a", "b", "p", "hi", "ж"])
VALUES = st.text(alphabet="x>'\"<& \nЖ", max_size=6)
SPACE = st.sampled_from([" ", "\n", " \n  ", "\t"])


@st.composite
def documents(draw, depth: int = 0) -> str:
    """Serialised by hand: values with > and quotes, line breaks inside tags, comments,
    CDATA and processing instructions holding < between elements."""
    name = draw(NAMES)
    attrs = ""
    for i, value in enumerate(draw(st.lists(VALUES, max_size=3))):
        quote = draw(st.sampled_from(['"', "'"]))
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(quote, "&quot;" if quote == '"' else "&apos;")
        attrs += f"{draw(SPACE)}a{i}={quote}{value}{quote}"
    tail = draw(st.sampled_from(["", "\n", " "]))
    if depth >= 3 or draw(st.booleans()):
        return f"<{name}{attrs}{draw(st.sampled_from(['', ' ', chr(10)]))}/>{tail}"
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        parts.append(draw(st.one_of(
            documents(depth + 1),
            st.sampled_from(["text > ", "<!-- <x> -->", "<![CDATA[<y/>]]>", "<![CDATA[ ] > <q/> ]]>",
                             "<?pi <z>?>", "\n  ", "Жж"]))))
    return f"<{name}{attrs}>{''.join(parts)}</{name}>{tail}"


@settings(max_examples=300, deadline=None)
@given(doc=documents())
def test_start_tag_ends_agree_with_libxml2(doc: str) -> None:
    root = etree.fromstring(doc.encode())
    ends = start_tag_ends(doc)
    elements = list(root.iter(etree.Element))
    assert [line for line, _ in ends] == [el.sourceline for el in elements]
    lines = doc.split("\n")
    assert all(lines[line - 1][col - 2] == ">" for line, col in ends)
