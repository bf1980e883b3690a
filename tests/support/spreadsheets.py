"""Spreadsheets (CSV) as staff upload them, for the import's tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from panel.imports.rules import COLUMN_NAMES


def csv_of(*rows: Mapping[str, str], columns: Sequence[str] = COLUMN_NAMES) -> bytes:
    """A header row of ``columns`` and one row for each mapping (a missing cell is blank)."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return output.getvalue().encode()
