"""Output that fits the terminal and tools: rich tables at the terminal's width, NO_COLOR,
--quiet, --format json for the read-only views and --json for what draft and build wrote, and
shell completion of clause ids and deal files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|38;|9[0-7])[0-9;]*m")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "command",
    [["explain", "deals/small.yaml"], ["clauses", "list"], ["coverage"], ["playbook", "stats"]],
    ids=" ".join,
)
def test_tables_fit_the_width_columns_gives(minilib: Path, command: list[str]) -> None:
    code, out = run("--library", str(minilib), *command, env={"COLUMNS": "72"})
    assert code == 0, out
    widths = [len(line) for line in out.splitlines()]
    assert max(widths) <= 72, max(widths)
    code, wide = run("--library", str(minilib), *command, env={"COLUMNS": "200"})
    assert len(wide.splitlines()) <= len(out.splitlines())


def test_no_color_leaves_out_colour_even_when_colour_is_forced(minilib: Path) -> None:
    args = ("--library", str(minilib), "clauses", "show", "services")
    code, coloured = run(*args, env={"FORCE_COLOR": "1", "COLUMNS": "100"})
    assert code == 0 and COLOUR.search(coloured), "the test needs a coloured baseline"
    code, plain = run(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "100"})
    assert code == 0 and not COLOUR.search(plain)


def test_explain_json_names_each_clause_variant_and_value_source(minilib: Path) -> None:
    code, out = run("--library", str(minilib), "explain", "deals/small.yaml", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["deal"]["id"] == "small" and data["maturity"] == 1
    credits = next(c for c in data["clauses"] if c["id"] == "service-credits")
    cap = next(p for p in credits["parameters"] if p["name"] == "cap_percent")
    assert cap["value"] == 18 and cap["at"].startswith("deals/small.yaml")


def test_clauses_list_show_and_coverage_json(minilib: Path) -> None:
    code, out = run("--library", str(minilib), "clauses", "list", "--format", "json")
    assert code == 0, out
    listed = json.loads(out)
    assert {"definitions", "services", "service-credits"} <= {c["id"] for c in listed}
    assert "text" not in listed[0]["variants"][0]
    code, out = run("--library", str(minilib), "clauses", "show", "services", "--format", "json")
    shown = json.loads(out)
    assert shown["parameters"][0]["name"] == "start_days"
    assert "The Supplier shall provide" in shown["variants"][0]["text"]
    code, out = run("--library", str(minilib), "coverage", "--format", "json")
    cov = json.loads(out)
    assert {"clause", "kind", "stance", "level", "hard", "message"} <= set(cov["gaps"][0])


def test_draft_and_build_json_say_what_was_written(minilib: Path) -> None:
    code, out = run(
        "-q", "--library", str(minilib), "draft", "deals/small.yaml", "--format", "md", "--json"
    )
    assert code == 0, out
    data = json.loads(out)  # --quiet: nothing but the JSON
    assert data[0]["written"] == [
        str(minilib / "outputs" / "small.md"),
        str(minilib / "outputs" / "small.manifest.json"),
    ]
    code, out = run("-q", "--library", str(minilib), "build", "--json")
    assert code == 0, out
    assert json.loads(out)["unchanged"] == 1


def test_quiet_leaves_out_success_lines_but_never_problems(minilib: Path) -> None:
    code, out = run("--library", str(minilib), "validate")
    assert code == 0 and out.startswith("ok: ")
    code, out = run("--quiet", "--library", str(minilib), "validate")
    assert code == 0 and out == ""
    (minilib / "deals" / "small.yaml").write_text("id: small\n")
    code, out = run("--quiet", "--library", str(minilib), "validate")
    assert code == 1 and "error[" in out


def complete(minilib: Path, line: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(minilib)
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(len(line.split(" ")) - 1))
    monkeypatch.setenv("_CLAUSEBOOK_COMPLETE", "bash_complete")
    result = CliRunner().invoke(main, [], prog_name="clausebook")
    return [ln.split(",", 1)[1] for ln in result.output.splitlines()]


def test_shell_completion_offers_clause_ids_and_deal_files(
    minilib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert complete(minilib, "clausebook clauses show serv", monkeypatch) == [
        "service-credits",
        "services",
    ]
    assert complete(minilib, "clausebook draft deals/sm", monkeypatch) == [
        "deals/small-m4.yaml",
        "deals/small.yaml",
    ]
