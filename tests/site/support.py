"""A library whose every printed field carries markup, for the hostile-input site tests."""

from __future__ import annotations

from pathlib import Path

from generator.site.build import Built, build, revision
from tests.gitlib import commit, edit, library_repo

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
LINK = "[click me](javascript:alert(3))"
PAYLOAD = f"{SCRIPT} {IMG} {LINK}"

OUTCOME = f"""\
deal: small
sample: true
signed: 2026-12-01
counterparty: '{SCRIPT} Ltd'
clauses:
  service-credits:
    opened: client
    variant: client
    parameters: {{cap_percent: 12}}
    accepted_first_time: false
    rounds: 2
    days_to_agree: 14
    note: '{PAYLOAD}'
"""


def hostile_build(tmp_path: Path) -> Built:
    top, root = library_repo(tmp_path)
    clause = root / "clauses/core/services.yaml"
    edit(clause, "summary: The Services.", f"summary: 'Services {PAYLOAD}'")
    edit(clause, "title: Services", f"title: 'Services {SCRIPT}'")
    edit(clause, "    notes: n\n", f"    notes: '{PAYLOAD}'\n")
    edit(clause, "    guidance: g\n", f"    guidance: '{PAYLOAD}'\n")
    edit(
        clause,
        "after the Effective Date.\n\n      The Supplier shall:",
        f"after the Effective Date. {PAYLOAD}\n\n      The Supplier shall:",
    )
    edit(clause, "a credit calculated under", f"a credit {SCRIPT} calculated under")
    edit(
        root / "playbooks/standard.yaml",
        "guidance: Open at fifteen per cent.",
        f"guidance: 'Open at fifteen per cent. {PAYLOAD}'",
    )
    edit(
        root / "deals/small.yaml",
        "title: Small Services Agreement",
        f"title: 'Small {SCRIPT} Agreement'",
    )
    outcomes = root / "playbooks" / "outcomes"
    outcomes.mkdir(parents=True, exist_ok=True)
    (outcomes / "small.yaml").write_text(OUTCOME)
    commit(top, f"Services {SCRIPT} {LINK}")
    return build(root, revision(root), git_root=root)
