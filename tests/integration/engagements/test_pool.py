"""An engagement's eligible pool: who could be invited now, what the pool is made of, and why the
rest of the panel is left out (issue: engagements, point 2)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from panel.accounts.rules import Role
from panel.consent.rules import Purpose
from panel.engagements.pool import reason_of_each_member
from panel.engagements.rules import LeftOut
from panel.engagements.services import eligible_for_invitation
from panel.engagements.tables import Attendance, ContactOverride, Invitation
from panel.members.tables import ContactPreference, EqualityData, ExperienceProfile, Member
from tests.support import html
from tests.support.queries import counted_queries

FOCUS = (Purpose.MEMBERSHIP, Purpose.FOCUS_GROUPS)
NOW = datetime.now(UTC)


async def told_us(member: dict, *crime_types: str, involvement="victim", court_case="no"):
    await ExperienceProfile.insert(
        ExperienceProfile(
            member=member["member_id"],
            crime_types=json.dumps(list(crime_types)),
            involvement=involvement,
            court_case=court_case,
        )
    )


async def test_the_pool_page_counts_who_could_be_invited_and_why_others_cannot(
    client, signed_in, make_member, make_engagement, settings
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement(
        eligible_districts=("maidstone",), exclude_open_court_cases=True
    )
    for _ in range(3):
        await told_us(await make_member(consents=FOCUS), "burglary_home")
    await make_member(status="paused", consents=FOCUS)
    for _ in range(2):
        await make_member(consents=(Purpose.MEMBERSHIP, Purpose.SURVEYS))
    elsewhere = await make_member(consents=FOCUS)
    await Member.update({Member.district: "swale"}).where(Member.id == elsewhere["member_id"])
    await told_us(await make_member(consents=FOCUS), "violence", court_case="yes")
    unsafe = await make_member(consents=FOCUS)
    await ContactPreference.update({ContactPreference.safe: False}).where(
        ContactPreference.member == unsafe["member_id"]
    )
    await make_member(status="applied", consents=FOCUS)  # not yet on the panel

    page = await client.get(f"/staff/engagements/{engagement_id}/pool")
    assert html.text(page.text, "#pool-size") == (
        "3 members could be invited now, of the 9 on the panel."
    )
    assert html.table_cells(page.text, "#left-out") == [
        ["Not agreed to focus groups", "2"],
        ["Paused", "1"],
        ["Cannot be emailed safely (invitations go by email)", "1"],
        ["Live outside the districts chosen", "1"],
        ["Court case still going on, or may be", "1"],
    ]
    districts = dict(html.table_cells(page.text, "#make-up-district"))
    assert districts["Maidstone"] == "3" and districts["Swale"] == "0"
    crimes = dict(html.table_cells(page.text, "#make-up-crime_type"))
    assert crimes["Burglary of a home"] == "3" and crimes["Not stated"] == "0"


async def test_equality_answers_count_only_with_consent_to_their_use(
    client, signed_in, make_member, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement()
    agreed = await make_member(consents=(*FOCUS, Purpose.EQUALITY_DATA))
    kept_back = await make_member(consents=FOCUS)
    for member in (agreed, kept_back):
        await EqualityData.insert(
            EqualityData(member=member["member_id"], age_band="25_34", sex="female")
        )
    page = await client.get(f"/staff/engagements/{engagement_id}/pool")
    ages = dict(html.table_cells(page.text, "#make-up-age_band"))
    assert ages["25 to 34"] == "1"
    assert "(1 of the pool)" in html.text(page.text, "main")


async def test_the_pool_page_reads_the_same_few_queries_however_large_the_panel(
    client, signed_in, make_member, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement()
    await make_member(consents=FOCUS)
    with counted_queries() as few:
        await client.get(f"/staff/engagements/{engagement_id}/pool")
    for _ in range(6):
        await told_us(await make_member(consents=FOCUS), "theft")
    with counted_queries() as many:
        page = await client.get(f"/staff/engagements/{engagement_id}/pool")
    assert html.text(page.text, "#pool-size").startswith("7 members")
    assert len(many) == len(few)


async def test_the_contact_limits_leave_out_exactly_whom_the_gate_would_refuse(
    make_member, make_engagement, settings
):
    """Random histories of invitations, sessions and overrides: the pool's SQL and the rules the
    contact gate applies (``eligible_for_invitation``) agree on every member."""
    engagement_id = await make_engagement()
    rng = random.Random(2027)
    members = []
    for _ in range(40):
        member = await make_member(consents=FOCUS)
        members.append(member["member_id"])
        for _ in range(rng.randint(0, 4)):
            at = NOW - timedelta(days=rng.uniform(0, 120))
            await Invitation.insert(
                Invitation(member=member["member_id"], kind="survey", invited_at=at)
            )
        for _ in range(rng.choice([0, 0, 3, 4, 5])):
            at = NOW - timedelta(days=rng.uniform(0, 400))
            await Attendance.insert(Attendance(member=member["member_id"], attended_at=at))
        if rng.random() < 0.2:
            await ContactOverride.insert(
                ContactOverride(
                    member=member["member_id"],
                    reason="Asked to take part",
                    expires_at=NOW + timedelta(days=rng.choice([-1, 3])),
                    used_at=NOW if rng.random() < 0.3 else None,
                )
            )
    reasons = await reason_of_each_member(engagement_id, settings, NOW)
    rules = await eligible_for_invitation(members, settings, NOW)
    limit_reasons = {LeftOut.SESSIONS, LeftOut.INVITATIONS, LeftOut.COOL_DOWN}
    outcomes = set()
    for member_id in members:
        eligibility = rules[member_id]
        reason = reasons[member_id]
        outcomes.add(reason)
        assert (reason is None) == eligibility.may_invite, (member_id, reason, eligibility)
        if reason is not None:
            assert reason in limit_reasons
            assert reason.value in {check.limit.value for check in eligibility.reached}
    assert outcomes == {None, *limit_reasons}, "the histories tried every limit"
