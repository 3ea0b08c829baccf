from __future__ import annotations

import pytest

from generator.pipeline import words as w


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "zero (0)"),
        (1, "one (1)"),
        (30, "thirty (30)"),
        (45, "forty-five (45)"),
        (120, "one hundred and twenty (120)"),
        (1005, "one thousand and five (1,005)"),
        (250000, "two hundred and fifty thousand (250,000)"),
    ],
)
def test_number_words(n: int, text: str) -> None:
    assert w.words(n) == text


def test_durations_agree_in_number() -> None:
    assert w.duration(1, "months") == "one (1) month"
    assert w.duration(5, "business days") == "five (5) Business Days"
    assert w.duration(1, "business days") == "one (1) Business Day"


def test_money_percent_and_dates() -> None:
    assert w.money(6.5, "GBP") == "GBP 6.50"
    assert w.money(1250000, "USD") == "USD 1,250,000"
    assert w.percent(12.5) == "12.5%"
    assert w.percent(15) == "15%"
    assert w.longdate("2027-01-01") == "1 January 2027"
    assert w.longdate("2027-01-01", us_style=True) == "January 1, 2027"


def test_join_and_label() -> None:
    assert w.join_and(["a", "b", "c"]) == "a, b and c"
    assert w.join_and(["a"]) == "a"
    assert w.label("hipaa") == "HIPAA"
    assert w.label("unknown-code") == "unknown-code"


def test_words_refuses_text() -> None:
    with pytest.raises(TypeError):
        w.words("thirty")
