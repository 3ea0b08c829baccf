"""The lint rules by id, and a library's lint settings (clausebook.toml or pyproject.toml)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import ContentError, Diagnostic, did_you_mean
from .clausefile import ClauseFile
from .drafts import DraftFile

RULES: dict[str, str] = {
    "vague-language": "a vague phrase (or 'material') in a sentence that gives no number, period or measure",
    "undefined-term": "a capitalised multi-word term that no clause defines",
    "unused-term": "a defined term that no clause text or other definition uses",
    "sla-incomplete": "a service level or KPI row without a target, measurement window, data source or consequence",
    "unused-parameter": "a parameter that no variant text or definition of its clause uses",
    "missing-owner": "a clause without an accountable owner",
    "undeclared-obligation": "in a clause that declares obligations, a 'shall ... within N days' sentence no declared obligation names",
    "approved-text-changed": "an approved clause whose contract text changed since the base revision (set status: draft until re-approved)",
    "draft-placeholder": "in a draft, a figure still to be agreed (drafted with --placeholders)",
    "inconsistent-quantity": "in a draft, one defined term or '<noun> period' bound to different numbers",
    "suppression-without-reason": "a `# clausebook: allow` comment without `-- reason`",
    "unknown-rule": "a suppression comment naming a rule that does not exist",
    "unused-suppression": "a suppression comment that suppresses nothing",
}


CONFIG_RULE = "lint-config"


# Rules a suppression cannot silence: they police the suppressions themselves.
UNSUPPRESSIBLE = frozenset({"suppression-without-reason", "unknown-rule", "unused-suppression"})


_CONFIG_KEYS = (
    "enable",
    "disable",
    "phrases",
    "extra-phrases",
    "allow-phrases",
    "known-terms",
)


# Proper names every contract may use without defining them.
BUILTIN_KNOWN = frozenset(
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
            data: Any = _read_toml(path, name)
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


def _read_toml(path: Path, name: str) -> Any:
    """A library's TOML settings within the YAML limits: no link, no FIFO, at most the file size
    limit, nested no deeper than the depth limit (tomllib recurses, and a pull request writes it)."""
    import tomllib

    from ...limits import current_limits
    from ...pipeline.load import depth_problem, read_plain

    limits = current_limits()
    text = read_plain(path, name, limits).decode("utf-8")
    deep = depth_problem(text, name, limits.max_depth)
    if deep is not None:
        raise ContentError([Diagnostic(name, deep.line, deep.col, CONFIG_RULE, deep.message)])
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ContentError(
            [Diagnostic(name, 1, 1, CONFIG_RULE, "nesting too deep to read")]
        ) from None


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

    for key in table:
        if key not in _CONFIG_KEYS:
            hint = did_you_mean(key, _CONFIG_KEYS)
            bad(f"unknown lint setting '{key}'{hint}; known: {', '.join(_CONFIG_KEYS)}")
    enable, disable = strings("enable"), strings("disable")
    for rule in enable + disable:
        if rule not in RULES:
            hint = did_you_mean(rule, list(RULES))
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
    known = frozenset(strings("known-terms")) | BUILTIN_KNOWN
    return LintConfig(rules, tuple(base), material, known, source)


@dataclass(frozen=True)
class Context:
    """What every rule sees: the settings, every clause file, the base revision's files
    (for approved-text-changed) when there is one, and the rendered drafts."""

    config: LintConfig
    files: tuple[ClauseFile, ...]
    base: Mapping[str, ClauseFile] | None = None
    base_label: str = "the base revision"
    drafts: tuple[DraftFile, ...] = ()  # rendered drafts (drafts.py)

    def wants(self, ids: tuple[str, ...]) -> bool:
        return bool(self.config.rules & set(ids))
