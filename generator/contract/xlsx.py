"""The credit statement and the obligations register as .xlsx workbooks, written by openpyxl
(the `xlsx` extra). Document properties are fixed, so the same input gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from ..errors import usage
from .credits import Statement
from .obligations import Register
from .obligations_out import COLUMNS

MONEY = "#,##0.00"


def _workbook(stamp: dt.date) -> Any:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise usage(
            "--format",
            "xlsx-missing",
            "--format xlsx needs openpyxl: pip install 'clausebook[xlsx]'",
        ) from None
    wb = Workbook()
    when = dt.datetime.combine(stamp, dt.time(0, 0))
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "Clausebook"
    return wb


def _sheet(
    ws: Any,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    money: Sequence[int] = (),
) -> None:
    from openpyxl.styles import Font

    ws.title = title
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for col in money:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = MONEY
    ws.freeze_panes = "A2"


def _save(wb: Any) -> bytes:
    """The workbook's bytes, the same for the same input: openpyxl stamps the save time into
    docProps/core.xml and every zip entry, so both are set back to the workbook's date."""
    import re
    import zipfile

    when: dt.datetime = wb.properties.created
    out = io.BytesIO()
    wb.save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + iso + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    return fixed.getvalue()


def statement_xlsx(st: Statement) -> bytes:
    """Two sheets: every line with its clause, and the months with their totals."""
    wb = _workbook(st.terms.effective)
    lines = [
        (m.label, ln.kind, ln.level or "", ln.text, ln.amount, ln.clause)
        for m in st.months
        for ln in m.lines
    ]
    _sheet(
        wb.active,
        "Lines",
        ("Month", "Kind", "Service level", "What", f"Amount ({st.terms.currency})", "Clause"),
        lines,
        money=(5,),
    )
    months = [
        (
            m.label,
            m.contract_year,
            m.charges,
            m.at_risk,
            m.credits,
            m.earn_back,
            m.credits - m.earn_back,
        )
        for m in st.months
    ]
    header = (
        "Month",
        "Contract Year",
        "Charges",
        "At-Risk Amount",
        "Service Credits",
        "Earn-Back",
        "Net",
    )
    _sheet(wb.create_sheet(), "Months", header, months, money=(3, 4, 5, 6, 7))
    notes = wb.create_sheet("Notes")
    for n in st.notes:
        notes.append([n])
    return _save(wb)


def register_xlsx(reg: Register) -> bytes:
    """Two sheets: one row per obligation, and one row per due date."""
    wb = _workbook(reg.effective)
    rows = [
        (
            o.clause,
            o.party,
            o.what,
            o.when,
            o.dates[0] if o.dates else None,
            o.recurrence or "",
            len(o.dates),
            o.measure,
            o.consequence,
            o.parameter or "",
            o.source,
        )
        for o in reg.obligations
    ]
    header = tuple("due_dates" if c == "dates" else c for c in COLUMNS)
    _sheet(wb.active, "Obligations", header, rows)
    dates = [(d, o.party, o.what, o.clause) for o in reg.obligations for d in o.dates]
    _sheet(
        wb.create_sheet(),
        "Key dates",
        ("date", "party", "what", "clause"),
        sorted(dates, key=lambda r: r[0]),
    )
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    return _save(wb)
