"""`clausebook amend --to-maturity`: a signed level-2 sample deal moved to level 3.

Every expectation is derived from two fresh drafts of the same deal (level 2 and level 3), never
from clause wording, so the clause library can be rewritten without touching these tests.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.lifecycle.amend import Amendment, make_amendment
from generator.lifecycle.amendment import Purpose
from generator.lifecycle.blocks import plain
from generator.lifecycle.conformed import is_deleted
from generator.lifecycle.lock import Signed, lock_path, read_lock
from generator.lifecycle.sign import sign_deal
from generator.model import Document, Library, Para, RenderedClause
from generator.pipeline.build import make_draft, open_library
from generator.writers.docx.writer import bookmark_name
from tests.conftest import REPO

SAMPLE = REPO / "deals" / "claims-hipaa-transaction.yaml"


def clauses(doc: Document) -> list[RenderedClause]:
    return [c for a in doc.articles for c in a.clauses] + list(doc.schedules)


def body(c: RenderedClause) -> str:
    """A clause's words, numbering aside; the definitions clause without its definitions."""
    blocks = tuple(b for b in c.blocks if not (isinstance(b, Para) and b.label == "definition"))
    return c.title + "\n" + plain(blocks)


@dataclass(frozen=True)
class Case:
    lib: Library
    level2: Document
    level3: Document
    signed: Signed
    made: Amendment
    files: dict[str, bytes]


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    tmp = tmp_path_factory.mktemp("amend")
    deal2 = tmp / "claims.yaml"
    shutil.copy(SAMPLE, deal2)
    text = deal2.read_text()
    assert re.search(r"^maturity: 2$", text, re.M), "the sample deal is no longer at level 2"
    deal3 = tmp / "claims3.yaml"
    deal3.write_text(re.sub(r"^maturity: 2$", "maturity: 3", text, flags=re.M))
    lib = open_library(REPO)
    level2 = make_draft(lib, deal2, []).document
    level3 = make_draft(lib, deal3, []).document
    sign_deal(lib, deal2, dt.date(2027, 1, 10), force=False)
    signed = read_lock(lock_path(deal2))
    made = make_amendment(
        lib, deal2, signed, Purpose(to_maturity=3), dt.date(2028, 1, 15), ["md", "docx"]
    )
    return Case(lib, level2, level3, signed, made, made.draft.files)


def expected_changes(case: Case) -> dict[str, str]:
    """clause id -> inserted / deleted / replaced, from the diff of the two full drafts."""
    old = {c.id: c for c in clauses(case.level2)}
    new = {c.id: c for c in clauses(case.level3)}
    out = {cid: "inserted" for cid in new if cid not in old}
    out.update({cid: "deleted" for cid in old if cid not in new})
    out.update({cid: "replaced" for cid in new if cid in old and body(old[cid]) != body(new[cid])})
    return out


def test_level_3_brings_gain_sharing_innovation_and_adaptive_governance(case: Case) -> None:
    # The seeds' maturity journey: the sample deal at level 3 must differ from level 2 at all.
    found = expected_changes(case)
    assert {"gain-sharing", "innovation-fund"} <= {c for c, k in found.items() if k == "inserted"}
    assert found.get("governance-structure") == "replaced"


def test_amendment_touches_exactly_the_clauses_the_two_drafts_differ_in(case: Case) -> None:
    touched = {(c.new or c.old).id: c.kind for c in case.made.changes}  # type: ignore[union-attr]
    assert touched == expected_changes(case)


def test_amendment_inserts_exactly_the_definitions_level_3_adds(case: Case) -> None:
    old = dict(case.level2.definitions)
    added = [t for t, _ in case.level3.definitions if t not in old]
    assert added
    md = case.files["claims-amendment.md"].decode()
    for term in added:
        assert f"**\u201c{term}\u201d** means" in md
    for term, runs in case.level2.definitions:
        if dict(case.level3.definitions).get(term) == runs:
            assert f"**\u201c{term}\u201d** means" not in md  # unchanged: never repeated


