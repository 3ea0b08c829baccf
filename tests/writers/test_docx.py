from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from generator.errors import UsageError
from generator.writers.docx import render_docx
from generator.writers.docx.reference import read_reference
from tests.helpers import body_paragraphs, document_for, soffice_or_skip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


@pytest.fixture()
def m4(minilib: Path) -> bytes:
    return render_docx(document_for(minilib, "small-m4.yaml"))


def test_word_reads_every_clause_heading_in_order(m4: bytes) -> None:
    d = docx.Document(io.BytesIO(m4))
    headings = [
        (p.style.name, p.text) for p in body_paragraphs(d) if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Definitions"),
        ("Heading 2", "Definitions"),
        ("Heading 1", "Services and Service Levels"),
        ("Heading 2", "Services"),
        ("Heading 2", "Service Credits"),
        ("Heading 1", "Value"),
        ("Heading 2", "Gain-Sharing"),
        ("Heading 1", "Execution"),
        ("Heading 1", "\nService Levels"),  # "SCHEDULE 1", a line break, the title
    ]


def test_numbering_is_real_word_numbering(m4: bytes) -> None:
    numbering = part(m4, "word/numbering.xml")
    texts = [lv.get(f"{W}val") for lv in numbering.iter(f"{W}lvlText")]
    assert texts[:6] == ["%1.", "%1.%2", "%1.%2.%3", "(%4)", "(%5)", "(%6)"]
    body = part(m4, "word/document.xml")
    numbered = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(numbered) >= 10
    typed = "".join(t.text or "" for t in body.iter(f"{W}t"))
    assert "2.1.1" not in typed  # numbers come from numbering.xml, not typed digits


def test_cross_references_are_ref_fields_with_correct_cached_text(m4: bytes) -> None:
    body = part(m4, "word/document.xml")
    instr = [t.text.strip() for t in body.iter(f"{W}instrText") if "REF" in t.text]
    assert instr[-2:] == ["REF _Ref_sla_schedule \\w \\h", "REF _Ref_gain_sharing \\w \\h"]
    marks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert {"_Ref_sla_schedule", "_Ref_gain_sharing"} <= marks
    text = "".join(t.text or "" for t in body.iter(f"{W}t"))
    assert "Service Levels in Schedule 1" in text
    assert "share gains under Clause 3.1" in text


def test_schedule_tables_have_grid_and_repeated_header(m4: bytes) -> None:
    body = part(m4, "word/document.xml")
    tables = list(body.iter(f"{W}tbl"))
    schedule_table = tables[-1]
    assert schedule_table.find(f"{W}tblGrid") is not None
    assert schedule_table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    widths = [int(g.get(f"{W}w")) for g in schedule_table.iter(f"{W}gridCol")]
    # indented to the clause text (720), filling the rest of the A4 text width (9026)
    assert sum(widths) == 9026 - 720
    assert schedule_table.find(f"{W}tblPr/{W}tblInd").get(f"{W}w") == "720"  # type: ignore[union-attr]
    assert schedule_table.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") == "ClausebookTable"  # type: ignore[union-attr]
    cells = list(schedule_table.iter(f"{W}tc"))
    target = cells[-1].find(f"{W}p/{W}pPr/{W}jc")  # "75%": figures are right-aligned
    assert target is not None and target.get(f"{W}val") == "right"
    assert cells[-2].find(f"{W}p/{W}pPr/{W}jc") is None  # words are not
    # a small table keeps together: every row but the last keeps with the next
    keeps = [c.find(f"{W}p/{W}pPr/{W}keepNext") is not None for c in cells]
    assert all(keeps[:-2]) and not any(keeps[-2:])


