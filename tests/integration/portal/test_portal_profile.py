"""A member changes what they told us: their details, how it is safe to contact them, what they
need, how they would like to take part and what happened. Each save is checked by the same code as
sign-up, audited, and a mistake comes back with the answers kept (issue: members, point 4)."""

from __future__ import annotations

import json

import pytest

from panel.audit.tables import AuditEvent
from panel.consent.rules import ConsentState, Purpose
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.outbox import messages
from panel.outbox.services import enqueue
from panel.outbox.tables import OutboxMessage
from tests.integration.conftest import sign_in
from tests.integration.portal.test_portal import states_of
from tests.support import html

SAFE_CONTACT = {
    "email_safe": "some",
    "email_days": ["0", "1", "2"],
    "email_from": "9am",
    "email_to": "17:30",
    "phone_call_safe": "any",
    "phone_call_voicemail": "no",
    "text_message_safe": "no",
    "post_safe": "no",
    "code_word": "bluebell",
}


@pytest.fixture
async def member(client, make_member):
    member = await make_member(preferred_name="Robin")
    await Member.update({Member.phone: "07700 900982"}).where(Member.id == member["member_id"])
    await sign_in(client, member)
    return member


async def member_row(member: dict) -> dict:
    return await Member.select().where(Member.id == member["member_id"]).first()


async def changes_recorded(member: dict) -> list[str]:
    rows = await AuditEvent.select(AuditEvent.detail).where(
        AuditEvent.action == "member_profile_changed",
        AuditEvent.object_id == str(member["member_id"]),
        AuditEvent.actor_id == member["id"],
    )
    return [json.loads(row["detail"])["topic"] for row in rows]


async def test_changing_my_details(client, member):
    page = (await client.get("/my-panel/details")).text
    assert html.form_values(page, "main form")["preferred_name"] == "Robin"
    assert html.texts(page, "main p")[0].startswith(
        f"Your email address is {member['email']}. To change it"
    )
    assert 'name="email"' not in page
    response = await client.post(
        "/my-panel/details",
        {
            "preferred_name": "Robyn",
            "phone": "01632 960001",
            "postal_address": "2 Low Road",
            "district": "dover",
        },
    )
    # An address given for the first time: the page says letters are not safe until they say so.
    assert response.headers["location"] == "/my-panel?done=saved&usable=post"
    saved = await client.get("/my-panel?done=saved")
    assert html.notification(saved) == "We have saved your changes."
    row = await member_row(member)
    assert (row["preferred_name"], row["phone"], row["postal_address"], row["district"]) == (
        "Robyn",
        "01632 960001",
        "2 Low Road",
        "dover",
    )
    assert await changes_recorded(member) == ["details"]


async def test_a_mistake_in_my_details_comes_back_with_my_answers(client, member):
    response = await client.post(
        "/my-panel/details",
        {"preferred_name": "", "phone": "12345", "postal_address": "3 Lane", "district": "dover"},
        expected=400,
    )
    assert html.title(response).startswith("Error: Change my details")
    assert list(html.error_summary(response)) == ["preferred_name", "phone"]
    kept = html.form_values(response, "main form")
    assert (kept["phone"], kept["postal_address"], kept["district"]) == ("12345", "3 Lane", "dover")
    assert (await member_row(member))["preferred_name"] == "Robin"
    assert await changes_recorded(member) == []


async def test_removing_my_phone_number_makes_calls_and_texts_unsafe(client, member):
    await ContactPreference.insert(
        ContactPreference(member=member["member_id"], channel="phone_call", safe=True),
        ContactPreference(member=member["member_id"], channel="text_message", safe=True),
    )
    await client.post(
        "/my-panel/details",
        {"preferred_name": "Robin", "phone": "", "postal_address": "", "district": "dover"},
    )
    safe = {
        row["channel"]: row["safe"]
        for row in await ContactPreference.select().where(
            ContactPreference.member == member["member_id"]
        )
    }
    assert safe == {"email": True, "phone_call": False, "text_message": False}


async def test_changing_how_it_is_safe_to_contact_me(client, member):
    page = (await client.get("/my-panel/contact")).text
    assert html.form_values(page, "main form")["email_safe"] == "any"
    await client.post("/my-panel/contact", SAFE_CONTACT)
    rows = {
        row["channel"]: row
        for row in await ContactPreference.select().where(
            ContactPreference.member == member["member_id"]
        )
    }
    assert set(rows) == {"email", "phone_call", "text_message", "post"}
    assert json.loads(rows["email"]["safe_times"]) == [
        {"days": [0, 1, 2], "start": "09:00", "end": "17:30"}
    ]
    assert rows["phone_call"]["safe"] and not rows["post"]["safe"]
    assert rows["phone_call"]["code_word"] == "bluebell"
    assert await changes_recorded(member) == ["safe contact"]
    shown = html.form_values(await client.get("/my-panel/contact"), "main form")
    assert (shown["email_safe"], shown["email_days"]) == ("some", ["0", "1", "2"])
    assert (shown["email_from"], shown["email_to"]) == ("09:00", "17:30")
    assert (shown["phone_call_safe"], shown["code_word"]) == ("any", "bluebell")


