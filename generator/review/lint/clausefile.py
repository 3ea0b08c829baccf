"""One clause file as lint sees it: raw text, parsed data, token spans; Jinja masking,
locating a finding in the file, and the Finding every rule returns."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import ContentError, Diagnostic
from ...pipeline.files import library_glob
from ...pipeline.load import parse_yaml, read_plain
from ...source import Pointer, SourceFile


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Filters and parameter types whose output is a number, period or amount.
MEASURE_FILTERS = words(
    """words duration minutes hours business_hours days business_days weeks months
    years number percent money int round longdate"""
)


NUMERIC_TYPES = frozenset({"integer", "number", "percent", "money", "date"})


_TAGS = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))


def jinja_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each Jinja tag, left to right, each ending at its first closer: what the
    regex ``\\{\\{.*?\\}\\}|\\{%.*?%\\}|\\{#.*?#\\}`` finds, in linear time. (That regex
    scans to the end of the text from every opener that has no closer: a 64 KB text took 42 s.)
    """
    nxt = {o: text.find(o) for o, _ in _TAGS}  # next opener of each kind at or after pos
    closers = dict(_TAGS)
    pos = 0
    while True:
        for o in nxt:
            if 0 <= nxt[o] < pos:
                nxt[o] = text.find(o, pos)  # each opener kind's scan only moves forward
        live = [(at, o) for o, at in nxt.items() if at >= 0]
        if not live:
            return
        start, opener = min(live)
        end = text.find(closers[opener], start + 2)
        if end < 0:
            nxt[opener] = -1  # no closer comes again: no later opener of this kind matches
            continue
        yield start, end + 2
        pos = end + 2


def jinja_tags(text: str) -> list[str]:
    return [text[a:b] for a, b in jinja_spans(text)]


NAME_RX = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n[ \t]*\n")


@dataclass(frozen=True)
class Scalar:
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
    scalars: dict[tuple[int, int], Scalar] = field(repr=False)

    @property
    def data(self) -> dict[str, Any]:
        return self.src.data if isinstance(self.src.data, dict) else {}

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return value if isinstance(value, str) else Path(self.path).stem

    def scalar_at(self, pointer: Pointer) -> Scalar | None:
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

    raw = read_plain(path, display)  # no link, no FIFO, within the size limit
    src = parse_yaml(raw, display)
    text = raw.decode("utf-8-sig")
    scalars: dict[tuple[int, int], Scalar] = {}
    for tok in yaml.scan(text, Loader=Loader):
        if isinstance(tok, yaml.ScalarToken):
            sm, em = tok.start_mark, tok.end_mark
            scalars[(sm.line, sm.column)] = Scalar(
                sm.index, em.index, sm.line, sm.column, tok.style
            )
    return ClauseFile(display, text, src, scalars)


def discover_clause_files(root: Path) -> tuple[list[ClauseFile], list[Diagnostic]]:
    files: list[ClauseFile] = []
    paths, problems = library_glob(root, "clauses", "*/*.yaml")
    for path in paths:
        display = path.relative_to(root).as_posix()
        if path.is_symlink() or not path.is_file():
            problems.append(Diagnostic(display, 1, 1, "symlink", "not a regular file; not linted"))
            continue
        try:
            files.append(read_clause_file(path, display))
        except ContentError as exc:
            problems.extend(exc.diagnostics)
    return files, problems


@dataclass(frozen=True)
class Masked:
    """Template text with every Jinja tag replaced by filler of the same length."""

    text: str
    measures: tuple[tuple[int, int], ...]  # spans of {{ }} that print a number or period


def mask(template: str, numeric_params: frozenset[str]) -> Masked:
    measures: list[tuple[int, int]] = []

    out: list[str] = []
    last = 0
    for start, end in jinja_spans(template):
        tag = template[start:end]
        if tag.startswith("{{"):
            inner = tag[2:-2]
            names = set(NAME_RX.findall(inner))
            filters = set(re.findall(r"\|\s*([A-Za-z_]\w*)", inner))
            if filters & MEASURE_FILTERS or names & numeric_params:
                measures.append((start, end))
        # '\x1f' is neither a word character nor space: it breaks terms and phrases alike.
        out.append(template[last:start])
        out.append("".join("\n" if ch == "\n" else "\x1f" for ch in tag))
        last = end
    out.append(template[last:])
    return Masked("".join(out), tuple(measures))


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    m2 = SENTENCE_END.search(text, pos)
    return start, (m2.start() if m2 else len(text))


def has_measure(masked: Masked, start: int, end: int) -> bool:
    if re.search(r"\d", masked.text[start:end]):
        return True
    return any(s < end and e > start for s, e in masked.measures)


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


@dataclass(frozen=True)
class Finding:
    diag: Diagnostic
    anchor: int  # line of the key that owns the value (a suppression above it covers it)


def finding(
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


def numeric_params(cf: ClauseFile) -> frozenset[str]:
    return frozenset(
        name for name, spec in cf.parameters().items() if spec.get("type") in NUMERIC_TYPES
    )
