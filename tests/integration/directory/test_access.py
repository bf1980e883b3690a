"""Only staff and administrators reach the directory, the export and members' records; a
facilitator, a board member or a panel member is refused, and nothing changes (anonymous
requests are covered by the route walk)."""

from __future__ import annotations

import pytest

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.members.tables import Member
from tests.support import html

PAGES = [
    "/staff/members",
    "/staff/members?q=a&status=active",
    "/staff/members.csv",
    "/staff/members/{member}",
    "/staff/members/{member}/leave",
]
FORMS = [
    ("/staff/members/{member}/status", {"status": "paused", "pause": "until_resumed"}),
    ("/staff/members/{member}/do-not-contact", {"do_not_contact": "yes", "reason": "x"}),
    ("/staff/members/{member}/leave", {"confirm": "yes"}),
]


async def views_and_exports() -> int:
    return await AuditEvent.count().where(
        AuditEvent.action.is_in(["member_record_viewed", "member_list_exported"])
    )


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.BOARD, Role.MEMBER])
async def test_other_roles_cannot_see_or_change_members(client, signed_in, add_member, role):
    member = await add_member("Alex")
    before = await views_and_exports()
    await signed_in(role)
    for page in PAGES:
        response = await client.get(page.format(member=member), expected=403)
        assert html.text(response, "h1") == "You cannot do this"
        assert "Your account does not give you access to this page." in html.texts(
            response, "main p"
        )
    for path, form in FORMS:
        await client.post(path.format(member=member), form, expected=403, csrf_from="/")
    row = (
        await Member.select(Member.status, Member.do_not_contact).where(Member.id == member).first()
    )
    assert row == {"status": "active", "do_not_contact": False}
    assert await views_and_exports() == before
