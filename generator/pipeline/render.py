"""Stage 4 — render selected clauses into the document model: each text through the one
sandboxed template environment (templates.py), its Markdown into paragraphs, list items and
tables, numbered; cross-references marked; the definitions the draft uses collected."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..errors import ContentError, Diagnostic
from ..limits import RenderLimits
from ..model import (
    Block,
    Document,
    Para,
    RenderedArticle,
    RenderedClause,
    Run,
    Selected,
    Selection,
    Table,
)
from . import blockcache, textcache
from . import words as w
from .figures import figure_diagnostic, printed_figures, unstated, with_placeholders
from .labels import list_label
from .parties import parties, signatories
from .provisions import anchor, apply_provisions, provision_ref
from .rendered import table_problem
from .soundness import Rendered, problems
from .templates import RenderFailure, run_template
from .termuse import used_terms

REF_OPEN, REF_CLOSE = "\ue000", "\ue001"  # private-use marks: the loader refuses them in input
# a clause ("charges"), a provision ("charges/cap"), or a provision's own id ("=cap")
_REF_RX = re.compile(f"{REF_OPEN}([a-z0-9-]+(?:/[a-z0-9-]+)?|=[a-z0-9-]+){REF_CLOSE}")


# ---- Markdown -> blocks ------------------------------------------------------


_MAX_NESTING = 20
_DEEP_PREFIX = re.compile(r"^[ \t>*+\-0-9.)]{12,}", re.MULTILINE)


def _too_deep(text: str) -> bool:
    """Past markdown-it's nesting limit, text is silently dropped; a reviewer would miss that.

    Reaching that depth takes a long run of indentation, quote or list markers on some line,
    so only such texts are parsed here.
    """
    if not _DEEP_PREFIX.search(text):
        return False
    return max((t.level for t in _md().parse(text)), default=0) >= _MAX_NESTING - 1


@lru_cache(maxsize=1)
def _md() -> Any:
    from markdown_it import MarkdownIt

    # commonmark passes raw HTML through: turn it off so markup in a clause stays text.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "maxNesting": _MAX_NESTING})
    md.enable("table")
    # "reference": a line that parses as a link-reference definition would vanish from the draft
    md.disable(
        [
            "image",
            "link",
            "autolink",
            "heading",
            "lheading",
            "html_block",
            "html_inline",
            "reference",
        ]
    )
    return md


def _split_refs(text: str, bold: bool, italic: bool, numbers: Mapping[str, str]) -> list[Run]:
    runs: list[Run] = []
    pos = 0
    for m in _REF_RX.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()], bold, italic))
        target = m.group(1)
        if not target.startswith("="):  # a provision's number is text: Word marks clauses
            runs.append(Run(numbers[target], bold, italic, ref=None if "/" in target else target))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:], bold, italic))
    return runs


def inline_runs(token: Any, numbers: Mapping[str, str]) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = False
    for child in token.children or []:
        t = child.type
        if t == "strong_open":
            bold = True
        elif t == "strong_close":
            bold = False
        elif t == "em_open":
            italic = True
        elif t == "em_close":
            italic = False
        elif t in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold, italic))
        elif t in ("text", "code_inline"):
            runs.extend(_split_refs(child.content, bold, italic, numbers))
    # merge neighbours with the same formatting: fewer runs, smaller files
    merged: list[Run] = []
    for r in runs:
        if (
            merged
            and merged[-1].ref is None
            and r.ref is None
            and (merged[-1].bold, merged[-1].italic) == (r.bold, r.italic)
        ):
            merged[-1] = Run(merged[-1].text + r.text, r.bold, r.italic)
        else:
            merged.append(r)
    return tuple(merged)


def parse_blocks(text: str, numbers: Mapping[str, str]) -> list[Block]:
    """Rendered Markdown -> paragraphs, list items (with level) and tables."""
    tokens = _md().parse(text)
    blocks: list[Block] = []
    list_stack: list[dict[str, Any]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            list_stack.append({"ordered": tok.type == "ordered_list_open", "n": 0})
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            list_stack.pop()
        elif tok.type == "list_item_open":
            list_stack[-1]["n"] += 1
            list_stack[-1]["first"] = True
        elif tok.type == "inline":
            runs = inline_runs(tok, numbers)
            if list_stack and list_stack[-1].get("first"):
                top = list_stack[-1]
                top["first"] = False
                level = sum(1 for s in list_stack if s["ordered"]) or 1
                if top["ordered"]:
                    blocks.append(Para(runs, list_level=level, label=list_label(level, top["n"])))
                else:
                    blocks.append(Para(runs, list_level=len(list_stack), bullet=True, label="•"))
            elif list_stack:  # a further paragraph inside a list item
                blocks.append(Para(runs, list_level=len(list_stack)))
            else:
                blocks.append(Para(runs))
        elif tok.type == "table_open":
            header: list[tuple[Run, ...]] = []
            rows: list[list[tuple[Run, ...]]] = []
            in_head = False
            j = i + 1
            while tokens[j].type != "table_close":
                t = tokens[j]
                if t.type == "thead_open":
                    in_head = True
                elif t.type == "thead_close":
                    in_head = False
                elif t.type == "tr_open" and not in_head:
                    rows.append([])
                elif t.type == "inline":
                    cell = inline_runs(t, numbers)
                    (header.append(cell) if in_head else rows[-1].append(cell))
                j += 1
            width = len(header)
            fixed = tuple(tuple((r + [()] * width)[:width]) for r in rows)
            blocks.append(Table(tuple(header), fixed))
            i = j
        elif tok.type in ("fence", "code_block"):
            # indented text is not code in a contract: keep it as a plain paragraph
            blocks.append(Para((Run(tok.content.strip()),)))
        i += 1
    return blocks


def number_blocks(blocks: list[Block], prefix: str) -> tuple[Block, ...]:
    """Number top-level paragraphs 14.2.1, 14.2.2 when a clause has more than one."""
    top = [b for b in blocks if isinstance(b, Para) and b.list_level == 0]
    if len(top) < 2:
        return tuple(blocks)
    out: list[Block] = []
    n = 0
    for b in blocks:
        if isinstance(b, Para) and b.list_level == 0:
            n += 1
            out.append(Para(b.runs, number=f"{prefix}.{n}" if prefix else f"{n}."))
        else:
            out.append(b)
    return tuple(out)


# ---- the document -------------------------------------------------------------


def _numbers(selection: Selection) -> dict[str, str]:
    out = {}
    for s in selection.all():
        out[s.clause.id] = (
            f"Schedule {s.number}" if s.clause.kind == "schedule" else f"Clause {s.number}"
        )
    return out


class _Texts:
    """Renders one selection's templates, collecting every failure with its file and line."""

    def __init__(self, selection: Selection, limits: RenderLimits, marks: bool = False) -> None:
        self.deal = selection.deal
        self.marks = marks  # draft --placeholders: unstated figures print as placeholders
        self.numbers = _numbers(selection)
        self.limits = limits
        self.errors: list[Diagnostic] = []
        self.total = 0  # characters rendered so far: the whole draft has a limit too
        self.kept = textcache.shared()
        self.context = textcache.context(self.deal.data, self.numbers, limits)

    def ref(self, target: object, provision: object = None) -> str:
        key = str(target)
        if key not in self.numbers:
            raise RenderFailure(
                f"ref('{key}') names a clause that is not in this draft; guard it with has('{key}')",
                None,
            )
        return f"{REF_OPEN}{key}{REF_CLOSE}" if provision is None else provision_ref(key, provision)

    def check_figures(
        self, s: Selected, text: str, source: str, pointer: tuple[str | int, ...]
    ) -> str:
        """A deal-supplied figure printed from a default is an error pointing at the deal (or,
        with ``marks``, a placeholder in the text returned)."""
        if not unstated(s):
            return text

        def again(params: Mapping[str, Any]) -> str | None:
            seen = len(self.errors)
            out = self.render(s, source, pointer, params)
            del self.errors[seen:]  # a trial render that fails tells nothing about the deal
            return out

        if self.marks:
            text, printed = with_placeholders(s, text, again)
        else:
            printed = printed_figures(s, text, again)
        for p in printed:
            d = figure_diagnostic(self.deal, s, p)
            if d not in self.errors:  # printed in the text and in a definition: said once
                self.errors.append(d)
        return text

    def has(self, target: object) -> bool:
        return str(target) in self.numbers

    def render(
        self,
        s: Selected,
        text: str,
        pointer: tuple[str | int, ...],
        params: Mapping[str, Any] | None = None,
    ) -> str | None:
        ctx = dict(s.params if params is None else params)
        ctx.update({"deal": self.deal.data, "ref": self.ref, "has": self.has, "provision": anchor})
        limit = self.limits.max_document_chars
        if self.total > limit:
            return None  # reported once, at the clause that crossed the limit
        try:
            out = self.kept.text(
                text,
                s.params if params is None else params,
                self.context,
                lambda: w.possessives(_fresh(text, ctx, self.limits)),
            )
            self.total += len(out)
            if self.total > limit:
                raise RenderFailure(
                    f"the draft exceeds the limit of {limit:,} characters here "
                    "(CLAUSEBOOK_MAX_DOCUMENT_CHARS)",
                    None,
                )
            if _too_deep(out):
                raise RenderFailure(
                    "lists or block quotes are nested too deeply: Markdown would drop the text "
                    "(use at most 8 levels)",
                    None,
                )
            return out
        except RenderFailure as f:
            line, col = s.clause.source.where(pointer)
            if f.lineno is not None:
                line += f.lineno - 1
            self.errors.append(Diagnostic(s.clause.source.path, line, col, "render", f.message))
            return None


