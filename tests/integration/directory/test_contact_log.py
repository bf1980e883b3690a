"""The contact log on a member's record: staff add the calls, texts, emails, letters and meetings
they have with a member, with why and a short note; the record shows the newest first; entries go
with the member and after the retention period (usability issue, "What phone calls need", point 2)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from panel.audit.tables import AuditEvent
from panel.directory.tables import ContactLogEntry
from panel.jobs.retention import run_retention
from tests.support import html
from tests.support.queries import counted_queries

LONDON = ZoneInfo("Europe/London")


def entry(when: datetime, **changes: str) -> dict[str, str]:
    return {
        "when-day": str(when.day),
        "when-month": str(when.month),
        "when-year": str(when.year),
        "when_time": f"{when:%H:%M}",
        "channel": "phone_call",
        "reason": "returning_call",
        "note": "Asked to be called back on Friday.",
        **changes,
    }


def logged(record) -> list[dict[str, str]]:
    """The record's contact log, newest first, as each entry reads."""
    log = html.one(record, "#contact-log + .moj-timeline")
    return [
        {
            "title": html.text(item, ".moj-timeline__title"),
            "by": html.text(item, ".moj-timeline__byline"),
            "when": html.text(item, ".moj-timeline__date"),
            "note": html.text(item, ".moj-timeline__description")
            if html.select(item, ".moj-timeline__description")
            else "",
        }
        for item in html.select(log, ".moj-timeline__item")
    ]


async def test_the_form_starts_at_now_and_an_entry_shows_on_the_record(client, staff, add_member):
    member = await add_member("Robin")
    record = await client.get(f"/staff/members/{member}")
    assert html.text(record, "#contact-log + p") == "Nothing logged yet."
    add = html.one(record, "a[href$='/contact-log']")
    assert html.text(add) == "Add to their contact log"

    page = await client.get(add["href"])
    assert html.text(page, "h1") == "Add to their contact log"
    now = datetime.now(LONDON)
    shown = html.form_values(page, "main form")
    assert (shown["when-day"], shown["when-month"], shown["when-year"]) == (
        str(now.day),
        str(now.month),
        str(now.year),
    )
    hint = html.text(page, "#note-hint")
    assert "Do not write anything about the crime" in hint and "300 characters" in hint

    when = now - timedelta(minutes=5)
    response = await client.post(add["href"], entry(when))
    assert response.headers["location"] == f"/staff/members/{member}?done=contact_logged"
    record = await client.get(response.headers["location"])
    assert html.notification(record) == "Added to their contact log."
    assert logged(record) == [
        {
            "title": "Phone call: returning their call",
            "by": f"by {staff['email']}",
            "when": f"{when:%-d %B %Y, %H:%M}",
            "note": "Asked to be called back on Friday.",
        }
    ]


async def test_the_record_shows_the_newest_first_and_at_most_20(client, staff, add_member):
    member = await add_member("Robin")
    now = datetime.now(UTC)
    await ContactLogEntry.insert(
        *(
            ContactLogEntry(
                member=member,
                at=now - timedelta(days=day),
                channel="letter",
                reason="invitation_follow_up",
                note=f"letter {day}",
            )
            for day in range(25)
        ),
        ContactLogEntry(
            member=member, at=now - timedelta(hours=1), channel="in_person", reason="other"
        ),
    )
    record = await client.get(f"/staff/members/{member}")
    entries = logged(record)
    assert len(entries) == 20
    assert [item["note"] for item in entries[:3]] == ["letter 0", "", "letter 1"]
    assert entries[1]["title"] == "In person: something else"
    assert entries[1]["by"] == "by an account that has since been removed"
    assert html.text(record, "#contact-log ~ .govuk-body-s") == "The 20 most recent are shown."


async def test_the_record_makes_the_same_queries_whatever_the_length_of_the_log(
    client, staff, add_member
):
    short = await add_member("Short")
    long = await add_member("Long")
    await ContactLogEntry.insert(
        ContactLogEntry(member=short, at=datetime.now(UTC), channel="email", reason="other"),
        *(
            ContactLogEntry(member=long, channel="email", reason="other", recorded_by=staff["id"])
            for _ in range(40)
        ),
    )
    with counted_queries() as one_entry:
        await client.get(f"/staff/members/{short}")
    with counted_queries() as forty:
        await client.get(f"/staff/members/{long}")
    assert len(one_entry) == len(forty)


async def test_what_staff_must_say_and_what_they_may_not(client, staff, add_member):
    member = await add_member("Robin")
    path = f"/staff/members/{member}/contact-log"
    now = datetime.now(LONDON)
    page = await client.post(path, {"when_time": "25:00"}, expected=400)
    assert html.title(page).startswith("Error: Add to their contact log")
    assert html.error_summary(page) == {
        "when": "Enter the date of the contact as a real date, like 27 3 2026",
        "when_time": "Enter the time of the contact, like 14:30 or 2:30pm",
        "channel": "Select how you were in contact",
        "reason": "Select what the contact was about",
    }
    page = await client.post(
        path, entry(now + timedelta(hours=2), reason="other", note=""), expected=400
    )
    assert html.error_summary(page) == {
        "when": "The date and time must not be in the future",
        "note": "Say in a few words what the contact was about",
    }
    page = await client.post(path, entry(now - timedelta(days=400), note="x" * 301), expected=400)
    assert html.error_summary(page) == {
        "when": "The date must be within the last year",
        "note": "The note must be 300 characters or fewer",
    }
    assert html.form_values(page, "main form")["note"] == "x" * 301
    assert await ContactLogEntry.count().where(ContactLogEntry.member == member) == 0


async def test_each_entry_is_audited_without_its_note(client, staff, add_member):
    member = await add_member("Robin")
    when = datetime.now(LONDON) - timedelta(hours=3)
    await client.post(
        f"/staff/members/{member}/contact-log",
        entry(when, channel="text_message", reason="welfare_check", note="Doing better"),
    )
    row = await ContactLogEntry.select().where(ContactLogEntry.member == member).first()
    assert row["recorded_by"] == staff["id"]
    assert abs(row["at"] - when.replace(second=0, microsecond=0)) < timedelta(seconds=1)
    event = await (
        AuditEvent.select()
        .where(AuditEvent.action == "member_contact_logged", AuditEvent.object_id == str(member))
        .first()
    )
    assert event["actor_id"] == staff["id"]
    assert json.loads(event["detail"]) == {"channel": "text_message", "reason": "welfare_check"}


async def test_an_erased_member_has_no_contact_log(client, staff, add_member):
    member = await add_member("Gone", status="erased")
    await client.get(f"/staff/members/{member}/contact-log", expected=404)


async def test_entries_older_than_the_retention_period_are_deleted(add_member, settings):
    member = await add_member("Robin")
    now = datetime.now(UTC)
    keep_for = timedelta(days=settings.retention_contact_log_days)
    await ContactLogEntry.insert(
        ContactLogEntry(member=member, at=now - keep_for - timedelta(days=1), note="old"),
        ContactLogEntry(member=member, at=now - keep_for + timedelta(days=1), note="recent"),
    )
    plan = await run_retention(settings, dry_run=True, now=now)
    assert plan.old_contact_log_entries >= 1
    await run_retention(settings, now=now)
    rows = await ContactLogEntry.select(ContactLogEntry.note).where(
        ContactLogEntry.member == member
    )
    assert [row["note"] for row in rows] == ["recent"]
