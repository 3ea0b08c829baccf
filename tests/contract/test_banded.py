"""The banded Service Credit regime (service-credits variant `banded`, reached only by a pin).

offshore-remote pinned to `banded`: 12% at risk; bands (Performance Shortfall, % of the target ->
% of the month's Charges) over 0% -> 1%, over 2% -> 2.5%, over 5% -> 5%, over 10% -> 8%; three
months' Stabilisation Period, so the cases start in month 4. Charges 100,000 a month.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.contract.credits import band
from generator.contract.ledger import pct
from generator.contract.terms import Band, read_terms
from generator.errors import ContentError
from generator.pipeline.render import render_document
from tests.contract.helpers import REPO, deal_file, kinds, month, run, selection
from tests.contract.test_parity import check_earn_back_and_csf, printed

ACC, TAT, SAT, QUAL, ASA = (
    "processing-accuracy",
    "processing-turnaround",
    "end-user-satisfaction",
    "quality-score",
    "average-speed-of-answer",
)
BANDED = {"service-credits": "banded"}


def banded_deal(tmp_path: Path, overrides: dict[str, dict[str, Any]] | None = None) -> Path:
    """offshore-remote pinned to the banded variant, its approval moved to the banded step."""
    path = deal_file(tmp_path, "offshore-remote", overrides, BANDED)
    data = yaml.safe_load(path.read_text("utf-8"))
    for a in data["approvals"]:
        if a["clause"] == "service-credits":
            a["step"] = "fallback-3"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path


def test_one_failure_in_each_band_and_at_each_band_edge(tmp_path: Path) -> None:
    measured = {
        (4, ACC): "98.5",  # 0.5/99 = 0.51%: first band, 1%
        (5, ACC): "96.8",  # 2.2/99 = 2.22%: second band, 2.5%
        (6, TAT): "88",  # 7/95 = 7.37%: third band, 5%
        (7, SAT): "70",  # 15/85 = 17.65%: last band, 8%
        (8, ACC): "97.02",  # 1.98/99 = exactly 2%: "up to 2%", the first band
        (9, QUAL): "85.5",  # 4.5/90 = exactly 5% (points): the second band
        (10, ACC): "97.0199",  # just over 2%: the second band
    }
    st = run(tmp_path, "offshore-remote", measured, variants=BANDED)
    assert st.terms.method == "banded-performance"
    assert [month(st, n).credits for n in range(4, 10)] == [
        Decimal(x) for x in ("1000.00", "2500.00", "5000.00", "8000.00", "1000.00", "2500.00")
    ]
    (line,) = kinds(st, 5, "credit")
    assert line.clause == "Clause 5.4"
    assert line.text == (
        "Processing accuracy: shortfall 2.22% of the target, band more than 2% and up to 5%: "
        "2.5% of the Charges of SGD 100,000.00"
    )
    assert (
        "shortfall 2% of the target, band more than 0% and up to 2%"
        in kinds(st, 8, "credit")[0].text
    )
    assert "band more than 10%: 8%" in kinds(st, 7, "credit")[0].text
    # Just over an edge: 1.9801/99 = 2.000101...%, the second band, and the line says so.
    (over,) = kinds(st, 10, "credit")
    assert over.amount == Decimal("2500.00")
    assert "shortfall 2.0001% of the target, band more than 2% and up to 5%" in over.text
    assert not kinds(st, 7, "monthly-cap")


def test_a_no_more_than_target_counts_the_excess_over_the_target(tmp_path: Path) -> None:
    measured = {(4, ASA): "33", (5, ASA): "33.3"}  # no more than 30 seconds
    st = run(tmp_path, "offshore-remote", measured, variants=BANDED)
    lv = st.terms.level(ASA)
    assert lv is not None and lv.critical and lv.direction == "no more than"
    # 3/30 = exactly 10%: "more than 5% and up to 10%", 5%; 3.3/30 = 11%: the last band, 8%.
    assert [month(st, n).credits for n in (4, 5)] == [Decimal("5000.00"), Decimal("8000.00")]
    assert (
        "shortfall 10% of the target, band more than 5% and up to 10%"
        in kinds(st, 4, "credit")[0].text
    )


def test_the_monthly_at_risk_amount_caps_banded_credits_in_proportion(tmp_path: Path) -> None:
    # 8% + 5% of 100,000 = 13,000 against an At-Risk Amount of 12% = 12,000.
    st = run(tmp_path, "offshore-remote", {(6, SAT): "70", (6, TAT): "88"}, variants=BANDED)
    m = month(st, 6)
    assert (m.at_risk, m.credits) == (Decimal("12000.00"), Decimal("12000.00"))
    (cap,) = kinds(st, 6, "monthly-cap")
    assert cap.amount == Decimal("-1000.00") and cap.clause == "Clause 5.4"
    # The credit lines show each band's amount before the cap; the cap line takes off the excess.
    assert sorted(ln.amount for ln in kinds(st, 6, "credit")) == [
        Decimal("5000.00"),
        Decimal("8000.00"),
    ]


def test_earn_back_and_critical_service_failure_work_under_the_banded_regime(
    tmp_path: Path,
) -> None:
    measured = {(4, ACC): "98.5", **{(n, QUAL): "88" for n in (6, 7, 8)}}
    st = run(tmp_path, "offshore-remote", measured, variants=BANDED)
    # The balanced Earn-Back: the 1,000.00 credit of month 4 comes back after three months met.
    (eb,) = kinds(st, 7, "earn-back")
    assert eb.amount == Decimal("-1000.00") and eb.level == ACC
    # The balanced Critical Service Failure: three consecutive failures of the same level.
    assert [(t.month, t.kind, t.level) for t in st.triggers] == [(8, "repeat-consecutive", QUAL)]
    # The third failure has two before it in the window: no Earn-Back (balanced bar of two).
    bars = [ln for m in st.months for ln in m.lines if ln.kind == "no-earn-back"]
    assert any(
        "2 earlier failure(s) in the credit window" in ln.text and "(2027-09 credit)" in ln.text
        for ln in bars
    ), bars


def check_banded_clause(text: str, bands: tuple[Band, ...], at_risk: Decimal) -> None:
    """The table the draft prints is the calculator's bands, row for row, with its labels."""
    rows = re.findall(r"^\| (more than [^|]+) \| ([\d.]+)% \|$", text, re.M)
    assert len(rows) == len(bands)
    for (label, credit), b in zip(rows, bands, strict=True):
        assert Decimal(credit) == b.credit
        assert label.startswith(f"more than {pct(b.over)}")
    at = re.search(r"At-Risk Amount for a Measurement Period is ([\d.]+)% of", text)
    assert at and Decimal(at.group(1)) == at_risk
    assert (
        "Performance Shortfall | Service Credit (% of the Charges for the Measurement Period)"
        in text
    )