def _fresh(text: str, ctx: dict[str, Any], limits: RenderLimits) -> str:
    """A template rendered now (not kept), with the Markdown checks a kept text has passed."""
    out = run_template(text, ctx, limits)
    dropped = table_problem(out)
    if dropped is not None:
        raise RenderFailure(dropped[1], dropped[0])
    return out


def render_document(
    selection: Selection, limits: RenderLimits | None = None, placeholders: bool = False
) -> Document:
    texts = _Texts(selection, limits or RenderLimits.from_env(), placeholders)
    rendered: dict[str, RenderedClause] = {}
    bodies: list[str] = []
    checked: list[Rendered] = []
    for s in selection.all():
        pointer: tuple[str | int, ...] = ("variants", s.variant.index, "text")
        text = texts.render(s, s.variant.text, pointer)
        if text is None:
            continue
        text = texts.check_figures(s, text, s.variant.text, pointer)
        checked.append(Rendered(s, text, s.variant.text, pointer))
    # Definitions: every term any included clause defines, kept only if the draft uses it.
    for s in selection.all():
        for term, definition in s.clause.defines:
            text = texts.render(s, definition, ("defines", term))
            if text is not None:
                text = texts.check_figures(s, text, definition, ("defines", term))
                checked.append(Rendered(s, text, definition, ("defines", term)))
    edits = apply_provisions(selection.deal, checked, lambda t: _md().parse(t))
    texts.numbers.update(edits.numbers)
    if texts.errors or edits.errors:
        raise ContentError(texts.errors + edits.errors)
    checked = edits.texts
    candidates = {str(r.pointer[1]): r.text for r in checked if r.pointer[0] == "defines"}
    for r in checked:
        if r.pointer[0] == "variants":
            bodies.append(r.text)
            rendered[r.selected.clause.id] = _clause(r.selected, r.text, texts.numbers)
    definitions = _definitions(candidates, bodies, texts.numbers)
    _check_sound(selection, checked, {t for t, _ in definitions})
    if "definitions" in rendered and definitions:
        d = rendered["definitions"]
        extra = tuple(Para(runs, list_level=0, label="definition") for _, runs in definitions)
        rendered["definitions"] = replace(d, blocks=d.blocks + extra)
    blockcache.shared().flush()
    textcache.shared().flush()
    return _document(selection, rendered, definitions)


