"""The member's own pages: home, what they have agreed to, changed wording, pausing, their data and
leaving (issue: members, points 4 and 5)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from panel.accounts.tables import User, WebSession
from panel.audit.tables import AuditEvent
from panel.consent.rules import ConsentState, Purpose
from panel.consent.services import consents_of, record_consent
from panel.consent.tables import ConsentEvent, ConsentWording
from panel.jobs.retention import run_retention
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.outbox import messages
from panel.outbox.services import enqueue
from panel.outbox.tables import OutboxMessage
from tests.integration.conftest import ACTOR, PASSWORD, sign_in
from tests.support import html


async def states_of(member_id: int) -> dict[Purpose, ConsentState]:
    return {consent.purpose: consent.state for consent in await consents_of(member_id)}


async def publish_new_wording(purpose: Purpose, text: str, material: bool = True) -> None:
    newest = await (
        ConsentWording.select(ConsentWording.version, ConsentWording.title)
        .where(ConsentWording.purpose == purpose.value)
        .order_by(ConsentWording.version, ascending=False)
        .first()
    )
    await ConsentWording.insert(
        ConsentWording(
            purpose=purpose.value,
            version=newest["version"] + 1,
            title=newest["title"],
            text=text,
            material=material,
        )
    )


def card(page: str, purpose: str) -> dict[str, str]:
    """A purpose's card on the consents page: its summary list and the buttons it offers."""
    found = html.one(page, f"#{purpose}.govuk-summary-card")
    return html.summary_list(found) | {
        "buttons": [html.shown_text(button) for button in html.select(found, "button")]
    }


async def pending_for(member_id: int, purpose: str) -> int:
    return await OutboxMessage.count().where(
        OutboxMessage.member_id == member_id,
        OutboxMessage.purpose == purpose,
        OutboxMessage.status == "pending",
    )


# ---------------------------------------------------------------------------------------------
# Home


async def test_an_active_members_home_shows_what_they_agreed_to_and_links_to_every_page(
    client, make_member
):
    member = await make_member(preferred_name="Robin")
    await sign_in(client, member)
    page = (await client.get("/my-panel")).text
    assert html.text(page, ".govuk-caption-l") == "Hello Robin"
    assert html.hrefs(html.section(page, "Invitations"), "a") == ["/my-panel/invitations"]
    agreed = html.summary_list(html.section(page, "What you have agreed to"))
    assert agreed["Being a member of the panel"] == "Agreed"
    links = html.hrefs(page, "main a")
    for link in (
        "/my-panel/consents",
        "/my-panel/details",
        "/my-panel/contact",
        "/my-panel/pause",
        "/my-panel/data",
        "/my-panel/leave",
    ):
        assert link in links


@pytest.mark.parametrize("status", ["applied", "verified"])
async def test_an_applicant_is_told_their_application_is_being_checked(client, make_member, status):
    await sign_in(client, await make_member(status=status))
    page = (await client.get("/my-panel")).text
    assert html.texts(html.section(page, "What happens next"), "p")[0].startswith(
        "We are checking your application"
    )
    assert "No invitations" not in page and 'href="/my-panel/pause"' not in page


# ---------------------------------------------------------------------------------------------
# What they have agreed to


async def test_the_consents_page_shows_each_purposes_state_date_and_wording(client, make_member):
    member = await make_member()
    await record_consent(member["member_id"], Purpose.FOCUS_GROUPS, True, ACTOR)
    await record_consent(member["member_id"], Purpose.FOCUS_GROUPS, False, ACTOR)
    await sign_in(client, member)
    page = (await client.get("/my-panel/consents")).text
    assert html.text(page, "h1") == "What I have agreed to"
    surveys = card(page, "surveys")
    today = datetime.now(UTC)
    assert surveys["Your answer"] == f"Agreed since {today.day} {today:%B %Y}"
    assert surveys["What you agreed to"].startswith("I agree to be sent surveys")
    assert surveys["What you agreed to"].endswith("Wording version 1")
    assert surveys["buttons"] == ["Withdraw"]
    focus = card(page, "focus_groups")
    assert focus["Your answer"].startswith("Withdrawn since ")
    assert focus["buttons"] == ["Agree"]
    assert card(page, "case_reviews")["Your answer"] == "Not agreed"
    history = html.table_rows(html.section(page, "Everything you have told us"))
    assert len(history) == 4
    assert (history[0]["What"], history[0]["Your answer"]) == ("Focus groups", "Withdrew")
    assert {event["How"] for event in history} == {"Online, by the member"}


