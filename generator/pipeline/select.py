"""Stage 3 — deal + playbook -> the ordered clauses of the draft, each with its reason."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..errors import ContentError, Diagnostic
from ..model import (
    STANCES,
    Clause,
    Deal,
    Library,
    Playbook,
    Selected,
    SelectedArticle,
    Selection,
    Value,
    Variant,
)
from .templates import RenderFailure, eval_condition, undeclared

STANCE_ORDER = {
    "client": ("client", "balanced", "provider"),
    "balanced": ("balanced", "client", "provider"),
    "provider": ("provider", "balanced", "client"),
}
assert set(STANCE_ORDER) == set(STANCES)


@lru_cache(maxsize=4096)
def _names_in(source: str) -> frozenset[str]:
    return frozenset(undeclared(source)[1])


def used_parameters(c: Clause, v: Variant) -> frozenset[str]:
    """The clause parameters variant ``v`` prints: its text and the clause's definitions."""
    names = set(_names_in(v.text))
    for _, definition in c.defines:
        names |= _names_in(definition)
    return frozenset(p.name for p in c.parameters if p.name in names)


def _at(src: Any, pointer: tuple[str | int, ...], key: bool = False) -> str:
    line, _ = src.where(pointer, key=key)
    return f"{src.path}:{line}"


