"""Consents due for renewal: staff see each consent that counts now and ends in the next 60 days,
soonest first, with the member's name, what it is for, when it ends and what became of the reminder
email, so they can phone those it did not reach (usability issue, "What phone calls need",
point 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from panel.consent.rules import Purpose
from panel.consent.services import record_consent
from panel.jobs.renewals import send_renewal_reminders
from panel.members.tables import ContactPreference
from tests.integration.conftest import ACTOR
from tests.support import html
from tests.support.queries import counted_queries

LONDON = ZoneInfo("Europe/London")


def on(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%-d %B %Y}"


async def consenting(add_member, settings, name: str, ends_in_days: float, **member) -> int:
    """A member whose consents to membership and surveys end in ``ends_in_days``."""
    member_id = await add_member(name, **member)
    given = datetime.now(UTC) - settings.consent_renewal + timedelta(days=ends_in_days)
    for purpose in (Purpose.MEMBERSHIP, Purpose.SURVEYS):
        await record_consent(member_id, purpose, True, ACTOR, at=given)
    return member_id


async def test_each_consent_ending_soon_with_what_became_of_its_reminder(
    client, staff, add_member, settings
):
    now = datetime.now(UTC)
    emailed = await consenting(add_member, settings, "Emailed", 20)
    unsafe = await consenting(add_member, settings, "Unsafe", 10)
    await ContactPreference.update({ContactPreference.safe: False}).where(
        ContactPreference.member == unsafe
    )
    later = await consenting(add_member, settings, "Later", 50)
    paused = await consenting(add_member, settings, "Paused", 40, status="paused")
    await consenting(add_member, settings, "Not soon", 70)
    await consenting(add_member, settings, "Ended", -1)
    await consenting(add_member, settings, "Left", 30, status="left")
    withdrawn = await consenting(add_member, settings, "Withdrawn", 30)
    await record_consent(withdrawn, Purpose.SURVEYS, False, ACTOR)
    await record_consent(withdrawn, Purpose.MEMBERSHIP, False, ACTOR)
    assert await send_renewal_reminders(settings) == 2  # Emailed and Unsafe; Later not yet

    page = await client.get("/staff/renewals-due")
    assert html.text(page, "h1") == "Consents due for renewal"
    rows = html.table_rows(page)
    assert [(row["Member"], row["Consent"]) for row in rows] == [
        ("Unsafe", "Being a member of the panel"),
        ("Unsafe", "Surveys"),
        ("Emailed", "Being a member of the panel"),
        ("Emailed", "Surveys"),
        ("Paused Paused", "Being a member of the panel"),
        ("Paused Paused", "Surveys"),
        ("Later", "Being a member of the panel"),
        ("Later", "Surveys"),
    ]
    assert rows[0]["Ends on"] == on(now + timedelta(days=10))
    assert rows[0]["Reminder"] == (
        f"30 days before: not sent on {on(now)} (email is not marked safe)"
    )
    assert rows[2]["Reminder"] == f"30 days before: emailed on {on(now)}"
    assert rows[4]["Reminder"] == "Not sent: no reminders go while they are paused"
    assert rows[6]["Reminder"] == f"Not yet: goes on {on(now + timedelta(days=20))}"
    assert html.hrefs(page, "tbody td:first-child a") == [
        f"/staff/members/{member}"
        for member in (unsafe, unsafe, emailed, emailed, paused, paused, later, later)
    ]
    assert html.text(page, "#renewals-found") == "8 consents due for renewal."


async def test_nothing_due(client, staff):
    page = await client.get("/staff/renewals-due")
    assert html.text(page, "#renewals-found") == "No consents end in the next 60 days."


async def test_the_page_makes_the_same_queries_for_1_or_60_consents(
    client, staff, add_member, settings
):
    await consenting(add_member, settings, "Only", 30)
    with counted_queries() as few:
        first = await client.get("/staff/renewals-due")
    assert len(html.table_rows(first)) == 2
    for number in range(29):
        await consenting(add_member, settings, f"Member {number}", 1 + number)
    with counted_queries() as many:
        second = await client.get("/staff/renewals-due")
    with counted_queries() as next_page:
        third = await client.get("/staff/renewals-due?page=2")
    assert len(html.table_rows(second)) == 50 and len(html.table_rows(third)) == 10
    assert len(few) == len(many) == len(next_page)
    assert html.one(second, ".govuk-pagination__next a")["href"] == "/staff/renewals-due?page=2"


async def test_the_staff_home_links_to_it(client, staff):
    home = await client.get("/staff")
    assert html.links(home, "main h2 a")["Consents due for renewal"] == "/staff/renewals-due"
