"""Joining: whether a way of contacting someone is safe is asked only when they gave it (no phone
questions without a phone number, voicemail only with calls, letters with no times), and a problem
on the contact page never points to another page without a link, nor reads twice."""

from __future__ import annotations

from typing import Any

from panel.members.tables import ContactPreference, Member
from tests.integration.signup.test_signup import ANSWERS, answer_pages
from tests.support import html

NO_PHONE_OR_ADDRESS = {**ANSWERS["details"], "phone": "", "postal_address": ""}
EMAIL_ONLY = {"email_safe": "any", "code_word": "bluebell"}


def asked(page: Any) -> list[str]:
    """The names of the contact page's questions, in order."""
    return list(
        dict.fromkeys(
            str(radio["name"]) for radio in html.select(page, "main form input[type=radio]")
        )
    )


async def test_without_a_phone_number_or_address_only_email_is_asked_about(client):
    await client.post("/join/details", NO_PHONE_OR_ADDRESS)
    page = await client.get("/join/contact")
    assert asked(page) == ["email_safe"]
    instead = html.one(page, "main form .govuk-inset-text")
    assert html.links(instead) == {
        "add a phone number": "/join/details",
        "add a postal address": "/join/details",
    }


async def test_with_a_phone_number_calls_and_texts_are_asked_and_letters_are_not(client):
    await client.post("/join/details", ANSWERS["details"])  # a phone number, no address
    page = await client.get("/join/contact")
    assert asked(page) == [
        "email_safe",
        "phone_call_safe",
        "phone_call_voicemail",
        "text_message_safe",
    ]
    # Voicemail follows the phone question, shown only while calls are safe (see panel.css).
    assert html.select(page, ".panel-voicemail input[name=phone_call_voicemail]")
    assert html.links(html.one(page, "main form .govuk-inset-text")) == {
        "add a postal address": "/join/details"
    }


async def test_two_newcomers_with_different_details_each_see_their_own_questions(
    client, make_client
):
    """The contact page's fields are kept once rendered for a blank form (kept_while_blank), by
    the ways of contact a person gave: a second newcomer in the same server must not be shown
    the first one's questions."""
    without = make_client()
    await client.post("/join/details", ANSWERS["details"])  # a phone number
    await without.post("/join/details", {**NO_PHONE_OR_ADDRESS, "email": "other@example.org"})
    for _ in range(2):
        assert "phone_call_safe" in asked(await client.get("/join/contact"))
        assert asked(await without.get("/join/contact")) == ["email_safe"]


async def test_letters_are_safe_or_not_with_no_times_to_choose(client):
    await client.post("/join/details", {**ANSWERS["details"], "postal_address": "1 High Street"})
    page = await client.get("/join/contact")
    post = {
        radio["value"]: html.text(page, f"label[for={radio['id']}]")
        for radio in html.select(page, "input[name=post_safe]")
    }
    assert post == {"any": "Yes", "no": "No"}


async def test_answers_sent_for_ways_not_given_are_not_kept(client):
    await client.post("/join/details", NO_PHONE_OR_ADDRESS)
    response = await client.post(
        "/join/contact",
        {**EMAIL_ONLY, "phone_call_safe": "any", "text_message_safe": "any", "post_safe": "any"},
    )
    assert response.headers["location"] == "/join/experience"
    answers = {slug: data for slug, data in ANSWERS.items() if slug not in {"details", "contact"}}
    await answer_pages(client, answers)
    check = await client.get("/join/check")
    rows = html.summary_list(html.section(check, "How to contact you safely"))
    assert rows == {"Email": "Safe at any time", "Code word": "bluebell"}
    await client.post("/join/check", {})
    member = await Member.select(Member.id).where(Member.user.email == "robin@example.org").first()
    safe = {
        row["channel"]: row["safe"]
        for row in await ContactPreference.select().where(ContactPreference.member == member["id"])
    }
    assert safe == {"email": True, "phone_call": False, "text_message": False, "post": False}


async def test_adding_a_phone_number_from_check_your_answers_asks_if_calls_are_safe(client):
    await answer_pages(client, {**ANSWERS, "details": NO_PHONE_OR_ADDRESS, "contact": EMAIL_ONLY})
    await client.get("/join/check")
    response = await client.post("/join/details?change=1", ANSWERS["details"])
    assert response.headers["location"] == "/join/contact?change=1"
    assert "phone_call_safe" in asked(await client.get("/join/contact?change=1"))
    # A change that gives no new way goes straight back.
    response = await client.post(
        "/join/details?change=1", {**ANSWERS["details"], "preferred_name": "Robyn"}
    )
    assert response.headers["location"] == "/join/check"


async def test_no_problem_on_the_contact_page_reads_twice_or_points_elsewhere(client):
    await client.post("/join/details", {**ANSWERS["details"], "postal_address": "1 High Street"})
    bad_times = {"days": "1", "from": "9am", "to": "8am"}
    response = await client.post(
        "/join/contact",
        {
            "email_safe": "some",
            **{f"email_{field}": value for field, value in bad_times.items()},
            "phone_call_safe": "some",
            **{f"phone_call_{field}": value for field, value in bad_times.items()},
            "text_message_safe": "some",
            "text_message_days": "9",
            "post_safe": "",
        },
        expected=400,
    )
    messages = html.error_messages(response)
    assert len(messages) == 4 and len(set(messages)) == 4
    for field in html.error_summary(response):
        assert html.select(response, f"main form #{field}"), field  # on this page
