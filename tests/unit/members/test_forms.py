"""Cleaning a member's answers: what is accepted, what is refused and with which message."""

from __future__ import annotations

import json

import pytest

from panel.members.forms import (
    Access,
    ChannelSafety,
    Experience,
    clean_access_needs,
    clean_details,
    clean_equality,
    clean_experience,
    clean_safe_contact,
    clean_taking_part,
    parse_time,
    safe_contact_values,
)
from panel.members.reference import load_reference_data
from panel.members.rules import ContactChannel, safe_windows_from_json

REFERENCE = load_reference_data()


def multi(**fields: str | list[str]) -> dict[str, list[str]]:
    return {name: value if isinstance(value, list) else [value] for name, value in fields.items()}


DETAILS = multi(preferred_name="Sam", email="Sam@Example.org", district="maidstone")


def test_details_need_only_a_name_an_email_and_an_area():
    details, errors = clean_details(DETAILS, REFERENCE)
    assert errors == {}
    assert details is not None
    assert (details.preferred_name, details.email, details.district) == (
        "Sam",
        "sam@example.org",
        "maidstone",
    )
    assert details.phone == "" and details.postal_address == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("preferred_name", "", "Enter what you would like us to call you"),
        ("preferred_name", "x" * 101, "100 characters or fewer"),
        ("email", "", "Enter your email address"),
        ("email", "not-an-email", "correct format"),
        ("phone", "12345", "Enter a UK phone number"),
        ("phone", "+1 212 555 0100", "Enter a UK phone number"),
        ("postal_address", "x" * 501, "500 characters or fewer"),
        ("district", "", "Select the area you live in"),
        ("district", "atlantis", "Select the area you live in"),
    ],
)
def test_each_details_field_says_what_is_wrong(field, value, message):
    details, errors = clean_details({**DETAILS, field: [value]}, REFERENCE)
    assert details is None
    assert message in errors[field]


@pytest.mark.parametrize(
    "phone", ["07700 900982", "+44 7700 900982", "(01632) 960-001", "0044 1632 960001"]
)
def test_uk_phone_numbers_are_accepted_as_people_write_them(phone):
    details, errors = clean_details({**DETAILS, "phone": [phone]}, REFERENCE)
    assert errors == {} and details is not None and details.phone == phone


def test_details_without_email_for_pages_that_do_not_ask_it():
    details, errors = clean_details(
        multi(preferred_name="Sam", district="prefer_not"), REFERENCE, with_email=False
    )
    assert errors == {} and details is not None and details.email == ""


def test_experience_is_all_optional():
    assert clean_experience({}, REFERENCE, this_year=2026) == (Experience(), {})


def test_experience_answers_are_kept_as_codes():
    experience, errors = clean_experience(
        multi(
            involvement="victim",
            crime_types=["hate_crime", "burglary_home"],
            when="year",
            year="2019",
            court_case="no",
        ),
        REFERENCE,
        this_year=2026,
    )
    assert errors == {}
    assert experience is not None
    assert experience.crime_types == ("hate_crime", "burglary_home")
    assert (experience.year, experience.court_case) == ("2019", "no")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (multi(involvement="bystander"), "involvement", "Select what happened"),
        (multi(crime_types=["made_up"]), "crime_types", "Select what it was about"),
        (multi(crime_types=["hate_crime", "prefer_not"]), "crime_types", "not both"),
        (multi(when="year"), "year", "Enter roughly what year"),
        (multi(when="year", year="1949"), "year", "between 1950 and 2026"),
        (multi(when="year", year="2027"), "year", "between 1950 and 2026"),
        (multi(when="year", year="twenty"), "year", "between 1950 and 2026"),
        (multi(when="soon"), "when", "Select whether"),
        (multi(court_case="maybe"), "court_case", "court case"),
    ],
)
def test_each_experience_field_says_what_is_wrong(fields, field, message):
    experience, errors = clean_experience(fields, REFERENCE, this_year=2026)
    assert experience is None
    assert message in errors[field]


def test_prefer_not_to_say_is_an_answer_to_every_experience_question():
    experience, errors = clean_experience(
        multi(
            involvement="prefer_not",
            crime_types=["prefer_not"],
            when="prefer_not",
            court_case="prefer_not",
        ),
        REFERENCE,
    )
    assert errors == {} and experience is not None
    assert experience.year == "prefer_not" and experience.crime_types == ("prefer_not",)


SAFE = multi(email_safe="any", phone_call_safe="no", text_message_safe="no", post_safe="no")


