"""Render checks on PDF pages laid out by LibreOffice: what a reader of the printed draft sees.

Every comparison is on whitespace-normalised page text (``page_texts``), so nothing depends on
which fonts are installed or where a line wraps."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from generator.writers.pdf import page_texts
from tests.helpers import soffice_or_skip


def to_pdfs(files: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """Convert every .docx in one LibreOffice run (private profile): name -> PDF bytes."""
    soffice = soffice_or_skip()
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *[str(folder / n) for n in files],
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {n: (folder / n).with_suffix(".pdf").read_bytes() for n in files}


def furniture_only_pages(pages: list[str], furniture: list[str]) -> list[int]:
    """Pages (1-based) with nothing on them but header and footer text: blank pages."""
    out = []
    for i, text in enumerate(pages, start=1):
        rest = re.sub(r"Page \d+ of \d+", "", text)
        for f in furniture:
            rest = rest.replace(f, "")
        if not rest.strip(" \u00b7"):
            out.append(i)
    return out


def split_blocks(pages: list[str], start: str, end: str) -> list[str]:
    """Signature blocks (from ``start`` to the ``end`` that closes them) broken by a page end."""
    joined = "\f".join(pages)
    return [
        m.group(0)[:60]
        for m in re.finditer(rf"{start}.*?{end}", joined, re.S)
        if "\f" in m.group(0)
    ]


def pages_without_footer(pages: list[str]) -> list[int]:
    """Pages after the cover whose text has no 'Page X of Y'."""
    return [
        i for i, t in enumerate(pages, start=1) if i > 1 and not re.search(r"Page \d+ of \d+", t)
    ]


def font_families(pdf: bytes) -> set[str]:
    """Font families used on the pages: subset prefix and style suffix removed."""
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            base = re.sub(r"^/?([A-Z]{6}\+)?", "", base)
            names.add(re.split(r"[-,]", base)[0])
    return names


def page_size(pdf: bytes) -> tuple[int, int]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


__all__ = [
    "font_families",
    "furniture_only_pages",
    "page_size",
    "page_texts",
    "pages_without_footer",
    "split_blocks",
    "to_pdfs",
]
