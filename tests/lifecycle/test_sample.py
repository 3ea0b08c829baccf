"""The committed sample: a signed level-2 deal and its amendment to level 3, kept current."""

from __future__ import annotations

import datetime as dt

from generator.lifecycle.amend import make_amendment
from generator.lifecycle.amendment import Purpose
from generator.lifecycle.lock import lock_path, read_lock
from generator.pipeline.build import open_library
from tests.conftest import REPO

DEAL = REPO / "deals" / "claims-hipaa-transaction.yaml"
OUT = REPO / "outputs" / "lifecycle"
REGENERATE = (
    "clausebook amend deals/claims-hipaa-transaction.yaml --to-maturity 3 "
    "--effective 2028-01-15 -o outputs/lifecycle --force"
)


def test_the_committed_lock_is_intact_and_signed_at_level_2() -> None:
    signed = read_lock(lock_path(DEAL))  # raises if anyone edited it by hand
    assert signed.document.deal["maturity"] == 2
    assert signed.signed_on == "2027-01-10"


def test_the_committed_amendment_is_what_the_library_now_drafts() -> None:
    signed = read_lock(lock_path(DEAL), "deals/claims-hipaa-transaction.lock.json")
    made = make_amendment(
        open_library(REPO), DEAL, signed, Purpose(to_maturity=3), dt.date(2028, 1, 15), ["md"]
    )
    for kind in ("amendment", "conformed", "redline"):
        name = f"claims-hipaa-transaction-{kind}.md"
        committed = (OUT / name).read_bytes()
        assert committed == made.draft.files[name], (
            f"outputs/lifecycle/{name} is stale: {REGENERATE}"
        )
