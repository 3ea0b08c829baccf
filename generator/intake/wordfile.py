"""Read a Word file back: every paragraph as sent and as returned, its tracked changes, comments
and the clause provenance Clausebook wrote into it.

A paragraph has two texts: ``before`` (what the counterparty received: deletions kept,
insertions dropped) and ``after`` (what they propose: insertions kept, deletions dropped). Word
and LibreOffice both write ``w:ins``/``w:del`` runs; Word also writes ``w:moveFrom``/``w:moveTo``
and paragraph-mark changes. Formatting changes (``w:rPrChange``, ``w:pPrChange``) never touch
either text: they are counted apart, as formatting.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
CLAUSE_TAG = (
    "clausebook:clause:"  # w:sdt tag of a clause: clausebook:clause:<id>@<version>#<variant>
)
MANIFEST_NS = "urn:clausebook:manifest"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_REF_BOOKMARK = "_Ref_"


def q(tag: str) -> str:
    prefix, _, local = tag.partition(":")
    return "{{{}}}{}".format({"w": W, "w14": W14, "w15": W15}[prefix], local)


@dataclass(frozen=True)
class Change:
    kind: str  # "insert" | "delete" | "move-from" | "move-to" | "format"
    author: str
    date: str
    text: str
    para: int  # index of the paragraph it sits in


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str
    text: str
    para: int | None  # the paragraph its range starts in
    parent: str | None  # the comment it replies to


@dataclass(frozen=True)
class WordPara:
    index: int
    before: str
    after: str
    heading: bool
    bookmark: str | None  # a "_Ref_…" bookmark Clausebook put on a clause heading
    clause_tag: str | None  # the content control's tag the paragraph sits in, if kept


@dataclass(frozen=True)
class WordFile:
    paras: tuple[WordPara, ...]
    changes: tuple[Change, ...]
    comments: tuple[Comment, ...]
    manifest: dict[str, Any] | None  # the embedded manifest, when the editor kept it


def parse_xml(data: bytes) -> Any:
    return etree.fromstring(data, _PARSER)


def _inside(el: Any, names: tuple[str, ...]) -> str | None:
    """The nearest enclosing tracked-change element among ``names`` (local names), if any."""
    p = el.getparent()
    while p is not None and p.tag != q("w:p"):
        local = str(etree.QName(p).localname)
        if local in names:
            return local
        p = p.getparent()
    return None


def _texts(p: Any) -> tuple[str, str]:
    before: list[str] = []
    after: list[str] = []
    # w:instrText (a field's code, such as REF _Ref_x \w \h) is never text: not read.
    for el in p.iter(q("w:t"), q("w:delText"), q("w:tab"), q("w:br"), q("w:noBreakHyphen")):
        local = etree.QName(el).localname
        if local == "t" or local == "delText":
            s = el.text or ""
        elif local == "noBreakHyphen":
            s = "-"
        else:
            s = " "
        kind = _inside(el, ("ins", "del", "moveFrom", "moveTo"))
        if local == "delText" or kind in ("del", "moveFrom"):
            before.append(s)
        elif kind in ("ins", "moveTo"):
            after.append(s)
        else:
            before.append(s)
            after.append(s)
    return "".join(before), "".join(after)


def _style(p: Any) -> str:
    st = p.find(f"{q('w:pPr')}/{q('w:pStyle')}")
    return str(st.get(q("w:val"))) if st is not None else ""


def _clause_tag(p: Any) -> str | None:
    anc = p.getparent()
    while anc is not None:
        if anc.tag == q("w:sdt"):
            tag = anc.find(f"{q('w:sdtPr')}/{q('w:tag')}")
            if tag is not None and str(tag.get(q("w:val"), "")).startswith(CLAUSE_TAG):
                return str(tag.get(q("w:val")))
        anc = anc.getparent()
    return None


def read_word(data: bytes) -> WordFile:
    """The paragraphs, tracked changes and comments of a .docx already checked as safe."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    body = parse_xml(zf.read("word/document.xml"))
    paras: list[WordPara] = []
    changes: list[Change] = []
    comment_para: dict[str, int] = {}
    for i, p in enumerate(body.iter(q("w:p"))):
        before, after = _texts(p)
        bm = next(
            (
                str(b.get(q("w:name")))
                for b in p.iter(q("w:bookmarkStart"))
                if str(b.get(q("w:name"), "")).startswith(_REF_BOOKMARK)
            ),
            None,
        )
        style = _style(p)
        heading = style.lower().replace(" ", "").startswith(("heading", "title"))
        paras.append(WordPara(i, before, after, heading, bm, _clause_tag(p)))
        changes.extend(_changes(p, i))
        for c in p.iter(q("w:commentRangeStart"), q("w:commentReference")):
            comment_para.setdefault(str(c.get(q("w:id"))), i)
    return WordFile(tuple(paras), tuple(changes), _comments(zf, comment_para), _manifest(zf))


