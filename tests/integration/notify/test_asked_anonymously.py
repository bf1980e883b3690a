"""Nobody but the member can make the service write to them against their safety choices: emails
asked for by someone who is not signed in (a password reset, a sign-in link, joining with a known
address) go through the contact gate, never override the member's choices, are capped per
address, and the page answers the same whatever happened (issue: hardening, point 1)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from panel.account_links.tables import PasswordReset, SignInLink
from panel.accounts.rules import Role
from panel.members.tables import ContactPreference, Member
from panel.notify.tables import AnonymousMessage
from panel.outbox.tables import OutboxMessage

REQUESTS = {
    "a password reset": ("/forgot-password", "/forgot-password/sent"),
    "a sign-in link": ("/sign-in/link", "/sign-in/link/sent"),
}


async def outbox_to(email: str) -> list[dict]:
    return await OutboxMessage.select().where(OutboxMessage.to_address == email)


def next_opening_in_two_days(zone: ZoneInfo) -> tuple[list[dict], datetime]:
    """Safe times that exclude now (one hour, two days from now), and when they next open."""
    now = datetime.now(zone)
    day = (now + timedelta(days=2)).date()
    opening = datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone)
    return [{"days": [day.weekday()], "start": "09:00", "end": "10:00"}], opening


@pytest.mark.parametrize("request_kind", REQUESTS)
async def test_nothing_goes_by_email_when_the_member_said_email_is_not_safe(
    client, make_member, request_kind
):
    member = await make_member()
    await ContactPreference.update({ContactPreference.safe: False}).where(
        ContactPreference.member == member["member_id"]
    )
    form, answer = REQUESTS[request_kind]
    response = await client.post(form, {"email": member["email"]})
    assert response.headers["location"] == answer  # the same answer as for any address
    assert await outbox_to(member["email"]) == []
    assert not await PasswordReset.exists() and not await SignInLink.exists()


@pytest.mark.parametrize("request_kind", REQUESTS)
async def test_nothing_goes_to_a_member_marked_do_not_contact(client, make_member, request_kind):
    member = await make_member()
    await Member.update({Member.do_not_contact: True}).where(Member.id == member["member_id"])
    form, answer = REQUESTS[request_kind]
    response = await client.post(form, {"email": member["email"]})
    assert response.headers["location"] == answer
    assert await outbox_to(member["email"]) == []


@pytest.mark.parametrize("request_kind", REQUESTS)
async def test_outside_the_safe_times_it_waits_and_the_link_lasts_from_when_it_arrives(
    client, make_member, settings, request_kind
):
    member = await make_member()
    zone = ZoneInfo(settings.time_zone)
    windows, opening = next_opening_in_two_days(zone)
    await ContactPreference.update({ContactPreference.safe_times: json.dumps(windows)}).where(
        ContactPreference.member == member["member_id"]
    )
    form, _ = REQUESTS[request_kind]
    await client.post(form, {"email": member["email"]})
    [message] = await outbox_to(member["email"])
    assert message["next_attempt_at"] == opening.astimezone(UTC)
    table, lifetime = (
        (PasswordReset, timedelta(hours=1))
        if request_kind == "a password reset"
        else (SignInLink, timedelta(minutes=15))
    )
    [link] = await table.select(table.expires_at)
    assert link["expires_at"] == opening.astimezone(UTC) + lifetime


@pytest.mark.parametrize("request_kind", REQUESTS)
async def test_one_address_gets_at_most_three_an_hour(client, make_member, request_kind):
    member = await make_member()
    form, answer = REQUESTS[request_kind]
    for _ in range(6):
        response = await client.post(form, {"email": member["email"]})
        assert response.headers["location"] == answer
    assert len(await outbox_to(member["email"])) == 3


async def test_one_address_gets_at_most_ten_a_day(client, make_member):
    member = await make_member()
    earlier = datetime.now(UTC) - timedelta(hours=3)
    await AnonymousMessage.insert(
        *(
            AnonymousMessage(user=member["id"], at=earlier - timedelta(minutes=index))
            for index in range(9)
        )
    )
    for _ in range(3):
        await client.post("/forgot-password", {"email": member["email"]})
    assert len(await outbox_to(member["email"])) == 1  # the tenth of the day, then no more


async def test_staff_addresses_are_capped_too(client, make_user):
    staff = await make_user(Role.STAFF)
    for _ in range(5):
        await client.post("/forgot-password", {"email": staff["email"]})
    assert len(await outbox_to(staff["email"])) == 3


async def test_the_cap_counts_every_kind_of_anonymous_request_together(client, make_member):
    member = await make_member()
    await client.post("/forgot-password", {"email": member["email"]})
    await client.post("/sign-in/link", {"email": member["email"]})
    await client.post("/forgot-password", {"email": member["email"]})
    await client.post("/sign-in/link", {"email": member["email"]})
    assert len(await outbox_to(member["email"])) == 3


async def test_the_service_own_messages_are_not_counted_against_the_cap(make_member, settings):
    from panel.notify.services import send_to_member
    from panel.outbox import messages

    member = await make_member()
    for _ in range(5):
        await send_to_member(member["member_id"], messages.APPLICATION_APPROVED, None, settings)
    assert len(await outbox_to(member["email"])) == 5
    assert not await AnonymousMessage.exists()


async def test_joining_again_with_a_member_address_obeys_their_choices(make_member, settings):
    from panel.accounts.tables import User
    from panel.audit.services import Actor
    from panel.signup.services import tell_existing_account

    member = await make_member()
    await Member.update({Member.do_not_contact: True}).where(Member.id == member["member_id"])
    existing = await User.select().where(User.id == member["id"]).first()
    await tell_existing_account(existing, settings, Actor(None, "test"))
    assert await outbox_to(member["email"]) == []

    await Member.update({Member.do_not_contact: False}).where(Member.id == member["member_id"])
    for _ in range(4):
        await tell_existing_account(existing, settings, Actor(None, "test"))
    [*emails] = await outbox_to(member["email"])
    assert len(emails) == 3 and {email["subject"] for email in emails} == {
        "You already have an account"
    }


async def test_the_answer_page_is_the_same_whatever_happened(client, make_member):
    """Sent, held, refused or unknown: the page a stranger sees cannot tell them apart."""
    safe = await make_member()
    unsafe = await make_member()
    await ContactPreference.update({ContactPreference.safe: False}).where(
        ContactPreference.member == unsafe["member_id"]
    )
    pages = set()
    for email in (safe["email"], unsafe["email"], "nobody-here@example.org"):
        response = await client.post("/forgot-password", {"email": email})
        page = await client.get(response.headers["location"])
        pages.add(re.sub(r'(value|nonce)="[^"]*"', "", page.text))
    assert len(pages) == 1
