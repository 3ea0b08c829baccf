"""Render checks: all six sample deals, their internal copies, a deed, a redline and the TOC
page pass, laid out by LibreOffice and read back page by page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.model import Document
from generator.pipeline.render import render_document
from generator.pipeline.select import select
from generator.writers.docx import DocxOptions, render_docx
from generator.writers.docx.redline import render_redline
from tests.helpers import REPO, repo_deal, repo_library
from tests.render import (
    font_families,
    furniture_only_pages,
    page_size,
    page_texts,
    pages_without_footer,
    split_blocks,
    to_pdfs,
)

DEALS = sorted(p.name for p in (REPO / "deals").glob("*.yaml"))


def document(name: str, **changes: object) -> Document:
    return render_document(select(repo_library(), repo_deal(name, **changes)))


@pytest.fixture(scope="module")
def rendered(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[Document, bytes, list[str]]]:
    """name -> (document, PDF, page texts) for every sample deal, its --notes copy, a deed and a redline."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLAUSEBOOK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        docs: dict[str, Document] = {}
        files: dict[str, bytes] = {}
        for name in DEALS:
            stem = name.removesuffix(".yaml")
            doc = docs[f"{stem}.docx"] = docs[f"{stem}.internal.docx"] = document(name)
            files[f"{stem}.docx"] = render_docx(doc)
            files[f"{stem}.internal.docx"] = render_docx(doc, options=DocxOptions(notes=True))
        deed = docs["deed.docx"] = document("fa-sox-fixed.yaml", document={"execution": "deed"})
        files["deed.docx"] = render_docx(deed)
        base = document("care-outcome-gdpr.yaml")
        head = docs["redline.docx"] = document("care-outcome-gdpr.yaml", term_months=48)
        files["redline.docx"] = render_redline(base, head, labels=("HEAD", "v1.0"))[0]
        files["memo.docx"] = memo_file("fa-sox-fixed.yaml")
        docs["memo.docx"] = deed
        pdfs = to_pdfs(files, tmp_path_factory.mktemp("pdf"))
    return {n: (docs[n], pdfs[n], page_texts(pdfs[n])) for n in files}


def memo_file(name: str) -> bytes:
    import datetime as dt

    from generator.playbook.check import check_deal
    from generator.playbook.memo import build_memo, memo_docx

    deal = repo_deal(name)
    memo = build_memo(check_deal(select(repo_library(), deal)), None)
    return memo_docx(memo, dt.datetime(2027, 1, 1), deal.data)


def furniture(doc: Document) -> list[str]:
    """Header and footer text of a draft, as a reader sees it on every page."""
    head = doc.title + (f" \u2014 {doc.draft_banner}" if doc.draft_banner else "")
    version = str(doc.deal.get("draft_version") or "")
    return [head, f"{doc.deal['id']} \u00b7 {version}", str(doc.deal["id"])]


def test_no_page_holds_only_header_and_footer(
    rendered: dict[str, tuple[Document, bytes, list[str]]],
) -> None:
    blank = {}
    for name, (doc, _pdf, pages) in rendered.items():
        found = furniture_only_pages(pages, furniture(doc))
        if found:
            blank[name] = found
    assert blank == {}


def test_header_and_footer_on_every_page_after_the_cover(
    rendered: dict[str, tuple[Document, bytes, list[str]]],
) -> None:
    missing = {}
    for name, (doc, _pdf, pages) in rendered.items():
        head = furniture(doc)[0] if name != "memo.docx" else "Confidential \u2014"
        gaps = pages_without_footer(pages) + [
            i for i, t in enumerate(pages, start=1) if i > 1 and head not in t
        ]
        if gaps:
            missing[name] = sorted(set(gaps))
    assert missing == {}


def test_signature_blocks_are_never_split_across_pages(
    rendered: dict[str, tuple[Document, bytes, list[str]]],
) -> None:
    for name, (_doc, _pdf, pages) in rendered.items():
        text = " ".join(pages)
        if name == "memo.docx":
            continue
        if name == "deed.docx":
            assert text.count("Executed as a deed by") == 2
            assert split_blocks(pages, "Executed as a deed by", "Witness occupation:") == []
        else:
            assert text.count("Signed by ") == 2, name
            assert split_blocks(pages, "Signed by ", "Date:") == [], name