async def test_withdrawing_takes_effect_at_once_and_cancels_what_was_waiting(
    client, make_member, settings
):
    member = await make_member()
    await enqueue(
        messages.PASSWORD_CHANGED,
        member["email"],
        settings,
        member_id=member["member_id"],
        purpose=Purpose.SURVEYS,
    )
    await sign_in(client, member)
    response = await client.post(
        "/my-panel/consents/surveys", {"decision": "withdraw"}, csrf_from="/my-panel/consents"
    )
    assert response.headers["location"] == "/my-panel/consents?done=withdrawn&purpose=surveys"
    page = (await client.get(response.headers["location"])).text
    assert html.text(page, ".govuk-notification-banner__heading") == (
        "You have withdrawn your agreement to \u2018Surveys\u2019. This took effect straight away."
    )
    assert (await states_of(member["member_id"]))[Purpose.SURVEYS] is ConsentState.WITHDRAWN
    assert await pending_for(member["member_id"], "surveys") == 0
    assert await AuditEvent.exists().where(
        AuditEvent.action == "consent_withdrawn",
        AuditEvent.actor_id == member["id"],
        AuditEvent.object_id == str(member["member_id"]),
    )


async def test_withdrawing_membership_says_it_ends_all_contact(client, make_member):
    member = await make_member()
    await sign_in(client, member)
    response = await client.post("/my-panel/consents/membership/withdraw", {})
    page = (await client.get(response.headers["location"])).text
    banner = html.notification(page)
    assert "We will not contact you about the panel at all now" in banner
    assert html.links(page, ".govuk-notification-banner a")["leave the panel"] == "/my-panel/leave"


async def test_giving_a_consent_records_it_against_the_wording_in_force(client, make_member):
    member = await make_member()
    await sign_in(client, member)
    response = await client.post(
        "/my-panel/consents/focus_groups", {"decision": "give"}, csrf_from="/my-panel/consents"
    )
    page = (await client.get(response.headers["location"])).text
    assert html.text(page, ".govuk-notification-banner__heading") == (
        "You have agreed to \u2018Focus groups\u2019."
    )
    assert (await states_of(member["member_id"]))[Purpose.FOCUS_GROUPS] is ConsentState.GIVEN
    event = await (
        ConsentEvent.select()
        .where(ConsentEvent.purpose == "focus_groups")
        .order_by(ConsentEvent.id, ascending=False)
        .first()
    )
    assert event["channel"] == "web" and event["recorded_by"] is None


async def test_a_consent_near_its_renewal_date_can_be_renewed(client, make_member, settings):
    member = await make_member()
    await ConsentEvent.update(
        {ConsentEvent.at: datetime.now(UTC) - settings.consent_renewal + timedelta(days=20)},
        force=True,
    )
    await sign_in(client, member)
    page = (await client.get("/my-panel/consents")).text
    assert card(page, "surveys")["buttons"] == ["Renew", "Withdraw"]
    await client.post(
        "/my-panel/consents/surveys", {"decision": "give"}, csrf_from="/my-panel/consents"
    )
    surveys = card((await client.get("/my-panel/consents")).text, "surveys")
    assert surveys["buttons"] == ["Withdraw"] and "Lasts until" in surveys


