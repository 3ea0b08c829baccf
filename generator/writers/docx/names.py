"""Word bookmark names of clauses, schedules and articles (cross-references, TOC, comments)."""

from __future__ import annotations

import re

_BM_SAFE = re.compile(r"[^A-Za-z0-9_]")


def bookmark_name(clause_id: str) -> str:
    # Word bookmark names: letters, digits, underscore, at most 40 characters;
    # the _Ref prefix hides them from the bookmark list as Word's own cross-references are.
    return ("_Ref_" + _BM_SAFE.sub("_", clause_id))[:40]


def article_bookmark(number: str) -> str:
    return "_Toc_article_" + _BM_SAFE.sub("_", number)
