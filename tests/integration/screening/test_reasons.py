"""The editable list of reasons for declining an application: add, reword, retire and restore;
a retired reason is no longer offered but still shows on the decisions that gave it."""

from __future__ import annotations

from panel.audit.tables import AuditEvent
from panel.screening.tables import DeclineReason, ScreeningDecision
from tests.support import html

NEW_REASON = "The panel is for people who live in the area it covers."


async def reason_id_of(text: str) -> int:
    row = await DeclineReason.select(DeclineReason.id).where(DeclineReason.text == text).first()
    return row["id"]


async def reason_actions() -> list[str]:
    rows = await (
        AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_type == "decline_reason")
        .order_by(AuditEvent.id)
    )
    return [row["action"] for row in rows]


async def test_the_first_reasons_are_listed(client, staff):
    page = (await client.get("/staff/applications/reasons")).text
    reasons = html.table_rows(page)
    assert "You live outside the area the panel covers." in [row["Reason"] for row in reasons]
    assert {row["Offered"] for row in reasons} == {"Yes"}
    assert len(html.select(page, "tbody form")) == len(reasons) == 4  # a retire form each


async def test_adding_a_reason_needs_its_text(client, staff):
    response = await client.post("/staff/applications/reasons", {"text": "  "}, expected=400)
    assert html.title(response).startswith("Error: ")
    assert list(html.error_summary(response)) == ["text"]
    response = await client.post("/staff/applications/reasons", {"text": "x" * 501}, expected=400)
    assert "500 characters or fewer" in html.error_summary(response)["text"]
    assert html.form_values(response, "main form:has(textarea)")["text"] == "x" * 501

    response = await client.post("/staff/applications/reasons", {"text": NEW_REASON})
    assert response.headers["location"] == "/staff/applications/reasons?done=added"
    assert await DeclineReason.exists().where(DeclineReason.text == NEW_REASON)
    assert await reason_actions() == ["decline_reason_added"]


async def test_rewording_keeps_what_was_typed_when_it_is_refused(client, staff):
    await client.post("/staff/applications/reasons", {"text": NEW_REASON})
    reason_id = await reason_id_of(NEW_REASON)
    page = await client.get(f"/staff/applications/reasons/{reason_id}")
    assert html.form_values(page, "main form")["text"] == NEW_REASON

    refused = await client.post(
        f"/staff/applications/reasons/{reason_id}", {"text": "y" * 501}, expected=400
    )
    assert html.form_values(refused, "main form")["text"] == "y" * 501
    assert html.title(refused).startswith("Error: ")

    reworded = "The panel is for people who live in Kent or Medway."
    await client.post(f"/staff/applications/reasons/{reason_id}", {"text": reworded})
    assert (await DeclineReason.select().where(DeclineReason.id == reason_id).first())[
        "text"
    ] == reworded
    assert await reason_actions() == ["decline_reason_added", "decline_reason_reworded"]


async def test_a_retired_reason_is_not_offered_but_old_decisions_still_show_it(
    client, staff, make_applicant
):
    await client.post("/staff/applications/reasons", {"text": NEW_REASON})
    reason_id = await reason_id_of(NEW_REASON)
    declined_before = await make_applicant("Declined before", status="declined")
    await ScreeningDecision.insert(
        ScreeningDecision(
            member=declined_before["member_id"], decision="declined", reason=reason_id
        )
    )
    waiting = await make_applicant("Waiting")

    await client.post(
        f"/staff/applications/reasons/{reason_id}/retire", csrf_from="/staff/applications/reasons"
    )
    offered = (await client.get(f"/staff/applications/{waiting['member_id']}")).text
    assert NEW_REASON not in offered
    history = (await client.get(f"/staff/applications/{declined_before['member_id']}")).text
    [decision] = html.table_rows(html.section(history, "Decisions so far"))
    assert decision["Reason and message"] == f"{NEW_REASON} Retired reason"
    reasons_page = (await client.get("/staff/applications/reasons?done=retired")).text
    assert html.notification(reasons_page).startswith("Reason retired.")
    retired = {row["Reason"]: row for row in html.table_rows(reasons_page)}[NEW_REASON]
    assert retired["Offered"] == "Retired" and "Restore" in retired[""]  # the actions column

    await client.post(
        f"/staff/applications/reasons/{reason_id}/restore", csrf_from="/staff/applications/reasons"
    )
    offered = await client.get(f"/staff/applications/{waiting['member_id']}")
    assert NEW_REASON in html.texts(offered, "form[action$='/decline'] .govuk-radios__label")
    assert await reason_actions() == [
        "decline_reason_added",
        "decline_reason_retired",
        "decline_reason_restored",
    ]


async def test_an_unknown_reason_is_not_found(client, staff):
    await client.get("/staff/applications/reasons/999999", expected=404)
    await client.post(
        "/staff/applications/reasons/999999/retire",
        expected=404,
        csrf_from="/staff/applications/reasons",
    )
    await client.post(
        "/staff/applications/reasons/999999",
        {"text": NEW_REASON},
        expected=404,
        csrf_from="/staff/applications/reasons",
    )
