"""Improvement actions (issue: actions and governance, point 1): staff make an action from
approved findings, owned by an agency from a list the office keeps, and track it through its
statuses with a dated log; the action shows the findings, sessions and rights behind it, and a
finding in the library shows what was done about it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from panel.accounts.rules import Role
from panel.actions.rules import ActionStatus, Rag, rag_of, statuses_after
from panel.actions.tables import Action, ActionAgency, ActionFinding, ActionUpdate
from panel.audit.services import Actor
from panel.audit.tables import AuditEvent
from panel.findings.services import FindingSent, record_finding, review_finding
from tests.integration.conftest import sign_in
from tests.support import html
from tests.support.queries import counted_queries

ACTOR = Actor(None, "test")
RIGHT_6 = "Right 6: to be provided with information about the investigation and prosecution"
DUE = date.today() + timedelta(days=90)


async def a_finding(engagement_id, statement, approve=True, rights=("right_6",)):
    finding_id = await record_finding(
        engagement_id,
        FindingSent(statement, "negative", "high", rights, ("updates",), ("police",), ()),
        None,
        ACTOR,
        timedelta(days=365),
    )
    if approve:
        await review_finding(finding_id, True, "", ACTOR)
    return finding_id


async def police_id():
    row = (
        await ActionAgency.select(ActionAgency.id)
        .where(ActionAgency.name == "The police force")
        .first()
    )
    return row["id"]


async def an_action_form(**more):
    return {
        "title": "Tell victims when their case is closed",
        "description": "A call, then a letter, with the reason.",
        "agency": str(await police_id()),
        "owner": "Head of Victim Services",
        "due-day": str(DUE.day),
        "due-month": str(DUE.month),
        "due-year": str(DUE.year),
        "priority": "high",
        **more,
    }


def test_an_action_moves_one_step_at_a_time_or_is_not_taken_forward():
    assert statuses_after(ActionStatus.PROPOSED) == (
        ActionStatus.AGREED,
        ActionStatus.NOT_TAKEN_FORWARD,
    )
    assert statuses_after(ActionStatus.IN_PROGRESS)[0] is ActionStatus.COMPLETED
    assert statuses_after(ActionStatus.COMPLETED) == ()
    assert statuses_after(ActionStatus.NOT_TAKEN_FORWARD) == ()


def test_the_rag_rating_comes_from_the_status_and_the_due_date():
    today = date(2027, 1, 10)
    assert rag_of(ActionStatus.AGREED, date(2027, 1, 9), today) is Rag.RED
    assert rag_of(ActionStatus.AGREED, date(2027, 1, 24), today) is Rag.AMBER
    assert rag_of(ActionStatus.AGREED, date(2027, 1, 25), today) is Rag.GREEN
    assert rag_of(ActionStatus.COMPLETED, date(2027, 1, 9), today) is Rag.COMPLETED
    assert rag_of(ActionStatus.NOT_TAKEN_FORWARD, date(2027, 1, 9), today) is Rag.NOT_TAKEN_FORWARD


async def test_staff_make_one_action_from_two_findings_and_track_it_to_completion(
    client, signed_in, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement("held", title="Updates after reporting")
    first = await a_finding(engagement_id, "Updates stopped once the case went to the CPS.")
    second = await a_finding(engagement_id, "Nobody said the case was closed.", rights=("right_9",))
    waiting = await a_finding(engagement_id, "Not reviewed yet.", approve=False)

    # From the library: the findings chosen are listed on the new action's page.
    library = await client.get("/staff/insights")
    boxes = html.select(library.text, "#choose-findings input[name=finding]")
    assert {box["value"] for box in boxes} == {str(first), str(second)}
    assert html.one(library.text, "#choose-findings")["action"] == "/staff/actions/new"
    new = await client.get(f"/staff/actions/new?finding={first}&finding={second}&finding={waiting}")
    assert len(html.select(new.text, "#findings li")) == 2  # only approved findings
    form = {**await an_action_form(), "finding": [str(first), str(second), str(waiting)]}
    made = await client.post("/staff/actions/new", form, csrf_from="/staff/actions/new")
    [action] = await Action.select()
    assert made.headers["location"] == f"/staff/actions/{action['id']}?done=created"
    assert action["status"] == "proposed" and action["owner"] == "Head of Victim Services"
    linked = {row["finding"] for row in await ActionFinding.select(ActionFinding.finding)}
    assert linked == {first, second}
    [created] = await AuditEvent.select().where(AuditEvent.action == "action_created")
    assert json.loads(created["detail"]) == {"findings": 2}

    page = await client.get(made.headers["location"])
    shown = html.summary_list(page.text, "#action")
    assert shown["Status"] == "Proposed" and shown["RAG rating"] == "Green: on track"
    assert RIGHT_6 in shown["Victims' Code rights behind it"]
    assert len(html.select(page.text, "#findings li")) == 2
    assert "Updates after reporting" in html.text(page.text, "#findings")

    path = f"/staff/actions/{action['id']}"
    for status in ("agreed", "in_progress", "completed"):
        await client.post(
            f"{path}/updates",
            {"note": f"Now {status}.", "status": status, "evidence": "Complaints fell."},
            csrf_from=path,
        )
    done = await client.get(path)
    assert html.summary_list(done.text, "#action")["RAG rating"] == "Completed"
    assert html.summary_list(done.text, "#action")["Evidence of impact"] == "Complaints fell."
    assert html.texts(done.text, "#log li strong") == [
        "In progress to completed",
        "Agreed to in progress",
        "Proposed to agreed",
        "Proposed",
    ]
    assert html.select(done.text, "#update-form") == []  # finished: the log is closed

    # The finding in the library shows what was done about it.
    library = await client.get("/staff/insights")
    card = html.one(library.text, f"#finding-{first}")
    assert "Tell victims when their case is closed (completed)" in html.shown_text(card)


async def test_an_update_that_cannot_be_made_comes_back_with_what_was_typed(client, signed_in):
    await signed_in(Role.STAFF)
    made = await client.post(
        "/staff/actions/new", await an_action_form(), csrf_from="/staff/actions/new"
    )
    path = made.headers["location"].split("?")[0]
    skipped = await client.post(
        f"{path}/updates", {"note": "Done already.", "status": "completed"}, 400, csrf_from=path
    )
    assert html.error_summary(skipped.text) == {"status": "Choose what the action's status is now"}
    assert html.form_values(skipped.text, "#update-form")["note"] == "Done already."
    no_reason = await client.post(
        f"{path}/updates", {"status": "not_taken_forward"}, 400, csrf_from=path
    )
    assert html.error_summary(no_reason.text) == {"reason": "Say why it is not taken forward"}
    await client.post(
        f"{path}/updates",
        {"status": "not_taken_forward", "reason": "The CPS already does this."},
        csrf_from=path,
    )
    [action] = await Action.select()
    assert (action["status"], action["not_taken_reason"]) == (
        "not_taken_forward",
        "The CPS already does this.",
    )
    assert await ActionUpdate.count() == 2


async def test_an_action_form_with_mistakes_keeps_the_input_and_saves_nothing(client, signed_in):
    await signed_in(Role.STAFF)
    form = await an_action_form(title="", owner="Ops", **{"due-month": "13"})
    refused = await client.post("/staff/actions/new", form, 400, csrf_from="/staff/actions/new")
    assert set(html.error_summary(refused.text)) == {"title", "due"}
    assert html.form_values(refused.text, "#action-form")["owner"] == "Ops"
    assert await Action.count() == 0


async def test_the_office_keeps_the_list_of_agencies_and_a_retired_one_is_not_offered(
    client, signed_in
):
    await signed_in(Role.STAFF)
    page = await client.get("/staff/actions/agencies")
    assert "The police force" in html.text(page.text, "#agencies")
    await client.post("/staff/actions/agencies", {"name": "Kent Fire and Rescue Service"})
    again = await client.post(
        "/staff/actions/agencies", {"name": "kent fire and rescue service"}, 400
    )
    assert html.error_summary(again.text) == {"name": "That agency is on the list already"}
    police = await police_id()
    await client.post(
        f"/staff/actions/agencies/{police}", {"retired": "yes"}, csrf_from="/staff/actions/agencies"
    )
    new = await client.get("/staff/actions/new")
    offered = [option.get_text() for option in html.select(new.text, "#agency option")]
    assert "Kent Fire and Rescue Service" in offered and "The police force" not in offered


async def test_only_staff_reach_actions_and_the_list_reads_a_fixed_number_of_queries(
    client, signed_in, make_client, make_user
):
    await signed_in(Role.STAFF)
    counts = []
    for _ in range(2):
        for _ in range(3):
            await client.post(
                "/staff/actions/new", await an_action_form(), csrf_from="/staff/actions/new"
            )
        with counted_queries() as seen:
            page = await client.get("/staff/actions")
        counts.append(len(seen))
    assert counts[0] == counts[1]
    assert len(html.select(page.text, "#actions tbody tr")) == 6
    for role in (Role.FACILITATOR, Role.BOARD):
        someone = make_client()
        await sign_in(someone, await make_user(role))
        await someone.get("/staff/actions", 403)
    overdue = datetime.now(UTC).date() - timedelta(days=1)
    ids = sorted(row["id"] for row in await Action.select(Action.id))
    await Action.update({Action.due: overdue}).where(Action.id.is_in(ids[3:]))
    red = await client.get("/staff/actions?rag=red")
    assert len(html.select(red.text, "#actions tbody tr")) == 3
