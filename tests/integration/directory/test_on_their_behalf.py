"""Staff change a member's details, safe contact and access needs for them, from their record: the
member's own questions and cleaning, one service for both, every change audited by topic without
a value, and the member told by a short neutral email through the contact gate (usability issue,
"What phone calls need", point 1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from panel.audit.tables import AuditEvent
from panel.members.tables import AccessNeeds, ContactPreference, Member
from panel.outbox import messages
from panel.outbox.tables import OutboxMessage
from tests.support import html

DETAILS = {
    "preferred_name": "Robyn",
    "phone": "01632 960001",
    "postal_address": "2 Low Road\nDover",
    "district": "dover",
}
SAFE_CONTACT = {
    "email_safe": "any",
    "phone_call_safe": "some",
    "phone_call_days": ["0", "1", "2", "3", "4"],
    "phone_call_from": "9am",
    "phone_call_to": "17:00",
    "phone_call_voicemail": "no",
    "text_message_safe": "no",
    "post_safe": "no",
    "code_word": "bluebell",
}


def record_of(member_id: int) -> str:
    return f"/staff/members/{member_id}"


async def notices_to(member_id: int) -> list[dict]:
    return await (
        OutboxMessage.select()
        .where(
            OutboxMessage.member_id == member_id,
            OutboxMessage.template == messages.DETAILS_CHANGED.template,
        )
        .order_by(OutboxMessage.id)
    )


async def changes_audited(member_id: int, action: str) -> list[dict]:
    rows = await (
        AuditEvent.select(AuditEvent.actor_id, AuditEvent.detail)
        .where(AuditEvent.action == action, AuditEvent.object_id == str(member_id))
        .order_by(AuditEvent.id)
    )
    return [{"by": row["actor_id"], **json.loads(row["detail"])} for row in rows]


@pytest.fixture
async def member(add_member) -> int:
    return await add_member("Robin", phone="07700 900982")


async def test_the_record_links_to_each_change_and_the_form_shows_what_they_told_us(
    client, staff, member
):
    record = await client.get(record_of(member))
    changes = html.one(record, "#change-for-them + p + ul")
    assert html.hrefs(changes) == [
        f"/staff/members/{member}/details",
        f"/staff/members/{member}/safe-contact",
        f"/staff/members/{member}/access-needs",
    ]

    page = await client.get(f"/staff/members/{member}/details")
    assert html.title(page).startswith("Change their details")
    assert html.text(page, "h1") == "Change their details"
    assert html.text(page, ".govuk-caption-l") == "Robin"
    assert html.form_values(page, "main form") == {
        "preferred_name": "Robin",
        "phone": "07700 900982",
        "postal_address": "",
        "district": "maidstone",
    }
    assert html.one(page, ".govuk-back-link")["href"] == record_of(member)
    opened = await changes_audited(member, "member_profile_opened_by_staff")
    assert opened == [{"by": staff["id"], "topic": "details"}]


async def test_staff_change_their_details_and_they_are_emailed_without_saying_what_changed(
    client, staff, member, settings
):
    response = await client.post(f"/staff/members/{member}/details", DETAILS)
    assert response.headers["location"] == f"{record_of(member)}?done=details&told=sent"

    row = await Member.select().where(Member.id == member).first()
    assert (row["preferred_name"], row["phone"], row["postal_address"], row["district"]) == (
        "Robyn",
        "01632 960001",
        "2 Low Road\nDover",
        "dover",
    )
    assert await changes_audited(member, "member_profile_changed_by_staff") == [
        {"by": staff["id"], "topic": "details"}
    ]
    assert await changes_audited(member, "member_profile_changed") == []

    [notice] = await notices_to(member)
    assert notice["subject"] == "We have updated your details"
    assert notice["status"] == "pending"
    for value in ("Robyn", "Robin", "01632", "Low Road", "Dover"):
        assert value not in notice["text_body"] and value not in notice["html_body"]
    assert f"{settings.base_url}/sign-in" in notice["text_body"]

    record = await client.get(response.headers["location"])
    assert html.notification(record) == (
        "Their details are saved. We have emailed them to say their details were "
        "updated. The email does not say what changed."
    )


async def test_a_mistake_comes_back_with_what_was_typed_and_nothing_is_saved(client, staff, member):
    page = await client.post(
        f"/staff/members/{member}/details",
        {**DETAILS, "preferred_name": "", "phone": "12345"},
        expected=400,
    )
    assert html.title(page).startswith("Error: Change their details")
    assert html.error_summary(page) == {
        "preferred_name": "Enter what you would like us to call you",
        "phone": "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
    }
    assert html.form_values(page, "main form")["phone"] == "12345"
    row = await Member.select(Member.preferred_name).where(Member.id == member).first()
    assert row["preferred_name"] == "Robin"
    assert await notices_to(member) == []
    assert await changes_audited(member, "member_profile_changed_by_staff") == []


async def test_removing_their_phone_number_makes_calls_and_texts_unsafe(client, staff, member):
    await ContactPreference.insert(
        ContactPreference(member=member, channel="phone_call", safe=True),
        ContactPreference(member=member, channel="text_message", safe=True),
    )
    await client.post(f"/staff/members/{member}/details", {**DETAILS, "phone": ""})
    rows = await ContactPreference.select(ContactPreference.channel, ContactPreference.safe).where(
        ContactPreference.member == member
    )
    assert {row["channel"]: row["safe"] for row in rows} == {
        "email": True,
        "phone_call": False,
        "text_message": False,
    }


async def test_staff_change_how_it_is_safe_to_contact_them(client, staff, member):
    page = await client.get(f"/staff/members/{member}/safe-contact")
    assert html.text(page, "h1") == "How it is safe to contact them"
    assert html.form_values(page, "main form")["email_safe"] == "any"

    response = await client.post(f"/staff/members/{member}/safe-contact", SAFE_CONTACT)
    assert response.headers["location"] == f"{record_of(member)}?done=safe_contact&told=sent"
    rows = await ContactPreference.select().where(ContactPreference.member == member)
    by_channel = {row["channel"]: row for row in rows}
    assert by_channel["phone_call"]["safe"] and not by_channel["post"]["safe"]
    assert json.loads(by_channel["phone_call"]["safe_times"]) == [
        {"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}
    ]
    assert {row["code_word"] for row in rows} == {"bluebell"}
    audited = await changes_audited(member, "member_profile_changed_by_staff")
    assert audited == [{"by": staff["id"], "topic": "safe contact"}]
    assert "bluebell" not in json.dumps(audited)


async def test_calls_cannot_be_safe_without_a_phone_number(client, staff, add_member):
    member = await add_member("Robin")
    page = await client.get(f"/staff/members/{member}/safe-contact")
    # Not asked about calls at all: the page says how to add a number instead.
    assert "phone_call_safe" not in html.form_values(page, "main form")
    assert f"/staff/members/{member}/details" in html.hrefs(page, "main form p a")
    await client.post(f"/staff/members/{member}/safe-contact", SAFE_CONTACT)
    rows = await ContactPreference.select().where(ContactPreference.member == member)
    assert not {row["channel"]: row["safe"] for row in rows}["phone_call"]


async def test_when_email_stops_being_safe_they_are_not_emailed_and_nothing_waiting_goes(
    client, staff, member
):
    await client.post(f"/staff/members/{member}/details", DETAILS)
    assert [row["status"] for row in await notices_to(member)] == ["pending"]
    response = await client.post(
        f"/staff/members/{member}/safe-contact", {**SAFE_CONTACT, "email_safe": "no"}
    )
    assert response.headers["location"].endswith("?done=safe_contact&told=not_sent")
    assert [row["status"] for row in await notices_to(member)] == ["cancelled"]
    record = await client.get(response.headers["location"])
    assert "They have not been emailed about it" in html.notification(record)


async def test_the_email_waits_for_their_next_safe_time(client, staff, member):
    today = datetime.now(ZoneInfo("Europe/London")).weekday()
    not_today = [str(day) for day in range(7) if day != today]
    response = await client.post(
        f"/staff/members/{member}/safe-contact",
        {**SAFE_CONTACT, "email_safe": "some", "email_days": not_today},
    )
    assert response.headers["location"].endswith("&told=held")
    [notice] = await notices_to(member)
    assert notice["next_attempt_at"] > datetime.now(UTC)
    record = await client.get(response.headers["location"])
    assert "will go at their next safe time" in html.notification(record)


async def test_one_email_covers_the_changes_of_one_call(client, staff, member):
    await client.post(f"/staff/members/{member}/details", DETAILS)
    response = await client.post(f"/staff/members/{member}/access-needs", {"needs": ["step_free"]})
    assert response.headers["location"].endswith("?done=access_needs&told=already")
    assert len(await notices_to(member)) == 1
    record = await client.get(response.headers["location"])
    assert html.notification(record) == (
        "What they need to take part is saved. They were emailed about a change in "
        "the last hour, so they have not been emailed again."
    )
    audited = await changes_audited(member, "member_profile_changed_by_staff")
    assert [change["topic"] for change in audited] == ["details", "access needs"]


async def test_a_change_after_the_last_email_has_gone_an_hour_is_told_again(client, staff, member):
    await client.post(f"/staff/members/{member}/details", DETAILS)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1, minutes=1)
    await OutboxMessage.update(
        {OutboxMessage.status: "sent", OutboxMessage.created_at: an_hour_ago}
    ).where(OutboxMessage.member_id == member)
    response = await client.post(f"/staff/members/{member}/details", DETAILS)
    assert response.headers["location"].endswith("&told=sent")
    assert [row["status"] for row in await notices_to(member)] == ["sent", "pending"]


async def test_someone_marked_do_not_contact_is_not_emailed(client, staff, member):
    await Member.update({Member.do_not_contact: True}).where(Member.id == member)
    response = await client.post(f"/staff/members/{member}/details", DETAILS)
    assert response.headers["location"].endswith("&told=not_sent")
    assert await notices_to(member) == []


async def test_staff_change_what_they_need_to_take_part(client, staff, member):
    page = await client.post(
        f"/staff/members/{member}/access-needs", {"needs": ["interpreter"]}, expected=400
    )
    assert html.error_summary(page) == {
        "language": "Enter the language you need an interpreter for"
    }
    await client.post(
        f"/staff/members/{member}/access-needs",
        {"needs": ["interpreter", "large_print"], "language": "Polish"},
    )
    row = await AccessNeeds.select().where(AccessNeeds.member == member).first()
    assert (json.loads(row["needs"]), row["language"]) == (["interpreter", "large_print"], "Polish")
    page = await client.get(f"/staff/members/{member}/access-needs")
    assert html.form_values(page, "main form") == {
        "needs": ["interpreter", "large_print"],
        "language": "Polish",
        "other_need": "",
    }


@pytest.mark.parametrize("status", ["left", "erased"])
async def test_nothing_of_someone_who_has_left_can_be_changed(client, staff, add_member, status):
    member = await add_member("Gone", status=status)
    other = await add_member("Still here")
    for topic in ("details", "safe-contact", "access-needs"):
        await client.get(f"/staff/members/{member}/{topic}", expected=404)
    await client.post(
        f"/staff/members/{member}/details",
        DETAILS,
        expected=404,
        csrf_from=f"/staff/members/{other}/details",
    )
    assert await changes_audited(member, "member_profile_opened_by_staff") == []


async def test_a_left_member_s_record_offers_no_changes(client, staff, add_member):
    member = await add_member("Leaving", status="left")
    record = await client.get(record_of(member))
    assert html.select(record, "#change-for-them") == []
