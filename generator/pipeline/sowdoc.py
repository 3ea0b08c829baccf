"""Each Statement of Work as its own `Document`, written by the ordinary Markdown and Word writers.

Its paragraphs are the library's clauses/sow/ templates, rendered in the same sandbox as the
Agreement's clauses. ref() in them names a clause of the Agreement by the Agreement's own
numbering ("Clause 3.5 of the Agreement"), as plain words: the target is in another document,
so it is never a link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ContentError, Diagnostic
from ..model import (
    Block,
    Clause,
    Document,
    Library,
    Para,
    RenderedArticle,
    RenderedClause,
    Run,
    Selection,
)
from . import words as w
from .parties import parties, signatories
from .render import number_blocks, parse_blocks
from .sow import Sow, Variation, read_sows
from .templates import RenderFailure, run_template

# The SOW document's articles and the clauses/sow/ paragraphs in each. A paragraph whose
# values are empty (no variations) is left out, and an article left empty with it.
STRUCTURE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Interpretation", ("sow-status",)),
    ("Services", ("sow-services", "sow-locations")),
    ("Term", ("sow-term",)),
    ("Service Levels", ("sow-service-levels",)),
    ("Charges", ("sow-charges",)),
    ("Variations to the Agreement", ("sow-variations",)),
)


def agreement_numbers(selection: Selection) -> dict[str, str]:
    """clause id -> "Clause 3.5 of the Agreement" / "Schedule 3 of the Agreement"."""
    return {
        s.clause.id: f"{'Schedule' if s.clause.kind == 'schedule' else 'Clause'} {s.number} "
        "of the Agreement"
        for s in selection.all()
    }


def shown(value: Any, c: Clause, name: str, currency: str) -> str:
    """A parameter value as the SOW prints it: "ten (10) business days", "15%", "GBP 2,000"."""
    p = c.parameter(name)
    if p is not None and p.unit and isinstance(value, int) and not isinstance(value, bool):
        return w.duration(value, p.unit)
    if p is not None and p.type == "percent":
        return w.percent(value)
    if p is not None and p.type == "money":
        return w.money(value, currency)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return w.fmt_number(value)
    return str(value)


def variation_rows(
    v: tuple[Variation, ...], numbers: Mapping[str, str], currency: str
) -> list[dict[str, str]]:
    rows = []
    for x in v:
        c = x.clause.clause
        p = c.parameter(x.agreement.name)
        term = (p.description if p is not None and p.description else x.agreement.name).rstrip(".")
        rows.append(
            {
                "clause": f"{numbers[c.id]} ({x.clause.variant.title or c.title})",
                "term": term,
                "agreement": shown(x.agreement.value, c, x.agreement.name, currency),
                "sow": shown(x.value, c, x.agreement.name, currency),
            }
        )
    return rows


def sow_params(sow: Sow, numbers: Mapping[str, str], currency: str) -> dict[str, dict[str, Any]]:
    """The values each clauses/sow/ paragraph prints, for this SOW."""
    return {
        # Every article but the last (Variations, printed only when there are some) is always
        # there, so the Variations paragraph is the first of the last article.
        "sow-status": {
            "sow_number": sow.number,
            "variations_paragraph": f"{len(STRUCTURE)}.1" if sow.variations else "",
        },
        "sow-services": {"services": list(sow.services)},
        "sow-locations": {"locations": list(sow.locations)},
        "sow-term": {"start": sow.start.isoformat(), "end": sow.end.isoformat()},
        "sow-service-levels": {
            "service_levels": [
                {
                    "metric": t.metric,
                    "direction": t.direction,
                    "unit": t.unit,
                    "agreement_target": t.agreement_target,
                    "target": t.target,
                    "window": t.window,
                    "data_source": t.data_source,
                    "category": t.category,
                }
                for t in sow.targets
            ]
        },
        "sow-charges": {"charges": [dict(c) for c in sow.charges]},
        "sow-variations": {"variations": variation_rows(sow.variations, numbers, currency)},
    }


def sow_documents(lib: Library, selection: Selection) -> tuple[tuple[Sow, Document], ...]:
    """Every SOW of the deal, checked and rendered; ContentError lists every problem."""
    sows = read_sows(selection)
    missing = [cid for _, ids in STRUCTURE for cid in ids if cid not in lib.clauses]
    if sows and missing:
        path = selection.deal.source.path
        raise ContentError(
            [
                Diagnostic(
                    path,
                    1,
                    1,
                    "sow-library",
                    f"the library has no clauses/sow/{cid}.yaml, which a Statement of Work needs",
                )
                for cid in missing
            ]
        )
    return tuple((s, sow_document(lib, selection, s)) for s in sows)


def sow_document(lib: Library, selection: Selection, sow: Sow) -> Document:
    data = selection.deal.data
    numbers = agreement_numbers(selection)
    params = sow_params(sow, numbers, str(data["pricing"]["currency"]))
    errors: list[Diagnostic] = []
    articles: list[RenderedArticle] = []
    for title, ids in STRUCTURE:
        clauses: list[RenderedClause] = []
        for cid in ids:
            values = params[cid]
            if cid == "sow-variations" and not sow.variations:
                continue  # nothing varied: no Variations paragraph
            n = f"{len(articles) + 1}.{len(clauses) + 1}"
            rendered = _paragraph(lib.clauses[cid], values, data, numbers, n, errors)
            if rendered is not None:
                clauses.append(rendered)
        if clauses:
            articles.append(RenderedArticle(str(len(articles) + 1), title, tuple(clauses)))
    if errors:
        raise ContentError(errors)
    return _document(selection, sow, tuple(articles))


def _paragraph(
    c: Clause,
    values: Mapping[str, Any],
    deal: Mapping[str, Any],
    numbers: Mapping[str, str],
    number: str,
    errors: list[Diagnostic],
) -> RenderedClause | None:
    v = next(
        (v for v in c.variants if not v.deprecated and int(deal["maturity"]) in v.maturity), None
    )
    if v is None:
        line, col = c.source.where(("variants",))
        errors.append(
            Diagnostic(
                c.source.path,
                line,
                col,
                "no-variant",
                f"no variant of '{c.id}' suits maturity {deal['maturity']}",
            )
        )
        return None

    def ref(target: object) -> str:
        key = str(target)
        if key not in numbers:
            raise RenderFailure(
                f"ref('{key}') names a clause that is not in the Agreement; guard it with "
                f"has('{key}')",
                None,
            )
        return numbers[key]

    ctx = {**values, "deal": deal, "ref": ref, "has": lambda t: str(t) in numbers}
    try:
        text = w.possessives(run_template(v.text, ctx))
    except RenderFailure as f:
        line, col = c.source.where(("variants", v.index, "text"))
        errors.append(
            Diagnostic(c.source.path, line + (f.lineno or 1) - 1, col, "render", f.message)
        )
        return None
    blocks: list[Block] = parse_blocks(text, {})
    return RenderedClause(
        id=c.id,
        number=number,
        title=v.title or c.title,
        blocks=number_blocks(blocks, number),
        kind="clause",
        notes=v.notes,
        guidance=v.guidance,
        variant=v.id,
    )


def _document(selection: Selection, sow: Sow, articles: tuple[RenderedArticle, ...]) -> Document:
    data = selection.deal.data
    us = data["governing_law"] in ("new-york", "delaware")
    msa = selection.deal
    title = f"Statement of Work No. {sow.number}: {sow.title}"
    dated = w.longdate(data["effective_date"], us_style=us)
    # The parties as the Agreement names them, the last one saying which Agreement this is
    # made under (a party paragraph's first run is its "(1)" label in Word: no run goes first).
    *first, last = parties(data)
    under = (
        Run(
            f"). This Statement of Work is made under the {data['title']} dated {dated} between "
            "the Customer and the Supplier (the "
        ),
        Run("\u201cAgreement\u201d", bold=True),
        Run(")."),
    )
    named = (*first, Para(last.runs[:-1] + under))
    status = data.get("status", "draft")
    return Document(
        title=title,
        deal={**msa.data, "title": title, "document": _settings(data, sow)},
        articles=articles,
        schedules=(),
        definitions=(),
        draft_banner="DRAFT \u2014 subject to contract" if status == "draft" else None,
        date_line=f"Dated {w.longdate(sow.start.isoformat(), us_style=us)}",
        parties=named,
        signatories=signatories(data),
    )


def sow_stem(stem: str, sow: Sow) -> str:
    """outputs/<deal>.sow-<id>: beside the Agreement's files, sorted with them."""
    return f"{stem}.sow-{sow.id}"


