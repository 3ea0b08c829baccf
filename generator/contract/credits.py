"""The Service Credit calculator: month by month, exactly as the drafted clauses state.

Money is Decimal end to end and each amount is rounded half up to 0.01 of the currency, as the
draft prints money. Every line cites the clause that says so (``CreditTerms`` holds the numbers
the draft printed, so the two cannot disagree).
"""

from __future__ import annotations

from decimal import Decimal

from .consequences import credit_failure, earn_back, find_triggers
from .ledger import HUNDRED, Line, MonthStatement, State, Statement, Trigger, meets, money, pct
from .performance import Performance, month_label
from .terms import BANDED, Band, CreditTerms, ServiceLevel

__all__ = ["Statement", "band", "calculate", "factor", "meets", "shortfall"]


def calculate(terms: CreditTerms, perf: Performance) -> Statement:
    st = State()
    months: list[MonthStatement] = []
    triggers: list[Trigger] = []
    for n in perf.months:
        lines: list[Line] = []
        st.critical[n] = _criticals(terms, st)
        _observe(terms, perf, st, n, lines)
        charges = perf.charges[n]
        at_risk = _at_risk(terms, perf, n, lines)
        payable = _credits(terms, perf, st, n, at_risk, lines)
        found = find_triggers(terms.csf, terms, st, n) if terms.csf else []
        triggers += found
        lines += [Line(n, "trigger", t.level, None, t.clause, t.text) for t in found]
        months.append(
            MonthStatement(
                n,
                month_label(terms, n),
                (n - 1) // 12 + 1,
                charges,
                at_risk,
                payable,
                Decimal(0),
                tuple(lines),
            )
        )
    if terms.earn_back:
        months = earn_back(terms, perf, st, months, triggers)
    return Statement(terms, tuple(months), tuple(triggers), _notes(terms))


def _criticals(terms: CreditTerms, st: State) -> dict[str, Decimal]:
    out = {lv.id: lv.allocation for lv in terms.levels if lv.critical}
    for level in st.promoted:
        out[level] = terms.ksl_allocation
    return out


def in_stabilisation(terms: CreditTerms, st: State, n: int, level: str) -> bool:
    exists = terms.stabilisation != "none" or "stabilisation" in terms.excluded
    return exists and n <= terms.stabilisation_months and level not in st.stab_over


def _observe(terms: CreditTerms, perf: Performance, st: State, n: int, lines: list[Line]) -> None:
    """Record this month's failures, and move the Key-level and stabilisation states on."""
    for lv in terms.levels:
        m = perf.get(n, lv.id)
        assert m is not None  # read_performance refuses gaps
        failed = not meets(lv, m.measured)
        st.failed[n, lv.id] = failed
        if failed and m.excused:
            st.excused.add((n, lv.id))
        if failed and in_stabilisation(terms, st, n, lv.id):
            st.stabilised.add((n, lv.id))
        if failed and not m.excused:
            shown = format(m.measured.normalize(), "f")
            lines.append(
                Line(
                    n,
                    "failure",
                    lv.id,
                    None,
                    terms.schedule,
                    f"{lv.metric}: {shown} against a target of {lv.direction} {format(lv.target.normalize(), 'f')} ({m.where})",
                )
            )
        elif failed:
            lines.append(
                Line(
                    n,
                    "failure",
                    lv.id,
                    None,
                    terms.levels_clause,
                    f"{lv.metric}: Excused Failure ({m.where}), no Service Credit",
                )
            )
        _stabilisation_step(terms, st, n, lv, failed, lines)
        if not lv.critical and terms.key_levels_promoted:
            _key_level_step(terms, st, n, lv, failed and not m.excused, lines)


def _stabilisation_step(
    terms: CreditTerms, st: State, n: int, lv: ServiceLevel, failed: bool, lines: list[Line]
) -> None:
    if not lv.critical or not in_stabilisation(terms, st, n, lv.id):
        return
    st.met_run[lv.id] = 0 if failed else st.met_run.get(lv.id, 0) + 1
    if (
        terms.stabilisation_ends_early
        and st.met_run[lv.id] >= terms.recovery_periods
        and n < terms.stabilisation_months
    ):
        st.stab_over.add(lv.id)
        lines.append(
            Line(
                n,
                "stabilisation",
                lv.id,
                None,
                terms.levels_clause,
                f"{lv.metric} met for {terms.recovery_periods} consecutive Measurement Periods: its Stabilisation Period ends",
            )
        )


