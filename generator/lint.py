"""`clausebook lint`: drafting rules over the clause source, each finding at file:line:col.

Lint reads the clause files on its own, tolerantly: a clause that validation would refuse (no
owner, say) still gets its drafting findings, and one broken file never hides the others. It
works on the template source, with Jinja tags masked out so offsets in the text stay offsets
in the file; a ``{{ … }}`` that prints a number, period or amount counts as a measure.

Rules are configured per library (``clausebook.toml`` ``[lint]`` or ``[tool.clausebook.lint]``
in the library's ``pyproject.toml``) and a finding can be suppressed in the YAML with a comment
that must give a reason::

    # clausebook: allow vague-language -- the 24-hour backstop in the same clause measures it
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ContentError, Diagnostic
from .load import Pointer, SourceFile, parse_yaml

RULES: dict[str, str] = {
    "vague-language": "a vague phrase (or 'material') in a sentence that gives no number, period or measure",
    "undefined-term": "a capitalised multi-word term that no clause defines",
    "unused-term": "a defined term that no clause text or other definition uses",
    "sla-incomplete": "a service level or KPI row without a target, measurement window, data source or consequence",
    "unused-parameter": "a parameter that no variant text or definition of its clause uses",
    "missing-owner": "a clause without an accountable owner",
    "approved-text-changed": "an approved clause whose contract text changed since the base revision (set status: draft until re-approved)",
    "suppression-without-reason": "a `# clausebook: allow` comment without `-- reason`",
    "unknown-rule": "a suppression comment naming a rule that does not exist",
    "unused-suppression": "a suppression comment that suppresses nothing",
}
CONFIG_RULE = "lint-config"
# Rules a suppression cannot silence: they police the suppressions themselves.
_UNSUPPRESSIBLE = frozenset({"suppression-without-reason", "unknown-rule", "unused-suppression"})

_CONFIG_KEYS = (
    "enable",
    "disable",
    "phrases",
    "extra-phrases",
    "allow-phrases",
    "known-terms",
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Filters and parameter types whose output is a number, period or amount.
_MEASURE_FILTERS = _words(
    """words duration minutes hours business_hours days business_days weeks months
    years number percent money int round longdate"""
)


_NUMERIC_TYPES = frozenset({"integer", "number", "percent", "money", "date"})
_PLACEHOLDER_OWNERS = frozenset(
    {"", "tbd", "tba", "todo", "unknown", "none", "n/a", "na", "-", "?", "nobody", "owner", "xxx"}
)
# Words that start a sentence or phrase in capitals without being part of a defined term.
_STOPWORDS = _words(
    """a an the each any all every no none if where when whenever while in on for from to at by
    with within without under upon until unless except after before during subject
    notwithstanding this that these those such either neither both its their our your nothing
    save otherwise other once following including as and or but then only not nor so accordingly
    further furthermore however also where whether what which who whose between above below per
    than via"""
)
# Proper names every contract may use without defining them.
_BUILTIN_KNOWN = frozenset(
    {
        "United Kingdom",
        "United States",
        "European Union",
        "European Economic Area",
        "New York",
        "England and Wales",
        "Northern Ireland",
        "Hong Kong",
        "New Zealand",
        "South Africa",
        "Sri Lanka",
        "United Arab Emirates",
        "Saudi Arabia",
        "Costa Rica",
        "Puerto Rico",
        "North America",
        "Latin America",
    }
)
# SLA/KPI tables: a list of records with a field naming the metric. Each row must say what
# is measured against what target, over which window, from which data and with what effect.
_METRIC_FIELDS = frozenset({"metric", "kpi", "indicator", "service_level"})
_SLA_NEEDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("target", "target", ("target",)),
    ("window", "measurement window", ("window", "period", "frequency")),
    ("source", "data source", ("source",)),
    (
        "consequence",
        "consequence",
        ("consequence", "credit", "allocation", "category", "remedy", "weight", "share", "bonus"),
    ),
)

_SUPPRESS_RX = re.compile(
    r"#\s*clausebook:\s*allow\b(?P<body>[^\n]*)",
)
_SUPPRESS_BODY = re.compile(
    r"^\s*(?P<rules>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)\s*(?:--\s*(?P<reason>.*?))?\s*$"
)
_JINJA_RX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_NAME_RX = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n[ \t]*\n")
_CAP = r"[A-Z][a-z][\w'\u2019-]*"
# Capitalised words, joined across "of", "and", "for the"...: "Prevention of Corruption Act".
_CAP_RUN = re.compile(
    rf"(?<![\w'\u2019-]){_CAP}(?:[ ]+(?:(?:of|and|for|on|the|in|to)[ ]+){{0,2}}{_CAP})+"
)
# Words that make a capitalised run the name of a law, regulator or standard.
_INSTITUTIONS = _words(
    """Act Acts Authority Commission Council Parliament Regulation Regulations Directive Convention
    Nations Bank Commissioner Guidelines Guidance Handbook Protocol Publication Treaty Kingdom
    Union Government Ministry Department Federal Institute Organization Organisation Association
    Court Tribunal Agency"""
)
_CALENDAR = _words(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December"""
)
_NAME_EDGES = _words(
    """Code Law Rules Standard Standards System Decision Addendum Order Board Office Framework"""
)
_QUOTED = re.compile(r"[\"\u201c]([A-Z][^\"\u201d\n]{0,79})[\"\u201d]")
_BOLD = re.compile(r"\*\*[^*\n]+\*\*")


