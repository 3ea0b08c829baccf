"""Build the body XML in one pass from the document model; python-docx owns the package."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from ...model import Block, Document, Para, RenderedClause, Run, Table
from ...portable import source_date_epoch
from . import ooxml as x
from .reference import default_reference

_BM_SAFE = re.compile(r"[^A-Za-z0-9_]")


def bookmark_name(clause_id: str) -> str:
    # Word bookmark names: letters, digits, underscore, at most 40 characters;
    # the _Ref prefix hides them from the bookmark list as Word's own cross-references are.
    return ("_Ref_" + _BM_SAFE.sub("_", clause_id))[:40]


class _Body:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.parts: list[str] = []
        self.bid = 0
        self.kinds = {c.id: "clause" for a in doc.articles for c in a.clauses}
        self.kinds.update({s.id: "schedule" for s in doc.schedules})
        self.width = x.TEXT_W  # text width of the current section
        self.sections = 0  # section breaks emitted so far

    def runs(self, runs: tuple[Run, ...]) -> str:
        out = []
        for r in runs:
            if r.ref is None:
                out.append(x.text_run(r.text, r.bold, r.italic))
                continue
            name = bookmark_name(r.ref)
            if self.kinds.get(r.ref) == "schedule":
                out.append(x.field(f"REF {name} \\w \\h", r.text, r.bold))
            else:
                word, _, number = r.text.partition(" ")
                out.append(x.text_run(word + " ", r.bold, r.italic))
                out.append(x.field(f"REF {name} \\w \\h", number, r.bold))
        return "".join(out)

    def heading(
        self,
        text: str,
        num: tuple[int, int],
        style: str,
        clause_id: str | None = None,
        page_break: bool = False,
    ) -> None:
        inner = x.text_run(text)
        if clause_id:
            self.bid += 1
            inner = x.bookmark(self.bid, bookmark_name(clause_id), inner)
        self.parts.append(
            x.para(inner, style=style, num=num, keep_next=True, page_break_before=page_break)
        )

    def block(self, b: Block, numid: int, base: int) -> None:
        if isinstance(b, Table):
            self.table(b)
            return
        assert isinstance(b, Para)
        body = self.runs(b.runs)
        if b.number:
            self.parts.append(x.para(body, num=(numid, base)))
        elif b.bullet:
            self.parts.append(x.para(body, num=(x.BULLET_NUM, max(0, b.list_level - 1))))
        elif b.label == "definition":
            self.parts.append(x.para(body, ind_left=720))
        elif b.list_level:
            self.parts.append(x.para(body, num=(numid, base + b.list_level)))
        else:
            self.parts.append(x.para(body, ind_left=720))

    def table(self, t: Table) -> None:
        widths = column_widths(t, self.width)

        def cell(runs: tuple[Run, ...], head: bool) -> str:
            body = self.runs(tuple(Run(r.text, r.bold or head, r.italic, r.ref) for r in runs))
            return x.para(body, style=TABLE_STYLE, spacing_after=0)

        self.parts.append(
            x.table(
                [cell(h, True) for h in t.header],
                [[cell(c, False) for c in r] for r in t.rows],
                widths,
            )
        )
        self.parts.append(x.para("", spacing_after=0))

    def clause(self, c: RenderedClause) -> None:
        if c.kind == "schedule":
            wide = any(isinstance(b, Table) and too_wide(b) for b in c.blocks)
            if wide:  # a schedule with a table too wide for portrait gets a landscape section
                self.end_section(landscape=False)
                self.width = x.PAGE_H - 2 * x.MARGIN
            self.heading(c.title, (x.SCHEDULE_NUM, 0), "Heading1", c.id, page_break=not wide)
            for b in c.blocks:
                self.block(b, x.SCHEDULE_NUM, 1)
            if wide:
                self.end_section(landscape=True)
                self.width = x.TEXT_W
            return
        self.heading(c.title, (x.LEGAL_NUM, 1), "Heading2", c.id)
        for b in c.blocks:
            self.block(b, x.LEGAL_NUM, 2)

    def end_section(self, landscape: bool) -> None:
        self.parts.append(
            f"<w:p><w:pPr>{_section(landscape, first=not self.sections)}</w:pPr></w:p>"
        )
        self.sections += 1

    def build(self) -> str:
        d = self.doc
        self.cover()
        self.toc()
        for a in d.articles:
            self.heading(a.title, (x.LEGAL_NUM, 0), "Heading1", page_break=False)
            for c in a.clauses:
                self.clause(c)
        self.signatures()
        for s in d.schedules:
            self.clause(s)
        return "".join(self.parts)

    def cover(self) -> None:
        """Cover page: title, parties, date, draft status; the body starts on the next page."""
        d = self.doc
        data = d.deal
        self.parts.append(x.para("", spacing_after=2400))
        self.parts.append(x.para(x.text_run(d.title), style="Title", align="center"))
        self.parts.append(x.para(x.text_run("between"), align="center", spacing_after=240))
        for key in ("customer", "supplier"):
            self.parts.append(
                x.para(x.text_run(str(data[key]["name"]).upper(), bold=True), align="center")
            )
            if key == "customer":
                self.parts.append(x.para(x.text_run("and"), align="center"))
        self.parts.append(x.para("", spacing_after=1200))
        self.parts.append(x.para(x.text_run(d.date_line), align="center"))
        if d.draft_banner:
            version = str(data.get("draft_version") or "")
            self.parts.append(
                x.para(x.text_run(d.draft_banner, bold=True, caps=False), align="center")
            )
            if version:
                self.parts.append(x.para(x.text_run(version), align="center"))
        self.parts.append(x.page_break())

    def toc(self) -> None:
        """A TOC field whose cached entries already list the articles and schedules."""
        d = self.doc
        self.parts.append(x.para(x.text_run("Contents", bold=True), style="TOCHeading"))
        entries = (
            [f"{a.number}.\t{a.title}" for a in d.articles]
            + ["\tSignatures"]
            + [f"Schedule {s.number}\t{s.title}" for s in d.schedules]
        )
        self.parts.append(x.toc_field(entries))
        self.parts.append(x.page_break())
        self.parts.append(x.para(x.text_run(d.title), style="Title", align="center"))
        self.parts.append(x.para(x.text_run(d.date_line), align="center"))
        self.parts.append(x.para(x.text_run("Parties", bold=True), keep_next=True))
        for p in d.parties:
            self.parts.append(x.para(self.runs(p.runs), ind_left=0))

    def signatures(self) -> None:
        self.parts.append(
            x.para(x.text_run("Signatures", bold=True), style="Heading1", keep_next=True)
        )
        self.parts.append(
            x.para(
                x.text_run(
                    "This Agreement has been entered into on the date stated at the beginning of it."
                )
            )
        )
        for role, name, person, title in self.doc.signatories:
            rows = [
                ["Signed for and on behalf of", name],
                ["Signature", ""],
                ["Name", person],
                ["Title", title],
                ["Date", ""],
            ]
            widths = [x.TEXT_W // 3, x.TEXT_W - x.TEXT_W // 3]
            header = [
                x.para(x.text_run(role, bold=True), spacing_after=0),
                x.para("", spacing_after=0),
            ]
            body = [
                [x.para(x.text_run(a), spacing_after=0), x.para(x.text_run(b), spacing_after=0)]
                for a, b in rows
            ]
            self.parts.append(x.table(header, body, widths))
            self.parts.append(x.para(""))


def _plain(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


TABLE_STYLE = "TableText"  # 9 pt body text for table cells; added if the reference lacks it
CHAR_TW = (
    135  # width of a 9 pt character (bold headers, wide fallback fonts), in twips, with margin
)


def _needs(t: Table) -> tuple[list[int], list[float], list[float]]:
    """Per column: width for its longest word (twips), that length, and the average text length."""
    cols = range(max(1, len(t.header)))
    cells = [[_plain(t.header[i])] + [_plain(r[i]) for r in t.rows] for i in cols]
    # bold header characters are wider than body ones: count them 1.2 times
    longest = [
        max(
            [len(w) * 1.2 for w in _plain(t.header[i]).split()]
            + [len(w) for c in cells[i][1:] for w in c.split()]
            + [1]
        )
        + 2
        for i in cols
    ]
    mass = [sum(len(c) for c in col) / len(col) for col in cells]
    return [int(n * CHAR_TW) for n in longest], longest, mass


def column_widths(t: Table, total: int = x.TEXT_W) -> list[int]:
    """Every column wide enough for its longest word; spare width goes to the wordy columns."""
    need, longest, mass = _needs(t)
    if sum(need) > total:
        # Too many long words to fit: keep short-content columns (codes, targets, periods)
        # whole and let the wordy columns wrap within what is left.
        short = [m <= 2.5 * n for m, n in zip(mass, longest, strict=True)]
        fixed = sum(w for w, s in zip(need, short, strict=True) if s)
        if fixed < total * 0.6:
            rest = total - fixed
            wordy = sum(m for m, s in zip(mass, short, strict=True) if not s) or 1.0
            widths = [
                need[i] if short[i] else int(rest * mass[i] / wordy) for i in range(len(need))
            ]
        else:
            widths = [int(total * n / sum(need)) for n in need]
    else:
        spare = total - sum(need)
        extra = [max(m - n, 0.5) for m, n in zip(mass, longest, strict=True)]
        widths = [int(n + spare * e / sum(extra)) for n, e in zip(need, extra, strict=True)]
    widths[-1] += total - sum(widths)
    return widths


def _ensure_table_style(d: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    if any(st.style_id == TABLE_STYLE for st in d.styles):
        return
    style = d.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = d.styles["Normal"]
    style.font.size = Pt(9)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def _section(landscape: bool = False, first: bool = True) -> str:
    """Page set-up of one section; titlePg (own cover header/footer) only on the first."""
    size = (
        f'<w:pgSz w:w="{x.PAGE_H}" w:h="{x.PAGE_W}" w:orient="landscape"/>'
        if landscape
        else f'<w:pgSz w:w="{x.PAGE_W}" w:h="{x.PAGE_H}"/>'
    )
    return (
        f"<w:sectPr>{size}"
        f'<w:pgMar w:top="{x.MARGIN}" w:right="{x.MARGIN}" w:bottom="{x.MARGIN}" w:left="{x.MARGIN}" '
        f'w:header="708" w:footer="708" w:gutter="0"/>{"<w:titlePg/>" if first else ""}</w:sectPr>'
    )


def too_wide(t: Table) -> bool:
    return sum(_needs(t)[0]) > x.TEXT_W


def source_date(deal: dict[str, Any]) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the deal's effective date: never the wall clock."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    return dt.datetime.combine(dt.date.fromisoformat(str(deal["effective_date"])), dt.time())


@dataclass(frozen=True)
class DocxOptions:
    reference: bytes | None = None
    notes: bool = False  # drafting notes and guidance as Word comments
    properties: tuple[tuple[str, str], ...] = ()  # custom document properties


def render_docx(
    doc: Document, reference: bytes | None = None, options: DocxOptions | None = None
) -> bytes:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    opts = options or DocxOptions(reference=reference)
    d = docx.Document(io.BytesIO(opts.reference or reference or default_reference()))
    package = d.part.package
    for rid in [k for k, rel in package.rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package.rels[rid]  # the template's thumbnail shows a blank page; drop it
    builder = _Body(doc)
    body_xml = builder.build()
    final = _section(first=builder.sections == 0)
    new_body = parse_xml(f"<w:body {x.NSDECL}>{body_xml}{final}</w:body>".encode())
    # Swap the whole body element: lxml moves children between documents in quadratic time
    # (a 6,000-row table took 6 s). No python-docx object holds the old body yet.
    d.element.replace(d.element.body, new_body)
    d.part.numbering_part._element = parse_xml(x.numbering_xml().encode())
    when = source_date(doc.deal)
    _ensure_table_style(d)
    _headers_and_footers(d, doc)
    _settings(d)
    if opts.notes:
        _comments(d, doc, when)
    _core_properties(d, doc, when)
    if opts.properties:
        _custom_properties(d, opts.properties)
    return package_bytes(d, when)


def _headers_and_footers(d: Any, doc: Document) -> None:
    section = d.sections[0]
    section.different_first_page_header_footer = True
    header_text = doc.title + (f" \u2014 {doc.draft_banner}" if doc.draft_banner else "")
    header = section.header
    header._element.clear()
    header._element.append(_one(x.para(x.text_run(header_text), style="Header")))
    footer = section.footer
    footer._element.clear()
    page = (
        x.text_run("Page ") + x.field("PAGE", "1") + x.text_run(" of ") + x.field("NUMPAGES", "1")
    )
    footer._element.append(_one(x.para(page, style="Footer", align="center")))
    for hf in (section.first_page_header, section.first_page_footer):
        hf.is_linked_to_previous = False


def _one(xml: str) -> Any:
    """Parse one WordprocessingML element given without namespace declarations."""
    from docx.oxml import parse_xml

    return parse_xml(f"<w:wrap {x.NSDECL}>{xml}</w:wrap>".encode())[0]


def _settings(d: Any) -> None:
    """Ask Word to refresh fields (TOC, page numbers) when the file is opened."""
    from docx.oxml import parse_xml

    settings = d.settings.element
    for old in settings.findall(f"{{{x.W_NS}}}updateFields"):
        settings.remove(old)
    settings.insert(0, parse_xml(f'<w:updateFields {x.NSDECL} w:val="true"/>'))


def _comments(d: Any, doc: Document, when: dt.datetime) -> None:
    """Each variant's drafting notes and negotiation guidance, anchored on its clause heading."""
    targets = {bookmark_name(c.id): c for a in doc.articles for c in a.clauses}
    targets.update({bookmark_name(s.id): s for s in doc.schedules})
    for p in d.paragraphs:
        marks = p._p.findall(f"{{{x.W_NS}}}bookmarkStart")
        if not marks or not p.runs:
            continue
        c = targets.get(marks[0].get(f"{{{x.W_NS}}}name"))
        if c is None:
            continue
        text = (
            f"Variant: {c.variant}\nDrafting notes: {c.notes}\nNegotiation guidance: {c.guidance}"
        )
        comment = d.add_comment(p.runs, text=text, author="Clausebook", initials="CB")
        comment._comment_elm.date = when


def _core_properties(d: Any, doc: Document, when: dt.datetime) -> None:
    cp = d.core_properties
    cp.title = doc.title
    cp.subject = f"{doc.deal['customer']['name']} / {doc.deal['supplier']['name']}"
    cp.author = "Clausebook"
    cp.last_modified_by = "Clausebook"
    cp.revision = 1
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.keywords = str(doc.deal["id"])
    cp.comments = ""
    cp.category = "Master services agreement"


def _custom_properties(d: Any, props: tuple[tuple[str, str], ...]) -> None:
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


def repack(data: bytes, when: dt.datetime) -> bytes:
    """Same parts, fixed timestamps and order: identical inputs give identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    return _zip([(name, src.read(name)) for name in src.namelist()], when)


def package_bytes(d: Any, when: dt.datetime) -> bytes:
    """`repack(d.save())` without the first zip: python-docx serialises every part as its save
    would, and they are deflated once, not deflated, inflated and deflated again."""
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
    return _zip(members, when)


def _zip(members: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
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