def test_identical_inputs_give_identical_bytes(
    minilib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = render_docx(document_for(minilib, "small.yaml"))
    b = render_docx(document_for(minilib, "small.yaml"))
    assert a == b
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    c = render_docx(document_for(minilib, "small.yaml"))
    assert c != a
    core = part(c, "docProps/core.xml")
    assert "2027-01-15" in etree.tostring(core).decode()


def test_field_codes_and_xml_in_clause_text_stay_literal(minilib: Path) -> None:
    path = minilib / "clauses/core/gain-sharing.yaml"
    hostile = '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" } <w:fldSimple w:instr="INCLUDETEXT x"/>'
    path.write_text(
        path.read_text().replace("The Customer receives", hostile + " The Customer receives")
    )
    data = render_docx(document_for(minilib, "small-m4.yaml"))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:fldSimple" not in xml
    body = etree.fromstring(xml.encode())
    ours = ("REF _Ref_", "TOC ", "PAGEREF _")  # the only fields the writer makes in the body
    assert all(t.text.strip().startswith(ours) for t in body.iter(f"{W}instrText"))
    assert "DDEAUTO" in "".join(t.text or "" for t in body.iter(f"{W}t"))


def test_reference_docx_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "ref.docx"
    bad.write_text("not a zip")
    with pytest.raises(UsageError, match="not a .docx"):
        read_reference(bad)
    xxe = tmp_path / "xxe.docx"
    with zipfile.ZipFile(xxe, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml", '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
        )
    with pytest.raises(UsageError, match="declares a DTD"):
        read_reference(xxe)


def test_libreoffice_converts_the_draft_to_pdf(m4: bytes, tmp_path: Path) -> None:
    soffice = soffice_or_skip()
    src = tmp_path / "draft.docx"
    src.write_bytes(m4)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "draft.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 2 <= pages <= 6


def test_cover_toc_header_and_page_x_of_y(m4: bytes) -> None:
    z = zipfile.ZipFile(io.BytesIO(m4))
    body = etree.fromstring(z.read("word/document.xml"))
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    assert texts[0] == "Small Services Agreement" and texts[1] == "between"
    assert "DRAFT \u2014 subject to contract" in texts
    toc = [t.text for t in body.iter(f"{W}instrText") if "TOC" in t.text]
    assert toc == [' TOC \\o "1-1" \\h \\z \\u ']
    assert "Schedule 1Service Levels" in texts  # cached TOC entry (number, tab, title, page)
    assert body.find(f".//{W}sectPr/{W}titlePg") is not None
    assert body.find(f".//{W}sectPr/{W}headerReference") is not None
    assert body.find(f".//{W}sectPr/{W}footerReference") is not None
    footers = [n for n in z.namelist() if n.startswith("word/footer")]
    footer_xml = b"".join(z.read(n) for n in footers).decode()
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    settings = z.read("word/settings.xml").decode()
    # no "update fields?" prompt each time the file opens, and no Compatibility Mode
    assert "updateFields" not in settings
    assert (
        'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"'
        in settings
    )


def test_notes_become_comments_on_clause_headings(minilib: Path) -> None:
    from generator.writers.docx import DocxOptions

    doc = document_for(minilib, "small.yaml")
    data = render_docx(doc, options=DocxOptions(notes=True))
    d = docx.Document(io.BytesIO(data))
    comments = list(d.comments)
    assert len(comments) == len([c for a in doc.articles for c in a.clauses]) + len(doc.schedules)
    assert comments[0].text.startswith("Drafting notes: n")
    assert not any("Variant" in c.text or "_" in c.text for c in comments)  # no internal ids
    header = "".join(
        zipfile.ZipFile(io.BytesIO(data)).read(n).decode()
        for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if n.startswith("word/header")
    )
    assert header.count("INTERNAL \u2014 NOT FOR CIRCULATION") == 2  # cover and every page
    assert 'string="INTERNAL"' in header  # the watermark
    assert render_docx(doc, options=DocxOptions(notes=True)) == data  # comment dates are fixed


def test_custom_properties_carry_deal_and_inputs(minilib: Path) -> None:
    from generator.pipeline.build import make_draft
    from generator.pipeline.library import load_library

    draft = make_draft(load_library(minilib), minilib / "deals/small.yaml", ["docx"])
    custom = (
        zipfile.ZipFile(io.BytesIO(draft.files["small.docx"])).read("docProps/custom.xml").decode()
    )
    assert 'name="Clausebook deal"><vt:lpwstr>small</vt:lpwstr>' in custom
    import json

    manifest = json.loads(draft.files["small.manifest.json"])
    assert manifest["inputs_sha256"] in custom


def test_user_reference_docx_supplies_the_styles(minilib: Path, tmp_path: Path) -> None:
    from docx.shared import Pt

    from generator.writers.docx import DocxOptions
    from generator.writers.docx.reference import default_reference

    ref = docx.Document(io.BytesIO(default_reference()))
    ref.styles["Normal"].font.name = "Georgia"
    ref.styles["Normal"].font.size = Pt(12)
    path = tmp_path / "house.docx"
    ref.save(str(path))
    data = render_docx(
        document_for(minilib, "small.yaml"), options=DocxOptions(reference=read_reference(path))
    )
    normal = docx.Document(io.BytesIO(data)).styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Georgia", Pt(12))


HOUSE_STYLES = {"Normal", "Heading1", "Heading2", "Title", "Header", "Footer"}


def _canonical(data: bytes, name: str) -> str:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))
    if name == "word/styles.xml":
        # only the house styles the writer relies on; the template's other 300 styles are noise
        for el in list(root):
            if (
                el.tag == f"{W}style"
                and el.get(f"{W}styleId") not in HOUSE_STYLES
                or el.tag == f"{W}latentStyles"
            ):
                root.remove(el)
    return etree.tostring(root, method="c14n").decode()


