"""Locale-independent legal number, money, percentage and date formatting."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

# No contract amount, period or percentage has more digits than this before the point; beyond
# it Decimal's default precision (28) would fail and the text would be meaningless anyway.
MAX_DIGITS = 18
MAX_ROUND_DIGITS = MAX_DIGITS  # round(x, n) with |n| above this only costs time

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def number_words(n: int) -> str:
    """British English words for 0 <= n < 10**9: 120 -> 'one hundred and twenty'."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("-" + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" and " + number_words(rest) if rest else "")
    for size, name in ((10**6, "million"), (1000, "thousand")):
        if n >= size:
            big, rest = divmod(n, size)
            if big >= 1000 and size == 10**6:
                break
            head = number_words(big) + " " + name
            if not rest:
                return head
            joiner = " and " if rest < 100 else " "
            return head + joiner + number_words(rest)
    return f"{n:,}"


class FilterArgumentError(ValueError):
    """A filter was given a value no contract can state; the message names the filter."""


def checked_number(x: object, what: str) -> int | float | Decimal:
    """``x`` if it is a finite number a contract can state; ValueError/TypeError otherwise.

    Every number filter goes through here, so NaN, infinities and 30-digit amounts become a
    located content error instead of "NaN%" in a contract or a decimal.InvalidOperation.
    """
    if isinstance(x, bool) or not isinstance(x, int | float | Decimal):
        raise TypeError(f"{what}: expected a number, got {_short(x)}")
    if isinstance(x, float | Decimal) and not math.isfinite(x):
        raise FilterArgumentError(f"{what}: {x} is not a finite number")
    if abs(x) >= 10**MAX_DIGITS:
        raise FilterArgumentError(
            f"{what}: {x:g} has more than {MAX_DIGITS} digits before the point"
        )
    return x


def _short(x: object) -> str:
    text = repr(x) if isinstance(x, str | int | float) else f"a {type(x).__name__}"
    return text if len(text) <= 40 else text[:37] + "..."


def round_number(x: object, ndigits: object = 0) -> int | float | Decimal:
    """Jinja's ``round`` with bounded arguments: ``round(-30000000)`` would run for minutes."""
    value = checked_number(x, "round")
    if isinstance(ndigits, bool) or not isinstance(ndigits, int):
        raise TypeError(
            f"round: the number of digits must be a whole number, got {_short(ndigits)}"
        )
    if abs(ndigits) > MAX_ROUND_DIGITS:
        raise FilterArgumentError(
            f"round: the number of digits must be between -{MAX_ROUND_DIGITS} and {MAX_ROUND_DIGITS}"
        )
    if isinstance(value, Decimal):
        value = float(value)  # one code path; YAML numbers are int or float anyway
    return round(value, ndigits)


def words(n: object) -> str:
    """'thirty (30)'; non-integers are printed as digits only."""
    if isinstance(n, bool) or not isinstance(n, int | float | Decimal):
        raise TypeError(f"words: expected a whole number, got {_short(n)}")
    checked_number(n, "words")
    if isinstance(n, float | Decimal) and n != int(n):
        return fmt_number(n)
    i = int(n)
    return f"{number_words(i)} ({i:,})" if 0 <= i < 10**9 else f"{i:,}"


_SINGULAR = {
    "minutes": "minute",
    "hours": "hour",
    "business hours": "business hour",
    "days": "day",
    "business days": "Business Day",
    "weeks": "week",
    "months": "month",
    "years": "year",
}
_PLURAL = {"business days": "Business Days"}


def duration(n: object, unit: str) -> str:
    """'thirty (30) days', 'one (1) month', 'five (5) Business Days'."""
    if unit not in _SINGULAR:
        raise ValueError(f"duration: unknown unit {unit!r}")
    one = isinstance(n, int | float) and not isinstance(n, bool) and n == 1
    name = _SINGULAR[unit] if one else _PLURAL.get(unit, unit)
    return f"{words(n)} {name}"


def fmt_number(x: object, what: str = "number") -> str:
    d = Decimal(str(checked_number(x, what)))
    with localcontext() as ctx:
        ctx.prec = 2 * MAX_DIGITS + 30  # a float's repr has at most 17 significant digits
        if d == d.to_integral_value():
            return f"{int(d):,}"
        return f"{d.normalize():,f}"


def percent(x: object) -> str:
    return fmt_number(x, "percent") + "%"


def money(x: object, currency: str) -> str:
    """'GBP 1,250,000' or 'GBP 6.50' (pence shown only when there are any)."""
    with localcontext() as ctx:
        ctx.prec = 2 * MAX_DIGITS + 30
        d = Decimal(str(checked_number(x, "money"))).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        text = f"{int(d):,}" if d == d.to_integral_value() else f"{d:,.2f}"
    return f"{currency} {text}"


def longdate(value: object, us_style: bool = False) -> str:
    """'1 January 2027' (or 'January 1, 2027' for US governing law)."""
    if isinstance(value, dt.date):
        d = value
    else:
        try:
            d = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"longdate: {_short(value)} is not a date (YYYY-MM-DD)") from None
    if us_style:
        return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def join_and(items: object) -> str:
    if isinstance(items, str) or not hasattr(items, "__iter__"):
        raise TypeError("join_and: expected a list")
    parts = [str(i) for i in items]  # type: ignore[attr-defined,unused-ignore]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


LABELS = {
    # services
    "finance-accounting": "finance and accounting",
    "customer-service": "customer service",
    "complaints-handling": "complaints handling",
    "it-service-desk": "IT service desk",
    "claims-processing": "claims processing",
    "hr-payroll": "HR and payroll",
    "collections": "collections",
    "procurement-operations": "procurement operations",
    "document-processing": "document processing",
    "technical-support": "technical support",
    # regimes
    "gdpr": "GDPR",
    "uk-gdpr": "UK GDPR",
    "hipaa": "HIPAA",
    "sox": "Sarbanes-Oxley Act",
    "pci-dss": "PCI DSS",
    "iso-27001": "ISO/IEC 27001",
    "ccpa": "CCPA",
    "glba": "Gramm-Leach-Bliley Act",
    # law
    "england-wales": "England and Wales",
    "new-york": "the State of New York",
    "delaware": "the State of Delaware",
    "ireland": "Ireland",
    "singapore": "Singapore",
    # pricing
    "fixed": "fixed fee",
    "fte": "full-time equivalent (time and materials)",
    "transaction": "per transaction",
    "outcome": "outcome-based",
    "hybrid": "hybrid",
    # stance, forum
    "client": "client-favourable",
    "balanced": "balanced",
    "provider": "provider-favourable",
    "arbitration": "arbitration",
    "courts": "courts",
}


def label(code: object) -> str:
    key = str(code)
    return LABELS.get(key, key)


_SINGULAR_POSSESSIVE = re.compile(
    r"\b(\w+ \(1\) (?:minute|hour|Business Hour|day|Business Day|week|month|year))' "
)


def possessives(text: str) -> str:
    """Templates write the plural possessive after a duration ("{{ n | months }}' notice"); for
    one unit the possessive is singular: "one (1) month's notice", "two (2) months' notice"."""
    return _SINGULAR_POSSESSIVE.sub(r"\1's ", text)
