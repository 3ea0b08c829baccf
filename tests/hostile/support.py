"""Helpers for the hostile-input suite: run the real CLI and check how it refuses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli import main

# The client variant of the test library's services clause: its text starts on this line and
# column of clauses/core/services.yaml, so a template's line N is reported as TEXT_LINE + N - 1.
CARRIER = "clauses/core/services.yaml"
TEXT_LINE, TEXT_COL = 17, 11


# What else is reported when an error stops the services clause from loading at all.
UNLOADED_SERVICES = (
    "clauses/core/definitions.yaml:10:13: error[unknown-ref]: "
    "ref('services') names no clause in the library",
    "playbooks/standard.yaml:7:15: error[unknown-clause]: "
    "unknown clause 'services' (did you mean 'service-credits'?)",
)


@dataclass(frozen=True)
class Outcome:
    code: int
    problems: list[str]  # lines naming a file, line and column
    output: str


def cli(*args: str | Path) -> Outcome:
    """Invoke `clausebook` in-process; fail if it crashed instead of refusing cleanly."""
    result: Result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    problems = [ln for ln in result.output.splitlines() if ": error[" in ln]
    return Outcome(result.exit_code, problems, result.output)


def refused(outcome: Outcome, *expected: str, code: int = 1) -> None:
    """Exactly these problems, a non-zero exit code, and a count line."""
    assert outcome.code == code, outcome.output
    assert outcome.problems == list(expected), outcome.output
    n = len(expected)
    assert f"{n} problem{'s' if n != 1 else ''} found" in outcome.output


def at(line: int, rule: str, message: str, path: str = CARRIER, col: int = TEXT_COL) -> str:
    return f"{path}:{line}:{col}: error[{rule}]: {message}"


def set_clause_text(lib: Path, template: str) -> None:
    """Replace the text of the services clause's client variant (used by every test deal)."""
    path = lib / CARRIER
    src = path.read_text("utf-8")
    start = src.index("    text: |\n") + len("    text: |\n")
    end = src.index("    notes: n", start)
    body = "".join(f"      {line}\n" if line else "\n" for line in template.split("\n"))
    path.write_text(src[:start] + body + src[end:], "utf-8")
    lines = path.read_text("utf-8").splitlines()
    assert lines[TEXT_LINE - 2] == "    text: |"  # the carrier has not moved


def validate(lib: Path, *paths: Path) -> Outcome:
    return cli("validate", "--library", lib, *paths)


def draft(lib: Path, out: Path, *deals: Path | str, extra: tuple[str, ...] = ()) -> Outcome:
    paths = [d if isinstance(d, Path) else lib / "deals" / d for d in deals]
    return cli("draft", "--library", lib, "-o", out, *extra, *paths)


def deal_text(lib: Path, extra: str = "", name: str = "small.yaml") -> str:
    return (lib / "deals" / name).read_text("utf-8") + extra
