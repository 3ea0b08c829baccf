"""Build the body XML in one pass from the document model; python-docx owns the package."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from ... import cache
from ...model import Block, Document, Para, RenderedClause, Run, Table
from ..attestation import instrument, made_under
from ..typography import smart_quotes, term_segments
from . import direct, literal
from . import ooxml as x
from .comments import comments
from .execution import EXECUTION_BOOKMARK, execution_page
from .headers import headers_and_footers
from .names import article_bookmark, bookmark_name
from .package import (
    app_xml,
    core_properties,
    custom_properties,
    manifest_item,
    manifest_part,
    package_members,
    repack,
    settings,
    source_date,
    zip_members,
)
from .page import Page, execution_for, language_for, page_for, section_xml
from .reference import default_reference
from .tables import (
    TABLE_STYLE,
    column_widths,
    ensure_table_style,
    link_heading_numbering,
    numeric_columns,
    too_wide,
)

__all__ = [
    "DocxOptions",
    "article_bookmark",
    "bookmark_name",
    "render_docx",
    "repack",
    "source_date",
]

# The tag of a clause's content control: intake reads it back (generator/intake/wordfile.py).
CLAUSE_TAG = "clausebook:clause:"


class _Body:
    def __init__(
        self,
        doc: Document,
        page: Page,
        refs: str = "",
        toc_pages: Any = None,
        literal: bool = False,
    ) -> None:
        self.doc = doc
        self.literal = literal  # numbers printed as text, not Word lists (writers/docx/literal.py)
        self.page = page
        self.refs = refs  # header/footer references every section carries
        self.toc_pages: dict[str, int] = dict(toc_pages or ())
        self.parts: list[str] = []
        self.bid = 0
        self.kinds = {c.id: "clause" for a in doc.articles for c in a.clauses}
        self.kinds.update({s.id: "schedule" for s in doc.schedules})
        self.width = page.text_w  # text width of the current section
        self.landscape = False  # orientation of the section being written
        self.sections = 0  # section breaks emitted so far
        self.section_start = 0  # index in parts where the current section began
        self.last = ""  # last character written, for typographic quotes across runs
        self.after_table = False  # the last block written was a table
        self.controls = True  # each clause in a content control tagged with its id (intake)

    def text(self, text: str, bold: bool = False, italic: bool = False) -> str:
        """Runs for visible text: typographic quotes, defined terms in bold."""
        text = smart_quotes(text, self.last)
        self.last = text[-1:] or self.last
        return "".join(
            x.text_run(seg, bold or term, italic) for seg, term in term_segments(text) if seg
        )

    def runs(self, runs: tuple[Run, ...]) -> str:
        out = []
        for r in runs:
            if r.ref is None:
                out.append(self.text(r.text, r.bold, r.italic))
                continue
            name = bookmark_name(r.ref)
            if self.literal:
                out.append(self.literal_ref(r, name))
            elif self.kinds.get(r.ref) == "schedule":
                out.append(x.field(f"REF {name} \\w \\h", r.text, r.bold))
            else:
                word, _, number = r.text.partition(" ")
                out.append(x.text_run(word + " ", r.bold, r.italic))
                out.append(x.field(f"REF {name} \\w \\h", number, r.bold))
            self.last = r.text[-1:] or self.last
        return "".join(out)

    def literal_ref(self, r: Run, name: str) -> str:
        if self.kinds.get(r.ref or "") == "schedule":
            return literal.link(name, r.text, r.bold)
        word, _, number = r.text.partition(" ")
        return x.text_run(word + " ", r.bold, r.italic) + literal.link(name, number, r.bold)

    def heading(
        self,
        text: str,
        num: tuple[int, int] | None,
        style: str,
        mark: str | None = None,
        page_break: bool = False,
        number: str = "",
    ) -> None:
        self.last = ""
        inner = self.text(text)
        schedule = num is not None and num == (x.SCHEDULE_NUM, 0)
        if schedule:  # "SCHEDULE 3" (the number), then the title on the next line, centred
            inner = "<w:r><w:br/></w:r>" + inner
        ind = None
        if self.literal and num is not None:
            inner = literal.heading_number(num, number) + inner
            ind = None if schedule else literal.left(num)
            num = literal.NO_LIST
        if mark:
            self.bid += 1
            inner = x.bookmark(self.bid, mark, inner)
        align = "center" if schedule else None
        self.parts.append(
            x.para(
                inner,
                style=style,
                num=num,
                keep_next=True,
                page_break_before=page_break,
                align=align,
                ind_left=ind,
                hanging=literal.HANG if ind else None,
            )
        )

    def block(self, b: Block, numid: int, base: int) -> None:
        if isinstance(b, Table):
            self.table(b)
            return
        assert isinstance(b, Para)
        self.last = ""
        body = self.runs(b.runs)
        # a lead-in ending in ":" stays with the list or table it introduces; after a table,
        # space comes from the paragraph's own spacing, never from an empty spacer paragraph
        lead = _plain(b.runs).rstrip().endswith(":")
        before = 120 if self.after_table else None
        self.after_table = False
        if b.number:
            num: tuple[int, int] | None = (numid, base)
        elif b.bullet:
            num = (x.BULLET_NUM, max(0, b.list_level - 1))
        elif b.list_level:
            num = (numid, base + b.list_level)
        else:
            num = None
        ind = None if num else 720
        hang = None
        if self.literal and num is not None and not b.bullet:
            body = literal.number_run(b.number or b.label or "") + body
            ind, hang, num = literal.left(num), literal.HANG, None
        self.parts.append(
            x.para(body, num=num, ind_left=ind, hanging=hang, keep_next=lead, spacing_before=before)
        )

    def table(self, t: Table) -> None:
        """Indented to the clause text, balanced widths, amounts right-aligned; a table of up to
        six rows is kept on one page and with the paragraph that introduces it."""
        indent = TABLE_INDENT if self.width - TABLE_INDENT >= self.page.text_w * 0.9 else 0
        widths = column_widths(t, self.width - indent)
        right = numeric_columns(t)
        keep = len(t.rows) <= 6

        def cell(runs: tuple[Run, ...], col: int, head: bool, last: bool) -> str:
            self.last = ""
            body = self.runs(tuple(Run(r.text, r.bold or head, r.italic, r.ref) for r in runs))
            align = "right" if col in right else None
            nxt = (head or keep) and not last
            return x.para(body, style=TABLE_STYLE, spacing_after=0, align=align, keep_next=nxt)

        if self.after_table:  # two tables in a row would merge into one without a paragraph
            self.parts.append(_TINY.format(""))
        elif self.parts and self.parts[-1].startswith("<w:p><w:pPr>"):
            lead = self.parts[-1]  # the lead-in stays with its table
            if "<w:keepNext/>" not in lead and "<w:sectPr" not in lead:
                self.parts[-1] = _keep_next(lead)
        n = len(t.rows)
        header = [cell(h, i, True, n == 0) for i, h in enumerate(t.header)]
        rows = [
            [cell(c, i, False, k == n - 1) for i, c in enumerate(r)] for k, r in enumerate(t.rows)
        ]
        self.parts.append(x.table(header, rows, widths, indent))
        self.after_table = True

    def orient(self, landscape: bool) -> bool:
        """Start a section of this orientation unless the current one has it already.

        A section is closed only where the orientation changes and only when it holds
        something: an empty section is a blank page in Word. True when a new page starts."""
        if landscape == self.landscape:
            return False
        if len(self.parts) > self.section_start:
            self._close_section()
            self.sections += 1
            self.section_start = len(self.parts)
        self.landscape = landscape
        self.width = self.page.landscape_text_w if landscape else self.page.text_w
        return True

    def _close_section(self) -> None:
        """The section break goes in a 1 pt paragraph: a full-size empty paragraph at the end
        of a full page overflows onto a page of its own, a blank page."""
        self.parts.append(_TINY.format(self._sect_pr(self.landscape)))
        self.after_table = False

    def _sect_pr(self, landscape: bool) -> str:
        return section_xml(self.page, landscape, first=self.sections == 0, refs=self.refs)

    def final_section(self) -> str:
        return self._sect_pr(self.landscape)

    def clause(self, c: RenderedClause) -> None:
        if c.kind == "schedule":
            wide = any(isinstance(b, Table) and too_wide(b, self.page.text_w) for b in c.blocks)
            new_page = self.orient(wide)  # a section break goes before the control, not in it
            self.open_control(c)
            self.heading(
                c.title,
                (x.SCHEDULE_NUM, 0),
                "Heading1",
                bookmark_name(c.id),
                not new_page,
                number=c.number,
            )
            for b in c.blocks:
                self.block(b, x.SCHEDULE_NUM, 1)
            self.close_control()
            return
        self.open_control(c)
        self.heading(c.title, (x.LEGAL_NUM, 1), "Heading2", bookmark_name(c.id), number=c.number)
        for b in c.blocks:
            self.block(b, x.LEGAL_NUM, 2)
        self.close_control()

    def open_control(self, c: RenderedClause) -> None:
        if self.controls:
            self.bid += 1
            name = f"{'Schedule' if c.kind == 'schedule' else 'Clause'} {c.number} {c.title}"
            self.parts.append(x.sdt_open(f"{CLAUSE_TAG}{c.id}#{c.variant}", name, self.bid))

    def close_control(self) -> None:
        if self.controls:
            self.parts.append(x.SDT_CLOSE)

    def build(self) -> str:
        d = self.doc
        self.cover()
        self.toc()
        self.front()
        for a in d.articles:
            mark = article_bookmark(a.number)
            self.heading(a.title, (x.LEGAL_NUM, 0), "Heading1", mark, number=a.number)
            for c in a.clauses:
                self.clause(c)
        deed = execution_for(d.deal) == "deed"
        self.parts.append(execution_page(d.signatories, self.page.text_w, deed, d.deal))
        for s in d.schedules:
            self.clause(s)
        return "".join(self.parts)

    def cover(self) -> None:
        """Cover page: title, parties with their roles, date, draft status."""
        d = self.doc
        data = d.deal
        # spacing, not empty paragraphs, places the title a third of the way down the page
        self.parts.append(
            x.para(self.text(d.title), style="Title", align="center", spacing_before=2400)
        )
        self.under(spacing_after=480)
        self.parts.append(x.para(x.text_run("between"), align="center", spacing_after=240))
        for key, role in (("customer", "Customer"), ("supplier", "Supplier")):
            name = x.text_run(str(data[key]["name"]).upper(), bold=True)
            self.parts.append(x.para(name, align="center", spacing_after=0))
            self.parts.append(x.para(self.text(f"as {role}"), align="center"))
            if key == "customer":
                self.parts.append(x.para(x.text_run("and"), align="center"))
        self.parts.append(x.para(x.text_run(d.date_line), align="center", spacing_before=1200))
        if d.draft_banner:
            version = str(data.get("draft_version") or "")
            self.parts.append(x.para(x.text_run(d.draft_banner, bold=True), align="center"))
            if version:
                self.parts.append(x.para(self.text(version), align="center"))

    def under(self, spacing_after: int | None = None) -> None:
        """A Statement of Work's line under its title: the Agreement it is made under."""
        if made_under(self.doc.deal):
            line = self.text(made_under(self.doc.deal), bold=True)
            self.parts.append(x.para(line, align="center", spacing_after=spacing_after))

    def toc(self) -> None:
        """A TOC field whose cached entries list the articles, execution and schedules."""
        d = self.doc
        self.parts.append(
            x.para(x.text_run("Contents"), style="TOCHeading", page_break_before=True)
        )
        entries = [(f"{a.number}.", a.title, article_bookmark(a.number)) for a in d.articles]
        entries.append(("", "Execution", EXECUTION_BOOKMARK))
        entries += [(f"Schedule {s.number}", s.title, bookmark_name(s.id)) for s in d.schedules]
        cached = [(n, smart_quotes(t), m, str(self.toc_pages.get(m, ""))) for n, t, m in entries]
        self.parts.append(x.toc_field(cached, self.page.text_w))

    def front(self) -> None:
        """Title, date, the parties as a hanging list, then AGREED TERMS before clause 1."""
        d = self.doc
        self.parts.append(
            x.para(self.text(d.title), style="Title", align="center", page_break_before=True)
        )
        self.under()
        self.parts.append(x.para(x.text_run(d.date_line), align="center"))
        self.parts.append(x.para(x.text_run("PARTIES", bold=True), keep_next=True))
        for p in d.parties:
            first, *rest = p.runs
            label = first.text.strip()  # "(1)": hang it in the margin of the party's text
            self.last = ""
            body = x.text_run(label) + "<w:r><w:tab/></w:r>" + self.runs(tuple(rest))
            self.parts.append(x.para(body, ind_left=720, hanging=720))
        self.parts.append(
            x.para(x.text_run("AGREED TERMS", bold=True), keep_next=True, spacing_after=120)
        )