_KINDS = {"ins": "insert", "del": "delete", "moveFrom": "move-from", "moveTo": "move-to"}


def _changes(p: Any, i: int) -> list[Change]:
    out: list[Change] = []
    for el in p.iter(q("w:ins"), q("w:del"), q("w:moveFrom"), q("w:moveTo")):
        if el.getparent() is not None and el.getparent().tag == q("w:rPr"):
            continue  # a paragraph mark inserted or deleted: the text change says it
        local = etree.QName(el).localname
        text = "".join(t.text or "" for t in el.iter(q("w:t"), q("w:delText")))
        if not text:
            continue  # an empty change (LibreOffice writes one next to a new comment)
        out.append(
            Change(_KINDS[local], el.get(q("w:author"), ""), el.get(q("w:date"), ""), text, i)
        )
    for el in p.iter(q("w:rPrChange"), q("w:pPrChange")):
        out.append(Change("format", el.get(q("w:author"), ""), el.get(q("w:date"), ""), "", i))
    return out


def _comments(zf: zipfile.ZipFile, where: dict[str, int]) -> tuple[Comment, ...]:
    names = set(zf.namelist())
    if "word/comments.xml" not in names:
        return ()
    root = parse_xml(zf.read("word/comments.xml"))
    # Replies (Word 2013+): commentsExtended links a comment's last paragraph id to its parent's.
    parent_of: dict[str, str] = {}
    if "word/commentsExtended.xml" in names:
        ext = parse_xml(zf.read("word/commentsExtended.xml"))
        for e in ext.iter(q("w15:commentEx")):
            if e.get(q("w15:paraIdParent")):
                parent_of[str(e.get(q("w15:paraId")))] = str(e.get(q("w15:paraIdParent")))
    para_owner: dict[str, str] = {}
    out: list[tuple[str, str, str, str, list[str]]] = []
    for c in root.iter(q("w:comment")):
        cid = str(c.get(q("w:id")))
        ids = [str(p.get(q("w14:paraId"))) for p in c.iter(q("w:p")) if p.get(q("w14:paraId"))]
        for pid in ids:
            para_owner[pid] = cid
        text = "\n".join(
            "".join(t.text or "" for t in p.iter(q("w:t"))) for p in c.iter(q("w:p"))
        ).strip()
        out.append((cid, c.get(q("w:author"), ""), c.get(q("w:date"), ""), text, ids))
    comments = []
    for cid, author, date, text, ids in out:
        parent_para = parent_of.get(ids[-1]) if ids else None
        parent = para_owner.get(parent_para) if parent_para else None
        comments.append(Comment(cid, author, _date(date), text, where.get(cid), parent))
    return tuple(comments)


def _date(value: str) -> str:
    return "" if value.startswith("0-") else value  # LibreOffice writes 0-00-00 for "no date"


def _manifest(zf: zipfile.ZipFile) -> dict[str, Any] | None:
    """The manifest Clausebook embeds as a custom XML part, if the editor kept it."""
    for name in zf.namelist():
        if not (name.startswith("customXml/item") and name.endswith(".xml")):
            continue
        try:
            root = parse_xml(zf.read(name))
        except etree.XMLSyntaxError:
            continue
        if etree.QName(root).namespace == MANIFEST_NS:
            try:
                data = json.loads(root.text or "")
            except ValueError:
                return None
            return data if isinstance(data, dict) else None
    return None
