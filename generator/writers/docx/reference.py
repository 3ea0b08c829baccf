"""The house style: a reference .docx whose styles every draft uses (as pandoc does)."""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...errors import usage
from .ooxml import W_NS

MAX_ENTRIES = 1000
MAX_UNCOMPRESSED = 50 * 1024 * 1024


@lru_cache(maxsize=1)
def default_reference() -> bytes:
    """The default house style; built once per Clausebook version and kept in the user cache."""
    from ... import __version__, cache

    key = f"{__version__}-3"
    hit = cache.load("reference", key)
    if isinstance(hit, bytes):
        return hit
    data = _build_default_reference()
    cache.store("reference", key, data)
    return data


HOUSE_FONT = "Arial"
HEADINGS = (("Heading 1", 11, 18), ("Heading 2", 10, 10), ("Title", 20, 0))


def _build_default_reference() -> bytes:
    """python-docx's template restyled for contracts: A4, one house font, black headings."""
    import docx
    from docx.enum.text import WD_LINE_SPACING
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.shared import Pt

    d = docx.Document()
    styles = d.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10)
    pf = normal.paragraph_format
    pf.space_after = Pt(6)
    pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    pf.line_spacing = 1.15
    pf.widow_control = True
    one_font(d, HOUSE_FONT)
    for name, size, before in HEADINGS:
        st = styles[name]
        st.font.size = Pt(size)
        st.font.bold = True
        st.paragraph_format.space_before = Pt(before)
        st.paragraph_format.space_after = Pt(6)
        st.paragraph_format.keep_with_next = True
    styles["Heading 1"].font.all_caps = True
    for level in range(3, 10):
        styles[f"Heading {level}"].font.size = Pt(10)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8)
    _toc_styles(d)
    from .tables import ensure_table_style

    ensure_table_style(d)
    # Word 2010's duplicate style part (430 KB) and the thumbnail add bytes and time, not style.
    rels = d.part.rels
    for rid in [k for k, r in rels.items() if r.reltype.endswith("/stylesWithEffects")]:
        del rels[rid]
    pkg = d.part.package.rels
    for rid in [k for k, r in pkg.items() if r.reltype == RT.THUMBNAIL]:
        del pkg[rid]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def one_font(d: Any, font: str) -> None:
    """Every style in ``font``: no theme font, colour or rule left to override the house font.

    Theme font attributes (w:asciiTheme) win over w:ascii in Word, so the template's headings
    showed Calibri over an Arial body. The font is set once, in the document defaults and
    Normal; every other style inherits it and can still be restyled in the reference."""
    from lxml import etree

    w = f"{{{W_NS}}}"
    root = d.styles.element
    for rpr in root.iter(f"{w}rPr"):
        for fonts in rpr.findall(f"{w}rFonts"):
            rpr.remove(fonts)
        for colour in rpr.findall(f"{w}color"):
            colour.attrib.clear()
            colour.set(f"{w}val", "000000")
    for border in list(root.iter(f"{w}pBdr")):
        border.getparent().remove(border)  # the Title's blue rule
    defaults = root.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr")
    for rpr in (defaults, d.styles["Normal"].element.get_or_add_rPr()):
        if rpr is None:
            continue
        fonts = etree.SubElement(rpr, f"{w}rFonts")
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(f"{w}{attr}", font)
        rpr.remove(fonts)
        rpr.insert(0, fonts)  # rFonts comes first in CT_RPr
    _theme_fonts(d, font)


def _theme_fonts(d: Any, font: str) -> None:
    """The theme's major and minor Latin fonts as the house font too (pandoc output uses them)."""
    import re

    for part in d.part.package.iter_parts():
        if str(part.partname).startswith("/word/theme/"):
            blob = part.blob.decode("utf-8")
            blob = re.sub(r'<a:latin typeface="[^"]*"', f'<a:latin typeface="{font}"', blob)
            part._blob = blob.encode("utf-8")


def _toc_styles(d: Any) -> None:
    """TOC 1 and TOC 2 paragraph styles, so the contents restyle from the reference too."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, Twips

    for level, indent in ((1, 0), (2, 720)):
        st = d.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        st.element.set(f"{{{W_NS}}}styleId", f"TOC{level}")
        st.base_style = d.styles["Normal"]
        st.next_paragraph_style = d.styles["Normal"]
        st.paragraph_format.space_after = Pt(3)
        st.paragraph_format.left_indent = Twips(indent + 1440)
        st.paragraph_format.first_line_indent = Twips(-1440)
        st.font.bold = level == 1 or None
    heading = d.styles["TOC Heading"]
    heading.base_style = d.styles["Heading 1"]
    heading.font.all_caps = True


def read_reference(path: Path) -> bytes:
    """A user's reference .docx, refused unless it is a plain, small Word package."""
    return read_word_package(path, "reference-docx", "reference document")


def read_word_package(path: Path, rule: str, noun: str) -> bytes:
    """A Word file from outside (a reference, a returned draft), refused unless it is a plain,
    small, well-formed Word package: no zip bomb, no DTD (XXE), no encryption."""
    display = str(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise usage(display, rule, f"{noun} is not a regular file")
        if st.st_size > MAX_UNCOMPRESSED:
            raise usage(
                display, rule, f"{noun} is {st.st_size} bytes; the limit is {MAX_UNCOMPRESSED}"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise usage(display, rule, f"cannot read {noun}: {exc.strerror}") from None
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file: encrypted or Word 97
        raise usage(
            display,
            rule,
            f"{noun} is password-protected or in the old .doc format; save it as an "
            "unprotected .docx",
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise usage(display, rule, f"{noun} is not a .docx (not a zip file)") from None
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise usage(display, rule, f"{noun} is too large when unpacked (zip bomb?)")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise usage(display, rule, f"{noun} is not a Word .docx (no word/document.xml)")
    for i in infos:
        if i.filename.endswith((".xml", ".rels")):
            problem = _part_problem(zf, i)
            if problem:
                raise usage(display, rule, f"{noun} part {problem}")
    try:
        import docx

        docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many types for a broken package
        raise usage(display, rule, f"{noun} cannot be opened as a Word document") from None
    return data


def _part_problem(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Why one XML part is refused: damaged, not XML, or declaring a DTD (an XXE attempt)."""
    from lxml import etree

    try:
        raw = zf.read(info)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError) as exc:
        return f"{info.filename} cannot be unpacked ({exc}); refused"
    except zlib.error:
        return f"{info.filename} cannot be unpacked (damaged data); refused"
    # Parse without ever loading a DTD or resolving an entity, whatever the encoding, and
    # refuse any DTD at all: OOXML never uses one.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.fromstring(raw, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        return f"{info.filename} is not well-formed XML ({exc.msg}); refused"
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return f"{info.filename} declares a DTD; refused"
    return None
