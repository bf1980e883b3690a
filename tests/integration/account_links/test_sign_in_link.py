"""Members who chose no password sign in with a single-use emailed link, valid 15 minutes; the link
goes only through the contact gate, only to members, and asking for one reveals nothing."""

from __future__ import annotations

import re
from datetime import timedelta

from panel.account_links.tables import SignInLink
from panel.accounts.rules import Role
from panel.accounts.services import now_utc
from panel.audit.tables import AuditEvent
from panel.members.tables import ContactPreference
from panel.outbox.tables import OutboxMessage
from tests.support import html


async def sign_in_link_for(email: str) -> str | None:
    message = (
        await OutboxMessage.select()
        .where(OutboxMessage.to_address == email)
        .order_by(OutboxMessage.id, ascending=False)
        .first()
    )
    if message is None:
        return None
    assert message["subject"] == "Your link to sign in"
    found = re.search(r"http://\S+(/sign-in/link/\S+)", message["text_body"])
    assert found is not None
    return found.group(1)


async def test_a_member_signs_in_with_an_emailed_link_once(client, make_member):
    member = await make_member()
    page = await client.get("/sign-in")
    assert html.links(page, "main a")["Email me a link to sign in"] == "/sign-in/link"
    response = await client.post("/sign-in/link", {"email": member["email"].upper()})
    assert response.headers["location"] == "/sign-in/link/sent"
    path = await sign_in_link_for(member["email"])
    assert path is not None
    # Opening the link only shows a button: a mail scanner following it does not use it up.
    opened = await client.get(path)
    assert html.texts(opened, "main p") == [
        "Select the button to sign in. This link then stops working."
    ]
    response = await client.post(path, {})
    assert response.headers["location"] == "/my-panel"
    await client.get("/my-panel")
    assert await AuditEvent.exists().where(
        AuditEvent.action == "sign_in", AuditEvent.object_id == str(member["id"])
    )
    again = await client.get(path, expected=404)
    assert html.text(again, "h1") == "This link has expired"


async def test_a_sign_in_link_expires_after_15_minutes(client, make_member):
    member = await make_member()
    await client.post("/sign-in/link", {"email": member["email"]})
    path = await sign_in_link_for(member["email"])
    assert path is not None
    row = await SignInLink.select(SignInLink.created_at, SignInLink.expires_at).first()
    assert row["expires_at"] - row["created_at"] <= timedelta(minutes=15, seconds=1)
    await SignInLink.update({SignInLink.expires_at: now_utc() - timedelta(seconds=1)}, force=True)
    await client.get(path, expected=404)
    await client.post(path, {}, expected=404, csrf_from="/sign-in/link")
    await client.get("/my-panel", expected=303)


async def test_known_unknown_and_staff_emails_get_the_same_answer_and_staff_get_no_link(
    client, make_user
):
    staff = await make_user(Role.STAFF)
    answers = []
    for email in (staff["email"], "nobody-at-all@example.org"):
        response = await client.post("/sign-in/link", {"email": email})
        answers.append((response.status_code, response.headers["location"]))
    assert answers[0] == answers[1] == (303, "/sign-in/link/sent")
    assert not await OutboxMessage.exists()


async def test_no_link_goes_to_an_address_the_member_has_not_marked_safe(client, make_member):
    member = await make_member()
    await ContactPreference.update({ContactPreference.safe: False}, force=True)
    await client.post("/sign-in/link", {"email": member["email"]})
    assert await sign_in_link_for(member["email"]) is None


async def test_links_are_limited_to_three_an_hour(client, make_member):
    member = await make_member()
    for _ in range(7):
        await client.post("/sign-in/link", {"email": member["email"]})
    assert await OutboxMessage.count().where(OutboxMessage.to_address == member["email"]) == 3
    assert await SignInLink.count() == 3  # no link is made for an email that is not sent


async def test_a_bad_email_comes_back_with_the_input_kept(client):
    response = await client.post("/sign-in/link", {"email": "not an email"}, expected=400)
    assert html.title(response).startswith("Error: Email me a link to sign in")
    assert html.form_values(response, "main form")["email"] == "not an email"


async def test_using_one_sign_in_link_ends_the_others(client, make_member, make_client):
    member = await make_member()
    await client.post("/sign-in/link", {"email": member["email"]})
    first = await sign_in_link_for(member["email"])
    await client.post("/sign-in/link", {"email": member["email"]})
    second = await sign_in_link_for(member["email"])
    assert first != second
    await client.post(second, {})
    other_browser = make_client()
    again = await other_browser.get(first, expected=404)
    assert html.text(again, "h1") == "This link has expired"
    await other_browser.post(first, {}, expected=404, csrf_from="/sign-in/link")
    await other_browser.get("/my-panel", expected=303)