def _blocks(text: str, numbers: Mapping[str, str]) -> list[Block]:
    """parse_blocks, served from the blocks of earlier runs when the text is the same."""
    return blockcache.shared().blocks(text, numbers, parse_blocks, _REF_RX.findall(text))


def _check_sound(selection: Selection, checked: list[Rendered], used_terms: set[str]) -> None:
    """What a first reading would strike out (soundness.py); definitions only if the draft uses them."""
    schedules = {
        r.selected.clause.id: r.text
        for r in checked
        if r.selected.clause.kind == "schedule" and r.pointer[0] == "variants"
    }
    read = [r for r in checked if r.pointer[0] == "variants" or r.pointer[1] in used_terms]
    unsound = problems(read, schedules, selection.deal)
    if unsound:
        raise ContentError(unsound)


def _clause(s: Selected, text: str, numbers: Mapping[str, str]) -> RenderedClause:
    prefix = s.number if s.clause.kind == "clause" else ""
    return RenderedClause(
        id=s.clause.id,
        number=s.number,
        title=s.variant.title or s.clause.title,
        blocks=number_blocks(_blocks(text, numbers), prefix),
        kind=s.clause.kind,
        notes=s.variant.notes,
        guidance=s.variant.guidance,
        variant=s.variant.id,
    )


