"""Clause text and deal data must land in the .docx as text, never as a field or markup; a
reference .docx from a user or a pull request is refused unless it is a small, plain package."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from .support import UNLOADED_SERVICES, at, cli, refused, set_clause_text, validate

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DDE = '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" }'
INCLUDE = '{ INCLUDETEXT "file:///etc/passwd" }'
RAW = '<w:fldSimple w:instr="INCLUDETEXT x"/><w:p><w:r><w:instrText>DDE</w:instrText></w:r></w:p>'
# The only fields the writer itself makes: cross-references, the contents and page numbers.
OUR_FIELDS = ("REF _Ref_", "TOC ", "PAGE", "NUMPAGES")


def xml_parts(docx: bytes) -> dict[str, etree._Element]:
    z = zipfile.ZipFile(io.BytesIO(docx))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return {
        n: etree.fromstring(z.read(n), parser)
        for n in z.namelist()
        if n.endswith((".xml", ".rels"))
    }


def test_field_codes_and_raw_xml_in_clause_and_deal_stay_literal_text(
    minilib: Path, tmp_path: Path
) -> None:
    set_clause_text(minilib, f"Start {DDE} and {INCLUDE} and {RAW} end.")
    deal = minilib / "deals/small.yaml"
    deal.write_text(
        deal.read_text().replace(
            "name: Acme Retail plc", "name: 'Acme <w:fldSimple w:instr=\"DDEAUTO x\"/> plc'"
        )
    )
    out = tmp_path / "out"
    outcome = cli("draft", "--library", minilib, "-o", out, deal)
    assert outcome.code == 0, outcome.output
    parts = xml_parts((out / "small.docx").read_bytes())
    for name, root in parts.items():
        assert not list(root.iter(f"{W}fldSimple")), name
        for instr in root.iter(f"{W}instrText"):
            assert (instr.text or "").strip().startswith(OUR_FIELDS), (name, instr.text)
    text = "".join(t.text or "" for t in parts["word/document.xml"].iter(f"{W}t"))
    text = text.replace("\u201c", '"').replace("\u201d", '"')  # visible text is typographic
    assert 'DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc"' in text
    assert 'INCLUDETEXT "file:///etc/passwd"' in text
    assert '<w:fldSimple w:instr="INCLUDETEXT x"/>' in text
    assert "Acme <w:fldSimple" in text
    md = (out / "small.md").read_text("utf-8")
    assert "\\<w:fldSimple" in md  # escaped, so no Markdown renderer makes it markup either


def test_xml_invalid_control_character_in_clause_text_is_refused(minilib: Path) -> None:
    # A vertical tab pasted from Word: lxml would refuse it while saving, or the file be corrupt.
    path = minilib / "clauses/core/services.yaml"
    path.write_text(path.read_text().replace("summary: The Services.", 'summary: "Party\\vA"'))
    refused(
        validate(minilib),
        *UNLOADED_SERVICES[:1],
        at(
            7,
            "invalid-character",
            "text contains a control character that Word files cannot hold (U+000B)",
            col=16,
        ),
        *UNLOADED_SERVICES[1:],
    )


def test_nul_in_a_party_name_is_refused(minilib: Path) -> None:
    deal = minilib / "deals/nul-name.yaml"
    deal.write_text(
        (minilib / "deals/small.yaml")
        .read_text()
        .replace("name: Acme Retail plc", 'name: "Acme\\0 Retail plc"')
    )
    refused(
        validate(minilib, deal),
        "deals/nul-name.yaml:3:23: error[invalid-character]: "
        "text contains a control character that Word files cannot hold (U+0000)",
    )


def reference(tmp_path: Path, parts: dict[str, bytes | str]) -> Path:
    path = tmp_path / "reference.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def draft_with(minilib: Path, tmp_path: Path, ref: Path) -> tuple[str, list[str], int]:
    out = tmp_path / "out"
    outcome = cli(
        "draft",
        "--library",
        minilib,
        "-o",
        out,
        "--reference-docx",
        ref,
        minilib / "deals/small.yaml",
    )
    assert not out.exists() or not list(out.iterdir())  # refused before anything is written
    return str(ref), outcome.problems, outcome.code


def test_reference_docx_zip_bomb_is_refused(minilib: Path, tmp_path: Path) -> None:
    ref = reference(
        tmp_path,
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<d/>",
            "word/zeros.bin": b"\0" * (60 * 2**20),  # 60 MB unpacked, 60 kB packed
        },
    )
    where, problems, code = draft_with(minilib, tmp_path, ref)
    assert code == 2
    assert problems == [
        f"{where}:1:1: error[reference-docx]: reference document is too large when unpacked (zip bomb?)"
    ]


def test_reference_docx_with_an_external_entity_is_refused(minilib: Path, tmp_path: Path) -> None:
    xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    ref = reference(
        tmp_path,
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<d/>", "word/styles.xml": xxe},
    )
    where, problems, code = draft_with(minilib, tmp_path, ref)
    assert (code, problems) == (
        2,
        [
            f"{where}:1:1: error[reference-docx]: reference document part word/styles.xml "
            "declares a DTD; refused"
        ],
    )


def test_reference_docx_entity_hidden_in_utf16_is_refused(minilib: Path, tmp_path: Path) -> None:
    xxe = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'
    ref = reference(
        tmp_path,
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<d/>",
            "word/styles.xml": xxe.encode("utf-16"),  # b"<!DOCTYPE" is not in these bytes
        },
    )
    where, problems, code = draft_with(minilib, tmp_path, ref)
    assert (code, problems) == (
        2,
        [
            f"{where}:1:1: error[reference-docx]: reference document part word/styles.xml "
            "declares a DTD; refused"
        ],
    )


def test_reference_that_is_not_a_docx_is_refused(minilib: Path, tmp_path: Path) -> None:
    ref = tmp_path / "reference.docx"
    ref.write_bytes(b"%PDF-1.7\n")
    where, problems, code = draft_with(minilib, tmp_path, ref)
    assert (code, problems) == (
        2,
        [f"{where}:1:1: error[reference-docx]: reference document is not a .docx (not a zip file)"],
    )


def test_reference_docx_with_broken_xml_is_refused(minilib: Path, tmp_path: Path) -> None:
    ref = reference(
        tmp_path, {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document><unclosed>"}
    )
    where, problems, code = draft_with(minilib, tmp_path, ref)
    assert code == 2
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{where}:1:1: error[reference-docx]: reference document part word/document.xml "
        "is not well-formed XML ("
    )


def test_zip_that_is_not_a_word_package_is_refused(minilib: Path, tmp_path: Path) -> None:
    # Every part is plain XML, but python-docx cannot open it: refused, not an internal error.
    ref = reference(tmp_path, {"[Content_Types].xml": "<Types/>", "word/document.xml": "<d/>"})
    where, problems, code = draft_with(minilib, tmp_path, ref)
    assert (code, problems) == (
        2,
        [
            f"{where}:1:1: error[reference-docx]: reference document cannot be opened as a "
            "Word document"
        ],
    )
