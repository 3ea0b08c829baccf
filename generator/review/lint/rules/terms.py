"""undefined-term and unused-term: capitalised terms no clause defines, and definitions no text uses."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ....source import Pointer
from ..clausefile import ClauseFile, Finding, finding, locate, mask, numeric_params, words
from ..config import Context, LintConfig
from ..termindex import TermIndex, term_forms, term_index

# Words that start a sentence or phrase in capitals without being part of a defined term.
_STOPWORDS = words(
    """a an the each any all every no none if where when whenever while in on for from to at by
    with within without under upon until unless except after before during subject
    notwithstanding this that these those such either neither both its their our your nothing
    save otherwise other once following including as and or but then only not nor so accordingly
    further furthermore however also where whether what which who whose between above below per
    than via"""
)


_CAP = r"[A-Z][a-z][\w'\u2019-]*"


# Capitalised words, joined across "of", "and", "for the"...: "Prevention of Corruption Act".
_CAP_RUN = re.compile(
    rf"(?<![\w'\u2019-]){_CAP}(?:[ ]+(?:(?:of|and|for|on|the|in|to)[ ]+){{0,2}}{_CAP})+"
)


# Words that make a capitalised run the name of a law, regulator or standard.
_INSTITUTIONS = words(
    """Act Acts Authority Commission Council Parliament Regulation Regulations Directive Convention
    Nations Bank Commissioner Guidelines Guidance Handbook Protocol Publication Treaty Kingdom
    Union Government Ministry Department Federal Institute Organization Organisation Association
    Court Tribunal Agency"""
)


_CALENDAR = words(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December"""
)


_NAME_EDGES = words(
    """Code Law Rules Standard Standards System Decision Addendum Order Board Office Framework"""
)


_QUOTED = re.compile(r"[\"\u201c]([A-Z][^\"\u201d\n]{0,79})[\"\u201d]")


_BOLD = re.compile(r"\*\*[^*\n]+\*\*")


def _scan_terms(
    cf: ClauseFile, index: TermIndex, multi: TermIndex, singles: frozenset[str]
) -> tuple[dict[str, set[Pointer]], list[tuple[str, Pointer, str, int, int]]]:
    """Uses of known terms, and capitalised runs that look like terms but are not known."""
    uses: dict[str, set[Pointer]] = {}
    undefined: list[tuple[str, Pointer, str, int, int]] = []
    numeric = numeric_params(cf)
    templates = {p for p, _ in cf.texts() if p[-1] == "text" or p[0] == "defines"}
    for pointer, value in cf.texts():
        m = mask(value, numeric).text
        for term, _, _ in index.finditer(m):
            uses.setdefault(term, set()).add(pointer)
        if pointer not in templates:
            continue  # parameter values are table labels ("Average Speed of Answer"), not prose
        # Multi-word terms are blanked; single-word ones stay, so "Customer Personnel" is
        # still seen as a term of its own.
        blanked = list(m)
        for _, s, e in multi.finditer(m):
            blanked[s:e] = "\x1f" * (e - s)
        text = "".join(blanked)
        # Table rows, bold headings and quoted words are titles or inline definitions, not uses.
        text = re.sub(r"(?m)^[ \t]*\|.*$", lambda x: "\x1f" * len(x.group()), text)
        text = _BOLD.sub(lambda x: "\x1f" * len(x.group()), text)
        text = _QUOTED.sub(lambda x: "\x1f" * len(x.group()), text)
        for run in _CAP_RUN.finditer(text):
            words = run.group().split()
            start = run.start()
            while words and words[0].lower() in _STOPWORDS:
                start = text.index(words[1], start + len(words[0])) if len(words) > 1 else run.end()
                words = words[1:]
            # "Controls of the Customer": a known term behind a connector ends the run.
            while len(words) > 2 and _known(words[-1], singles) and not words[-2][:1].isupper():
                words = words[:-1]
                while words and not words[-1][:1].isupper():
                    words = words[:-1]
            caps = [w for w in words if w[:1].isupper()]
            if len(caps) < 2 or _proper_name(caps, text[run.end() : run.end() + 40]):
                continue
            if all(_known(w, singles) for w in caps):
                continue  # "Customer's Affiliates": two known terms side by side
            undefined.append((" ".join(words), pointer, value, start, run.end()))
    return uses, undefined


