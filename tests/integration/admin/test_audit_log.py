"""The audit log: admins browse and filter it, each event told in words (who did what, to whom,
with links); nothing in the application updates or deletes it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from panel.accounts.rules import Role
from panel.accounts.services import change_role
from panel.audit.services import Actor, record_event
from panel.directory.services import pause_member
from panel.erasure import leave_and_erase
from panel.jobs.retention import JOB_ACTOR
from panel.members.services import resume_memberships
from panel.screening.services import add_decline_reason
from tests.integration.conftest import PASSWORD, sign_in
from tests.support import html
from tests.support.queries import counted_queries

ROOT = Path(__file__).resolve().parents[3]
WEB = "0" * 64  # an address as the log keeps it: a keyed hash


def row_saying(page, words: str) -> list:
    """The cells (when, who, what they did) of the one row of the log that says ``words``."""
    rows = [row.find_all("td") for row in html.select(page, "table tbody tr")]
    found = [cells for cells in rows if html.text(cells[2]) == words]
    assert len(found) == 1, f"{len(found)} rows say {words!r}; the log says " + repr(
        [html.text(cells[2]) for cells in rows]
    )
    return found[0]


def link_in(cell) -> dict[str, str]:
    [link] = cell.find_all("a")
    return {"href": link["href"], "text": html.text(link)}


def actions_listed(page: Any) -> list[str]:
    """The "What they did" column of the audit log's table, newest first."""
    return [row["What they did"] for row in html.table_rows(page)]


async def test_admin_browses_and_filters_the_audit_log(client, signed_in, make_user):
    admin = await signed_in(Role.ADMIN)
    staff = await make_user(Role.STAFF)
    await client.post(
        "/sign-in",
        {"email": staff["email"], "password": "wrong password here"},
        expected=400,
        csrf_from="/admin/audit",
    )
    failed = "Could not sign in: the password was wrong, or the account is not in use"
    page = await client.get("/admin/audit")
    assert link_in(row_saying(page, failed)[1])["text"] == staff["email"]
    filtered = await client.get("/admin/audit?action=sign_in_failed")
    assert [row["What they did"] for row in html.table_rows(filtered)] == [failed]
    by_actor = await client.get(f"/admin/audit?actor={admin['email']}")
    assert failed not in [row["What they did"] for row in html.table_rows(by_actor)]


async def test_each_event_says_who_did_what_to_whom_with_links(
    client, signed_in, make_user, make_member, make_client, settings
):
    admin = await signed_in(Role.ADMIN)
    staff = await make_user(Role.STAFF)
    board = await make_user(Role.BOARD)
    robin = await make_member(preferred_name="Robin")
    await pause_member(robin["member_id"], date(2027, 3, 27), settings, Actor(staff["id"], WEB))
    await resume_memberships([robin["member_id"]], JOB_ACTOR)
    staff_browser = make_client()
    await sign_in(staff_browser, staff)
    await staff_browser.get(f"/staff/members/{robin['member_id']}")
    await staff_browser.get("/staff/members.csv?status=active&district=maidstone&q=Robin")
    await change_role(board["id"], Role.FACILITATOR, Actor(admin["id"], WEB))
    await make_client().post(
        "/sign-in", {"email": "nobody@example.org", "password": PASSWORD}, expected=400
    )

    page = await client.get("/admin/audit")

    assert html.texts(page, "thead th") == ["When (UK time)", "Who", "What they did"]
    staff_link = {"href": f"/admin/users/{staff['id']}", "text": staff["email"]}
    robin_link = {"href": f"/staff/members/{robin['member_id']}", "text": "Robin"}

    _, who, what = row_saying(page, "Paused the membership of Robin until 27 March 2027")
    assert link_in(who) == staff_link and html.text(who) == f"{staff['email']} Staff"
    assert link_in(what) == robin_link

    _, who, what = row_saying(page, "Resumed the membership of Robin")
    assert html.text(who) == "The system Daily clean-up" and not who.find_all("a")
    assert link_in(what) == robin_link

    _, who, what = row_saying(page, "Opened the record of Robin")
    assert link_in(who) == staff_link and link_in(what) == robin_link

    _, who, what = row_saying(
        page,
        "Downloaded the member list (CSV) of 1 member, filtered by Name or email: a search "
        "(what was searched for is not kept); Status: Active; District: Maidstone",
    )
    assert link_in(who) == staff_link and not what.find_all("a")

    _, who, what = row_saying(
        page, f"Changed the role of {board['email']} from Board member to Facilitator"
    )
    assert link_in(who)["text"] == admin["email"] and html.text(who).endswith("Administrator")
    assert link_in(what) == {"href": f"/admin/users/{board['id']}", "text": board["email"]}

    _, who, _ = row_saying(page, "Could not sign in: no account has that email address")
    assert html.text(who) == "Someone not signed in"

    when = row_saying(page, "Opened the record of Robin")[0]
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}", html.text(when))


