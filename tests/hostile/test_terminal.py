"""Messages name files, keys and values a pull request or a drafter chose: on a terminal, in a CI
log or as a GitHub annotation, none of them may move the cursor, overwrite a line, start a
second workflow command or flood the log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import Diagnostic, format_diagnostics, printable

from .support import cli, deal_text, validate

FORGED = "ok: 5 clauses, 11 variants, 1 playbook(s), 2 deal(s)"


@pytest.mark.parametrize(
    ("escape", "shown"),
    [
        ("\\e[2K\\r", "control character that Word files cannot hold (U+001B)"),
        ("\\r", "a mapping key may not hold a tab or a line break"),
        ("\\u202e", "invisible or bidirectional control character (U+202E)"),
        ("\\x9b", "control character that Word files cannot hold (U+009B)"),
    ],
)
def test_control_sequence_in_a_mapping_key_is_refused_not_printed(
    minilib: Path, escape: str, shown: str
) -> None:
    path = minilib / "deals" / "small.yaml"
    path.write_text(deal_text(minilib, f'"x{escape}{FORGED}": 1\n'), "utf-8")
    outcome = validate(minilib, path)
    assert outcome.code == 1
    assert "\x1b" not in outcome.output and "\r" not in outcome.output
    assert "\u202e" not in outcome.output and "\x9b" not in outcome.output
    assert any("deals/small.yaml:15:" in p and shown in p for p in outcome.problems), outcome.output


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_newline_in_a_file_name_cannot_forge_a_line_or_a_workflow_command(
    minilib: Path, fmt: str
) -> None:
    name = "a\n::error file=x.yaml::forged\r.yaml"
    path = minilib / "deals" / name
    path.write_text("id: [\n", "utf-8")
    outcome = cli("validate", "--library", minilib, "--format", fmt, path)
    assert outcome.code == 1, outcome.output
    lines = outcome.output.splitlines()
    assert not [ln for ln in lines if ln.startswith("::error file=x.yaml")], outcome.output
    assert "\r" not in outcome.output
    if fmt == "github":
        (line,) = [ln for ln in lines if ln.startswith("::error")]
        assert line.startswith(
            "::error file=deals/a\\x0a%3A%3Aerror file=x.yaml%3A%3Aforged\\x0d.yaml,line=2,col=1,"
        ), line
    elif fmt == "json":
        data = json.loads(outcome.output[outcome.output.index("[") :])
        assert data[0]["path"] == "deals/" + name  # JSON escapes it itself, and keeps it exact
    else:
        assert "deals/a\\x0a::error file=x.yaml::forged\\x0d.yaml:2:1:" in outcome.output


def test_huge_mapping_key_is_not_echoed_whole(minilib: Path) -> None:
    path = minilib / "deals" / "small.yaml"
    key = "k" * 900_000
    path.write_text(
        deal_text(minilib).replace("overrides:\n", f"overrides:\n  ? {key}\n  : {{a: 1}}\n"),
        "utf-8",
    )
    for fmt in ("text", "json", "github"):
        outcome = cli("validate", "--library", minilib, "--format", fmt, path)
        assert outcome.code == 1
        assert len(outcome.output) < 3_000, len(outcome.output)
        assert "... [cut]" in outcome.output


def test_printable_escapes_every_control_and_cuts() -> None:
    assert printable("a\x1b[31mb\x07\x7f\u2066c") == "a\\x1b[31mb\\x07\\x7f\\u2066c"
    assert printable("x" * 50, limit=10) == "x" * 10 + "... [cut]"
    d = Diagnostic("p\n.yaml", 1, 2, "r", "m\x1b")
    assert format_diagnostics([d]) == "p\\x0a.yaml:1:2: error[r]: m\\x1b"


def test_drafted_line_escapes_the_deal_file_name(minilib: Path, tmp_path: Path) -> None:
    path = minilib / "deals" / "evil\x1b[2K.yaml"
    path.write_text(deal_text(minilib).replace("id: small", "id: evil"), "utf-8")
    outcome = cli("draft", "--library", minilib, "-o", tmp_path / "out", path)
    assert "\x1b" not in outcome.output
    assert outcome.code in (0, 1, 2), outcome.output
