"""The lint rules, one module each, as markdown-it-py keeps its parsing rules: every module
names the rule ids it reports (``IDS``) and has one ``check(ctx)``; lint_library runs each
module whose ids are switched on. A new rule is a new module here, added to ``MODULES``, with
its id and description in ``config.RULES``."""

from __future__ import annotations

from types import ModuleType

from . import (
    approved,
    obligations,
    owner,
    parameters,
    placeholders,
    quantities,
    sla,
    terms,
    vague,
)

MODULES: tuple[ModuleType, ...] = (
    vague,
    owner,
    parameters,
    sla,
    approved,
    terms,
    obligations,
    placeholders,  # the rendered drafts (drafts.py)
    quantities,
)
