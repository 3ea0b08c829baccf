"""Provision-level edits: a numbered provision of a clause (a top-level paragraph, or an item of
a numbered list) can carry an id, a deal can remove or replace it, and cross-references to it
are resolved to its number and checked as references to clauses are.

In a template the id is written at the start of the provision::

    {{ provision('cure-notice') }}The Customer may terminate ...
    2. {{ provision('persistent-breach') }}the Supplier commits a Persistent Breach;

and a reference names the clause and the provision: ``{{ ref('termination-for-cause',
'persistent-breach') }}`` prints "Clause 18.1.2(b)". A deal edits provisions by id::

    provisions:
      termination-for-cause:
        remove: [cure-notice]
        replace: {persistent-breach: "the Supplier commits a Persistent Breach twice;"}

Edits are made on the rendered Markdown, with markdown-it's source lines of each block, before
the text is split into numbered blocks, so the provisions after a removed one are numbered
again. A removed top-level paragraph takes the lists that follow it (its sub-provisions). Word
gets the number as text, not a REF field: the writer's bookmarks are clauses'.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..errors import Diagnostic, did_you_mean
from ..model import Deal, Selected
from .labels import list_label
from .soundness import REF_CLOSE, REF_OPEN, Rendered
from .templates import RenderFailure

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
ANCHOR_RX = re.compile(f"{REF_OPEN}=([a-z0-9-]+){REF_CLOSE}")
_PROVISION_REF = re.compile(f"{REF_OPEN}([a-z0-9-]+)/([a-z0-9-]+){REF_CLOSE}")
_ITEM_MARK = re.compile(r"^(\s*)(?:(\d+)[.)]|[-*+])[ \t]+")  # "2. ", "  - "

Parse = Callable[[str], Sequence[Any]]  # markdown-it's parse, as render.py configures it


def _checked_id(pid: object, what: str) -> str:
    key = str(pid)
    if not _ID.fullmatch(key):
        raise RenderFailure(f"{what}('{key}'): a provision id is kebab-case (cure-notice)", None)
    return key


def anchor(pid: object) -> str:
    """What ``{{ provision('id') }}`` writes: a mark the numbering reads and then removes."""
    return f"{REF_OPEN}={_checked_id(pid, 'provision')}{REF_CLOSE}"


def provision_ref(clause: str, pid: object) -> str:
    """What ``{{ ref('clause', 'id') }}`` writes; resolved once every clause is numbered."""
    return f"{REF_OPEN}{clause}/{_checked_id(pid, 'ref')}{REF_CLOSE}"


@dataclass(frozen=True)
class Provision:
    id: str
    number: str  # "Clause 18.1.2(b)", "paragraph 3 of Schedule 4"
    start: int  # source lines of the rendered text, [start, end)
    end: int
    item: bool  # a list item (else a top-level paragraph)


@dataclass(frozen=True)
class _Found:
    """An anchored provision before it is numbered: where it sits among the clause's blocks."""

    id: str
    top: int  # the top-level paragraph it is or belongs to (0: before any)
    path: str  # the list labels down to it: "(b)(ii)", or "" for a paragraph
    start: int
    end: int
    item: bool


def _walk(text: str, parse: Parse) -> tuple[list[_Found], int]:
    """Every anchored provision, and how many top-level paragraphs the text has (as
    render.parse_blocks and number_blocks count them: paragraphs outside lists, and code)."""
    found: list[_Found] = []
    stack: list[dict[str, Any]] = []  # open lists: ordered?, items so far, current label
    top = 0
    para: tuple[int, int] = (0, 0)
    item: tuple[int, int] = (0, 0)
    last_top: int | None = None  # index in ``found`` of a provision that later lists extend
    for tok in parse(text):
        t = tok.type
        if t in ("ordered_list_open", "bullet_list_open"):
            if not stack and last_top is not None:  # a list after a paragraph is its part
                found[last_top] = replace(found[last_top], end=max(found[last_top].end, tok.map[1]))
            stack.append({"ordered": t == "ordered_list_open", "n": 0, "label": ""})
        elif t in ("ordered_list_close", "bullet_list_close"):
            stack.pop()
        elif t == "list_item_open":
            top_list = stack[-1]
            top_list["n"] += 1
            level = sum(1 for x in stack if x["ordered"])
            top_list["label"] = list_label(level, top_list["n"]) if top_list["ordered"] else "•"
            top_list["first"] = True
            item = (tok.map[0], tok.map[1])
        elif t == "paragraph_open":
            para = (tok.map[0], tok.map[1])
        elif t in ("fence", "code_block"):
            top += 1
            last_top = None
        elif t == "inline":
            m = ANCHOR_RX.match(tok.content)
            if not stack:
                top += 1
                last_top = None
                if m:
                    found.append(_Found(m.group(1), top, "", para[0], para[1], False))
                    last_top = len(found) - 1
            elif stack[-1].get("first"):
                stack[-1]["first"] = False
                if m:
                    path = "".join(x["label"] for x in stack if x["ordered"])
                    found.append(_Found(m.group(1), top, path, item[0], item[1], True))
    return found, top


