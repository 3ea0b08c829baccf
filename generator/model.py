"""Frozen dataclasses passed between the pipeline stages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .source import Pointer, SourceFile

STANCES = ("client", "balanced", "provider")

# Clauses of this topic (clauses/sow/) are the paragraphs of a Statement of Work document: no
# playbook places them and they take no stance (the Agreement's clauses carry the positions).
SOW_TOPIC = "sow"


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str | None = None
    choices: tuple[str, ...] = ()
    fields: tuple[tuple[str, Parameter], ...] = ()
    items: Parameter | None = None
    description: str = ""
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    # A figure only the deal can state: never printed from a default as if it were agreed.
    deal_supplied: bool = False


@dataclass(frozen=True)
class Variant:
    id: str
    stance: str
    maturity: tuple[int, ...]
    text: str
    notes: str
    guidance: str
    when: str | None = None
    title: str | None = None
    parameters: tuple[tuple[str, Any], ...] = ()
    deprecated: bool = False
    index: int = 0  # position in the clause file, for pointing at lines


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    topic: str
    kind: str
    version: str
    status: str
    owner: str
    summary: str
    requires: tuple[str, ...]
    defines: tuple[tuple[str, str], ...]
    parameters: tuple[Parameter, ...]
    variants: tuple[Variant, ...]
    source: SourceFile = field(compare=False, repr=False)

    def variant(self, vid: str) -> Variant | None:
        return next((v for v in self.variants if v.id == vid), None)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True)
class Article:
    title: str
    clauses: tuple[str, ...]
    index: int


@dataclass(frozen=True)
class Rule:
    id: str
    when: str
    include: tuple[str, ...]
    reason: str
    index: int


# ---- the CoE's positions: a ladder of steps per clause (read in pipeline/positions.py) ----

NUMERIC = ("integer", "number", "percent", "money")
CHOICE = ("boolean", "enum", "string", "date")


@dataclass(frozen=True)
class Bound:
    """A limit on one parameter (``name`` may be ``record.field``)."""

    name: str
    low: float | None = None
    high: float | None = None
    values: tuple[Any, ...] | None = None  # accepted values; None: any value within low..high

    def accepts(self, value: Any) -> bool:
        if self.values is not None:
            return any(_same(value, v) for v in self.values)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def covers(self, other: Bound) -> bool:
        """True when this bound accepts every value ``other`` accepts."""
        if self.values is not None:
            if other.values is None:
                return False
            return all(self.accepts(v) for v in other.values)
        if other.values is not None:
            return all(self.accepts(v) for v in other.values)
        low_ok = self.low is None or (other.low is not None and other.low >= self.low)
        high_ok = self.high is None or (other.high is not None and other.high <= self.high)
        return low_ok and high_ok

    def describe(self) -> str:
        if self.values is not None:
            shown = [_show(v) for v in self.values]
            return shown[0] if len(shown) == 1 else "one of " + ", ".join(shown)
        if self.low is not None and self.high is not None:
            return f"between {_show(self.low)} and {_show(self.high)}"
        if self.low is not None:
            return f"at least {_show(self.low)}"
        return f"at most {_show(self.high)}"


@dataclass(frozen=True)
class Step:
    key: str  # "preferred" | "fallback-1" ... | "walk-away": what an approval's `step` names
    rank: int  # 0 for preferred
    label: str
    adds: tuple[str, ...]  # variants this step names
    variants: tuple[str, ...] | None  # every variant accepted so far; None: any variant
    bounds: tuple[Bound, ...]  # every limit in force at this step
    approvers: tuple[str, ...]
    guidance: str
    pointer: Pointer

    def bound(self, name: str) -> Bound | None:
        return next((b for b in self.bounds if b.name == name), None)

    def summary(self) -> str:
        """What this step accepts, for people: "variant client; at_risk_percent at least 15"."""
        parts = []
        if self.variants is not None:
            parts.append("variant " + " or ".join(self.variants))
        parts.extend(f"{b.name} {b.describe()}" for b in self.bounds)
        return "; ".join(parts) or "any variant and values"


@dataclass(frozen=True)
class Position:
    clause: str
    steps: tuple[Step, ...]  # preferred first, walk-away (or the last fallback) last
    note: str
    pointer: Pointer

    @property
    def preferred(self) -> Step:
        return self.steps[0]

    @property
    def limit(self) -> Step:
        """The walk-away point: the last step (a position with only a preferred step is non-negotiable)."""
        return self.steps[-1]

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def first_step_of(self, variant: str) -> Step | None:
        """The first step that accepts ``variant`` at all (whatever the parameters)."""
        return next((s for s in self.steps if s.variants is None or variant in s.variants), None)


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Positions:
    playbook: str
    roles: dict[str, Role]
    positions: dict[str, Position]
    source: SourceFile


def step_name(key: str) -> str:
    """'fallback-1' -> 'Fallback 1' for prose; 'walk-away' stays hyphenated."""
    return "Walk-away" if key == "walk-away" else key.replace("-", " ").capitalize()


def _same(a: Any, b: Any) -> bool:
    # True == 1 in Python; a limit of `false` must not accept 0, nor `1` accept true.
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def show(value: Any) -> str:
    """How a parameter value reads in messages and reports."""
    return _show(value)


@dataclass(frozen=True)
class Playbook:
    id: str
    title: str
    structure: tuple[Article, ...]
    schedules: tuple[str, ...]
    rules: tuple[Rule, ...]
    parameters: dict[str, dict[str, Any]]
    positions: Positions = field(compare=False, repr=False)
    source: SourceFile = field(compare=False, repr=False)
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Deal:
    id: str
    name: str  # file stem: names the outputs
    data: dict[str, Any] = field(compare=False)
    source: SourceFile = field(compare=False, repr=False)

    @property
    def maturity(self) -> int:
        return int(self.data["maturity"])

    @property
    def stance(self) -> str:
        return str(self.data["stance"])


@dataclass(frozen=True)
class Library:
    root: str
    clauses: dict[str, Clause]
    playbooks: dict[str, Playbook]
    files: tuple[SourceFile, ...] = field(repr=False, default=())


# ---- selection -------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A resolved parameter value and where it came from."""

    name: str
    value: Any
    source: str  # "clause default" | "variant default" | "playbook" | "deal override"
    where: str  # path:line of the value


