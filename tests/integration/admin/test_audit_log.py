"""The audit log: admins browse and filter it; nothing in the application updates or deletes it."""

from __future__ import annotations

import re
from pathlib import Path

from panel.accounts.rules import Role
from panel.audit.services import Actor, record_event
from tests.integration.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[3]


async def test_admin_browses_and_filters_the_audit_log(client, signed_in, make_user):
    admin = await signed_in(Role.ADMIN)
    member = await make_user(Role.MEMBER)
    await client.post(
        "/sign-in",
        {"email": member["email"], "password": "wrong password here"},
        expected=400,
        csrf_from="/admin/audit",
    )
    page = await client.get("/admin/audit")
    assert "Sign-in failed" in page.text and "Signed in" in page.text
    filtered = await client.get("/admin/audit?action=sign_in_failed")
    assert "Sign-in failed" in filtered.text
    assert filtered.text.count('<tr class="govuk-table__row">') == 2  # header row + the one failure
    by_actor = await client.get(f"/admin/audit?actor={admin['email']}")
    assert "Sign-in failed" not in by_actor.text.split("<tbody")[1]


async def test_bad_filters_come_back_with_errors_and_the_input_kept(client, signed_in):
    await signed_in(Role.ADMIN)
    page = await client.get("/admin/audit?since=yesterday&action=nonsense", expected=400)
    assert "Enter the date as year-month-day" in page.text
    assert 'value="yesterday"' in page.text
    assert "<title>Error: Audit log" in page.text


async def test_audit_log_pages(client, signed_in):
    admin = await signed_in(Role.ADMIN)
    for number in range(60):
        await record_event(
            "user_created", Actor(admin["id"], "x"), object_type="user", object_id=number
        )
    first = await client.get("/admin/audit?action=user_created")
    assert "Page 1 of 2" in first.text
    second = await client.get("/admin/audit?action=user_created&page=2")
    assert "Page 2 of 2" in second.text


async def test_no_code_path_updates_or_deletes_audit_rows():
    offending = []
    for path in (ROOT / "panel").rglob("*.py"):
        text = path.read_text()
        for pattern in (
            r"AuditEvent\.(update|delete|alter|raw)\(",
            r"audit_event[^\n]*\b(UPDATE|DELETE)\b",
            r"\b(UPDATE|DELETE FROM)\s+audit_event",
        ):
            if re.search(pattern, text, flags=re.IGNORECASE):
                offending.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert offending == []


async def test_password_is_never_in_the_audit_log(client, make_user):
    from panel.audit.tables import AuditEvent

    user = await make_user(Role.MEMBER)
    await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    rows = await AuditEvent.select()
    assert PASSWORD not in str(rows)
