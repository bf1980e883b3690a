"""Expenses (issue: engagements, point 8): a participant claims travel or care costs with a receipt
checked by its content and size; staff read the receipt, approve or refuse with a reason the member
then reads; approved claims are exported for payment."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from panel.accounts.rules import Role
from panel.audit.tables import AuditEvent
from panel.consent.rules import Purpose
from panel.engagements.tables import Invitation
from panel.expenses.services import CLAIMS_PER_PAGE
from panel.expenses.tables import ExpenseClaim, ExpenseReceipt
from tests.integration.conftest import csrf_token_in, sign_in
from tests.support import html
from tests.support.queries import counted_queries

FOCUS = (Purpose.MEMBERSHIP, Purpose.FOCUS_GROUPS)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"x" * 200


@pytest.fixture
async def participant(make_member, make_engagement, make_client):
    """A member with a place at a recruiting focus group, signed in in their own browser."""
    engagement_id = await make_engagement("recruiting")
    member = await make_member(consents=FOCUS, preferred_name="Robin")
    rows = await Invitation.insert(
        Invitation(
            member=member["member_id"],
            engagement=engagement_id,
            kind="focus_group",
            status="accepted",
        )
    ).returning(Invitation.id)
    browser = make_client("198.51.100.40")
    await sign_in(browser, member)
    return {
        "browser": browser,
        "member": member,
        "invitation_id": rows[0]["id"],
        "path": f"/my-panel/invitations/{rows[0]['id']}/expenses",
    }


async def claim(browser, path: str, fields: dict, receipt: bytes | None, expected: int = 303):
    page = await browser.http.get(path)
    token = csrf_token_in(page.text)
    files = {"receipt": ("receipt.png", receipt, "image/png")} if receipt is not None else None
    response = await browser.http.post(
        path, data={"_csrf_token": token, **fields}, files=files or {"receipt": ("", b"", "")}
    )
    return browser.check(response, expected)


async def test_a_participant_claims_travel_and_staff_approve_it_for_payment(
    participant, client, signed_in
):
    browser, path = participant["browser"], participant["path"]
    invitation_page = (
        await browser.get(f"/my-panel/invitations/{participant['invitation_id']}")
    ).text
    assert path in html.hrefs(invitation_page, "main a")
    response = await claim(
        browser, path, {"kind": "travel", "amount": "£12.50", "description": "Train"}, PNG
    )
    page = (await browser.get(response.headers["location"])).text
    assert "We have your claim" in html.text(page, ".govuk-notification-banner")
    [row] = html.table_rows(page, "#claims")
    assert row == {"For": "Travel", "Amount": "£12.50", "Decision": "Waiting for a decision"}
    [stored] = await ExpenseClaim.select()
    assert (stored["amount_pence"], stored["receipt_type"]) == (1250, "image/png")

    await signed_in(Role.STAFF)
    listing = (await client.get("/staff/expenses")).text
    [line] = html.table_rows(listing, "#claims")
    assert line["Member"] == "Robin" and line["Amount"] == "£12.50"
    detail_path = f"/staff/expenses/{stored['id']}"
    receipt = await client.get(f"{detail_path}/receipt")
    assert receipt.content == PNG and receipt.headers["content-type"] == "image/png"
    assert "attachment" in receipt.headers["content-disposition"]
    await client.post(detail_path, {"decision": "approve"})
    export = await client.get("/staff/expenses/approved.csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert rows == [
        {
            "Claim": str(stored["id"]),
            "Name": "Robin",
            "Session date": rows[0]["Session date"],
            "Kind": "Travel",
            "Amount": "12.50",
            "Approved on": rows[0]["Approved on"],
        }
    ]
    actions = [row["action"] for row in await AuditEvent.select(AuditEvent.action)]
    assert {
        "expense_claimed",
        "expense_receipt_viewed",
        "expense_decided",
        "expenses_exported",
    } <= set(actions)

    page = (await browser.get(path)).text
    assert html.table_rows(page, "#claims")[0]["Decision"] == "Approved"


async def test_a_refusal_needs_a_reason_which_the_member_reads(participant, client, signed_in):
    browser, path = participant["browser"], participant["path"]
    await claim(browser, path, {"kind": "care", "amount": "30"}, PDF)
    [stored] = await ExpenseClaim.select()
    await signed_in(Role.STAFF)
    detail_path = f"/staff/expenses/{stored['id']}"
    page = await client.post(detail_path, {"decision": "refuse", "reason": ""}, expected=400)
    assert html.error_summary(page.text) == {
        "reason": "Enter why the claim is refused: the member will read it"
    }
    await client.post(
        detail_path, {"decision": "refuse", "reason": "Please send a clearer receipt"}
    )
    page = await client.post(
        detail_path, {"decision": "approve"}, csrf_from="/staff/expenses", expected=409
    )
    assert "already been decided" in html.text(page.text, ".govuk-error-summary")
    mine = (await browser.get(path)).text
    assert (
        html.table_rows(mine, "#claims")[0]["Decision"] == "Refused: Please send a clearer receipt"
    )
    [event] = await AuditEvent.select().where(AuditEvent.action == "expense_decided")
    assert "clearer" not in event["detail"]
    assert json.loads(event["detail"])["decision"] == "refused"


async def test_a_claim_with_mistakes_comes_back_as_typed_and_nothing_is_kept(participant):
    browser, path = participant["browser"], participant["path"]
    page = await claim(
        browser, path, {"kind": "lunch", "amount": "12.555", "description": "x" * 501}, None, 400
    )
    assert html.error_summary(page.text) == {
        "kind": "Select what the cost was for",
        "amount": "Enter the amount in pounds and pence, like 12.50",
        "description": "What it was for must be 500 characters or fewer",
        "receipt": "Choose a photo or PDF of the receipt",
    }
    assert html.form_values(page.text, "#claim")["amount"] == "12.555"
    page = await claim(browser, path, {"kind": "travel", "amount": "5"}, b"GIF89a" + b"0" * 50, 400)
    assert html.error_summary(page.text) == {
        "receipt": "The receipt must be a photo (JPEG or PNG) or a PDF"
    }
    assert await ExpenseClaim.count() == 0 and await ExpenseReceipt.count() == 0


async def test_a_receipt_over_the_size_limit_is_refused(participant, make_client, settings):
    from dataclasses import replace

    small = replace(settings, receipt_max_bytes=1024)
    browser = make_client("198.51.100.41", settings=small)
    await sign_in(browser, participant["member"])
    page = await claim(
        browser, participant["path"], {"kind": "travel", "amount": "5"}, PNG + b"0" * 2000, 400
    )
    assert html.error_summary(page.text) == {"receipt": "The receipt must be smaller than 1 KB"}
    page = await claim(
        browser, participant["path"], {"kind": "travel", "amount": "5"}, PNG + b"0" * 200_000, 413
    )
    assert "too large" in html.text(page.text, "h1")


async def test_no_one_claims_on_another_members_invitation_or_without_a_place(
    participant, make_member, make_client
):
    other = await make_member(consents=FOCUS)
    browser = make_client("198.51.100.42")
    await sign_in(browser, other)
    await browser.get(participant["path"], expected=404)
    await Invitation.update({Invitation.status: "declined"}).where(
        Invitation.id == participant["invitation_id"]
    )
    page = await participant["browser"].get(participant["path"], expected=409)
    assert "had a place at" in html.text(page.text, "main")


async def test_staff_pages_refuse_members(participant):
    await participant["browser"].get("/staff/expenses", expected=403)


async def test_a_claim_that_does_not_exist_is_not_found(client, signed_in):
    await signed_in(Role.STAFF)
    await client.get("/staff/expenses/999999", expected=404)
    await client.get("/staff/expenses/999999/receipt", expected=404)
    await client.post(
        "/staff/expenses/999999", {"decision": "approve"}, csrf_from="/staff/expenses", expected=404
    )
    page = (await client.get("/staff/expenses?show=approved")).text
    assert html.text(page, "#no-claims") == "No claims to show."


async def test_claims_waiting_for_a_decision_come_first_and_the_list_is_paged(
    participant, client, signed_in
):
    member_id, invitation_id = participant["member"]["member_id"], participant["invitation_id"]
    earlier = datetime(2026, 1, 5, 10, tzinfo=UTC)

    async def add(count: int, status: str, amount: int) -> None:
        await ExpenseClaim.insert(
            *(
                ExpenseClaim(
                    member=member_id,
                    invitation=invitation_id,
                    kind="travel",
                    amount_pence=amount,
                    status=status,
                    submitted_at=earlier + timedelta(minutes=number),
                    decided_at=None if status == "submitted" else earlier + timedelta(days=1),
                )
                for number in range(count)
            )
        )

    await signed_in(Role.STAFF)
    # More decided claims than a page holds, all older than the one still waiting.
    await add(CLAIMS_PER_PAGE + 5, "approved", 100)
    await ExpenseClaim.insert(
        ExpenseClaim(
            member=member_id, invitation=invitation_id, kind="care", amount_pence=999,
            submitted_at=earlier + timedelta(days=30),
        )
    )  # fmt: skip
    with counted_queries() as few:
        first = (await client.get("/staff/expenses")).text
    rows = html.table_rows(first, "#claims")
    assert len(rows) == CLAIMS_PER_PAGE
    assert rows[0]["Status"] == "Waiting for a decision" and rows[0]["Amount"] == "£9.99"
    assert html.text(first, ".panel-pagination__where") == "Page 1 of 2"
    [following] = html.hrefs(first, ".govuk-pagination__next a")
    second = (await client.get(following)).text
    assert len(html.table_rows(second, "#claims")) == 6
    assert html.text(second, ".panel-pagination__where") == "Page 2 of 2"

    # Only the approved ones, when asked: the page's queries do not grow with the claims.
    await add(CLAIMS_PER_PAGE, "approved", 100)
    with counted_queries() as many:
        approved = (await client.get("/staff/expenses?show=approved")).text
    assert len(many) == len(few)
    assert {row["Status"] for row in html.table_rows(approved, "#claims")} == {"Approved"}
    [following] = html.hrefs(approved, ".govuk-pagination__next a")
    assert "show=approved" in following and "page=2" in following
    export = await client.get("/staff/expenses/approved.csv")
    assert len(list(csv.DictReader(io.StringIO(export.text)))) == 2 * CLAIMS_PER_PAGE + 5
