"""The Word package written without python-docx when only the body changed since the last draft.

Importing python-docx, opening the reference and serialising its parts is most of what a warm
draft spends on its .docx. Every part but the body, the custom properties and the manifest
depends only on the reference, the deal and a few options, so the python-docx path's parts are
kept (a `Skeleton`) under a key naming all of those; the next draft of the same deal builds its
body, places it between the kept halves of word/document.xml and zips the parts again, with
the same names, order and stamps. lxml still parses and serialises the document part, exactly
as python-docx would (same parser settings, same serialiser call), so the bytes are the same:
tests/writers/test_direct.py holds the two paths to equal bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from ... import cache
from ...model import Document

DOCUMENT = "word/document.xml"
CUSTOM = "docProps/custom.xml"
KIND = "docx-skeleton"
LAST = "docx-last"  # the last package written from a skeleton, by the digest of its inputs
_BODY_OPEN, _BODY_CLOSE = b"<w:body>", b"</w:body>"


@dataclass(frozen=True)
class Skeleton:
    """The python-docx path's package members, in its order; the variable ones left empty."""

    members: tuple[tuple[str, bytes], ...]
    head: bytes  # word/document.xml up to and including <w:body>
    tail: bytes  # from </w:body> to the end
    refs: str  # the header and footer references every section of the body carries
    manifest: str  # the member that holds the manifest ("" when the draft has none)


def skeleton_key(
    doc: Document,
    reference: bytes,
    update_fields: bool,
    properties: tuple[tuple[str, str], ...],
    manifest: bool,
) -> str:
    """Everything a package part other than the body, custom properties and manifest may
    depend on: the reference's bytes, the whole deal, the title and banner, the options, and
    the python-docx and lxml that made the parts (the engine's code is in every cache key)."""
    from importlib.util import find_spec

    from lxml import etree

    from .package import creation_date

    spec = find_spec("docx")
    docx_init = spec.origin if spec is not None and spec.origin else ""
    with open(docx_init, "rb") as fh:  # holds python-docx's version
        docx_version = hashlib.sha256(fh.read()).hexdigest()
    parts = [
        hashlib.sha256(reference).hexdigest(),
        json.dumps(doc.deal, sort_keys=True, default=str),
        doc.title,
        repr(doc.draft_banner),
        str(creation_date()),
        repr(update_fields),
        repr([name for name, _ in properties]),
        repr(manifest),
        docx_version,
        repr(etree.LXML_VERSION),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def split(
    members: list[tuple[str, bytes]], refs: str, manifest: str, custom: bool
) -> Skeleton | None:
    """The skeleton of a package python-docx wrote; None if its document part is unusual."""
    document = dict(members)[DOCUMENT]
    start, end = document.find(_BODY_OPEN), document.rfind(_BODY_CLOSE)
    if start < 0 or end < 0 or document.count(_BODY_OPEN) != 1:
        return None
    variable = {DOCUMENT} | ({CUSTOM} if custom else set()) | ({manifest} if manifest else set())
    kept = tuple((n, b"" if n in variable else data) for n, data in members)
    head, tail = document[: start + len(_BODY_OPEN)], document[end:]
    return Skeleton(kept, head, tail, refs, manifest)


def slot(doc: Document) -> str:
    """The cache file a deal's skeleton lives in: one per deal and title, so editing a deal
    replaces its entry instead of adding one (the full key is checked inside)."""
    return hashlib.sha256(f"{doc.deal.get('id')}\0{doc.title}".encode()).hexdigest()


def load(where: str, key: str) -> Skeleton | None:
    hit = cache.load(KIND, where)
    if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == key:
        skeleton = hit[1]
        return skeleton if isinstance(skeleton, Skeleton) else None
    return None


def store(where: str, key: str, skeleton: Skeleton) -> None:
    cache.store(KIND, where, (key, skeleton))


def package(
    where: str,
    key: str,
    skeleton: Skeleton,
    body_xml: str,
    custom: bytes | None,
    manifest: bytes | None,
    zip_members: Callable[[list[tuple[str, bytes]]], bytes],
) -> bytes:
    """The package for this body, properties and manifest: the one written last time for the
    same skeleton when they are the same (an unchanged draft parses, serialises and deflates
    nothing), else made and kept in its place. The zip's date is the deal's or
    SOURCE_DATE_EPOCH, both in the skeleton's key."""
    h = hashlib.sha256()
    for part in (body_xml.encode("utf-8"), custom or b"", manifest or b""):
        h.update(hashlib.sha256(part).digest())
    digest = key + h.hexdigest()
    last = cache.load(LAST, where)
    if isinstance(last, tuple) and len(last) == 2 and last[0] == digest:
        kept: bytes = last[1]
        return kept
    data = zip_members(members(skeleton, body_xml, custom, manifest))
    cache.store(LAST, where, (digest, data))
    return data


def document_part(skeleton: Skeleton, body_xml: str) -> bytes:
    """word/document.xml with this body, parsed and serialised as python-docx does."""
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
    text = skeleton.head + body_xml.encode("utf-8") + skeleton.tail
    root = etree.fromstring(text, parser)
    return bytes(etree.tostring(root, encoding="UTF-8", standalone=True))


def members(
    skeleton: Skeleton, body_xml: str, custom: bytes | None, manifest: bytes | None
) -> list[tuple[str, bytes]]:
    """The package's members for this body, custom properties and manifest item."""
    fresh = {DOCUMENT: document_part(skeleton, body_xml)}
    if custom is not None:
        fresh[CUSTOM] = custom
    if skeleton.manifest and manifest is not None:
        fresh[skeleton.manifest] = manifest
    return [(n, fresh.get(n, data)) for n, data in skeleton.members]
