"""PDF through LibreOffice headless, and the text of each PDF page (for the TOC page pass).

LibreOffice runs with a throw-away profile in a temporary folder: nothing is left in the
user's home, and a LibreOffice the user has open is not disturbed."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import usage

INSTALL_HINT = (
    "LibreOffice is needed to write PDF: install the 'libreoffice-writer' package "
    "(apt-get install libreoffice-writer; on macOS: brew install --cask libreoffice)"
)
TIMEOUT = 300  # seconds for one conversion: a 90-page draft takes about 5 s


def soffice() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, name: str = "draft") -> bytes:
    """The PDF of a .docx, laid out by LibreOffice; a clear error when it is not installed."""
    exe = soffice()
    if exe is None:
        raise usage(f"{name}.pdf", "libreoffice-missing", INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="clausebook-pdf-") as tmp:
        folder = Path(tmp)
        src = folder / "in.docx"
        src.write_bytes(data)
        env = dict(os.environ, HOME=tmp)  # some builds still touch ~/.config: keep it here
        try:
            subprocess.run(
                [
                    exe,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT,
                env=env,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise usage(
                f"{name}.pdf", "libreoffice-failed", f"LibreOffice could not convert: {exc}"
            ) from None
        out = folder / "in.pdf"
        if not out.is_file():
            raise usage(f"{name}.pdf", "libreoffice-failed", "LibreOffice wrote no PDF")
        return out.read_bytes()


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed to single spaces (line wraps vary with the
    fonts installed; nothing here may depend on where a line breaks).

    poppler's pdftotext when installed (a 70-page draft in 0.3 s), else pypdf (about 5 s)."""
    tool = shutil.which("pdftotext")
    if tool:
        done = subprocess.run(
            [tool, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, timeout=TIMEOUT
        )
        if done.returncode == 0:
            pages = done.stdout.decode("utf-8", "replace").split("\f")
            if pages and not pages[-1].strip():
                pages.pop()  # pdftotext ends every page, the last one too, with a form feed
            return [re.sub(r"\s+", " ", p).strip() for p in pages]
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", p.extract_text() or "").strip() for p in reader.pages]
