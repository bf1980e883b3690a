"""Identifiers with a shape are replaced however they are written, and what only looks like one
(a year, a date, a count, a district's outward postcode) is left alone."""

from __future__ import annotations

import pytest

from panel.redaction import redact


def redacted(text: str) -> str:
    return redact(text).text


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "+44 7700 900123",
        "+44 (0)7700 900123",
        "01622 123456",
        "(01622) 123 456",
        "020 7946 0123",
        "0800 555 111",
        "0161 496 0000",
    ],
)
def test_uk_phone_numbers_in_every_common_format(number):
    assert redacted(f"She rang {number} twice.") == "She rang [PHONE] twice."


@pytest.mark.parametrize(
    "text",
    [
        "It happened in 2019 and took 18 months.",
        "The hearing was on 12/03/2024 at 10am.",
        "Three of the 1234 reports mentioned it.",
        "They live in the ME14 area.",
    ],
)
def test_years_dates_counts_and_districts_are_kept(text):
    assert redacted(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to robin.hart@example.org today", "Write to [EMAIL] today"),
        ("Email ROBIN_H+panel@mail.example.co.uk.", "Email [EMAIL]."),
        ("Postcode ME14 1XX, Maidstone", "Postcode [POSTCODE], Maidstone"),
        ("near ct16 1aa in Dover", "near [POSTCODE] in Dover"),
        ("NI number AB 12 34 56 C.", "NI number [NI NUMBER]."),
        ("ni no: ab123456c", "ni no: [NI NUMBER]"),
        ("a silver car, AB12 CDE, outside", "a silver car, [VEHICLE], outside"),
        ("an old van (P123 ABC) and a ABC 123D", "an old van ([VEHICLE]) and a [VEHICLE]"),
        ("See https://example.org/a?b=1.", "See [LINK]."),
        ("on www.example.com/page and facebook.com/robin.h", "on [LINK] and [LINK]"),
        ("Her @robin_hart account", "Her [SOCIAL MEDIA] account"),
    ],
)
def test_emails_postcodes_ni_numbers_vehicles_links_and_handles(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Crime ref 46/123456/24 was given.", "Crime ref [REFERENCE] was given."),
        ("It was CR/0123456/24.", "It was [REFERENCE]."),
        ("crime number: 24-0012345-2024", "crime number: [REFERENCE]"),
        ("The URN was 46AB1234524.", "The URN was [REFERENCE]."),
        ("Case T20247001 at Maidstone Crown Court", "Case [REFERENCE] at Maidstone Crown Court"),
        ("Action Fraud gave NFRC240112345678", "Action Fraud gave [REFERENCE]"),
        ("incident log 1234 was closed", "incident log [REFERENCE] was closed"),
        ("her case number is KT5521", "her case number is [REFERENCE]"),
    ],
)
def test_crime_and_case_references_in_the_forms_forces_and_courts_use(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PC 4521 came round", "PC [COLLAR NUMBER] came round"),
        ("PC4521 came round", "PC[COLLAR NUMBER] came round"),
        ("Her collar number was 4521.", "Her collar number was [COLLAR NUMBER]."),
        ("shoulder number: 12345", "shoulder number: [COLLAR NUMBER]"),
    ],
)
def test_police_collar_numbers(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB 12/03/1985.", "DOB [DATE OF BIRTH]."),
        ("date of birth: 3rd March 1990", "date of birth: [DATE OF BIRTH]"),
        ("He was born on 3 March 1990 in Kent", "He was born on [DATE OF BIRTH] in Kent"),
        ("born in 1990", "born in [DATE OF BIRTH]"),
        ("her son, aged 14, was there", "her son, aged [AGE], was there"),
        ("a 34-year-old man", "a [AGE]-year-old man"),
        ("she is 72 years old", "she is [AGE] years old"),
    ],
)
def test_dates_of_birth_and_ages_tied_to_a_person(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was at 12 High Street, Maidstone.", "It was at [ADDRESS], Maidstone."),
        ("Flat 3, 45a London Road", "[ADDRESS]"),
        ("She lives on Church Lane now.", "She lives on [ADDRESS] now."),
        ("shops on the High Street were shut", "shops on the High Street were shut"),
    ],
)
def test_street_addresses_but_not_a_street_named_in_passing(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("His house on Tonbridge Road was burgled", "His house on [ADDRESS] was burgled"),
        ("at her mum's on Elm Grove", "at her mum's on [ADDRESS]"),
        (
            "his date of birth (04/11/1969), in error",
            "his date of birth ([DATE OF BIRTH]), in error",
        ),
    ],
)
def test_a_street_given_as_a_home_and_a_date_of_birth_in_brackets(text, expected):
    assert redacted(text) == expected
