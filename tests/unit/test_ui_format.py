"""Stored text shown in Markdown: every character shows as typed."""

import pytest

from office_core.text import whole_number
from ui.format import escape_markdown


@pytest.mark.parametrize(
    ("stored", "escaped"),
    [
        ("$x^2$", "\\$x^2\\$"),
        (":red[Bu Sari]", "\\:red\\[Bu Sari\\]"),
        ("[klik](https://contoh.id)", "\\[klik\\]\\(https\\://contoh\\.id\\)"),
        ("Pak Arif", "Pak Arif"),
    ],
)
def test_math_colour_and_links_are_escaped(stored, escaped):
    assert escape_markdown(stored) == escaped


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), (" 7 ", 7), ("-3", -3), (5, 5), ("\u0661\u0662", None),
     ("1_0", None), ("+3", None), ("3.0", None), ("", None), (True, None),
     ("9" * 19, None)],
)  # fmt: skip
def test_whole_numbers_are_ascii_digits_only(typed, number):
    assert whole_number(typed) == number