def _number(s: Selected, f: _Found, tops: int) -> str:
    """'Clause 18.1.2(b)' (a clause), 'paragraph 3(a) of Schedule 4' (a schedule)."""
    if s.clause.kind == "schedule":
        where = f"{f.top}" if tops >= 2 and f.top else ""
        return f"paragraph {where}{f.path} of Schedule {s.number}"
    base = f"{s.number}.{f.top}" if tops >= 2 and f.top else s.number
    return f"Clause {base}{f.path}"


def provisions_of(s: Selected, text: str, parse: Parse) -> dict[str, Provision]:
    """The provisions of one rendered clause text, by id, numbered."""
    found, tops = _walk(text, parse)
    return {f.id: Provision(f.id, _number(s, f, tops), f.start, f.end, f.item) for f in found}


def edited(
    text: str, provs: Mapping[str, Provision], remove: Sequence[str], swap: Mapping[str, str]
) -> str:
    """``text`` with the provisions in ``remove`` taken out and those in ``swap`` replaced (the
    new text keeps the id, so references to a replaced provision still resolve)."""
    lines = text.splitlines(keepends=True)
    edits = [(provs[p], None) for p in remove] + [(provs[p], t) for p, t in swap.items()]
    # an edit inside a provision that is itself removed or replaced goes with it
    edits = [
        e
        for e in edits
        if not any(o is not e[0] and o.start <= e[0].start and e[0].end <= o.end for o, _ in edits)
    ]
    for p, new in sorted(edits, key=lambda e: -e[0].start):
        old = lines[p.start : p.end]
        tail = ["\n"] if old and not old[-1].strip() else []
        m = _ITEM_MARK.match(old[0]) if p.item and old else None
        if new is None:
            lines[p.start : p.end] = []
            nxt = _ITEM_MARK.match(lines[p.start]) if m and p.start < len(lines) else None
            if m and nxt and m.group(2) and nxt.group(2) and nxt.group(1) == m.group(1):
                # the list keeps its first number (only "1." may follow a paragraph line)
                lines[p.start] = m.group(2).join(lines[p.start].split(nxt.group(2), 1))
            continue
        prefix = m.group(0) if m else ""
        lines[p.start : p.end] = [f"{prefix}{anchor(p.id)}{' '.join(new.split())}\n", *tail]
    return "".join(lines)


@dataclass(frozen=True)
class Edited:
    """The rendered texts with the deal's edits made and the ids taken out, the number of every
    provision left (ref key 'clause/id' -> 'Clause 18.1.2(b)'), and what was wrong."""

    texts: list[Rendered]
    numbers: dict[str, str]
    errors: list[Diagnostic]


def apply_provisions(deal: Deal, texts: Sequence[Rendered], parse: Parse) -> Edited:
    """The deal's provision edits on every clause text; then every reference to a provision
    checked: one that names no provision, or one the deal removed, is an error at the referrer."""
    asked = deal.data.get("provisions") or {}
    errors: list[Diagnostic] = []
    out: list[Rendered] = []
    numbers: dict[str, str] = {}
    removed: dict[str, tuple[int, int]] = {}  # ref key -> the deal's line and column
    bodies = {r.selected.clause.id for r in texts if r.pointer[0] == "variants"}
    for cid in asked:
        if cid not in bodies:
            errors.append(
                _at_deal(deal, ("provisions", cid), f"'{cid}' is not in this draft", key=True)
            )
    for r in texts:
        text = r.text
        if r.pointer[0] == "variants":
            text = _edit_one(deal, r, asked.get(r.selected.clause.id) or {}, parse, errors, removed)
            if f"{REF_OPEN}=" in text:
                cid = r.selected.clause.id
                provs = provisions_of(r.selected, text, parse).values()
                numbers.update({f"{cid}/{p.id}": p.number for p in provs})
                text = ANCHOR_RX.sub("", text)
        elif f"{REF_OPEN}=" in text:
            text = ANCHOR_RX.sub("", text)
        out.append(r if text is r.text else replace(r, text=text))
    errors += dangling(deal, out, numbers, removed)
    return Edited(out, numbers, errors)