def _key_level_step(
    terms: CreditTerms, st: State, n: int, lv: ServiceLevel, missed: bool, lines: list[Line]
) -> None:
    """Client forms: a Key level missed in k consecutive periods is critical from the next one
    until it has been met for k consecutive periods."""
    k = terms.ksl_repeat_periods
    if lv.id in st.promoted:
        st.promoted[lv.id] = 0 if missed else st.promoted[lv.id] + 1
        if st.promoted[lv.id] >= k:
            del st.promoted[lv.id]
            lines.append(
                Line(
                    n,
                    "promoted",
                    lv.id,
                    None,
                    terms.clause,
                    f"{lv.metric} met for {k} consecutive Measurement Periods: a Key Service Level again from the next one",
                )
            )
        return
    st.misses[lv.id] = st.misses.get(lv.id, 0) + 1 if missed else 0
    if st.misses[lv.id] >= k:
        st.promoted[lv.id] = 0
        st.misses[lv.id] = 0
        lines.append(
            Line(
                n,
                "promoted",
                lv.id,
                None,
                terms.clause,
                f"{lv.metric} missed in {k} consecutive Measurement Periods: a Critical Service Level{'' if terms.method == BANDED else ' with an Allocation Percentage of ' + pct(terms.ksl_allocation)} from the next one",
            )
        )


def _at_risk(terms: CreditTerms, perf: Performance, n: int, lines: list[Line]) -> Decimal:
    base = perf.charges[n]
    how = f"{pct(terms.at_risk_percent)} of the Charges of {terms.currency} {base:,.2f}"
    if terms.at_risk_base == "greater-of-period-and-reference-average":
        before = [
            perf.charges[k] for k in range(n - terms.reference_months, n) if k in perf.charges
        ]
        if before:
            average = sum(before, Decimal(0)) / len(before)
            if average > base:
                base = average
                how = f"{pct(terms.at_risk_percent)} of the average monthly Charges of the {len(before)} Measurement Period(s) before ({terms.currency} {money(average):,.2f}), greater than the period's"
    at_risk = money(base * terms.at_risk_percent / HUNDRED)
    if any(line.kind == "failure" for line in lines):
        lines.insert(0, Line(n, "at-risk", None, at_risk, terms.clause, f"At-Risk Amount: {how}"))
    return at_risk


def factor(terms: CreditTerms, failures: int) -> Decimal:
    """The tier reached: the last row applies to its number of failures and more."""
    reached = [t for t in terms.tiers if t.failures <= failures]
    return reached[-1].factor if reached else Decimal(0)


def shortfall(lv: ServiceLevel, measured: Decimal) -> Decimal:
    """The Performance Shortfall, per cent of the target, unrounded (the banded clause says so)."""
    gap = lv.target - measured if lv.direction == "at least" else measured - lv.target
    return gap / lv.target * HUNDRED


def band(terms: CreditTerms, short: Decimal) -> tuple[Band, str]:
    """The band a shortfall falls in ("more than 2% and up to 5%": the upper edge belongs to the
    lower band) and its label as the draft's table prints it."""
    rows = terms.bands
    i = max(k for k, b in enumerate(rows) if b.over < short or k == 0)
    upper = f" and up to {pct(rows[i + 1].over)}" if i + 1 < len(rows) else ""
    return rows[i], f"more than {pct(rows[i].over)}{upper}"


def _shown(short: Decimal, terms: CreditTerms) -> str:
    """Two decimals, or as many more as it takes not to print a band edge the exact value is
    not on (2.0001% is in the band above 2%, and the line must not read 2%)."""
    edges = {b.over for b in terms.bands}
    for places in (2, 4, 6, 8, 10):
        shown = short.quantize(Decimal(1).scaleb(-places))
        if shown == short or shown not in edges:
            return pct(shown)
    return pct(short)


def _banded_credit(
    terms: CreditTerms, perf: Performance, n: int, lv: ServiceLevel
) -> tuple[Decimal, str]:
    m = perf.get(n, lv.id)
    assert m is not None  # read_performance refuses gaps
    short = shortfall(lv, m.measured)
    row, label = band(terms, short)
    amount = money(perf.charges[n] * row.credit / HUNDRED)
    return amount, (
        f"{lv.metric}: shortfall {_shown(short, terms)} of the target, band {label}: "
        f"{pct(row.credit)} of the Charges of {terms.currency} {perf.charges[n]:,.2f}"
    )


