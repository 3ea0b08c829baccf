"""The measured performance and the monthly Charges a service manager hands in, as CSV files.

performance.csv: ``month,service_level,measured[,excused]`` — one row per Service Level and
Measurement Period; ``service_level`` is the schedule's metric ("Average speed of answer") or
its kebab-case id (``average-speed-of-answer``); ``excused`` is ``yes`` for an Excused Failure.
charges.csv: ``month,charges`` — the Charges for each Measurement Period, in the deal's currency.

Every row is checked and every problem reported at once, each with ``file:line``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import ContentError, Diagnostic, did_you_mean
from .terms import CreditTerms

MAX_BYTES = 10 * 1024 * 1024  # ten years of forty Service Levels is under 100 KB
PERFORMANCE_COLUMNS = ("month", "service_level", "measured")
CHARGES_COLUMNS = ("month", "charges")
YES, NO = ("yes", "y", "true", "1"), ("", "no", "n", "false", "0")


@dataclass(frozen=True)
class Measurement:
    month: int  # Measurement Period number: 1 is the month of the Effective Date
    level: str  # ServiceLevel.id
    measured: Decimal
    excused: bool
    where: str  # file:line


@dataclass(frozen=True)
class Performance:
    measurements: tuple[Measurement, ...]
    charges: dict[int, Decimal]  # Measurement Period -> Charges
    months: tuple[int, ...]  # every period in the performance file, in order
    index: dict[tuple[int, str], Measurement] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        # Looked up for every level, month and window: a dict, so a long file stays linear.
        self.index.update({(m.month, m.level): m for m in self.measurements})

    def get(self, month: int, level: str) -> Measurement | None:
        return self.index.get((month, level))


def month_label(terms: CreditTerms, n: int) -> str:
    """Measurement Period ``n`` as 'YYYY-MM'."""
    index = terms.effective.year * 12 + terms.effective.month - 1 + n - 1
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _rows(
    path: Path,
    display: str,
    columns: tuple[str, ...],
    optional: tuple[str, ...],
    diags: list[Diagnostic],
) -> list[tuple[int, dict[str, str]]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.append(
            Diagnostic(display, 1, 1, "unreadable", f"cannot read the file: {exc.strerror}")
        )
        return []
    if len(raw) > MAX_BYTES:
        diags.append(
            Diagnostic(display, 1, 1, "too-large", f"larger than {MAX_BYTES // 1048576} MB")
        )
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diags.append(Diagnostic(display, line, 1, "encoding", "not UTF-8 text"))
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in columns if c not in header]
    unknown = [h for h in header if h not in columns + optional]
    for c in missing:
        diags.append(
            Diagnostic(
                display,
                1,
                1,
                "csv-header",
                f"missing column '{c}' (columns: {', '.join(columns + optional)})",
            )
        )
    for h in unknown:
        hint = did_you_mean(h, columns + optional)
        diags.append(Diagnostic(display, 1, 1, "csv-header", f"unknown column '{h}'{hint}"))
    if missing or unknown:
        return []
    out = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                diags.append(
                    Diagnostic(
                        display,
                        reader.line_num,
                        1,
                        "csv-row",
                        f"{len(row)} cells, the header has {len(header)}",
                    )
                )
                continue
            out.append(
                (reader.line_num, {h: cell.strip() for h, cell in zip(header, row, strict=True)})
            )
    except csv.Error as exc:
        diags.append(Diagnostic(display, reader.line_num, 1, "csv-row", str(exc)))
    return out


def _month(terms: CreditTerms, text: str) -> int | None:
    try:
        year, month = (int(x) for x in text.split("-"))
    except ValueError:
        return None
    if len(text) != 7 or not 1 <= month <= 12:
        return None
    return year * 12 + month - (terms.effective.year * 12 + terms.effective.month) + 1


def _number(text: str) -> Decimal | None:
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _period(
    terms: CreditTerms, text: str, display: str, line: int, diags: list[Diagnostic]
) -> int | None:
    n = _month(terms, text)
    if n is None:
        diags.append(Diagnostic(display, line, 1, "csv-month", f"month '{text}' is not YYYY-MM"))
    elif not 1 <= n <= terms.term_months:
        first, last = month_label(terms, 1), month_label(terms, terms.term_months)
        diags.append(
            Diagnostic(
                display,
                line,
                1,
                "csv-month",
                f"month {text} is outside the Term ({first} to {last})",
            )
        )
        return None
    return n


def read_performance(
    terms: CreditTerms, perf: Path, perf_display: str, charges: Path, charges_display: str
) -> Performance:
    """Both files, checked against the deal's Service Levels and Term; all problems at once."""
    diags: list[Diagnostic] = []
    measurements: list[Measurement] = []
    seen: dict[tuple[int, str], int] = {}
    names = [lv.id for lv in terms.levels]
    for line, row in _rows(perf, perf_display, PERFORMANCE_COLUMNS, ("excused",), diags):
        n = _period(terms, row["month"], perf_display, line, diags)
        level = terms.level(row["service_level"])
        if level is None:
            hint = (
                did_you_mean(row["service_level"], names) or f" (this deal's: {', '.join(names)})"
            )
            diags.append(
                Diagnostic(
                    perf_display,
                    line,
                    2,
                    "csv-service-level",
                    f"'{row['service_level']}' is not a Service Level of this deal{hint}",
                )
            )
        value = _number(row["measured"])
        if value is None:
            diags.append(
                Diagnostic(
                    perf_display,
                    line,
                    3,
                    "csv-measured",
                    f"measured value '{row['measured']}' is not a number",
                )
            )
        elif level is not None and (value < 0 or (level.unit == "percent" and value > 100)):
            diags.append(
                Diagnostic(
                    perf_display,
                    line,
                    3,
                    "csv-measured",
                    f"measured value {row['measured']} is outside 0 to {'100' if level.unit == 'percent' else 'infinity'} for a {level.unit} Service Level",
                )
            )
        flag = row.get("excused", "").lower()
        if flag not in YES + NO:
            diags.append(
                Diagnostic(
                    perf_display,
                    line,
                    4,
                    "csv-excused",
                    f"excused is '{row['excused']}': write yes or no",
                )
            )
        if n is None or level is None or value is None:
            continue
        if (n, level.id) in seen:
            diags.append(
                Diagnostic(
                    perf_display,
                    line,
                    1,
                    "csv-duplicate",
                    f"{row['month']} {level.id} is already measured on line {seen[n, level.id]}",
                )
            )
            continue
        seen[n, level.id] = line
        measurements.append(Measurement(n, level.id, value, flag in YES, f"{perf_display}:{line}"))
    paid: dict[int, Decimal] = {}
    for line, row in _rows(charges, charges_display, CHARGES_COLUMNS, (), diags):
        n = _period(terms, row["month"], charges_display, line, diags)
        amount = _number(row["charges"].replace(",", ""))
        if amount is None or amount < 0:
            diags.append(
                Diagnostic(
                    charges_display,
                    line,
                    2,
                    "csv-charges",
                    f"charges '{row['charges']}' is not an amount of at least 0",
                )
            )
        elif n is not None:
            if n in paid:
                diags.append(
                    Diagnostic(
                        charges_display,
                        line,
                        1,
                        "csv-duplicate",
                        f"Charges for {row['month']} are already given",
                    )
                )
            paid[n] = amount
    months = tuple(sorted({m.month for m in measurements}))
    if not diags:
        diags += _gaps(terms, months, seen, paid, perf_display, charges_display)
    if diags:
        raise ContentError(diags)
    return Performance(tuple(sorted(measurements, key=lambda m: (m.month, m.level))), paid, months)


def _gaps(
    terms: CreditTerms,
    months: tuple[int, ...],
    seen: dict[tuple[int, str], int],
    paid: dict[int, Decimal],
    perf_display: str,
    charges_display: str,
) -> list[Diagnostic]:
    """Credits run month by month over windows: every period from the first to the last needs
    every Service Level of the deal and its Charges."""
    diags = []
    if not months:
        return [Diagnostic(perf_display, 1, 1, "csv-empty", "no measurements")]
    for n in range(months[0], months[-1] + 1):
        lacking = [lv.id for lv in terms.levels if (n, lv.id) not in seen]
        if lacking:
            diags.append(
                Diagnostic(
                    perf_display,
                    1,
                    1,
                    "csv-missing",
                    f"{month_label(terms, n)} has no measurement for {', '.join(lacking)}",
                )
            )
        if n not in paid:
            diags.append(
                Diagnostic(
                    charges_display, 1, 1, "csv-missing", f"no Charges for {month_label(terms, n)}"
                )
            )
    return diags
