"""unused-parameter: a parameter that no variant text or definition of its clause uses."""

from __future__ import annotations

import re

from ..clausefile import ClauseFile, Finding, finding, jinja_tags
from ..config import Context


def check_parameters(cf: ClauseFile) -> list[Finding]:
    params = cf.parameters()
    if not params:
        return []
    # Names read inside Jinja tags; "l.metric" is an attribute, not the parameter "metric".
    used: set[str] = set()
    for text in cf.templates():
        for tag in jinja_tags(text):
            used.update(re.findall(r"(?<![.\w])[A-Za-z_]\w*", tag))
    return [
        finding(
            cf,
            ("parameters", name),
            "unused-parameter",
            f"parameter '{name}' is not used by any variant text or definition of this clause",
            key=True,
        )
        for name in params
        if name not in used
    ]


IDS = ("unused-parameter",)


def check(ctx: Context) -> list[Finding]:
    return [f for cf in ctx.files for f in check_parameters(cf)]
