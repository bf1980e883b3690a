"""What staff change on a member's record: pause and resume, leaving (after a confirmation, which
erases them), and do not contact with a reason; each audited, each refused when it makes no sense
(issue 4, point 2)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from panel.audit.tables import AuditEvent
from panel.consent.rules import Purpose
from panel.members.tables import Member
from panel.notify.rules import GateOutcome
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.outbox.services import enqueue
from panel.outbox.tables import OutboxMessage
from tests.support import html


async def member_row(member_id: int) -> dict:
    return await Member.select().where(Member.id == member_id).first()


async def last_event(action: str) -> dict | None:
    return await (
        AuditEvent.select()
        .where(AuditEvent.action == action)
        .order_by(AuditEvent.id, ascending=False)
        .first()
    )


async def waiting_message(member_id: int, purpose: Purpose | None, settings) -> None:
    await enqueue(
        messages.CONSENT_RENEWAL,
        "someone@example.org",
        settings,
        member_id=member_id,
        purpose=purpose.value if purpose else "",
        link="https://x",
        purposes=[],
        lapses_on="",
    )


async def statuses_of_messages(member_id: int) -> dict[str, str]:
    rows = await OutboxMessage.select(OutboxMessage.purpose, OutboxMessage.status).where(
        OutboxMessage.member_id == member_id
    )
    return {row["purpose"]: row["status"] for row in rows}


def pause_form(day: date | None) -> dict[str, str]:
    if day is None:
        return {"status": "paused", "pause": "until_resumed"}
    return {
        "status": "paused",
        "pause": "date",
        "until-day": str(day.day),
        "until-month": str(day.month),
        "until-year": str(day.year),
    }


async def test_staff_pause_a_member_until_a_date(client, staff, add_member, settings):
    member = await add_member("Alex")
    await waiting_message(member, Purpose.SURVEYS, settings)
    await waiting_message(member, None, settings)
    ends_on = date.today() + timedelta(days=60)

    response = await client.post(
        f"/staff/members/{member}/status", pause_form(ends_on), csrf_from=f"/staff/members/{member}"
    )

    assert response.headers["location"] == f"/staff/members/{member}?done=paused"
    row = await member_row(member)
    zone = ZoneInfo(settings.time_zone)
    assert row["status"] == "paused"
    assert row["paused_until"] == datetime.combine(ends_on, time(0), tzinfo=zone)
    # Nothing about the panel's work goes while paused; a message about their account still does.
    assert await statuses_of_messages(member) == {"surveys": "cancelled", "": "pending"}
    event = await last_event("membership_paused")
    assert (event["actor_id"], event["object_id"]) == (staff["id"], str(member))
    page = (await client.get(response.headers["location"])).text
    assert html.notification(page).startswith("Their membership is paused.")
    status = html.summary_list(html.section(page, "Status and contact"))["Status"]
    assert status == f"Paused, until {ends_on.day} {ends_on:%B %Y}"


async def test_staff_pause_until_further_notice_then_resume(client, staff, add_member):
    member = await add_member("Alex")
    record = f"/staff/members/{member}"
    await client.post(f"{record}/status", pause_form(None), csrf_from=record)
    row = await member_row(member)
    assert (row["status"], row["paused_until"]) == ("paused", None)
    page = await client.get(record)
    status = html.summary_list(html.section(page, "Status and contact"))["Status"]
    assert status == "Paused, until further notice"

    response = await client.post(f"{record}/status", {"status": "active"}, csrf_from=record)

    assert response.headers["location"] == f"{record}?done=active"
    assert (await member_row(member))["status"] == "active"
    assert (await last_event("membership_resumed"))["actor_id"] == staff["id"]


async def test_a_pause_date_that_makes_no_sense_is_explained_with_the_input_kept(
    client, staff, add_member
):
    member = await add_member("Alex")
    record = f"/staff/members/{member}"
    form = pause_form(None) | {"pause": "date", "until-day": "31", "until-month": "2"}
    response = await client.post(f"{record}/status", form, expected=400, csrf_from=record)
    assert html.title(response).startswith("Error: Alex \u2013 ")
    assert html.error_summary(response)["until"].startswith(
        "Enter the day the pause ends as a real date"
    )
    kept = html.form_values(response, 'form:has([name="until-day"])')
    assert (kept["pause"], kept["until-day"], kept["until-month"]) == ("date", "31", "2")
    assert (await member_row(member))["status"] == "active"


@pytest.mark.parametrize(
    ("status", "form", "why"),
    [
        ("active", {"status": "active"}, "Only a paused membership can be resumed."),
        ("verified", pause_form(None), "Only an approved member can be paused."),
        ("left", {"status": "left"}, "They have already left the panel."),
    ],
)
async def test_a_status_change_that_does_not_fit_is_refused(
    client, staff, add_member, status, form, why
):
    member = await add_member("Alex", status=status)
    record = f"/staff/members/{member}"
    response = await client.post(f"{record}/status", form, expected=409, csrf_from=record)
    assert html.error_summary(response)["status"].startswith(why)
    shown = html.text(html.section(response, "Change their status"), ".govuk-error-message")
    assert shown.removeprefix("Error: ").startswith(why)
    assert (await member_row(member))["status"] == status


async def test_leaving_is_confirmed_first_then_erases_them(client, staff, add_member):
    member = await add_member("Alex Leaving", consents=[Purpose.MEMBERSHIP])
    record = f"/staff/members/{member}"

    response = await client.post(f"{record}/status", {"status": "left"}, csrf_from=record)
    assert response.headers["location"] == f"{record}/leave"
    assert (await member_row(member))["status"] == "active"  # nothing happens before confirming

    page = (await client.get(f"{record}/leave")).text
    assert html.warning(page).startswith("This cannot be undone.")
    response = await client.post(f"{record}/leave", {}, expected=400)
    assert html.error_summary(response)["confirm"].startswith("Confirm they asked to leave")
    assert (await member_row(member))["status"] == "active"

    response = await client.post(f"{record}/leave", {"confirm": "yes"})

    assert response.headers["location"] == "/staff/members?done=erased"
    row = await member_row(member)
    assert (row["status"], row["preferred_name"], row["user"]) == ("erased", "", None)
    assert (await last_event("member_erased"))["actor_id"] == staff["id"]
    erased = await client.get(response.headers["location"])
    assert html.notification(erased).startswith("They have left the panel.")
    await client.get(record, expected=404)
    await client.get(f"{record}/leave", expected=404)


async def test_the_leave_page_of_someone_who_has_left_goes_back_to_their_record(
    client, staff, add_member
):
    member = await add_member("Alex", status="left")
    response = await client.http.get(f"/staff/members/{member}/leave")
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/staff/members/{member}",
    )


async def test_do_not_contact_needs_a_reason_and_stops_the_panel_s_messages(
    client, staff, add_member, settings
):
    member = await add_member("Alex", consents=[Purpose.MEMBERSHIP, Purpose.SURVEYS])
    record = f"/staff/members/{member}"
    await waiting_message(member, Purpose.SURVEYS, settings)

    response = await client.post(
        f"{record}/do-not-contact", {"do_not_contact": "yes"}, expected=400, csrf_from=record
    )
    assert html.error_summary(response) == {"reason": "Enter why they must not be contacted"}
    assert not (await member_row(member))["do_not_contact"]

    reason = "Their partner reads their email: phoned to ask us to stop"
    response = await client.post(
        f"{record}/do-not-contact", {"do_not_contact": "yes", "reason": reason}, csrf_from=record
    )

    assert response.headers["location"] == f"{record}?done=do_not_contact"
    row = await member_row(member)
    assert (row["do_not_contact"], row["do_not_contact_reason"]) == (True, reason)
    assert await statuses_of_messages(member) == {"surveys": "cancelled"}
    gate = await send_to_member(member, messages.CONSENT_RENEWAL, Purpose.SURVEYS, settings)
    assert (gate.outcome, gate.reason) == (GateOutcome.REFUSE, "marked do not contact")
    event = await last_event("do_not_contact_set")
    assert (event["actor_id"], event["object_id"]) == (staff["id"], str(member))
    assert reason not in event["detail"]  # the reason stays with the member, erased with them
    page = (await client.get(f"{record}?done=do_not_contact")).text
    assert html.warning(page) == f"Do not contact. {reason}"


async def test_do_not_contact_is_cleared_with_a_reason(client, staff, add_member):
    member = await add_member("Alex", do_not_contact=True, do_not_contact_reason="Asked")
    record = f"/staff/members/{member}"
    response = await client.post(
        f"{record}/do-not-contact", {"do_not_contact": "no"}, expected=400, csrf_from=record
    )
    assert html.error_summary(response) == {"reason": "Enter why they can be contacted again"}

    reason = "Moved house, email is safe again"
    response = await client.post(
        f"{record}/do-not-contact", {"do_not_contact": "no", "reason": reason}, csrf_from=record
    )

    assert response.headers["location"] == f"{record}?done=contact_allowed"
    row = await member_row(member)
    assert (row["do_not_contact"], row["do_not_contact_reason"]) == (False, reason)
    assert (await last_event("do_not_contact_cleared"))["actor_id"] == staff["id"]
    assert json.loads((await last_event("do_not_contact_cleared"))["detail"] or "{}") == {}


async def test_marking_someone_already_marked_is_refused(client, staff, add_member):
    member = await add_member("Alex", do_not_contact=True, do_not_contact_reason="Asked")
    record = f"/staff/members/{member}"
    response = await client.post(
        f"{record}/do-not-contact",
        {"do_not_contact": "yes", "reason": "Again"},
        expected=409,
        csrf_from=record,
    )
    assert html.error_messages(response) == ["They are already marked do not contact."]
    assert (await member_row(member))["do_not_contact_reason"] == "Asked"


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("status", {"status": "active"}),
        ("do-not-contact", {"do_not_contact": "yes", "reason": "x"}),
        ("leave", {"confirm": "yes"}),
    ],
)
async def test_changes_to_an_erased_member_are_not_found(client, staff, add_member, path, form):
    member = await add_member("Gone", status="erased")
    await client.post(
        f"/staff/members/{member}/{path}", form, expected=404, csrf_from="/staff/members"
    )
