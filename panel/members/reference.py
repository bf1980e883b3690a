"""Reference data of the policing area: its districts and the crime types members can choose from.

Kent's ships with the service; another area points ``PANEL_REFERENCE_DATA`` at a JSON file of the
same shape. Codes are what is stored, labels what people read, so a label can be reworded later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULT_REFERENCE_DATA = Path(__file__).resolve().parent / "reference" / "kent.json"


class ReferenceDataError(Exception):
    """The reference data file is missing or not in the expected shape; the message says how."""


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class ReferenceData:
    area: str
    sources: tuple[str, ...]
    districts: tuple[Choice, ...]
    crime_types: tuple[Choice, ...]

    def district_label(self, code: str) -> str | None:
        return next((choice.label for choice in self.districts if choice.code == code), None)

    def crime_type_label(self, code: str) -> str | None:
        return next((choice.label for choice in self.crime_types if choice.code == code), None)


def _choices(document: dict, key: str, path: Path) -> tuple[Choice, ...]:
    items = document.get(key)
    if not isinstance(items, list) or not items:
        raise ReferenceDataError(f"{path}: '{key}' must be a non-empty list")
    choices = []
    for number, item in enumerate(items, start=1):
        if not (
            isinstance(item, dict)
            and isinstance(item.get("code"), str)
            and isinstance(item.get("label"), str)
        ):
            raise ReferenceDataError(f"{path}: {key} item {number} needs a 'code' and a 'label'")
        choices.append(Choice(code=item["code"], label=item["label"]))
    codes = [choice.code for choice in choices]
    if len(set(codes)) != len(codes):
        raise ReferenceDataError(f"{path}: the codes in '{key}' must be different from each other")
    return tuple(choices)


@cache
def load_reference_data(path: Path = DEFAULT_REFERENCE_DATA) -> ReferenceData:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReferenceDataError(f"{path}: no such file") from None
    except json.JSONDecodeError as error:
        raise ReferenceDataError(
            f"{path}: not valid JSON ({error.msg}, line {error.lineno})"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("area"), str):
        raise ReferenceDataError(f"{path}: needs an 'area' name")
    sources = document.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(source, str) for source in sources):
        raise ReferenceDataError(f"{path}: 'sources' must be a list of text")
    return ReferenceData(
        area=document["area"],
        sources=tuple(sources),
        districts=_choices(document, "districts", path),
        crime_types=_choices(document, "crime_types", path),
    )
