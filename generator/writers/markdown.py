"""Stage 5a — document model -> clean CommonMark, readable as a pull-request diff."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..model import Block, Document, Heading, Para, RenderedClause, Report, Run, Table
from .attestation import attestation, made_under
from .typography import smart_quotes, term_segments

# Characters that would turn plain contract text into Markdown syntax.
_ESCAPE = re.compile(r"([\\`*_\[\]<>|#])")
_LEADING = re.compile(r"^(\s*)([-+>]|\d+[.)])(\s)")


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def escape_cell(text: str) -> str:
    """Plain text made safe as one Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def table(header: Sequence[str], rows: Iterable[Sequence[str]], escape: bool = True) -> list[str]:
    """A GitHub-flavoured Markdown table, one line per row: the one table writer every report
    uses. ``escape=False`` for cells that are Markdown already."""
    fix = escape_cell if escape else (lambda c: c)
    out = ["| " + " | ".join(fix(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(fix(c) for c in row) + " |" for row in rows]
    return out


def code_span(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _typeset(runs: Iterable[Run]) -> list[Run]:
    """Contract text as printed: typographic quotes and apostrophes, defined terms in bold."""
    out: list[Run] = []
    last = ""
    for r in runs:
        if r.code:
            out.append(r)
            continue
        text = smart_quotes(r.text, last)
        last = text[-1:] or last
        for seg, term in term_segments(text):
            if seg:
                out.append(Run(seg, r.bold or term, r.italic, r.ref))
    return out


def runs_md(runs: Iterable[Run], typeset: bool = False) -> str:
    out = []
    for r in _typeset(runs) if typeset else runs:
        if r.code:
            out.append(code_span(r.text))
            continue
        text = _escape(r.text)
        core = text.strip()
        if core and (r.bold or r.italic):
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            mark = "**" if r.bold else ""
            mark_i = "*" if r.italic else ""
            text = f"{lead}{mark}{mark_i}{core}{mark_i}{mark}{trail}"
        out.append(text)
    line = "".join(out)
    # escape the marker's last character: "1." -> "1\.", "-" -> "\-"
    return _LEADING.sub(lambda m: f"{m[1]}{m[2][:-1]}\\{m[2][-1]}{m[3]}", line)


def _cell(runs: tuple[Run, ...], typeset: bool = False) -> str:
    return runs_md(runs, typeset).replace("\n", " ") or " "


def block_md(b: Block, typeset: bool = False) -> str:
    if isinstance(b, Table):
        rows = [[_cell(c, typeset) for c in r] for r in b.rows]
        return "\n".join(table([_cell(c, typeset) for c in b.header], rows, escape=False))
    assert isinstance(b, Para)
    text = runs_md(b.runs, typeset)
    if b.number:
        return f"{b.number} {text}"
    if b.label and b.label != "definition":
        return f"- {text}" if b.bullet else f"{b.label} {text}"
    return text


def clause_md(c: RenderedClause, schedule: bool = False) -> str:
    head = f"# Schedule {c.number} \u2014 {c.title}" if schedule else f"### {c.number} {c.title}"
    parts = [head]
    prev_bullet = False
    for b in c.blocks:
        text = block_md(b, typeset=True)
        bullet = isinstance(b, Para) and b.bullet
        if bullet and prev_bullet:
            parts[-1] += "\n" + text  # keep a bullet list tight
        else:
            parts.append(text)
        prev_bullet = bullet
    return "\n\n".join(parts)


def render_markdown(doc: Document) -> str:
    parts: list[str] = [f"# {_escape(doc.title)}"]
    if made_under(doc.deal):  # a Statement of Work: which Agreement it is made under
        parts.append(_escape(made_under(doc.deal)))
    if doc.draft_banner:
        parts.append(
            f"**{doc.draft_banner}** \u2014 {_escape(str(doc.deal.get('draft_version', '')))}"
        )
    parts.append(f"{doc.date_line}")
    parts.append("**Parties**")
    parts.extend(runs_md(p.runs, typeset=True) for p in doc.parties)
    for a in doc.articles:
        parts.append(f"## {a.number}. {_escape(a.title)}")
        parts.extend(clause_md(c) for c in a.clauses)
    parts.extend(_execution(doc))
    parts.extend(clause_md(s, schedule=True) for s in doc.schedules)
    return "\n\n".join(parts) + "\n"


def _execution(doc: Document) -> list[str]:
    """The execution page as the Word draft prints it: one block per party."""
    deed = (doc.deal.get("document") or {}).get("execution") == "deed"
    out = ["## Execution"]
    out.append(attestation(doc.deal, deed))
    blank = "\u2026" * 10
    for _role, name, person, title in doc.signatories:
        who = _escape(person.upper()) if person else blank
        if deed:
            lead = f"Executed as a deed by **{_escape(name.upper())}** acting by **{who}**, a director, in the presence of a witness:"
            lines = [
                "Signature of director:",
                f"Name: {_escape(person) or blank}",
                f"Title: {_escape(title) or blank}",
                "Signature of witness:",
                "Witness name:",
                "Witness address:",
                "Witness occupation:",
            ]
        else:
            role = f", {_escape(title)}" if title else ""
            lead = f"Signed by **{who}**{role}, for and on behalf of **{_escape(name.upper())}**"
            lines = [
                "Signature:",
                f"Name: {_escape(person) or blank}",
                f"Title: {_escape(title) or blank}",
                "Date:",
            ]
        out.append(lead)
        out.append("\\\n".join(lines))
    return out


def report_markdown(report: Report) -> str:
    """A report (the negotiation memo) as Markdown: headings, paragraphs, tight lists, tables."""
    out: list[str] = []
    prev: bool | None = None  # the kind of list item the last block was (bullet or numbered)
    for b in report.blocks:
        item = b.bullet if isinstance(b, Para) and b.label is not None else None
        if item is not None and item == prev:
            out.pop()  # keep a list tight
        out += [f"{'#' * b.level} {runs_md(b.runs)}" if isinstance(b, Heading) else block_md(b), ""]
        prev = item
    return "\n".join(out).rstrip("\n") + "\n"
