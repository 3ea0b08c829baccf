"""The part of a reference .docx a house style needs, and nothing else.

A ``styles/reference.docx`` arrives in a pull request and is copied into every contract, so it
is hostile input: it may link the document to a template on a UNC share (``attachedTemplate``,
which Word fetches on opening, leaking the reader's credentials), carry a macro project
(``vbaProject.bin``), a mail-merge data source, custom XML, or a main part that is not a Word
document at all. This module rebuilds the package from an allow-list: the parts that carry style
(styles, numbering, theme, fonts, settings, web settings, headers and footers with their images),
every relationship that points outside the package dropped, settings that reach outside
removed, and the content types rewritten to a plain ``.docx``. What cannot be read is refused
with the reason. (writers/docx/reference.py has already refused zip bombs, DTDs and broken
packages.)
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from ..errors import usage

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

# Relationship types (their last path segment) a house style may keep, from the main part and
# from the parts it keeps.
_KEPT_TYPES = frozenset(
    {
        "styles",
        "stylesWithEffects",
        "numbering",
        "theme",
        "fontTable",
        "settings",
        "webSettings",
        "header",
        "footer",
        "font",  # an embedded font, from fontTable.xml
        "image",  # a logo in a header
        "core-properties",
        "extended-properties",
        "officeDocument",
    }
)
# Settings that name something outside the document or run something when it opens.
_DROPPED_SETTINGS = ("attachedTemplate", "mailMerge", "linkStyles", "documentProtection")


def clean_reference(data: bytes, display: str) -> bytes:
    """``data`` rebuilt from the allow-list; a UsageError saying why if it cannot be."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    parts = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    main = _main_part(parts, display)
    root = _xml(parts[main], main, display)
    if root.tag != f"{{{W}}}document" or root.find(f"{{{W}}}body") is None:
        raise usage(
            display,
            "reference-docx",
            f"reference document's main part {main} is not a Word document "
            f"(its root is {etree.QName(root).localname}, not w:document with a w:body); refused",
        )
    kept: dict[str, bytes] = {}
    queue = ["", main]  # "" is the package itself (_rels/.rels)
    while queue:
        source = queue.pop()
        if source in kept:
            continue
        if source:
            kept[source] = parts[source]
        rels_name = _rels_name(source)
        if rels_name not in parts:
            continue
        rels, targets = _clean_rels(parts[rels_name], source, parts, rels_name, display)
        kept[rels_name] = rels
        queue.extend(t for t in targets if t not in kept)
    settings = next((n for n in kept if n.endswith("/settings.xml")), None)
    if settings is not None:
        kept[settings] = _clean_settings(kept[settings], settings, display)
    kept["[Content_Types].xml"] = _content_types(parts, kept, main, display)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ["[Content_Types].xml", *sorted(n for n in kept if n != "[Content_Types].xml")]:
            z.writestr(name, kept[name])
    return out.getvalue()


def _dump(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _xml(raw: bytes, name: str, display: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise usage(
            display, "reference-docx", f"reference document part {name} is not XML ({exc.msg})"
        ) from None


def _main_part(parts: dict[str, bytes], display: str) -> str:
    if "_rels/.rels" not in parts:
        raise usage(display, "reference-docx", "reference document has no _rels/.rels; refused")
    for rel in _xml(parts["_rels/.rels"], "_rels/.rels", display):
        if rel.get("Type") == OFFICE_DOC and rel.get("TargetMode") != "External":
            target = str(posixpath.normpath(rel.get("Target", "").lstrip("/")))
            if target in parts:
                return target
    raise usage(display, "reference-docx", "reference document names no main document part")


def _rels_name(source: str) -> str:
    folder, name = posixpath.split(source)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _clean_rels(
    raw: bytes, source: str, parts: dict[str, bytes], name: str, display: str
) -> tuple[bytes, list[str]]:
    """The relationships of ``source`` that stay, and the parts they lead to."""
    root = _xml(raw, name, display)
    targets: list[str] = []
    for rel in list(root):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or kind not in _KEPT_TYPES:
            root.remove(rel)
            continue
        base = posixpath.dirname(source)
        resolved = posixpath.normpath(
            target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        )
        if resolved not in parts or resolved.startswith(".."):
            root.remove(rel)
            continue
        targets.append(resolved)
    return _dump(root), targets


def _clean_settings(raw: bytes, name: str, display: str) -> bytes:
    root = _xml(raw, name, display)
    for local in _DROPPED_SETTINGS:
        for el in root.findall(f"{{{W}}}{local}"):
            root.remove(el)
    return _dump(root)


def _content_types(
    parts: dict[str, bytes], kept: dict[str, bytes], main: str, display: str
) -> bytes:
    if "[Content_Types].xml" not in parts:
        raise usage(display, "reference-docx", "reference document has no [Content_Types].xml")
    root = _xml(parts["[Content_Types].xml"], "[Content_Types].xml", display)
    extensions = {posixpath.splitext(n)[1].lstrip(".").lower() for n in kept}
    for el in list(root):
        local = etree.QName(el).localname
        if local == "Override":
            part = el.get("PartName", "").lstrip("/")
            if part not in kept:
                root.remove(el)
            elif part == main:
                el.set("ContentType", MAIN_TYPE)  # a macro-enabled or template main part
        elif local == "Default" and el.get("Extension", "").lower() not in extensions | {
            "rels",
            "xml",
        }:
            root.remove(el)
    return _dump(root)
