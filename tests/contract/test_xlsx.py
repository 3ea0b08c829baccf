"""The workbooks open with openpyxl and hold the same numbers as the JSON."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from generator.cli import main
from generator.contract import credit_statement, selection_for
from generator.contract.obligations import register
from generator.contract.xlsx import register_xlsx, statement_xlsx
from tests.contract.helpers import REPO

DEAL = REPO / "deals/offshore-remote.yaml"
PERF = REPO / "docs/samples/offshore-remote-performance.csv"
CHARGES = REPO / "docs/samples/offshore-remote-charges.csv"


def test_the_statement_workbook_holds_every_line_and_month() -> None:
    st = credit_statement(selection_for(REPO, DEAL), PERF, CHARGES)
    data = statement_xlsx(st)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Lines", "Months", "Notes"]
    lines = list(wb["Lines"].iter_rows(min_row=2, values_only=True))
    assert len(lines) == sum(len(m.lines) for m in st.months)
    months = list(wb["Months"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in months] == [m.label for m in st.months]
    assert Decimal(str(sum(r[4] for r in months))) == st.total_credits  # Service Credits column
    assert data == statement_xlsx(st)  # reproducible


def test_the_register_workbook_lists_obligations_and_every_key_date() -> None:
    reg = register(selection_for(REPO, DEAL))
    wb = load_workbook(io.BytesIO(register_xlsx(reg)))
    assert len(list(wb["Obligations"].iter_rows(min_row=2))) == len(reg.obligations)
    dates = [r[0] for r in wb["Key dates"].iter_rows(min_row=2, values_only=True)]
    assert len(dates) == sum(len(o.dates) for o in reg.obligations)
    assert all(isinstance(d, dt.datetime) for d in dates) and dates == sorted(dates)


def test_xlsx_needs_an_output_file_and_is_written_atomically(tmp_path: Path) -> None:
    lib = ["--library", str(REPO)]
    result = CliRunner().invoke(main, ["obligations", str(DEAL), "--format", "xlsx", *lib])
    assert result.exit_code == 2 and "give -o FILE.xlsx" in result.output
    out = tmp_path / "credits.xlsx"
    args = ["credits", str(DEAL), "--performance", str(PERF), "--charges", str(CHARGES)]
    result = CliRunner().invoke(main, [*args, "--format", "xlsx", "-o", str(out), *lib])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["Lines", "Months", "Notes"]
    again = CliRunner().invoke(main, [*args, "--format", "xlsx", "-o", str(out), *lib])
    assert again.exit_code == 2 and "--force" in again.output


def test_workbook_bytes_do_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl stamps the save time; the statement must not change from one second to the next."""
    import datetime as real

    import openpyxl.writer.excel as excel

    st = credit_statement(selection_for(REPO, DEAL), PERF, CHARGES)
    first = statement_xlsx(st)

    class Later(real.datetime):
        @classmethod
        def now(cls, tz: real.tzinfo | None = None) -> real.datetime:
            return real.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

    monkeypatch.setattr(excel.datetime, "datetime", Later)
    monkeypatch.setattr("time.localtime", lambda *a: (2031, 5, 6, 7, 8, 9, 0, 0, 0))
    assert statement_xlsx(st) == first
