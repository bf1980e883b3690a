"""Leaving erases: a sentinel put in every personal field is nowhere in the database afterwards,
in any table, on either engine, nor in the outbox, the audit log or the logs (issue: members,
point 7; hardening, point 4)."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from functools import reduce
from operator import or_

import pytest
from piccolo.conf.apps import Finder
from piccolo.table import Table

from panel import db
from panel.accounts.rules import Role
from panel.accounts.tables import User, WebSession
from panel.audit.services import Actor
from panel.audit.tables import AuditEvent
from panel.consent.rules import Channel, ConsentState, Purpose
from panel.consent.services import consents_of, record_consent
from panel.engagements.rules import EngagementKind
from panel.engagements.services import create_engagement, record_invitation
from panel.engagements.tables import ContactOverride, Invitation
from panel.erasure import leave_and_erase
from panel.expenses.rules import CostKind
from panel.expenses.services import NewClaim, submit_claim
from panel.expenses.tables import ExpenseClaim, ExpenseReceipt
from panel.justice import VICTIMS_CODE_RIGHTS
from panel.members.reference import load_reference_data
from panel.members.services import NoSuchMember
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.outbox import messages
from panel.outbox.services import enqueue
from panel.personal_data import person_keys, text_columns
from panel.reviews.services import (
    AssessmentSent,
    CaseSent,
    add_case,
    assessments_of,
    case_of,
    case_preview,
    save_assessment,
)
from panel.screening.tables import ScreeningDecision
from panel.selections.services import SelectionRequest, run_selection, verify_selection
from tests.integration.conftest import ACTOR, PASSWORD, sign_in
from tests.support import html
from tests.support.engagements import a_plan


async def every_row_as_text() -> str:
    """Every row of every table in the database, as one string."""
    if db.is_postgres():
        tables = [
            row["table_name"]
            for row in await db.engine().run_ddl(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
    else:
        tables = [
            row["name"]
            for row in await db.engine().run_ddl(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        ]
    assert "member" in tables and "panel_user" in tables and "outbox_message" in tables
    dumps = []
    for table in tables:
        dumps.append(str(await db.engine().run_ddl(f'SELECT * FROM "{table}"')))  # noqa: S608
    return "\n".join(dumps)


# Tables whose kept columns need a meaningful value: the test makes their rows by the real flows.
REAL_ROWS_ONLY = "kept columns hold a fixed list's values, so make one by the real flow"


def references(table: type[Table], name: str) -> str:
    return getattr(table, name)._foreign_key_meta.resolved_references._meta.tablename


async def plant_markers(member_id: int, user_id: int) -> list[str]:
    """A marker in every text column, not kept by its table's declaration, of every row that a key
    to this member or their account finds, in every table Piccolo knows; a generic row first in
    any such table that has none. Returns the markers."""
    session = await WebSession.select(WebSession.id).where(WebSession.user == user_id).first()
    others = {"web_session": session["id"]}  # any other foreign key stays empty
    markers: list[str] = []
    for table in Finder().get_table_classes():
        # Each key gets the member's id or the account's, by what it points at.
        keys = {
            name: user_id if references(table, name) == "panel_user" else member_id
            for name in person_keys(table)
        }
        if table is User:
            keys = {"id": user_id}
        if not keys:
            continue
        condition = reduce(or_, (getattr(table, name) == value for name, value in keys.items()))
        rows = await table.select(table._meta.primary_key).where(condition)
        if not rows:
            assert not table.erasure.kept, f"{table.__name__}: {REAL_ROWS_ONLY}"
            row = {
                column._meta.name: keys.get(column._meta.name)
                or others.get(column._foreign_key_meta.resolved_references._meta.tablename)
                for column in table._meta.foreign_key_columns
            }
            await table.insert(table(**row))
            rows = await table.select(table._meta.primary_key).where(condition)
        for row in rows:
            for name in text_columns(table):
                if name in table.erasure.kept:
                    continue
                column = getattr(table, name)
                marker = secrets.token_hex(12)[: min(24, getattr(column, "length", 24))]
                markers.append(marker)
                await table.update({column: marker}).where(
                    table._meta.primary_key == row[table._meta.primary_key._meta.name]
                )
    return markers


async def test_leaving_erases_every_personal_field_everywhere(
    client, make_client, make_user, settings, caplog
):
    caplog.set_level(logging.DEBUG)
    sentinel = f"sentinel{secrets.token_hex(6)}"
    user = await make_user(Role.MEMBER, email=f"{sentinel}@example.org")
    await sign_in(client, user)  # a session, and sign-in audit events
    await client.post(
        "/sign-in", {"email": user["email"], "password": "wrong password here"}, expected=400
    )
    rows = await Member.insert(
        Member(
            user=user["id"],
            pseudonym=secrets.token_hex(8),
            status="active",
            preferred_name=f"Name {sentinel}",
            phone=f"07700 {sentinel}",
            postal_address=f"1 {sentinel} Street",
            district="maidstone",
            do_not_contact_reason=f"asked by {sentinel}",
        )
    )
    member_id = rows[0]["id"]
    await ContactPreference.insert(
        ContactPreference(
            member=member_id, channel="phone_call", safe=True, code_word=f"word {sentinel}"
        )
    )
    await ExperienceProfile.insert(
        ExperienceProfile(member=member_id, involvement="victim", crime_types=f'["{sentinel}"]')
    )
    await AccessNeeds.insert(
        AccessNeeds(member=member_id, needs='["other"]', language=sentinel, other=sentinel)
    )
    await EqualityData.insert(EqualityData(member=member_id, ethnicity=sentinel))
    await ScreeningDecision.insert(
        ScreeningDecision(member=member_id, decision="more_info", message=f"Dear {sentinel}")
    )
    await Member.update({Member.ways_to_take_part: f'["{sentinel}"]'}).where(Member.id == member_id)
    await ContactOverride.insert(
        ContactOverride(member=member_id, reason=f"asked {sentinel}", expires_at=datetime.now(UTC))
    )
    await record_consent(member_id, Purpose.MEMBERSHIP, True, ACTOR)
    await record_consent(
        member_id,
        Purpose.SURVEYS,
        True,
        Actor(1, "staff"),
        channel=Channel.PHONE,
        attestation=f"{sentinel} agreed on the phone",
    )
    await enqueue(messages.PASSWORD_CHANGED, user["email"], settings, member_id=member_id)
    await client.post("/forgot-password", {"email": user["email"]})
    # Staff look them up by their email and export what they find.
    staff = make_client("192.0.2.80")
    await sign_in(staff, await make_user(Role.STAFF))
    found = await staff.get("/staff/members", params={"q": user["email"]})
    assert html.hrefs(found, "table tbody td:first-child a") == [f"/staff/members/{member_id}"]
    exported = await staff.get("/staff/members.csv", params={"q": user["email"]})
    assert user["email"] in exported.text
    # Chosen for a focus group: the selection keeps the answers it balanced.
    await ContactPreference.insert(ContactPreference(member=member_id, channel="email", safe=True))
    await record_consent(member_id, Purpose.FOCUS_GROUPS, True, ACTOR)
    engagement_id = await create_engagement(a_plan(), ACTOR)
    selection_id = await run_selection(
        engagement_id, SelectionRequest(1, 0, []), load_reference_data(), settings, ACTOR
    )
    await record_invitation(member_id, "survey", None, datetime.now(UTC))
    # They came to a session and claimed their costs, with a receipt.
    invitation_id = await record_invitation(
        member_id, "focus_group", engagement_id, datetime.now(UTC)
    )
    await Invitation.update({Invitation.status: "attended"}).where(Invitation.id == invitation_id)
    receipt = b"%PDF-1.4 " + sentinel.encode()
    await submit_claim(
        invitation_id,
        member_id,
        NewClaim(CostKind.TRAVEL, 1250, f"train {sentinel}", receipt, "application/pdf"),
        ACTOR,
    )
    # They reviewed a case of an independent review, with a comment and what should change.
    review_id = await create_engagement(
        a_plan(kind=EngagementKind.INDEPENDENT_REVIEW, title="A review"), ACTOR
    )
    case_sent = CaseSent("burglary_home", "updates", ("police",), "No updates.", "Reported.")
    case_id = await add_case(
        review_id, case_sent, case_preview(review_id, case_sent, settings.secret_key), None, ACTOR
    )
    ratings = {code: "not_met" for code, _ in VICTIMS_CODE_RIGHTS}
    await save_assessment(
        await case_of(review_id, case_id),
        AssessmentSent(ratings, {"right_6": f"no calls {sentinel}"}, "", f"ring {sentinel}"),
        ACTOR,
        member_id=member_id,
    )
    assert sentinel in await every_row_as_text()
    markers = await plant_markers(member_id, user["id"])
    everything = await every_row_as_text()
    assert len(markers) >= 40 and all(marker in everything for marker in markers)

    await leave_and_erase(member_id, settings, Actor(None, "member"))

    everything = await every_row_as_text()
    assert sentinel not in everything
    assert await ExpenseReceipt.count() == 0
    assert await ExpenseClaim.count() == 1  # the amount stays, for the costs of the panel
    [assessment] = await assessments_of([case_id])  # the ratings stay, naming no one
    assert assessment.ratings == ratings and assessment.comments == {}
    assert [marker for marker in markers if marker in everything] == []
    # What the app logged (the test's own HTTP client logs the addresses it asks for).
    logged = [record for record in caplog.records if not record.name.startswith("httpx")]
    assert sentinel not in "\n".join(record.getMessage() for record in logged)
    details = [row["detail"] for row in await AuditEvent.select(AuditEvent.detail)]
    assert any('"searched": true' in detail for detail in details)
    assert not [detail for detail in details if sentinel in detail]
    remaining = await Member.select().where(Member.id == member_id).first()
    assert remaining["status"] == "erased" and remaining["pseudonym"] and remaining["user"] is None
    states = {consent.purpose: consent.state for consent in await consents_of(member_id)}
    assert (
        states[Purpose.MEMBERSHIP] is ConsentState.WITHDRAWN
        and states[Purpose.SURVEYS] is ConsentState.WITHDRAWN
    )
    assert await AuditEvent.exists().where(
        AuditEvent.action == "member_erased", AuditEvent.object_id == str(member_id)
    )
    # A selection they were in keeps their chance but not their answers, and says so.
    assert await verify_selection(selection_id) == [
        "It cannot be run again: 1 member's answers were erased since it was made."
    ]
    # Their old session is gone with the account.
    await client.get("/my-panel", expected=303)
    response = await client.post(
        "/sign-in", {"email": user["email"], "password": PASSWORD}, expected=400
    )
    assert html.error_messages(response) == ["Enter a correct email address and password"]


async def test_erasing_twice_is_refused(settings):
    rows = await Member.insert(Member(pseudonym=secrets.token_hex(8), status="active"))
    await leave_and_erase(rows[0]["id"], settings, ACTOR)
    with pytest.raises(NoSuchMember):
        await leave_and_erase(rows[0]["id"], settings, ACTOR)
