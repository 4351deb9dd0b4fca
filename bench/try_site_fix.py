"""Time the three HTML site pages, as they are and with a proposed fix to html-site.xsl.

``render --to html`` spends almost all of its time at 10,000 letters in the site pages
(bench/RESULTS.md). The archives page looks up the letter of every citation with
``$letters[f:stem(.) = $stem][1]``: a scan of every letter per citation,
O(citations × letters). The proposed fix is an ``xsl:key`` on the letters' stems.

The stylesheets are copied to a temporary folder and patched there (xslt/ is the render
owner's); both versions run under saxonche with the stylesheet compiled once, on the same
corpus document, and their outputs are compared.

    python -m bench.try_site_fix bench/work/n1000/tei
    python -m bench.try_site_fix bench/work/n10000/tei --only-patched
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PATCHES = [
    # (the owner's text, the replacement)
    ('  <xsl:variable name="letters" select="/teiCorpus/TEI[not(@xml:id = \'persons\')]"/>',
     '  <xsl:variable name="letters" select="/teiCorpus/TEI[not(@xml:id = \'persons\')]"/>\n'
     '  <xsl:variable name="corpus-root" select="/"/>\n'
     '  <xsl:key name="letter-by-stem" match="/teiCorpus/TEI[not(@xml:id = \'persons\')]" use="f:stem(.)"/>'),
    ('<xsl:variable name="letter" select="$letters[f:stem(.) = $stem][1]"/>',
     '<xsl:variable name="letter" select="key(\'letter-by-stem\', $stem, $corpus-root)[1]"/>'),
]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    only_patched = "--only-patched" in argv  # at 10,000 letters the unpatched archives page takes ~10 min
    tei = Path([a for a in argv if not a.startswith("--")][0])
    from saxonche import PySaxonProcessor

    from corresptei.render import Corpus

    corpus = Corpus.from_paths([tei])
    xml = corpus.corpus_xml()
    with tempfile.TemporaryDirectory() as tmp:
        patched = Path(tmp) / "xslt"
        shutil.copytree(REPO / "xslt", patched)
        site = patched / "html-site.xsl"
        text = site.read_text(encoding="utf-8")
        for old, new in PATCHES:
            if old not in text:
                raise SystemExit(f"html-site.xsl changed; the patch no longer applies: {old!r}")
            text = text.replace(old, new)
        site.write_text(text, encoding="utf-8")
        proc = PySaxonProcessor(license=False)
        node = proc.parse_xml(xml_text=xml)
        persons = proc.parse_xml(xml_file_name=str(corpus.persons)) if corpus.persons else None
        outputs: dict[tuple[str, str], str] = {}
        variants = (("as is", REPO / "xslt"), ("xsl:key", patched))
        for label, folder in variants[1:] if only_patched else variants:
            exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(folder / "html-site.xsl"))
            for page in ("index", "persons", "archives"):
                exe.clear_parameters()
                exe.set_parameter("page", proc.make_string_value(page))
                if persons is not None:
                    exe.set_parameter("persons", persons)
                t0 = time.perf_counter()
                outputs[(label, page)] = exe.transform_to_string(xdm_node=node)
                same = "" if label == "as is" or only_patched else (
                    "identical" if outputs[(label, page)] == outputs[("as is", page)] else "DIFFERS")
                print(f"| {len(corpus.letters)} | {page} | {label} | {time.perf_counter() - t0:.2f} | {same} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
