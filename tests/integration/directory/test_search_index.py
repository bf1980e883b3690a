"""The directory's search reads an index, not every member (issue 11, point 1): the index follows
every change to a name or an email, a short search still works, and erasing a member takes them
out of it. On SQLite the index is a table of its own kept by triggers, which a migration that
rebuilds ``member`` or ``panel_user`` would drop: these tests are what notices."""

from __future__ import annotations

from panel.accounts.tables import User
from panel.erasure import leave_and_erase
from panel.members.tables import Member
from tests.integration.conftest import ACTOR
from tests.integration.directory.conftest import found_count, listed


async def search(client, words: str) -> list[int]:
    return listed((await client.get("/staff/members", params={"q": words})).text)


async def user_of(member_id: int) -> int:
    row = await Member.select(Member.user).where(Member.id == member_id).first()
    return row["user"]


async def test_a_new_name_is_found_and_the_old_one_no_longer(client, staff, add_member, tag):
    member = await add_member(f"Rosalind {tag}")
    assert await search(client, f"rosalind {tag}") == [member]
    await Member.update({Member.preferred_name: f"Ros {tag}"}).where(Member.id == member)
    assert await search(client, f"rosalind {tag}") == []
    assert await search(client, f"ros {tag}") == [member]


async def test_a_new_email_is_found_and_the_old_one_no_longer(client, staff, add_member, tag):
    member = await add_member("Sam", email=f"old.{tag}@example.org")
    assert await search(client, f"old.{tag}") == [member]
    await User.update({User.email: f"new.{tag}@example.org"}).where(
        User.id == await user_of(member)
    )
    assert await search(client, f"old.{tag}") == []
    assert await search(client, f"new.{tag}@") == [member]


async def test_an_account_added_later_or_removed_is_followed(client, staff, add_member, tag):
    member = await add_member("Sam", email=f"first.{tag}@example.org")
    other = await User.insert(User(email=f"second.{tag}@example.org", role="member"))
    await Member.update({Member.user: other[0]["id"]}).where(Member.id == member)
    assert await search(client, f"first.{tag}") == []
    assert await search(client, f"second.{tag}") == [member]
    await User.delete().where(User.id == other[0]["id"])
    assert await search(client, f"second.{tag}") == []


async def test_a_search_of_one_or_two_letters_finds_them_too(client, staff, add_member, tag):
    # Too short for an index of three-letter pieces: it is answered all the same.
    member = await add_member("Zq")
    page = (await client.get("/staff/members", params={"q": "ZQ"})).text
    assert member in listed(page) and found_count(page) >= 1
    assert member in await search(client, "q")


async def test_quotes_and_symbols_are_searched_for_as_written(client, staff, add_member, tag):
    quoted = await add_member(f'Jo "{tag}" O\'Neil')
    await add_member(f"Jo {tag} ONeil")
    assert await search(client, f'"{tag}" o\'n') == [quoted]
    assert await search(client, f'{tag}" AND o*') == []


async def test_an_erased_member_is_not_found_by_their_old_name_or_email(
    client, staff, add_member, tag, settings
):
    member = await add_member(f"Gwendolen {tag}", email=f"gwen.{tag}@example.org")
    await leave_and_erase(member, settings, ACTOR)
    assert await search(client, f"gwendolen {tag}") == []
    assert await search(client, f"gwen.{tag}") == []
    assert await search(client, tag) == []


async def test_members_deleted_outright_leave_the_index(client, staff, add_member, tag):
    member = await add_member(f"Temp {tag}")
    await Member.delete().where(Member.id == member)
    assert await search(client, f"temp {tag}") == []
