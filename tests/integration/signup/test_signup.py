"""Joining the panel: question pages, answers kept on the server, check your answers, the
application created in one go, and double opt-in by email (issue: members, points 1 and 2)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.audit.tables import AuditEvent
from panel.consent.tables import ConsentEvent
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.outbox.tables import OutboxMessage
from panel.signup.services import now_utc
from panel.signup.tables import EmailVerification, SignUpDraft
from tests.integration.conftest import PageClient, csrf_token_in
from tests.support import html

NEW_PASSWORD = "purple lanterns over quiet rivers"

ANSWERS: dict[str, dict[str, Any]] = {
    "details": {
        "preferred_name": "Robin",
        "email": "robin@example.org",
        "phone": "07700 900982",
        "postal_address": "",
        "district": "maidstone",
    },
    "contact": {
        "email_safe": "any",
        "phone_call_safe": "some",
        "phone_call_days": ["0", "2"],
        "phone_call_from": "9am",
        "phone_call_to": "17:00",
        "phone_call_voicemail": "no",
        "text_message_safe": "no",
        "post_safe": "no",
        "code_word": "bluebell",
    },
    "experience": {
        "involvement": "victim",
        "crime_types": ["burglary_home", "fraud_cyber"],
        "when": "year",
        "year": "2021",
        "court_case": "no",
    },
    "access-needs": {"needs": ["interpreter", "step_free"], "language": "Polish"},
    "taking-part": {"ways": ["surveys", "focus_groups"], "formats": ["online"]},
    "equality": {"age_band": "25_34", "religion": "prefer_not", "equality_consent": "yes"},
    "consents": {"consents": ["membership", "surveys"]},
    "password": {
        "sign_in": "password",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    },
}


def with_email(email: str) -> dict[str, dict[str, Any]]:
    return {**ANSWERS, "details": {**ANSWERS["details"], "email": email}}


async def answer_pages(
    client: PageClient, answers: dict[str, dict[str, Any]] = ANSWERS, until: str | None = None
) -> None:
    for slug, data in answers.items():
        if slug == until:
            return
        await client.post(f"/join/{slug}", data)


async def apply(client: PageClient, answers: dict[str, dict[str, Any]] = ANSWERS) -> Any:
    await answer_pages(client, answers)
    return await client.post("/join/check", {})


async def verification_path(email: str) -> str:
    message = (
        await OutboxMessage.select()
        .where(OutboxMessage.to_address == email)
        .order_by(OutboxMessage.id, ascending=False)
        .first()
    )
    assert message is not None and message["subject"] == "Confirm your email address"
    found = re.search(r"http://\S+(/join/verify/\S+)", message["text_body"])
    assert found is not None
    return found.group(1)


def answers_on(check: Any) -> dict[str, dict[str, str]]:
    """Check your answers: each section's heading and its summary list."""
    return {
        heading: html.summary_list(html.section(check, heading))
        for heading in html.texts(check, "main h2")
        if heading != "Now send your application"
    }


async def test_the_start_page_is_linked_from_home_and_about(client):
    for path in ("/", "/about"):
        page = await client.get(path)
        assert html.links(page, "main a.govuk-button--start") == {"Join the panel": "/join"}
    start = await client.get("/join")
    assert html.links(start, "main a.govuk-button--start") == {"Start now": "/join/details"}


