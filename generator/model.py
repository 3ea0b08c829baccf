"""Frozen dataclasses passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .load import SourceFile

STANCES = ("client", "balanced", "provider")


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


@dataclass(frozen=True)
class Playbook:
    id: str
    title: str
    structure: tuple[Article, ...]
    schedules: tuple[str, ...]
    rules: tuple[Rule, ...]
    parameters: dict[str, dict[str, Any]]
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
    """Inline text. ``ref`` names a clause when the run is a cross-reference."""

    text: str
    bold: bool = False
    italic: bool = False
    ref: str | None = None


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