@dataclass(frozen=True)
class Selected:
    clause: Clause
    variant: Variant
    values: tuple[Value, ...]
    reason: str
    included_because: str
    number: str  # "14.2" for clauses, "3" for schedules

    @property
    def params(self) -> dict[str, Any]:
        return {v.name: v.value for v in self.values}


@dataclass(frozen=True)
class SelectedArticle:
    number: str
    title: str
    clauses: tuple[Selected, ...]


@dataclass(frozen=True)
class Selection:
    deal: Deal
    playbook: Playbook
    articles: tuple[SelectedArticle, ...]
    schedules: tuple[Selected, ...]
    excluded: tuple[tuple[str, str], ...]  # (clause id, reason)

    def all(self) -> tuple[Selected, ...]:
        return tuple(c for a in self.articles for c in a.clauses) + self.schedules


# ---- rendered document -------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """Inline text. ``ref`` names a clause when the run is a cross-reference; ``code`` marks a
    command or file name in a report (never in contract text)."""

    text: str
    bold: bool = False
    italic: bool = False
    ref: str | None = None
    code: bool = False


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    number: str | None = None  # "14.2.1" for a numbered sub-clause
    list_level: int = 0  # 0: body; 1: (a); 2: (i); 3: (A)
    label: str | None = None  # "(a)" as printed in Markdown
    bullet: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]


Block = Para | Table


@dataclass(frozen=True)
class RenderedClause:
    id: str
    number: str
    title: str
    blocks: tuple[Block, ...]
    kind: str
    notes: str
    guidance: str
    variant: str


@dataclass(frozen=True)
class RenderedArticle:
    number: str
    title: str
    clauses: tuple[RenderedClause, ...]


@dataclass(frozen=True)
class Document:
    title: str
    deal: dict[str, Any] = field(compare=False)
    articles: tuple[RenderedArticle, ...]
    schedules: tuple[RenderedClause, ...]
    definitions: tuple[tuple[str, tuple[Run, ...]], ...]
    draft_banner: str | None
    date_line: str
    parties: tuple[Para, ...]
    signatories: tuple[tuple[str, str, str, str], ...]  # (role, party name, signatory name, title)


# ---- reports (the negotiation memo): the same blocks, with headings ------------------------


@dataclass(frozen=True)
class Heading:
    level: int  # 1: the report's title; 2: a section; 3: a subsection
    runs: tuple[Run, ...]


ReportBlock = Heading | Para | Table


@dataclass(frozen=True)
class Report:
    """A document for the firm's own people (not a contract): headings, paragraphs, lists and
    tables, written by the same Markdown and Word writers as the drafts."""

    title: str
    blocks: tuple[ReportBlock, ...]
    subject: str = ""
    keywords: str = ""
    comments: str = ""
