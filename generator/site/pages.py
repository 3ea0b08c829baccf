"""What each page of the site shows, gathered from the library with the pipeline's and the
playbook's public functions into frozen records the templates print (and escape)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import STANCES, Clause, Library, Parameter, Selection, Variant, show, step_name
from ..playbook.check import DealCheck, check_deal
from ..playbook.outcomes import OutcomeRecord
from ..playbook.stats import Stats, VariantStats
from .diff import site_ops
from .text import Shown, sample_values, show_text


@dataclass(frozen=True)
class ParamRow:
    name: str
    type: str
    unit: str
    bounds: str
    default: str
    description: str


@dataclass(frozen=True)
class VariantView:
    variant: Variant
    shown: Shown
    sample: str  # where the sample values come from, for people


@dataclass(frozen=True)
class DiffView:
    a: str
    b: str
    ops: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        return f"{self.a}--{self.b}"


@dataclass(frozen=True)
class StepView:
    name: str
    label: str
    accepts: str
    approvers: tuple[str, ...]
    guidance: str


@dataclass(frozen=True)
class LadderView:
    playbook: str
    note: str
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class UseView:
    """A sample deal that includes the clause."""

    deal: str  # the page name (deal file stem)
    title: str
    variant: str
    included_because: str
    reason: str


@dataclass(frozen=True)
class StatsView:
    rows: tuple[VariantStats, ...]
    min_deals: int
    records: int
    sample_records: int

    @property
    def thin(self) -> bool:
        """Too few deals behind any row to judge by (the warning `playbook stats` gives)."""
        return any(r.offered < self.min_deals for r in self.rows)


@dataclass(frozen=True)
class OutcomeNote:
    """What a negotiator recorded about the clause in a signed deal's outcome record."""

    deal: str
    counterparty: str
    signed: str
    variant: str
    note: str


@dataclass(frozen=True)
class ClausePage:
    clause: Clause
    params: tuple[ParamRow, ...]
    variants: tuple[VariantView, ...]
    diffs: tuple[DiffView, ...]
    ladders: tuple[LadderView, ...]
    stats: StatsView | None
    uses: tuple[UseView, ...]
    uses_terms: tuple[tuple[str, str], ...]  # (term, defining clause)
    definitions: tuple[tuple[str, Shown], ...]  # the terms it defines, rendered
    notes: tuple[OutcomeNote, ...] = ()

    @property
    def grid(self) -> tuple[tuple[int, tuple[tuple[Variant, ...], ...]], ...]:
        """Maturity level -> for each stance (client, balanced, provider) the live variants."""
        live = [v.variant for v in self.variants if not v.variant.deprecated]
        return tuple(
            (
                lvl,
                tuple(
                    tuple(v for v in live if v.stance == s and lvl in v.maturity) for s in STANCES
                ),
            )
            for lvl in (1, 2, 3, 4)
        )


@dataclass(frozen=True)
class DealPage:
    name: str
    path: str
    selection: Selection
    check: DealCheck
    drafts: tuple[str, ...]  # file names under drafts/


def bounds(p: Parameter) -> str:
    parts = []
    if p.minimum is not None and p.maximum is not None:
        parts.append(f"{show(p.minimum)} to {show(p.maximum)}")
    elif p.minimum is not None:
        parts.append(f"at least {show(p.minimum)}")
    elif p.maximum is not None:
        parts.append(f"at most {show(p.maximum)}")
    if p.choices:
        parts.append("one of " + ", ".join(p.choices))
    if p.max_length is not None:
        parts.append(f"at most {p.max_length} characters")
    if p.min_items is not None or p.max_items is not None:
        parts.append(
            f"{p.min_items or 0} to {p.max_items if p.max_items is not None else 'any'} items"
        )
    return "; ".join(parts)


def param_rows(c: Clause) -> tuple[ParamRow, ...]:
    return tuple(
        ParamRow(
            p.name,
            p.type,
            p.unit or "",
            bounds(p),
            "" if p.default is None else show(p.default),
            p.description,
        )
        for p in c.parameters
    )