CHANGED = {
    "service-credits": {
        "at_risk_percent": 10,
        "bands": [
            {"over_percent": 0, "credit_percent": 2},
            {"over_percent": 3, "credit_percent": 4},
            {"over_percent": 8, "credit_percent": 7.5},
        ],
    }
}


@pytest.mark.parametrize(
    ("variant", "overrides"),
    [("banded", None), ("banded", CHANGED), ("client-banded", None), ("client-banded", CHANGED)],
)
def test_the_calculator_uses_the_bands_the_banded_draft_prints(
    tmp_path: Path, variant: str, overrides: dict[str, dict[str, Any]] | None
) -> None:
    if variant == "banded":
        path = banded_deal(tmp_path, overrides)
    else:  # the Customer's form, pinned on a client-stance sample (inside its preferred step)
        path = deal_file(tmp_path, "fa-sox-fixed", overrides, {"service-credits": variant})
    sel = selection(path)
    doc, terms = render_document(sel), read_terms(sel)
    number, text = printed(doc, "service-credits")
    assert terms.clause == f"Clause {number}" and terms.method == "banded-performance"
    check_banded_clause(text, terms.bands, terms.at_risk_percent)
    for i, b in enumerate(terms.bands):  # every label the statement can print is in the draft
        _, label = band(terms, b.over + Decimal("0.001") if i else Decimal("0.001"))
        assert f"| {label} | {pct(b.credit)} |" in text
    schedule_number, _ = printed(doc, "sla-schedule")
    assert f"Allocation Percentages shown in Schedule {schedule_number} do not apply" in text
    check_earn_back_and_csf(doc, terms)
    if overrides:
        assert [b.over for b in terms.bands] == [Decimal(0), Decimal(3), Decimal(8)]
        assert terms.at_risk_percent == 10
    elif variant == "client-banded":
        assert [b.credit for b in terms.bands] == [Decimal(x) for x in ("2", "4", "7.5", "12")]