async def test_withdrawing_the_equality_consent_deletes_the_answers(client, make_member):
    member = await make_member(consents=(Purpose.MEMBERSHIP, Purpose.EQUALITY_DATA))
    await EqualityData.insert(EqualityData(member=member["member_id"], age_band="25_34"))
    await sign_in(client, member)
    await client.post(
        "/my-panel/consents/equality_data", {"decision": "withdraw"}, csrf_from="/my-panel/consents"
    )
    assert not await EqualityData.exists().where(EqualityData.member == member["member_id"])


async def test_an_unknown_purpose_or_decision_changes_nothing(client, make_member):
    member = await make_member()
    await sign_in(client, member)
    await client.post(
        "/my-panel/consents/everything", {"decision": "withdraw"}, 404, "/my-panel/consents"
    )
    await client.post(
        "/my-panel/consents/surveys", {"decision": "maybe"}, 400, "/my-panel/consents"
    )
    assert await ConsentEvent.count().where(ConsentEvent.member == member["member_id"]) == 2


# ---------------------------------------------------------------------------------------------
# Changed wording: asked again at the next sign-in


async def test_changed_wording_is_put_to_the_member_at_their_next_sign_in(
    client, make_member, settings
):
    member = await make_member()
    await publish_new_wording(
        Purpose.SURVEYS, "I agree to be sent surveys, and reminders about them."
    )
    assert (await states_of(member["member_id"]))[Purpose.SURVEYS] is (
        ConsentState.NEEDS_RECONFIRMATION
    )
    response = await client.post("/sign-in", {"email": member["email"], "password": PASSWORD})
    response = await client.get(response.headers["location"], expected=303)
    assert response.headers["location"] == "/my-panel/consents/confirm"
    page = (await client.get("/my-panel/consents/confirm")).text
    assert html.text(page, "h1") == "We have changed what we ask you to agree to"
    [asked] = html.select(page, "main form fieldset")
    assert html.text(asked, "legend") == "Surveys"
    assert html.text(asked, ".govuk-hint").endswith("and reminders about them.")
    assert "Being a member of the panel" not in page  # unchanged purposes are not asked again

    response = await client.post("/my-panel/consents/confirm", {}, expected=400)
    assert html.title(response).startswith("Error: We have changed")
    assert list(html.error_summary(response)) == ["confirm_surveys"]

    response = await client.post("/my-panel/consents/confirm", {"confirm_surveys": "give"})
    # Agreeing to surveys adds them to how the member would like to take part, and says so.
    assert response.headers["location"] == "/my-panel?done=confirmed&ways=changed"
    assert (await states_of(member["member_id"]))[Purpose.SURVEYS] is ConsentState.GIVEN
    await client.get("/my-panel")  # no longer sent to the question
    newest = await (
        ConsentEvent.select(ConsentEvent.wording_version)
        .order_by(ConsentEvent.id, ascending=False)
        .first()
    )
    assert newest["wording_version"] == 2


async def test_a_member_can_say_no_to_changed_wording_or_decide_later(client, make_member):
    member = await make_member()
    await publish_new_wording(Purpose.SURVEYS, "New survey wording.")
    await sign_in(client, member)
    page = (await client.get("/my-panel?later=1")).text
    # A reminder, not a wall.
    assert html.warning(page).startswith("We have changed what we ask you to agree to.")
    await client.post("/my-panel/consents/confirm", {"confirm_surveys": "withdraw"})
    assert (await states_of(member["member_id"]))[Purpose.SURVEYS] is ConsentState.WITHDRAWN


async def test_a_minor_wording_change_asks_nothing(client, make_member):
    member = await make_member()
    await publish_new_wording(Purpose.SURVEYS, "Surveys, with a typo fixed.", material=False)
    await sign_in(client, member)
    await client.get("/my-panel")
    response = await client.get("/my-panel/consents/confirm", expected=303)
    assert response.headers["location"] == "/my-panel/consents"


# ---------------------------------------------------------------------------------------------
# Pausing


