"""DocxOptions.literal: every number printed as text, so it reads as the numbered draft does
(a conformed copy with 5.5A is tested in tests/lifecycle/test_amend.py)."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.oxml.ns import qn

from generator.model import Para
from generator.writers.docx import DocxOptions, render_docx
from tests.helpers import REPO, document_for


def _paragraphs(data: bytes) -> list[tuple[str, str]]:
    d = docx.Document(io.BytesIO(data))
    out = []
    for el in d.element.body.iter(qn("w:p")):
        style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        text = "".join(
            "\t" if e.tag == qn("w:tab") else e.text or "" for e in el.iter(qn("w:t"), qn("w:tab"))
        )
        out.append((style.get(qn("w:val")) if style is not None else "", text))
    return out


def test_literal_numbers_are_the_models_and_word_numbering_is_off() -> None:
    doc = document_for(REPO, "claims-hipaa-transaction.yaml")
    data = render_docx(doc, options=DocxOptions(literal=True))
    paras = _paragraphs(data)
    heads = [t.split("\t")[0] for s, t in paras if s == "Heading2"]
    assert heads == [c.number for a in doc.articles for c in a.clauses]
    arts = [t.split("\t")[0] for s, t in paras if s == "Heading1" and "\t" in t]
    assert arts == [f"{a.number}." for a in doc.articles]
    schedules = [
        t.split("\n")[0] for s, t in paras if t.startswith("Schedule ") and s == "Heading1"
    ]
    assert len(schedules) == len(doc.schedules)
    labels = [
        b.label
        for a in doc.articles
        for c in a.clauses
        for b in c.blocks
        if isinstance(b, Para) and b.list_level and not b.bullet
    ]
    printed = [t.split("\t")[0] for _, t in paras if re.match(r"\([a-zA-Z]+\)\t", t)]
    assert labels and printed[: len(labels)] == labels  # (a), (b), (i) … as text, in order
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    ids = set(re.findall(r'<w:numId w:val="(\d+)"/>', xml))
    assert ids <= {"0", "3"}  # no list numbering but bullets (3)


def test_without_the_option_word_numbers_the_headings() -> None:
    doc = document_for(REPO, "claims-hipaa-transaction.yaml")
    paras = _paragraphs(render_docx(doc))
    heads = [t for s, t in paras if s == "Heading2"]
    assert heads and not any("\t" in t for t in heads)  # the number is Word's, not text