def test_each_instruction_keeps_the_signed_numbering(case: Case) -> None:
    md = case.files["claims-amendment.md"].decode()
    signed_numbers = {c.id: c.number for c in case.signed.clauses.values()}
    for ch in case.made.changes:
        c = ch.new or ch.old
        assert c is not None
        word = "Schedule" if c.kind == "schedule" else "Clause"
        if ch.kind == "replaced":
            assert c.number == signed_numbers[c.id]
            assert f"{word} {c.number} ({ch.old.title}) is deleted and replaced" in md  # type: ignore[union-attr]
        elif ch.kind == "inserted":
            assert c.id not in signed_numbers
            assert re.fullmatch(r"\d+[A-Z]*(\.\d+[A-Z]*)?", c.number)
            assert c.number not in signed_numbers.values()
            assert re.search(r"[A-Z]", c.number), f"{c.id} got {c.number}: inserted, no suffix"
    # An unchanged clause is never the subject of an instruction.
    unchanged = set(signed_numbers) - {(c.new or c.old).id for c in case.made.changes}  # type: ignore[union-attr]
    for cid in unchanged:
        c = case.signed.clauses[cid]
        word = "Schedule" if c.kind == "schedule" else "Clause"
        assert f"{word} {c.number} ({c.rendered.title}) is deleted" not in md


def test_inserted_article_and_clause_follow_their_neighbours(case: Case) -> None:
    md = case.files["claims-amendment.md"].decode()
    inserted = [c.new for c in case.made.changes if c.kind == "inserted" and c.new]
    assert inserted
    for c in inserted:
        if c.kind == "schedule":
            continue
        art = c.number.split(".")[0]
        if re.search(r"[A-Z]$", art):  # a new article: one instruction for the whole article
            assert re.search(rf"The following Clause {art} is inserted after Clause \d+[A-Z]*:", md)
        else:
            assert re.search(
                rf"The following Clause {re.escape(c.number)} is inserted after Clause [\d.A-Z]+:",
                md,
            )


def test_conformed_copy_is_the_fresh_level_3_draft_in_signed_numbering(case: Case) -> None:
    conformed = [c for c in clauses(case.made.conformed) if not is_deleted(c)]
    fresh = clauses(case.level3)
    assert [c.id for c in conformed] == [c.id for c in fresh]
    signed_numbers = {c.id: c.number for c in case.signed.clauses.values()}
    for a, b in zip(conformed, fresh, strict=True):
        assert body(a) == body(b), a.id
        assert a.blocks and len(a.blocks) == len(b.blocks)
        if a.id in signed_numbers:
            assert a.number == signed_numbers[a.id]
    assert case.made.conformed.definitions == case.level3.definitions or [
        t for t, _ in case.made.conformed.definitions
    ] == [t for t, _ in case.level3.definitions]
    # Cross-references follow the signed numbering: an inserted clause is cited by its new number.
    md = case.files["claims-conformed.md"].decode()
    new = next(c.new for c in case.made.changes if c.kind == "inserted" and c.new)
    assert f"### {new.number} {new.title}" in md


def test_redline_lists_only_the_changed_clauses(case: Case) -> None:
    md = case.files["claims-redline.md"].decode()
    listed = re.findall(r"^## (?:Clause|Schedule) ([\dA-Z.]+) \u2014 (\w+)$", md, re.M)
    expected = {(c.new or c.old).number: c.kind for c in case.made.changes}  # type: ignore[union-attr]
    assert dict(listed) == expected
    assert len(listed) == len(expected_changes(case))
    assert "{+" in md  # the inserted words are marked


def _word_paragraphs(data: bytes) -> list[tuple[str, str, bool]]:
    """(style id, text, has Word list numbering) of every body paragraph, those inside a
    clause's content control too (python-docx's Document.paragraphs skips them)."""
    import io

    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    d = docx.Document(io.BytesIO(data))
    out = []
    for el in d.element.body.iter(qn("w:p")):
        p = Paragraph(el, d._body)
        num = el.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        listed = num is not None and num.get(qn("w:val")) != "0"
        # the text as it reads with every tracked change accepted (inserted runs sit in w:ins,
        # which Paragraph.text skips; deleted text is w:delText, which this skips)
        text = "".join(
            "\t" if e.tag == qn("w:tab") else e.text or "" for e in el.iter(qn("w:t"), qn("w:tab"))
        )
        out.append((p.style.style_id if p.style is not None else "", text, listed))
    return out