def test_execution_page_reads_as_a_lawyer_expects(
    rendered: dict[str, tuple[Document, bytes, list[str]]],
) -> None:
    pages = rendered["fa-sox-fixed.docx"][2]
    page = next(p for p in pages if "Signed by " in p)
    assert page.split(" \u2014 ")[-1].startswith("subject to contract EXECUTION")  # own page
    assert (
        "Signed by ELEANOR MARSH, Chief Financial Officer, for and on behalf of "
        "HARBOUR LOGISTICS PLC Signature Name: Eleanor Marsh Title: Chief Financial Officer Date:"
    ) in page
    assert "Signatures" not in page and "Signed for and on behalf of" not in page
    deed = next(p for p in rendered["deed.docx"][2] if "Executed as a deed" in p)
    assert "executed as a deed and is delivered" in deed
    assert (
        "Executed as a deed by HARBOUR LOGISTICS PLC acting by ELEANOR MARSH, a director, in the "
        "presence of a witness: Signature of director"
    ) in deed
    assert "Signature of witness Witness name:" in deed and "Witness address:" in deed


def test_one_font_family_in_headings_and_body(
    rendered: dict[str, tuple[Document, bytes, list[str]]],
) -> None:
    # Whatever font LibreOffice substitutes for Arial, it must be the only one.
    families = {n: font_families(pdf) for n, (_d, pdf, _p) in rendered.items()}
    memo = families.pop("memo.docx") - {"OpenSymbol"}  # the bullet glyphs of its lists
    assert all(len(f) == 1 for f in families.values()), families
    house = families["fa-sox-fixed.docx"]
    assert len(memo - house) <= 1 and house <= memo  # the memo adds a monospace for commands


def test_paper_size_follows_the_governing_law(
    rendered: dict[str, tuple[Document, bytes, list[str]]],
) -> None:
    sizes = {n: page_size(pdf) for n, (_d, pdf, _p) in rendered.items()}
    assert sizes["claims-hipaa-transaction.docx"] == (612, 792)  # New York law: US Letter
    assert sizes["fa-sox-fixed.docx"] == (595, 842)  # English law: A4
    assert sizes["offshore-remote.docx"] == (595, 842)  # Singapore law: A4
    assert sizes["memo.docx"] == (595, 842)  # the memo is on the deal's paper too


def test_memo_has_confidentiality_line_page_numbers_and_no_markdown(
    rendered: dict[str, tuple[Document, bytes, list[str]]],
) -> None:
    pages = rendered["memo.docx"][2]
    assert len(pages) > 1
    for i, page in enumerate(pages, start=1):
        assert "Confidential \u2014 for the negotiating team only" in page
        assert f"Page {i} of {len(pages)}" in page
    assert "`" not in " ".join(pages) and "**" not in " ".join(pages)


def test_redline_carries_its_legend_on_cover_and_in_header(
    rendered: dict[str, tuple[Document, bytes, list[str]]],
) -> None:
    pages = rendered["redline.docx"][2]
    legend = re.compile(r"Redline: draft at HEAD against v1\.0, \d+ insertions?, \d+ deletions?")
    assert legend.search(pages[0])
    assert all(legend.search(p) for p in pages[1:])


def test_toc_page_pass_puts_the_real_page_numbers_in(tmp_path: Path) -> None:
    from generator.writers.docx.layout import laid_out, toc_targets

    doc = document("fa-sox-fixed.yaml")
    _data, pdf = laid_out(doc, DocxOptions())
    pages = page_texts(pdf)
    toc = pages[1]
    for mark, text in toc_targets(doc):
        title = text.split(" ", 1)[1] if mark != "_Toc_execution" else text
        if text.startswith("Schedule"):
            title = text.split(" ", 2)[2]
        m = re.search(re.escape(title) + r" ?\.{3,} ?(\d+)", toc)
        assert m, f"no page number for {text!r}"
        page = int(m.group(1))
        heading = text.replace(" ", "").casefold()
        assert heading in pages[page - 1].replace(" ", "").casefold(), (text, page)
