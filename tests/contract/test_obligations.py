"""The obligations register: dates inside the Term from the values the draft prints; CSV, JSON
(against its shipped schema) and iCalendar that parse."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from icalendar import Calendar

from generator.cli import main
from generator.contract import selection_for
from generator.contract.obligations import add_business_days, register
from generator.contract.obligations_out import COLUMNS, as_csv, as_data, as_ics
from generator.errors import ContentError
from generator.pipeline.render import render_document
from generator.writers.markdown import clause_md
from tests.contract.helpers import REPO, deal_file, selection

SAMPLES = sorted(p.stem for p in (REPO / "deals").glob("*.yaml"))
SCHEMA = json.loads((REPO / "generator/schemas/obligations.schema.json").read_text("utf-8"))


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_deal_has_a_register_with_dates_inside_the_term(sample: str) -> None:
    sel = selection(REPO / "deals" / f"{sample}.yaml")
    reg = register(sel)
    assert len(reg.obligations) >= 8
    term_months = int(sel.deal.data["term_months"])
    report = next(o for o in reg.obligations if o.id == "monthly-performance-report")
    assert len(report.dates) == term_months and report.recurrence == "monthly"
    for o in reg.obligations:
        assert list(o.dates) == sorted(o.dates)
        for d in o.dates:
            # Due dates fall in the Term; only the report on the last month falls due after it.
            assert reg.effective <= d <= reg.end or (o is report and d == o.dates[-1])
            assert d <= reg.end + dt.timedelta(days=31)
    jsonschema.validate(as_data(reg), SCHEMA)


def test_the_register_and_the_draft_print_the_same_period(tmp_path: Path) -> None:
    def both(deal: Path) -> tuple[str, dt.date]:
        sel = selection(deal)
        doc = render_document(sel)
        text = next(
            clause_md(c) for a in doc.articles for c in a.clauses if c.id == "measurement-reporting"
        )
        report = next(o for o in register(sel).obligations if o.id == "monthly-performance-report")
        return text, report.dates[0]

    text5, first5 = both(deal_file(tmp_path / "a", "fa-sox-fixed"))
    text10, first10 = both(
        deal_file(
            tmp_path / "b", "fa-sox-fixed", {"measurement-reporting": {"report_business_days": 10}}
        )
    )
    assert "Within five (5) Business Days after the end of each Measurement Period" in text5
    assert "Within ten (10) Business Days after the end of each Measurement Period" in text10
    # fa-sox-fixed starts on 1 March 2027: the first period ends on Wednesday 31 March.
    assert (first5, first10) == (dt.date(2027, 4, 7), dt.date(2027, 4, 14))


def test_business_days_skip_weekends() -> None:
    friday = dt.date(2027, 4, 2)
    assert add_business_days(friday, 1) == dt.date(2027, 4, 5)
    assert add_business_days(friday, 5) == dt.date(2027, 4, 9)


def test_ics_parses_with_icalendar_and_holds_every_due_date() -> None:
    reg = register(selection(REPO / "deals" / "service-desk-multi.yaml"))
    cal = Calendar.from_ical(as_ics(reg))
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    dated = [o for o in reg.obligations if o.dates]
    assert len(events) == len(dated)
    for o in dated:
        ev = events[f"{reg.deal}-{o.clause_id}-{o.id}@clausebook"]
        got = [ev.decoded("dtstart")]
        rdates = ev.get("rdate")
        for r in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
            got += [p.dt for p in r.dts]
        assert got == list(o.dates)
        assert o.clause in str(ev["summary"])
    assert as_ics(reg) == as_ics(reg)  # reproducible


def test_csv_has_one_row_per_obligation() -> None:
    reg = register(selection(REPO / "deals" / "offshore-remote.yaml"))
    rows = list(csv.reader(io.StringIO(as_csv(reg))))
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(reg.obligations) + 1
    assert all(r[COLUMNS.index("source")].startswith("clauses/") for r in rows[1:])


def test_a_declaration_naming_no_parameter_is_reported_with_its_line(tmp_path: Path) -> None:
    for folder in ("clauses", "playbooks", "schemas", "deals"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    path = tmp_path / "clauses/sla/measurement-reporting.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("parameter: report_business_days", "parameter: report_days", 1), "utf-8"
    )
    with pytest.raises(ContentError) as err:
        register(selection_for(tmp_path, tmp_path / "deals/fa-sox-fixed.yaml"))
    (d,) = err.value.diagnostics
    line = 1 + text[: text.index("parameter: report_business_days")].count("\n")
    assert (d.path, d.line) == ("clauses/sla/measurement-reporting.yaml", line)
    assert "names no parameter 'report_days'" in d.message


def test_obligations_command_formats_and_refuses_to_overwrite(tmp_path: Path) -> None:
    deal = str(REPO / "deals/claims-hipaa-transaction.yaml")
    lib = ["--library", str(REPO)]
    result = CliRunner().invoke(main, ["obligations", deal, "--format", "json", *lib])
    assert result.exit_code == 0
    jsonschema.validate(json.loads(result.output), SCHEMA)
    result = CliRunner().invoke(main, ["obligations", deal, "--format", "ics", *lib])
    assert result.exit_code == 2 and "give -o FILE.ics" in result.output
    out = tmp_path / "deal.ics"
    assert (
        CliRunner()
        .invoke(main, ["obligations", deal, "--format", "ics", "-o", str(out), *lib])
        .exit_code
        == 0
    )
    assert Calendar.from_ical(out.read_bytes())
    again = CliRunner().invoke(main, ["obligations", deal, "--format", "ics", "-o", str(out), *lib])
    assert again.exit_code == 2 and "--force" in again.output
    forced = ["obligations", deal, "--format", "ics", "-o", str(out), "--force", *lib]
    assert CliRunner().invoke(main, forced).exit_code == 0