def variant_views(
    lib: Library,
    c: Clause,
    selections: Sequence[tuple[str, Selection]],
    fallback: Mapping[str, Any],
) -> tuple[VariantView, ...]:
    """Each variant with the values of the first sample deal that selects it, else with the
    clause's and variant's defaults and the first sample deal's profile."""
    out = []
    order = {s: i for i, s in enumerate(STANCES)}
    for v in sorted(c.variants, key=lambda v: (order.get(v.stance, 9), min(v.maturity), v.index)):
        hit = next(
            (
                (name, sel, s)
                for name, sel in selections
                for s in sel.all()
                if s.clause.id == c.id and s.variant.id == v.id
            ),
            None,
        )
        if hit is not None:
            name, sel, s = hit
            shown = show_text(lib, v.text, s.params, sel.deal.data)
            sample = f"values of the sample deal {name}"
        else:
            shown = show_text(lib, v.text, sample_values(c, v), fallback)
            sample = "the clause's default values"
        out.append(VariantView(v, shown, sample))
    return tuple(out)


def diffs(views: Sequence[VariantView]) -> tuple[DiffView, ...]:
    return tuple(
        DiffView(a.variant.id, b.variant.id, site_ops(a.shown.plain, b.shown.plain))
        for i, a in enumerate(views)
        for b in views[i + 1 :]
    )


def ladders(lib: Library, cid: str) -> tuple[LadderView, ...]:
    out = []
    for pb in sorted(lib.playbooks.values(), key=lambda p: p.id):
        pos = pb.positions.positions.get(cid)
        if pos is None:
            continue
        roles = pb.positions.roles
        steps = tuple(
            StepView(
                step_name(s.key),
                s.label,
                s.summary(),
                tuple(roles[r].title if r in roles else r for r in s.approvers),
                s.guidance,
            )
            for s in pos.steps
        )
        out.append(LadderView(pb.title, pos.note, steps))
    return tuple(out)


def stats_view(stats: Stats | None, cid: str) -> StatsView | None:
    if stats is None:
        return None
    rows = tuple(r for r in stats.variants if r.clause == cid and r.offered)
    if not rows:
        return None
    return StatsView(rows, stats.min_deals, stats.records, stats.sample_records)


def uses(cid: str, selections: Sequence[tuple[str, Selection]]) -> tuple[UseView, ...]:
    return tuple(
        UseView(
            name, str(sel.deal.data.get("title", name)), s.variant.id, s.included_because, s.reason
        )
        for name, sel in selections
        for s in sel.all()
        if s.clause.id == cid
    )


def definitions(
    lib: Library, selections: Sequence[tuple[str, Selection]]
) -> dict[tuple[str, str], Shown]:
    """(clause id, term) -> the definition rendered with the clause's defaults."""
    deal = fallback(selections)
    out = {}
    for c in lib.clauses.values():
        values = {p.name: p.default for p in c.parameters}
        for term, text in c.defines:
            out[(c.id, term)] = show_text(lib, text, values, deal)
    return out


def outcome_notes(records: Sequence[OutcomeRecord], cid: str) -> tuple[OutcomeNote, ...]:
    return tuple(
        OutcomeNote(r.deal, r.counterparty, r.signed, c.variant, c.note)
        for r in sorted(records, key=lambda r: (r.signed, r.deal))
        for c in r.clauses
        if c.clause == cid and c.note.strip()
    )


def fallback(selections: Sequence[tuple[str, Selection]]) -> Mapping[str, Any]:
    """The deal profile a text that no sample deal selects is rendered with: the first one."""
    return selections[0][1].deal.data if selections else {}


def clause_page(
    lib: Library,
    c: Clause,
    selections: Sequence[tuple[str, Selection]],
    stats: Stats | None,
    terms_used: Mapping[str, tuple[tuple[str, str], ...]],
    defs: Mapping[tuple[str, str], Shown],
    records: Sequence[OutcomeRecord] = (),
) -> ClausePage:
    views = variant_views(lib, c, selections, fallback(selections))
    return ClausePage(
        c,
        param_rows(c),
        views,
        diffs(views),
        ladders(lib, c.id),
        stats_view(stats, c.id),
        uses(c.id, selections),
        terms_used.get(c.id, ()),
        tuple((term, defs[(c.id, term)]) for term, _ in c.defines),
        outcome_notes(records, c.id),
    )


def deal_page(name: str, path: Path, sel: Selection, drafts: Sequence[str]) -> DealPage:
    return DealPage(name, path.as_posix(), sel, check_deal(sel), tuple(drafts))