class _Selector:
    def __init__(self, lib: Library, deal: Deal) -> None:
        self.lib, self.deal = lib, deal
        self.errors: list[Diagnostic] = []
        self.playbook: Playbook = lib.playbooks[deal.data["playbook"]]

    def when(self, expr: str, src: Any, pointer: tuple[str | int, ...]) -> bool:
        try:
            return eval_condition(expr, self.deal.data)
        except RenderFailure as f:
            self.errors.append(src.diag(pointer, "when", f"cannot evaluate '{expr}': {f.message}"))
            return False

    def fired_rules(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """clause id -> reasons of the rules that fired for it, and the rules that did not."""
        fired_for: dict[str, list[str]] = {}
        idle_for: dict[str, list[str]] = {}
        for r in self.playbook.rules:
            fired = self.when(r.when, self.playbook.source, ("rules", r.index, "when"))
            for cid in r.include:
                fired_for.setdefault(cid, [])
                if fired:
                    fired_for[cid].append(f"rule '{r.id}': {r.reason}")
                else:
                    idle_for.setdefault(cid, []).append(f"'{r.id}' ({r.when})")
        return fired_for, idle_for

    def choose(self, c: Clause) -> tuple[Variant, str] | None:
        deal = self.deal
        chosen = deal.data["variants"].get(c.id)
        if chosen:
            v = c.variant(chosen)
            assert v is not None  # checked when the deal was loaded
            where = _at(deal.source, ("variants", c.id))
            if deal.maturity not in v.maturity:
                self.errors.append(
                    deal.source.diag(
                        ("variants", c.id),
                        "variant-maturity",
                        f"variant '{v.id}' of '{c.id}' suits maturity {list(v.maturity)}, not {deal.maturity}",
                    )
                )
                return None
            if v.when and not self.when(v.when, c.source, ("variants", v.index, "when")):
                self.errors.append(
                    deal.source.diag(
                        ("variants", c.id),
                        "variant-when",
                        f"variant '{v.id}' of '{c.id}' does not apply: {v.when} is false",
                    )
                )
                return None
            return v, f"chosen by the deal ({where})"
        eligible = [
            v
            for v in c.variants
            if not v.deprecated
            and deal.maturity in v.maturity
            and (not v.when or self.when(v.when, c.source, ("variants", v.index, "when")))
        ]
        for rank, stance in enumerate(STANCE_ORDER[deal.stance]):
            for v in eligible:
                if v.stance == stance:
                    why = f"{stance} stance at maturity {deal.maturity}"
                    if rank:
                        why = f"no {deal.stance} variant for maturity {deal.maturity}; nearest stance: {stance}"
                    if v.when:
                        why += f"; when {v.when}"
                    return v, why
        self.errors.append(
            c.source.diag(
                ("variants",),
                "no-variant",
                f"no variant of '{c.id}' suits deal '{deal.id}' (maturity {deal.maturity}, stance {deal.stance})",
            )
        )
        return None

    def values(self, c: Clause, v: Variant) -> tuple[Value, ...]:
        src = c.source
        out: dict[str, Value] = {}
        for p in c.parameters:
            out[p.name] = Value(
                p.name, p.default, "clause default", _at(src, ("parameters", p.name, "default"))
            )
        for name, value in v.parameters:
            out[name] = Value(
                name, value, "variant default", _at(src, ("variants", v.index, "parameters", name))
            )
        pb = self.playbook
        for name, value in pb.parameters.get(c.id, {}).items():
            out[name] = Value(name, value, "playbook", _at(pb.source, ("parameters", c.id, name)))
        overrides = self.deal.data["overrides"].get(c.id, {})
        # parsing the template for the names it prints is most of a warm draft's selection:
        # only a clause the deal overrides needs them
        used = used_parameters(c, v) if overrides else frozenset()
        for name, value in overrides.items():
            if name not in used:
                self.errors.append(self._unused_override(c, v, name))
            out[name] = Value(
                name, value, "deal override", _at(self.deal.source, ("overrides", c.id, name))
            )
        return tuple(out.values())

    def _unused_override(self, c: Clause, v: Variant, name: str) -> Diagnostic:
        users = [u.id for u in c.variants if name in used_parameters(c, u)]
        who = ", ".join(f"'{u}'" for u in users) if users else "no variant"
        return self.deal.source.diag(
            ("overrides", c.id, name),
            "unused-override",
            f"override '{name}' of '{c.id}' is not used by the chosen variant '{v.id}' "
            f"(used by {who}); remove it or choose a variant that prints it",
            key=True,
        )


def select(lib: Library, deal: Deal) -> Selection:
    s = _Selector(lib, deal)
    pb = s.playbook
    rules, idle = s.fired_rules()
    excluded_by_deal = set(deal.data["exclude"])
    excluded: list[tuple[str, str]] = []

    def include(cid: str) -> str | None:
        if cid in excluded_by_deal:
            i = deal.data["exclude"].index(cid)
            excluded.append((cid, f"excluded by the deal ({_at(deal.source, ('exclude', i))})"))
            return None
        if cid in rules:
            if not rules[cid]:
                excluded.append(
                    (
                        cid,
                        "only included by rule "
                        + " or ".join(idle[cid])
                        + ", which does not apply",
                    )
                )
                return None
            return "; ".join(rules[cid])
        return "always in the playbook structure"

    def pick(cid: str, number: str) -> Selected | None:
        c = lib.clauses[cid]
        because = include(cid)
        if because is None:
            return None
        choice = s.choose(c)
        if choice is None:
            return None
        v, why = choice
        return Selected(c, v, s.values(c, v), why, because, number)

    articles: list[SelectedArticle] = []
    for a in pb.structure:
        n = len(articles) + 1
        picked: list[Selected] = []
        for cid in a.clauses:
            sel = pick(cid, f"{n}.{len(picked) + 1}")
            if sel is not None:
                picked.append(sel)
        if picked:
            articles.append(_article(lib, n, a.title, a.clauses, picked))
    schedules: list[Selected] = []
    for cid in pb.schedules:
        sel = pick(cid, str(len(schedules) + 1))
        if sel is not None:
            schedules.append(sel)

    everything = [x for art in articles for x in art.clauses] + schedules
    chosen = {x.clause.id for x in everything}
    for x in everything:
        _check_requires(x, chosen, deal, s.errors)
    if s.errors:
        raise ContentError(s.errors)
    return Selection(deal, pb, tuple(articles), tuple(schedules), tuple(excluded))


def _article(
    lib: Library, n: int, title: str, listed: tuple[str, ...], picked: list[Selected]
) -> SelectedArticle:
    ids = {x.clause.id for x in picked}
    left_out = [lib.clauses[c].title for c in listed if c not in ids]
    return SelectedArticle(str(n), article_title(title, left_out), tuple(picked))


def article_title(title: str, left_out: list[str]) -> str:
    """The article title without the names of clauses the draft leaves out: "Subcontracting and
    Multi-Provider Cooperation" is "Subcontracting" in a draft without multi-provider terms."""
    parts = re.split(r",\s*|\s+and\s+", title)
    # The first name is the article's subject and stays ("Data Protection and Security" keeps
    # its name when HIPAA terms replace the data protection clause); later names must be there.
    kept = parts[:1] + [p for p in parts[1:] if p not in left_out]
    if len(kept) == len(parts) or not kept:
        return title
    return kept[0] if len(kept) == 1 else ", ".join(kept[:-1]) + " and " + kept[-1]


def _check_requires(x: Selected, chosen: set[str], deal: Deal, errors: list[Diagnostic]) -> None:
    for i, dep in enumerate(x.clause.requires):
        if dep not in chosen:
            line, col = x.clause.source.where(("requires", i))
            errors.append(
                Diagnostic(
                    x.clause.source.path,
                    line,
                    col,
                    "requires",
                    f"'{x.clause.id}' requires '{dep}', which deal '{deal.name}' leaves out",
                )
            )
