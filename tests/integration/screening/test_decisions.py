"""Opening an application and deciding on it: approve, decline with a reason, or ask for more
information; each told to the applicant through the contact gate (issue: members, point 3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from panel.audit.tables import AuditEvent
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.screening import services
from panel.screening.tables import DeclineReason, ScreeningDecision
from tests.integration.conftest import ACTOR
from tests.integration.screening.conftest import emails_to, seen_on, status_of
from tests.support import html


async def audit_actions(member_id: int) -> list[str]:
    rows = await (
        AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_type == "member", AuditEvent.object_id == str(member_id))
        .order_by(AuditEvent.id)
    )
    return [row["action"] for row in rows]


async def first_reason() -> dict:
    return await DeclineReason.select().where(DeclineReason.active.eq(True)).first()


async def test_the_application_shows_what_they_told_us_but_not_their_equality_answers(
    client, staff, make_applicant
):
    applicant = await make_applicant("Jo")
    member_id = applicant["member_id"]
    await Member.update(
        {
            Member.phone: "07700 900123",
            Member.ways_to_take_part: json.dumps(["surveys", "focus_groups"]),
            Member.formats: json.dumps(["online"]),
        }
    ).where(Member.id == member_id)
    await ExperienceProfile.insert(
        ExperienceProfile(
            member=member_id,
            involvement="witness",
            crime_types=json.dumps(["burglary_home"]),
            year="2024",
            court_case="prefer_not",
        )
    )
    await AccessNeeds.insert(
        AccessNeeds(member=member_id, needs=json.dumps(["interpreter"]), language="Polish")
    )
    await ContactPreference.update(
        {
            ContactPreference.safe_times: json.dumps(
                [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}]
            ),
            ContactPreference.code_word: "Bluebell",
        }
    ).where(ContactPreference.member == member_id)
    await EqualityData.insert(
        EqualityData(member=member_id, ethnicity="white_irish", religion="buddhist")
    )

    page = (await client.get(f"/staff/applications/{member_id}")).text

    details = html.summary_list(html.section(page, "Their details"))
    assert (details["Preferred name"], details["Email address"]) == ("Jo", applicant["email"])
    assert (details["Phone number"], details["District"]) == ("07700 900123", "Maidstone")
    assert html.summary_list(html.section(page, "Their experience")) == {
        "How they were involved": "I saw or heard something happen to someone else",
        "What it was about": "Burglary of a home",
        "Roughly when": "2024",
        "Court case still going on": "Prefer not to say",
    }
    taking_part = html.summary_list(html.section(page, "Taking part"))
    assert taking_part["What they need to take part"] == "An interpreter for another language"
    assert taking_part["Interpreter language"] == "Polish"
    assert taking_part["Ways they would like to take part"].startswith("Surveys")
    assert taking_part["Online or in person"] == "Online"
    channels = {
        row["Channel"]: row
        for row in html.table_rows(html.section(page, "How it is safe to contact them"))
    }
    assert channels["Email"]["Safe times (UK time)"] == "Monday to Friday, 09:00 to 17:00"
    assert channels["Email"]["Code word"] == "Bluebell"
    unsafe = [row["Safe to use"] for name, row in channels.items() if name != "Email"]
    assert unsafe and set(unsafe) == {"No: do not use"}  # the channels they did not mark safe
    assert "Irish" not in page and "Buddhist" not in page
    assert (
        html.one(page, "main a[href$='/consent']")["href"] == f"/staff/members/{member_id}/consent"
    )
    assert await audit_actions(member_id) == ["consent_given", "application_viewed"]


async def test_approving_makes_them_a_member_and_tells_them_once(client, staff, make_applicant):
    applicant = await make_applicant()
    member_id = applicant["member_id"]
    seen = seen_on((await client.get(f"/staff/applications/{member_id}")).text)

    response = await client.post(
        f"/staff/applications/{member_id}/approve", {"seen": seen}, csrf_from="/staff/applications"
    )
    assert response.headers["location"] == "/staff/applications?done=approved&told=send"
    page = (await client.get(response.headers["location"])).text
    assert html.notification(page) == "Application approved. We have emailed them."

    assert await status_of(member_id) == "active"
    [decision] = await ScreeningDecision.select().where(ScreeningDecision.member == member_id)
    assert decision["decision"] == "approved" and decision["decided_by"] == staff["id"]
    [email] = await emails_to(member_id)
    assert email["subject"] == "About your application" and email["purpose"] == ""
    assert email["to_address"] == applicant["email"] and "now a member" in email["text_body"]
    assert (await audit_actions(member_id))[-1] == "application_approved"

    # The same form sent again (a double click, or the back button) changes nothing more.
    again = await client.post(
        f"/staff/applications/{member_id}/approve",
        {"seen": seen},
        expected=409,
        csrf_from="/staff/applications",
    )
    assert html.text(again, "h1") == "This decision was not made"
    assert html.texts(again, "main p")[0].startswith("This application has already been approved")
    assert len(await emails_to(member_id)) == 1
    assert await ScreeningDecision.count().where(ScreeningDecision.member == member_id) == 1


async def test_declining_needs_a_reason_and_keeps_what_was_typed(client, staff, make_applicant):
    applicant = await make_applicant()
    member_id = applicant["member_id"]
    seen = seen_on((await client.get(f"/staff/applications/{member_id}")).text)

    response = await client.post(
        f"/staff/applications/{member_id}/decline",
        {"seen": seen, "note": "We hope to open the panel to more people next year."},
        expected=400,
        csrf_from="/staff/applications",
    )
    assert html.title(response).startswith("Error: ")
    assert html.error_summary(response) == {
        "reason": "Select the reason for declining the application"
    }
    kept = html.form_values(response, "form[action$='/decline']")
    assert kept["note"] == "We hope to open the panel to more people next year."
    assert await status_of(member_id) == "verified" and await emails_to(member_id) == []


async def test_declining_tells_them_kindly_with_the_reason_and_where_to_find_support(
    client, staff, make_applicant
):
    applicant = await make_applicant()
    member_id = applicant["member_id"]
    reason = await first_reason()
    seen = seen_on((await client.get(f"/staff/applications/{member_id}")).text)
    form = {"seen": seen, "reason": str(reason["id"]), "note": "Thank you for thinking of us."}

    response = await client.post(
        f"/staff/applications/{member_id}/decline", form, csrf_from="/staff/applications"
    )
    assert response.headers["location"] == "/staff/applications?done=declined&told=send"

    assert await status_of(member_id) == "declined"
    [decision] = await ScreeningDecision.select().where(ScreeningDecision.member == member_id)
    assert decision["reason"] == reason["id"] and decision["message"] == form["note"]
    [email] = await emails_to(member_id)
    assert email["subject"] == "About your application"
    body = email["text_body"]
    assert reason["text"] in body and form["note"] in body
    assert "not a judgement about you" in body and "08 08 16 89 111" in body
    assert "in 30 days" in body  # when their details will be deleted
    events = await AuditEvent.select().where(AuditEvent.action == "application_declined")
    assert json.loads(events[0]["detail"]) == {"reason": reason["id"], "told": "send"}

    await client.post(
        f"/staff/applications/{member_id}/decline",
        form,
        expected=409,
        csrf_from="/staff/applications",
    )
    assert len(await emails_to(member_id)) == 1


async def test_a_retired_reason_cannot_be_chosen(client, staff, make_applicant):
    applicant = await make_applicant()
    member_id = applicant["member_id"]
    reason = await first_reason()
    seen = seen_on((await client.get(f"/staff/applications/{member_id}")).text)
    await DeclineReason.update({DeclineReason.active: False}).where(
        DeclineReason.id == reason["id"]
    )
    response = await client.post(
        f"/staff/applications/{member_id}/decline",
        {"seen": seen, "reason": str(reason["id"])},
        expected=400,
        csrf_from="/staff/applications",
    )
    assert html.error_summary(response) == {"reason": "Select one of the reasons on the list"}
    assert await status_of(member_id) == "verified"


async def test_asking_for_more_information_keeps_them_in_the_queue_marked_waiting(
    client, staff, make_applicant
):
    applicant = await make_applicant("Robin")
    member_id = applicant["member_id"]
    seen = seen_on((await client.get(f"/staff/applications/{member_id}")).text)

    empty = await client.post(
        f"/staff/applications/{member_id}/more-information",
        {"seen": seen, "message": "  "},
        expected=400,
        csrf_from="/staff/applications",
    )
    assert list(html.error_summary(empty)) == ["message"]
    assert html.title(empty).startswith("Error: ")

    question = "Which district do you live in? Reply to this email, or call us on 01622 000000."
    response = await client.post(
        f"/staff/applications/{member_id}/more-information",
        {"seen": seen, "message": question},
        csrf_from="/staff/applications",
    )
    assert response.headers["location"] == "/staff/applications?done=more_info&told=send"
    assert await status_of(member_id) == "verified"
    [email] = await emails_to(member_id)
    assert (
        email["subject"] == "A question about your application" and question in email["text_body"]
    )
    queue = (await client.get("/staff/applications")).text
    statuses = {row["Name"]: row["Status"] for row in html.table_rows(queue)}
    assert statuses["Robin"].startswith("Waiting for more information since")

    # A second click on the same form is refused rather than sending the question twice.
    await client.post(
        f"/staff/applications/{member_id}/more-information",
        {"seen": seen, "message": question},
        expected=409,
        csrf_from="/staff/applications",
    )
    assert len(await emails_to(member_id)) == 1

    # With their answer in, the screener (seeing the question asked) can approve.
    page = (await client.get(f"/staff/applications/{member_id}")).text
    [asked] = html.table_rows(html.section(page, "Decisions so far"))
    assert (asked["Decision"], asked["Reason and message"]) == (
        "More information asked for",
        question,
    )
    await client.post(
        f"/staff/applications/{member_id}/approve",
        {"seen": seen_on(page)},
        csrf_from="/staff/applications",
    )
    assert await status_of(member_id) == "active"


@pytest.mark.parametrize(
    ("status", "explained"),
    [
        ("applied", "They have not confirmed their email address yet"),
        ("active", "This application has already been approved"),
        ("declined", "This application has already been declined"),
    ],
)
async def test_a_decision_on_someone_not_waiting_is_refused_with_a_clear_page(
    client, staff, make_applicant, status, explained
):
    applicant = await make_applicant(status=status)
    member_id = applicant["member_id"]
    page = (await client.get(f"/staff/applications/{member_id}")).text
    assert html.text(page, ".govuk-inset-text").startswith(explained)
    assert 'name="seen"' not in page  # no decision is offered

    response = await client.post(
        f"/staff/applications/{member_id}/approve",
        {"seen": "0"},
        expected=409,
        csrf_from="/staff/applications",
    )
    assert html.text(response, "h1") == "This decision was not made"
    assert html.texts(response, "main p")[0].startswith(explained)
    assert await status_of(member_id) == status and await emails_to(member_id) == []


async def test_an_unknown_application_is_not_found(client, staff):
    await client.get("/staff/applications/999999", expected=404)
    await client.post(
        "/staff/applications/999999/approve",
        {"seen": "0"},
        expected=404,
        csrf_from="/staff/applications",
    )


async def test_the_email_waits_for_a_safe_time_and_the_screener_is_told(
    client, staff, make_applicant
):
    applicant = await make_applicant()
    member_id = applicant["member_id"]
    # Safe only on a day that is not today.
    tomorrow = (datetime.now(UTC).weekday() + 1) % 7
    await ContactPreference.update(
        {
            ContactPreference.safe_times: json.dumps(
                [{"days": [tomorrow], "start": "00:00", "end": "23:59"}]
            )
        }
    ).where(ContactPreference.member == member_id)
    seen = seen_on((await client.get(f"/staff/applications/{member_id}")).text)
    response = await client.post(
        f"/staff/applications/{member_id}/approve", {"seen": seen}, csrf_from="/staff/applications"
    )
    assert response.headers["location"].endswith("told=hold")
    page = (await client.get(response.headers["location"])).text
    assert html.notification(page) == (
        "Application approved. The email will go at the next time they told us is safe."
    )
    [email] = await emails_to(member_id)
    assert email["next_attempt_at"] > datetime.now(UTC)


async def test_when_email_is_not_safe_the_decision_stands_and_the_screener_is_warned(
    client, staff, make_applicant
):
    applicant = await make_applicant()
    member_id = applicant["member_id"]
    await ContactPreference.update({ContactPreference.safe: False}).where(
        ContactPreference.member == member_id
    )
    seen = seen_on((await client.get(f"/staff/applications/{member_id}")).text)
    response = await client.post(
        f"/staff/applications/{member_id}/approve", {"seen": seen}, csrf_from="/staff/applications"
    )
    page = (await client.get(response.headers["location"])).text
    assert html.notification(page).startswith(
        "Application approved. We could not email them: email is not a safe way to contact them"
    )
    assert await status_of(member_id) == "active" and await emails_to(member_id) == []


async def test_a_decision_is_all_or_nothing(make_applicant, settings, monkeypatch):
    applicant = await make_applicant()
    member_id = applicant["member_id"]

    async def mail_fails(*args, **kwargs):
        raise RuntimeError("the outbox could not be written")

    monkeypatch.setattr(services, "send_to_member", mail_fails)
    with pytest.raises(RuntimeError):
        await services.approve(member_id, 0, ACTOR, settings)
    assert await status_of(member_id) == "verified"
    assert await ScreeningDecision.count().where(ScreeningDecision.member == member_id) == 0
    assert "application_approved" not in await audit_actions(member_id)