# ---- configuration ---------------------------------------------------------------------


@dataclass(frozen=True)
class LintConfig:
    rules: frozenset[str]
    phrases: tuple[str, ...]
    material: bool  # flag "material"/"materially" without a number
    known_terms: frozenset[str]
    source: str = ""  # the file the configuration came from, if any


@cache
def default_phrases() -> tuple[str, ...]:
    """The one list of vague phrases, shipped in the package (also read by the test suite)."""
    text = resources.files("generator").joinpath("data", "vague_phrases.txt").read_text("utf-8")
    return tuple(_phrase_lines(text))


def _phrase_lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line.lower())
    return out


def load_config(root: Path) -> LintConfig:
    """The library's lint settings; a ContentError for an unknown key or rule."""
    import tomllib

    table: dict[str, Any] = {}
    source = ""
    for name, keys in (
        ("clausebook.toml", ("lint",)),
        ("pyproject.toml", ("tool", "clausebook", "lint")),
    ):
        path = root / name
        if not path.is_file() or path.is_symlink():
            continue
        try:
            data: Any = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            m = re.search(r"line (\d+), column (\d+)", str(exc))
            line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
            raise ContentError(
                [Diagnostic(name, line, col, CONFIG_RULE, f"cannot read: {exc}")]
            ) from None
        for k in keys:
            data = data.get(k) if isinstance(data, dict) else None
        if isinstance(data, dict):
            table, source = data, name
            break
    return _config_from(table, source)


