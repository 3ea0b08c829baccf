"""Deal profiles come from drafters and clause files from pull requests: YAML that would run
code, explode, exhaust the stack or the disk, or hide a second value is refused with a line.

Unit-level checks of the same rules are in tests/test_load.py; tests/invalid/ holds the
ordinary (non-hostile) mistakes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import UNLOADED_SERVICES, at, cli, deal_text, refused, validate

BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, n in zip("abcdefg", "bcdefgh", strict=True)
)  # 9**8 = 43 million nodes from 300 bytes


def deal(lib: Path, name: str, content: str | bytes) -> Path:
    path = lib / "deals" / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    return path


def problem(name: str, line: int, col: int, rule: str, message: str) -> str:
    return at(line, rule, message, path=f"deals/{name}", col=col)


def test_billion_laughs_is_refused_before_it_expands(minilib: Path) -> None:
    path = deal(minilib, "bomb.yaml", BOMB)
    refused(
        validate(minilib, path),
        problem(
            "bomb.yaml",
            1,
            1,
            "yaml-alias",
            "YAML anchors and aliases (&name, *name) are not allowed",
        ),
    )


def test_with_aliases_allowed_the_bomb_stops_at_the_node_limit(
    minilib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUSEBOOK_MAX_ALIASES", "100")
    path = deal(minilib, "bomb.yaml", BOMB)
    refused(
        validate(minilib, path),
        problem(
            "bomb.yaml",
            1,
            48,
            "too-large",
            "more than 200,000 YAML nodes (counting expanded aliases)",
        ),
    )


def test_deep_nesting_is_refused_without_exhausting_the_stack(minilib: Path) -> None:
    path = deal(minilib, "deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    refused(
        validate(minilib, path),
        problem("deep.yaml", 1, 36, "too-deep", "nesting deeper than 32 levels"),
    )


def test_nesting_limit_is_configurable(minilib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEBOOK_MAX_DEPTH", "2")
    path = deal(minilib, "nested.yaml", deal_text(minilib))
    outcome = validate(minilib, path)
    assert outcome.code == 1  # the library's own files are deeper than 2 levels too
    assert problem("nested.yaml", 14, 34, "too-deep", "nesting deeper than 2 levels") in (
        outcome.problems
    )


def test_fifty_megabyte_file_is_refused_unread(minilib: Path) -> None:
    path = minilib / "deals" / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(50 * 2**20)  # sparse: the test writes nothing, the tool must read nothing
    refused(
        validate(minilib, path),
        problem("big.yaml", 1, 1, "file-too-large", "file is 52428800 bytes; the limit is 1048576"),
    )


def test_file_size_limit_is_configurable(minilib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEBOOK_MAX_FILE_BYTES", "100")
    path = deal(minilib, "ok.yaml", deal_text(minilib))
    size = path.stat().st_size
    outcome = validate(minilib, path)
    assert outcome.code == 1
    assert problem(
        "ok.yaml", 1, 1, "file-too-large", f"file is {size} bytes; the limit is 100"
    ) in (outcome.problems)


def test_huge_integer_is_refused(minilib: Path) -> None:
    text = deal_text(minilib).replace("term_months: 36", "term_months: " + "9" * 5000)
    path = deal(minilib, "huge.yaml", text)
    refused(
        validate(minilib, path),
        problem("huge.yaml", 6, 14, "number-too-large", "integer with more than 30 digits"),
    )


def test_duplicate_key_cannot_override_the_reviewed_value(minilib: Path) -> None:
    text = deal_text(minilib).replace(
        "governing_law: england-wales\n", "governing_law: england-wales\ngoverning_law: new-york\n"
    )
    path = deal(minilib, "dup.yaml", text)
    refused(
        validate(minilib, path),
        problem(
            "dup.yaml",
            8,
            1,
            "duplicate-key",
            "duplicate key 'governing_law' (first defined on line 7)",
        ),
    )


def test_bytes_that_are_not_utf8_are_refused_with_their_position(minilib: Path) -> None:
    text = deal_text(minilib).replace("Acme Retail", "Acm\u00e9 Retail")
    path = deal(minilib, "latin1.yaml", text.encode("latin-1"))
    refused(
        validate(minilib, path),
        problem("latin1.yaml", 3, 21, "encoding", "file is not valid UTF-8 (byte 0xe9)"),
    )


def test_utf16_file_is_refused(minilib: Path) -> None:
    path = deal(minilib, "utf16.yaml", deal_text(minilib).encode("utf-16"))
    refused(
        validate(minilib, path),
        problem("utf16.yaml", 1, 1, "encoding", "file is not valid UTF-8 (byte 0xff)"),
    )


def test_utf8_byte_order_mark_is_harmless(minilib: Path, tmp_path: Path) -> None:
    path = deal(minilib, "bom.yaml", b"\xef\xbb\xbf" + deal_text(minilib).encode())
    outcome = cli("draft", "--library", minilib, "-o", tmp_path / "out", path)
    assert outcome.code == 0, outcome.output
    assert (tmp_path / "out" / "bom.md").read_text("utf-8").startswith("#")


def test_python_object_tag_is_refused(minilib: Path) -> None:
    path = deal(
        minilib, "tag.yaml", deal_text(minilib, "notes: !!python/object/apply:os.system ['id']\n")
    )
    refused(
        validate(minilib, path),
        problem(
            "tag.yaml",
            15,
            8,
            "yaml-tag",
            "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (plain YAML data only)",
        ),
    )


def test_overlong_clause_text_is_refused(minilib: Path) -> None:
    path = minilib / "clauses/core/services.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("summary: The Services.", "summary: " + "word " * 20000), "utf-8")
    refused(
        validate(minilib),
        # the clause is not loaded, so what refers to it is reported too
        UNLOADED_SERVICES[0],
        at(7, "text-too-long", "text is 99,999 characters; the limit is 65,536", col=10),
        UNLOADED_SERVICES[1],
    )


def test_a_limit_that_is_not_a_number_is_a_usage_error(
    minilib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUSEBOOK_MAX_DEPTH", "lots")
    refused(
        validate(minilib),
        "CLAUSEBOOK_MAX_DEPTH:1:1: error[bad-limit]: CLAUSEBOOK_MAX_DEPTH='lots' must be a number of 0 or more",
        code=2,
    )


def test_no_unsafe_yaml_loader_anywhere_in_the_engine() -> None:
    # threat 10: a single yaml.load / FullLoader / unsafe_load would make tags executable
    engine = Path(__file__).resolve().parents[2] / "generator"
    for path in engine.rglob("*.py"):
        code = path.read_text("utf-8")
        for bad in ("yaml.load(", "FullLoader", "UnsafeLoader", "unsafe_load", "yaml.Loader"):
            assert bad not in code, f"{path.name} uses {bad}"