def _edit_one(
    deal: Deal,
    r: Rendered,
    spec: Mapping[str, Any],
    parse: Parse,
    errors: list[Diagnostic],
    removed: dict[str, tuple[int, int]],
) -> str:
    """One clause text with the deal's edits of it; an edit naming no provision is an error."""
    s, cid = r.selected, r.selected.clause.id
    if not spec and f"{REF_OPEN}=" not in r.text:
        return r.text  # no provision ids: nothing to parse (a warm draft never loads markdown-it)
    found, _ = _walk(r.text, parse)
    ids = [f.id for f in found]
    for pid in sorted({p for p in ids if ids.count(p) > 1}):
        line, col = s.clause.source.where(r.pointer)
        errors.append(
            Diagnostic(
                s.clause.source.path,
                line,
                col,
                "provision",
                f"provision id '{pid}' is used twice in this text",
            )
        )
    provs = provisions_of(s, r.text, parse)
    remove: list[str] = []
    swap: dict[str, str] = {}
    for i, pid in enumerate(spec.get("remove") or []):
        ptr: tuple[str | int, ...] = ("provisions", cid, "remove", i)
        if pid not in provs:
            errors.append(_at_deal(deal, ptr, _unknown(s, pid, provs)))
        else:
            remove.append(pid)
            removed[f"{cid}/{pid}"] = deal.source.where(ptr)
    for pid, text in (spec.get("replace") or {}).items():
        ptr = ("provisions", cid, "replace", pid)
        if pid not in provs:
            errors.append(_at_deal(deal, ptr, _unknown(s, pid, provs), key=True))
        elif pid in remove:
            errors.append(
                _at_deal(deal, ptr, f"'{pid}' is both removed and replaced: say one", key=True)
            )
        else:
            swap[pid] = str(text)
    return edited(r.text, provs, remove, swap) if remove or swap else r.text


def _unknown(s: Selected, pid: str, provs: Mapping[str, Provision]) -> str:
    known = ", ".join(sorted(provs)) if provs else "none"
    return (
        f"'{s.clause.id}' (variant '{s.variant.id}') has no provision '{pid}'"
        f"{did_you_mean(pid, provs)}; its provision ids: {known}"
    )


def _at_deal(deal: Deal, ptr: tuple[str | int, ...], message: str, key: bool = False) -> Diagnostic:
    line, col = deal.source.where(ptr, key=key)
    return Diagnostic(deal.source.path, line, col, "provision", message)


def dangling(
    deal: Deal,
    texts: Sequence[Rendered],
    numbers: Mapping[str, str],
    removed: Mapping[str, tuple[int, int]],
) -> list[Diagnostic]:
    """A reference to a provision that is not in the draft, at the line of the referrer."""
    out: list[Diagnostic] = []
    for r in texts:
        for m in _PROVISION_REF.finditer(r.text):
            cid, pid = m.group(1), m.group(2)
            if f"{cid}/{pid}" in numbers:
                continue
            if f"{cid}/{pid}" in removed:
                at = removed[f"{cid}/{pid}"][0]
                why = f"a provision the deal removes ({deal.source.path}:{at}): drop the reference or keep the provision"
            else:
                have = sorted(k.split("/", 1)[1] for k in numbers if k.startswith(cid + "/"))
                why = f"no provision of '{cid}' in this draft{did_you_mean(pid, have)}"
            d = _at_referrer(r, cid, pid, f"ref('{cid}', '{pid}') names {why}")
            if d not in out:
                out.append(d)
    return out


def _at_referrer(r: Rendered, cid: str, pid: str, message: str) -> Diagnostic:
    src = r.selected.clause.source
    line, col = src.where(r.pointer)
    m = re.search(rf"ref\(\s*['\"]{re.escape(cid)}['\"]\s*,\s*['\"]{re.escape(pid)}['\"]", r.source)
    if m:
        line += r.source.count("\n", 0, m.start())
    return Diagnostic(src.path, line, col, "provision-ref", message)
