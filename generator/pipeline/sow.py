"""Statements of Work: each entry of a deal's `sows:` read against the Agreement it sits under.

An SOW may narrow the Agreement (fewer towers, fewer locations, a shorter term, stricter
Service Level targets) and vary a clause's parameter for its own Services, within the
parameter's bounds and the playbook's walk-away point. Anything else is refused, every problem
at once, each at the deal file's line. The Agreement's values come from its Selection, so an SOW
is checked against what the Agreement actually says.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ContentError, Diagnostic
from ..model import Selected, Selection, Value
from ..source import Pointer, SourceFile
from .positions import place_values
from .select import used_parameters
from .values import override_problems


@dataclass(frozen=True)
class Target:
    """A Service Level target an SOW sets instead of the Service Level Schedule's."""

    metric: str
    direction: str  # "at least" | "no more than"
    unit: str
    agreement_target: float
    target: float
    where: str  # deal file:line of the SOW's value
    window: str = ""  # the rest as the Schedule's row states it: printed beside the target
    data_source: str = ""
    category: str = ""


@dataclass(frozen=True)
class Variation:
    """A parameter of an Agreement clause with another value for one SOW's Services."""

    clause: Selected  # the Agreement's clause, with its number and values
    agreement: Value  # the value in the Agreement, and where it came from
    value: Any
    where: str


@dataclass(frozen=True)
class Sow:
    number: int  # 1 for the first entry of `sows:`
    id: str
    title: str
    services: tuple[str, ...]
    locations: tuple[str, ...]
    locations_stated: bool  # False: the Agreement's locations, by default
    start: dt.date
    end: dt.date
    charges: tuple[Mapping[str, Any], ...]
    targets: tuple[Target, ...]
    variations: tuple[Variation, ...]
    where: str  # deal file:line of the entry


def _at(src: SourceFile, ptr: Pointer) -> str:
    return f"{src.path}:{src.where(ptr)[0]}"


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def initial_term_end(data: Mapping[str, Any]) -> dt.date:
    """The last day of the Initial Term: term_months from the Effective Date, less one day."""
    start = _date(data["effective_date"])
    months = start.month - 1 + int(data["term_months"])
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) - dt.timedelta(days=1)


def sla_rows(selection: Selection, services: tuple[str, ...]) -> dict[str, Mapping[str, Any]]:
    """The Service Level Schedule's rows that apply to ``services``, by metric."""
    sched = next((s for s in selection.schedules if s.clause.id == "sla-schedule"), None)
    if sched is None:
        return {}
    out: dict[str, Mapping[str, Any]] = {}
    for row in sched.params.get("service_levels") or []:
        applies = str(row.get("applies_to", "all")).split()
        if "all" in applies or any(s in applies for s in services):
            out[str(row["metric"])] = row
    return out