def test_no_sample_deal_pins_the_banded_variant() -> None:
    for path in (REPO / "deals").glob("*.yaml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        pinned = (data.get("variants") or {}).get("service-credits")
        assert pinned not in ("banded", "client-banded"), path.name


def test_a_bad_bands_override_is_reported_at_the_deal_line(tmp_path: Path) -> None:
    bad = [
        {"over_percent": 1, "credit_percent": 2},
        {"over_percent": 5, "credit_percent": 4},
        {"over_percent": 5, "credit_percent": 3},
    ]
    path = banded_deal(tmp_path, {"service-credits": {"bands": bad}})
    with pytest.raises(ContentError) as err:
        read_terms(selection(path))
    diags = err.value.diagnostics
    assert {d.rule for d in diags} == {"bad-bands"}
    lines = path.read_text("utf-8").split("\n")
    rows = 2 + next(i for i, ln in enumerate(lines) if ln.strip() == "bands:")  # first row
    # each problem at its row: the first band, then the third one twice
    assert [(d.path, d.line) for d in diags] == [(str(path), rows)] + [(str(path), rows + 4)] * 2
    messages = " | ".join(d.message for d in diags)
    assert "the first band must start at over_percent 0, not 1" in messages
    assert "band 3 (over_percent 5) must start above band 2 (over_percent 5)" in messages
    assert "band 3 credits 3%, less than band 2 (4%)" in messages
    assert len(diags) == 3  # all at once


def test_validate_reports_bad_bands_in_the_clause_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    for folder in ("clauses", "playbooks", "schemas", "deals"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    path = tmp_path / "clauses/credits/service-credits.yaml"
    text = path.read_text("utf-8")
    good = "      - {over_percent: 5, credit_percent: 5}\n"
    assert text.count(good) == 1
    path.write_text(text.replace(good, "      - {over_percent: 1, credit_percent: 5}\n"), "utf-8")
    result = CliRunner().invoke(main, ["validate", "--library", str(tmp_path)])
    assert result.exit_code == 1
    line = 1 + text.split("\n").index(good.rstrip("\n"))
    assert (
        f"clauses/credits/service-credits.yaml:{line}:9: error[bad-bands]: bands: band 3 "
        "(over_percent 1) must start above band 2 (over_percent 2): bands ascend"
    ) in result.output, result.output
    assert "Traceback" not in result.output


def test_client_banded_credits_promoted_key_levels_in_the_top_band(
    tmp_path: Path,
) -> None:
    # fa-sox-fixed pinned to client-banded: 15% at risk; bands over 0% -> 2%, over 2% -> 4%,
    # over 5% -> 7.5%, over 10% -> 12%; no Stabilisation Period in this deal; a Key
    # level missed in three (3) consecutive periods is critical from the next one.
    backlog = "backlog"  # Key, no more than 3%
    measured = {(1, ACC): "97", **{(n, backlog): "4" for n in range(1, 5)}}
    st = run(
        tmp_path,
        "fa-sox-fixed",
        measured,
        variants={"service-credits": "client-banded"},
        charges="200000",
    )
    assert st.terms.method == "banded-performance" and st.terms.key_levels_promoted
    # 2/99 = 2.02%: the second band, 4% of 200,000.
    (acc,) = kinds(st, 1, "credit")
    assert acc.amount == Decimal("8000.00") and "band more than 2% and up to 5%: 4%" in acc.text
    assert [month(st, n).credits for n in (2, 3)] == [Decimal(0), Decimal(0)]
    (promoted,) = kinds(st, 3, "promoted")
    assert "a Critical Service Level from the next one" in promoted.text
    assert "Allocation Percentage" not in promoted.text
    # Month 4: backlog 1/3 = 33.3% short, the top band, 12% of 200,000.
    (key,) = kinds(st, 4, "credit")
    assert key.level == backlog and key.amount == Decimal("24000.00")


def test_the_obligations_register_follows_the_banded_text(tmp_path: Path) -> None:
    from generator.contract.obligations import register

    banded = {o.id: o for o in register(selection(banded_deal(tmp_path / "a"))).obligations}
    assert "reallocation-notice" not in banded  # the banded text gives no reallocation right
    assert "service-credits-in-report" not in banded
    assert "Performance Shortfall band" in banded["banded-credits-in-report"].measure
    plain = {o.id for o in register(selection(REPO / "deals/offshore-remote.yaml")).obligations}
    assert {"reallocation-notice", "service-credits-in-report"} <= plain
    assert "banded-credits-in-report" not in plain
