"""A Word redline: the draft at HEAD with native tracked changes against the draft at BASE.

The body is built by the ordinary writer (``_Body``), so numbering, cross-reference fields,
tables and styles are exactly those of a normal draft; this subclass only decides, clause by
clause and block by block, what is unchanged, inserted or deleted, and diffs paragraph text at
word granularity. Insertions become ``w:ins`` and deletions ``w:del`` (with ``w:delText``),
each with an author, a date and a unique id, so a lawyer can accept or reject every change in
Word. The tracked-change markup lives here rather than in ``ooxml.py`` because only the
redline needs it and it works on the XML the ordinary helpers return.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from ...model import Block, Document, Para, RenderedClause, Run, Table
from ...textdiff import TOKEN, merged_opcodes
from . import ooxml as x
from .page import page_for
from .writer import _Body, render_docx, repack, source_date

_RUN = re.compile(r"(?:<w:r(?:\s[^>]*)?>.*?</w:r>)+", re.S)
_PARA = re.compile(r"<w:p(?:\s[^>]*)?>(?:<w:pPr>(.*?)</w:pPr>)?", re.S)
_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_ROW = re.compile(r"<w:tr>(?:<w:trPr>(.*?)</w:trPr>)?", re.S)
_FIRST_ID = 90_000  # far above the writer's bookmark ids


@dataclass
class Revisions:
    """Author, date and the next unique id of every tracked change in one document."""

    author: str
    date: dt.datetime
    next_id: int = _FIRST_ID
    count: int = 0

    def attrs(self) -> str:
        self.next_id += 1
        self.count += 1
        when = self.date.strftime("%Y-%m-%dT%H:%M:%SZ")
        return f'w:id="{self.next_id}" w:author={quoteattr(self.author)} w:date="{when}"'


def _mark_paragraphs(xml: str, tag: str, rev: Revisions) -> str:
    """Mark each paragraph mark outside tables as inserted or deleted."""

    def one(m: re.Match[str]) -> str:
        mark = f"<w:rPr><w:{tag} {rev.attrs()}/></w:rPr>"
        open_tag = m.group(0)[: m.group(0).index(">") + 1]
        ppr = m.group(1)
        if ppr is None:
            return f"{open_tag}<w:pPr>{mark}</w:pPr>"
        # rPr comes after every other paragraph property except a section break.
        at = ppr.find("<w:sectPr")
        ppr = ppr + mark if at < 0 else ppr[:at] + mark + ppr[at:]
        return f"{open_tag}<w:pPr>{ppr}</w:pPr>"

    out, pos = [], 0
    for t in _TABLE.finditer(xml):
        out.append(_PARA.sub(one, xml[pos : t.start()]))
        out.append(t.group(0))
        pos = t.end()
    out.append(_PARA.sub(one, xml[pos:]))
    return "".join(out)


def _mark_rows(xml: str, tag: str, rev: Revisions, which: Callable[[int], bool]) -> str:
    """Mark table rows (by index, header = 0) as inserted or deleted rows."""
    counter = iter(range(1_000_000))

    def one(m: re.Match[str]) -> str:
        if not which(next(counter)):
            return m.group(0)
        return f"<w:tr><w:trPr>{m.group(1) or ''}<w:{tag} {rev.attrs()}/></w:trPr>"

    return _ROW.sub(one, xml)


def inserted(xml: str, rev: Revisions, paragraphs: bool = True) -> str:
    out = _RUN.sub(lambda m: f"<w:ins {rev.attrs()}>{m.group(0)}</w:ins>", xml)
    out = _mark_rows(out, "ins", rev, lambda _: True)
    return _mark_paragraphs(out, "ins", rev) if paragraphs else out


def deleted(xml: str, rev: Revisions, paragraphs: bool = True) -> str:
    def one(m: re.Match[str]) -> str:
        runs = (
            m.group(0)
            .replace("<w:t ", "<w:delText ")
            .replace("<w:t>", "<w:delText>")
            .replace("</w:t>", "</w:delText>")
            .replace("<w:instrText", "<w:delInstrText")
            .replace("</w:instrText>", "</w:delInstrText>")
        )
        return f"<w:del {rev.attrs()}>{runs}</w:del>"

    out = _RUN.sub(one, xml)
    out = _mark_rows(out, "del", rev, lambda _: True)
    return _mark_paragraphs(out, "del", rev) if paragraphs else out


# ---- text comparison --------------------------------------------------------------------------


def _plain(b: Block) -> str:
    if isinstance(b, Para):
        return (b.label or "") + " " + "".join(r.text for r in b.runs)
    return (
        "\t".join("".join(r.text for r in c) for c in b.header)
        + "\n"
        + "\n".join("\t".join("".join(r.text for r in c) for c in row) for row in b.rows)
    )


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.4


@dataclass(frozen=True)
class _Plan:
    """For each block at HEAD: the BASE blocks deleted before it and its BASE counterpart."""

    steps: tuple[tuple[tuple[Block, ...], Block | None], ...]
    trailing: tuple[Block, ...]


def plan_blocks(
    old: Sequence[Block], new: Sequence[Block], key: Callable[[Block], str] = _plain
) -> _Plan:
    ka, kb = [key(b) for b in old], [key(b) for b in new]
    steps: list[tuple[tuple[Block, ...], Block | None]] = []
    pending: list[Block] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(j2 - j1):
                steps.append((tuple(pending), old[i1 + k]))
                pending = []
            continue
        olds = list(old[i1:i2])
        for j in range(j1, j2):
            # Pair a changed block with the next BASE block it resembles, so an edited
            # paragraph shows as edited words, not as a deleted and a new paragraph.
            match = next(
                (
                    k
                    for k, ob in enumerate(olds)
                    if type(ob) is type(new[j]) and _similar(key(ob), kb[j])
                ),
                None,
            )
            if match is None:
                steps.append((tuple(pending), None))
                pending = []
            else:
                pending += olds[:match]
                steps.append((tuple(pending), olds[match]))
                pending = []
                olds = olds[match + 1 :]
        pending += olds
    return _Plan(tuple(steps), tuple(pending))


def _tokens(runs: Sequence[Run]) -> list[tuple[tuple[object, ...], Run]]:
    out: list[tuple[tuple[object, ...], Run]] = []
    for r in runs:
        if r.ref is not None:
            out.append((("ref", r.ref, r.text, r.bold, r.italic), r))
            continue
        for t in TOKEN.findall(r.text):
            out.append(((t, r.bold, r.italic), Run(t, r.bold, r.italic)))
    return out


def _merge(runs: Sequence[Run]) -> tuple[Run, ...]:
    out: list[Run] = []
    for r in runs:
        if (
            out
            and out[-1].ref is None
            and r.ref is None
            and (out[-1].bold, out[-1].italic) == (r.bold, r.italic)
        ):
            out[-1] = Run(out[-1].text + r.text, r.bold, r.italic)
        else:
            out.append(r)
    return tuple(out)


class RedlineBody(_Body):
    """The HEAD document's body, with every difference from BASE as a tracked change."""

    def __init__(
        self, doc: Document, base: Document, rev: Revisions, refs: str = "", literal: bool = False
    ) -> None:
        super().__init__(doc, page_for(doc.deal), refs, literal=literal)
        self.controls = False  # tracked changes are marked paragraph by paragraph
        self.base = base
        self.rev = rev
        self.base_clauses: dict[str, RenderedClause] = {
            c.id: c for a in base.articles for c in a.clauses
        } | {s.id: s for s in base.schedules}
        self.base_order = list(self.base_clauses)
        self.head_ids = {c.id for a in doc.articles for c in a.clauses} | {
            s.id for s in doc.schedules
        }
        self.base_articles = {a.title for a in base.articles}
        self.done_deleted: set[str] = set()
        self.queue: list[str] = []
        self.plan: _Plan | None = None
        self.step = 0
        self.last_num: tuple[int, int] = (x.LEGAL_NUM, 2)
        kinds = dict(self.kinds)
        self.kinds.update(
            {
                cid: ("schedule" if c.kind == "schedule" else "clause")
                for cid, c in self.base_clauses.items()
            }
        )
        self.kinds.update(kinds)

    # -- runs --------------------------------------------------------------------------

    def plain(self, runs: tuple[Run, ...]) -> str:
        return _Body.runs(self, runs)

    def runs(self, runs: tuple[Run, ...]) -> str:
        if self.queue:
            return self.queue.pop(0)
        for i, p in enumerate(self.doc.parties):
            if runs is p.runs and i < len(self.base.parties) and self.base.parties[i].runs != runs:
                return self.diff_runs(self.base.parties[i].runs, runs)
        return super().runs(runs)

    def diff_runs(self, old: Sequence[Run], new: Sequence[Run]) -> str:
        a, b = _tokens(old), _tokens(new)
        out: list[str] = []
        blank = [r.ref is None and r.text.isspace() for _, r in b]
        for tag, i1, i2, j1, j2 in merged_opcodes([k for k, _ in a], [k for k, _ in b], blank):
            if tag == "equal":
                out.append(self.plain(_merge([r for _, r in b[j1:j2]])))
                continue
            if i2 > i1:
                out.append(deleted(self.plain(_merge([r for _, r in a[i1:i2]])), self.rev, False))
            if j2 > j1:
                out.append(inserted(self.plain(_merge([r for _, r in b[j1:j2]])), self.rev, False))
        return "".join(out)

    # -- headings and clauses --------------------------------------------------------------

    def heading(
        self,
        text: str,
        num: tuple[int, int] | None,
        style: str,
        mark: str | None = None,
        page_break: bool = False,
        number: str = "",
    ) -> None:
        at = len(self.parts)
        super().heading(text, num, style, mark, page_break, number)
        article = mark is not None and mark.startswith("_Toc_article_")
        if article and text not in self.base_articles:
            self.parts[at:] = [inserted(p, self.rev) for p in self.parts[at:]]

    def _emit_deleted_clause(self, cid: str) -> None:
        self.done_deleted.add(cid)
        mark = len(self.parts)
        saved, self.plan = self.plan, None
        super().clause(self.base_clauses[cid])
        self.plan = saved
        self.parts[mark:] = [deleted(p, self.rev) for p in self.parts[mark:]]

    def _deleted_before(self, cid: str) -> None:
        if cid not in self.base_clauses:
            return
        for other in self.base_order[: self.base_order.index(cid)]:
            if other not in self.head_ids and other not in self.done_deleted:
                self._emit_deleted_clause(other)

    def clause(self, c: RenderedClause) -> None:
        self._deleted_before(c.id)
        old = self.base_clauses.get(c.id)
        mark = len(self.parts)
        if old is None:
            super().clause(c)
            self.parts[mark:] = [inserted(p, self.rev) for p in self.parts[mark:]]
            return
        self.plan, self.step = plan_blocks(old.blocks, c.blocks), 0
        self.last_num = (x.SCHEDULE_NUM, 1) if c.kind == "schedule" else (x.LEGAL_NUM, 2)
        super().clause(c)
        plan, self.plan = self.plan, None
        for b in plan.trailing:
            self._deleted_block(b, *self.last_num)
        if old.title != c.title and mark < len(self.parts):
            plain_title = x.text_run(c.title)
            if plain_title in self.parts[mark]:
                self.parts[mark] = self.parts[mark].replace(
                    plain_title, self.diff_runs((Run(old.title),), (Run(c.title),)), 1
                )

    def build(self) -> str:
        body = super().build()
        rest = [
            cid
            for cid in self.base_order
            if cid not in self.head_ids and cid not in self.done_deleted
        ]
        if not rest:
            return body
        mark = len(self.parts)
        for cid in rest:
            self._emit_deleted_clause(cid)
        tail = "".join(self.parts[mark:])
        at = body.rfind("<w:sectPr")  # keep a trailing section break last
        return body + tail if at < 0 or "</w:p>" in body[at:] else body[:at] + tail + body[at:]

    # -- blocks ----------------------------------------------------------------------------------

    def _deleted_block(self, b: Block, numid: int, base: int) -> None:
        mark = len(self.parts)
        super().block(b, numid, base)
        self.parts[mark:] = [deleted(p, self.rev) for p in self.parts[mark:]]

    def block(self, b: Block, numid: int, base: int) -> None:
        if self.plan is None or self.step >= len(self.plan.steps):
            super().block(b, numid, base)
            return
        before, counterpart = self.plan.steps[self.step]
        self.step += 1
        self.last_num = (numid, base)
        for ob in before:
            self._deleted_block(ob, numid, base)
        mark = len(self.parts)
        if counterpart is None:
            super().block(b, numid, base)
            self.parts[mark:] = [inserted(p, self.rev) for p in self.parts[mark:]]
        elif counterpart == b:
            super().block(b, numid, base)
        elif isinstance(b, Para) and isinstance(counterpart, Para):
            self.queue = [self.diff_runs(counterpart.runs, b.runs)]
            super().block(b, numid, base)
            self.queue = []
        elif (
            isinstance(b, Table)
            and isinstance(counterpart, Table)
            and len(b.header) == len(counterpart.header)
        ):
            self._table_diff(counterpart, b, numid, base)
        else:
            self._deleted_block(counterpart, numid, base)
            mark = len(self.parts)
            super().block(b, numid, base)
            self.parts[mark:] = [inserted(p, self.rev) for p in self.parts[mark:]]

    def _table_diff(self, old: Table, new: Table, numid: int, base: int) -> None:
        def bold(cell: tuple[Run, ...]) -> tuple[Run, ...]:
            return tuple(Run(r.text, True, r.italic, r.ref) for r in cell)

        queue = [
            self.plain(bold(n)) if o == n else self.diff_runs(bold(o), bold(n))
            for o, n in zip(old.header, new.header, strict=True)
        ]
        rows: list[tuple[tuple[Run, ...], ...]] = []
        marks: dict[int, str] = {}
        key = ["\t".join("".join(r.text for r in c) for c in row) for row in old.rows]
        knew = ["\t".join("".join(r.text for r in c) for c in row) for row in new.rows]
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, key, knew, autojunk=False
        ).get_opcodes():
            tag: str = op
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(j2 - j1 if tag == "equal" else pairs):
                o, n = old.rows[i1 + k], new.rows[j1 + k]
                rows.append(n)
                queue += [
                    self.plain(nc) if oc == nc else self.diff_runs(oc, nc)
                    for oc, nc in zip(o, n, strict=True)
                ]
            if tag == "equal":
                continue
            for orow in old.rows[i1 + pairs : i2]:
                marks[len(rows) + 1] = "del"
                rows.append(orow)
                queue += [deleted(self.plain(c), self.rev, False) for c in orow]
            for nrow in new.rows[j1 + pairs : j2]:
                marks[len(rows) + 1] = "ins"
                rows.append(nrow)
                queue += [inserted(self.plain(c), self.rev, False) for c in nrow]
        mark = len(self.parts)
        self.queue = queue
        super().block(Table(new.header, tuple(rows)), numid, base)
        left, self.queue = self.queue, []
        if left:  # the writer built the table some other way: fall back to whole tables
            del self.parts[mark:]
            self._deleted_block(old, numid, base)
            mark = len(self.parts)
            super().block(new, numid, base)
            self.parts[mark:] = [inserted(p, self.rev) for p in self.parts[mark:]]
            return
        for change in ("ins", "del"):

            def which(i: int, t: str = change) -> bool:
                return marks.get(i) == t

            self.parts[mark:] = [
                _mark_rows(p, change, self.rev, which) if "<w:tbl>" in p else p
                for p in self.parts[mark:]
            ]


