"""The staff page of a member's contact limits: what applies now, granting and revoking overrides
(issue: panel management, point 3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.engagements.services import record_attendance, record_invitation
from panel.engagements.tables import ContactOverride
from panel.members.tables import Member
from tests.support import html
from tests.support.queries import counted_queries


def page_of(member: dict) -> str:
    return f"/staff/members/{member['member_id']}/contact-limits"


def limits_now(page: str) -> dict[str, tuple[str, str]]:
    """Each row of "The limits now": the limit, what applies now, and its state."""
    return {row["Limit"]: (row["Now"], row["State"]) for row in html.table_rows(page, "table")}


async def audit_of(member: dict, action: str) -> list[dict]:
    return await AuditEvent.select().where(
        AuditEvent.action == action, AuditEvent.object_id == str(member["member_id"])
    )


async def overrides_of(member: dict) -> list[dict]:
    return await ContactOverride.select().where(ContactOverride.member == member["member_id"])


async def test_staff_see_each_limit_why_they_cannot_invite_and_when_they_can(
    client, signed_in, make_member, settings
):
    staff = await signed_in(Role.STAFF)
    member = await make_member(preferred_name="Robin")
    invited_at = datetime.now(UTC) - timedelta(days=12)
    await record_invitation(member["member_id"], "focus_group", None, invited_at)
    await record_attendance(member["member_id"], None, invited_at)
    page = (await client.get(page_of(member))).text
    assert html.title(page).startswith("Contact limits \u2013 Robin \u2013 ")
    assert html.text(page, ".govuk-caption-l") == "Robin"
    verdict = html.one(page, ".govuk-inset-text")
    assert html.text(verdict, "p:first-child") == "They cannot be invited now:"
    assert html.texts(verdict, "li") == ["Invited 12 days ago: the cool-down is 30 days."]
    clears_at = (invited_at + timedelta(days=30)).astimezone(ZoneInfo(settings.time_zone))
    clears_on = clears_at.strftime("%-d %B %Y")
    limits = limits_now(page)
    assert limits["No invitation for 30 days after the last"][1] == f"Reached clears on {clears_on}"
    sessions = limits["At most 4 sessions taken part in over 12 months"]
    assert sessions[0].startswith("1 in the last 12 months") and sessions[1] == "Clear"
    assert limits["At most 3 invitations in 90 days"] == ("1 in the last 90 days", "Clear")
    [viewed] = await audit_of(member, "contact_limits_viewed")
    assert viewed["actor_id"] == staff["id"]


async def test_a_member_within_the_limits_may_be_invited(client, signed_in, make_member):
    await signed_in(Role.ADMIN)
    member = await make_member()
    page = (await client.get(page_of(member))).text
    assert html.text(page, ".govuk-inset-text") == "They may be invited now."
    assert limits_now(page)["No invitation for 30 days after the last"] == (
        "Never invited",
        "Clear",
    )


async def test_granting_an_override_needs_a_reason_and_keeps_what_was_typed(
    client, signed_in, make_member
):
    await signed_in(Role.STAFF)
    member = await make_member()
    response = await client.post(page_of(member), {"reason": "   "}, expected=400)
    assert html.title(response).startswith("Error: Contact limits \u2013 ")
    assert list(html.error_summary(response)) == ["reason"]
    too_long = "They asked us to. " * 30
    response = await client.post(page_of(member), {"reason": too_long}, expected=400)
    assert "500 characters or fewer" in html.field_error(response, "reason")
    assert html.form_values(response, "main form")["reason"] == too_long
    assert await overrides_of(member) == []
    assert await audit_of(member, "contact_override_granted") == []


async def test_an_override_is_granted_for_14_days_and_audited_without_its_words(
    client, signed_in, make_member, settings
):
    staff = await signed_in(Role.STAFF)
    member = await make_member()
    await record_invitation(member["member_id"], "survey", None, datetime.now(UTC))
    response = await client.post(
        page_of(member), {"reason": "Asked to join the group about their area"}
    )
    assert response.headers["location"] == page_of(member) + "?done=granted"
    page = (await client.get(response.headers["location"])).text
    assert html.notification(page).startswith("Override granted.")
    [waiting] = html.table_rows(html.section(page, "Overrides"))
    assert waiting["Reason"] == "Asked to join the group about their area"
    assert waiting["Granted (UK time)"].endswith(f", by {staff['email']}")
    assert html.text(page, ".govuk-inset-text p").startswith(
        "An override lets one invitation through these limits"
    )
    [override] = await overrides_of(member)
    assert override["granted_by"] == staff["id"]
    assert override["expires_at"] - override["granted_at"] == timedelta(days=14)
    [granted] = await audit_of(member, "contact_override_granted")
    assert granted["actor_id"] == staff["id"]
    assert json.loads(granted["detail"])["override_id"] == override["id"]
    assert "Asked" not in granted["detail"]


async def test_an_override_can_be_revoked_and_that_is_audited(client, signed_in, make_member):
    await signed_in(Role.STAFF)
    member = await make_member()
    await client.post(page_of(member), {"reason": "Asked to join"})
    [override] = await overrides_of(member)
    revoke = f"{page_of(member)}/overrides/{override['id']}/revoke"
    response = await client.post(revoke, csrf_from=page_of(member))
    assert response.headers["location"] == page_of(member) + "?done=revoked"
    page = (await client.get(response.headers["location"])).text
    assert html.notification(page).startswith("Override revoked.")
    assert "No override is waiting to be used." in html.texts(html.section(page, "Overrides"), "p")
    assert len(await audit_of(member, "contact_override_revoked")) == 1
    # Revoking twice changes nothing more.
    await client.post(revoke, csrf_from=page_of(member))
    assert len(await audit_of(member, "contact_override_revoked")) == 1


async def test_another_members_override_cannot_be_revoked_from_this_page(
    client, signed_in, make_member
):
    await signed_in(Role.STAFF)
    member, other = await make_member(), await make_member()
    await client.post(page_of(other), {"reason": "Asked to join"})
    [override] = await overrides_of(other)
    await client.post(
        f"{page_of(member)}/overrides/{override['id']}/revoke",
        csrf_from=page_of(member),
        expected=404,
    )
    [still] = await overrides_of(other)
    assert still["expires_at"] == override["expires_at"]


async def test_do_not_contact_is_shown_and_no_override_is_granted(client, signed_in, make_member):
    await signed_in(Role.STAFF)
    member = await make_member()
    await Member.update(
        {Member.do_not_contact: True, Member.do_not_contact_reason: "Asked for a break"}
    ).where(Member.id == member["member_id"])
    page = (await client.get(page_of(member))).text
    assert limits_now(page)["Do not contact"] == (
        "Marked do not contact: Asked for a break",
        "Reached until changed on their record",
    )
    assert "Grant override" not in page
    response = await client.post(page_of(member), {"reason": "Please"}, expected=400)
    assert "An override cannot lift that" in html.error_summary(response)["reason"]
    assert await overrides_of(member) == []


@pytest.mark.parametrize("status", ["erased", None])
async def test_an_erased_or_unknown_member_is_not_found(client, signed_in, make_member, status):
    await signed_in(Role.STAFF)
    path = (
        page_of(await make_member(status="erased")) if status else "/staff/members/0/contact-limits"
    )
    await client.get(path, expected=404)
    await client.post(path, {"reason": "Asked"}, csrf_from="/staff", expected=404)


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.BOARD, Role.MEMBER])
async def test_only_staff_and_admins_can_open_it(client, signed_in, make_member, role):
    member = await make_member()
    await signed_in(role)
    await client.get(page_of(member), expected=403)


async def test_the_page_takes_the_same_queries_however_long_the_history(
    client, signed_in, make_member
):
    await signed_in(Role.STAFF)
    short, long = await make_member(), await make_member()
    now = datetime.now(UTC)
    for member in (short, long):
        await client.post(page_of(member), {"reason": "Asked"})
    for day in range(1, 200):
        await record_invitation(long["member_id"], "survey", None, now - timedelta(days=day))
        await record_attendance(long["member_id"], None, now - timedelta(days=day))
    with counted_queries() as for_short:
        await client.get(page_of(short))
    with counted_queries() as for_long:
        await client.get(page_of(long))
    assert len(for_short) == len(for_long)