def _known(word: str, singles: frozenset[str]) -> bool:
    """A known single-word term, possibly possessive or the head of a compound (Customer-specific)."""
    word = _strip_suffix(word)
    return word in singles or word.split("-", 1)[0] in singles or word in _CALENDAR


def _strip_suffix(word: str) -> str:
    for suffix in ("'s", "\u2019s", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _proper_name(caps: list[str], after: str) -> bool:
    """A statute, regulator or standard: named, not defined, in a contract."""
    if any(_strip_suffix(w) in _INSTITUTIONS for w in caps):
        return True
    if caps[0] in _NAME_EDGES or _strip_suffix(caps[-1]) in _NAME_EDGES:
        return True
    # "Insolvency Act 1986", "Special Publication 800-88", "Strategic Goods (Control) Act"
    return bool(
        re.match(r"\s*(?:\d|\)?\s*(?:\([A-Z][^)]{0,40}\)\s+)?(?:Act|Order|Regulations?)\b)", after)
    )


def inline_terms(files: Sequence[ClauseFile]) -> set[str]:
    """Terms defined in running text: (the "Change Request"), "Parties" means ..."""
    out: set[str] = set()
    for cf in files:
        for _, value in cf.texts():
            for m in _QUOTED.finditer(value):
                words = m.group(1).split()
                if words and all(
                    w[:1].isupper() or w.lower() in ("of", "and", "the", "for", "to", "in", "on")
                    for w in words
                ):
                    out.add(m.group(1))
    return out


def check_terms(files: Sequence[ClauseFile], cfg: LintConfig, want: set[str]) -> list[Finding]:
    defines: dict[str, tuple[ClauseFile, str]] = {}
    for cf in files:
        for term in cf.defines():
            defines.setdefault(term, (cf, term))
    known = frozenset(defines) | frozenset(inline_terms(files)) | cfg.known_terms
    index = term_index(known)
    multi = term_index(t for t in known if " " in t)
    singles = frozenset(f for t in known if " " not in t for f in term_forms(t))
    uses: dict[str, set[tuple[str, Pointer]]] = {}
    out: list[Finding] = []
    for cf in files:
        file_uses, undefined = _scan_terms(cf, index, multi, singles)
        for term, ptrs in file_uses.items():
            uses.setdefault(term, set()).update((cf.path, p) for p in ptrs)
        if "undefined-term" in want:
            seen: set[str] = set()
            for phrase, pointer, value, s, e in undefined:
                if phrase in seen:
                    continue  # once per file is enough to make the point
                seen.add(phrase)
                out.append(
                    finding(
                        cf,
                        pointer,
                        "undefined-term",
                        f"'{phrase}' reads as a defined term but no clause defines it: add it to the 'defines' of the clause that introduces it (or to known-terms if it is a proper name)",
                        locate(cf, pointer, value, s, e - s),
                    )
                )
    if "unused-term" in want:
        for term, (cf, _) in sorted(defines.items()):
            own = (cf.path, ("defines", term))
            if not (uses.get(term, set()) - {own}):
                out.append(
                    finding(
                        cf,
                        ("defines", term),
                        "unused-term",
                        f"defined term '{term}' is used by no clause text or other definition: use it or remove the definition",
                        key=True,
                    )
                )
    return out


IDS = ("undefined-term", "unused-term")


def check(ctx: Context) -> list[Finding]:
    return check_terms(ctx.files, ctx.config, set(ctx.config.rules))
