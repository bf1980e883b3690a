"""The CSV files organisers already use with the Sortition Foundation's tools.

People: an ``id`` column and one column per feature; other columns are ignored. Categories:
``feature,value,min,max``, one quota per row (``category`` and ``name`` are accepted for
``feature`` and ``value``, as older files have them). Column names and values are matched
ignoring case and surrounding spaces; the quotas keep the spelling the categories file uses.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from panel.selection.problem import Person, Quota, SelectionInputError, matching_form

CATEGORY_COLUMNS = {
    "feature": ("feature", "category"),
    "value": ("value", "name"),
    "min": ("min",),
    "max": ("max",),
}


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            rows = list(reader)
            header = list(reader.fieldnames or [])
    except FileNotFoundError:
        raise SelectionInputError(f"{path}: no such file") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise SelectionInputError(f"{path}: not a readable CSV file ({error})") from None
    except OSError as error:
        raise SelectionInputError(f"{path}: cannot be read ({error.strerror})") from None
    if not header:
        raise SelectionInputError(f"{path}: the file is empty")
    return header, rows


def column_for(header: Iterable[str], names: Iterable[str]) -> str | None:
    wanted = {matching_form(name) for name in names}
    return next((column for column in header if matching_form(column or "") in wanted), None)


def read_categories(path: Path) -> list[Quota]:
    header, rows = read_rows(path)
    columns = {key: column_for(header, names) for key, names in CATEGORY_COLUMNS.items()}
    missing = [key for key, column in columns.items() if column is None]
    if missing:
        raise SelectionInputError(
            f"{path}: no {', '.join(repr(key) for key in missing)} column"
            f" (the columns must be feature,value,min,max)"
        )
    quotas: list[Quota] = []
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        feature = (row.get(columns["feature"] or "") or "").strip()
        value = (row.get(columns["value"] or "") or "").strip()
        if not feature and not value:
            continue
        numbers: list[int] = []
        for key in ("min", "max"):
            text = (row.get(columns[key] or "") or "").strip()
            try:
                numbers.append(int(text))
            except ValueError:
                problems.append(f"{path}, line {line}: {key} {text!r} is not a whole number")
        if not feature or not value:
            problems.append(f"{path}, line {line}: the feature or value is empty")
        elif len(numbers) == 2:
            minimum, maximum = numbers
            if minimum < 0 or maximum < 0:
                problems.append(f"{path}, line {line}: {feature} {value}: a negative number")
            elif minimum > maximum:
                problems.append(
                    f"{path}, line {line}: {feature} {value}: min {minimum} is more than max {maximum}"
                )
            else:
                quotas.append(Quota(feature, value, minimum, maximum))
    if problems:
        raise SelectionInputError("\n".join(problems))
    if not quotas:
        raise SelectionInputError(f"{path}: no quotas in the file")
    return quotas


def read_people(
    path: Path, quotas: list[Quota], household_column: str | None = None
) -> tuple[list[Person], dict[str, str]]:
    """The pool with the features the quotas use (named as the categories file names them), and
    each person's household when a household column is given."""
    header, rows = read_rows(path)
    id_column = column_for(header, ["id"])
    if id_column is None:
        raise SelectionInputError(f"{path}: no 'id' column")
    features = list(dict.fromkeys(quota.feature for quota in quotas))
    feature_columns = {feature: column_for(header, [feature]) for feature in features}
    unknown = [feature for feature, column in feature_columns.items() if column is None]
    if unknown:
        raise SelectionInputError(
            f"the categories name {', '.join(repr(feature) for feature in unknown)}, "
            f"not a column of {path}"
        )
    household = None
    if household_column is not None:
        household = column_for(header, [household_column])
        if household is None:
            raise SelectionInputError(f"{path}: no {household_column!r} column")
    people: list[Person] = []
    households: dict[str, str] = {}
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        person_id = (row.get(id_column) or "").strip()
        if not person_id:
            if any((value or "").strip() for value in row.values() if isinstance(value, str)):
                raise SelectionInputError(f"{path}, line {line}: no id")
            continue
        if person_id in seen:
            raise SelectionInputError(f"{path}, line {line}: the id {person_id!r} is listed twice")
        seen.add(person_id)
        people.append(
            Person(
                person_id,
                {
                    feature: (row.get(column or "") or "")
                    for feature, column in feature_columns.items()
                },
            )
        )
        if household is not None and (row.get(household) or "").strip():
            households[person_id] = (row.get(household) or "").strip()
    if not people:
        raise SelectionInputError(f"{path}: no people in the file")
    return people, households


def unmatched_quotas(people: list[Person], quotas: list[Quota]) -> list[Quota]:
    """Quotas for a value no one in the pool has: worth a warning (often a misspelling)."""
    return [quota for quota in quotas if not any(quota.includes(person) for person in people)]
