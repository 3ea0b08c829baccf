"""What each concession costs: the ladder steps for the credit clauses, on the sample series."""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner

from generator.cli import main
from generator.contract import library_and_selection
from generator.contract.concessions import concession_costs, draft_net
from tests.contract.helpers import REPO

PERF = REPO / "docs/samples/offshore-remote-performance.csv"
CHARGES = REPO / "docs/samples/offshore-remote-charges.csv"


def test_each_step_of_the_service_credit_ladder_is_priced_on_the_sample_series() -> None:
    lib, sel = library_and_selection(REPO, REPO / "deals/offshore-remote.yaml")
    rows = {(c.clause, c.step): c for c in concession_costs(lib, sel, PERF, CHARGES)}
    # The sample: accuracy fails once (earned back), quality three times (factors escalate).
    # Preferred, client form at 15%: 60,000 at risk; 12,000 + 9,000 + 13,500 + 18,000 credits,
    # less the 12,000 earned back = 40,500.
    assert rows["service-credits", "preferred"].credits == Decimal("40500.00")
    # Fallback 1 at 12%: 9,600 + 7,200 + 10,800 + 14,400 - 9,600.
    assert rows["service-credits", "fallback-1"].credits == Decimal("32400.00")
    # Fallback 2, the balanced form the deal is drafted on (factors 50/100/150%).
    assert rows["service-credits", "fallback-2"].credits == draft_net(lib, sel, PERF, CHARGES)
    assert rows["service-credits", "walk-away"].cost == Decimal("22500.00")
    # Fallback 3, the banded form at 12% of 400,000 a month: accuracy 0.51% short (1%, 4,000,
    # earned back), quality 2.22% and 2.78% short (2.5%, 10,000 each), then 1.11% (1%, 4,000).
    assert rows["service-credits", "fallback-3"].credits == Decimal("24000.00")
    costs = [
        rows["service-credits", s].cost
        for s in ("preferred", "fallback-1", "fallback-2", "walk-away")
    ]
    assert costs == sorted(costs)  # every concession down the ladder costs the Customer more
    assert rows["earn-back", "fallback-1"].cost == Decimal("4800.00")  # full instead of half


def test_credits_concessions_json() -> None:
    args = ["credits", str(REPO / "deals/offshore-remote.yaml"), "--performance", str(PERF)]
    args += ["--charges", str(CHARGES), "--concessions", "--format", "json", "--library", str(REPO)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["draft_credits"] == "21600.00" and data["currency"] == "SGD"
    assert [s["step"] for s in data["steps"]][:5] == [
        "preferred",
        "fallback-1",
        "fallback-2",
        "fallback-3",
        "walk-away",
    ]
