"""The audit log: admins browse and filter it; nothing in the application updates or deletes it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from panel.accounts.rules import Role
from panel.audit.services import Actor, record_event
from tests.integration.conftest import PASSWORD
from tests.support import html

ROOT = Path(__file__).resolve().parents[3]


def actions_listed(page: Any) -> list[str]:
    """The Action column of the audit log's table, newest first."""
    return [row["Action"] for row in html.table_rows(page)]


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
    assert {"Sign-in failed", "Signed in"} <= set(actions_listed(page))
    filtered = await client.get("/admin/audit?action=sign_in_failed")
    assert actions_listed(filtered) == ["Sign-in failed"]
    by_actor = await client.get(f"/admin/audit?actor={admin['email']}")
    assert "Sign-in failed" not in actions_listed(by_actor)


async def test_bad_filters_come_back_with_errors_and_the_input_kept(client, signed_in):
    await signed_in(Role.ADMIN)
    page = await client.get("/admin/audit?since=yesterday&action=nonsense", expected=400)
    errors = html.error_summary(page)
    assert errors["since"].startswith("Enter the date as year-month-day")
    assert set(errors) == {"action", "since"}
    assert html.form_values(page, "main form")["since"] == "yesterday"
    assert html.title(page).startswith("Error: Audit log")


async def test_audit_log_pages(client, signed_in):
    admin = await signed_in(Role.ADMIN)
    for number in range(60):
        await record_event(
            "user_created", Actor(admin["id"], "x"), object_type="user", object_id=number
        )
    first = await client.get("/admin/audit?action=user_created")
    assert html.text(first, ".panel-pagination__where") == "Page 1 of 2"
    assert len(actions_listed(first)) == 50
    second = await client.get("/admin/audit?action=user_created&page=2")
    assert html.text(second, ".panel-pagination__where") == "Page 2 of 2"


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
