"""Every sign-up field's bad input comes back with status 400, the page titled "Error: …", a clear
message linked from the error summary, and the answers kept."""

from __future__ import annotations

import html
from typing import Any

import pytest

from tests.integration.signup.test_signup import ANSWERS, answer_pages
from tests.support.queries import counted_queries

# (page, changes to its valid answers, field with the error, words of the message, text that shows
# the answers were kept)
CASES: list[tuple[str, dict[str, Any], str, str, str]] = [
    (
        "details",
        {"preferred_name": ""},
        "preferred_name",
        "Enter what you would like us to call you",
        'value="robin@example.org"',
    ),
    (
        "details",
        {"preferred_name": "R" * 101},
        "preferred_name",
        "100 characters or fewer",
        'value="' + "R" * 101 + '"',
    ),
    (
        "details",
        {"email": "robin at example"},
        "email",
        "Enter an email address in the correct format",
        'value="robin at example"',
    ),
    ("details", {"phone": "12345"}, "phone", "Enter a UK phone number", 'value="12345"'),
    (
        "details",
        {"postal_address": "1 Long Road " * 50},
        "postal_address",
        "500 characters or fewer",
        "1 Long Road 1 Long Road",
    ),
    (
        "details",
        {"district": "atlantis"},
        "district",
        "Select the area you live in",
        'value="Robin"',
    ),
    (
        "contact",
        {"email_safe": "no"},
        "email_safe",
        "To join online, email must be safe",
        'value="bluebell"',
    ),
    (
        "contact",
        {"email_safe": ""},
        "email_safe",
        "Select whether it is safe to contact you by email",
        'value="bluebell"',
    ),
    (
        "contact",
        {"phone_call_days": []},
        "phone_call_days",
        "Select the days it is safe to contact you by phone call",
        'value="9am"',
    ),
    (
        "contact",
        {"phone_call_days": ["9"]},
        "phone_call_days",
        "Select only days on the list for phone call",
        'value="9am"',
    ),
    (
        "contact",
        {"phone_call_from": "breakfast"},
        "phone_call_from",
        "Enter the time it becomes safe",
        'value="breakfast"',
    ),
    (
        "contact",
        {"phone_call_to": "8am"},
        "phone_call_to",
        "must be after the time it starts",
        'value="8am"',
    ),
    (
        "contact",
        {"phone_call_voicemail": "maybe"},
        "phone_call_voicemail",
        "voicemail",
        'value="bluebell"',
    ),
    (
        "contact",
        {"text_message_safe": ""},
        "text_message_safe",
        "Select whether it is safe to contact you by text message",
        'value="bluebell"',
    ),
    (
        "contact",
        {"code_word": "c" * 101},
        "code_word",
        "100 characters or fewer",
        'value="' + "c" * 101 + '"',
    ),
    (
        "experience",
        {"involvement": "onlooker"},
        "involvement",
        "Select what happened",
        'value="burglary_home" checked',
    ),
    (
        "experience",
        {"crime_types": ["burglary_home", "prefer_not"]},
        "crime_types",
        "not both",
        'value="burglary_home" checked',
    ),
    (
        "experience",
        {"crime_types": ["invented"]},
        "crime_types",
        "Select what it was about",
        'value="victim" checked',
    ),
    (
        "experience",
        {"when": "someday"},
        "when",
        "Select whether you want to tell us the year",
        'value="burglary_home" checked',
    ),
    ("experience", {"year": "1900"}, "year", "Enter a year between 1950 and", 'value="1900"'),
    (
        "experience",
        {"year": ""},
        "year",
        "Enter roughly what year it was",
        'value="burglary_home" checked',
    ),
    (
        "experience",
        {"court_case": "perhaps"},
        "court_case",
        "court case",
        'value="burglary_home" checked',
    ),
    (
        "access-needs",
        {"needs": ["teleport"]},
        "needs",
        "Select what you need from the list",
        'value="Polish"',
    ),
    (
        "access-needs",
        {"language": ""},
        "language",
        "Enter the language you need an interpreter for",
        'value="step_free" checked',
    ),
    (
        "access-needs",
        {"needs": ["other"], "other_need": ""},
        "other_need",
        "Tell us what else you need",
        'value="other" checked',
    ),
    (
        "access-needs",
        {"needs": ["other"], "other_need": "a" * 501},
        "other_need",
        "500 characters or fewer",
        "a" * 501,
    ),
    ("taking-part", {"ways": []}, "ways", "Select at least one way", 'value="online" checked'),
    (
        "taking-part",
        {"formats": ["by_pigeon"]},
        "formats",
        "Select online, in person, or both",
        'value="surveys" checked',
    ),
    (
        "equality",
        {"equality_consent": ""},
        "equality_consent",
        "Tick the box to agree",
        'value="25_34" checked',
    ),
    (
        "equality",
        {"ethnicity": "unlisted"},
        "ethnicity",
        "that is on the list",
        'value="25_34" checked',
    ),
    (
        "equality",
        {"sexual_orientation": "x"},
        "sexual_orientation",
        "that is on the list",
        'value="25_34" checked',
    ),
    (
        "consents",
        {"consents": ["surveys"]},
        "consents",
        "To join, tick the box to agree to being a member",
        'value="surveys" checked',
    ),
    (
        "consents",
        {"consents": ["membership", "selling_data"]},
        "consents",
        "Select from the list",
        'value="membership" checked',
    ),
    (
        "password",
        {"sign_in": ""},
        "sign_in",
        "Select how you would like to sign in",
        "With a password",
    ),
    (
        "password",
        {"password": "short", "password_confirm": "short"},
        "password",
        "Password must be 12 characters or more",
        'value="password" checked',
    ),
    (
        "password",
        {"password_confirm": "something else entirely"},
        "password_confirm",
        "The passwords do not match",
        'value="password" checked',
    ),
    (
        "password",
        {"password": "robin@example.org 2024", "password_confirm": "robin@example.org 2024"},
        "password",
        "must not contain your email address",
        'value="password" checked',
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
    page = html.unescape(response.text)
    assert "<title>Error: " in page
    assert "There is a problem" in page and f'href="#{field}"' in page
    assert f'id="{field}"' in page, "the error summary links to the field"
    assert message in page
    assert kept in page


async def test_check_your_answers_is_a_fixed_number_of_queries(client):
    await answer_pages(client)
    with counted_queries() as queries:
        await client.http.get("/join/check")
    assert len(queries) <= 3, queries
    with counted_queries() as queries:
        await client.http.get("/join/experience")
    assert len(queries) <= 2, queries
