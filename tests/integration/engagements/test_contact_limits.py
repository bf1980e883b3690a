"""Recording invitations and attendance, and who may be invited now, over real rows (issue: panel
management, point 3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from panel.engagements import services
from panel.engagements.tables import Attendance, ContactOverride, Invitation
from panel.members.tables import Member
from tests.integration.conftest import ACTOR
from tests.support.queries import counted_queries

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


async def last_dates(member_id: int) -> tuple[datetime | None, datetime | None]:
    row = await (
        Member.select(Member.last_invited_at, Member.last_attended_at)
        .where(Member.id == member_id)
        .first()
    )
    return row["last_invited_at"], row["last_attended_at"]


async def test_recording_an_invitation_keeps_the_members_last_invited_date(
    make_member, make_engagement
):
    member = await make_member()
    engagement_id = await make_engagement("recruiting")
    invitation_id = await services.record_invitation(
        member["member_id"], "focus_group", engagement_id, days_ago(10)
    )
    [row] = await Invitation.select().where(Invitation.member == member["member_id"])
    assert row["id"] == invitation_id
    assert (row["kind"], row["engagement"], row["invited_at"]) == (
        "focus_group",
        engagement_id,
        days_ago(10),
    )
    assert await last_dates(member["member_id"]) == (days_ago(10), None)


async def test_an_older_invitation_recorded_late_does_not_move_the_date_back(make_member):
    member = await make_member()
    await services.record_invitation(member["member_id"], "survey", None, days_ago(2))
    await services.record_invitation(member["member_id"], "survey", None, days_ago(20))
    assert await last_dates(member["member_id"]) == (days_ago(2), None)
    assert await Invitation.count().where(Invitation.member == member["member_id"]) == 2


async def test_recording_attendance_keeps_the_members_last_took_part_date(make_member):
    member = await make_member()
    invitation_id = await services.record_invitation(
        member["member_id"], "focus_group", None, days_ago(40)
    )
    await services.record_attendance(member["member_id"], invitation_id, days_ago(30))
    await services.record_attendance(member["member_id"], None, days_ago(100))
    assert await last_dates(member["member_id"]) == (days_ago(40), days_ago(30))
    rows = await Attendance.select(Attendance.invitation).where(
        Attendance.member == member["member_id"]
    )
    assert sorted(row["invitation"] or 0 for row in rows) == [0, invitation_id]


async def test_attendance_cannot_name_another_members_invitation(make_member):
    member, other = await make_member(), await make_member()
    theirs = await services.record_invitation(other["member_id"], "focus_group", None, NOW)
    with pytest.raises(services.NoSuchInvitation):
        await services.record_attendance(member["member_id"], theirs, NOW)
    assert await Attendance.count().where(Attendance.member == member["member_id"]) == 0
    assert await last_dates(member["member_id"]) == (None, None)


async def test_nothing_is_recorded_for_an_erased_member_or_an_unknown_kind(make_member):
    member = await make_member(status="erased")
    with pytest.raises(services.NoSuchMember):
        await services.record_invitation(member["member_id"], "focus_group", None, NOW)
    with pytest.raises(services.NoSuchMember):
        await services.record_attendance(member["member_id"], None, NOW)
    active = await make_member()
    with pytest.raises(ValueError):
        await services.record_invitation(active["member_id"], "party", None, NOW)
    assert await Invitation.count().where(Invitation.member == active["member_id"]) == 0


async def test_eligibility_gives_every_reason_for_each_member(make_member, settings):
    free, cooling, busy, withheld, paused = [await make_member() for _ in range(5)]
    await services.record_invitation(free["member_id"], "survey", None, days_ago(45))
    await services.record_invitation(cooling["member_id"], "survey", None, days_ago(12))
    for days in (300, 200, 100, 50):
        await services.record_attendance(busy["member_id"], None, days_ago(days))
    await Member.update({Member.do_not_contact: True}).where(Member.id == withheld["member_id"])
    await Member.update({Member.status: "paused"}).where(Member.id == paused["member_id"])

    found = await services.eligible_for_invitation(
        [m["member_id"] for m in (free, cooling, busy, withheld, paused)] + [-1], settings, NOW
    )
    assert found[free["member_id"]].may_invite
    assert found[cooling["member_id"]].reasons == ("invited 12 days ago: the cool-down is 30 days",)
    assert found[cooling["member_id"]].next_possible_at == days_ago(12) + timedelta(days=30)
    assert found[busy["member_id"]].reasons == (
        "took part 4 times in the last 12 months: the most is 4",
    )
    assert found[withheld["member_id"]].reasons == ("marked do not contact",)
    assert found[paused["member_id"]].reasons == ("membership is paused",)
    assert found[-1].reasons == ("no longer a member",)


async def test_eligibility_follows_the_settings(make_member, settings):
    member = await make_member()
    await services.record_invitation(member["member_id"], "survey", None, days_ago(12))
    shorter = settings.with_changes(contact_cooldown_days=10)
    assert (await services.eligible_for_invitation([member["member_id"]], shorter, NOW))[
        member["member_id"]
    ].may_invite


async def test_an_unused_unexpired_override_lets_a_member_through(make_member, settings):
    member = await make_member()
    await services.record_invitation(member["member_id"], "survey", None, days_ago(3))
    used = await services.grant_override(member["member_id"], "Asked to join", ACTOR, days_ago(2))
    await ContactOverride.update({ContactOverride.used_at: days_ago(1)}).where(
        ContactOverride.id == used
    )
    await services.grant_override(member["member_id"], "Old", ACTOR, days_ago(15))  # expired
    found = await services.eligible_for_invitation([member["member_id"]], settings, NOW)
    assert not found[member["member_id"]].may_invite
    fresh = await services.grant_override(member["member_id"], "Asked again", ACTOR, days_ago(1))
    found = await services.eligible_for_invitation([member["member_id"]], settings, NOW)
    assert found[member["member_id"]].may_invite
    assert found[member["member_id"]].uses_override == fresh


async def add_history(member_id: int) -> None:
    await Invitation.insert(
        *(
            Invitation(member=member_id, kind="survey", invited_at=days_ago(day))
            for day in (5, 40, 80)
        )
    )
    await Attendance.insert(
        *(Attendance(member=member_id, attended_at=days_ago(day)) for day in (30, 90))
    )
    await ContactOverride.insert(
        ContactOverride(member=member_id, reason="r", expires_at=NOW + timedelta(days=3))
    )


async def test_eligibility_of_1_or_200_members_takes_the_same_number_of_queries(
    make_member, settings
):
    one = await make_member()
    await add_history(one["member_id"])
    many = [(await make_member())["member_id"] for _ in range(199)]
    for member_id in many[:20]:
        await add_history(member_id)

    with counted_queries() as for_one:
        found = await services.eligible_for_invitation([one["member_id"]], settings, NOW)
    with counted_queries() as for_many:
        found_many = await services.eligible_for_invitation(
            [one["member_id"], *many], settings, NOW
        )
    assert len(for_one) == len(for_many) == 4
    assert len(found_many) == 200
    assert found[one["member_id"]] == found_many[one["member_id"]]
    assert found[one["member_id"]].uses_override is not None  # cool-down, let through