@pytest.mark.parametrize("name", ["word/document.xml", "word/numbering.xml", "word/styles.xml"])
def test_xml_parts_match_reviewed_golden_files(minilib: Path, name: str) -> None:
    import os

    data = render_docx(document_for(minilib, "small.yaml"))
    text = _canonical(data, name)
    golden = Path(__file__).parents[1] / "golden" / ("small." + name.split("/")[-1])
    if os.environ.get("CLAUSEBOOK_REGENERATE_GOLDEN"):
        pretty = etree.tostring(etree.fromstring(text.encode()), pretty_print=True).decode()
        golden.write_text(pretty, "utf-8")
    expected = etree.tostring(etree.fromstring(golden.read_bytes()), method="c14n").decode()
    # pretty-printing adds whitespace between elements only; compare without it
    assert re.sub(r">\s+<", "><", expected) == re.sub(r">\s+<", "><", text)


def word_numbers(data: bytes) -> list[tuple[str, str]]:
    """Recompute the numbers Word shows from numPr, as Word's list engine does."""
    d = docx.Document(io.BytesIO(data))
    counters: dict[str, list[int]] = {}
    formats = {
        "1": ["{0}.", "{0}.{1}", "{0}.{1}.{2}", "({3})", "({4})", "({5})"],
        "2": ["Schedule {0}", "{1}.", "({2})", "({3})", "({4})"],
    }
    out = []
    for p in body_paragraphs(d):
        num = p._p.find(f"{W}pPr/{W}numPr")
        if num is None:
            continue
        num_id = num.find(f"{W}numId").get(f"{W}val")
        if num_id not in formats:
            continue
        lvl = int(num.find(f"{W}ilvl").get(f"{W}val"))
        c = counters.setdefault(num_id, [0] * 6)
        c[lvl] += 1
        for deeper in range(lvl + 1, 6):
            c[deeper] = 0
        letters = [str(c[0]), str(c[1]), str(c[2]), chr(96 + c[3]) if c[3] else "", "", ""]
        if num_id == "2":
            letters = [str(c[0]), str(c[1]), chr(96 + c[2]) if c[2] else "", "", ""]
        label = formats[num_id][lvl].format(*letters)
        out.append((label, p.text))
    return out


def test_word_numbering_gives_the_markdown_numbers(minilib: Path) -> None:
    from generator.writers.markdown import render_markdown

    doc = document_for(minilib, "small-m4.yaml")
    md = render_markdown(doc)
    numbers = word_numbers(render_docx(doc))
    headings = [f"{n} {t}" for n, t in numbers if re.fullmatch(r"\d+\.\d+", n)]
    assert headings == [ln.removeprefix("### ") for ln in md.splitlines() if ln.startswith("### ")]
    paras = [n for n, _ in numbers if re.fullmatch(r"\d+\.\d+\.\d+", n)]
    assert paras == re.findall(r"^(\d+\.\d+\.\d+) ", md, flags=re.M)
