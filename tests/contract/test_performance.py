"""The performance and charges files: every problem at once, each with file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.contract.performance import read_performance
from generator.contract.terms import read_terms
from generator.errors import ContentError
from tests.contract.helpers import REPO, selection

SAMPLE = (
    "docs/samples/offshore-remote-performance.csv",
    "docs/samples/offshore-remote-charges.csv",
)


def problems(
    tmp_path: Path, perf: str, charges: str = "month,charges\n2027-02,1000\n"
) -> list[str]:
    terms = read_terms(selection(REPO / "deals" / "offshore-remote.yaml"))
    p, c = tmp_path / "perf.csv", tmp_path / "charges.csv"
    p.write_text(perf, "utf-8")
    c.write_text(charges, "utf-8")
    with pytest.raises(ContentError) as err:
        read_performance(terms, p, "perf.csv", c, "charges.csv")
    return [d.text() for d in err.value.diagnostics]


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    got = problems(
        tmp_path,
        "month,service_level,measured,excused\n"
        "2027-13,quality,abc,maybe\n"
        "2026-01,quality-score,90,\n"
        "2027-02,Quality score,50,\n"
        "2027-02,quality-score,91,\n"
        "2027-02,backlog,101,\n",
        "month,charges\n2027-02,-5\n",
    )
    assert got == [
        "charges.csv:2:2: error[csv-charges]: charges '-5' is not an amount of at least 0",
        "perf.csv:2:1: error[csv-month]: month '2027-13' is not YYYY-MM",
        "perf.csv:2:2: error[csv-service-level]: 'quality' is not a Service Level of this deal (did you mean 'quality-score'?)",
        "perf.csv:2:3: error[csv-measured]: measured value 'abc' is not a number",
        "perf.csv:2:4: error[csv-excused]: excused is 'maybe': write yes or no",
        "perf.csv:3:1: error[csv-month]: month 2026-01 is outside the Term (2027-02 to 2030-01)",
        "perf.csv:5:1: error[csv-duplicate]: 2027-02 quality-score is already measured on line 4",
        "perf.csv:6:3: error[csv-measured]: measured value 101 is outside 0 to 100 for a percent Service Level",
    ]


def test_a_wrong_header_is_reported_before_any_row(tmp_path: Path) -> None:
    got = problems(tmp_path, "month,level,measured,excused\n2027-02,x,1,\n")
    assert got == [
        "perf.csv:1:1: error[csv-header]: missing column 'service_level' (columns: month, service_level, measured, excused)",
        "perf.csv:1:1: error[csv-header]: unknown column 'level'",
    ]


def test_a_month_missing_a_service_level_or_its_charges_is_refused(tmp_path: Path) -> None:
    got = problems(
        tmp_path, "month,service_level,measured\n2027-02,quality-score,95\n", "month,charges\n"
    )
    assert "charges.csv:1:1: error[csv-missing]: no Charges for 2027-02" in got
    assert any("2027-02 has no measurement for average-speed-of-answer" in g for g in got)


def test_credits_command_prints_json_from_the_sample_files() -> None:
    result = CliRunner().invoke(
        main,
        [
            "credits",
            "deals/offshore-remote.yaml",
            "--performance",
            SAMPLE[0],
            "--charges",
            SAMPLE[1],
            "--format",
            "json",
            "--library",
            str(REPO),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["service_credits_clause"] == "Clause 5.4"
    assert data["total_service_credits"] == "26400.00" and data["total_earn_back"] == "4800.00"
    # the balanced form: three (3) in a row (quality score, 2027-10 to 2027-12), or four in twelve
    assert {"repeat-consecutive"} == {t["trigger"] for t in data["critical_service_failures"]}


def test_credits_command_bad_input_exits_one_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "perf.csv"
    bad.write_text("month,service_level,measured\n2027-02,nope,1\n", "utf-8")
    result = CliRunner().invoke(
        main,
        [
            "credits",
            str(REPO / "deals/offshore-remote.yaml"),
            "--performance",
            str(bad),
            "--charges",
            str(REPO / SAMPLE[1]),
            "--library",
            str(REPO),
        ],
    )
    assert result.exit_code == 1
    assert "perf.csv:2:2: error[csv-service-level]" in result.output
    assert "Traceback" not in result.output


def test_credits_command_missing_file_exits_two() -> None:
    result = CliRunner().invoke(
        main,
        [
            "credits",
            "deals/offshore-remote.yaml",
            "--performance",
            "nope.csv",
            "--charges",
            SAMPLE[1],
            "--library",
            str(REPO),
        ],
    )
    assert result.exit_code == 2 and "performance file not found" in result.output


def test_encoding_and_ragged_rows_are_reported_and_a_bom_is_accepted(tmp_path: Path) -> None:
    terms = read_terms(selection(REPO / "deals" / "offshore-remote.yaml"))
    p, c = tmp_path / "perf.csv", tmp_path / "charges.csv"
    p.write_bytes(b"month,service_level,measured\n2027-02,quality-score,9\xff\n")
    c.write_text("\ufeffmonth,charges\n2027-02,1000,5\n", "utf-8")
    with pytest.raises(ContentError) as err:
        read_performance(terms, p, "perf.csv", c, "charges.csv")
    assert [d.text() for d in err.value.diagnostics] == [
        "charges.csv:2:1: error[csv-row]: 3 cells, the header has 2",
        "perf.csv:2:1: error[encoding]: not UTF-8 text",
    ]
