"""Withdrawing from being a member of the panel: asked on a page of its own that says what will
happen, recorded only once confirmed, and from then on no member page says "Agreed" to a way of
taking part or promises contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from panel.audit.tables import AuditEvent
from panel.consent.rules import ConsentState, Purpose
from panel.consent.services import record_consent
from panel.consent.tables import ConsentEvent
from panel.members.tables import EqualityData
from panel.outbox import messages
from panel.outbox.services import enqueue
from panel.outbox.tables import OutboxMessage
from tests.integration.conftest import ACTOR, sign_in
from tests.integration.portal.test_portal import publish_new_wording, states_of
from tests.support import html

CONFIRM = "/my-panel/consents/membership/withdraw"
MEMBERSHIP = "Being a member of the panel"


def quoted(title: str) -> str:
    """A title as the pages quote it, in typographic single quotes."""
    return f"\u2018{title}\u2019"


@pytest.fixture
async def member(client, make_member):
    """Agreed to membership, surveys, focus groups and keeping equality answers."""
    member = await make_member(
        consents=(Purpose.MEMBERSHIP, Purpose.SURVEYS, Purpose.FOCUS_GROUPS, Purpose.EQUALITY_DATA)
    )
    await sign_in(client, member)
    return member


async def events_of(member: dict) -> int:
    return await ConsentEvent.count().where(ConsentEvent.member == member["member_id"])


def answers_on_cards(page) -> dict[str, str]:
    """Each purpose's card: its title and the state its tag shows."""
    return {
        html.text(found, ".govuk-summary-card__title"): html.text(found, ".govuk-tag")
        for found in html.select(page, ".govuk-summary-card")
    }


async def withdraw(client) -> None:
    response = await client.post(CONFIRM, {})
    assert response.headers["location"] == "/my-panel/consents?done=withdrawn&purpose=membership"


# ---------------------------------------------------------------------------------------------
# Asked first


async def test_the_membership_card_leads_to_the_question_instead_of_withdrawing(client, member):
    page = await client.get("/my-panel/consents")
    withdraw_link = html.one(page, "#membership.govuk-summary-card a.govuk-button--warning")
    assert withdraw_link["href"] == CONFIRM
    assert html.shown_text(withdraw_link) == "Withdraw"
    # Other purposes still withdraw in one press.
    assert html.select(page, "#surveys.govuk-summary-card button[value=withdraw]")


async def test_a_withdrawal_sent_from_the_card_is_only_asked_not_recorded(client, member):
    before = await events_of(member)
    response = await client.post(
        "/my-panel/consents/membership", {"decision": "withdraw"}, csrf_from="/my-panel/consents"
    )
    assert response.headers["location"] == CONFIRM
    assert await events_of(member) == before
    assert (await states_of(member["member_id"]))[Purpose.MEMBERSHIP] is ConsentState.GIVEN


async def test_the_question_says_plainly_what_will_happen(client, member):
    page = await client.get(CONFIRM)
    assert html.text(page, "h1") == "Are you sure you want to stop being a member of the panel?"
    happens = html.texts(html.section(page, "What happens if you withdraw"), "li")
    assert happens[0].startswith("we will not contact you about the panel at all")
    assert "about the panel is cancelled straight away" in happens[1]
    assert happens[2] == (
        "what you agreed to about taking part is put on hold: Focus groups, Surveys"
    )
    assert any(line.startswith("we keep your details") for line in happens)
    assert any("until you leave the panel" in line for line in happens)
    paragraphs = html.texts(page, "main p")
    assert any(line.startswith("You can agree again at any time") for line in paragraphs)
    instead = html.links(page, "main .govuk-inset-text a")
    assert instead == {
        "pause your membership": "/my-panel/pause",
        "leave the panel": "/my-panel/leave",
    }
    form = html.one(page, "main form")
    assert form["action"] == CONFIRM
    assert html.shown_text(html.one(form, "button")) == "Yes, stop being a member"
    assert html.links(form) == {"No, go back": "/my-panel/consents"}


async def test_confirming_withdraws_at_once_and_cancels_everything_waiting(
    client, member, settings
):
    for purpose in (Purpose.SURVEYS, Purpose.FOCUS_GROUPS):
        await enqueue(
            messages.PASSWORD_CHANGED,
            member["email"],
            settings,
            member_id=member["member_id"],
            purpose=purpose,
        )
    await EqualityData.insert(EqualityData(member=member["member_id"], age_band="25_34"))
    await withdraw(client)
    states = await states_of(member["member_id"])
    assert states[Purpose.MEMBERSHIP] is ConsentState.WITHDRAWN
    assert states[Purpose.SURVEYS] is ConsentState.GIVEN  # kept, but on hold
    assert not await OutboxMessage.exists().where(
        OutboxMessage.member_id == member["member_id"], OutboxMessage.status == "pending"
    )
    assert await AuditEvent.exists().where(
        AuditEvent.action == "consent_withdrawn",
        AuditEvent.actor_id == member["id"],
        AuditEvent.object_id == str(member["member_id"]),
    )
    # Nothing else is deleted: details stay until they leave.
    assert await EqualityData.count().where(EqualityData.member == member["member_id"]) == 1
    banner = html.notification(
        await client.get("/my-panel/consents?done=withdrawn&purpose=membership")
    )
    assert "We will not contact you about the panel at all now" in banner
    assert "We still keep your details until you leave the panel" in banner


async def test_once_withdrawn_the_question_is_not_asked_again_and_nothing_more_is_recorded(
    client, member
):
    await withdraw(client)
    after = await events_of(member)
    response = await client.get(CONFIRM, expected=303)
    assert response.headers["location"] == "/my-panel/consents"
    await client.post(CONFIRM, {}, csrf_from="/my-panel/consents")
    assert await events_of(member) == after