_WRAP = {kind: re.compile(rf"<w:{kind} w:id=[^>]*[^/]>") for kind in ("ins", "del")}


def legend(head: str, base: str, body: str) -> str:
    """'Redline: draft at HEAD against BASE, n insertions, m deletions' for cover and header."""
    n, m = (len(_WRAP[k].findall(body)) for k in ("ins", "del"))
    return (
        f"Redline: draft at {head} against {base}, "
        f"{n} insertion{'s' if n != 1 else ''}, {m} deletion{'s' if m != 1 else ''}"
    )


def render_redline(
    base: Document,
    head: Document,
    reference: bytes | None = None,
    author: str = "Clausebook",
    date: dt.datetime | None = None,
    labels: tuple[str, str] | None = None,
    literal: bool = False,
) -> tuple[bytes, int]:
    """The .docx of ``head`` with tracked changes against ``base``, and how many there are.

    ``labels`` (head, base) puts the redline legend on the cover and in the header; ``literal``
    prints every number as text (an amendment's 5.5A), as DocxOptions.literal does."""
    when = source_date(head.deal)
    rev = Revisions(author, date or when)
    plain = render_docx(head, reference)
    src = zipfile.ZipFile(io.BytesIO(plain))
    document = src.read("word/document.xml").decode("utf-8")
    final = document[document.rindex("<w:sectPr") :]
    refs = "".join(re.findall(r"<w:(?:header|footer)Reference [^>]*/>", final))
    body = RedlineBody(head, base, rev, refs, literal).build()
    text = legend(*labels, body) if labels else ""
    if text:
        cover_end = '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/>'  # the cover ends before it
        para = x.para(x.text_run(text, bold=True), align="center")
        body = body.replace(cover_end, para + cover_end, 1)
    start = document.index("<w:body>") + len("<w:body>")
    document = document[:start] + body + document[document.rindex("<w:sectPr") :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = document.encode("utf-8")
            elif text and name.startswith("word/header") and b"<w:t" in data:
                line = x.para(x.text_run(text), style="Header").encode("utf-8")
                data = data.replace(b"</w:hdr>", line + b"</w:hdr>")
            dst.writestr(name, data)
    return repack(out.getvalue(), when), rev.count
