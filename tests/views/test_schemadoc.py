from __future__ import annotations

from pathlib import Path

from generator.views.schemadoc import deal_profile_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "deal-profile.md"


def test_deal_profile_reference_is_generated_from_the_schema() -> None:
    assert DOC.read_text("utf-8") == deal_profile_markdown(), (
        "run: clausebook schema-doc > docs/deal-profile.md"
    )


def test_every_deal_field_is_documented() -> None:
    text = deal_profile_markdown()
    for field in (
        "`maturity`",
        "`pricing.model`",
        "`data_regimes`",
        "`automation.in_scope`",
        "`overrides`",
    ):
        assert field in text


def test_defaults_are_printed_as_yaml_writes_them() -> None:
    doc = deal_profile_markdown()
    assert "| `is_renewal` | boolean |  | `false` |" in doc
    assert "`False`" not in doc and "`True`" not in doc and "`None`" not in doc