async def test_changed_wording_says_what_no_to_membership_means(client, member):
    await publish_new_wording(Purpose.MEMBERSHIP, "Being on the panel, in new words.")
    page = await client.get("/my-panel/consents/confirm")
    hint = html.text(page, "#confirm_membership-2-item-hint")
    assert hint.startswith("We will then not contact you about the panel at all")


# ---------------------------------------------------------------------------------------------
# Afterwards, every page agrees


async def test_after_withdrawing_the_ways_of_taking_part_are_on_hold_not_agreed(client, member):
    await withdraw(client)
    page = await client.get("/my-panel/consents")
    assert answers_on_cards(page) == {
        MEMBERSHIP: "Withdrawn",
        "Focus groups": "On hold",
        "Surveys": "On hold",
        "Independent case reviews": "Not agreed",
        "Equality information": "Agreed",
        "Quoting me without my name": "Not agreed",
    }
    surveys = html.one(page, "#surveys.govuk-summary-card")
    assert html.texts(surveys, "p")[-1] == (
        f"On hold: we will not contact you about this while you do not agree to {quoted(MEMBERSHIP)}."
    )
    equality = html.one(page, "#equality_data.govuk-summary-card")
    assert "because it is not about contacting you" in html.texts(equality, "p")[-1]
    notice = html.text(page, "#membership-notice")
    assert notice.startswith(f"You withdrew from {quoted(MEMBERSHIP)} on ")
    assert "we will not contact you about the panel at all" in notice
    assert "these are on hold: Focus groups, Surveys" in notice


async def test_after_withdrawing_home_promises_no_contact(client, member):
    await withdraw(client)
    page = await client.get("/my-panel")
    agreed = html.summary_list(html.section(page, "What you have agreed to"))
    assert agreed[MEMBERSHIP] == "Withdrawn"
    assert agreed["Surveys"] == agreed["Focus groups"] == "On hold"
    assert "No invitations at the moment" not in html.text(page, "main")
    notice = html.one(page, "#membership-notice")
    assert "we will not contact you about the panel at all" in html.text(notice)
    assert html.links(notice) == {
        f"agree to {quoted(MEMBERSHIP)}": "/my-panel/consents#membership",
        "leave the panel": "/my-panel/leave",
    }


async def test_while_membership_is_held_nothing_is_on_hold(client, member):
    page = await client.get("/my-panel/consents")
    assert set(answers_on_cards(page).values()) == {"Agreed", "Not agreed"}
    assert not html.select(page, "#membership-notice")
    assert not html.select(await client.get("/my-panel"), "#membership-notice")


@pytest.mark.parametrize("state", ["lapsed", "needs_reconfirmation"])
async def test_a_membership_that_lapsed_or_needs_an_answer_puts_the_others_on_hold_too(
    client, member, settings, state
):
    if state == "lapsed":
        await ConsentEvent.update(
            {ConsentEvent.at: datetime.now(UTC) - settings.consent_renewal - timedelta(days=1)}
        ).where(ConsentEvent.purpose == "membership")
    else:
        await publish_new_wording(Purpose.MEMBERSHIP, "Being on the panel, in new words.")
    page = await client.get("/my-panel/consents")
    assert answers_on_cards(page)["Surveys"] == "On hold"
    assert "we will not contact you about the panel at all" in html.text(page, "#membership-notice")


async def test_agreeing_to_a_way_of_taking_part_while_withdrawn_says_it_is_on_hold(client, member):
    await withdraw(client)
    response = await client.post(
        "/my-panel/consents/case_reviews", {"decision": "give"}, csrf_from="/my-panel/consents"
    )
    banner = html.notification(await client.get(response.headers["location"]))
    assert banner.startswith(f"You have agreed to {quoted('Independent case reviews')}.")
    assert "It is on hold: we will not contact you about it while you do not agree" in banner
    assert "remind" not in banner


async def test_agreeing_promises_no_reminder_only_says_when_it_can_be_renewed(client, member):
    response = await client.post(
        "/my-panel/consents/case_reviews", {"decision": "give"}, csrf_from="/my-panel/consents"
    )
    banner = html.notification(await client.get(response.headers["location"]))
    assert "You can renew it on this page in the 30 days before then." in banner
    assert "remind" not in banner and "on hold" not in banner


async def test_agreeing_to_membership_again_lifts_the_hold(client, member):
    await withdraw(client)
    await record_consent(member["member_id"], Purpose.MEMBERSHIP, True, ACTOR)
    page = await client.get("/my-panel/consents")
    assert answers_on_cards(page)["Surveys"] == "Agreed"
    assert not html.select(page, "#membership-notice")


async def test_my_data_shows_the_consents_as_the_pages_do(client, member):
    await withdraw(client)
    page = await client.get("/my-panel/data")
    shown = html.summary_list(page, "#consents")
    assert shown[MEMBERSHIP] == "Withdrawn" and shown["Surveys"] == "On hold"
    assert shown == answers_on_cards(await client.get("/my-panel/consents"))
    data = (await client.get("/my-panel/data.json")).json()
    states = {consent["purpose"]["code"]: consent["state"] for consent in data["consents"]}
    assert states["membership"] == {"code": "withdrawn", "label": "Withdrawn"}
    assert states["surveys"] == {"code": "on_hold", "label": "On hold"}
    surveys = next(c for c in data["consents"] if c["purpose"]["code"] == "surveys")
    assert surveys["lasts_until"] is not None
