"""Every staff page about one member is titled and headed by the member's preferred name, never
by a number or a reference; a member who gave no name reads "No name given"."""

from __future__ import annotations

import pytest

from panel.members.tables import Member
from tests.support import html

DASH = "\u2013"  # the en dash that separates the parts of a title
# Each staff page about one member: its path, and its title with the name in it.
PAGES = {
    "record": ("/staff/members/{id}", "{name}"),
    "consent": ("/staff/members/{id}/consent", f"What they have agreed to {DASH} {{name}}"),
    "contact limits": ("/staff/members/{id}/contact-limits", f"Contact limits {DASH} {{name}}"),
    "leave": ("/staff/members/{id}/leave", f"They want to leave the panel {DASH} {{name}}"),
    "application": ("/staff/applications/{id}", f"{{name}} {DASH} Application"),
    "change details": ("/staff/members/{id}/details", f"Change their details {DASH} {{name}}"),
    "change safe contact": (
        "/staff/members/{id}/safe-contact",
        f"How it is safe to contact them {DASH} {{name}}",
    ),
    "change access needs": (
        "/staff/members/{id}/access-needs",
        f"What they need to take part {DASH} {{name}}",
    ),
    "contact log": ("/staff/members/{id}/contact-log", f"Add to their contact log {DASH} {{name}}"),
}


@pytest.mark.parametrize("page_name", sorted(PAGES))
@pytest.mark.parametrize("name", ["Robin Doe", ""])
async def test_a_staff_page_about_a_member_is_titled_by_their_name_never_a_number(
    client, staff, add_member, settings, page_name, name
):
    member = await add_member(name, status="verified")
    pseudonym = (await Member.select(Member.pseudonym).where(Member.id == member).first())[
        "pseudonym"
    ]
    path, title = PAGES[page_name]
    shown = name or "No name given"

    page = await client.get(path.format(id=member))

    assert html.title(page) == f"{title.format(name=shown)} {DASH} {settings.service_name}"
    headings = (
        html.text(page, "main h1") + " " + " ".join(html.texts(page, "main .govuk-caption-l"))
    )
    assert shown in headings
    for code in (str(member), pseudonym, "Member "):
        assert code not in html.title(page) and code not in headings


@pytest.mark.parametrize("name", ["", "   "])
async def test_the_directory_links_a_member_with_no_name_by_the_words_for_it(
    client, staff, add_member, name
):
    """Never a link with no words in it (a screen reader would read out nothing, or the address)."""
    member = await add_member(name)
    page = await client.get("/staff/members")
    links = html.links(html.one(page, "main table"))
    assert links.get("No name given") == f"/staff/members/{member}"
