"""Hand-computed cases for every credit regime in the library, month by month.

fa-sox-fixed: Service Credits (client) are Clause 5.3 and Critical Service Failure Clause 5.4;
15% at risk, credit factors 100/150/200% and six Critical Service Levels with Allocation
Percentages 20, 20, 20, 20, 15 and 15 (110% in all) in Schedule 3.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.contract.terms import read_terms
from tests.contract.helpers import REPO, kinds, month, run, selection

SAMPLES = sorted(p.stem for p in (REPO / "deals").glob("*.yaml"))

ACC, TAT, CLOSE, SAT, QUAL, SEC = (
    "processing-accuracy",
    "processing-turnaround",
    "period-end-close-timeliness",
    "end-user-satisfaction",
    "quality-score",
    "security-incident-notification",
)
ALL_FAIL = {ACC: "90", TAT: "90", CLOSE: "90", SAT: "80", QUAL: "80", SEC: "90"}


def every(months: range, failures: dict[str, str]) -> dict[tuple[int, str], str]:
    return {(n, level): v for n in months for level, v in failures.items()}


def test_a_month_without_failure_owes_nothing(tmp_path: Path) -> None:
    st = run(tmp_path, "fa-sox-fixed", {})
    assert st.total_credits == 0 and st.total_earn_back == 0
    assert all(not m.lines for m in st.months)
    assert not st.triggers


def test_one_failure_is_at_risk_times_allocation_times_first_factor(tmp_path: Path) -> None:
    st = run(tmp_path, "fa-sox-fixed", {(1, ACC): "98"}, charges="200000")
    # 15% x 200,000 = 30,000 at risk; x 20% allocation x 100% factor = 6,000.00
    (credit,) = kinds(st, 1, "credit")
    assert credit.amount == Decimal("6000.00")
    assert credit.clause == "Clause 5.3"
    assert month(st, 1).at_risk == Decimal("30000.00")
    assert st.total_credits == Decimal("6000.00")
    (failure,) = kinds(st, 1, "failure")
    assert failure.clause == "Schedule 3" and "performance.csv:2" in failure.text


def test_repeat_failures_escalate_and_two_in_a_row_are_a_critical_service_failure(
    tmp_path: Path,
) -> None:
    st = run(tmp_path, "fa-sox-fixed", every(range(1, 4), {ACC: "98"}), charges="200000")
    assert [month(st, n).credits for n in (1, 2, 3)] == [
        Decimal("6000.00"),  # 100%
        Decimal("9000.00"),  # 150%
        Decimal("12000.00"),  # 200%
    ]
    # The client form: two (2) consecutive failures, or three (3) within any six (6) periods.
    assert [(t.month, t.kind, t.level, t.clause) for t in st.triggers] == [
        (2, "repeat-consecutive", ACC, "Clause 5.4"),
        (3, "repeat-in-window", ACC, "Clause 5.4"),
        (3, "repeat-consecutive", ACC, "Clause 5.4"),
    ]
    assert "within 120 days" in st.triggers[0].text  # the client form's exercise_days


def test_failures_not_in_a_row_trigger_only_when_the_window_count_is_reached(
    tmp_path: Path,
) -> None:
    fails = {(1, ACC): "98", (3, ACC): "98", (6, ACC): "98", (8, ACC): "98"}
    st = run(tmp_path, "fa-sox-fixed", fails, charges="200000")
    # months 1, 3, 6 are three within six periods (1-6); 3, 6, 8 are three within 3-8
    assert [(t.month, t.kind) for t in st.triggers] == [
        (6, "repeat-in-window"),
        (8, "repeat-in-window"),
    ]


def test_monthly_cap_limits_credits_to_the_at_risk_amount(tmp_path: Path) -> None:
    st = run(tmp_path, "fa-sox-fixed", every(range(1, 2), ALL_FAIL), charges="200000")
    # 30,000 x 110% = 33,000 owed, limited to the At-Risk Amount of 30,000.
    assert month(st, 1).credits == Decimal("30000.00")
    (cap,) = kinds(st, 1, "monthly-cap")
    assert cap.amount == Decimal("-3000.00") and cap.clause == "Clause 5.3"
    assert "concurrent" in {t.kind for t in st.triggers}  # six at once; the client form says three


def test_reaching_the_at_risk_amount_twice_is_a_critical_service_failure(tmp_path: Path) -> None:
    measured = every(range(1, 2), ALL_FAIL) | every(range(6, 7), ALL_FAIL)
    st = run(tmp_path, "fa-sox-fixed", measured)
    assert [t.month for t in st.triggers if t.kind == "at-risk-reached"] == [6]


def test_annual_cap_binds_under_the_provider_form(tmp_path: Path) -> None:
    # Provider form: 8% at risk, factors 25/50/100%, annual cap 6% of the Contract Year's Charges.
    st = run(
        tmp_path,
        "fa-sox-fixed",
        every(range(1, 13), ALL_FAIL),
        variants={"service-credits": "provider"},
    )
    credits = [month(st, n).credits for n in range(1, 13)]
    # 8,000 x 110% x 25% = 2,200; x 50% = 4,400; x 100% = 8,800 limited to 8,000 ...
    assert credits[:3] == [Decimal("2200.00"), Decimal("4400.00"), Decimal("8000.00")]
    # ... until 6% of 1,200,000 = 72,000: 70,600 after month 10, 1,400 in month 11, none after.
    assert credits[9:] == [Decimal("8000.00"), Decimal("1400.00"), Decimal("0.00")]
    assert st.total_credits == Decimal("72000.00")
    assert kinds(st, 11, "annual-cap")[0].amount == Decimal("-6600.00")


def test_key_service_level_missed_three_times_becomes_critical_under_the_client_form(
    tmp_path: Path,
) -> None:
    st = run(tmp_path, "fa-sox-fixed", every(range(1, 5), {"backlog": "5"}))
    assert [month(st, n).credits for n in (1, 2, 3)] == [Decimal("0.00")] * 3
    # From month 4: 15,000 at risk x 5% (ksl_allocation_percent) x 100% = 750.
    assert month(st, 4).credits == Decimal("750.00")
    assert kinds(st, 3, "promoted")


def test_the_reference_floor_keeps_the_at_risk_amount_when_charges_fall(tmp_path: Path) -> None:
    charges = {n: "100000" for n in range(1, 13)} | {4: "70000"}
    variable = run(tmp_path, "claims-hipaa-transaction", {(4, ACC): "98"}, charges=charges)
    fixed = run(tmp_path, "fa-sox-fixed", {(4, ACC): "98"}, charges=charges)
    # Variable pricing: 15% of the 100,000 average of the three months before = 15,000 x 20%.
    assert month(variable, 4).credits == Decimal("3000.00")
    # Fixed pricing: 15% of the month's own 70,000 = 10,500 x 20%.
    assert month(fixed, 4).credits == Decimal("2100.00")


def test_excused_failure_attracts_no_credit_and_counts_for_nothing(tmp_path: Path) -> None:
    st = run(tmp_path, "fa-sox-fixed", every(range(1, 4), {ACC: "98"}), excused=[(2, ACC)])
    assert month(st, 2).credits == 0
    assert month(st, 3).credits == Decimal("4500.00")  # second counted failure: 15,000 x 20% x 150%
    assert not st.triggers


def test_balanced_earn_back_returns_the_whole_credit_after_three_periods_met(
    tmp_path: Path,
) -> None:
    st = run(tmp_path, "offshore-remote", {(5, ACC): "98"})
    # 12% of 100,000 x 20% x 50% = 1,200, earned back at 100% in month 8 (Clause 5.5).
    assert month(st, 5).credits == Decimal("1200.00")
    (eb,) = kinds(st, 8, "earn-back")
    assert eb.amount == Decimal("-1200.00") and eb.clause == "Clause 5.5"
    assert month(st, 8).earn_back == Decimal("1200.00")


def test_client_earn_back_needs_the_margin_and_no_other_critical_failure(tmp_path: Path) -> None:
    # Client form: 50% back, target beaten by one point in each of three periods.
    earned = run(tmp_path / "a", "claims-hipaa-transaction", {(2, ACC): "98"})
    assert month(earned, 5).earn_back == Decimal("1500.00")  # half of 15% x 100,000 x 20%
    short = run(tmp_path / "b", "claims-hipaa-transaction", {(2, ACC): "98", (4, ACC): "99.5"})
    assert short.total_earn_back == 0
    assert "margin" in kinds(short, 5, "no-earn-back")[0].text
    other = run(tmp_path / "c", "claims-hipaa-transaction", {(2, ACC): "98", (3, QUAL): "80"})
    assert month(other, 5).earn_back == 0
    assert "another Critical Service Level" in kinds(other, 5, "no-earn-back")[0].text


def test_no_credit_during_the_stabilisation_period(tmp_path: Path) -> None:
    # offshore-remote: balanced Service Levels, three months' stabilisation (Clause 5.1).
    st = run(tmp_path, "offshore-remote", every(range(1, 2), {ACC: "98"}))
    assert month(st, 1).credits == 0
    assert kinds(st, 1, "stabilisation")[0].clause == "Clause 5.1"


def test_stabilisation_ends_early_once_a_level_is_met_for_the_recovery_periods(
    tmp_path: Path,
) -> None:
    # Met in months 1 and 2 (recovery_periods 2): its Stabilisation Period ends; month 3 credits.
    st = run(tmp_path, "offshore-remote", {(3, ACC): "98"})
    assert month(st, 3).credits == Decimal("1200.00")
    # A level that failed in month 1 is still in its Stabilisation Period in month 3.
    later = run(tmp_path / "b", "offshore-remote", {(1, ACC): "98", (3, ACC): "98"})
    assert month(later, 3).credits == 0


def test_every_line_cites_a_clause_of_the_draft(tmp_path: Path) -> None:
    st = run(tmp_path, "offshore-remote", every(range(4, 8), {ACC: "98", QUAL: "80"}))
    lines = [ln for m in st.months for ln in m.lines]
    assert lines
    assert {ln.clause for ln in lines} <= {
        "Clause 5.1",
        "Clause 5.4",
        "Clause 5.5",
        "Clause 5.6",
        "Schedule 3",
    }
    assert all(t.clause == "Clause 5.6" for t in st.triggers) and st.triggers


@pytest.mark.parametrize("sample", SAMPLES)
def test_credits_work_on_every_sample_deal(tmp_path: Path, sample: str) -> None:
    sel = selection(REPO / "deals" / f"{sample}.yaml")
    first = next(lv for lv in read_terms(sel).levels if lv.critical)
    bad = "0" if first.direction == "at least" else str(first.target * 2)
    st = run(tmp_path, sample, {(6, first.id): bad}, months=range(1, 13))
    (credit,) = kinds(st, 6, "credit")
    terms = st.terms
    expected = (Decimal(100000) * terms.at_risk_percent / 100 * first.allocation / 100).quantize(
        Decimal("0.01")
    )
    assert credit.amount == expected * terms.tiers[0].factor / 100
    assert credit.clause == terms.clause


def test_provider_earn_back_on_the_average_and_the_annual_sweep(tmp_path: Path) -> None:
    # Supplier form: 100% back when the average of the next three periods meets the target,
    # and a Contract Year met on average returns every credit of that level not yet recovered.
    measured = {(5, ACC): "98", (6, ACC): "97", (7, ACC): "99.2", (8, ACC): "99.2"}
    st = run(tmp_path, "offshore-remote", measured, variants={"earn-back": "provider"})
    # 12% of 100,000 = 12,000 x 20%: 50% for the first failure, 100% for the second.
    assert [month(st, n).credits for n in (5, 6)] == [Decimal("1200.00"), Decimal("2400.00")]
    # Month 5's credit: months 6-8 average 98.47, below 99; month 6's: months 7-9 average 99.47.
    assert "average" in kinds(st, 8, "no-earn-back")[0].text
    assert month(st, 9).earn_back == Decimal("2400.00")
    # Year 1 averages 99.58 (ten months at 100): the sweep returns month 5's 1,200 in month 12.
    (sweep,) = kinds(st, 12, "earn-back")
    assert sweep.amount == Decimal("-1200.00") and "Contract Year 1" in sweep.text
    assert st.total_earn_back == st.total_credits
