"""One error hierarchy for every stage.

Stages collect :class:`Diagnostic` values into a list and raise a single
:class:`ContentError` at the end, so the user sees every problem at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, pointing at a line and column (1-based)."""

    path: str
    line: int
    col: int
    rule: str
    message: str
    severity: str = "error"

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}[{self.rule}]: {self.message}"

    def github(self) -> str:
        # GitHub workflow command; newlines and % must be escaped in the message.
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        level = "error" if self.severity == "error" else "warning"
        return (
            f"::{level} file={self.path},line={self.line},col={self.col},title={self.rule}::{msg}"
        )


class ClausebookError(Exception):
    """Base of every error the CLI turns into a message and an exit code."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(d.text() for d in self.diagnostics))


class ContentError(ClausebookError):
    """The library or a deal is wrong: exit 1."""


class UsageError(ClausebookError):
    """The command line is wrong (missing file, not a library...): exit 2."""

    exit_code = 2


def usage(path: str, rule: str, message: str) -> UsageError:
    return UsageError([Diagnostic(path, 1, 1, rule, message)])


def format_diagnostics(diags: Iterable[Diagnostic], fmt: str = "text") -> str:
    items = sorted(set(diags))
    if fmt == "json":
        return json.dumps([asdict(d) for d in items], indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in items)
    return "\n".join(d.text() for d in items)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of ``choices``, or '' when none is close."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