def _config_from(table: Mapping[str, Any], source: str) -> LintConfig:
    problems: list[Diagnostic] = []

    def bad(message: str) -> None:
        problems.append(Diagnostic(source or "clausebook.toml", 1, 1, CONFIG_RULE, message))

    def strings(key: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad(f"lint setting '{key}' must be a list of strings")
            return []
        return list(value)

    import difflib

    for key in table:
        if key not in _CONFIG_KEYS:
            close = difflib.get_close_matches(key, _CONFIG_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            bad(f"unknown lint setting '{key}'{hint}; known: {', '.join(_CONFIG_KEYS)}")
    enable, disable = strings("enable"), strings("disable")
    for rule in enable + disable:
        if rule not in RULES:
            close = difflib.get_close_matches(rule, list(RULES), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            bad(f"unknown lint rule '{rule}'{hint}")
    phrases = [p.lower().strip() for p in strings("phrases")] if "phrases" in table else None
    base = list(phrases) if phrases is not None else list(default_phrases())
    base += [p.lower().strip() for p in strings("extra-phrases")]
    allow = {p.lower().strip() for p in strings("allow-phrases")}
    material = "material" not in allow and "materially" not in allow
    base = [p for p in dict.fromkeys(base) if p and p not in allow]
    if problems:
        raise ContentError(problems)
    rules = (frozenset(RULES) | frozenset(enable)) - frozenset(disable)
    known = frozenset(strings("known-terms")) | _BUILTIN_KNOWN
    return LintConfig(rules, tuple(base), material, known, source)


# ---- reading clause files ----------------------------------------------------------------


@dataclass(frozen=True)
class _Scalar:
    start: int  # index of the token in the file text
    end: int
    line: int  # 0-based line of the token start
    col: int
    style: str | None


@dataclass(frozen=True)
class ClauseFile:
    """One clause file as lint sees it: raw text, parsed data and scalar token spans."""

    path: str  # relative to the library root
    text: str
    src: SourceFile
    scalars: dict[tuple[int, int], _Scalar] = field(repr=False)

    @property
    def data(self) -> dict[str, Any]:
        return self.src.data if isinstance(self.src.data, dict) else {}

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return value if isinstance(value, str) else Path(self.path).stem

    def scalar_at(self, pointer: Pointer) -> _Scalar | None:
        if pointer not in self.src.positions:
            return None
        line, col = self.src.positions[pointer]
        s = self.scalars.get((line - 1, col - 1))
        if s is None:  # load.py moves block scalars to their first text line
            s = self.scalars.get((line - 2, col - 1))
        return s

    def variants(self) -> list[tuple[int, dict[str, Any]]]:
        vs = self.data.get("variants")
        return (
            [(i, v) for i, v in enumerate(vs) if isinstance(v, dict)]
            if isinstance(vs, list)
            else []
        )

    def defines(self) -> dict[str, str]:
        d = self.data.get("defines")
        return {k: v for k, v in d.items() if isinstance(v, str)} if isinstance(d, dict) else {}

    def parameters(self) -> dict[str, dict[str, Any]]:
        p = self.data.get("parameters")
        return {k: v for k, v in p.items() if isinstance(v, dict)} if isinstance(p, dict) else {}

    def texts(self) -> list[tuple[Pointer, str]]:
        """Every piece of contract text: variant texts, definitions, and the text values of
        parameters (an SLA table's definitions are printed in the contract too)."""
        out: list[tuple[Pointer, str]] = []
        for i, v in self.variants():
            if isinstance(v.get("text"), str):
                out.append((("variants", i, "text"), v["text"]))
            if isinstance(v.get("parameters"), dict):
                out += _strings(("variants", i, "parameters"), v["parameters"])
        for term, definition in self.defines().items():
            out.append((("defines", term), definition))
        for name, spec in self.parameters().items():
            if "default" in spec:
                out += _strings(("parameters", name, "default"), spec["default"])
        return out

    def templates(self) -> list[str]:
        """The texts Jinja renders (parameter values are data, not templates)."""
        out = [v["text"] for _, v in self.variants() if isinstance(v.get("text"), str)]
        return out + list(self.defines().values())


def _strings(pointer: Pointer, value: Any) -> list[tuple[Pointer, str]]:
    if isinstance(value, str):
        return [(pointer, value)] if " " in value.strip() else []
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _strings(pointer + (k,), v)]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in _strings(pointer + (i,), v)]
    return []


def read_clause_file(path: Path, display: str) -> ClauseFile:
    import yaml

    try:
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader as Loader  # type: ignore[assignment]

    raw = path.read_bytes()
    src = parse_yaml(raw, display)
    text = raw.decode("utf-8-sig")
    scalars: dict[tuple[int, int], _Scalar] = {}
    for tok in yaml.scan(text, Loader=Loader):
        if isinstance(tok, yaml.ScalarToken):
            sm, em = tok.start_mark, tok.end_mark
            scalars[(sm.line, sm.column)] = _Scalar(
                sm.index, em.index, sm.line, sm.column, tok.style
            )
    return ClauseFile(display, text, src, scalars)


def discover_clause_files(root: Path) -> tuple[list[ClauseFile], list[Diagnostic]]:
    files: list[ClauseFile] = []
    problems: list[Diagnostic] = []
    base = root / "clauses"
    for path in sorted(base.glob("*/*.yaml")) if base.is_dir() else []:
        display = path.relative_to(root).as_posix()
        if path.is_symlink() or not path.is_file():
            problems.append(Diagnostic(display, 1, 1, "symlink", "not a regular file; not linted"))
            continue
        try:
            files.append(read_clause_file(path, display))
        except ContentError as exc:
            problems.extend(exc.diagnostics)
    return files, problems


# ---- text helpers -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Masked:
    """Template text with every Jinja tag replaced by filler of the same length."""

    text: str
    measures: tuple[tuple[int, int], ...]  # spans of {{ }} that print a number or period


def mask(template: str, numeric_params: frozenset[str]) -> _Masked:
    measures: list[tuple[int, int]] = []

    def fill(m: re.Match[str]) -> str:
        tag = m.group()
        if tag.startswith("{{"):
            inner = tag[2:-2]
            names = set(_NAME_RX.findall(inner))
            filters = set(re.findall(r"\|\s*([A-Za-z_]\w*)", inner))
            if filters & _MEASURE_FILTERS or names & numeric_params:
                measures.append((m.start(), m.end()))
        # '\x1f' is neither a word character nor space: it breaks terms and phrases alike.
        return "".join("\n" if ch == "\n" else "\x1f" for ch in tag)

    return _Masked(_JINJA_RX.sub(fill, template), tuple(measures))


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    m2 = _SENTENCE_END.search(text, pos)
    return start, (m2.start() if m2 else len(text))


def _has_measure(masked: _Masked, start: int, end: int) -> bool:
    if re.search(r"\d", masked.text[start:end]):
        return True
    return any(s < end and e > start for s, e in masked.measures)


def _phrase_rx(phrase: str) -> str:
    return r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"(?![\w-])"


def _term_forms(term: str) -> list[str]:
    forms = [term, term + "s", term + "'s", term + "\u2019s", term + "s'"]
    if term.endswith("y") and len(term) > 1 and term[-2] not in "aeiou":
        forms.append(term[:-1] + "ies")
    # A term defined in the plural is used in the singular too: "Excluded Service".
    if term.endswith("ies"):
        forms.append(term[:-3] + "y")
    elif term.endswith("ria"):
        forms.append(term[:-1] + "on")  # Criteria -> Criterion
    elif term.endswith("s") and not term.endswith("ss"):
        forms += [term[:-1], term[:-1] + "'s", term[:-1] + "\u2019s"]
    return forms


_WORD_AT = re.compile(r"(?<![\w-])[A-Za-z0-9][\w'\u2019-]*")


@dataclass(frozen=True)
class _TermIndex:
    """Every form of every known term, found word by word (a dict lookup per capitalised
    word, where one regex alternation of a thousand terms took seconds)."""

    by_first: dict[str, tuple[tuple[str, str], ...]]  # first word -> (form, term), longest first

    def finditer(self, text: str) -> Iterable[tuple[str, int, int]]:
        pos = 0
        for m in _WORD_AT.finditer(text):
            if m.start() < pos:
                continue
            for form, term in self.by_first.get(m.group(), ()):
                end = m.start() + len(form)
                if text.startswith(form, m.start()) and not (
                    end < len(text) and (text[end].isalnum() or text[end] in "_-")
                ):
                    yield term, m.start(), end
                    pos = end
                    break


def _term_index(terms: Iterable[str]) -> _TermIndex:
    canon: dict[str, str] = {}
    for t in sorted(set(terms), key=len):
        for f in _term_forms(t):
            canon.setdefault(f, t)
    by_first: dict[str, list[tuple[str, str]]] = {}
    for form, term in canon.items():
        first = _WORD_AT.match(form)
        if first is not None:
            by_first.setdefault(first.group(), []).append((form, term))
    return _TermIndex({k: tuple(sorted(v, key=lambda x: -len(x[0]))) for k, v in by_first.items()})


# ---- positions ----------------------------------------------------------------------------


def locate(
    cf: ClauseFile, pointer: Pointer, value: str, offset: int, length: int
) -> tuple[int, int]:
    """Line and column in the file of ``value[offset:offset+length]``, a scalar at ``pointer``."""
    s = cf.scalar_at(pointer)
    if s is None:
        return cf.src.where(pointer)
    if s.style == "|":
        k = value.count("\n", 0, offset)
        line_start = value.rfind("\n", 0, offset) + 1
        lines = cf.text.splitlines()
        body = lines[s.line + 1 :]
        first = next((ln for ln in body if ln.strip()), "")
        indent = len(first) - len(first.lstrip(" "))
        return s.line + 2 + k, indent + (offset - line_start) + 1
    # Quoted, plain and folded scalars: find the same words in the raw text, the same
    # occurrence as in the value (line breaks and escapes may differ; words do not).
    words = value[offset : offset + length].split()
    if not words:
        return s.line + 1, s.col + 1
    rx = re.compile(r"\s+".join(re.escape(w) for w in words))
    n = len(rx.findall(value, 0, offset))
    raw = cf.text[s.start : s.end]
    found = list(rx.finditer(raw))
    if n < len(found):
        idx = s.start + found[n].start()
        line = cf.text.count("\n", 0, idx)
        col = idx - (cf.text.rfind("\n", 0, idx) + 1)
        return line + 1, col + 1
    return s.line + 1, s.col + 1


# ---- suppressions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int
    col: int
    rules: tuple[str, ...]
    reason: str


def suppressions(cf: ClauseFile) -> tuple[list[Suppression], list[Diagnostic]]:
    """`# clausebook: allow RULE[, RULE] -- reason` comments (not text that looks like one)."""
    spans = sorted((s.start, s.end) for s in cf.scalars.values())
    out: list[Suppression] = []
    problems: list[Diagnostic] = []
    for m in _SUPPRESS_RX.finditer(cf.text):
        idx = m.start()
        if any(a <= idx < b for a, b in spans):
            continue  # inside clause text: words, not a comment
        line = cf.text.count("\n", 0, idx) + 1
        col = idx - (cf.text.rfind("\n", 0, idx) + 1) + 1
        body = _SUPPRESS_BODY.match(m.group("body"))
        if body is None:
            problems.append(
                Diagnostic(
                    cf.path,
                    line,
                    col,
                    "suppression-without-reason",
                    "write '# clausebook: allow RULE -- reason' (rule ids separated by commas)",
                )
            )
            continue
        rules = tuple(r.strip() for r in body.group("rules").split(","))
        reason = (body.group("reason") or "").strip()
        for r in rules:
            if r not in RULES:
                import difflib

                close = difflib.get_close_matches(r, list(RULES), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(
                    Diagnostic(cf.path, line, col, "unknown-rule", f"no lint rule '{r}'{hint}")
                )
        if len(re.sub(r"\W", "", reason)) < 3:
            problems.append(
                Diagnostic(
                    cf.path,
                    line,
                    col,
                    "suppression-without-reason",
                    f"suppressing {', '.join(rules)} needs a reason: '# clausebook: allow {', '.join(rules)} -- why this is acceptable'",
                )
            )
            continue
        out.append(Suppression(cf.path, line, col, rules, reason))
    return out, problems


# ---- findings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    diag: Diagnostic
    anchor: int  # line of the key that owns the value (a suppression above it covers it)


def _finding(
    cf: ClauseFile,
    pointer: Pointer,
    rule: str,
    message: str,
    at: tuple[int, int] | None = None,
    key: bool = False,
) -> Finding:
    line, col = at if at is not None else cf.src.where(pointer, key=key)
    anchor = cf.src.key_positions.get(pointer, (line, col))[0]
    return Finding(Diagnostic(cf.path, line, col, rule, message), anchor)


def _numeric_params(cf: ClauseFile) -> frozenset[str]:
    return frozenset(
        name for name, spec in cf.parameters().items() if spec.get("type") in _NUMERIC_TYPES
    )


def check_vague(cf: ClauseFile, cfg: LintConfig) -> list[Finding]:
    pats = [(p, re.compile(_phrase_rx(p), re.I)) for p in cfg.phrases]
    material = re.compile(r"(?<![\w-])material(?:ly)?(?![\w-])", re.I) if cfg.material else None
    defined = _term_index(cf.defines())
    numeric = _numeric_params(cf)
    out: list[Finding] = []
    for pointer, value in cf.texts():
        m = mask(value, numeric)
        hits: list[tuple[int, int, str]] = []
        for phrase, rx in pats:
            hits.extend((h.start(), h.end(), phrase) for h in rx.finditer(m.text))
        if material is not None:
            inside_terms = [(s, e) for _, s, e in defined.finditer(m.text)]
            for h in material.finditer(m.text):
                if not any(s <= h.start() < e for s, e in inside_terms) and h.group()[0].islower():
                    hits.append((h.start(), h.end(), h.group().lower()))
        for start, end, phrase in sorted(hits):
            s0, s1 = _sentence(m.text, start)
            if _has_measure(m, s0, s1):
                continue
            shown = " ".join(value[start:end].split())
            if phrase.startswith("material"):
                msg = f"'{shown}' without a number in the sentence: say what amount, share or effect makes it material, or use a defined term"
            else:
                msg = f"'{shown}' promises nothing measurable: give a period, number or measure in the same sentence"
            out.append(
                _finding(
                    cf,
                    pointer,
                    "vague-language",
                    msg,
                    locate(cf, pointer, value, start, end - start),
                )
            )
    return out


def check_owner(cf: ClauseFile) -> list[Finding]:
    owner = cf.data.get("owner")
    if isinstance(owner, str) and owner.strip().lower() not in _PLACEHOLDER_OWNERS:
        return []
    if owner is None:
        return [
            _finding(
                cf,
                (),
                "missing-owner",
                "clause has no owner: name the team accountable for its wording (owner: coe-legal)",
                at=(1, 1),
            )
        ]
    return [
        _finding(
            cf,
            ("owner",),
            "missing-owner",
            f"owner {owner!r} is a placeholder: name the team accountable for the wording",
        )
    ]


def check_parameters(cf: ClauseFile) -> list[Finding]:
    params = cf.parameters()
    if not params:
        return []
    # Names read inside Jinja tags; "l.metric" is an attribute, not the parameter "metric".
    used: set[str] = set()
    for text in cf.templates():
        for tag in _JINJA_RX.findall(text):
            used.update(re.findall(r"(?<![.\w])[A-Za-z_]\w*", tag))
    return [
        _finding(
            cf,
            ("parameters", name),
            "unused-parameter",
            f"parameter '{name}' is not used by any variant text or definition of this clause",
            key=True,
        )
        for name in params
        if name not in used
    ]


def check_sla(cf: ClauseFile) -> list[Finding]:
    out: list[Finding] = []
    for name, spec in cf.parameters().items():
        fields = spec.get("fields")
        if spec.get("type") != "list" or not isinstance(fields, dict):
            continue
        if not set(fields) & _METRIC_FIELDS:
            continue
        have: dict[str, list[str]] = {}
        for key, what, needles in _SLA_NEEDS:
            have[key] = [f for f in fields if any(n in f for n in needles)]
            if not have[key]:
                out.append(
                    _finding(
                        cf,
                        ("parameters", name),
                        "sla-incomplete",
                        f"service level table '{name}' has no field for the {what} (fields: {', '.join(fields)})",
                        key=True,
                    )
                )
        rows: list[tuple[Pointer, Any]] = []
        default = spec.get("default")
        if isinstance(default, list):
            rows += [(("parameters", name, "default", i), r) for i, r in enumerate(default)]
        for i, v in cf.variants():
            vp = v.get("parameters")
            if isinstance(vp, dict) and isinstance(vp.get(name), list):
                rows += [
                    (("variants", i, "parameters", name, j), r) for j, r in enumerate(vp[name])
                ]
        for ptr, row in rows:
            if not isinstance(row, dict):
                continue
            label = row.get("metric") or row.get("kpi") or row.get("indicator") or "row"
            for key, what, _ in _SLA_NEEDS:
                cols = have[key]
                if cols and all(row.get(c) in (None, "") for c in cols):
                    out.append(
                        _finding(
                            cf,
                            ptr,
                            "sla-incomplete",
                            f"'{label}' has no {what} ({' / '.join(cols)} is empty)",
                        )
                    )
    return out


def _scan_terms(
    cf: ClauseFile, index: _TermIndex, multi: _TermIndex, singles: frozenset[str]
) -> tuple[dict[str, set[Pointer]], list[tuple[str, Pointer, str, int, int]]]:
    """Uses of known terms, and capitalised runs that look like terms but are not known."""
    uses: dict[str, set[Pointer]] = {}
    undefined: list[tuple[str, Pointer, str, int, int]] = []
    numeric = _numeric_params(cf)
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
    index = _term_index(known)
    multi = _term_index(t for t in known if " " in t)
    singles = frozenset(f for t in known if " " not in t for f in _term_forms(t))
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
                    _finding(
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
                    _finding(
                        cf,
                        ("defines", term),
                        "unused-term",
                        f"defined term '{term}' is used by no clause text or other definition: use it or remove the definition",
                        key=True,
                    )
                )
    return out


def contract_text(cf: ClauseFile) -> dict[str, str]:
    """What a reader of the contract sees of a clause, keyed for comparison."""
    out = {"title": str(cf.data.get("title", ""))}
    for _, v in cf.variants():
        vid = str(v.get("id", ""))
        out[f"variant {vid}"] = str(v.get("text", ""))
        if v.get("title"):
            out[f"variant {vid} title"] = str(v["title"])
    for term, definition in cf.defines().items():
        out[f"definition of {term}"] = definition
    return out


def check_approved(
    cf: ClauseFile, base: Mapping[str, ClauseFile], base_label: str
) -> list[Finding]:
    if cf.data.get("status") != "approved":
        return []
    old = base.get(cf.id)
    if old is None or old.data.get("status") != "approved":
        return []
    new_text, old_text = contract_text(cf), contract_text(old)
    changed = sorted(k for k in set(new_text) | set(old_text) if new_text.get(k) != old_text.get(k))
    if not changed:
        return []
    return [
        _finding(
            cf,
            ("status",),
            "approved-text-changed",
            f"the text of this approved clause changed since {base_label} ({', '.join(changed)}): "
            "set status: draft until its owner approves the new wording",
        )
    ]


# ---- the run --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LintResult:
    diagnostics: tuple[Diagnostic, ...]
    files: int
    suppressed: int


def lint_library(
    root: Path,
    paths: Sequence[Path] = (),
    config: LintConfig | None = None,
    base_root: Path | None = None,
    base_label: str = "the base revision",
) -> LintResult:
    """Every drafting finding in the library (restricted to ``paths`` when given)."""
    cfg = config or load_config(root)
    files, problems = discover_clause_files(root)
    findings: list[Finding] = [Finding(d, d.line) for d in problems]
    want = cfg.rules
    base: dict[str, ClauseFile] = {}
    if base_root is not None and "approved-text-changed" in want:
        base_files, _ = discover_clause_files(base_root)
        base = {cf.id: cf for cf in base_files}
    for cf in files:
        if "vague-language" in want:
            findings += check_vague(cf, cfg)
        if "missing-owner" in want:
            findings += check_owner(cf)
        if "unused-parameter" in want:
            findings += check_parameters(cf)
        if "sla-incomplete" in want:
            findings += check_sla(cf)
        if base_root is not None and "approved-text-changed" in want:
            findings += check_approved(cf, base, base_label)
    if want & {"undefined-term", "unused-term"}:
        findings += check_terms(files, cfg, set(want))
    diags, suppressed = _apply_suppressions(files, findings, cfg, base_root is not None)
    selected = _selected(root, paths)
    if selected is not None:
        diags = [
            d for d in diags if any(d.path == s or d.path.startswith(s + "/") for s in selected)
        ]
    return LintResult(tuple(sorted(set(diags))), len(files), suppressed)


def _apply_suppressions(
    files: Sequence[ClauseFile], findings: Sequence[Finding], cfg: LintConfig, have_base: bool
) -> tuple[list[Diagnostic], int]:
    by_file: dict[str, list[Suppression]] = {}
    out: list[Diagnostic] = []
    for cf in files:
        sups, problems = suppressions(cf)
        by_file[cf.path] = sups
        out += [d for d in problems if d.rule in cfg.rules]
    used: set[Suppression] = set()
    suppressed = 0
    for f in findings:
        d = f.diag
        hit = None
        if d.rule not in _UNSUPPRESSIBLE:
            for s in by_file.get(d.path, []):
                if d.rule in s.rules and ({s.line, s.line + 1} & {d.line, f.anchor}):
                    hit = s
                    break
        if hit is None:
            out.append(d)
        else:
            used.add(hit)
            suppressed += 1
    if "unused-suppression" in cfg.rules:
        for sups in by_file.values():
            for s in sups:
                if s in used:
                    continue
                # A switched-off rule finds nothing; an approval note stays true after the merge.
                live = [r for r in s.rules if r in cfg.rules and r in RULES]
                live = [r for r in live if r != "approved-text-changed"]
                if live:
                    out.append(
                        Diagnostic(
                            s.path,
                            s.line,
                            s.col,
                            "unused-suppression",
                            f"this comment suppresses no {', '.join(live)} finding: remove it",
                        )
                    )
    return out, suppressed


def _selected(root: Path, paths: Sequence[Path]) -> list[str] | None:
    if not paths:
        return None
    out = []
    for p in paths:
        try:
            rel = p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = p.as_posix()
        out.append("" if rel == "." else rel.rstrip("/"))
    if "" in out:
        return None
    return out
