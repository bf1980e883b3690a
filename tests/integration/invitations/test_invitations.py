"""Invitations (issue: engagements, point 5): staff invite the chosen panel through the contact
gate; each email carries a personal link that answers that one invitation without signing in;
accepting takes a place or joins the waiting list; declining or cancelling passes the place on;
reminders, a calendar file and rescheduling notices hold nothing that says what the session is."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.consent.rules import Purpose
from panel.engagements.tables import Engagement, Invitation, InvitationLink
from panel.invitations.services import send_reminders
from panel.members.tables import AccessNeeds, Member
from panel.outbox.tables import OutboxMessage
from tests.integration.conftest import sign_in
from tests.support import html
from tests.support.engagements import SOON, plan_form
from tests.support.queries import counted_queries

FOCUS = (Purpose.MEMBERSHIP, Purpose.FOCUS_GROUPS)
LINK = re.compile(r"http://127\.0\.0\.1:8000(/invitation/[A-Za-z0-9_-]+)")


@pytest.fixture
async def chosen(client, signed_in, make_member, make_engagement):
    """A recruiting focus group with 2 places, and a selection of 2 with 2 reserves from a pool of
    four members (named Ash, Bo, Cy and Di). Staff are signed in."""

    async def make(capacity: int = 2, panel: int = 2, reserves: int = 2, pool: int = 4) -> dict:
        await signed_in(Role.STAFF)
        engagement_id = await make_engagement("recruiting", capacity=capacity, reserves=reserves)
        members = {}
        for name in ("Ash", "Bo", "Cy", "Di", "Ed", "Flo")[:pool]:
            members[name] = await make_member(consents=FOCUS, preferred_name=name)
        response = await client.post(
            f"/staff/engagements/{engagement_id}/select",
            {"panel_size": str(panel), "reserves": str(reserves), "seed": "7"},
        )
        selection_page = await client.get(response.headers["location"])
        ordered = [row["Member"] for row in html.table_rows(selection_page.text, "#panel")]
        if reserves:
            ordered += [row["Member"] for row in html.table_rows(selection_page.text, "#reserves")]
        return {
            "engagement_id": engagement_id,
            "members": members,
            "panel": ordered[:panel],
            "reserves": ordered[panel:],
            "by_name": {name: member for name, member in members.items()},
        }

    return make


async def send(client, engagement_id: int) -> str:
    path = f"/staff/engagements/{engagement_id}/invitations"
    response = await client.post(f"{path}/send", csrf_from=path)
    return (await client.get(response.headers["location"])).text


async def emails_to(member: dict) -> list[dict]:
    return await (
        OutboxMessage.select()
        .where(OutboxMessage.to_address == member["email"])
        .order_by(OutboxMessage.id)
    )


async def link_of(member: dict, template: str = "session_invitation") -> str:
    found = [email for email in await emails_to(member) if email["template"] == template]
    assert found, f"no {template} email to {member['email']}"
    match = LINK.search(found[-1]["text_body"])
    assert match, found[-1]["text_body"]
    return match.group(1)


async def status_of(member: dict) -> str:
    row = (
        await Invitation.select(Invitation.status)
        .where(Invitation.member == member["member_id"])
        .first()
    )
    return row["status"] if row else ""


async def test_the_chosen_panel_is_invited_with_a_personal_link_and_a_neutral_email(client, chosen):
    setup = await chosen()
    page = await send(client, setup["engagement_id"])
    assert html.text(page, ".govuk-notification-banner").endswith("2 invited.")
    rows = html.table_rows(page, "#invitees")
    assert sorted(row["Member"] for row in rows) == sorted(setup["panel"])
    assert {row["Answer"] for row in rows} == {"Invited: no answer yet"}
    assert all(row["Chance"].endswith("%") for row in rows)
    facts = html.summary_list(page, "#places")
    assert facts["Chosen but not yet asked"] == "2"
    for name in setup["panel"]:
        [email] = await emails_to(setup["by_name"][name])
        assert email["subject"] == "An invitation to a meeting"
        # The date and time only: what the session is about is behind the link.
        assert "Updates during an investigation" not in email["text_body"]
        assert "Updates during an investigation" not in email["html_body"]
        assert LINK.search(email["text_body"])
    for name in setup["reserves"]:
        assert await emails_to(setup["by_name"][name]) == []
    # Only the token's hash is kept.
    links = await InvitationLink.select(InvitationLink.token_hash)
    assert len(links) == 2
    token = (await link_of(setup["by_name"][setup["panel"][0]])).rsplit("/", 1)[1]
    assert all(token not in row["token_hash"] for row in links)
    [event] = await AuditEvent.select().where(AuditEvent.action == "invitations_sent")
    assert json.loads(event["detail"]) == {"invited": 2, "not_now": 0}


async def test_a_member_accepts_through_their_link_with_needs_and_costs_once_only(
    client, chosen, make_client
):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    member = setup["by_name"][setup["panel"][0]]
    await AccessNeeds.insert(
        AccessNeeds(member=member["member_id"], needs=json.dumps(["step_free"]))
    )
    link = await link_of(member)
    browser = make_client("198.51.100.20")  # not signed in
    page = (await browser.get(link)).text
    assert html.text(page, "h1") == "Updates during an investigation"
    assert (
        html.text(page, "#about") == "A two-hour conversation about how you were kept up to date."
    )
    # What their record says they need is ticked to start from.
    assert html.form_values(page, "#accept")["needs"] == "step_free"

    response = await browser.post(
        f"{link}/accept",
        {
            "needs": ["step_free", "hearing_loop"],
            "anything_else": "An aisle seat",
            "costs": ["travel"],
        },
        csrf_from=link,
    )
    page = (await browser.get(response.headers["location"])).text
    assert "You have a place" in html.text(page, ".govuk-notification-banner")
    assert html.text(page, "#state") == "Your answer: Coming"
    told = html.summary_list(page, "#told")
    assert told["Costs you expect to claim"] == "Travel"
    assert "An aisle seat" in told["What you need for this meeting"]
    assert html.select(page, "#accept") == [] and html.select(page, "#cancel") != []
    row = await Invitation.select().where(Invitation.member == member["member_id"]).first()
    assert row["status"] == "accepted" and row["claims_travel"] and not row["claims_care"]
    assert json.loads(row["session_needs"]) == ["step_free", "hearing_loop"]

    # The same answer cannot be given twice.
    page = await browser.post(f"{link}/accept", {}, csrf_from=link, expected=409)
    assert "already answered" in html.text(page.text, ".govuk-error-summary")


async def test_a_form_with_mistakes_comes_back_as_typed(client, chosen, make_client):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    link = await link_of(setup["by_name"][setup["panel"][0]])
    browser = make_client("198.51.100.21")
    page = await browser.post(
        f"{link}/accept",
        {"anything_else": "x" * 501, "costs": ["taxi"], "needs": ["large_print"]},
        csrf_from=link,
        expected=400,
    )
    assert html.error_summary(page.text) == {
        "anything_else": "Anything else we should know must be 500 characters or fewer",
        "costs": "Select the costs from the list",
    }
    assert html.form_values(page.text, "#accept")["anything_else"] == "x" * 501
    assert html.form_values(page.text, "#accept")["needs"] == "large_print"
    assert await status_of(setup["by_name"][setup["panel"][0]]) == "invited"


async def test_declining_invites_the_first_reserve_through_the_gate(client, chosen, make_client):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    decliner = setup["by_name"][setup["panel"][0]]
    link = await link_of(decliner)
    browser = make_client("198.51.100.22")
    response = await browser.post(f"{link}/decline", {}, csrf_from=link)
    page = (await browser.get(response.headers["location"])).text
    assert "Thank you for letting us know" in html.text(page, ".govuk-notification-banner")
    assert html.select(page, "form#accept, form#decline, form#cancel") == []
    assert await status_of(decliner) == "declined"
    first_reserve = setup["by_name"][setup["reserves"][0]]
    assert await status_of(first_reserve) == "invited"
    assert [email["template"] for email in await emails_to(first_reserve)] == ["session_invitation"]
    assert await emails_to(setup["by_name"][setup["reserves"][1]]) == []


async def test_more_acceptances_than_places_make_a_waiting_list_that_moves_up(
    client, chosen, make_client
):
    setup = await chosen(capacity=1, panel=2, reserves=0, pool=2)
    await send(client, setup["engagement_id"])
    first, second = (setup["by_name"][name] for name in setup["panel"])
    browser = make_client("198.51.100.23")
    first_link, second_link = await link_of(first), await link_of(second)
    await browser.post(f"{first_link}/accept", {}, csrf_from=first_link)
    response = await browser.post(f"{second_link}/accept", {}, csrf_from=second_link)
    page = (await browser.get(response.headers["location"])).text
    assert "waiting list" in html.text(page, ".govuk-notification-banner")
    assert "number 1" in html.text(page, "#state")
    assert (await status_of(first), await status_of(second)) == ("accepted", "waiting")

    await browser.post(f"{first_link}/cancel", {}, csrf_from=first_link)
    assert (await status_of(first), await status_of(second)) == ("cancelled", "accepted")
    assert [email["template"] for email in await emails_to(second)] == [
        "session_invitation",
        "place_offered",
    ]
    # The new email's link works too.
    page = (await browser.get(await link_of(second, "place_offered"))).text
    assert html.text(page, "#state") == "Your answer: Coming"


async def test_a_link_shows_only_its_own_invitation_and_ends_with_the_session(
    client, chosen, make_client
):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    one, other = (setup["by_name"][name] for name in setup["panel"])
    browser = make_client("198.51.100.24")
    link = await link_of(one)
    await browser.post(f"{link}/accept", {"anything_else": "Sign language"}, csrf_from=link)
    other_page = (await browser.get(await link_of(other))).text
    assert "Sign language" not in other_page
    assert html.text(other_page, "#state") == "Your answer: Invited: no answer yet"
    await browser.get("/invitation/not-a-real-token", expected=404)
    await browser.get("/invitation/not-a-real-token/meeting.ics", expected=404)
    # Once the session is over, the link no longer opens.
    await Engagement.update(
        {
            Engagement.starts_at: SOON - timedelta(days=60),
            Engagement.ends_at: SOON - timedelta(days=59),
        }
    ).where(Engagement.id == setup["engagement_id"])
    await browser.get(link, expected=404)


async def test_the_calendar_file_is_for_those_coming_and_names_nothing(client, chosen, make_client):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    link = await link_of(setup["by_name"][setup["panel"][0]])
    browser = make_client("198.51.100.25")
    await browser.get(f"{link}/meeting.ics", expected=404)  # not accepted yet
    await browser.post(f"{link}/accept", {}, csrf_from=link)
    response = await browser.get(f"{link}/meeting.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text
    assert "SUMMARY:Meeting" in body
    assert "DTSTART:" + SOON.strftime("%Y%m%dT%H%M%SZ") in body
    for revealing in ("Updates", "investigation", "victim", "Community hall", "Maidstone"):
        assert revealing not in body


async def test_members_see_and_answer_their_invitations_in_the_portal_and_no_one_elses(
    client, chosen, make_client
):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    one, other = (setup["by_name"][name] for name in setup["panel"])
    [mine] = await Invitation.select(Invitation.id).where(Invitation.member == one["member_id"])
    [theirs] = await Invitation.select(Invitation.id).where(Invitation.member == other["member_id"])
    browser = make_client("198.51.100.26")
    await sign_in(browser, one)
    page = (await browser.get("/my-panel/invitations")).text
    [line] = html.table_rows(page, "#invitations")
    assert line["Meeting"] == "Updates during an investigation"
    assert line["Your answer"] == "Waiting for your answer"
    path = f"/my-panel/invitations/{mine['id']}"
    assert html.hrefs(page, "#invitations a") == [path]
    await browser.get(f"/my-panel/invitations/{theirs['id']}", expected=404)
    await browser.post(
        f"/my-panel/invitations/{theirs['id']}/decline", {}, csrf_from=path, expected=404
    )
    assert await status_of(other) == "invited"
    response = await browser.post(f"{path}/accept", {"costs": ["care"]}, csrf_from=path)
    assert response.headers["location"] == f"{path}?done=accepted"
    assert await status_of(one) == "accepted"
    assert (await browser.get(f"{path}/meeting.ics")).status_code == 200
    await browser.get(f"/my-panel/invitations/{theirs['id']}/meeting.ics", expected=404)


async def test_reminders_go_to_those_coming_once_each_day_set(
    client, chosen, make_client, settings
):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    coming, silent = (setup["by_name"][name] for name in setup["panel"])
    link = await link_of(coming)
    await make_client("198.51.100.27").post(f"{link}/accept", {}, csrf_from=link)
    # Accepted three weeks ahead; the reminders are due a week and a day before.
    assert await send_reminders(settings, now=SOON - timedelta(days=8)) == 0
    assert await send_reminders(settings, now=SOON - timedelta(days=6)) == 1
    assert await send_reminders(settings, now=SOON - timedelta(days=5)) == 0
    assert await send_reminders(settings, now=SOON - timedelta(hours=20)) == 1
    assert await send_reminders(settings, now=SOON - timedelta(hours=2)) == 0
    reminders = [e for e in await emails_to(coming) if e["template"] == "session_reminder"]
    assert len(reminders) == 2
    assert reminders[0]["subject"] == "A reminder about your meeting"
    assert "Updates during an investigation" not in reminders[0]["text_body"]
    assert [e["template"] for e in await emails_to(silent)] == ["session_invitation"]


async def test_moving_the_session_tells_everyone_still_invited_by_date_only(client, chosen):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    later = SOON + timedelta(days=2)
    await client.post(
        f"/staff/engagements/{setup['engagement_id']}/change",
        plan_form(
            **{
                "date-day": str(later.day),
                "date-month": str(later.month),
                "date-year": str(later.year),
            }
        ),
    )
    for name in setup["panel"]:
        moved = [
            e for e in await emails_to(setup["by_name"][name]) if e["template"] == "session_moved"
        ]
        assert len(moved) == 1
        assert moved[0]["subject"] == "A change to a meeting"
        assert later.strftime("%-d %B %Y") in moved[0]["text_body"]
        assert "Updates during an investigation" not in moved[0]["text_body"]
    for name in setup["reserves"]:
        assert await emails_to(setup["by_name"][name]) == []


async def test_staff_mark_support_arranged_and_the_facilitator_sees_it(
    client, chosen, make_client, make_user
):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    member = setup["by_name"][setup["panel"][0]]
    link = await link_of(member)
    await make_client("198.51.100.28").post(
        f"{link}/accept", {"needs": ["large_print"]}, csrf_from=link
    )
    [invitation] = await Invitation.select(Invitation.id).where(
        Invitation.member == member["member_id"]
    )
    path = f"/staff/engagements/{setup['engagement_id']}/invitations"
    await client.post(f"{path}/{invitation['id']}/support", {"arranged": "yes"}, csrf_from=path)
    page = (await client.get(path)).text
    row = next(r for r in html.table_rows(page, "#invitees") if r["Answer"] == "Coming")
    assert row["Support"].startswith("Arranged")
    assert row["Needs for the session"] == "Large print"

    facilitator = await make_user(Role.FACILITATOR)
    from panel.engagements.tables import EngagementFacilitator

    await EngagementFacilitator.insert(
        EngagementFacilitator(engagement=setup["engagement_id"], facilitator=facilitator["id"])
    )
    browser = make_client("198.51.100.29")
    await sign_in(browser, facilitator)
    page = (await browser.get(f"/facilitator/engagements/{setup['engagement_id']}")).text
    [line] = html.texts(page, "#participants li")
    assert line == f"{member_name(setup, member)}. Needs: Large print. Support arranged by staff"
    assert member["email"] not in page


def member_name(setup: dict, member: dict) -> str:
    return next(name for name, found in setup["by_name"].items() if found is member)


async def test_invitations_wait_for_recruiting_and_a_selection(client, signed_in, make_engagement):
    await signed_in(Role.STAFF)
    draft = await make_engagement("draft")
    path = f"/staff/engagements/{draft}/invitations"
    page = await client.post(f"{path}/send", csrf_from=f"/staff/engagements/{draft}", expected=409)
    assert "only while recruiting" in html.text(page.text, ".govuk-error-summary")
    recruiting = await make_engagement("recruiting")
    page = (await client.get(f"/staff/engagements/{recruiting}/invitations")).text
    assert html.select(page, "#send") == []
    assert "Nobody has been chosen yet" in html.text(page, "#no-selection")
    await client.get("/staff/engagements/999999/invitations", expected=404)


async def test_the_staff_page_reads_a_fixed_number_of_queries(client, chosen, app):
    small = await chosen(capacity=2, panel=2, reserves=0, pool=2)
    await send(client, small["engagement_id"])
    with counted_queries() as few:
        await client.get(f"/staff/engagements/{small['engagement_id']}/invitations")
    large = await chosen(capacity=6, panel=6, reserves=0, pool=6)
    await send(client, large["engagement_id"])
    with counted_queries() as many:
        page = await client.get(f"/staff/engagements/{large['engagement_id']}/invitations")
    assert len(html.table_rows(page.text, "#invitees")) == 6
    assert len(many) == len(few)


async def test_a_member_erased_leaves_no_link_or_needs(client, chosen, make_client, settings):
    from panel.audit.services import Actor
    from panel.erasure import leave_and_erase

    setup = await chosen()
    await send(client, setup["engagement_id"])
    member = setup["by_name"][setup["panel"][0]]
    link = await link_of(member)
    await make_client("198.51.100.30").post(
        f"{link}/accept", {"anything_else": "My own words"}, csrf_from=link
    )
    await leave_and_erase(member["member_id"], settings, Actor(None, "test"))
    assert await InvitationLink.count().where(InvitationLink.member == member["member_id"]) == 0
    rows = await Invitation.select().where(Invitation.member == member["member_id"])
    assert all(row["session_needs_other"] == "" for row in rows)
    assert (await Member.select(Member.status).where(Member.id == member["member_id"]).first())[
        "status"
    ] == "erased"


async def test_a_cancelled_session_takes_no_answers_and_tells_the_waiting_list_too(
    client, chosen, make_client
):
    setup = await chosen(capacity=1, panel=2, reserves=0, pool=2)
    await send(client, setup["engagement_id"])
    first, second = (setup["by_name"][name] for name in setup["panel"])
    browser = make_client("198.51.100.31")
    first_link, second_link = await link_of(first), await link_of(second)
    await browser.post(f"{first_link}/accept", {}, csrf_from=first_link)
    await browser.post(f"{second_link}/accept", {}, csrf_from=second_link)
    path = f"/staff/engagements/{setup['engagement_id']}"
    await client.post(f"{path}/cancel", {"reason": "The venue closed"})
    for member in (first, second):
        assert await status_of(member) == "cancelled"
        templates = [email["template"] for email in await emails_to(member)]
        assert templates[-1] == "session_cancelled"
    page = (await browser.get(second_link)).text
    assert html.text(page, "#state").startswith("This meeting has been cancelled")
    assert html.select(page, "main form") == []
    page = await browser.post(f"{second_link}/accept", {}, csrf_from="/sign-in", expected=409)
    assert "cancelled" in html.text(page.text, ".govuk-error-summary")


async def test_support_is_marked_only_for_someone_with_a_place(client, chosen):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    [invitation] = await Invitation.select(Invitation.id).where(
        Invitation.member == setup["by_name"][setup["panel"][0]]["member_id"]
    )
    path = f"/staff/engagements/{setup['engagement_id']}/invitations"
    await client.post(
        f"{path}/{invitation['id']}/support", {"arranged": "yes"}, csrf_from=path, expected=404
    )
    assert not (
        await Invitation.select(Invitation.support_arranged)
        .where(Invitation.id == invitation["id"])
        .first()
    )["support_arranged"]


async def test_someone_the_gate_will_not_reach_is_passed_over_for_the_next_chosen(client, chosen):
    setup = await chosen()
    unreachable = setup["by_name"][setup["panel"][0]]
    await Member.update({Member.do_not_contact: True}).where(Member.id == unreachable["member_id"])
    page = await send(client, setup["engagement_id"])
    assert "1 could not be invited now" in html.text(page, ".govuk-notification-banner")
    assert await emails_to(unreachable) == []
    assert await status_of(unreachable) == ""
    first_reserve = setup["by_name"][setup["reserves"][0]]
    assert await status_of(first_reserve) == "invited"
    [event] = await AuditEvent.select().where(AuditEvent.action == "invitations_sent")
    assert json.loads(event["detail"]) == {"invited": 2, "not_now": 1}


async def test_invitations_need_a_selection_and_a_session_still_to_come(
    client, signed_in, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement("recruiting")
    path = f"/staff/engagements/{engagement_id}/invitations"
    page = await client.post(
        f"{path}/send", csrf_from=f"/staff/engagements/{engagement_id}", expected=409
    )
    assert "there is no selection yet" in html.text(page.text, ".govuk-error-summary")


async def test_answers_out_of_turn_or_too_late_are_refused_plainly(client, chosen, make_client):
    setup = await chosen()
    await send(client, setup["engagement_id"])
    member = setup["by_name"][setup["panel"][0]]
    link = await link_of(member)
    browser = make_client("198.51.100.32")
    page = await browser.post(f"{link}/cancel", {}, csrf_from=link, expected=409)
    assert "Accept or decline the invitation first" in html.text(page.text, ".govuk-error-summary")
    started = datetime.now(UTC) - timedelta(hours=1)
    await Engagement.update(
        {Engagement.starts_at: started, Engagement.ends_at: started + timedelta(days=1)}
    ).where(Engagement.id == setup["engagement_id"])
    page = await browser.post(f"{link}/accept", {}, csrf_from="/sign-in", expected=409)
    assert "has started or taken place" in html.text(page.text, ".govuk-error-summary")
    assert await status_of(member) == "invited"
    path = f"/staff/engagements/{setup['engagement_id']}/invitations"
    page = await client.post(f"{path}/send", csrf_from=path, expected=409)
    assert "The session has started" in html.text(page.text, ".govuk-error-summary")


async def test_a_member_cancels_their_place_in_the_portal(client, chosen, make_client, settings):
    from dataclasses import replace

    setup = await chosen()
    await send(client, setup["engagement_id"])
    member = setup["by_name"][setup["panel"][0]]
    [mine] = await Invitation.select(Invitation.id).where(Invitation.member == member["member_id"])
    browser = make_client("198.51.100.33")
    await sign_in(browser, member)
    path = f"/my-panel/invitations/{mine['id']}"
    await browser.post(f"{path}/accept", {}, csrf_from=path)
    response = await browser.post(f"{path}/cancel", {}, csrf_from=path)
    page = (await browser.get(response.headers["location"])).text
    assert "freed your place" in html.text(page, ".govuk-notification-banner")
    assert await status_of(member) == "cancelled"
    # With no reminder days set, no reminders go.
    assert await send_reminders(replace(settings, invitation_reminder_days=())) == 0


async def test_the_place_of_someone_who_left_goes_to_the_waiting_list_the_next_day(
    client, chosen, make_client, settings
):
    from panel.audit.services import Actor
    from panel.erasure import leave_and_erase
    from panel.invitations.services import free_places_of_those_who_left

    setup = await chosen(capacity=1, panel=2, reserves=0, pool=2)
    await send(client, setup["engagement_id"])
    first, second = (setup["by_name"][name] for name in setup["panel"])
    browser = make_client("198.51.100.31")
    for member in (first, second):
        link = await link_of(member)
        await browser.post(f"{link}/accept", {}, csrf_from=link)
    assert (await status_of(first), await status_of(second)) == ("accepted", "waiting")

    await leave_and_erase(first["member_id"], settings, Actor(None, "test"))
    assert await free_places_of_those_who_left(settings) == 1
    assert (await status_of(first), await status_of(second)) == ("cancelled", "accepted")
    assert [email["template"] for email in await emails_to(second)] == [
        "session_invitation",
        "place_offered",
    ]
    assert await free_places_of_those_who_left(settings) == 0