async def test_post_is_not_asked_about_without_an_address(client, member):
    shown = html.form_values(await client.get("/my-panel/contact"), "main form")
    assert "post_safe" not in shown and "phone_call_safe" in shown
    await client.post("/my-panel/contact", {**SAFE_CONTACT, "post_safe": "any"})
    post = await (
        ContactPreference.select()
        .where(ContactPreference.member == member["member_id"], ContactPreference.channel == "post")
        .first()
    )
    assert not post["safe"]


async def test_marking_email_unsafe_stops_what_was_waiting_to_be_sent(client, member, settings):
    await enqueue(
        messages.PASSWORD_CHANGED,
        member["email"],
        settings,
        member_id=member["member_id"],
        purpose=Purpose.SURVEYS,
    )
    await client.post("/my-panel/contact", {**SAFE_CONTACT, "email_safe": "no"})
    assert not await OutboxMessage.exists().where(
        OutboxMessage.member_id == member["member_id"], OutboxMessage.status == "pending"
    )


async def test_changing_what_i_need_to_take_part(client, member):
    await client.get("/my-panel/access-needs")
    response = await client.post(
        "/my-panel/access-needs", {"needs": ["interpreter"], "language": ""}, expected=400
    )
    assert list(html.error_summary(response)) == ["language"]
    await client.post(
        "/my-panel/access-needs", {"needs": ["interpreter", "step_free"], "language": "Polish"}
    )
    row = await AccessNeeds.select().where(AccessNeeds.member == member["member_id"]).first()
    assert json.loads(row["needs"]) == ["interpreter", "step_free"] and row["language"] == "Polish"
    shown = html.form_values(await client.get("/my-panel/access-needs"), "main form")
    assert (shown["needs"], shown["language"]) == (["interpreter", "step_free"], "Polish")


async def test_changing_how_i_would_like_to_take_part(client, member):
    response = await client.post("/my-panel/taking-part", {"ways": ["surveys"]}, expected=400)
    assert list(html.error_summary(response)) == ["formats"]
    assert html.form_values(response, "main form")["ways"] == "surveys"
    await client.post("/my-panel/taking-part", {"ways": ["surveys"], "formats": ["online"]})
    row = await member_row(member)
    assert json.loads(row["ways_to_take_part"]) == ["surveys"]
    assert json.loads(row["formats"]) == ["online"]
    assert await changes_recorded(member) == ["ways to take part"]


async def test_changing_what_happened(client, member):
    page = (await client.get("/my-panel/experience")).text
    questions = html.select(page, "main form fieldset")
    assert len(questions) == 4
    for question in questions:
        assert "Prefer not to say" in html.texts(question, "label"), html.text(question, "legend")
    response = await client.post(
        "/my-panel/experience", {"involvement": "both", "when": "year", "year": "1066"}, 400
    )
    assert list(html.error_summary(response)) == ["year"]
    assert html.form_values(response, "main form")["year"] == "1066"
    await client.post(
        "/my-panel/experience",
        {"involvement": "witness", "when": "prefer_not", "court_case": "no"},
    )
    row = await (
        ExperienceProfile.select().where(ExperienceProfile.member == member["member_id"]).first()
    )
    assert (row["involvement"], row["year"], row["court_case"]) == ("witness", "prefer_not", "no")
    await client.post("/my-panel/experience", {"involvement": "victim"})
    assert (
        await ExperienceProfile.count().where(ExperienceProfile.member == member["member_id"]) == 1
    )


async def test_answering_the_equality_questions_gives_the_consent_to_keep_them(client, member):
    page = (await client.get("/my-panel/equality")).text
    *questions, consent = html.select(page, "main form fieldset")
    for question in questions:
        assert "Prefer not to say" in html.texts(question, "label"), html.text(question, "legend")
    assert html.text(consent, "legend") == "Equality information"
    response = await client.post("/my-panel/equality", {"age_band": "25_34"}, expected=400)
    assert list(html.error_summary(response)) == ["equality_consent"]
    assert html.form_values(response, "main form") == {"age_band": "25_34"}
    await client.post(
        "/my-panel/equality", {"age_band": "25_34", "sex": "prefer_not", "equality_consent": "yes"}
    )
    row = await EqualityData.select().where(EqualityData.member == member["member_id"]).first()
    assert (row["age_band"], row["sex"]) == ("25_34", "prefer_not")
    assert (await states_of(member["member_id"]))[Purpose.EQUALITY_DATA] is ConsentState.GIVEN

    await client.post("/my-panel/equality", {})  # the box unticked: answers deleted
    assert not await EqualityData.exists().where(EqualityData.member == member["member_id"])
    assert (await states_of(member["member_id"]))[Purpose.EQUALITY_DATA] is (ConsentState.WITHDRAWN)


async def test_skipping_the_equality_questions_changes_nothing(client, member):
    response = await client.post("/my-panel/equality", {"skip": "yes", "age_band": "25_34"})
    assert response.headers["location"] == "/my-panel"
    assert not await EqualityData.exists().where(EqualityData.member == member["member_id"])
    assert await changes_recorded(member) == []
