from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.limits import Limits
from generator.pipeline.load import parse_yaml, read_yaml


def messages(text: str | bytes, limits: Limits | None = None) -> list[str]:
    with pytest.raises(ContentError) as info:
        parse_yaml(text, "x.yaml", limits or Limits())
    return [d.text() for d in info.value.diagnostics]


def test_positions_point_at_values_and_keys() -> None:
    src = parse_yaml("a: 1\nb:\n  - c: two\n", "x.yaml")
    assert src.data == {"a": 1, "b": [{"c": "two"}]}
    assert src.where(("b", 0, "c")) == (3, 8)
    assert src.where(("b", 0, "c"), key=True) == (3, 5)
    assert src.where(("b", 5)) == (3, 3)  # falls back to the nearest known parent


def test_block_scalar_position_is_its_first_text_line() -> None:
    src = parse_yaml("text: |\n  line one\n  line two\n", "x.yaml")
    assert src.where(("text",)) == (2, 7)


def test_dates_stay_iso_strings() -> None:
    assert parse_yaml("d: 2027-01-01\n", "x.yaml").data == {"d": "2027-01-01"}


def test_duplicate_key_names_both_lines() -> None:
    assert messages("a: 1\nb: 2\na: 3\n") == [
        "x.yaml:3:1: error[duplicate-key]: duplicate key 'a' (first defined on line 1)"
    ]


def test_every_problem_in_a_file_is_reported() -> None:
    out = messages("a: 1\na: 2\nb: !!python/name:os.system x\n")
    assert len(out) == 2


def test_alias_bomb_is_refused_before_it_can_expand() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefg", "bcdefgh", strict=True)
    )
    assert messages(bomb) == [
        "x.yaml:1:1: error[yaml-alias]: YAML anchors and aliases (&name, *name) are not allowed"
    ]


def test_python_tags_are_refused() -> None:
    out = messages("x: !!python/object/apply:os.system ['id']\n")
    assert out[0].startswith("x.yaml:1:4: error[yaml-tag]:")


def test_tab_indentation_gets_a_plain_message() -> None:
    assert messages("a:\n\t- 1\n") == [
        "x.yaml:2:1: error[yaml-syntax]: YAML syntax error: a tab character is not allowed "
        "in YAML indentation; use spaces"
    ]


def test_bidi_control_is_flagged_with_column() -> None:
    assert messages('a: "pay\u202e ton"\n') == [
        "x.yaml:1:8: error[invisible-character]: text contains an invisible or bidirectional "
        "control character (U+202E)"
    ]


def test_xml_invalid_control_character_is_flagged() -> None:
    assert "invalid-character" in messages('a: "x\\x0by"\n')[0]


def test_bom_is_accepted_and_non_utf8_is_refused() -> None:
    assert parse_yaml(b"\xef\xbb\xbfa: 1\n", "x.yaml").data == {"a": 1}
    assert messages(b"a: caf\xe9\n") == [
        "x.yaml:1:7: error[encoding]: file is not valid UTF-8 (byte 0xe9)"
    ]


def test_huge_integer_deep_nesting_and_size_limits() -> None:
    assert "number-too-large" in messages("a: " + "9" * 5000 + "\n")[0]
    assert "too-deep" in messages("[" * 100 + "]" * 100)[0]
    assert "file-too-large" in messages("a: 1\n" * 100, Limits(max_bytes=50))[0]


def test_read_yaml_refuses_symlinks_and_missing_files(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("a: 1\n")
    link = tmp_path / "link.yaml"
    os.symlink(real, link)
    with pytest.raises(ContentError, match="symbolic links are not followed"):
        read_yaml(link, "link.yaml")
    with pytest.raises(ContentError, match="file not found"):
        read_yaml(tmp_path / "nope.yaml", "nope.yaml")


def test_depth_error_is_placed_the_same_whatever_pyyaml_refuses_first() -> None:
    from generator.pipeline.load import depth_problem

    deep = depth_problem("a: " + "[" * 50 + "]" * 50, "x.yaml", 32)
    assert (
        deep is not None
        and deep.text() == "x.yaml:1:36: error[too-deep]: nesting deeper than 32 levels"
    )
    assert depth_problem("'[[[[': [a, b]  # [[[[", "x.yaml", 2) is None