def test_safe_contact_stores_a_row_per_channel_with_its_times():
    contact, errors = clean_safe_contact(
        {
            **SAFE,
            **multi(
                phone_call_safe="some",
                phone_call_days=["0", "2"],
                phone_call_from="9am",
                phone_call_to="17:30",
                phone_call_voicemail="yes",
                code_word="bluebell",
            ),
        }
    )
    assert errors == {}
    assert contact is not None
    rows = {row["channel"]: row for row in contact.preference_rows()}
    assert set(rows) == {channel.value for channel in ContactChannel}
    assert rows["email"]["safe"] and rows["email"]["safe_times"] == "[]"
    phone = rows["phone_call"]
    assert phone["safe"] and phone["voicemail_allowed"] and phone["code_word"] == "bluebell"
    (window,) = safe_windows_from_json(phone["safe_times"])
    assert window.days == frozenset({0, 2}) and (window.start.hour, window.end.minute) == (9, 30)
    assert not rows["post"]["safe"]


def test_days_without_times_mean_the_whole_day():
    contact, _ = clean_safe_contact({**SAFE, **multi(email_safe="some", email_days=["5", "6"])})
    assert contact is not None
    assert json.loads(contact.preference_rows()[0]["safe_times"]) == [
        {"days": [5, 6], "start": "00:00", "end": "23:59"}
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (multi(email_safe=""), "email_safe", "Select whether it is safe to contact you by email"),
        (multi(email_safe="no"), "email_safe", "To join online, email must be safe"),
        (multi(email_safe="some"), "email_days", "Select the days"),
        (multi(email_safe="some", email_days=["8"]), "email_days", "only days on the list"),
        (
            multi(email_safe="some", email_days=["1"], email_from="25:00", email_to="10:00"),
            "email_from",
            "Enter the time it becomes safe",
        ),
        (
            multi(email_safe="some", email_days=["1"], email_from="10:00"),
            "email_to",
            "Enter the time it stops",
        ),
        (
            multi(email_safe="some", email_days=["1"], email_from="17:00", email_to="09:00"),
            "email_to",
            "must be after",
        ),
        (multi(post_safe="maybe"), "post_safe", "Select whether it is safe to contact you by post"),
        (multi(code_word="x" * 101), "code_word", "100 characters or fewer"),
        (multi(phone_call_voicemail="perhaps"), "phone_call_voicemail", "voicemail"),
    ],
)
def test_each_safe_contact_field_says_what_is_wrong(fields, field, message):
    contact, errors = clean_safe_contact({**SAFE, **fields})
    assert contact is None
    assert message in errors[field]


def test_calls_texts_and_post_are_not_asked_about_without_a_number_or_an_address():
    fields = {**SAFE, **multi(phone_call_safe="any", text_message_safe="any", post_safe="any")}
    contact, errors = clean_safe_contact(fields, usable=(ContactChannel.EMAIL,))
    assert errors == {} and contact is not None
    assert [choice.channel for choice in contact.channels if choice.safe] == [ContactChannel.EMAIL]
    # Not asked, so nothing sent for them is read, not even a wrong answer.
    junk = {**SAFE, **multi(phone_call_safe="maybe", post_safe="some", phone_call_voicemail="x")}
    contact, errors = clean_safe_contact(junk, usable=(ContactChannel.EMAIL,))
    assert errors == {} and contact is not None
    contact, errors = clean_safe_contact(fields)
    assert errors == {} and contact is not None and all(choice.safe for choice in contact.channels)


def test_a_channel_given_is_asked_about_and_one_not_given_is_not_safe():
    fields = {**SAFE, **multi(phone_call_safe="any", text_message_safe="any", post_safe="any")}
    phone_only = (ContactChannel.EMAIL, ContactChannel.PHONE_CALL, ContactChannel.TEXT_MESSAGE)
    contact, _ = clean_safe_contact(fields, usable=phone_only)
    assert contact is not None
    assert [choice.channel for choice in contact.channels if not choice.safe] == [
        ContactChannel.POST
    ]
    _, errors = clean_safe_contact({**fields, "text_message_safe": [""]}, usable=phone_only)
    assert set(errors) == {"text_message_safe"}


def test_letters_are_safe_or_not_with_no_times():
    contact, errors = clean_safe_contact({**SAFE, **multi(post_safe="any")})
    assert errors == {} and contact is not None
    assert contact.channel(ContactChannel.POST) == ChannelSafety(ContactChannel.POST, True)
    _, errors = clean_safe_contact({**SAFE, **multi(post_safe="some", post_days=["1"])})
    assert errors == {"post_safe": "Select whether it is safe to contact you by post"}


def test_voicemail_counts_only_while_calls_are_safe():
    contact, _ = clean_safe_contact({**SAFE, **multi(phone_call_voicemail="yes")})
    assert contact is not None
    assert contact.channel(ContactChannel.PHONE_CALL) == ChannelSafety(
        ContactChannel.PHONE_CALL, False
    )
    assert not any(row["voicemail_allowed"] for row in contact.preference_rows())


