"""Properties of the calculator over random performance: caps hold, better is never dearer,
no failure costs nothing."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as hs

from generator.contract.credits import calculate
from generator.contract.performance import Measurement, Performance
from generator.contract.terms import CreditTerms, read_terms
from tests.contract.helpers import REPO, selection

MONTHS = 14


@lru_cache
def terms(variant: str) -> CreditTerms:
    # fa-sox-fixed with the given Service Credits variant; read once (no files written).
    sel = selection(REPO / "deals" / "fa-sox-fixed.yaml")
    if variant == "client":
        return read_terms(sel)
    import tempfile

    from tests.contract.helpers import deal_file

    folder = Path(tempfile.mkdtemp())
    return read_terms(
        selection(deal_file(folder, "fa-sox-fixed", variants={"service-credits": variant}))
    )


# Per month and level: how far from the target, in steps (negative: better than the target).
series = hs.lists(
    hs.lists(hs.integers(min_value=-3, max_value=6), min_size=7, max_size=7),
    min_size=MONTHS,
    max_size=MONTHS,
)
charges = hs.lists(hs.integers(min_value=0, max_value=2_000_000), min_size=MONTHS, max_size=MONTHS)


def performance(t: CreditTerms, grid: list[list[int]], paid: list[int]) -> Performance:
    out = []
    for n, row in enumerate(grid, start=1):
        for lv, miss in zip(t.levels, row, strict=True):
            sign = -1 if lv.direction == "at least" else 1
            value = lv.target + sign * Decimal(miss) / 2
            value = (
                max(Decimal(0), min(value, Decimal(100)))
                if lv.unit == "percent"
                else max(Decimal(0), value)
            )
            out.append(Measurement(n, lv.id, value, False, f"p:{n}"))
    return Performance(
        tuple(out),
        {n: Decimal(c) for n, c in enumerate(paid, start=1)},
        tuple(range(1, MONTHS + 1)),
    )


@settings(max_examples=60, deadline=None)
@given(
    grid=series,
    paid=charges,
    variant=hs.sampled_from(["client", "provider", "banded", "client-banded"]),
)
def test_credits_never_exceed_the_monthly_or_the_annual_cap(
    grid: list[list[int]], paid: list[int], variant: str
) -> None:
    t = terms(variant)
    st = calculate(t, performance(t, grid, paid))
    for m in st.months:
        assert 0 <= m.credits <= m.at_risk
    if t.annual_cap_percent is not None:
        for year in {m.contract_year for m in st.months}:
            months = [m for m in st.months if m.contract_year == year]
            cap = sum((m.charges for m in months), Decimal(0)) * t.annual_cap_percent / 100
            assert sum((m.credits for m in months), Decimal(0)) <= cap + Decimal("0.01")


@settings(max_examples=60, deadline=None)
@given(
    grid=series,
    paid=charges,
    variant=hs.sampled_from(["client", "provider", "banded", "client-banded"]),
    month=hs.integers(min_value=0, max_value=MONTHS - 1),
    level=hs.integers(min_value=0, max_value=6),
    better=hs.integers(min_value=1, max_value=9),
)
def test_better_measured_performance_never_increases_credits(
    grid: list[list[int]], paid: list[int], variant: str, month: int, level: int, better: int
) -> None:
    t = terms(variant)
    improved = [row[:] for row in grid]
    improved[month][level] -= better
    worse = calculate(t, performance(t, grid, paid))
    best = calculate(t, performance(t, improved, paid))
    assert best.total_credits <= worse.total_credits


@settings(max_examples=30, deadline=None)
@given(paid=charges, variant=hs.sampled_from(["client", "provider", "banded", "client-banded"]))
def test_no_failure_gives_no_credit(paid: list[int], variant: str) -> None:
    t = terms(variant)
    grid = [[-1] * 7 for _ in range(MONTHS)]
    st = calculate(t, performance(t, grid, paid))
    assert st.total_credits == 0 and not st.triggers