@pytest.mark.parametrize(("length", "months"), [("1", 1), ("3", 3), ("6", 6)])
async def test_pausing_for_some_months_sets_the_end_date(client, make_member, length, months):
    member = await make_member()
    await sign_in(client, member)
    response = await client.post("/my-panel/pause", {"length": length})
    assert response.headers["location"] == "/my-panel?done=paused"
    row = await Member.select().where(Member.id == member["member_id"]).first()
    assert row["status"] == "paused"
    days = (row["paused_until"] - datetime.now(UTC)).days
    assert 28 * months - 1 <= days <= 31 * months
    page = (await client.get("/my-panel?done=paused")).text
    assert html.text(page, ".govuk-notification-banner__heading").startswith(
        "Your membership is paused until"
    )
    paused = html.one(page, "main .govuk-inset-text")
    assert html.text(paused, "p").startswith("Your membership is paused until")
    assert html.text(paused, "form[action='/my-panel/resume'] button") == "Come back now"


async def test_a_pause_until_resumed_lasts_until_the_member_comes_back(
    client, make_member, settings
):
    member = await make_member()
    await enqueue(
        messages.PASSWORD_CHANGED,
        member["email"],
        settings,
        member_id=member["member_id"],
        purpose=Purpose.SURVEYS,
    )
    await sign_in(client, member)
    await client.post("/my-panel/pause", {"length": "until_resumed"})
    row = await Member.select().where(Member.id == member["member_id"]).first()
    assert row["status"] == "paused" and row["paused_until"] is None
    assert await pending_for(member["member_id"], "surveys") == 0  # waiting messages cancelled
    home = await client.get("/my-panel")
    assert html.text(home, "main .govuk-inset-text p") == (
        "Your membership is paused until you choose to come back."
        " We will not send you invitations or surveys until then."
    )

    response = await client.post("/my-panel/resume", {}, csrf_from="/my-panel")
    assert response.headers["location"] == "/my-panel?done=resumed"
    row = await Member.select().where(Member.id == member["member_id"]).first()
    assert row["status"] == "active" and row["paused_until"] is None
    actions = [
        event["action"]
        for event in await AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_id == str(member["member_id"]))
        .order_by(AuditEvent.id)
    ]
    assert actions[-2:] == ["membership_paused", "membership_resumed"]


async def test_pausing_needs_a_length(client, make_member):
    await sign_in(client, await make_member())
    response = await client.post("/my-panel/pause", {}, expected=400)
    assert html.title(response).startswith("Error: Pause my membership")
    assert html.error_summary(response) == {"length": "Select how long you want to pause for"}


async def test_an_applicant_cannot_pause(client, make_member):
    member = await make_member(status="verified")
    await sign_in(client, member)
    page = await client.post("/my-panel/pause", {"length": "3"}, expected=400)
    assert "You can pause your membership once your application has been approved." in (
        html.texts(page, "main p")
    )
    row = await Member.select(Member.status).where(Member.id == member["member_id"]).first()
    assert row["status"] == "verified"


async def test_the_daily_job_resumes_a_pause_whose_date_has_passed(client, make_member, settings):
    member = await make_member()
    await sign_in(client, member)
    await client.post("/my-panel/pause", {"length": "1"})
    later = datetime.now(UTC) + timedelta(days=32)
    plan = await run_retention(settings, dry_run=True, now=later)
    assert member["member_id"] in plan.ended_pauses
    await run_retention(settings, now=later)
    row = await Member.select(Member.status).where(Member.id == member["member_id"]).first()
    assert row["status"] == "active"


# ---------------------------------------------------------------------------------------------
# Their data


