"""missing-owner: a clause without an accountable owner."""

from __future__ import annotations

from ..clausefile import ClauseFile, Finding, finding
from ..config import Context

_PLACEHOLDER_OWNERS = frozenset(
    {"", "tbd", "tba", "todo", "unknown", "none", "n/a", "na", "-", "?", "nobody", "owner", "xxx"}
)


def check_owner(cf: ClauseFile) -> list[Finding]:
    owner = cf.data.get("owner")
    if isinstance(owner, str) and owner.strip().lower() not in _PLACEHOLDER_OWNERS:
        return []
    if owner is None:
        return [
            finding(
                cf,
                (),
                "missing-owner",
                "clause has no owner: name the team accountable for its wording (owner: coe-legal)",
                at=(1, 1),
            )
        ]
    return [
        finding(
            cf,
            ("owner",),
            "missing-owner",
            f"owner {owner!r} is a placeholder: name the team accountable for the wording",
        )
    ]


IDS = ("missing-owner",)


def check(ctx: Context) -> list[Finding]:
    return [f for cf in ctx.files for f in check_owner(cf)]
