"""Showing Rupiah, dates and user text in the pages."""

import datetime as dt

import pandas as pd
from babel.dates import format_date

from office_core.dates import format_date_id
from office_core.money import format_rupiah


def rupiah_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return a column of amounts written as Rp170.000 (for read-only tables)."""
    return frame[column].map(lambda v: "" if pd.isna(v) else format_rupiah(int(v)))


def date_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return a column of dates written as 07 September 2025."""
    return frame[column].map(
        lambda v: format_date_id(v) if isinstance(v, dt.date) else ""
    )


def month_label(year: int, month: int) -> str:
    """Return a month as Indonesians abbreviate it, e.g. Agu 2025."""
    return format_date(dt.date(int(year), int(month), 1), "MMM yyyy", locale="id_ID")


def percent_text(value: object) -> str:
    """Write a percentage the Indonesian way, with a decimal comma: 2,50%."""
    return f"{float(value):.2f}".replace(".", ",") + "%"


def escape_markdown(text: object) -> str:
    """Make stored text safe to place inside Markdown.

    Besides links and images, `$` would start KaTeX math and `:name[...]` a
    colour directive; escaped, every character shows as typed.
    """
    specials = "\\`*_{}[]()#+-.!|<>~$:"
    return "".join("\\" + ch if ch in specials else ch for ch in str(text))
