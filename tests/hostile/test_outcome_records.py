"""An outcome record says what happened after a deal was signed: a date in the future, dates
out of order or figures that cannot be true are refused with their line, so the statistics the
Centre of Excellence reads never rest on them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from .support import cli, refused

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


def record(lib: Path, head: str, clause: str = "") -> Path:
    folder = lib / "playbooks" / "outcomes"
    folder.mkdir(exist_ok=True)
    path = folder / "small.yaml"
    path.write_text(
        f"deal: small\n{head}clauses:\n  service-credits:\n    variant: client\n"
        f"    accepted_first_time: true\n{clause}",
        "utf-8",
    )
    return path


def problem(line: int, col: int, message: str) -> str:
    return f"playbooks/outcomes/small.yaml:{line}:{col}: error[outcome-dates]: {message}"


CASES = [
    ("signed-tomorrow", f"signed: {TOMORROW}\n",
     [problem(2, 9, f"signed {TOMORROW} is in the future: an outcome record says what happened")]),
    ("live-tomorrow", f"signed: 2026-01-05\ngo_live: {TOMORROW}\n",
     [problem(3, 10, f"go_live {TOMORROW} is in the future: an outcome record says what happened")]),
    ("year-9999", "signed: 9999-12-31\n",
     [problem(2, 9, "signed 9999-12-31 is in the future: an outcome record says what happened")]),
    ("year-0001", "signed: 0001-01-01\n", [problem(2, 9, "signed 0001-01-01 is before 1980-01-01")]),
    ("reviewed-before-live", "signed: 2025-01-05\ngo_live: 2025-06-01\nreviewed: 2025-03-01\n",
     [problem(4, 11, "reviewed 2025-03-01 is before go_live 2025-06-01")]),
    ("reviewed-never-live", "signed: 2025-01-05\nreviewed: 2025-03-01\n",
     [problem(3, 11, "reviewed, but the record has no go_live date")]),
    ("live-before-signed", "signed: 2025-06-05\ngo_live: 2025-01-01\n",
     [problem(3, 10, "go_live 2025-01-01 is before signed 2025-06-05")]),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_impossible_outcome_dates_are_refused(
    minilib: Path, case: tuple[str, str, list[str]]
) -> None:
    _, head, expected = case
    record(minilib, head)
    refused(cli("playbook", "stats", "--library", minilib), *expected)
    refused(cli("validate", "--library", minilib), *expected)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credits_paid_percent", "250", "250 is greater than the maximum of 100"),
        ("disputes", "-1", "-1 is less than the minimum of 0"),
        ("rounds", "1000", "1000 is greater than the maximum of 50"),
    ],
)
def test_impossible_outcome_figures_are_refused(
    minilib: Path, field: str, value: str, message: str
) -> None:
    record(minilib, "signed: 2025-01-05\ngo_live: 2025-06-01\n", f"    {field}: {value}\n")
    outcome = cli("playbook", "stats", "--library", minilib)
    assert outcome.code == 1, outcome.output
    assert any(p.startswith("playbooks/outcomes/small.yaml:8:") and message in p
               for p in outcome.problems), outcome.output  # fmt: skip


def test_sample_record_may_imagine_a_signature_to_come(minilib: Path) -> None:
    record(minilib, f"sample: true\nsigned: {TOMORROW}\n")
    outcome = cli("playbook", "stats", "--library", minilib)
    assert outcome.code == 0, outcome.output
