"""Cells of the CSV files staff download: text a spreadsheet will never run as a formula."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will show as text: one starting like a formula gets a leading
    apostrophe, so opening the file never runs what someone typed into their name."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