async def test_download_my_data_as_a_file_has_every_personal_field(client, make_member):
    member = await make_member(preferred_name="Robin")
    await Member.update(
        {
            Member.phone: "07700 900982",
            Member.postal_address: "1 High Street",
            Member.ways_to_take_part: '["surveys"]',
            Member.formats: '["online"]',
        }
    ).where(Member.id == member["member_id"])
    await sign_in(client, member)
    response = await client.get("/my-panel/data.json")
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == member["email"]
    assert data["member"]["preferred_name"] == "Robin"
    assert data["member"]["phone"] == "07700 900982"
    assert data["member"]["postal_address"] == "1 High Street"
    assert data["member"]["district"] == {"code": "maidstone", "label": "Maidstone"}
    assert data["ways_to_take_part"][0]["code"] == "surveys"
    assert data["contact_preferences"][0]["channel"]["code"] == "email"
    assert {event["purpose"]["code"] for event in data["consent_history"]} == {
        "membership",
        "surveys",
    }
    assert data["invitations"] == []
    assert "sign_in" in {event["action"]["code"] for event in data["audit_events"]}
    assert await AuditEvent.exists().where(
        AuditEvent.action == "member_data_downloaded",
        AuditEvent.object_id == str(member["member_id"]),
    )


async def test_my_data_page_is_readable(client, make_member):
    member = await make_member(preferred_name="Robin")
    await sign_in(client, member)
    page = (await client.get("/my-panel/data")).text
    assert html.summary_list(html.section(page, "Your account"))["Email address"] == member["email"]
    about = html.summary_list(html.section(page, "About you"))
    assert (about["What we call you"], about["Area you live in"]) == ("Robin", "Maidstone")
    safe = html.summary_list(html.section(page, "How it is safe to contact you"))
    assert safe["Email"] == "Safe: at any time"
    assert html.links(page, "main a")["download it as a file"] == "/my-panel/data.json"


async def test_my_data_page_says_everything_in_words_not_codes(client, make_member):
    member = await make_member(preferred_name="Robin")
    member_id = member["member_id"]
    await Member.update(
        {
            Member.status: "paused",
            Member.district: "folkestone_hythe",
            Member.ways_to_take_part: '["surveys"]',
            Member.phone: "07700 900123",
        }
    ).where(Member.id == member_id)
    await ContactPreference.insert(
        ContactPreference(
            member=member_id,
            channel="phone_call",
            safe=True,
            safe_times='[{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}]',
        )
    )
    await ExperienceProfile.insert(
        ExperienceProfile(
            member=member_id, involvement="witness", crime_types='["burglary_home"]', year="2023"
        )
    )
    await AccessNeeds.insert(AccessNeeds(member=member_id, needs='["step_free"]'))
    await EqualityData.insert(
        EqualityData(member=member_id, ethnicity="white_irish", sex="prefer_not")
    )
    await sign_in(client, member)
    await client.post(
        "/my-panel/consents/surveys", {"decision": "withdraw"}, csrf_from="/my-panel/consents"
    )

    page = await client.get("/my-panel/data")

    about_you = html.summary_list(html.section(page, "About you"))
    assert about_you["Area you live in"] == "Folkestone and Hythe"
    assert about_you["Membership"] == "Member, paused"
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}", about_you["Applied (UK time)"])
    contact = html.summary_list(html.section(page, "How it is safe to contact you"))
    assert contact["Email"] == "Safe: at any time"
    assert contact["Phone call"] == "Safe: Monday to Friday, 09:00 to 17:00 (UK time)"
    happened = html.summary_list(html.section(page, "What happened"))
    assert happened["What happened"] == "I saw or heard something happen to someone else"
    assert happened["What it was about"] == "Burglary of a home"
    needs = html.summary_list(html.section(page, "What you need to take part"))
    assert needs["What you need"] == "Step-free access"
    equality = html.summary_list(html.section(page, "Equality information"))
    assert equality["What is your ethnic group?"] == "White: Irish"
    assert equality["What is your sex?"] == "Prefer not to say"

    agreed = html.table_rows(html.section(page, "Every time you agreed or withdrew"))
    assert {(row["What"], row["Your answer"], row["How"]) for row in agreed} >= {
        ("Surveys", "Withdrew", "Online, by the member"),
        ("Being a member of the panel", "Agreed", "Online, by the member"),
    }
    trail = html.table_rows(page, "#account-record")
    withdrawn = [row for row in trail if row["What"].startswith("Consent withdrawn")]
    assert [row["What"] for row in withdrawn] == ["Consent withdrawn Surveys Online, by the member"]
    shown = html.text(page, "#account-record")
    for code in ("surveys", "web", "purpose:", "channel:", "format:", "role: member"):
        assert code not in shown


