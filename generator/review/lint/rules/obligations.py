"""undeclared-obligation: in a clause file that declares its obligations, an operative
"shall ... within N days" sentence whose period no declared obligation names, so the
obligations register (`clausebook obligations`) stays complete as the text grows."""

from __future__ import annotations

import re

from ..clausefile import ClauseFile, Finding, finding, locate, sentence_span
from ..config import Context

WITHIN = re.compile(r"within \{\{\s*([a-z_][a-z0-9_]*)\s*\|\s*(?:days|business_days|months)\s*\}\}")


def _covered(declared: list[object], variant: str) -> set[str]:
    out = set()
    for o in declared:
        if not isinstance(o, dict) or not isinstance(o.get("when"), dict):
            continue
        if o.get("variants") and variant not in o["variants"]:
            continue
        if isinstance(o["when"].get("parameter"), str):
            out.add(o["when"]["parameter"])
    return out


def check_obligations(cf: ClauseFile) -> list[Finding]:
    declared = cf.data.get("obligations")
    if not isinstance(declared, list) or not declared:
        return []  # the clause has not opted in: nothing to keep complete
    out = []
    for i, v in cf.variants():
        text = v.get("text")
        if not isinstance(text, str):
            continue
        covered = _covered(declared, str(v.get("id")))
        for m in WITHIN.finditer(text):
            start, end = sentence_span(text, m.start())
            if not re.search(r"\bshall\b", text[start:end]) or m.group(1) in covered:
                continue
            pointer = ("variants", i, "text")
            at = locate(cf, pointer, text, m.start(), len(m.group(0)))
            message = (
                f"'shall ... within {m.group(1)}' in variant '{v.get('id')}' declares no "
                "obligation: add one to `obligations:` with `parameter: "
                f"{m.group(1)}` (docs/contract-data.md)"
            )
            out.append(finding(cf, pointer, "undeclared-obligation", message, at=at))
    return out


IDS = ("undeclared-obligation",)


def check(ctx: Context) -> list[Finding]:
    return [f for cf in ctx.files for f in check_obligations(cf)]
