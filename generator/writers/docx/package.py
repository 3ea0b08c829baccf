"""Package-level parts: settings, core and app properties, custom properties, fixed zip bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from ...portable import source_date_epoch
from . import ooxml as x

WORD_URI = "http://schemas.microsoft.com/office/word"
EP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def source_date(deal: dict[str, Any]) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the deal's effective date: never the wall clock."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    return dt.datetime.combine(dt.date.fromisoformat(str(deal["effective_date"])), dt.time())


def creation_date() -> dt.datetime | None:
    """The creation date Word shows: SOURCE_DATE_EPOCH when the build sets one, else none.

    The effective date is often months ahead; a file "created" in the future is a lie, and
    the wall clock would break byte-identical rebuilds."""
    return source_date_epoch()


def settings(d: Any, update_fields: bool = False, language: str = "en-GB") -> None:
    """Word 2013+ layout (no Compatibility Mode); the field-update prompt only when asked for."""
    from docx.oxml import parse_xml

    root = d.settings.element
    for old in root.findall(f"{{{x.W_NS}}}updateFields"):
        root.remove(old)
    if update_fields:
        root.insert(0, parse_xml(f'<w:updateFields {x.NSDECL} w:val="true"/>'))
    compat = root.find(f"{{{x.W_NS}}}compat")
    if compat is None:
        compat = parse_xml(f"<w:compat {x.NSDECL}/>")
        # CT_Settings orders its children: compat comes before docVars, rsids and mathPr.
        later = [e for e in root if e.tag.rsplit("}", 1)[-1] in ("docVars", "rsids", "mathPr")]
        if later:
            later[0].addprevious(compat)
        else:
            root.append(compat)
    for old in compat.findall(f"{{{x.W_NS}}}useFELayout"):
        compat.remove(old)  # East Asian layout rules: not for an English contract
    mode = [
        c
        for c in compat.findall(f"{{{x.W_NS}}}compatSetting")
        if c.get(f"{{{x.W_NS}}}name") == "compatibilityMode"
    ]
    if not mode:
        mode = [parse_xml(f'<w:compatSetting {x.NSDECL} w:name="compatibilityMode"/>')]
        compat.append(mode[0])
    mode[0].set(f"{{{x.W_NS}}}uri", WORD_URI)
    mode[0].set(f"{{{x.W_NS}}}val", "15")
    for lang in root.findall(f"{{{x.W_NS}}}themeFontLang"):
        lang.set(f"{{{x.W_NS}}}val", language)
        lang.attrib.pop(f"{{{x.W_NS}}}eastAsia", None)


def core_properties(d: Any, title: str, subject: str, keywords: str, category: str) -> None:
    """Title and subject; a creation date only when known, and never a print date."""
    cp = d.core_properties
    cp.title = title
    cp.subject = subject
    cp.author = "Clausebook"
    cp.last_modified_by = "Clausebook"
    cp.revision = 1
    cp.keywords = keywords
    cp.comments = ""
    cp.category = category
    el = cp._element
    for tag in ("created", "modified", "lastPrinted"):
        for old in el.findall(f"{{*}}{tag}"):
            el.remove(old)
    when = creation_date()
    if when is not None:
        cp.created = when
        cp.modified = when


def app_xml(d: Any) -> None:
    """Honest extended properties: made by Clausebook, with no page or word counts from a
    template that describe some other document."""
    package = d.part.package
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Properties xmlns="{EP_NS}"><Application>Clausebook</Application>'
                "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
                "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
                "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
            ).encode()


def custom_properties(d: Any, props: tuple[tuple[str, str], ...]) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = d.part.package
    for rid in [k for k, rel in package.rels.items() if rel.reltype == RT.CUSTOM_PROPERTIES]:
        del package.rels[rid]
    blob = x.custom_properties_xml(props).encode("utf-8")
    ct = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    part = Part(PackURI("/docProps/custom.xml"), ct, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


MANIFEST_NS = "urn:clausebook:manifest"  # generator/intake/wordfile.py reads it back
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def manifest_item(manifest: bytes) -> bytes:
    """The custom XML item that holds the draft's manifest."""
    text = manifest.decode("utf-8")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<manifest xmlns="{MANIFEST_NS}">{x.escape(text)}</manifest>'
    ).encode()


def manifest_part(d: Any, manifest: bytes, deal_id: str) -> str:
    """The draft's manifest as a custom XML part (with its item properties), as Word keeps
    data bound to a document; JSON inside one element, so no schema is needed to read it.
    Returns the item's member name."""
    import uuid

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import Part

    package = d.part.package
    item = manifest_item(manifest)
    # A fixed id per deal: identical inputs keep giving identical bytes.
    guid = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, MANIFEST_NS + ":" + deal_id)).upper() + "}"
    props = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<ds:datastoreItem ds:itemID="{guid}" xmlns:ds="{_DS}"><ds:schemaRefs>'
        f'<ds:schemaRef ds:uri="{MANIFEST_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()
    item_part = Part(
        package.next_partname("/customXml/item%d.xml"), "application/xml", item, package
    )
    ct = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
    props_part = Part(package.next_partname("/customXml/itemProps%d.xml"), ct, props, package)
    item_part.relate_to(props_part, RT.CUSTOM_XML_PROPS)
    d.part.relate_to(item_part, RT.CUSTOM_XML)
    return str(item_part.partname.membername)


def repack(data: bytes, when: dt.datetime) -> bytes:
    """Same parts, fixed timestamps and order: identical inputs give identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    return zip_members([(name, src.read(name)) for name in src.namelist()], when)


def package_bytes(d: Any, when: dt.datetime) -> bytes:
    """`repack(d.save())` without the first zip: python-docx serialises every part as its save
    would, and they are deflated once, not deflated, inflated and deflated again."""
    return zip_members(package_members(d), when)


def package_members(d: Any) -> list[tuple[str, bytes]]:
    """Each part's member name and bytes, as python-docx's save would write them."""
    from docx.opc.pkgwriter import PackageWriter

    package = d.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    members: list[tuple[str, bytes]] = []

    class _Sink:  # stands in for python-docx's zip writer: keeps each member's bytes
        def write(self, uri: Any, blob: bytes) -> None:
            members.append((uri.membername, blob))

    # The writer's own steps, in its order (tests/test_identical_outputs.py holds the bytes
    # to d.save() + repack()); Any: they are untyped and expect python-docx's zip writer.
    pw: Any = PackageWriter
    sink = _Sink()
    pw._write_content_types_stream(sink, parts)
    pw._write_pkg_rels(sink, package.rels)
    pw._write_parts(sink, parts)
    return members


def zip_members(members: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    # A zip stores years 1980-2107 only; an effective date outside them must not crash.
    year = min(max(when.year, 1980), 2107)
    stamp = (year, when.month, when.day, when.hour, when.minute, when.second)
    # [Content_Types].xml first (Word and LibreOffice expect it), then the rest sorted.
    ct = "[Content_Types].xml"
    order = [m for m in members if m[0] == ct] + sorted(
        (m for m in members if m[0] != ct), key=lambda m: m[0]
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    return out.getvalue()