class _Reader:
    def __init__(self, selection: Selection) -> None:
        self.sel = selection
        self.deal = selection.deal
        self.src = selection.deal.source
        self.errors: list[Diagnostic] = []
        self.clauses = {s.clause.id: s for s in selection.all()}

    def err(self, ptr: Pointer, rule: str, message: str, key: bool = False) -> None:
        self.errors.append(self.src.diag(ptr, rule, message, key=key))

    def one(self, i: int, raw: Mapping[str, Any]) -> Sow:
        data = self.deal.data
        ptr: Pointer = ("sows", i)
        services = tuple(raw["services"])
        for j, s in enumerate(services):
            if s not in data["services"]:
                self.err(
                    (*ptr, "services", j),
                    "sow-service",
                    f"SOW '{raw['id']}': service '{s}' is not one of the Agreement's services "
                    f"({', '.join(data['services'])}); add it to the deal's services first",
                )
        msa_locations = data["delivery"]["locations"]
        locations = tuple(raw.get("locations") or msa_locations)
        for j, loc in enumerate(raw.get("locations") or []):
            if loc not in msa_locations:
                self.err(
                    (*ptr, "locations", j),
                    "sow-location",
                    f"SOW '{raw['id']}': location '{loc}' is not one of the Agreement's delivery "
                    f"locations ({', '.join(msa_locations) or 'none'})",
                )
        start, end = _date(raw["start"]), _date(raw["end"])
        self.term(raw["id"], ptr, start, end)
        return Sow(
            number=i + 1,
            id=str(raw["id"]),
            title=str(raw["title"]),
            services=services,
            locations=locations,
            locations_stated=bool(raw.get("locations")),
            start=start,
            end=end,
            charges=tuple(raw["charges"]),
            targets=self.targets(raw, ptr, services),
            variations=self.variations(raw, ptr),
            where=_at(self.src, ptr),
        )

    def term(self, sid: str, ptr: Pointer, start: dt.date, end: dt.date) -> None:
        data = self.deal.data
        effective, last = _date(data["effective_date"]), initial_term_end(data)
        if start < effective:
            self.err(
                (*ptr, "start"),
                "sow-term",
                f"SOW '{sid}' starts on {start}, before the Agreement's effective date {effective}",
            )
        if end > last:
            self.err(
                (*ptr, "end"),
                "sow-term",
                f"SOW '{sid}' ends on {end}, after the Agreement's Initial Term ends on {last} "
                f"({data['term_months']} months from {effective}); end it by {last} or extend the "
                "Agreement first",
            )
        if end < start:
            self.err((*ptr, "end"), "sow-term", f"SOW '{sid}' ends on {end}, before it starts")

    def targets(
        self, raw: Mapping[str, Any], ptr: Pointer, services: tuple[str, ...]
    ) -> tuple[Target, ...]:
        rows = sla_rows(self.sel, services)
        out: list[Target] = []
        for j, t in enumerate(raw.get("service_levels") or []):
            here: Pointer = (*ptr, "service_levels", j)
            row = rows.get(str(t["metric"]))
            if row is None:
                known = ", ".join(f"'{m}'" for m in rows) or "none"
                self.err(
                    (*here, "metric"),
                    "sow-service-level",
                    f"SOW '{raw['id']}': '{t['metric']}' is not a Service Level of the "
                    f"Agreement's Service Level Schedule for its services (those are: {known})",
                )
                continue
            direction, floor = str(row["direction"]), float(row["target"])
            looser = t["target"] < floor if direction == "at least" else t["target"] > floor
            if looser:
                self.err(
                    (*here, "target"),
                    "sow-service-level",
                    f"SOW '{raw['id']}': target {t['target']} for '{t['metric']}' is looser than "
                    f"the Agreement's ({direction} {row['target']} {row['unit']}); an SOW may "
                    "tighten a Service Level, never loosen it",
                )
                continue
            out.append(
                Target(
                    str(t["metric"]),
                    direction,
                    str(row["unit"]),
                    floor,
                    float(t["target"]),
                    _at(self.src, (*here, "target")),
                    str(row.get("window", "")),
                    str(row.get("data_source", "")),
                    str(row.get("category", "")),
                )
            )
        return tuple(out)

    def variations(self, raw: Mapping[str, Any], ptr: Pointer) -> tuple[Variation, ...]:
        lib_clauses = {s.clause.id: s.clause for s in self.sel.all()}
        out: list[Variation] = []
        for cid, values in (raw.get("overrides") or {}).items():
            here: Pointer = (*ptr, "overrides", cid)
            s = self.clauses.get(cid)
            if s is None:
                self.err(
                    here,
                    "sow-override",
                    f"SOW '{raw['id']}': clause '{cid}' is not in the Agreement's draft, so an "
                    "SOW cannot vary it",
                    key=True,
                )
                continue
            problems = override_problems(self.src, here, cid, values, lib_clauses)
            self.errors.extend(problems)
            if problems:
                continue
            out.extend(self.vary(raw["id"], here, s, values))
        return tuple(out)

    def vary(
        self, sid: str, here: Pointer, s: Selected, values: Mapping[str, Any]
    ) -> list[Variation]:
        used = used_parameters(s.clause, s.variant)
        out: list[Variation] = []
        for name, value in values.items():
            if name not in used:
                self.err(
                    (*here, name),
                    "sow-override",
                    f"SOW '{sid}': '{s.clause.id}' as drafted (variant '{s.variant.id}') does not "
                    f"print '{name}', so an SOW cannot vary it",
                    key=True,
                )
                continue
            current = next(v for v in s.values if v.name == name)
            out.append(Variation(s, current, value, _at(self.src, (*here, name))))
        position = self.sel.playbook.positions.positions.get(s.clause.id)
        if position is not None and out:
            params = s.params | {v.agreement.name: v.value for v in out}
            if place_values(position, s.variant.id, params) is None:
                self.err(
                    here,
                    "sow-walk-away",
                    f"SOW '{sid}': the values for '{s.clause.id}' go past the playbook's "
                    f"walk-away point ({position.limit.summary()})",
                    key=True,
                )
        return out


def read_sows(selection: Selection) -> tuple[Sow, ...]:
    """The deal's Statements of Work, checked against the Agreement; ContentError lists every
    problem of every SOW."""
    entries = selection.deal.data.get("sows") or []
    r = _Reader(selection)
    seen: dict[str, int] = {}
    sows = []
    for i, raw in enumerate(entries):
        if raw["id"] in seen:
            r.err(
                ("sows", i, "id"),
                "sow-duplicate",
                f"SOW id '{raw['id']}' is already used by SOW No. {seen[raw['id']] + 1}",
            )
        seen.setdefault(raw["id"], i)
        sows.append(r.one(i, raw))
    if r.errors:
        raise ContentError(r.errors)
    return tuple(sows)