def sow_files(
    sows: tuple[tuple[Sow, Document], ...],
    stem: str,
    formats: Sequence[str],
    reference: bytes | None,
    notes: bool = False,
) -> dict[str, bytes]:
    """Each SOW's Markdown and Word files (Word through the writer's public API); an internal
    copy (``notes``) carries each paragraph's drafting notes and guidance as Word comments."""
    files: dict[str, bytes] = {}
    for sow, doc in sows:
        name = sow_stem(stem, sow)
        if "md" in formats:
            from ..writers.markdown import render_markdown

            files[f"{name}.md"] = render_markdown(doc).encode("utf-8")
        if "docx" in formats:  # (a PDF is made of the Agreement only)
            from ..writers.docx import DocxOptions, render_docx

            opts = DocxOptions(
                reference=reference, notes=notes, properties=(("Clausebook SOW", sow.id),)
            )
            files[f"{name}.docx"] = render_docx(doc, options=opts)
    return files


def sow_manifest(
    sows: tuple[tuple[Sow, Document], ...], stem: str, outputs: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The manifest's record of each SOW: what it says that differs, and its files' hashes."""
    out = []
    for sow, _ in sows:
        name = sow_stem(stem, sow)
        out.append(
            {
                "id": sow.id,
                "number": sow.number,
                "title": sow.title,
                "at": sow.where,
                "services": list(sow.services),
                "locations": list(sow.locations),
                "term": {"start": sow.start.isoformat(), "end": sow.end.isoformat()},
                "service_levels": {t.metric: t.target for t in sow.targets},
                "variations": [
                    {
                        "clause": v.clause.clause.id,
                        "number": v.clause.number,
                        "parameter": v.agreement.name,
                        "agreement": v.agreement.value,
                        "sow": v.value,
                        "at": v.where,
                    }
                    for v in sow.variations
                ],
                "outputs": {k: h for k, h in sorted(outputs.items()) if k.startswith(f"{name}.")},
            }
        )
    return out


def _settings(data: Mapping[str, Any], sow: Sow) -> dict[str, Any]:
    """The Agreement's Word settings, with a footer reference naming the SOW: "HL/0427 / SOW 2"."""
    settings = dict(data.get("document") or {})
    settings["reference"] = f"{settings.get('reference') or data['id']} / SOW {sow.number}"
    # the writers' wording for this kind of document (writers/attestation.py)
    us = data["governing_law"] in ("new-york", "delaware")
    dated = w.longdate(data["effective_date"], us_style=us)
    settings["instrument"] = "Statement of Work"
    settings["made_under"] = f"Made under the {data['title']} dated {dated}"
    return settings