# ---------------------------------------------------------------------------------------------
# Leaving


async def test_leaving_erases_signs_out_and_says_so(client, make_member):
    member = await make_member()
    await sign_in(client, member)
    page = (await client.get("/my-panel/leave")).text
    assert html.warning(page).startswith("This cannot be undone.")
    kept = html.text(html.section(page, "What happens when you leave"), "ul + p")
    assert kept.startswith("To count how many people have taken part, we keep a random reference")
    response = await client.post("/my-panel/leave", {})
    assert response.headers["location"] == "/my-panel/left"
    assert "max-age=0" in response.headers["set-cookie"].lower()
    page = (await client.get("/my-panel/left")).text
    assert html.text(page, "h1") == "You have left the panel"
    row = await Member.select().where(Member.id == member["member_id"]).first()
    assert row["status"] == "erased" and row["user"] is None
    assert not await User.exists().where(User.id == member["id"])
    assert not await WebSession.exists().where(WebSession.user == member["id"])
    await client.get("/my-panel", expected=303)


# ---------------------------------------------------------------------------------------------
# Only their own


async def test_a_member_can_never_see_or_change_another_members_anything(
    client, make_member, make_client
):
    first = await make_member(preferred_name="Firstname")
    second = await make_member(preferred_name="Secondname")
    await sign_in(client, second)
    for path in ("/my-panel", "/my-panel/consents", "/my-panel/data", "/my-panel/pause"):
        page = (await client.get(path)).text
        assert "Firstname" not in page and first["email"] not in page
    data = json.loads((await client.get("/my-panel/data.json")).content)
    assert first["email"] not in json.dumps(data)
    await client.post(
        "/my-panel/consents/surveys", {"decision": "withdraw"}, csrf_from="/my-panel/consents"
    )
    await client.post(
        "/my-panel/details",
        {"preferred_name": "Changed", "phone": "", "postal_address": "", "district": "dover"},
    )
    await client.post("/my-panel/taking-part", {"ways": ["surveys"], "formats": ["online"]})
    await client.post("/my-panel/pause", {"length": "3"})
    await client.post("/my-panel/leave", {})
    # The first member's record is as it was.
    assert (await states_of(first["member_id"]))[Purpose.SURVEYS] is ConsentState.GIVEN
    row = await Member.select().where(Member.id == first["member_id"]).first()
    assert row["status"] == "active" and row["preferred_name"] == "Firstname"
    assert row["district"] == "maidstone" and row["ways_to_take_part"] == "[]"
    assert (await Member.select().where(Member.id == second["member_id"]).first())[
        "status"
    ] == "erased"
    first_browser = make_client()
    await sign_in(first_browser, first)
    home = await first_browser.get("/my-panel")
    assert html.text(home, ".govuk-caption-l") == "Hello Firstname"


async def test_other_roles_cannot_open_the_member_pages(client, signed_in):
    from panel.accounts.rules import Role

    await signed_in(Role.STAFF)
    for path in ("/my-panel/consents", "/my-panel/data", "/my-panel/data.json", "/my-panel/leave"):
        await client.get(path, expected=403)


async def test_an_account_without_a_membership_finds_no_member_pages(client, signed_in):
    from panel.accounts.rules import Role

    await signed_in(Role.MEMBER)  # an account with no panel membership behind it
    home = await client.get("/my-panel")
    assert html.texts(home, "main p")[0].startswith("We cannot find your panel membership")
    for path in ("/my-panel/consents", "/my-panel/details", "/my-panel/data.json"):
        await client.get(path, expected=404)
    await client.post("/my-panel/leave", {}, expected=404, csrf_from="/my-panel")
