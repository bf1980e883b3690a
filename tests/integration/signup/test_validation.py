"""Every sign-up field's bad input comes back with status 400, the page titled "Error: …", a clear
message linked from the error summary, and the answers kept."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.signup.test_signup import ANSWERS, answer_pages
from tests.support import html
from tests.support.queries import counted_queries

# (page, changes to its valid answers, field with the error, words of the message, and a field
# that shows the answers were kept with the value it shows: None for a choice left unmade)
CASES: list[tuple[str, dict[str, Any], str, str, tuple[str, str | None]]] = [
    (
        "details",
        {"preferred_name": ""},
        "preferred_name",
        "Enter what you would like us to call you",
        ("email", "robin@example.org"),
    ),
    (
        "details",
        {"preferred_name": "R" * 101},
        "preferred_name",
        "100 characters or fewer",
        ("preferred_name", "R" * 101),
    ),
    (
        "details",
        {"email": "robin at example"},
        "email",
        "Enter an email address in the correct format",
        ("email", "robin at example"),
    ),
    ("details", {"phone": "12345"}, "phone", "Enter a UK phone number", ("phone", "12345")),
    (
        "details",
        {"postal_address": "1 Long Road " * 50},
        "postal_address",
        "500 characters or fewer",
        ("postal_address", "1 Long Road " * 50),
    ),
    (
        "details",
        {"district": "atlantis"},
        "district",
        "Select the area you live in",
        ("preferred_name", "Robin"),
    ),
    (
        "contact",
        {"email_safe": "no"},
        "email_safe",
        "To join online, email must be safe",
        ("code_word", "bluebell"),
    ),
    (
        "contact",
        {"email_safe": ""},
        "email_safe",
        "Select whether it is safe to contact you by email",
        ("code_word", "bluebell"),
    ),
    (
        "contact",
        {"phone_call_days": []},
        "phone_call_days",
        "Select the days it is safe to contact you by phone call",
        ("phone_call_from", "9am"),
    ),
    (
        "contact",
        {"phone_call_days": ["9"]},
        "phone_call_days",
        "Select only days on the list for phone call",
        ("phone_call_from", "9am"),
    ),
    (
        "contact",
        {"phone_call_from": "breakfast"},
        "phone_call_from",
        "Enter the time it becomes safe",
        ("phone_call_from", "breakfast"),
    ),
    (
        "contact",
        {"phone_call_to": "8am"},
        "phone_call_to",
        "must be after the time it starts",
        ("phone_call_to", "8am"),
    ),
    (
        "contact",
        {"phone_call_voicemail": "maybe"},
        "phone_call_voicemail",
        "voicemail",
        ("code_word", "bluebell"),
    ),
    (
        "contact",
        {"text_message_safe": ""},
        "text_message_safe",
        "Select whether it is safe to contact you by text message",
        ("code_word", "bluebell"),
    ),
    (
        "contact",
        {"code_word": "c" * 101},
        "code_word",
        "100 characters or fewer",
        ("code_word", "c" * 101),
    ),
    (
        "experience",
        {"involvement": "onlooker"},
        "involvement",
        "Select what happened",
        ("crime_types", "burglary_home"),
    ),
    (
        "experience",
        {"crime_types": ["burglary_home", "prefer_not"]},
        "crime_types",
        "not both",
        ("crime_types", "burglary_home"),
    ),
    (
        "experience",
        {"crime_types": ["invented"]},
        "crime_types",
        "Select what it was about",
        ("involvement", "victim"),
    ),
    (
        "experience",
        {"when": "someday"},
        "when",
        "Select whether you want to tell us the year",
        ("crime_types", "burglary_home"),
    ),
    ("experience", {"year": "1900"}, "year", "Enter a year between 1950 and", ("year", "1900")),
    (
        "experience",
        {"year": ""},
        "year",
        "Enter roughly what year it was",
        ("crime_types", "burglary_home"),
    ),
    (
        "experience",
        {"court_case": "perhaps"},
        "court_case",
        "court case",
        ("crime_types", "burglary_home"),
    ),
    (
        "access-needs",
        {"needs": ["teleport"]},
        "needs",
        "Select what you need from the list",
        ("language", "Polish"),
    ),
    (
        "access-needs",
        {"language": ""},
        "language",
        "Enter the language you need an interpreter for",
        ("needs", "step_free"),
    ),
    (
        "access-needs",
        {"needs": ["other"], "other_need": ""},
        "other_need",
        "Tell us what else you need",
        ("needs", "other"),
    ),
    (
        "access-needs",
        {"needs": ["other"], "other_need": "a" * 501},
        "other_need",
        "500 characters or fewer",
        ("other_need", "a" * 501),
    ),
    ("taking-part", {"ways": []}, "ways", "Select at least one way", ("formats", "online")),
    (
        "taking-part",
        {"formats": ["by_pigeon"]},
        "formats",
        "Select online, in person, or both",
        ("ways", "surveys"),
    ),
    (
        "equality",
        {"equality_consent": ""},
        "equality_consent",
        "Tick the box to agree",
        ("age_band", "25_34"),
    ),
    (
        "equality",
        {"ethnicity": "unlisted"},
        "ethnicity",
        "that is on the list",
        ("age_band", "25_34"),
    ),
    (
        "equality",
        {"sexual_orientation": "x"},
        "sexual_orientation",
        "that is on the list",
        ("age_band", "25_34"),
    ),
    (
        "consents",
        {"consents": ["surveys"]},
        "consents",
        "To join, tick the box to agree to being a member",
        ("consents", "surveys"),
    ),
    (
        "consents",
        {"consents": ["membership", "selling_data"]},
        "consents",
        "Select from the list",
        ("consents", "membership"),
    ),
    (
        "password",
        {"sign_in": ""},
        "sign_in",
        "Select how you would like to sign in",
        ("sign_in", None),
    ),
    (
        "password",
        {"password": "short", "password_confirm": "short"},
        "password",
        "Password must be 12 characters or more",
        ("sign_in", "password"),
    ),
    (
        "password",
        {"password_confirm": "something else entirely"},
        "password_confirm",
        "The passwords do not match",
        ("sign_in", "password"),
    ),
    (
        "password",
        {"password": "robin@example.org 2024", "password_confirm": "robin@example.org 2024"},
        "password",
        "must not contain your email address",
        ("sign_in", "password"),
    ),
]


@pytest.mark.parametrize(
    ("slug", "changes", "field", "message", "kept"),
    CASES,
    ids=[f"{case[0]}-{case[2]}-{index}" for index, case in enumerate(CASES)],
)
async def test_bad_input_comes_back_with_a_message_and_the_answers_kept(
    client, slug, changes, field, message, kept
):
    await answer_pages(client, until=slug)
    response = await client.post(f"/join/{slug}", {**ANSWERS[slug], **changes}, expected=400)
    assert html.title(response).startswith("Error: ")
    assert html.text(response, ".govuk-error-summary__title") == "There is a problem"
    assert message in html.error_summary(response)[field]
    form = html.one(response, f"main form:has(#{field})")  # the summary's link leads to it
    assert message in html.field_error(form, field)
    kept_field, kept_value = kept
    shown = html.form_values(form, None).get(kept_field)
    if kept_value is None:
        assert shown is None
    else:
        assert kept_value in (shown if isinstance(shown, list) else [shown])


async def test_check_your_answers_is_a_fixed_number_of_queries(client):
    await answer_pages(client)
    with counted_queries() as queries:
        await client.http.get("/join/check")
    assert len(queries) <= 3, queries
    with counted_queries() as queries:
        await client.http.get("/join/experience")
    assert len(queries) <= 2, queries