def test_word_conformed_copy_prints_the_signed_numbers(case: Case) -> None:
    # Word's list numbering would print 5.5A as 5.6: the conformed copy prints each number
    assert not case.made.notes
    paras = _word_paragraphs(case.files["claims-conformed.docx"])
    conformed = case.made.conformed
    articles = [t.split("\t")[0] for s, t, _ in paras if s == "Heading1" and "\t" in t]
    assert articles == [f"{a.number}." for a in conformed.articles]
    heads = [t.split("\t")[0] for s, t, _ in paras if s == "Heading2"]
    assert heads == [c.number for a in conformed.articles for c in a.clauses]
    assert "5.5A" in heads and heads[heads.index("5.5A") - 1 : heads.index("5.5A") + 2] == [
        "5.5",
        "5.5A",
        "5.6",
    ]
    numbered = {
        b.number for c in clauses(conformed) for b in c.blocks if getattr(b, "number", None)
    }
    printed = {t.split("\t")[0] for _, t, _ in paras if "\t" in t}
    assert numbered and numbered <= printed  # every sub-clause number (5.5A.1 ...) as text
    # no paragraph is left to Word's counting (bullets aside), so nothing can renumber
    listed = [t for s, t, n in paras if n and s != "ListBullet"]
    bullets = sum(1 for c in clauses(conformed) for b in c.blocks if getattr(b, "bullet", False))
    assert len(listed) == bullets


def test_word_cross_references_link_to_the_clause_they_name(case: Case) -> None:
    # A REF \\w field would print the list number, which a literal copy has not: each
    # reference is a hyperlink to the clause's bookmark, showing the signed number.
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(case.files["claims-conformed.docx"])).read("word/document.xml")
    text = xml.decode()
    assert not re.search(r"<w:instrText[^>]*> REF ", text)  # PAGEREF in the TOC is fine
    links = re.findall(
        r'<w:hyperlink w:anchor="(_Ref_[^"]+)"[^>]*>.*?<w:t[^>]*>([^<]*)</w:t>', text
    )
    marks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', text))
    assert links and {m for m, _ in links} <= marks
    inserted = next(c for c in clauses(case.made.conformed) if c.number == "5.5A")
    assert (bookmark_name(inserted.id), "5.5A") in links  # "Clause 5.5A" jumps to 5.5A


def test_word_redline_tracks_the_inserted_clause_under_its_own_number(case: Case) -> None:
    paras = _word_paragraphs(case.files["claims-redline.docx"])
    heads = [t.split("\t")[0] for s, t, _ in paras if s == "Heading2"]
    assert "5.5A" in heads
    assert case.made.redline_changes > 0
    # its cover says it is a redline of the signed agreement, not the conformed copy
    assert any(t.startswith("REDLINE \u2014 the agreement signed on") for _, t, _ in paras)
    assert not any(t.startswith("CONFORMED COPY") for _, t, _ in paras)
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(case.files["claims-redline.docx"])).read("word/document.xml")
    assert b"<w:ins " in xml


def _layout_text(pdf: bytes) -> str:
    """The PDF's text in reading order with each line kept whole (pdftotext -layout): a hanging
    number sits on its heading's line, not in a column of its own; whitespace collapsed, so
    nothing depends on fonts or where a line wraps."""
    import shutil
    import subprocess

    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("poppler's pdftotext is not installed")
    done = subprocess.run(
        [tool, "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", done.stdout.decode("utf-8"))


def test_word_conformed_copy_renders_5_5a_between_its_neighbours(
    case: Case, tmp_path: Path
) -> None:
    from generator.writers.typography import smart_quotes
    from tests.render import to_pdfs

    pdf = to_pdfs({"conformed.docx": case.files["claims-conformed.docx"]}, tmp_path)
    text = _layout_text(pdf["conformed.docx"])
    art = next(
        a for a in case.made.conformed.articles if any(c.number == "5.5A" for c in a.clauses)
    )
    at = [c.number for c in art.clauses].index("5.5A")
    start = text.find("AGREED TERMS")
    seen = [
        text.find(f"{c.number} {smart_quotes(c.title)}", start)
        for c in art.clauses[at - 1 : at + 2]
    ]
    assert start > 0 and -1 not in seen and seen == sorted(seen), seen  # 5.5, 5.5A, 5.6
    assert re.search(r"5\.5A\.1 \S", text)  # the inserted clause's own sub-clauses
    assert f"{art.number}. {smart_quotes(art.title).upper()}" in text.upper()