def test_no_two_safe_contact_problems_read_the_same():
    """Each message names its channel, so the error summary never shows one message twice."""
    every_channel_wrong = {
        **multi(code_word="x" * 101),
        **{
            f"{channel.value}_{field}": [value]
            for channel in ContactChannel
            for field, value in (("safe", "some"), ("from", "late"), ("to", "early"))
        },
        **{f"{channel.value}_days": ["9"] for channel in ContactChannel},
    }
    _, errors = clean_safe_contact(every_channel_wrong)
    assert len(errors) > len(ContactChannel)
    assert len(set(errors.values())) == len(errors)
    for times in ({"from": "9am", "to": "nope"}, {"from": "5pm", "to": "9am"}):
        fields = {
            f"{channel.value}_{field}": [value]
            for channel in ContactChannel
            if channel is not ContactChannel.POST
            for field, value in {"safe": "some", "days": "1", **times}.items()
        }
        _, errors = clean_safe_contact({**SAFE, **fields})
        assert len(errors) == 3 and len(set(errors.values())) == 3


def test_email_need_not_be_safe_outside_sign_up():
    contact, errors = clean_safe_contact({**SAFE, "email_safe": ["no"]}, require_safe_email=False)
    assert errors == {} and contact is not None and not contact.channel(ContactChannel.EMAIL).safe


def test_stored_preferences_come_back_as_the_same_answers():
    fields = {
        **SAFE,
        **multi(
            text_message_safe="some",
            text_message_days=["4"],
            text_message_from="18:00",
            text_message_to="20:00",
            code_word="otter",
        ),
    }
    contact, _ = clean_safe_contact(fields)
    assert contact is not None
    again, _ = clean_safe_contact(safe_contact_values(contact.preference_rows()))
    assert again == contact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", "09:00"),
        ("9:30", "09:30"),
        ("09.30", "09:30"),
        ("5pm", "17:00"),
        ("12am", "00:00"),
        ("17:45", "17:45"),
        ("13pm", None),
        ("9:75", None),
        ("noon", None),
    ],
)
def test_times_are_read_as_people_type_them(text, expected):
    assert parse_time(text) == expected


def test_access_needs_keep_the_language_and_other_only_when_ticked():
    access, errors = clean_access_needs(
        multi(needs=["interpreter", "step_free"], language="Polish", other_need="ignored")
    )
    assert errors == {} and access is not None
    assert (
        access.needs == ("interpreter", "step_free")
        and access.language == "Polish"
        and access.other == ""
    )
    assert clean_access_needs({}) == (Access(), {})


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (multi(needs=["jetpack"]), "needs", "Select what you need"),
        (multi(needs=["interpreter"]), "language", "Enter the language"),
        (multi(needs=["interpreter"], language="x" * 101), "language", "100 characters"),
        (multi(needs=["other"]), "other_need", "Tell us what else you need"),
        (multi(needs=["other"], other_need="x" * 501), "other_need", "500 characters"),
    ],
)
def test_each_access_needs_field_says_what_is_wrong(fields, field, message):
    access, errors = clean_access_needs(fields)
    assert access is None and message in errors[field]


def test_taking_part_needs_one_way_and_one_format():
    part, errors = clean_taking_part(multi(ways=["surveys"], formats=["online", "in_person"]))
    assert errors == {} and part is not None and part.formats == ("online", "in_person")
    part, errors = clean_taking_part({})
    assert part is None and set(errors) == {"ways", "formats"}
    _, errors = clean_taking_part(multi(ways=["parades"], formats=["by_pigeon"]))
    assert set(errors) == {"ways", "formats"}


def test_equality_answers_are_kept_only_with_their_consent():
    equality, errors = clean_equality(
        multi(age_band="25_34", religion="prefer_not", equality_consent="yes")
    )
    assert errors == {} and equality is not None and equality.keep
    assert equality.answers == {"age_band": "25_34", "religion": "prefer_not"}
    equality, errors = clean_equality(multi(age_band="25_34"))
    assert equality is None and "Tick the box" in errors["equality_consent"]


def test_skipping_the_equality_page_keeps_nothing_whatever_was_chosen():
    equality, errors = clean_equality(multi(age_band="25_34", equality_consent="yes", skip="yes"))
    assert errors == {} and equality is not None
    assert equality.skipped and not equality.keep and equality.answers == {}


def test_an_equality_answer_not_in_the_list_is_refused():
    equality, errors = clean_equality(multi(ethnicity="martian", equality_consent="yes"))
    assert equality is None and "Select an answer" in errors["ethnicity"]
