"""The consequences of failures: Critical Service Failure triggers and Earn-Back."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .ledger import HUNDRED, Line, MonthStatement, State, Trigger, meets, money, pct
from .performance import Performance, month_label
from .terms import CreditTerms, CsfTerms, ServiceLevel


def credit_failure(terms: CreditTerms, st: State, n: int, level: str) -> bool:
    """A failure that attracts a Service Credit: critical that month, neither excused nor in a
    Stabilisation Period."""
    key = (n, level)
    return (
        st.failed.get(key, False)
        and key not in st.excused
        and key not in st.stabilised
        and level in st.critical.get(n, {})
    )


def _counted(csf: CsfTerms, st: State, k: int, level: str, trigger: str) -> bool:
    key = (k, level)
    if not st.failed.get(key, False) or key in st.excused or level not in st.critical.get(k, {}):
        return False
    return key not in st.stabilised or trigger in csf.in_stabilisation


def find_triggers(csf: CsfTerms, terms: CreditTerms, st: State, n: int) -> list[Trigger]:
    out: list[Trigger] = []
    levels = list(st.critical[n])
    label = month_label(terms, n)

    def add(kind: str, level: str | None, failures: Iterable[tuple[int, str]], what: str) -> None:
        out.append(
            Trigger(
                n,
                kind,
                level,
                frozenset(failures),
                csf.clause,
                f"Critical Service Failure: {what}; {_exercise(csf, kind, label)}",
            )
        )

    for level in levels:
        if "repeat-in-window" in csf.triggers and _counted(csf, st, n, level, "repeat-in-window"):
            hits = [
                (k, level)
                for k in range(n - csf.repeat_window + 1, n + 1)
                if _counted(csf, st, k, level, "repeat-in-window")
            ]
            if len(hits) >= csf.repeat_failures:
                add(
                    "repeat-in-window",
                    level,
                    hits,
                    f"{level} failed in {len(hits)} of {csf.repeat_window} consecutive Measurement Periods",
                )
        if "repeat-consecutive" in csf.triggers:
            run = [(k, level) for k in range(n - csf.consecutive_failures + 1, n + 1)]
            if all(_counted(csf, st, k, lv, "repeat-consecutive") for k, lv in run):
                add(
                    "repeat-consecutive",
                    level,
                    run,
                    f"{level} failed in each of {csf.consecutive_failures} consecutive Measurement Periods",
                )
    if "total-in-window" in csf.triggers:
        window = range(n - csf.total_window + 1, n + 1)
        hits = [
            (k, lv)
            for k in window
            for lv in st.critical.get(k, {})
            if _counted(csf, st, k, lv, "total-in-window")
        ]
        if len(hits) >= csf.total_failures and any(k == n for k, _ in hits):
            add(
                "total-in-window",
                None,
                hits,
                f"{len(hits)} failures of Critical Service Levels in {csf.total_window} consecutive Measurement Periods",
            )
    if "concurrent" in csf.triggers:
        now = [(n, lv) for lv in levels if _counted(csf, st, n, lv, "concurrent")]
        if len(now) >= csf.concurrent_failures:
            add(
                "concurrent",
                None,
                now,
                f"{len(now)} different Critical Service Levels failed in the same Measurement Period",
            )
    if "at-risk-reached" in csf.triggers and n in st.cap_months:
        capped = [k for k in range(n - csf.total_window + 1, n + 1) if k in st.cap_months]
        if len(capped) >= csf.cap_periods:
            failures = [key for key in st.credited if key[0] in capped]
            add(
                "at-risk-reached",
                None,
                failures,
                f"Service Credits reached the At-Risk Amount in {len(capped)} Measurement Periods within {csf.total_window}",
            )
    return out


def _exercise(csf: CsfTerms, kind: str, label: str) -> str:
    notice = f"on at least {csf.minimum_notice_days} days' notice"
    if csf.exercise == "after-referral-cure":
        return f"after referral to the Executive Steering Committee and {csf.cure_days} days without restored performance, the Customer may terminate the affected Services by notice given within {csf.exercise_days} days after that period, {notice}"
    if csf.exercise == "repeat-after-remediation-cure" and kind.startswith("repeat"):
        return f"if the Supplier has not restored it within {csf.cure_days} days after delivery of the Remediation Plan, the Customer may terminate by notice given within {csf.exercise_days} days after the Monthly Performance Report for {label}, {notice}"
    return f"the Customer may terminate, in whole or for the affected Services, by notice given within {csf.exercise_days} days after receiving the Monthly Performance Report for {label}, {notice}"


def earn_back(
    terms: CreditTerms,
    perf: Performance,
    st: State,
    months: list[MonthStatement],
    triggers: list[Trigger],
) -> list[MonthStatement]:
    eb = terms.earn_back
    assert eb is not None
    extra: dict[int, list[Line]] = {}
    recovered: dict[int, Decimal] = {}
    got: dict[tuple[int, str], Decimal] = {}
    known = set(perf.months)
    for (n, level), share in sorted(st.credited.items()):
        if not share:
            continue
        lv = terms.level(level)
        assert lv is not None
        after = range(n + 1, n + eb.periods + 1)
        when = n + eb.periods
        why = _earn_back_bar(terms, st, n, level, triggers)
        if why is None and not all(k in known for k in after):
            extra.setdefault(n, []).append(
                Line(
                    n,
                    "no-earn-back",
                    level,
                    None,
                    eb.clause,
                    f"{lv.metric}: Earn-Back of the {terms.currency} {share:,.2f} credit open until {month_label(terms, when)} (outside the performance file)",
                )
            )
            continue
        if why is None:
            why = _not_met(terms, perf, lv, after)
            if (
                why is None
                and "other-critical-failure" in eb.bars
                and any(
                    credit_failure(terms, st, k, other)
                    for k in after
                    for other in st.critical.get(k, {})
                    if other != level
                )
            ):
                why = "another Critical Service Level failed during the Earn-Back period"
        at = when if when in known else n
        if why:
            extra.setdefault(at, []).append(
                Line(
                    at,
                    "no-earn-back",
                    level,
                    None,
                    eb.clause,
                    f"{lv.metric} ({month_label(terms, n)} credit): no Earn-Back, {why}",
                )
            )
            continue
        amount = money(share * eb.percent / HUNDRED)
        recovered[when] = recovered.get(when, Decimal(0)) + amount
        got[n, level] = amount
        extra.setdefault(when, []).append(
            Line(
                when,
                "earn-back",
                level,
                -amount,
                eb.clause,
                f"{lv.metric}: Earn-Back of {pct(eb.percent)} of the {month_label(terms, n)} credit of {terms.currency} {share:,.2f}, target met{' by the margin' if eb.margin else ''} in {eb.periods} following Measurement Periods",
            )
        )
    if eb.annual_sweep:
        _sweep(terms, perf, st, triggers, got, extra, recovered)
    return [
        MonthStatement(
            m.month,
            m.label,
            m.contract_year,
            m.charges,
            m.at_risk,
            m.credits,
            recovered.get(m.month, Decimal(0)),
            m.lines + tuple(extra.get(m.month, ())),
        )
        for m in months
    ]


def _earn_back_bar(
    terms: CreditTerms, st: State, n: int, level: str, triggers: list[Trigger]
) -> str | None:
    eb = terms.earn_back
    assert eb is not None
    if "repeat-failures" in eb.bars and st.windows.get((n, level), 1) - 1 >= eb.max_repeat_failures:
        return f"{st.windows[n, level] - 1} earlier failure(s) in the credit window (Earn-Back only below {eb.max_repeat_failures})"
    if "critical-service-failure" in eb.bars and any((n, level) in t.failures for t in triggers):
        return "the failure forms part of a Critical Service Failure"
    if "last-periods-of-term" in eb.bars and n > terms.term_months - eb.periods:
        return f"the credit arose in the last {eb.periods} Measurement Periods of the Term"
    return None


def _mean(perf: Performance, level: str, months: range) -> Decimal:
    values = [perf.get(k, level).measured for k in months]  # type: ignore[union-attr]
    return sum(values, Decimal(0)) / len(values)


def _not_met(terms: CreditTerms, perf: Performance, lv: ServiceLevel, after: range) -> str | None:
    """Why the Earn-Back periods do not earn the credit back; None when they do."""
    eb = terms.earn_back
    assert eb is not None
    if eb.method == "average-periods":
        if meets(lv, _mean(perf, lv.id, after), eb.margin):
            return None
        return f"average over the {eb.periods} following Measurement Periods below the target"
    missed = [k for k in after if not meets(lv, perf.get(k, lv.id).measured, eb.margin)]  # type: ignore[union-attr]
    if not missed:
        return None
    return f"target not met by the margin of {format(eb.margin.normalize(), 'f')} in {month_label(terms, missed[0])}"


def _sweep(
    terms: CreditTerms,
    perf: Performance,
    st: State,
    triggers: list[Trigger],
    got: dict[tuple[int, str], Decimal],
    extra: dict[int, list[Line]],
    recovered: dict[int, Decimal],
) -> None:
    """Supplier form: a Contract Year met on average returns every credit of that level in the
    year not already recovered (none for a failure that forms part of a Critical Service Failure)."""
    eb = terms.earn_back
    assert eb is not None
    known = set(perf.months)
    for year in sorted({(n - 1) // 12 + 1 for n in known}):
        months = range((year - 1) * 12 + 1, year * 12 + 1)
        if not all(k in known for k in months):
            continue
        for lv in terms.levels:
            owed = [
                share - got.get((n, level), Decimal(0))
                for (n, level), share in st.credited.items()
                if level == lv.id
                and n in months
                and not any((n, level) in t.failures for t in triggers)
            ]
            amount = sum(owed, Decimal(0))
            if amount <= 0 or not meets(lv, _mean(perf, lv.id, months)):
                continue
            end = months[-1]
            recovered[end] = recovered.get(end, Decimal(0)) + amount
            text = f"{lv.metric}: met on average over Contract Year {year}, every credit of the year not yet recovered is earned back"
            extra.setdefault(end, []).append(
                Line(end, "earn-back", lv.id, -amount, eb.clause, text)
            )
