"""Staff record a consent a member gave or withdrew by phone, on paper or by email; it shows in the
history as recorded by staff, with who and how (issue: members, point 5)."""

from __future__ import annotations

import json

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.consent.rules import ConsentState, Purpose
from panel.consent.services import consents_of, history_of
from panel.members.tables import EqualityData, Member
from tests.support import html

ATTESTATION = "I read the focus groups wording to them on the phone and they said yes."


async def actions_about(member_id: int) -> list[str]:
    rows = await (
        AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_type == "member", AuditEvent.object_id == str(member_id))
        .order_by(AuditEvent.id)
    )
    return [row["action"] for row in rows]


async def test_a_phone_consent_shows_in_the_history_as_recorded_by_staff(
    client, signed_in, make_member
):
    member = await make_member()
    member_id = member["member_id"]
    staff = await signed_in(Role.STAFF)
    path = f"/staff/members/{member_id}/consent"

    response = await client.post(
        path,
        {
            "purpose": "focus_groups",
            "given": "given",
            "channel": "phone",
            "attestation": ATTESTATION,
        },
    )
    assert response.headers["location"] == f"{path}?done=recorded"

    page = (await client.get(response.headers["location"])).text
    assert html.notification(page).startswith("Consent recorded.")
    newest, *older = html.timeline(html.section(page, "History"))
    assert newest["title"] == "Focus groups: given"
    assert newest["byline"] == f"recorded by {staff['email']}"
    assert newest["description"].startswith("By phone. Wording version")
    assert newest["description"].endswith(ATTESTATION)
    # The member's own consents, given online, say so.
    assert older and {event["byline"] for event in older} == {"by the member"}

    [event] = [row for row in await history_of(member_id) if row["purpose"] == "focus_groups"]
    assert event["recorded_by"] == staff["id"] and event["channel"] == "phone"
    state = {c.purpose: c.state for c in await consents_of(member_id)}
    assert state[Purpose.FOCUS_GROUPS] is ConsentState.GIVEN
    given = await AuditEvent.select().where(
        AuditEvent.action == "consent_given", AuditEvent.actor_id == staff["id"]
    )
    assert json.loads(given[0]["detail"]) == {"channel": "phone", "purpose": "focus_groups"}
    assert "member_consents_viewed" in await actions_about(member_id)


async def test_a_withdrawal_on_paper_takes_effect(client, signed_in, make_member):
    member = await make_member()
    await signed_in(Role.STAFF)
    await client.post(
        f"/staff/members/{member['member_id']}/consent",
        {
            "purpose": "surveys",
            "given": "withdrawn",
            "channel": "paper",
            "attestation": "Signed withdrawal form received by post.",
        },
    )
    state = {c.purpose: c.state for c in await consents_of(member["member_id"])}
    assert state[Purpose.SURVEYS] is ConsentState.WITHDRAWN


async def test_an_empty_attestation_is_refused_with_the_answers_kept(
    client, signed_in, make_member
):
    member = await make_member()
    await signed_in(Role.STAFF)
    before = await history_of(member["member_id"])

    response = await client.post(
        f"/staff/members/{member['member_id']}/consent",
        {"purpose": "case_reviews", "given": "given", "channel": "email", "attestation": "   "},
        expected=400,
    )
    assert html.title(response).startswith("Error: ")
    assert html.error_summary(response)["attestation"].startswith(
        "Say who assisted and how the member agreed"
    )
    # What they chose is still chosen.
    kept = html.form_values(response, "main form")
    assert (kept["purpose"], kept["given"], kept["channel"]) == ("case_reviews", "given", "email")
    assert await history_of(member["member_id"]) == before


async def test_every_missing_answer_is_named(client, signed_in, make_member):
    member = await make_member()
    await signed_in(Role.STAFF)
    response = await client.post(
        f"/staff/members/{member['member_id']}/consent",
        {"attestation": ATTESTATION},
        expected=400,
    )
    assert list(html.error_summary(response)) == ["purpose", "given", "channel"]
    assert html.form_values(response, "main form") == {"attestation": ATTESTATION}


async def test_an_erased_or_unknown_member_is_not_found(client, signed_in, make_member):
    member = await make_member()
    await Member.update({Member.status: "erased"}).where(Member.id == member["member_id"])
    await signed_in(Role.STAFF)
    await client.get(f"/staff/members/{member['member_id']}/consent", expected=404)
    await client.post(
        f"/staff/members/{member['member_id']}/consent",
        {"purpose": "surveys", "given": "given", "channel": "phone", "attestation": ATTESTATION},
        expected=404,
        csrf_from="/staff",
    )
    await client.get("/staff/members/999999/consent", expected=404)


async def test_a_withdrawal_staff_record_deletes_what_was_kept_only_with_that_consent(
    client, signed_in, make_member
):
    """Equality answers are kept only with their consent (their table's declaration): a withdrawal
    recorded by staff deletes them, as the member's own does; another consent's does not."""
    member = await make_member(consents=(Purpose.MEMBERSHIP, Purpose.EQUALITY_DATA))
    member_id = member["member_id"]
    await EqualityData.insert(EqualityData(member=member_id, age_band="25_34"))
    await signed_in(Role.STAFF)
    path = f"/staff/members/{member_id}/consent"
    for purpose in ("membership", "equality_data"):
        await client.post(
            path,
            {"purpose": purpose, "given": "withdrawn", "channel": "phone",
             "attestation": "They asked us on the phone to stop."},
            csrf_from=path,
        )  # fmt: skip
        assert await EqualityData.count() == (1 if purpose == "membership" else 0)