async def test_a_member_s_own_actions_name_them_and_an_erased_member_is_never_linked(
    client, signed_in, make_member, settings
):
    await signed_in(Role.ADMIN)
    robin = await make_member(preferred_name="Robin")
    gone = await make_member(preferred_name="Gone")
    await record_event(
        "membership_paused",
        Actor(robin["id"], WEB),
        object_type="member",
        object_id=robin["member_id"],
        detail={"until": "until resumed"},
    )
    await leave_and_erase(gone["member_id"], settings, Actor(gone["id"], WEB))

    page = await client.get("/admin/audit")

    _, who, _ = row_saying(page, "Paused their membership until further notice")
    assert link_in(who) == {"href": f"/staff/members/{robin['member_id']}", "text": "Robin"}
    assert html.text(who) == "Robin Panel member"
    _, who, _ = row_saying(page, "Left the panel, and their details were erased")
    assert html.text(who) == "A former member" and not who.find_all("a")
    _, who, _ = row_saying(page, "Withdrew their agreement to “Surveys” (online, by the member)")
    assert html.text(who) == "A former member"
    consented = row_saying(
        page, "Recorded that an erased member agreed to “Surveys” (online, by the member)"
    )
    assert not consented[2].find_all("a")
    assert "Gone" not in html.text(page, "table")


async def test_a_decision_names_the_reason_and_what_the_email_did(client, signed_in, make_member):
    admin = await signed_in(Role.ADMIN)
    robin = await make_member(preferred_name="Robin", status="verified")
    reason = await add_decline_reason("Lives outside the area", Actor(admin["id"], WEB))
    await record_event(
        "application_declined",
        Actor(admin["id"], WEB),
        object_type="member",
        object_id=robin["member_id"],
        detail={"told": "hold", "reason": reason},
    )
    page = await client.get("/admin/audit")
    row_saying(
        page,
        "Declined the application of Robin, giving the reason “Lives outside the area”, and the "
        "email waits for a time they said is safe",
    )
    _, _, added = row_saying(
        page, "Added a reason for declining an application: “Lives outside the area”"
    )
    assert link_in(added)["href"] == f"/staff/applications/reasons/{reason}"


async def test_the_audit_log_makes_the_same_queries_for_a_few_or_many_events(
    client, signed_in, make_member, make_user
):
    admin = await signed_in(Role.ADMIN)
    by_admin = Actor(admin["id"], WEB)

    async def some_events() -> None:
        member = await make_member()
        staff = await make_user(Role.STAFF)
        await record_event(
            "member_record_viewed",
            Actor(staff["id"], WEB),
            object_type="member",
            object_id=member["member_id"],
        )
        await record_event(
            "role_changed",
            by_admin,
            object_type="user",
            object_id=staff["id"],
            detail={"from": "staff", "to": "board"},
        )
        await record_event(
            "application_declined",
            by_admin,
            object_type="member",
            object_id=member["member_id"],
            detail={"told": "send", "reason": 1},
        )

    await some_events()
    with counted_queries() as few:
        await client.get("/admin/audit")
    for _ in range(8):
        await some_events()
    with counted_queries() as many:
        page = await client.get("/admin/audit")
    assert len(html.table_rows(page)) == 50
    assert len(few) == len(many)


async def test_bad_filters_come_back_with_errors_and_the_input_kept(client, signed_in):
    await signed_in(Role.ADMIN)
    page = await client.get("/admin/audit?since=yesterday&action=nonsense", expected=400)
    errors = html.error_summary(page)
    assert errors["since"].startswith("Enter the date as year-month-day")
    assert set(errors) == {"action", "since"}
    assert html.form_values(page, "main form")["since"] == "yesterday"
    assert html.title(page).startswith("Error: Audit log")


async def test_audit_log_pages(client, signed_in):
    admin = await signed_in(Role.ADMIN)
    for number in range(60):
        await record_event(
            "user_created", Actor(admin["id"], "x"), object_type="user", object_id=number
        )
    first = await client.get("/admin/audit?action=user_created")
    assert html.text(first, ".panel-pagination__where") == "Page 1 of 2"
    assert len(actions_listed(first)) == 50
    second = await client.get("/admin/audit?action=user_created&page=2")
    assert html.text(second, ".panel-pagination__where") == "Page 2 of 2"


async def test_no_code_path_updates_or_deletes_audit_rows():
    offending = []
    for path in (ROOT / "panel").rglob("*.py"):
        text = path.read_text()
        for pattern in (
            r"AuditEvent\.(update|delete|alter|raw)\(",
            r"audit_event[^\n]*\b(UPDATE|DELETE)\b",
            r"\b(UPDATE|DELETE FROM)\s+audit_event",
        ):
            if re.search(pattern, text, flags=re.IGNORECASE):
                offending.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert offending == []


async def test_password_is_never_in_the_audit_log(client, make_user):
    from panel.audit.tables import AuditEvent

    user = await make_user(Role.MEMBER)
    await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    rows = await AuditEvent.select()
    assert PASSWORD not in str(rows)
