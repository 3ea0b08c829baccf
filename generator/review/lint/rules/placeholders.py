"""draft-placeholder: a figure still to be agreed in a draft (`clausebook draft --placeholders`).

A draft with placeholders is never clean: each one is a finding at its line in the draft, and
none can be suppressed in a clause file (it is the deal that must state the figure)."""

from __future__ import annotations

import re

from ....errors import Diagnostic
from ..clausefile import Finding
from ..config import Context

# pipeline/placeholders.py writes "[●What — to be agreed]"; the Markdown writer escapes the
# brackets and drafts.py blanks the escapes, so a space may stand before the closing bracket.
_MARK = re.compile(r"\[●(?P<what>[^\[\]\n]{1,120}?) — to be agreed ?\]")
# build.py lists them in the manifest: {"clause": ..., "to_be_agreed": "Fixed Monthly Fee"}
_LISTED = re.compile(r'"to_be_agreed": "(?P<what>[^"\n]{1,120})"')

IDS = ("draft-placeholder",)


def check(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for draft in ctx.drafts:
        for line, text in draft.text_lines():
            for m in (_LISTED if draft.manifest else _MARK).finditer(text):
                what = m.group("what").strip()
                message = (
                    f"'{what}' is still to be agreed: state it in the deal's overrides and draft "
                    "again (this draft was made with --placeholders and is not ready to send)"
                )
                diag = Diagnostic(draft.path, line, m.start() + 1, "draft-placeholder", message)
                out.append(Finding(diag, line))
    return out
