"""The facilitator's view of a session: who accepted, by preferred name, with what they need and
nothing else about them; the register on the day, which feeds attendance, the contact limits and
the directory (issue: engagements, point 6)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from panel.accounts.rules import Role
from panel.audit.services import Actor
from panel.engagements.services import record_attendance
from panel.engagements.tables import Attendance, Invitation
from panel.erasure import leave_and_erase
from panel.members.tables import AccessNeeds, Member
from tests.integration.conftest import sign_in
from tests.support import html
from tests.support.engagements import STARTED, session_with
from tests.support.queries import counted_queries


async def test_the_facilitator_sees_who_accepted_and_what_they_need_and_nothing_else(
    client, make_user, make_member, make_engagement
):
    facilitator = await make_user(Role.FACILITATOR)
    engagement_id, invited = await session_with(
        make_member,
        make_engagement,
        facilitator,
        [("Robin", "accepted"), ("Ash", "accepted"), ("Kim", "declined")],
    )
    await AccessNeeds.insert(
        AccessNeeds(
            member=invited["Robin"]["member_id"],
            needs=json.dumps(["step_free", "interpreter"]),
            language="Polish",
        )
    )
    await sign_in(client, facilitator)
    page = await client.get(f"/facilitator/engagements/{engagement_id}")
    legends = html.texts(page.text, "#register legend")
    assert legends == ["Ash", "Robin"]
    hints = html.texts(page.text, "#register .govuk-hint")
    assert hints == [
        "Needs: nothing told us",
        "Needs: Step-free access; An interpreter for another language; Polish. "
        "Support not yet arranged",
    ]
    shown = html.text(page.text, "main")
    for member in invited.values():
        assert member["email"] not in shown
    assert "07700" not in shown and "Kim" not in shown


async def test_the_register_records_who_came_and_can_be_corrected(
    client, make_user, make_member, make_engagement
):
    facilitator = await make_user(Role.FACILITATOR)
    engagement_id, invited = await session_with(
        make_member,
        make_engagement,
        facilitator,
        [("Robin", "accepted"), ("Ash", "accepted"), ("Sol", "accepted")],
    )
    await sign_in(client, facilitator)
    path = f"/facilitator/engagements/{engagement_id}"
    field = {name: f"register-{member['invitation_id']}" for name, member in invited.items()}

    missing = await client.post(
        f"{path}/register", {field["Robin"]: "attended"}, expected=400, csrf_from=path
    )
    assert html.error_summary(missing.text) == {
        field["Ash"]: "Say whether Ash attended",
        field["Sol"]: "Say whether Sol attended",
    }
    assert html.form_values(missing.text, "#register")[field["Robin"]] == "attended"

    marks = {
        field["Robin"]: "attended",
        field["Ash"]: "did_not_attend",
        field["Sol"]: "cancelled_late",
    }
    saved = await client.post(f"{path}/register", marks, csrf_from=path)
    page = await client.get(saved.headers["location"])
    assert html.notification(page.text) == "The register is saved."
    assert html.form_values(page.text, "#register") == marks
    statuses = {
        row["id"]: row["status"]
        for row in await Invitation.select(Invitation.id, Invitation.status)
    }
    assert statuses[invited["Ash"]["invitation_id"]] == "did_not_attend"
    [came] = await Attendance.select()
    assert (came["member"], came["attended_at"]) == (invited["Robin"]["member_id"], STARTED)
    robin = (
        await Member.select(Member.last_attended_at)
        .where(Member.id == invited["Robin"]["member_id"])
        .first()
    )
    assert robin["last_attended_at"] == STARTED

    # Robin was marked by mistake: the attendance goes, and their last date with it.
    await client.post(
        f"{path}/register", {**marks, field["Robin"]: "did_not_attend"}, csrf_from=path
    )
    assert await Attendance.count() == 0
    robin = (
        await Member.select(Member.last_attended_at)
        .where(Member.id == invited["Robin"]["member_id"])
        .first()
    )
    assert robin["last_attended_at"] is None


async def test_the_register_waits_for_the_session_to_start(
    client, make_user, make_member, make_engagement
):
    facilitator = await make_user(Role.FACILITATOR)
    later = datetime.now(UTC) + timedelta(days=2)
    engagement_id, invited = await session_with(
        make_member,
        make_engagement,
        facilitator,
        [("Robin", "accepted")],
        status="confirmed",
        starts_at=later,
        ends_at=later + timedelta(hours=2),
    )
    await sign_in(client, facilitator)
    path = f"/facilitator/engagements/{engagement_id}"
    page = await client.get(path)
    assert html.select(page.text, "#register") == []
    assert html.texts(page.text, "#participants li") == ["Robin. Needs: nothing told us"]
    field = f"register-{invited['Robin']['invitation_id']}"
    refused = await client.post(
        f"{path}/register", {field: "attended"}, 409, csrf_from="/facilitator"
    )
    assert html.error_messages(refused.text) == [
        "The register is taken once the session has started."
    ]
    assert await Attendance.count() == 0


async def test_another_facilitator_can_neither_see_nor_take_the_register(
    client, make_user, make_member, make_engagement
):
    facilitator = await make_user(Role.FACILITATOR)
    engagement_id, invited = await session_with(
        make_member, make_engagement, facilitator, [("Robin", "accepted")]
    )
    await sign_in(client, await make_user(Role.FACILITATOR))
    path = f"/facilitator/engagements/{engagement_id}"
    await client.get(path, expected=404)
    field = f"register-{invited['Robin']['invitation_id']}"
    await client.post(f"{path}/register", {field: "attended"}, 404, csrf_from="/facilitator")
    assert await Attendance.count() == 0


async def test_a_corrected_register_leaves_the_members_earlier_date_and_its_queries_are_fixed(
    client, make_user, make_member, make_engagement
):
    facilitator = await make_user(Role.FACILITATOR)
    few_id, few = await session_with(
        make_member, make_engagement, facilitator, [("Robin", "accepted"), ("Ash", "accepted")]
    )
    many_id, many = await session_with(
        make_member,
        make_engagement,
        facilitator,
        [(f"Person {number}", "accepted") for number in range(7)],
    )
    robin = few["Robin"]["member_id"]
    earlier = STARTED - timedelta(days=40)
    await record_attendance(robin, None, earlier)
    await sign_in(client, facilitator)

    async def take(engagement_id: int, invited: dict, mark: str) -> list[str]:
        path = f"/facilitator/engagements/{engagement_id}"
        marks = {f"register-{person['invitation_id']}": mark for person in invited.values()}
        with counted_queries() as queries:  # with the form's page, for its token
            await client.post(f"{path}/register", marks, csrf_from=path)
        return queries

    assert len(await take(few_id, few, "attended")) == len(await take(many_id, many, "attended"))
    assert await Attendance.count().where(Attendance.invitation.is_not_null()) == 9
    latest = await Member.select(Member.last_attended_at).where(Member.id == robin).first()
    assert latest["last_attended_at"] == STARTED

    corrected = await take(few_id, few, "did_not_attend")
    assert len(corrected) == len(await take(many_id, many, "did_not_attend"))
    assert await Attendance.count() == 1
    latest = await Member.select(Member.last_attended_at).where(Member.id == robin).first()
    assert latest["last_attended_at"] == earlier


async def test_someone_who_left_the_panel_is_not_on_the_register(
    client, make_user, make_member, make_engagement, settings
):
    facilitator = await make_user(Role.FACILITATOR)
    engagement_id, invited = await session_with(
        make_member, make_engagement, facilitator, [("Robin", "accepted"), ("Ash", "accepted")]
    )
    gone = invited["Ash"]
    await leave_and_erase(gone["member_id"], settings, Actor(gone["id"], "0" * 64))
    await sign_in(client, facilitator)
    path = f"/facilitator/engagements/{engagement_id}"
    page = await client.get(path)
    assert html.texts(page.text, "#register legend") == ["Robin"]
    robin = f"register-{invited['Robin']['invitation_id']}"
    saved = await client.post(f"{path}/register", {robin: "attended"}, csrf_from=path)
    assert saved.headers["location"].endswith("?done=register")
    assert [row["member"] for row in await Attendance.select()] == [invited["Robin"]["member_id"]]