def _credits(
    terms: CreditTerms, perf: Performance, st: State, n: int, at_risk: Decimal, lines: list[Line]
) -> Decimal:
    owed: dict[str, Decimal] = {}
    for lv in terms.levels:
        if (n, lv.id) in st.stabilised and lv.id in st.critical[n]:
            lines.append(
                Line(
                    n,
                    "stabilisation",
                    lv.id,
                    None,
                    terms.levels_clause,
                    f"{lv.metric}: failure in the Stabilisation Period, no Service Credit",
                )
            )
        if not credit_failure(terms, st, n, lv.id):
            continue
        count = sum(
            1
            for k in range(n - terms.tier_window + 1, n + 1)
            if credit_failure(terms, st, k, lv.id)
        )
        # Counted under both regimes: Earn-Back's repeat-failure bar reads the window.
        st.windows[n, lv.id] = count
        if terms.method == BANDED:
            owed[lv.id], text = _banded_credit(terms, perf, n, lv)
        else:
            f = factor(terms, count)
            allocation = st.critical[n][lv.id]
            owed[lv.id] = money(at_risk * allocation / HUNDRED * f / HUNDRED)
            text = f"{lv.metric}: {count} failure(s) in {terms.tier_window} Measurement Periods, credit factor {pct(f)} x Allocation Percentage {pct(allocation.quantize(Decimal('0.0001')).normalize())} x At-Risk Amount"
        lines.append(Line(n, "credit", lv.id, owed[lv.id], terms.clause, text))
    total = sum(owed.values(), Decimal(0))
    payable = total
    if owed and total >= at_risk:
        st.cap_months.add(n)
        payable = at_risk
        if total > at_risk:
            lines.append(
                Line(
                    n,
                    "monthly-cap",
                    None,
                    at_risk - total,
                    terms.clause,
                    f"Service Credits of {terms.currency} {total:,.2f} limited to the At-Risk Amount of {terms.currency} {at_risk:,.2f}",
                )
            )
    payable = _annual_cap(terms, perf, st, n, payable, lines)
    for level, amount in owed.items():
        st.credited[n, level] = money(amount * payable / total) if total else Decimal(0)
    return payable


def _annual_cap(
    terms: CreditTerms, perf: Performance, st: State, n: int, payable: Decimal, lines: list[Line]
) -> Decimal:
    if terms.annual_cap_percent is None or not payable:
        return payable
    year = (n - 1) // 12 + 1
    year_months = range((year - 1) * 12 + 1, year * 12 + 1)
    charges = sum((perf.charges[k] for k in year_months if k in perf.charges), Decimal(0))
    cap = money(charges * terms.annual_cap_percent / HUNDRED)
    so_far = st.year_credits.get(year, Decimal(0))
    allowed = max(Decimal(0), min(payable, cap - so_far))
    if allowed < payable:
        known = sum(1 for k in year_months if k in perf.charges)
        lines.append(
            Line(
                n,
                "annual-cap",
                None,
                allowed - payable,
                terms.clause,
                f"annual cap: {pct(terms.annual_cap_percent)} of the Charges of Contract Year {year} ({known} of 12 months in the charges file) is {terms.currency} {cap:,.2f}",
            )
        )
    st.year_credits[year] = so_far + allowed
    return allowed


def _notes(terms: CreditTerms) -> tuple[str, ...]:
    where = f" under {terms.liability_clause}" if terms.liability_clause else ""
    notes = [
        f"Service Credits {'count' if terms.inside_liability_cap else 'do not count'} towards the Liability Cap{where} ({terms.clause}).",
        f"Service Credits are {'the Customer' + chr(39) + 's sole financial remedy for the failure, with the carve-outs the clause states' if terms.sole_remedy else 'a price adjustment and not a sole remedy'} ({terms.clause}).",
        f"Each amount is rounded half up to 0.01 {terms.currency}, as the draft prints money; the Service Commencement Date is taken to be the Effective Date.",
    ]
    notes += [f"Not computed: {what}." for what in terms.not_computed]
    return tuple(notes)
