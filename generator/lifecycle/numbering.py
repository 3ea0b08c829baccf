"""The signed numbering kept through every amendment.

A clause the signed agreement has keeps its signed number wherever it sits; a clause inserted
after Clause 12.3 becomes 12.3A (then 12.3B), an article inserted after Article 6 becomes 6A with
clauses 6A.1, 6A.2, a schedule inserted after Schedule 3 becomes 3A. Nothing is ever renumbered,
so every reference to the signed agreement in letters, notices and other contracts stays true.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Selected, SelectedArticle, Selection


def next_suffix(number: str, taken: set[str]) -> str:
    """The first free number after ``number``: 12.3 -> 12.3A, 12.3A -> 12.3B, 6 -> 6A."""
    while True:
        last = number[-1]
        number = number[:-1] + chr(ord(last) + 1) if last.isalpha() and last < "Z" else number + "A"
        if number not in taken:
            return number


def article_of(number: str) -> str:
    return number.split(".", 1)[0]


def keep_signed_numbers(selection: Selection, signed: dict[str, str]) -> Selection:
    """``selection`` numbered by the signed agreement's rule; ``signed`` maps clause id ->
    signed number (articles' clauses "5.2", schedules "3")."""
    taken = set(signed.values())
    taken_articles = {article_of(n) for cid, n in signed.items() if "." in n}
    articles: list[SelectedArticle] = []
    prev_article = "0"
    for a in selection.articles:
        kept = [
            signed[c.clause.id]
            for c in a.clauses
            if c.clause.id in signed and "." in signed[c.clause.id]
        ]
        if kept:
            number = article_of(kept[0])
        else:
            number = next_suffix(prev_article, taken_articles)
            taken_articles.add(number)
        articles.append(
            SelectedArticle(number, a.title, _clauses(a.clauses, number, signed, taken, bool(kept)))
        )
        prev_article = number
    schedules: list[Selected] = []
    prev = "0"
    for s in selection.schedules:
        if s.clause.id in signed and "." not in signed[s.clause.id]:
            prev = signed[s.clause.id]
        else:
            prev = next_suffix(prev, taken)
            taken.add(prev)
        schedules.append(replace(s, number=prev))
    return replace(selection, articles=tuple(articles), schedules=tuple(schedules))


def _clauses(
    clauses: tuple[Selected, ...],
    article: str,
    signed: dict[str, str],
    taken: set[str],
    existing: bool,
) -> tuple[Selected, ...]:
    out: list[Selected] = []
    # In an article the signed agreement had, a clause before every signed one goes after "N.0".
    prev = f"{article}.0"
    for i, c in enumerate(clauses, start=1):
        number = signed.get(c.clause.id)
        if number is None or "." not in number:
            number = next_suffix(prev, taken) if existing else f"{article}.{i}"
            taken.add(number)
        out.append(replace(c, number=number))
        prev = number
    return tuple(out)
