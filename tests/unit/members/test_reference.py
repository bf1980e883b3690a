"""The area's reference data: Kent's by default, replaceable by another area's file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from panel.members.reference import ReferenceDataError, load_reference_data

KENT_DISTRICTS = [
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Folkestone and Hythe",
    "Gravesham",
    "Maidstone",
    "Medway",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
]


def test_kent_is_the_default_with_its_thirteen_districts_and_named_sources():
    data = load_reference_data()
    assert data.area == "Kent"
    assert [district.label for district in data.districts] == KENT_DISTRICTS
    assert data.sources
    assert data.district_label("folkestone_hythe") == "Folkestone and Hythe"
    assert data.crime_type_label("domestic_abuse") == "Domestic abuse"
    assert data.crime_type_label("no_such_code") is None


def test_another_area_replaces_the_file(tmp_path: Path):
    path = tmp_path / "essex.json"
    path.write_text(
        json.dumps(
            {
                "area": "Essex",
                "districts": [{"code": "basildon", "label": "Basildon"}],
                "crime_types": [{"code": "other", "label": "Something else"}],
            }
        )
    )
    data = load_reference_data(path)
    assert data.area == "Essex" and data.district_label("basildon") == "Basildon"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('{"districts": []}', "needs an 'area'"),
        (
            '{"area": "X", "districts": [], "crime_types": [{"code": "a", "label": "A"}]}',
            "'districts' must be",
        ),
        (
            '{"area": "X", "districts": [{"code": "a"}], "crime_types": [{"code": "a", "label": "A"}]}',
            "needs a 'code' and a 'label'",
        ),
        (
            '{"area": "X", "districts": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}],'
            ' "crime_types": [{"code": "a", "label": "A"}]}',
            "must be different",
        ),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(tmp_path: Path, content, problem):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ReferenceDataError, match=problem):
        load_reference_data(path)


def test_a_missing_file_is_refused(tmp_path: Path):
    with pytest.raises(ReferenceDataError, match="no such file"):
        load_reference_data(tmp_path / "missing.json")


# ---------------------------------------------------------------------------------------------
# Default representativeness targets.

from decimal import Decimal  # noqa: E402

from panel.members.reference import TARGET_DIMENSIONS  # noqa: E402
from panel.members.rules import EQUALITY_QUESTIONS  # noqa: E402


def test_kent_ships_default_targets_for_every_dimension_with_a_named_source():
    data = load_reference_data()
    assert set(data.targets) == set(TARGET_DIMENSIONS)
    for dimension, targets in data.targets.items():
        codes = {choice.code for choice in data.choices_of(dimension)}
        assert set(targets.shares) == codes, dimension
        assert abs(sum(targets.shares.values()) - 100) <= Decimal("0.5"), dimension
        assert "rounded approximations" in targets.source.lower(), dimension
    assert "Census 2021" in data.targets["ethnicity"].source
    # The 19 ethnic groups of the 2021 Census, as members answer them.
    ethnicity = next(q for q in EQUALITY_QUESTIONS if q.field == "ethnicity")
    assert len(data.targets["ethnicity"].shares) == len(ethnicity.options) == 19
    assert data.targets["sex"].shares == {"female": Decimal("51.5"), "male": Decimal("48.5")}


def area_with_targets(tmp_path: Path, targets: object) -> Path:
    path = tmp_path / "area.json"
    path.write_text(
        json.dumps(
            {
                "area": "X",
                "districts": [
                    {"code": "north", "label": "North"},
                    {"code": "south", "label": "South"},
                ],
                "crime_types": [{"code": "other", "label": "Something else"}],
                "targets": targets,
            }
        )
    )
    return path


def test_an_area_may_give_targets_for_some_dimensions_only(tmp_path: Path):
    path = area_with_targets(
        tmp_path, {"district": {"source": "Census", "shares": {"north": 60.25, "south": 39.75}}}
    )
    data = load_reference_data(path)
    assert list(data.targets) == ["district"]
    assert data.targets["district"].shares == {"north": Decimal("60.25"), "south": Decimal("39.75")}


@pytest.mark.parametrize(
    ("targets", "problem"),
    [
        ([], "must be an object"),
        ({"shoe_size": {"source": "s", "shares": {}}}, "'shoe_size' is not one of"),
        ({"district": {"shares": {"north": 50, "south": 50}}}, "needs a 'source'"),
        ({"district": {"source": "s", "shares": {"north": 100}}}, "a share for each of its codes"),
        (
            {"district": {"source": "s", "shares": {"north": 50, "south": 49, "east": 1}}},
            "a share for each of its codes",
        ),
        ({"district": {"source": "s", "shares": {"north": "50", "south": 50}}}, "must be numbers"),
        ({"district": {"source": "s", "shares": {"north": 110, "south": -10}}}, "from 0 to 100"),
        ({"district": {"source": "s", "shares": {"north": 60, "south": 39}}}, "add up to 99"),
        ({"sex": {"source": "s", "shares": {"female": 50, "male": 49, "other": 1}}}, "its codes"),
    ],
)
def test_targets_that_are_not_shares_adding_up_to_100_are_refused(tmp_path: Path, targets, problem):
    with pytest.raises(ReferenceDataError, match=problem):
        load_reference_data(area_with_targets(tmp_path, targets))


# ---------------------------------------------------------------------------------------------
# Support services, for the About page.


def test_kent_lists_national_and_local_support_with_numbers_links_and_sources():
    data = load_reference_data()
    national = {service.name: service for service in data.support_services_in("national")}
    local = {service.name: service for service in data.support_services_in("local")}
    assert national["Victim Support"].phone == "0808 16 89 111"
    assert national["National Domestic Abuse Helpline"].phone == "0808 2000 247"
    assert national["Rape Crisis 24/7 Support Line"].phone == "0808 500 2222"
    assert local["Kent Police"].phone == "101"
    for service in data.support_services:
        assert service.url.startswith("https://") and service.source, service.name


def area_with_services(tmp_path: Path, services: object) -> Path:
    path = tmp_path / "area.json"
    path.write_text(
        json.dumps(
            {
                "area": "X",
                "districts": [{"code": "north", "label": "North"}],
                "crime_types": [{"code": "other", "label": "Something else"}],
                "support_services": services,
            }
        )
    )
    return path


def test_an_area_without_support_services_has_none(tmp_path: Path):
    path = tmp_path / "area.json"
    path.write_text(
        json.dumps(
            {
                "area": "X",
                "districts": [{"code": "north", "label": "North"}],
                "crime_types": [{"code": "other", "label": "Something else"}],
            }
        )
    )
    assert load_reference_data(path).support_services == ()


GOOD_SERVICE = {
    "scope": "local",
    "name": "Help",
    "description": "Helps.",
    "url": "https://help.example",
    "source": "help.example",
}


@pytest.mark.parametrize(
    ("services", "problem"),
    [
        ({"name": "Help"}, "must be a list"),
        (["Help"], "must be an object of text values"),
        ([{**GOOD_SERVICE, "phone": 999}], "must be an object of text values"),
        ([{**GOOD_SERVICE, "source": ""}], "needs source"),
        ([{**GOOD_SERVICE, "scope": "regional"}], "'scope' must be"),
        ([{**GOOD_SERVICE, "url": "http://help.example"}], "must start with https://"),
    ],
)
def test_a_bad_support_service_is_refused_with_the_reason(tmp_path: Path, services, problem):
    with pytest.raises(ReferenceDataError, match=problem):
        load_reference_data(area_with_services(tmp_path, services))
