"""Reference data of the policing area: its districts, the crime types members can choose from, and
the default representativeness targets.

Kent's ships with the service; another area points ``PANEL_REFERENCE_DATA`` at a JSON file of the
same shape. Codes are what is stored, labels what people read, so a label can be reworded later.
The ``targets`` section is optional: per dimension, a ``source`` and the percent ``shares`` of its
codes (every code listed, the shares adding up to 100 give or take rounding). So is
``support_services``: the national and local services a victim can turn to, shown on the About
page, each with its ``source`` (where the number and link were taken from).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, cast

from litestar import Request

from panel.members.rules import EQUALITY_QUESTIONS

DEFAULT_REFERENCE_DATA = Path(__file__).resolve().parent / "reference" / "kent.json"

# The dimensions a panel's make-up is compared on. The equality ones are columns of EqualityData.
TARGET_DIMENSIONS = ("crime_type", "district", "age_band", "sex", "ethnicity", "disability")
EQUALITY_DIMENSIONS = ("age_band", "sex", "ethnicity", "disability")
DIMENSION_TITLES = {
    "crime_type": "Crime type",
    "district": "District",
    "age_band": "Age",
    "sex": "Sex",
    "ethnicity": "Ethnic group",
    "disability": "Disability",
}
# How far from 100 the shares of a dimension may add up to, for figures rounded one by one.
SHARE_TOTAL_TOLERANCE = Decimal("0.5")


class ReferenceDataError(Exception):
    """The reference data file is missing or not in the expected shape; the message says how."""


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class DefaultTargets:
    """The area's default target for one dimension: the percent share of each code."""

    source: str
    shares: Mapping[str, Decimal]


@dataclass(frozen=True)
class SupportService:
    """A service a victim or witness can turn to, national or in the area."""

    scope: str  # "national" or "local"
    name: str
    description: str
    phone: str
    hours: str
    url: str
    source: str


SUPPORT_SCOPES = ("national", "local")


@dataclass(frozen=True)
class ReferenceData:
    area: str
    sources: tuple[str, ...]
    districts: tuple[Choice, ...]
    crime_types: tuple[Choice, ...]
    targets: Mapping[str, DefaultTargets] = field(default_factory=dict)
    support_services: tuple[SupportService, ...] = ()

    def support_services_in(self, scope: str) -> tuple[SupportService, ...]:
        return tuple(service for service in self.support_services if service.scope == scope)

    def district_label(self, code: str) -> str | None:
        return next((choice.label for choice in self.districts if choice.code == code), None)

    def crime_type_label(self, code: str) -> str | None:
        return next((choice.label for choice in self.crime_types if choice.code == code), None)

    def choices_of(self, dimension: str) -> tuple[Choice, ...]:
        """The codes of a target dimension, in the order people read them."""
        if dimension == "district":
            return self.districts
        if dimension == "crime_type":
            return self.crime_types
        question = next(q for q in EQUALITY_QUESTIONS if q.field == dimension)
        return tuple(Choice(code, label) for code, label in question.options)


def shares_total_problem(shares: Mapping[str, Decimal]) -> str | None:
    """Why a dimension's shares cannot be targets, or None: each 0 to 100, adding up to 100."""
    if any(not (0 <= share <= 100) for share in shares.values()):
        return "each share must be from 0 to 100"
    total = sum(shares.values(), Decimal(0))
    if abs(total - 100) > SHARE_TOTAL_TOLERANCE:
        return f"the shares add up to {total.normalize():f}, not 100"
    return None


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


def _targets(
    document: dict, districts: tuple[Choice, ...], crime_types: tuple[Choice, ...], path: Path
) -> dict[str, DefaultTargets]:
    section = document.get("targets", {})
    if not isinstance(section, dict):
        raise ReferenceDataError(f"{path}: 'targets' must be an object of dimensions")
    partial = ReferenceData("", (), districts, crime_types)
    targets = {}
    for dimension, item in section.items():
        if dimension not in TARGET_DIMENSIONS:
            raise ReferenceDataError(
                f"{path}: targets: '{dimension}' is not one of {', '.join(TARGET_DIMENSIONS)}"
            )
        if not (
            isinstance(item, dict)
            and isinstance(item.get("source"), str)
            and item["source"].strip()
            and isinstance(item.get("shares"), dict)
        ):
            raise ReferenceDataError(
                f"{path}: targets: '{dimension}' needs a 'source' and 'shares'"
            )
        shares = item["shares"]
        codes = [choice.code for choice in partial.choices_of(dimension)]
        if sorted(shares) != sorted(codes):
            raise ReferenceDataError(
                f"{path}: targets: '{dimension}' must give a share for each of its codes "
                f"({', '.join(codes)}) and no others"
            )
        if not all(
            isinstance(share, Decimal | int) and not isinstance(share, bool)
            for share in shares.values()
        ):
            raise ReferenceDataError(
                f"{path}: targets: the shares of '{dimension}' must be numbers"
            )
        decimals = {code: Decimal(shares[code]) for code in codes}
        problem = shares_total_problem(decimals)
        if problem:
            raise ReferenceDataError(f"{path}: targets: in '{dimension}', {problem}")
        targets[dimension] = DefaultTargets(source=item["source"].strip(), shares=decimals)
    return targets


def _support_services(document: dict, path: Path) -> tuple[SupportService, ...]:
    items = document.get("support_services", [])
    if not isinstance(items, list):
        raise ReferenceDataError(f"{path}: 'support_services' must be a list")
    services = []
    for number, item in enumerate(items, start=1):
        where = f"{path}: support_services item {number}"
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key, ""), str) for key in SupportService.__dataclass_fields__
        ):
            raise ReferenceDataError(f"{where} must be an object of text values")
        missing = [key for key in ("name", "description", "url", "source") if not item.get(key)]
        if missing:
            raise ReferenceDataError(f"{where} needs {', '.join(missing)}")
        if item.get("scope") not in SUPPORT_SCOPES:
            raise ReferenceDataError(f"{where}: 'scope' must be 'national' or 'local'")
        if not item["url"].startswith("https://"):
            raise ReferenceDataError(f"{where}: 'url' must start with https://")
        services.append(
            SupportService(
                scope=item["scope"],
                name=item["name"],
                description=item["description"],
                phone=item.get("phone", ""),
                hours=item.get("hours", ""),
                url=item["url"],
                source=item["source"],
            )
        )
    return tuple(services)


@cache
def load_reference_data(path: Path = DEFAULT_REFERENCE_DATA) -> ReferenceData:
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
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
    districts = _choices(document, "districts", path)
    crime_types = _choices(document, "crime_types", path)
    return ReferenceData(
        area=document["area"],
        sources=tuple(sources),
        districts=districts,
        crime_types=crime_types,
        targets=_targets(document, districts, crime_types, path),
        support_services=_support_services(document, path),
    )


def reference_of(request: Request[Any, Any, Any]) -> ReferenceData:
    """The reference data the app loaded at start-up (``app.state``), for a page that needs it."""
    return cast(ReferenceData, request.app.state["reference"])
