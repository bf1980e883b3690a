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