async def test_a_person_joins_and_confirms_their_email_address(client, settings):
    await answer_pages(client)
    answers = answers_on(await client.get("/join/check"))
    assert answers["About you"] == {
        "What we call you": "Robin",
        "Email address": "robin@example.org",
        "Phone number": "07700 900982",
        "Postal address": "None given",
        "Area you live in": "Maidstone",
    }
    contact = answers["How to contact you safely"]
    assert contact["Phone call"] == "Safe on Monday, Wednesday, 09:00 to 17:00 Voicemail: no"
    assert contact["Code word"] == "bluebell"
    assert answers["What happened"]["What it was about"] == (
        "Burglary of a home Fraud or online crime"
    )
    assert answers["What happened"]["Roughly when"] == "2021"
    assert answers["What you need to take part"]["What you need"].endswith(
        "Interpreter language: Polish"
    )
    assert answers["Equality questions"]["What is your age?"] == "25 to 34"
    assert answers["What you agree to"] == {"You agree to": "Being a member of the panel Surveys"}
    assert answers["How you will sign in"] == {
        "How you will sign in": "With your email address and a password"
    }
    response = await client.post("/join/check", {})
    assert response.headers["location"] == "/join/sent"
    sent = await client.get("/join/sent")
    assert html.text(sent, "h1") == "Check your email"

    user = await User.select().where(User.email == "robin@example.org").first()
    assert user["status"] == "unverified" and user["role"] == Role.MEMBER.value
    assert user["password_hash"].startswith("$argon2id$") and not user["sign_in_by_link"]
    member = await Member.select().where(Member.user == user["id"]).first()
    assert member["status"] == "applied" and member["preferred_name"] == "Robin"
    assert member["phone"] == "07700 900982" and member["district"] == "maidstone"
    assert len(member["pseudonym"]) == 16
    assert json.loads(member["ways_to_take_part"]) == ["surveys", "focus_groups"]
    assert json.loads(member["formats"]) == ["online"]
    experience = (
        await ExperienceProfile.select().where(ExperienceProfile.member == member["id"]).first()
    )
    assert json.loads(experience["crime_types"]) == ["burglary_home", "fraud_cyber"]
    assert (experience["involvement"], experience["year"], experience["court_case"]) == (
        "victim",
        "2021",
        "no",
    )
    access = await AccessNeeds.select().where(AccessNeeds.member == member["id"]).first()
    assert (
        json.loads(access["needs"]) == ["interpreter", "step_free"]
        and access["language"] == "Polish"
    )
    equality = await EqualityData.select().where(EqualityData.member == member["id"]).first()
    assert (
        equality["age_band"] == "25_34"
        and equality["religion"] == "prefer_not"
        and equality["sex"] == ""
    )
    preferences = {
        row["channel"]: row
        for row in await ContactPreference.select().where(ContactPreference.member == member["id"])
    }
    assert set(preferences) == {"email", "phone_call", "text_message", "post"}
    assert preferences["email"]["safe"] and not preferences["post"]["safe"]
    assert json.loads(preferences["phone_call"]["safe_times"]) == [
        {"days": [0, 2], "start": "09:00", "end": "17:00"}
    ]
    assert preferences["phone_call"]["code_word"] == "bluebell"
    consents = await ConsentEvent.select(
        ConsentEvent.purpose, ConsentEvent.given, ConsentEvent.channel
    ).where(ConsentEvent.member == member["id"])
    assert {row["purpose"] for row in consents} == {"membership", "surveys", "equality_data"}
    assert all(row["given"] and row["channel"] == "web" for row in consents)
    assert await AuditEvent.exists().where(
        AuditEvent.action == "sign_up_submitted", AuditEvent.object_id == str(member["id"])
    )
    assert not await SignUpDraft.exists()

    # Not a member yet: cannot sign in until the address is confirmed.
    refused = await client.post(
        "/sign-in", {"email": "robin@example.org", "password": NEW_PASSWORD}, expected=400
    )
    assert html.error_messages(refused) == ["Enter a correct email address and password"]

    path = await verification_path("robin@example.org")
    # Opening the link (as a mail scanner would) only shows a button, and does not use it up.
    for _ in range(2):
        opened = await client.get(path)
        assert html.text(opened, "main form button") == "Confirm my email address"
    response = await client.post(path, {})
    assert response.headers["location"] == "/join/confirmed"
    confirmed = await client.get("/join/confirmed")
    assert html.texts(html.section(confirmed, "What happens next"), "p")[0] == (
        "Someone from our team will look at your application. This usually takes up to"
        " 10 working days."
    )
    member = await Member.select().where(Member.id == member["id"]).first()
    assert member["status"] == "verified" and member["verified_at"] is not None
    assert (await User.select(User.status).where(User.id == user["id"]).first())[
        "status"
    ] == "active"
    assert await AuditEvent.exists().where(AuditEvent.action == "sign_up_verified")

    again = await client.get(path, expected=410)
    assert html.text(again, "h1") == "This link has expired or has been used"
    await client.post(path, {}, expected=410, csrf_from="/join/details")

    signed_in = await client.post(
        "/sign-in", {"email": "robin@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.headers["location"] == "/my-panel"


async def test_the_draft_is_kept_on_the_server_against_a_cookie(client):
    response = await client.post("/join/details", ANSWERS["details"])
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("panel_join=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    token = client.http.cookies["panel_join"]
    draft = await SignUpDraft.select().first()
    assert draft["token_hash"] != token and token not in draft["answers"]
    assert json.loads(draft["answers"])["details"]["preferred_name"] == ["Robin"]
    # The next page updates the same draft: no new cookie.
    response = await client.post("/join/contact", ANSWERS["contact"])
    assert (
        "set-cookie" not in response.headers or "panel_join" not in response.headers["set-cookie"]
    )
    assert await SignUpDraft.count() == 1


async def test_exit_this_page_forgets_the_answers_given_so_far(client):
    await answer_pages(client, until="experience")
    response = await client.get("/exit", expected=303)
    assert any(
        cookie.startswith("panel_join=") and "Max-Age=0" in cookie
        for cookie in response.headers.get_list("set-cookie")
    )
    assert await SignUpDraft.count() == 0
    page = await client.get("/join/details")
    assert "Robin" not in page.text


async def test_the_cookie_is_secure_on_a_site_served_over_https(make_client):
    from tests.integration.conftest import settings_for

    https = make_client(
        settings=settings_for(PANEL_BASE_URL="https://panel.example.org"),
        base_url="https://panel.example.org",
    )
    page = await https.http.get("/join/details")
    token = csrf_token_in(page.text)
    response = await https.http.post(
        "/join/details", data={"_csrf_token": token, **ANSWERS["details"]}
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-panel_join=") and "Secure" in cookie and "HttpOnly" in cookie


async def test_the_password_is_never_kept_only_its_hash(client):
    await answer_pages(client, until="consents")
    await client.post("/join/consents", ANSWERS["consents"])
    await client.post("/join/password", ANSWERS["password"])
    answers = (await SignUpDraft.select(SignUpDraft.answers).first())["answers"]
    assert NEW_PASSWORD not in answers
    assert json.loads(answers)["password"]["password_hash"][0].startswith("$argon2id$")
    page = await client.get("/join/password")
    assert NEW_PASSWORD not in page.text and "$argon2" not in page.text


async def test_going_back_past_the_password_page_keeps_the_password_chosen(client):
    await answer_pages(client)
    first = (await SignUpDraft.select(SignUpDraft.answers).first())["answers"]
    page = await client.get("/join/password")
    assert "Leave both boxes empty to keep it" in html.text(page, "main form")
    response = await client.post("/join/password", {"sign_in": "password"})
    assert response.headers["location"] == "/join/check"
    assert (await SignUpDraft.select(SignUpDraft.answers).first())["answers"] == first
    await client.post("/join/check", {})
    user = await User.select(User.password_hash).where(User.email == "robin@example.org").first()
    assert json.loads(first)["password"]["password_hash"] == [user["password_hash"]]


async def test_going_back_shows_the_answers_given(client):
    await answer_pages(client, until="access-needs")
    contact = await client.get("/join/contact")
    assert html.one(contact, ".govuk-back-link")["href"] == "/join/details"
    shown = html.form_values(contact, "main form")
    assert (shown["code_word"], shown["phone_call_from"]) == ("bluebell", "09:00")
    details = await client.get("/join/details")
    shown = html.form_values(details, "main form")
    assert (shown["preferred_name"], shown["district"]) == ("Robin", "maidstone")
    assert html.one(details, ".govuk-back-link")["href"] == "/join"
    shown = html.form_values(await client.get("/join/experience"), "main form")
    assert (shown["crime_types"], shown["year"]) == (["burglary_home", "fraud_cyber"], "2021")


async def test_a_later_page_sends_you_to_the_first_unanswered_one(client):
    for path in ("/join/experience", "/join/password", "/join/check"):
        response = await client.get(path, expected=303)
        assert response.headers["location"] == "/join/details"
    response = await client.http.post("/join/consents", data={"consents": "membership"})
    assert response.status_code in {303, 403}  # no CSRF token yet, or sent to the first page
    await client.post("/join/details", ANSWERS["details"])
    response = await client.get("/join/password", expected=303)
    assert response.headers["location"] == "/join/contact"
    await client.get("/join/nowhere", expected=404)


async def test_change_links_come_back_to_check_your_answers(client):
    await answer_pages(client)
    check = await client.get("/join/check")
    changes = html.links(html.section(check, "What happened"), "a")
    assert changes["Change roughly when"] == "/join/experience?change=1"
    page = await client.get("/join/experience?change=1")
    assert html.one(page, ".govuk-back-link")["href"] == "/join/check"
    assert html.one(page, "main form")["action"] == "/join/experience?change=1"
    response = await client.post(
        "/join/experience?change=1", {**ANSWERS["experience"], "year": "2019"}
    )
    assert response.headers["location"] == "/join/check"
    assert answers_on(await client.get("/join/check"))["What happened"]["Roughly when"] == "2019"


async def test_choosing_a_sign_in_link_instead_of_a_password(client):
    answers = {**with_email("linky@example.org"), "password": {"sign_in": "link"}}
    await apply(client, answers)
    user = await User.select().where(User.email == "linky@example.org").first()
    assert user["sign_in_by_link"] and user["password_hash"] is None


async def test_skipping_the_equality_questions_keeps_no_answers(client):
    await answer_pages(client, until="equality")
    response = await client.post("/join/equality", {"age_band": "25_34", "skip": "yes"})
    assert response.headers["location"] == "/join/consents"
    await client.post("/join/consents", ANSWERS["consents"])
    await client.post("/join/password", ANSWERS["password"])
    check = await client.get("/join/check")
    assert answers_on(check)["Equality questions"] == {
        "Your answers": "Skipped: we keep no equality answers"
    }
    assert "25 to 34" not in check.text
    await client.post("/join/check", {})
    member = await Member.select(Member.id).where(Member.user.email == "robin@example.org").first()
    assert not await EqualityData.exists().where(EqualityData.member == member["id"])
    purposes = {
        row["purpose"]
        for row in await ConsentEvent.select(ConsentEvent.purpose).where(
            ConsentEvent.member == member["id"]
        )
    }
    assert "equality_data" not in purposes


async def test_the_consents_page_has_an_unticked_box_per_purpose_and_the_privacy_notice(client):
    await answer_pages(client, until="consents")
    page = await client.get("/join/consents")
    boxes = html.select(page, 'main input[type=checkbox][name="consents"]')
    assert len(boxes) == 5 and not any(box.has_attr("checked") for box in boxes)
    assert "consents" not in html.form_values(page, "main form")
    membership = html.one(page, '.govuk-checkboxes__item:has(input[value="membership"])')
    assert html.text(membership, "label") == "Being a member of the panel"
    focus_groups = html.one(page, '.govuk-checkboxes__item:has(input[value="focus_groups"])')
    assert "I can say no to any invitation" in html.text(focus_groups, ".govuk-hint")
    assert html.links(page, "main a")["privacy notice (version 1)"] == "/privacy"
    assert 'value="equality_data"' not in page.text  # asked on its own page


async def test_the_equality_page_says_why_each_question_is_asked_and_can_be_skipped(client):
    await answer_pages(client, until="equality")
    page = await client.get("/join/equality")
    *questions, consent = html.select(page, "main form fieldset")
    assert len(questions) == 7
    for question in questions:
        assert html.text(question, ".govuk-hint").startswith("Why we ask:")
        assert question.select('input[value="prefer_not"]')
    skips = html.select(page, 'main form button[name="skip"]')  # above the questions and below
    assert [(skip["value"], html.text(skip)) for skip in skips] == [
        ("yes", "Skip these questions")
    ] * 2
    assert html.text(consent, "legend") == "Equality information"
    assert html.one(consent, "input")["name"] == "equality_consent"


async def test_an_email_with_an_account_gets_the_same_answer_and_a_different_email(
    make_client, make_member, make_user
):
    member = await make_member(email="member-known@example.org")
    staff = await make_user(Role.STAFF, email="staff-known@example.org")
    users_before = await User.count()

    responses = []
    for email in ("brand-new@example.org", member["email"], staff["email"]):
        applicant = make_client()
        await answer_pages(applicant, with_email(email))
        submitted = await applicant.post("/join/check", {})
        sent = await applicant.get("/join/sent")
        responses.append((submitted, sent))

    def comparable(response: Any) -> tuple:
        headers = {
            name: re.sub(r"nonce-[^']+", "nonce", value)
            for name, value in response.headers.items()
            if name not in {"date"}
        }
        # Only the per-response nonce differs (the CSRF token is fixed per browser, not per page).
        body = re.sub(r'nonce="[^"]+"', "", response.text)
        return response.status_code, headers, body

    first = [comparable(response) for response in responses[0]]
    for others in responses[1:]:
        assert [comparable(response) for response in others] == first

    assert await User.count() == users_before + 1  # only the new address got an account
    subjects = {
        row["to_address"]: row["subject"]
        for row in await OutboxMessage.select(OutboxMessage.to_address, OutboxMessage.subject)
    }
    assert subjects["brand-new@example.org"] == "Confirm your email address"
    assert subjects[member["email"]] == "You already have an account"
    assert subjects[staff["email"]] == "You already have an account"
    message = (
        await OutboxMessage.select().where(OutboxMessage.to_address == member["email"]).first()
    )
    assert "http://127.0.0.1:8000/sign-in" in message["text_body"]
    assert "forgotten your password" in message["text_body"]
    assert message["member_id"] == member["member_id"]  # through the contact gate
    assert await AuditEvent.count().where(AuditEvent.action == "sign_up_existing_email") == 2


async def test_a_known_member_who_marked_email_unsafe_is_not_emailed(client, make_member):
    member = await make_member(email="careful@example.org")
    await ContactPreference.update({ContactPreference.safe: False}, force=True)
    response = await apply(client, with_email(member["email"]))
    assert response.headers["location"] == "/join/sent"
    assert not await OutboxMessage.exists().where(OutboxMessage.to_address == member["email"])


async def test_signing_up_again_before_confirming_sends_a_new_link(client, make_client):
    await apply(client)
    first = await verification_path("robin@example.org")
    again = make_client()
    await apply(again, ANSWERS)
    second = await verification_path("robin@example.org")
    assert first != second
    assert await User.count().where(User.email == "robin@example.org") == 1
    await client.get(first)
    await client.get(second)


async def test_a_confirmation_link_lasts_48_hours(client):
    await apply(client)
    path = await verification_path("robin@example.org")
    row = (
        await EmailVerification.select()
        .where(EmailVerification.member.user.email == "robin@example.org")
        .first()
    )
    assert (
        timedelta(hours=47, minutes=59)
        < row["expires_at"] - row["created_at"]
        <= timedelta(hours=48, seconds=1)
    )
    await EmailVerification.update(
        {EmailVerification.expires_at: now_utc() - timedelta(seconds=1)}, force=True
    )
    page = await client.get(path, expected=410)
    paragraphs = html.texts(page, "main p")
    assert paragraphs[0] == "Links to confirm an email address work once, for 48 hours."
    assert html.links(page, "main p a")["start again"] == "/join"
    await client.post(path, {}, expected=410, csrf_from="/join/details")
    member = (
        await Member.select(Member.status).where(Member.user.email == "robin@example.org").first()
    )
    assert member["status"] == "applied"


async def test_an_unknown_link_gets_the_kind_page_not_an_error(client):
    page = await client.get("/join/verify/not-a-real-token", expected=410)
    assert html.text(page, "h1") == "This link has expired or has been used"


async def test_a_draft_older_than_a_day_is_not_used(client):
    await client.post("/join/details", ANSWERS["details"])
    await SignUpDraft.update({SignUpDraft.updated_at: now_utc() - timedelta(hours=25)}, force=True)
    response = await client.get("/join/contact", expected=303)
    assert response.headers["location"] == "/join/details"
