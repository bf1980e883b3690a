"""Horizon scanning (issue: actions and governance, point 3): staff log what others publish,
assess it, adopt it through an action (new or started) or set it aside with the reason; the
daily run reminds staff of items still waiting past their review-by date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from panel.accounts.rules import Role
from panel.actions.horizon import send_review_reminders
from panel.actions.tables import Action, HorizonAction, HorizonItem
from panel.outbox.tables import OutboxMessage
from tests.integration.actions.test_actions import an_action_form
from tests.support import html

TITLE = "Victims' Commissioner: annual report on the Victims' Code"


def an_item(**more):
    published = date.today() - timedelta(days=10)
    review_by = date.today() + timedelta(days=30)
    return {
        "source": "victims_commissioner",
        "title": TITLE,
        "link": "https://victimscommissioner.example.org/report",
        "published-day": str(published.day),
        "published-month": str(published.month),
        "published-year": str(published.year),
        "summary": "Compliance with the Code, force by force.",
        "relevance": "",
        "review_by-day": str(review_by.day),
        "review_by-month": str(review_by.month),
        "review_by-year": str(review_by.year),
        **more,
    }


async def an_added_item(client, **more) -> str:
    added = await client.post("/staff/horizon/new", an_item(**more), csrf_from="/staff/horizon/new")
    return added.headers["location"].split("?")[0]


async def test_staff_add_assess_and_adopt_an_item_through_a_new_action(client, signed_in):
    await signed_in(Role.STAFF)
    refused = await client.post(
        "/staff/horizon/new",
        an_item(title="", link="not a link"),
        400,
        csrf_from="/staff/horizon/new",
    )
    assert set(html.error_summary(refused.text)) == {"title", "link"}
    assert html.form_values(refused.text, "#item-form")["summary"] == (
        "Compliance with the Code, force by force."
    )
    path = await an_added_item(client)
    page = await client.get(path)
    assert html.summary_list(page.text, "#item")["Status"] == "New"

    await client.post(
        f"{path}/decision",
        {"status": "assessed", "note": "Kent's compliance with right 6 is below average."},
        csrf_from=path,
    )
    page = await client.get(path)
    shown = html.summary_list(page.text, "#item")
    assert shown["Status"] == "Assessed"
    assert shown["Why it matters here"] == "Kent's compliance with right 6 is below average."

    item_id = path.rsplit("/", 1)[1]
    new = await client.get(f"/staff/actions/new?horizon={item_id}")
    assert TITLE in html.text(new.text, "#takes-up")
    await client.post(
        "/staff/actions/new", {**await an_action_form(), "horizon": item_id}, csrf_from=path
    )
    [action] = await Action.select(Action.id)
    page = await client.get(path)
    shown = html.summary_list(page.text, "#item")
    assert shown["Status"] == "Adopted"
    assert shown["Actions that take it up"] == "Tell victims when their case is closed (proposed)"
    assert [row["action"] for row in await HorizonAction.select()] == [action["id"]]


async def test_an_item_set_aside_needs_a_reason_and_cannot_then_be_adopted(client, signed_in):
    await signed_in(Role.STAFF)
    path = await an_added_item(client)
    no_reason = await client.post(
        f"{path}/decision", {"status": "not_applicable"}, 400, csrf_from=path
    )
    assert html.error_summary(no_reason.text) == {"note": "Say why it does not apply"}
    await client.post(
        f"{path}/decision",
        {"status": "not_applicable", "note": "About youth courts only."},
        csrf_from=path,
    )
    await client.post("/staff/actions/new", await an_action_form(), csrf_from=path)
    [action] = await Action.select(Action.id)
    refused = await client.post(f"{path}/adopt", {"action": str(action["id"])}, 400, csrf_from=path)
    assert html.error_summary(refused.text) == {"action": "The item was found not to apply"}
    page = await client.get(path)
    assert html.summary_list(page.text, "#item")["Status"] == (
        "Not applicable: About youth courts only."
    )
    assert html.select(page.text, "#decision-form") == []


async def test_an_item_is_adopted_through_an_action_already_started(client, signed_in):
    await signed_in(Role.STAFF)
    path = await an_added_item(client)
    await client.post("/staff/actions/new", await an_action_form(), csrf_from=path)
    [action] = await Action.select(Action.id)
    await client.post(f"{path}/adopt", {"action": str(action["id"])}, csrf_from=path)
    [item] = await HorizonItem.select(HorizonItem.status)
    assert item["status"] == "adopted"
    refused = await client.post(f"{path}/adopt", {"action": "999999"}, 400, csrf_from=path)
    assert html.error_summary(refused.text) == {"action": "Choose an action from the list"}


async def test_staff_are_reminded_once_of_items_waiting_past_their_review_by_date(
    client, signed_in, make_user, settings
):
    staff = await signed_in(Role.STAFF)
    other = await make_user(Role.STAFF)
    await make_user(Role.FACILITATOR)
    await an_added_item(client)
    await an_added_item(client, title="College of Policing: guidance on updates")
    now = datetime.now(UTC)
    assert await send_review_reminders(settings, now) == 0  # nothing is due yet
    await HorizonItem.update({HorizonItem.review_by: now.date() - timedelta(days=1)}).where(
        HorizonItem.id > 0
    )
    assert await send_review_reminders(settings, now) == 2
    sent = await OutboxMessage.select()
    assert {row["to_address"] for row in sent} >= {staff["email"], other["email"]}
    assert all("2 items are past the date" in row["text_body"] for row in sent)
    assert not [row for row in sent if "College" in row["text_body"] + row["subject"]]
    assert await send_review_reminders(settings, now) == 0  # once for each review-by date
    assert await OutboxMessage.count() == len(sent)
