"""One error hierarchy for every stage.

Stages collect :class:`Diagnostic` values into a list and raise a single
:class:`ContentError` at the end, so the user sees every problem at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

# What a message may not carry raw: C0 and C1 controls (ESC sequences move the cursor or recolour
# a failing line into an "ok"; CR overwrites it), DEL, and invisible or bidirectional controls
# (they reorder what a reviewer reads). Each is printed as a visible escape instead.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
MAX_PATH_CHARS = 240  # a path in a message
MAX_MESSAGE_CHARS = 1_000  # a message: a 900 KB mapping key is not echoed whole
CUT = "... [cut]"


def printable(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` safe to print on a terminal, in a log or a CI annotation: controls escaped
    (ESC as \\x1b, U+202E as \\u202e), and cut to ``limit`` characters with a marker."""
    cut = len(text) > limit
    if cut:
        text = text[:limit]
    text = _UNPRINTABLE.sub(_escape, text)
    return text + CUT if cut else text


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, pointing at a line and column (1-based)."""

    path: str
    line: int
    col: int
    rule: str
    message: str
    severity: str = "error"

    def shown(self) -> Diagnostic:
        """This diagnostic with its path and message safe to print (see :func:`printable`)."""
        return Diagnostic(
            printable(self.path, MAX_PATH_CHARS),
            self.line,
            self.col,
            printable(self.rule, 80),
            printable(self.message),
            self.severity,
        )

    def text(self) -> str:
        d = self.shown()
        return f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.rule}]: {d.message}"

    def github(self) -> str:
        # A GitHub workflow command: a newline in a file name must not start a second command,
        # and ',' or ':' in it must not end the property (GitHub's own escapes, after ours).
        d = self.shown()
        msg = _workflow_escape(d.message)
        path = _workflow_escape(d.path).replace(":", "%3A").replace(",", "%2C")
        level = "error" if self.severity == "error" else "warning"
        rule = _workflow_escape(d.rule).replace(":", "%3A").replace(",", "%2C")
        return f"::{level} file={path},line={d.line},col={d.col},title={rule}::{msg}"


def _workflow_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
        # JSON escapes controls itself; the cut keeps a 900 KB key out of the report
        return json.dumps([asdict(_cut(d)) for d in items], indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in items)
    return "\n".join(d.text() for d in items)


def _cut(d: Diagnostic) -> Diagnostic:
    def trim(text: str, limit: int) -> str:
        return text if len(text) <= limit else text[:limit] + CUT

    return Diagnostic(
        trim(d.path, MAX_PATH_CHARS),
        d.line,
        d.col,
        d.rule,
        trim(d.message, MAX_MESSAGE_CHARS),
        d.severity,
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of ``choices``, or '' when none is close."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
