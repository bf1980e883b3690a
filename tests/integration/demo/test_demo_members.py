"""The demo members a newcomer signs in as or screens: made once, with what each page needs to show
(safe contact, what happened, access needs, consents, and a call in the active member's contact
log)."""

from __future__ import annotations

from panel.accounts.tables import User
from panel.demo import DEMO_MEMBERS, load_demo_members
from panel.directory.tables import ContactLogEntry
from panel.members.tables import Member


async def test_the_demo_members_are_made_once_with_a_call_in_the_active_member_s_log(passwords):
    made = await load_demo_members(passwords)
    assert [(email, created) for email, _, created in made] == [
        (email, True) for email, *_ in DEMO_MEMBERS
    ]
    jo = await (
        Member.select(Member.id, Member.status)
        .where(Member.user.email == "member@demo.example")
        .first()
    )
    assert jo["status"] == "active"
    [call] = await ContactLogEntry.select().where(ContactLogEntry.member == jo["id"])
    assert (call["channel"], call["reason"]) == ("phone_call", "returning_call")
    applicants = await Member.select(Member.id).where(
        Member.user.email.is_in(["applicant.one@demo.example", "applicant.two@demo.example"])
    )
    assert (
        await ContactLogEntry.count().where(
            ContactLogEntry.member.is_in([row["id"] for row in applicants])
        )
        == 0
    )

    again = await load_demo_members(passwords)
    assert [created for *_, created in again] == [False, False, False]
    assert await User.count().where(User.email == "member@demo.example") == 1