def _definitions(
    candidates: Mapping[str, str], bodies: list[str], numbers: Mapping[str, str]
) -> tuple[tuple[str, tuple[Run, ...]], ...]:
    used = _used_terms(candidates, bodies)
    return tuple(
        (
            term,
            (
                Run(f"\u201c{term}\u201d", bold=True),
                Run(" means "),
                *_def_runs(candidates[term], numbers),
            ),
        )
        for term in sorted(used, key=str.casefold)
    )


def _document(
    selection: Selection,
    rendered: Mapping[str, RenderedClause],
    definitions: tuple[tuple[str, tuple[Run, ...]], ...],
) -> Document:
    articles = tuple(
        RenderedArticle(a.number, a.title, tuple(rendered[c.clause.id] for c in a.clauses))
        for a in selection.articles
    )
    schedules = tuple(rendered[s.clause.id] for s in selection.schedules)
    data = selection.deal.data
    status = data.get("status", "draft")
    us = data["governing_law"] in ("new-york", "delaware")
    return Document(
        title=str(data["title"]),
        deal=data,
        articles=articles,
        schedules=schedules,
        definitions=definitions,
        draft_banner="DRAFT \u2014 subject to contract" if status == "draft" else None,
        date_line=f"Dated {w.longdate(data['effective_date'], us_style=us)}",
        parties=parties(data),
        signatories=signatories(data),
    )


def _def_runs(text: str, numbers: Mapping[str, str]) -> tuple[Run, ...]:
    blocks = _blocks(text.strip().rstrip(".") + ".", numbers)
    runs: list[Run] = []
    for b in blocks:
        if isinstance(b, Para):
            if runs:
                runs.append(Run(" "))
            runs.extend(b.runs)
    return tuple(runs)


# One character that the defined-terms search treats as part of a word (re's \w, plus "-").
_WORDISH = re.compile(r"[\w-]")


def _uses_term(text: str, term: str) -> bool:
    r"""Whether `term` (or its plural in "s") occurs in `text` as a whole word.

    Exactly `re.search(r"(?<![\w-])" + re.escape(term) + r"s?(?![\w-])", text)`, but driven by
    `str.find`: the look-behind regex tries every position of a 250 KB body once per term,
    which was half of a maturity-4 draft's time (tests/pipeline/test_terms_search.py compares).
    """
    wordish = _WORDISH.match
    n = len(term)
    i = text.find(term)
    while i >= 0:
        j = i + n
        if not (i and wordish(text, i - 1)):
            if not wordish(text, j):
                return True
            if text.startswith("s", j) and not wordish(text, j + 1):
                return True
        i = text.find(term, i + 1)
    return False


def _used_terms(candidates: Mapping[str, str], bodies: list[str]) -> set[str]:
    """Terms used in the body, plus terms used by the definitions of used terms (to a fixpoint)."""
    return used_terms(candidates, bodies, _uses_term)
