"""The form on which an admin sets one dimension's targets."""

from __future__ import annotations

from decimal import Decimal

from panel.members.reference import Choice
from panel.representation.forms import clean_targets, initial_values

CHOICES = (Choice("female", "Female"), Choice("male", "Male"))
SOURCE = "ONS Census 2021, residents aged 18 and over"


def test_shares_adding_up_to_100_with_a_source_are_accepted():
    cleaned, errors = clean_targets(
        CHOICES, {"share-female": "51.5", "share-male": " 48.5% ", "source": f"  {SOURCE} "}
    )
    assert errors == {}
    assert cleaned is not None
    assert cleaned.shares == {"female": Decimal("51.5"), "male": Decimal("48.5")}
    assert cleaned.source == SOURCE


def test_rounding_of_up_to_half_a_point_is_allowed():
    cleaned, errors = clean_targets(
        CHOICES, {"share-female": "51.25", "share-male": "49.125", "source": SOURCE}
    )
    assert errors == {} and cleaned is not None


def test_each_share_must_be_a_number_from_0_to_100():
    cleaned, errors = clean_targets(
        CHOICES, {"share-female": "", "share-male": "lots", "source": SOURCE}
    )
    assert cleaned is None
    assert errors == {
        "share-female": "Enter the target for Female, from 0 to 100",
        "share-male": "The target for Male must be a number from 0 to 100, like 12.5",
    }
    for bad in ("-5", "1e2", "12.3456", "nan", "١٢"):
        _, errors = clean_targets(
            CHOICES, {"share-female": bad, "share-male": "50", "source": SOURCE}
        )
        assert "share-female" in errors, bad
    _, errors = clean_targets(
        CHOICES, {"share-female": "100.5", "share-male": "0", "source": SOURCE}
    )
    assert errors == {"share-female": "The target for Female must be 100 or less"}


def test_shares_that_do_not_add_up_to_100_are_refused_with_their_total():
    cleaned, errors = clean_targets(
        CHOICES, {"share-female": "50", "share-male": "40.5", "source": SOURCE}
    )
    assert cleaned is None
    assert errors == {"share": "The targets must add up to 100%. They add up to 90.5%"}


def test_the_source_is_needed_and_not_too_long():
    _, errors = clean_targets(CHOICES, {"share-female": "50", "share-male": "50", "source": " "})
    assert errors == {"source": "Enter where the figures come from"}
    _, errors = clean_targets(
        CHOICES, {"share-female": "50", "share-male": "50", "source": "x" * 1001}
    )
    assert errors == {"source": "Where the figures come from must be 1000 characters or fewer"}


def test_the_form_starts_with_the_targets_in_force_as_people_write_them():
    values = initial_values({"female": Decimal("51.500"), "male": Decimal("48.500")}, SOURCE)
    assert values == {"share-female": "51.5", "share-male": "48.5", "source": SOURCE}
    assert initial_values({"female": Decimal("10.000")}, "")["share-female"] == "10"
