"""What the calculator records: lines citing clauses, Critical Service Failures, month and whole
statements, and the running state one calculation keeps (private to contract/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .terms import CreditTerms, ServiceLevel

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def pct(x: Decimal) -> str:
    text = format(x.normalize(), "f")
    return f"{text}%"


@dataclass(frozen=True)
class Line:
    month: int
    kind: str  # failure | credit | monthly-cap | annual-cap | earn-back | no-earn-back | trigger | stabilisation | promoted
    level: str | None
    amount: Decimal | None
    clause: str
    text: str


@dataclass(frozen=True)
class Trigger:
    month: int
    kind: str
    level: str | None
    failures: frozenset[tuple[int, str]]  # the failures that form part of it
    clause: str
    text: str


@dataclass(frozen=True)
class MonthStatement:
    month: int
    label: str
    contract_year: int
    charges: Decimal
    at_risk: Decimal
    credits: Decimal  # payable after both caps
    earn_back: Decimal
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Statement:
    terms: CreditTerms
    months: tuple[MonthStatement, ...]
    triggers: tuple[Trigger, ...]
    notes: tuple[str, ...]

    @property
    def total_credits(self) -> Decimal:
        return sum((m.credits for m in self.months), Decimal(0))

    @property
    def total_earn_back(self) -> Decimal:
        return sum((m.earn_back for m in self.months), Decimal(0))


def meets(lv: ServiceLevel, measured: Decimal, margin: Decimal = Decimal(0)) -> bool:
    """Met (by ``margin`` points for a percentage, or ``margin`` per cent of the target else)."""
    step = margin if lv.unit == "percent" else lv.target * margin / HUNDRED
    if lv.direction == "at least":
        return measured >= lv.target + step
    return measured <= lv.target - step


@dataclass
class State:
    """What the months so far leave behind; private to one calculation."""

    failed: dict[tuple[int, str], bool] = field(default_factory=dict)  # (month, level) -> failed
    excused: set[tuple[int, str]] = field(default_factory=set)
    stabilised: set[tuple[int, str]] = field(
        default_factory=set
    )  # failures in a Stabilisation Period
    critical: dict[int, dict[str, Decimal]] = field(
        default_factory=dict
    )  # month -> level -> allocation
    credited: dict[tuple[int, str], Decimal] = field(default_factory=dict)  # payable share
    windows: dict[tuple[int, str], int] = field(
        default_factory=dict
    )  # failures counted for the factor
    cap_months: set[int] = field(default_factory=set)
    year_credits: dict[int, Decimal] = field(default_factory=dict)
    promoted: dict[str, int] = field(default_factory=dict)  # Key level -> months met while promoted
    misses: dict[str, int] = field(default_factory=dict)
    met_run: dict[str, int] = field(default_factory=dict)
    stab_over: set[str] = field(default_factory=set)
