"""Staff plan engagements, list and filter them, move them on and cancel them; a facilitator sees
only the engagements they run (issue: engagements, points 1 and 6)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.engagements.services import record_invitation
from panel.engagements.tables import Engagement, EngagementFacilitator, Invitation
from panel.outbox.tables import OutboxMessage
from panel.settings import REVEALING_WORDS
from tests.support import html
from tests.support.engagements import SOON, plan_form
from tests.support.queries import counted_queries

LONDON = ZoneInfo("Europe/London")


async def plan_one(client, **changes) -> int:
    response = await client.post("/staff/engagements/new", plan_form(**changes))
    location = response.headers["location"]
    assert location.endswith("?done=created")
    return int(location.split("/")[-1].split("?")[0])


async def test_staff_plan_a_focus_group_and_find_it_saved_as_a_draft(client, signed_in, make_user):
    await signed_in(Role.STAFF)
    facilitator = await make_user(Role.FACILITATOR)
    form = await client.get("/staff/engagements/new")
    offered = html.texts(form.text, "#facilitators-hint ~ .govuk-checkboxes label")
    assert facilitator["email"] in offered

    engagement_id = await plan_one(client, facilitators=[str(facilitator["id"])])

    page = await client.get(f"/staff/engagements/{engagement_id}?done=created")
    assert html.text(page.text, "h1") == "Updates during an investigation"
    assert html.notification(page.text) == "The engagement is saved as a draft."
    status = html.summary_list(html.section(page.text, "Where it has got to"))
    assert status["Status"] == "Draft"
    assert status["Invited"] == "0"
    when = html.summary_list(html.section(page.text, "Where and when"))
    assert when["Venue"] == "Community hall"
    assert when["Time (UK time)"] == "10:00 to 12:00"
    assert when["Date"] == f"{SOON:%A} {SOON.day} {SOON:%B %Y}"
    runs = html.summary_list(html.section(page.text, "Who runs it and support"))
    assert runs["Facilitators"] == facilitator["email"]
    [event] = await AuditEvent.select().where(AuditEvent.action == "engagement_created")
    assert event["object_id"] == str(engagement_id)


async def test_a_plan_with_mistakes_comes_back_with_what_was_typed(client, signed_in):
    await signed_in(Role.STAFF)
    response = await client.post(
        "/staff/engagements/new",
        plan_form(title="", capacity="lots", topic="Being kept informed"),
        expected=400,
    )
    assert html.title(response.text).startswith("Error: ")
    assert html.error_summary(response.text) == {
        "title": "Enter a title for the engagement",
        "capacity": "Enter how many can take part, a whole number from 1 to 200",
    }
    kept = html.form_values(response.text, "main form")
    assert kept["topic"] == "Being kept informed"
    assert kept["capacity"] == "lots"
    assert kept["journey_stages"] == "updates"
    assert await Engagement.count() == 0


async def test_changing_the_plan_shows_it_filled_in_and_saves_the_change(
    client, signed_in, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement(title="Court waiting rooms")
    page = await client.get(f"/staff/engagements/{engagement_id}/change")
    shown = html.form_values(page.text, "main form")
    assert shown["title"] == "Court waiting rooms"
    assert shown["starts"] == f"{SOON.astimezone(LONDON):%H:%M}"
    shown["title"] = "Waiting at court"
    await client.post(f"/staff/engagements/{engagement_id}/change", shown)
    page = await client.get(f"/staff/engagements/{engagement_id}")
    assert html.text(page.text, "h1") == "Waiting at court"


async def test_the_list_filters_by_status_and_facilitator_in_a_fixed_number_of_queries(
    client, signed_in, make_user, make_engagement
):
    await signed_in(Role.STAFF)
    facilitator = await make_user(Role.FACILITATOR)
    await make_engagement("recruiting", title="Recruiting one", facilitators=(facilitator["id"],))
    await make_engagement("held", title="Held one", facilitators=(facilitator["id"],))
    await make_engagement("recruiting", title="Nobody runs this")

    page = await client.get("/staff/engagements?status=recruiting")
    rows = html.table_rows(page.text)
    assert sorted(row["Engagement"].split(" Focus group")[0] for row in rows) == [
        "Nobody runs this",
        "Recruiting one",
    ]
    page = await client.get(f"/staff/engagements?facilitator={facilitator['id']}")
    assert {row["Status"] for row in html.table_rows(page.text)} == {"Recruiting", "Held"}

    with counted_queries() as few:
        await client.get("/staff/engagements")
    for number in range(6):
        await make_engagement(title=f"More {number}", facilitators=(facilitator["id"],))
    with counted_queries() as many:
        page = await client.get("/staff/engagements")
    assert len(html.table_rows(page.text)) == 9
    assert len(many) == len(few)


async def test_a_filter_the_page_does_not_offer_is_said_plainly(client, signed_in):
    await signed_in(Role.STAFF)
    page = await client.get("/staff/engagements?status=lost&month=someday", expected=400)
    assert html.error_summary(page.text) == {
        "status": "Select a status from the list",
        "month": "Select a month from the list",
    }


async def test_an_engagement_moves_on_only_when_it_is_ready(
    client, signed_in, make_user, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement()
    path = f"/staff/engagements/{engagement_id}"
    refused = await client.post(f"{path}/status", {"to": "recruiting"}, 409, csrf_from=path)
    assert html.error_messages(refused.text) == ["Choose who will facilitate it first."]
    skipped = await client.post(f"{path}/status", {"to": "held"}, 409, csrf_from=path)
    assert html.error_messages(skipped.text) == ["A draft engagement cannot become held."]

    facilitator = await make_user(Role.FACILITATOR)
    await EngagementFacilitator.insert(
        EngagementFacilitator(engagement=engagement_id, facilitator=facilitator["id"])
    )
    moved = await client.post(f"{path}/status", {"to": "recruiting"}, csrf_from=path)
    assert moved.headers["location"].endswith("?done=recruiting")
    page = await client.get(moved.headers["location"])
    assert html.notification(page.text) == "It is recruiting: you can now choose who to invite."
    assert html.text(page.text, "main form button") == "Confirm the session"
    [event] = await AuditEvent.select().where(AuditEvent.action == "engagement_status_changed")
    assert event["detail"] == '{"from": "draft", "to": "recruiting"}'


async def test_each_thing_a_draft_lacks_is_its_own_problem(client, signed_in, make_engagement):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement(public_description="", venue_name="")
    path = f"/staff/engagements/{engagement_id}"
    refused = await client.post(f"{path}/status", {"to": "recruiting"}, 409, csrf_from=path)
    assert html.title(refused.text).startswith("Error: ")
    assert html.error_messages(refused.text) == [
        "Write what invitees will read about the session first.",
        "Choose who will facilitate it first.",
        "Give the venue and its address first.",
    ]


async def test_cancelling_tells_each_open_invitee_by_date_alone(
    client, signed_in, make_member, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement("recruiting", title="Domestic abuse survivors group")
    invited, accepted, declined = [await make_member() for _ in range(3)]
    for member, status in ((invited, "invited"), (accepted, "accepted"), (declined, "declined")):
        invitation_id = await record_invitation(
            member["member_id"], "focus_group", engagement_id, datetime.now(UTC)
        )
        await Invitation.update({Invitation.status: status}).where(Invitation.id == invitation_id)

    path = f"/staff/engagements/{engagement_id}/cancel"
    page = await client.get(path)
    assert "The 2 people with an open invitation will be told" in html.text(page.text, "main")
    refused = await client.post(path, {"reason": ""}, expected=400)
    assert html.error_summary(refused.text) == {"reason": "Say why the engagement is cancelled"}
    await client.post(path, {"reason": "The venue closed"})

    page = await client.get(f"/staff/engagements/{engagement_id}")
    status = html.summary_list(html.section(page.text, "Where it has got to"))
    assert status["Status"] == "Cancelled"
    assert status["Why it was cancelled"] == "The venue closed"
    assert not html.select(page.text, "main form")  # nothing more to do with it
    statuses = {
        row["member"]: row["status"]
        for row in await Invitation.select(Invitation.member, Invitation.status)
    }
    assert statuses == {
        invited["member_id"]: "cancelled",
        accepted["member_id"]: "cancelled",
        declined["member_id"]: "declined",
    }
    told = await OutboxMessage.select().where(OutboxMessage.subject == "A change to a meeting")
    assert sorted(row["to_address"] for row in told) == sorted(
        [invited["email"], accepted["email"]]
    )
    for message in told:
        assert f"{SOON:%B %Y}" in message["text_body"]
        assert "abuse" not in message["text_body"].lower()
        assert not REVEALING_WORDS.search(message["text_body"])


async def test_what_has_been_held_cannot_be_changed_or_cancelled(
    client, signed_in, make_engagement
):
    await signed_in(Role.STAFF)
    engagement_id = await make_engagement("held")
    path = f"/staff/engagements/{engagement_id}"
    page = await client.get(path)
    assert html.hrefs(page.text, "main a[href$='/change']") == []
    assert html.hrefs(page.text, "main a[href$='/cancel']") == []
    refused = await client.post(f"{path}/cancel", {"reason": "Too late"}, 409, csrf_from=path)
    assert html.error_messages(refused.text) == [
        "A held engagement cannot be cancelled: it has already happened."
    ]
    await client.post(f"{path}/change", plan_form(title="Rewritten"), 409, csrf_from=path)
    assert await Engagement.select(Engagement.title).first() == {
        "title": "Updates during an investigation"
    }


async def test_an_engagement_that_does_not_exist_is_not_found(client, signed_in):
    await signed_in(Role.STAFF)
    await client.get("/staff/engagements/999999", expected=404)
    await client.get("/staff/engagements/999999/change", expected=404)


# ---------------------------------------------------------------------------------------------
# Facilitators


async def test_a_facilitator_sees_their_own_engagements_and_no_other(
    client, make_user, make_engagement
):
    from tests.integration.conftest import sign_in

    mine_user = await make_user(Role.FACILITATOR)
    other = await make_user(Role.FACILITATOR)
    mine = await make_engagement("confirmed", title="Mine", facilitators=(mine_user["id"],))
    theirs = await make_engagement("confirmed", title="Theirs", facilitators=(other["id"],))
    await sign_in(client, mine_user)

    home = await client.get("/facilitator")
    assert [row["Session"] for row in html.table_rows(home.text)] == ["Mine"]
    page = await client.get(f"/facilitator/engagements/{mine}")
    assert html.text(page.text, "h1") == "Mine"
    await client.get(f"/facilitator/engagements/{theirs}", expected=404)
    await client.get("/facilitator/engagements/999999", expected=404)
    for staff_page in (f"/staff/engagements/{mine}", "/staff/engagements", "/staff/members"):
        await client.get(staff_page, expected=403)


async def test_a_facilitator_with_no_sessions_is_told_so(client, signed_in):
    await signed_in(Role.FACILITATOR)
    home = await client.get("/facilitator")
    assert html.text(home.text, "main p") == (
        "You have no sessions to run at the moment. Sessions you are asked to facilitate will "
        "appear here."
    )


async def test_members_and_board_members_reach_no_engagement(client, signed_in, make_engagement):
    engagement_id = await make_engagement()
    await signed_in(Role.BOARD)
    await client.get(f"/staff/engagements/{engagement_id}", expected=403)
    await client.get(f"/facilitator/engagements/{engagement_id}", expected=403)
