"""Reading the people and categories files (the command's own tests run it as a process)."""

from __future__ import annotations

import pytest

from panel.selection.csvfiles import read_categories, read_people, unmatched_quotas
from panel.selection.problem import Quota, SelectionInputError


def write(tmp_path, text: str, name: str = "file.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_categories_are_read_with_the_older_column_names_and_a_spreadsheets_byte_order_mark(
    tmp_path,
):
    path = tmp_path / "categories.csv"
    path.write_bytes(
        "\ufeffCategory, Name ,MIN,max,notes\nDistrict,Swale,1,2,x\n,,,,\ncrime type,fraud,0,1,\n".encode()
    )
    assert read_categories(path) == [
        Quota("District", "Swale", 1, 2),
        Quota("crime type", "fraud", 0, 1),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feature,value,min,max\ndistrict,Swale,1,x\n", "line 2: max 'x' is not a whole number"),
        ("feature,value,min,max\ndistrict,,1,2\n", "line 2: the feature or value is empty"),
        (
            "feature,value,min,max\ndistrict,Swale,-1,2\n",
            "line 2: district Swale: a negative number",
        ),
        ("feature,value,min,max\n", "no quotas in the file"),
        ("", "the file is empty"),
    ],
)
def test_a_categories_file_it_cannot_use_says_where(tmp_path, text, message):
    with pytest.raises(SelectionInputError) as refused:
        read_categories(write(tmp_path, text))
    assert message in str(refused.value)


def test_every_bad_line_of_the_categories_is_listed_one_per_line(tmp_path):
    text = "feature,value,min,max\ndistrict,Swale,3,1\ndistrict,Dover,a,b\n"
    with pytest.raises(SelectionInputError) as refused:
        read_categories(write(tmp_path, text))
    assert str(refused.value).splitlines() == [
        f"{tmp_path / 'file.csv'}, line 2: district Swale: min 3 is more than max 1",
        f"{tmp_path / 'file.csv'}, line 3: min 'a' is not a whole number",
        f"{tmp_path / 'file.csv'}, line 3: max 'b' is not a whole number",
    ]


def test_people_keep_only_the_features_the_quotas_use_and_their_households(tmp_path):
    quotas = [Quota("District", "Swale", 0, 1)]
    text = (
        "ID,district,name,Address\n1,Swale,Ann,1 High St\n2,Dover,Bo,1 High St\n,,,\n3,dover,Cy,\n"
    )
    people, households = read_people(write(tmp_path, text), quotas, "address")
    assert [(person.id, dict(person.features)) for person in people] == [
        ("1", {"District": "Swale"}),
        ("2", {"District": "Dover"}),
        ("3", {"District": "dover"}),
    ]
    assert households == {"1": "1 High St", "2": "1 High St"}
    assert unmatched_quotas(people, [*quotas, Quota("District", "Thanet", 0, 1)]) == [
        Quota("District", "Thanet", 0, 1)
    ]


@pytest.mark.parametrize(
    ("text", "household", "message"),
    [
        ("id,district\n,Swale\n", None, "line 2: no id"),
        ("id,district\n", None, "no people in the file"),
        ("id,district\n1,Swale\n", "address", "no 'address' column"),
        ("id,area\n1,Swale\n", None, "the categories name 'district', not a column"),
    ],
)
def test_a_people_file_it_cannot_use_says_why(tmp_path, text, household, message):
    with pytest.raises(SelectionInputError) as refused:
        read_people(write(tmp_path, text), [Quota("district", "Swale", 0, 1)], household)
    assert message in str(refused.value)


def test_a_file_that_is_not_text_is_refused(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(SelectionInputError) as refused:
        read_people(path, [Quota("district", "Swale", 0, 1)])
    assert "not a readable CSV file" in str(refused.value)
