"""The response redline: the returned Word file with the counterparty's changes and authors
kept, the changes within authority accepted, and the rest rejected as our own tracked changes
(their insertion deleted by us, their deletion re-inserted by us) with a comment giving the
position. Everything else in their file (styles, their comments, their other parts) is kept."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from lxml import etree

from .run import Intake, Issue
from .wordfile import W, parse_xml, q

COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_ID_BASE = 90000  # ids for our changes and comments, far above any the editor used


class _Ids:
    def __init__(self) -> None:
        self.n = _ID_BASE

    def next(self) -> str:
        self.n += 1
        return str(self.n)


def _mark(tag: str, author: str, date: str, ids: _Ids) -> Any:
    el = etree.Element(q(f"w:{tag}"))
    el.set(q("w:id"), ids.next())
    el.set(q("w:author"), author)
    el.set(q("w:date"), date)
    return el


def _accept(p: Any) -> None:
    for el in list(p.iter(q("w:ins"), q("w:moveTo"))):
        parent = el.getparent()
        if parent.tag == q("w:rPr"):
            parent.remove(el)
            continue
        idx = parent.index(el)
        for child in list(el):
            parent.insert(idx, child)
            idx += 1
        parent.remove(el)
    for el in list(p.iter(q("w:del"), q("w:moveFrom"))):
        el.getparent().remove(el)


def _reject(p: Any, author: str, date: str, ids: _Ids) -> None:
    """Our tracked rejection of their tracked changes in paragraph ``p``."""
    # Collect theirs first: the marks made here must not be rejected in turn.
    insertions = list(p.iter(q("w:ins"), q("w:moveTo")))
    deletions = list(p.iter(q("w:del"), q("w:moveFrom")))
    for el in insertions:
        if el.getparent().tag == q("w:rPr"):
            continue
        runs = [r for r in el if r.tag == q("w:r")]
        if not runs:
            continue
        ours = _mark("del", author, date, ids)
        for r in runs:
            for t in r.iter(q("w:t")):
                t.tag = q("w:delText")
            el.remove(r)
            ours.append(r)
        el.append(ours)
    for el in deletions:
        if el.getparent().tag == q("w:rPr"):
            continue
        ours = _mark("ins", author, date, ids)
        for r in el:
            if r.tag != q("w:r"):
                continue
            back = copy.deepcopy(r)
            for t in back.iter(q("w:delText")):
                t.tag = q("w:t")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            ours.append(back)
        if len(ours):
            el.addnext(ours)


def _position_text(i: Issue) -> str:
    pl = i.placement
    text = f"Not accepted ({pl.status}"
    text += f", {pl.step})." if pl.step else ")."
    if pl.approvers:
        text += " Approval needed from: " + ", ".join(pl.approvers) + "."
    if pl.guidance:
        text += " Our position: " + " ".join(pl.guidance.split())
    if i.untracked:
        text += " This change was made without tracked changes."
    return text


def _comment_on(p: Any, cid: str) -> None:
    start = etree.Element(q("w:commentRangeStart"))
    start.set(q("w:id"), cid)
    end = etree.Element(q("w:commentRangeEnd"))
    end.set(q("w:id"), cid)
    ref_run = etree.Element(q("w:r"))
    ref = etree.SubElement(ref_run, q("w:commentReference"))
    ref.set(q("w:id"), cid)
    ppr = p.find(q("w:pPr"))
    p.insert(p.index(ppr) + 1 if ppr is not None else 0, start)
    p.append(end)
    p.append(ref_run)


def _comment(cid: str, author: str, date: str, text: str) -> Any:
    c = etree.Element(q("w:comment"))
    c.set(q("w:id"), cid)
    c.set(q("w:author"), author)
    c.set(q("w:date"), date)
    c.set(q("w:initials"), "".join(w[0] for w in author.split() if w)[:4])
    p = etree.SubElement(c, q("w:p"))
    r = etree.SubElement(p, q("w:r"))
    t = etree.SubElement(r, q("w:t"))
    t.text = text
    return c


def response_redline(r: Intake, author: str, when: dt.datetime) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(r.returned_bytes))
    body = parse_xml(zin.read("word/document.xml"))
    paras = list(body.iter(q("w:p")))
    date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = _Ids()
    comments: list[Any] = []
    for issue in r.issues:
        if issue.placement.status == "comment":
            continue
        targets = [paras[i] for i in issue.paras if i < len(paras)]
        if issue.acceptable:
            for p in targets:
                _accept(p)
            continue
        for p in targets:
            _reject(p, author, date, ids)
        if targets:
            cid = ids.next()
            _comment_on(targets[0], cid)
            comments.append(_comment(cid, author, date, _position_text(issue)))
    for p in paras:  # a paragraph whose every word was deleted and accepted goes entirely
        if p.getparent() is not None and _emptied(p):
            p.getparent().remove(p)
    parts = {"word/document.xml": _xml(body)}
    if comments:
        parts.update(_with_comments(zin, comments))
    return _rezip(zin, parts, when)


def _emptied(p: Any) -> bool:
    mark = p.find(f"{q('w:pPr')}/{q('w:rPr')}/{q('w:del')}")
    return mark is not None and not any((t.text or "") for t in p.iter(q("w:t"), q("w:delText")))


def _xml(el: Any) -> bytes:
    return bytes(etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True))


def _with_comments(zin: zipfile.ZipFile, comments: Sequence[Any]) -> dict[str, bytes]:
    names = set(zin.namelist())
    out: dict[str, bytes] = {}
    if "word/comments.xml" in names:
        root = parse_xml(zin.read("word/comments.xml"))
    else:
        root = etree.Element(q("w:comments"), nsmap={"w": W})
        rels = parse_xml(zin.read("word/_rels/document.xml.rels"))
        rel = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
        rel.set("Id", "rIdClausebookComments")
        rel.set("Type", COMMENTS_REL)
        rel.set("Target", "comments.xml")
        out["word/_rels/document.xml.rels"] = _xml(rels)
        ct = parse_xml(zin.read("[Content_Types].xml"))
        over = etree.SubElement(ct, f"{{{CT_NS}}}Override")
        over.set("PartName", "/word/comments.xml")
        over.set("ContentType", COMMENTS_CT)
        out["[Content_Types].xml"] = _xml(ct)
    for c in comments:
        root.append(c)
    out["word/comments.xml"] = _xml(root)
    return out


def _rezip(zin: zipfile.ZipFile, parts: dict[str, bytes], when: dt.datetime) -> bytes:
    buf = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        done = set()
        for info in zin.infolist():
            data = parts.get(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data if data is not None else zin.read(info))
            done.add(info.filename)
        for name, data in parts.items():
            if name not in done:
                zi = zipfile.ZipInfo(name, date_time=stamp)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(zi, data)
    return buf.getvalue()