# A paragraph of 1 pt with no spacing: separates two tables, or carries a section break.
_TINY = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/></w:rPr>{}</w:pPr></w:p>'
)


TABLE_INDENT = 720  # tables line up with the clause text, which is indented 1.27 cm


def _keep_next(para: str) -> str:
    """The paragraph with keep-with-next added in its place in the property sequence."""
    m = re.match(r"<w:p><w:pPr>(<w:pStyle [^>]*/>)?", para)
    assert m is not None
    return para[: m.end()] + "<w:keepNext/>" + para[m.end() :]


def _plain(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


@dataclass(frozen=True)
class DocxOptions:
    reference: bytes | None = None
    notes: bool = False  # drafting notes and guidance as Word comments
    properties: tuple[tuple[str, str], ...] = ()  # custom document properties
    toc_pages: tuple[tuple[str, int], ...] = ()  # (bookmark, page) from a layout pass
    update_fields: bool = False  # ask Word to refresh every field when the file opens
    manifest: bytes = b""  # the draft's inputs as JSON, kept in a custom XML part
    # each number printed as text (5.5A) instead of Word list numbering: writers/docx/literal.py
    literal: bool = False


def render_docx(
    doc: Document, reference: bytes | None = None, options: DocxOptions | None = None
) -> bytes:
    """The .docx of a document. A deal drafted before with the same reference and options
    keeps every part but the body, custom properties and manifest: those parts come from the
    cache (writers/docx/direct.py) and python-docx is not loaded."""
    opts = options or DocxOptions(reference=reference)
    ref = opts.reference or reference or default_reference()
    key = ""
    if cache.enabled() and not opts.notes:
        props, manifest = opts.properties, bool(opts.manifest)
        key = direct.skeleton_key(doc, ref, opts.update_fields, props, manifest)
    where = direct.slot(doc)
    skeleton = direct.load(where, key) if key else None
    if skeleton is None:
        return _with_python_docx(doc, ref, opts, key)
    builder = _Body(doc, page_for(doc.deal), skeleton.refs, opts.toc_pages, opts.literal)
    body = builder.build() + builder.final_section()
    custom = x.custom_properties_xml(opts.properties).encode() if opts.properties else None
    item = manifest_item(opts.manifest) if opts.manifest else None
    when = source_date(doc.deal)
    return direct.package(where, key, skeleton, body, custom, item, lambda m: zip_members(m, when))


def _with_python_docx(doc: Document, ref: bytes, opts: DocxOptions, key: str) -> bytes:
    """The package made with python-docx from the reference; its skeleton kept under ``key``."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    d = docx.Document(io.BytesIO(ref))
    package = d.part.package
    for rid in [k for k, rel in package.rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package.rels[rid]  # the template's thumbnail shows a blank page; drop it
    refs = headers_and_footers(d, doc, internal=opts.notes)
    builder = _Body(doc, page_for(doc.deal), refs, opts.toc_pages, opts.literal)
    body_xml = builder.build()
    final = builder.final_section()
    new_body = parse_xml(f"<w:body {x.NSDECL}>{body_xml}{final}</w:body>".encode())
    # Swap the whole body element: lxml moves children between documents in quadratic time
    # (a 6,000-row table took 6 s). No python-docx object holds the old body yet.
    d.element.replace(d.element.body, new_body)
    d.part.numbering_part._element = parse_xml(x.numbering_xml().encode())
    when = source_date(doc.deal)
    ensure_table_style(d)
    link_heading_numbering(d, x.LEGAL_NUM)
    language = language_for(doc.deal)
    _language(d, language)
    settings(d, update_fields=opts.update_fields, language=language)
    if opts.notes:
        comments(d, doc, when)
    subject = f"{doc.deal['customer']['name']} / {doc.deal['supplier']['name']}"
    kind = instrument(doc.deal)
    category = "Master services agreement" if kind == "Agreement" else kind
    core_properties(d, doc.title, subject, str(doc.deal["id"]), category)
    app_xml(d)
    if opts.properties:
        custom_properties(d, opts.properties)
    item = manifest_part(d, opts.manifest, str(doc.deal["id"])) if opts.manifest else ""
    members = package_members(d)
    skeleton = direct.split(members, refs, item, bool(opts.properties)) if key else None
    if skeleton is not None:
        direct.store(direct.slot(doc), key, skeleton)
    return zip_members(members, when)


def _language(d: Any, language: str) -> None:
    """Proofing language in the document defaults and wherever a style names one."""
    from docx.oxml import parse_xml

    w = f"{{{x.W_NS}}}"
    root = d.styles.element
    for lang in root.iter(f"{w}lang"):
        lang.set(f"{w}val", language)
        lang.set(f"{w}eastAsia", language)
    rpr = root.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr")
    if rpr is not None and rpr.find(f"{w}lang") is None:
        rpr.append(parse_xml(f'<w:lang {x.NSDECL} w:val="{language}" w:eastAsia="{language}"/>'))
