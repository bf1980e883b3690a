"""A member's record as staff see it: everything they told us but their equality answers, their
consents, safe contact, invitations and attendance, and who viewed it; each view is audited
(issue 4, point 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.consent.rules import Purpose
from panel.engagements.tables import Attendance, Invitation
from panel.members.tables import AccessNeeds, EqualityData, ExperienceProfile, Member
from tests.integration.conftest import sign_in
from tests.integration.portal.test_portal_queries import add_history
from tests.support import html
from tests.support.queries import counted_queries


def viewers_on(page: str) -> list[str]:
    views = html.table_rows(html.section(page, "Who viewed this record"))
    return [view["Who"] for view in views]


async def test_the_record_shows_what_they_told_us_but_not_their_equality_answers(
    client, staff, add_member
):
    member = await add_member(
        "Alex Doe",
        phone="01622 000000",
        district="dover",
        consents=[Purpose.MEMBERSHIP, Purpose.FOCUS_GROUPS],
        involvement="witness",
        crime_types=["burglary_home"],
        ways_to_take_part='["focus_groups"]',
    )
    await AccessNeeds.insert(
        AccessNeeds(member=member, needs='["step_free"]', other="A quiet room, please")
    )
    await ExperienceProfile.update({ExperienceProfile.year: "2023"}).where(
        ExperienceProfile.member == member
    )
    await EqualityData.insert(
        EqualityData(member=member, ethnicity="white_irish", religion="buddhist")
    )

    page = (await client.get(f"/staff/members/{member}")).text

    assert html.title(page).startswith("Alex Doe \u2013 ")
    details = html.summary_list(html.section(page, "Their details"))
    assert details["Preferred name"] == "Alex Doe"
    assert details["Phone number"] == "01622 000000"
    assert details["District"] == "Dover"
    assert html.summary_list(html.section(page, "Their experience")) == {
        "How they were involved": "I saw or heard something happen to someone else",
        "What it was about": "Burglary of a home",
        "Roughly when": "2023",
        "Court case still going on": "Not answered",
    }
    taking_part = html.summary_list(html.section(page, "Taking part"))
    assert taking_part["Ways they would like to take part"] == (
        "Focus groups: small group discussions"
    )
    assert taking_part["What they need to take part"] == "Step-free access"
    assert taking_part["Anything else they need"] == "A quiet room, please"
    for hidden in ("White: Irish", "Buddhist", "ethnic"):
        assert hidden not in page
    agreed = html.summary_list(html.section(page, "What they have agreed to"))
    assert agreed["Being a member of the panel"].startswith("Given on ")
    assert html.links(page, "main a")["See their full consent history, or record a consent"] == (
        f"/staff/members/{member}/consent"
    )
    assert html.links(page, "nav.moj-sub-navigation a") == {
        "Overview": f"/staff/members/{member}",
        "Consent": f"/staff/members/{member}/consent",
        "Contact limits": f"/staff/members/{member}/contact-limits",
    }
    assert html.one(page, "nav.moj-sub-navigation [aria-current=page]").text == "Overview"
    channels = html.table_rows(html.section(page, "How it is safe to contact them"))
    assert {row["Channel"]: row["Safe to use"] for row in channels}["Email"] == "Yes"
    assert html.text(html.section(page, "Contact history")) == "Not invited to anything yet."


async def test_invitations_and_sessions_taken_part_in_newest_first(client, staff, add_member):
    member = await add_member("Alex")
    now = datetime.now(UTC)
    rows = await Invitation.insert(
        Invitation(member=member, kind="focus_group", status="accepted", invited_at=now),
        Invitation(member=member, kind="survey", invited_at=now - timedelta(days=40)),
    )
    await Attendance.insert(Attendance(member=member, invitation=rows[0]["id"]))
    page = (await client.get(f"/staff/members/{member}")).text
    history = html.timeline(html.section(page, "Contact history"))
    assert [(entry["title"], entry["description"]) for entry in history] == [
        ("Took part: Focus group", ""),
        ("Invited: Focus group", "Their answer: accepted"),
        ("Invited: Survey", "Their answer: no answer yet"),
    ]


async def test_each_view_is_audited_and_the_record_lists_who_viewed_it_newest_first(
    client, staff, make_user, make_client, add_member
):
    member = await add_member("Alex")
    page = (await client.get(f"/staff/members/{member}")).text
    assert viewers_on(page) == [staff["email"]]

    colleague = await make_user(Role.ADMIN)
    other = make_client()
    await sign_in(other, colleague)
    page = (await other.get(f"/staff/members/{member}")).text
    assert viewers_on(page) == [colleague["email"], staff["email"]]

    events = await (
        AuditEvent.select(AuditEvent.actor_id, AuditEvent.object_type, AuditEvent.object_id)
        .where(AuditEvent.action == "member_record_viewed")
        .order_by(AuditEvent.id)
    )
    assert events[-2:] == [
        {"actor_id": staff["id"], "object_type": "member", "object_id": str(member)},
        {"actor_id": colleague["id"], "object_type": "member", "object_id": str(member)},
    ]


async def test_the_record_lists_the_last_20_views(client, staff, add_member):
    member = await add_member("Alex")
    await AuditEvent.insert(
        *(
            AuditEvent(
                action="member_record_viewed",
                actor_id=None,
                object_type="member",
                object_id=str(member),
            )
            for _ in range(25)
        )
    )
    page = (await client.get(f"/staff/members/{member}")).text
    views = viewers_on(page)
    assert len(views) == 20
    assert views[0] == staff["email"]
    assert html.text(html.section(page, "Who viewed this record"), "p").startswith(
        "The 20 most recent views are shown."
    )


async def test_an_erased_member_or_no_member_is_not_found_and_not_audited(
    client, staff, add_member
):
    erased = await add_member("Gone", status="erased")
    before = await AuditEvent.count().where(AuditEvent.action == "member_record_viewed")
    for member_id in (erased, erased + 1000):
        response = await client.get(f"/staff/members/{member_id}", expected=404)
        assert html.text(response, "h1") == "Page not found"
    assert await AuditEvent.count().where(AuditEvent.action == "member_record_viewed") == before


async def test_the_record_makes_the_same_queries_for_1_or_200_history_entries(
    client, staff, add_member
):
    short = await add_member("Short", consents=[Purpose.MEMBERSHIP])
    long = await add_member("Long", consents=[Purpose.MEMBERSHIP])
    await add_history(long, 199)
    await Invitation.insert(
        *(Invitation(member=long, kind="survey") for _ in range(30)),
    )
    await Attendance.insert(*(Attendance(member=long) for _ in range(30)))
    await AuditEvent.insert(
        *(
            AuditEvent(action="member_record_viewed", object_type="member", object_id=str(long))
            for _ in range(30)
        )
    )
    with counted_queries() as one:
        await client.get(f"/staff/members/{short}")
    with counted_queries() as two_hundred:
        page = (await client.get(f"/staff/members/{long}")).text
    assert len(html.timeline(html.section(page, "Contact history"))) == 40
    assert html.text(html.section(page, "Contact history"), "p.govuk-body-s") == (
        "The most recent invitations and sessions are shown."
    )
    assert len(one) == len(two_hundred)


async def test_a_verified_applicant_s_record_links_to_their_application(client, staff, add_member):
    member = await add_member("Applicant", status="verified")
    page = (await client.get(f"/staff/members/{member}")).text
    assert html.links(page, "main a")["Screen their application"] == (
        f"/staff/applications/{member}"
    )
    assert html.text(page, "h1 .moj-badge") == "Waiting for screening"
    await Member.update({Member.status: "active"}).where(Member.id == member)
    assert "Screen their application" not in (await client.get(f"/staff/members/{member}")).text
