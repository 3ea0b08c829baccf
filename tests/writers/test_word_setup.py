"""Page set-up, language, compatibility, properties and styles of the Word draft (XML level)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from generator.pipeline.render import render_document
from generator.pipeline.select import select
from generator.writers.docx import render_docx
from generator.writers.typography import smart_quotes, term_segments
from tests.helpers import repo_deal, repo_library

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def draft(name: str, **changes: object) -> zipfile.ZipFile:
    doc = render_document(select(repo_library(), repo_deal(name, **changes)))
    return zipfile.ZipFile(io.BytesIO(render_docx(doc)))


@pytest.fixture(scope="module")
def english() -> zipfile.ZipFile:
    return draft("care-outcome-gdpr.yaml")


@pytest.fixture(scope="module")
def new_york() -> zipfile.ZipFile:
    return draft("claims-hipaa-transaction.yaml")


def sections(z: zipfile.ZipFile) -> list[etree._Element]:
    return list(etree.fromstring(z.read("word/document.xml")).iter(f"{W}sectPr"))


def test_no_empty_section_and_every_section_names_its_header_and_footer(
    english: zipfile.ZipFile,
) -> None:
    body = etree.fromstring(english.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    content = 0
    for el in body:
        carries = el.find(f"{W}pPr/{W}sectPr") is not None or el.tag == f"{W}sectPr"
        text = "".join(t.text or "" for t in el.iter(f"{W}t"))
        content += bool(text.strip()) or el.tag == f"{W}tbl"
        if carries:
            assert content, "a section with nothing in it is a blank page"
            content = 0
    sects = sections(english)
    assert len(sects) > 3  # landscape schedules are in sections of their own
    for s in sects:
        kinds = {(r.tag.rsplit("}")[1], r.get(f"{W}type")) for r in s}
        assert {("headerReference", "default"), ("footerReference", "default")} <= kinds
    orient = [s.find(f"{W}pgSz").get(f"{W}orient") for s in sects]  # type: ignore[union-attr]
    assert all(a != b for a, b in zip(orient, orient[1:], strict=False))  # a change each time


def test_paper_and_language_follow_the_governing_law(
    english: zipfile.ZipFile, new_york: zipfile.ZipFile
) -> None:
    def size(z: zipfile.ZipFile) -> tuple[str | None, str | None]:
        pg = sections(z)[0].find(f"{W}pgSz")
        assert pg is not None
        return pg.get(f"{W}w"), pg.get(f"{W}h")

    assert size(english) == ("11906", "16838")
    assert size(new_york) == ("12240", "15840")
    assert 'w:lang w:val="en-GB"' in english.read("word/styles.xml").decode()
    assert 'w:lang w:val="en-US"' in new_york.read("word/styles.xml").decode()
    assert 'w:themeFontLang w:val="en-GB"' in english.read("word/settings.xml").decode()
    override = draft("claims-hipaa-transaction.yaml", document={"paper": "A4", "language": "en-GB"})
    assert size(override) == ("11906", "16838")
    assert 'w:lang w:val="en-GB"' in override.read("word/styles.xml").decode()


def test_compatibility_mode_15_and_honest_properties(english: zipfile.ZipFile) -> None:
    settings = english.read("word/settings.xml").decode()
    assert re.search(r'compatibilityMode"[^>]*w:val="15"', settings)
    assert "updateFields" not in settings and "useFELayout" not in settings
    core = english.read("docProps/core.xml").decode()
    assert "lastPrinted" not in core
    assert "created" not in core  # the effective date lies ahead: no creation date in the future
    app = english.read("docProps/app.xml").decode()
    assert "<Application>Clausebook</Application>" in app
    assert "<Pages>" not in app and "Microsoft" not in app


def test_one_house_font_no_theme_fonts_no_title_rule(english: zipfile.ZipFile) -> None:
    styles = english.read("word/styles.xml").decode()
    assert "Theme=" not in styles and "w:cstheme" not in styles  # theme fonts override w:ascii
    root = etree.fromstring(styles.encode())
    fonts = {f.get(f"{W}ascii") for f in root.iter(f"{W}rFonts")}
    assert fonts == {"Arial"}
    title = next(s for s in root.iter(f"{W}style") if s.get(f"{W}styleId") == "Title")
    assert title.find(f".//{W}pBdr") is None
    ids = {s.get(f"{W}styleId") for s in root.iter(f"{W}style")}
    assert {"TOC1", "TOC2", "TOCHeading", "Heading9"} <= ids
    theme = english.read("word/theme/theme1.xml").decode()
    assert set(re.findall(r'<a:latin typeface="([^"]*)"', theme)) == {"Arial"}  # pandoc too


def test_toc_entries_have_dot_leaders_hyperlinks_and_page_fields(
    english: zipfile.ZipFile,
) -> None:
    body = etree.fromstring(english.read("word/document.xml"))
    toc = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='TOC1']") is not None]
    assert len(toc) > 20
    for p in toc:
        assert p.find(f".//{W}tab[@{W}leader='dot']") is not None
        link = p.find(f"{W}hyperlink")
        assert link is not None and link.get(f"{W}anchor", "").startswith("_")
        instr = "".join(t.text or "" for t in p.iter(f"{W}instrText"))
        assert f"PAGEREF {link.get(f'{W}anchor')} \\h" in instr
    marks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert {p.find(f"{W}hyperlink").get(f"{W}anchor") for p in toc} <= marks  # type: ignore[union-attr]


def test_typographic_quotes_everywhere_outside_field_codes(english: zipfile.ZipFile) -> None:
    body = etree.fromstring(english.read("word/document.xml"))
    text = "".join(t.text or "" for t in body.iter(f"{W}t"))
    assert text.count('"') == 0 and text.count("'") == 0
    assert text.count("\u201c") == text.count("\u201d") > 100
    instr = "".join(t.text or "" for t in body.iter(f"{W}instrText"))
    assert '"1-1"' in instr  # field codes keep their straight quotes


def test_smart_quotes_and_defined_terms() -> None:
    assert smart_quotes('the "Services" and the Supplier\'s staff') == (
        "the \u201cServices\u201d and the Supplier\u2019s staff"
    )
    assert smart_quotes('"x"', before="(") == "\u201cx\u201d"
    assert smart_quotes('" end', before="d") == "\u201d end"
    parts = list(term_segments("the Supplier (the \u201cSupplier\u201d) and \u201cother\u201d"))
    assert parts == [
        ("the Supplier (the ", False),
        ("\u201cSupplier\u201d", True),
        (") and \u201cother\u201d", False),
    ]


def test_deed_execution_blocks_keep_together_with_a_witness() -> None:
    z = draft("fa-sox-fixed.yaml", document={"execution": "deed"})
    body = etree.fromstring(z.read("word/document.xml"))
    paras = list(body.iter(f"{W}p"))
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paras]
    start = [i for i, t in enumerate(texts) if t.startswith("Executed as a deed by")]
    assert len(start) == 2
    for i in start:
        end = next(j for j in range(i, len(texts)) if texts[j].startswith("Witness occupation"))
        block = paras[i:end]
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in block)
        assert paras[end].find(f"{W}pPr/{W}keepNext") is None
        assert "Signature of witness" in texts[i:end]
    kids = list(body.find(f"{W}body"))  # type: ignore[arg-type]
    first = next(i for i, k in enumerate(kids) if "".join(k.itertext()) == "Execution")
    last = max(i for i, k in enumerate(kids) if "Witness occupation" in "".join(k.itertext()))
    assert not [k for k in kids[first:last] if k.tag == f"{W}tbl"]  # no data tables to sign in


def test_numbering_levels_are_linked_to_the_heading_styles(english: zipfile.ZipFile) -> None:
    numbering = etree.fromstring(english.read("word/numbering.xml"))
    legal = numbering.find(f"{W}abstractNum[@{W}abstractNumId='1']")
    assert legal is not None
    linked = {
        lvl.get(f"{W}ilvl"): lvl.find(f"{W}pStyle").get(f"{W}val")  # type: ignore[union-attr]
        for lvl in legal.findall(f"{W}lvl")
        if lvl.find(f"{W}pStyle") is not None
    }
    assert linked == {"0": "Heading1", "1": "Heading2"}
    styles = etree.fromstring(english.read("word/styles.xml"))

    def num(style: str) -> tuple[str | None, str | None]:
        st = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == style)
        pr = st.find(f"{W}pPr/{W}numPr")
        assert pr is not None, style
        return pr.find(f"{W}numId").get(f"{W}val"), pr.find(f"{W}ilvl").get(f"{W}val")  # type: ignore[union-attr]

    assert num("Heading1") == ("1", "0") and num("Heading2") == ("1", "1")
    assert num("TOCHeading")[0] == "0"  # based on Heading 1, but not in the list
    body = etree.fromstring(english.read("word/document.xml"))
    execution = next(
        p
        for p in body.iter(f"{W}p")
        if "".join(t.text or "" for t in p.iter(f"{W}t")) == "Execution"
        and p.find(f"{W}pPr/{W}pStyle[@{W}val='Heading1']") is not None
    )
    assert execution.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") == "0"  # type: ignore[union-attr]


def _quotes_char_by_char(text: str, before: str = "") -> str:
    """The first smart_quotes, one character at a time: what the fast one must equal."""
    opener = " \t\n([{\u2014\u2013-/\u00a0"
    out: list[str] = []
    prev = before[-1:] if before else ""
    for ch in text:
        if ch == '"':
            ch = "\u201c" if prev == "" or prev in opener else "\u201d"
        elif ch == "'":
            ch = "\u2018" if prev == "" or prev in opener else "\u2019"
        out.append(ch)
        prev = ch
    return "".join(out)


@given(
    st.text(alphabet=st.sampled_from(list("ab \t\n([{\u2014\u2013-/\u00a0\"'\u201c)."))),
    st.text(alphabet=st.sampled_from(list("a (\"'-")), max_size=3),
)
def test_smart_quotes_equal_the_char_by_char_rule(text: str, before: str) -> None:
    assert smart_quotes(text, before) == _quotes_char_by_char(text, before)
