"""Only staff (and administrators) reach screening and the staff consent page; facilitators, board
members and panel members are refused (anonymous requests are covered by the route walk)."""

from __future__ import annotations

import pytest

from panel.accounts.rules import Role
from panel.screening.tables import DeclineReason
from tests.integration.screening.conftest import status_of
from tests.support import html

PAGES = [
    "/staff/applications",
    "/staff/applications/{member}",
    "/staff/applications/reasons",
    "/staff/applications/reasons/{reason}",
    "/staff/members/{member}/consent",
]
FORMS = [
    "/staff/applications/{member}/approve",
    "/staff/applications/{member}/decline",
    "/staff/applications/{member}/more-information",
    "/staff/applications/reasons",
    "/staff/applications/reasons/{reason}",
    "/staff/applications/reasons/{reason}/retire",
    "/staff/applications/reasons/{reason}/restore",
    "/staff/members/{member}/consent",
]


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.BOARD, Role.MEMBER])
async def test_other_roles_cannot_screen_or_record_consent(client, signed_in, make_applicant, role):
    applicant = await make_applicant()
    reason = await DeclineReason.select(DeclineReason.id).first()
    ids = {"member": applicant["member_id"], "reason": reason["id"]}
    await signed_in(role)
    for page in PAGES:
        response = await client.get(page.format(**ids), expected=403)
        assert "Your account does not give you access to this page." in html.texts(
            response, "main p"
        )
    for form in FORMS:
        response = await client.post(
            form.format(**ids),
            {"seen": "0", "reason": str(reason["id"]), "message": "x", "text": "x"},
            expected=403,
            csrf_from="/staff/applications",
        )
        assert "Your account does not give you access to this page." in html.texts(
            response, "main p"
        )
    assert await status_of(applicant["member_id"]) == "verified"


async def test_an_administrator_can_screen(client, signed_in, make_applicant):
    await make_applicant("Sky")
    await signed_in(Role.ADMIN)
    queue = await client.get("/staff/applications")
    assert "Sky" in [row["Name"] for row in html.table_rows(queue)]
