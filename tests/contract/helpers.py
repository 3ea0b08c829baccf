"""Deals and performance files for the contract tests, built from the real sample deals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from generator.contract import credit_statement, selection_for
from generator.contract.credits import Statement
from generator.contract.performance import month_label
from generator.contract.terms import CreditTerms, ServiceLevel, read_terms
from generator.model import Selection

REPO = Path(__file__).resolve().parents[2]


def deal_file(
    tmp_path: Path,
    sample: str,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    variants: Mapping[str, str] | None = None,
) -> Path:
    """A copy of deals/<sample>.yaml with parameter overrides and hand-chosen variants."""
    data = yaml.safe_load((REPO / "deals" / f"{sample}.yaml").read_text("utf-8"))
    for clause, values in (overrides or {}).items():
        data.setdefault("overrides", {}).setdefault(clause, {}).update(values)
    if variants:
        data.setdefault("variants", {}).update(variants)
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / f"{sample}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path


def selection(deal: Path) -> Selection:
    return selection_for(REPO, deal)


def good(lv: ServiceLevel) -> Decimal:
    """A measurement that meets the target by a comfortable margin."""
    if lv.direction == "no more than":
        return lv.target / 2
    return min(lv.target + 2, Decimal(100)) if lv.unit == "percent" else lv.target * 2


def files(
    tmp_path: Path,
    terms: CreditTerms,
    measured: Mapping[tuple[int, str], str],
    charges: Mapping[int, str] | str = "100000",
    months: Iterable[int] = range(1, 13),
    excused: Iterable[tuple[int, str]] = (),
) -> tuple[Path, Path]:
    """performance.csv and charges.csv: every level met except where ``measured`` says."""
    excused = set(excused)
    months = list(months)
    perf = ["month,service_level,measured,excused"]
    for n in months:
        for lv in terms.levels:
            value = measured.get((n, lv.id), str(good(lv)))
            perf.append(
                f"{month_label(terms, n)},{lv.id},{value},{'yes' if (n, lv.id) in excused else 'no'}"
            )
    paid = ["month,charges"]
    for n in months:
        amount = charges if isinstance(charges, str) else charges[n]
        paid.append(f"{month_label(terms, n)},{amount}")
    p, c = tmp_path / "performance.csv", tmp_path / "charges.csv"
    p.write_text("\n".join(perf) + "\n", "utf-8")
    c.write_text("\n".join(paid) + "\n", "utf-8")
    return p, c


def run(
    tmp_path: Path,
    sample: str,
    measured: Mapping[tuple[int, str], str],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    variants: Mapping[str, str] | None = None,
    **kw: Any,
) -> Statement:
    sel = selection(deal_file(tmp_path, sample, overrides, variants))
    p, c = files(tmp_path, read_terms(sel), measured, **kw)
    return credit_statement(sel, p, c)


def month(st: Statement, n: int) -> Any:
    return next(m for m in st.months if m.month == n)


def kinds(st: Statement, n: int, kind: str) -> list[Any]:
    return [ln for ln in month(st, n).lines if ln.kind == kind]
