"""What a facilitator typed is never stored: after a preview, a save, a failed validation and a
post after the session timed out, no table, log line or file under the var folder holds any of it
(issue: session notes, point 3). Run on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from panel.accounts.rules import Role
from panel.accounts.tables import WebSession
from panel.notes.tables import SessionNote
from panel.piccolo_app import TABLES
from tests.integration.conftest import csrf_token_in, sign_in
from tests.support import html
from tests.support.engagements import session_with

TYPED = (
    "Robin Hale said Xanthe Brumblewick of 14 Quillfeather Lane rang her on 07700 900461 and "
    "wrote to xanthe.b@example.net from ME14 1XX. Her crime reference is 46/123456/26."
)
# Every identifying detail in the notes (the participant's name is on their member record).
SENTINELS = (
    "Xanthe",
    "Brumblewick",
    "Quillfeather",
    "900461",
    "xanthe.b@example.net",
    "ME14 1XX",
    "46/123456/26",
)
# Typed only in the request made after the session timed out.
LATE = "Ygritte Pomfrey called from 01632 960123."
LATE_SENTINELS = ("Ygritte", "Pomfrey", "960123")


async def everything_stored() -> str:
    """Every row of every table, as text."""
    rows = []
    for table in TABLES:
        rows += [json.dumps(row, default=str) for row in await table.select()]
    return "\n".join(rows).casefold()


def files_under(folder: Path) -> bytes:
    return b"\n".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())


async def test_nothing_typed_is_stored_logged_or_written_to_disk(
    client, make_user, make_member, make_engagement, settings, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    facilitator = await make_user(Role.FACILITATOR)
    engagement_id, _ = await session_with(
        make_member, make_engagement, facilitator, [("Robin Hale", "accepted")]
    )
    await sign_in(client, facilitator)
    path = f"/facilitator/engagements/{engagement_id}/notes"

    preview = await client.post(path, {"notes": TYPED, "action": "check"}, 200, csrf_from=path)
    checked = html.form_values(preview.text, "#notes-form")["checked"]
    # A failed validation: the words to remove are far too long. The page gives the notes back.
    failed = await client.post(
        path, {"notes": TYPED, "remove": "x" * 3000, "action": "check"}, 400, csrf_from=path
    )
    assert html.form_values(failed.text, "#notes-form")["notes"] == TYPED
    await client.post(
        path, {"notes": TYPED, "action": "save", "checked": checked}, 303, csrf_from=path
    )
    [note] = await SessionNote.select()
    assert note["saved"] and note["text"].startswith("[PARTICIPANT 1] said [PERSON] of [ADDRESS]")

    # The session times out while more is typed: the post is refused and nothing of it is kept.
    token_page = await client.get(path)
    await WebSession.update(
        {WebSession.last_seen_at: datetime.now(UTC) - timedelta(days=1)}, force=True
    )
    late = await client.http.post(
        path,
        data={
            "notes": LATE,
            "action": "check",
            "_csrf_token": csrf_token_in(token_page.text),
        },
    )
    assert late.status_code in (303, 401, 403)
    assert "Ygritte" not in late.headers.get("location", "")

    stored = await everything_stored()
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    on_disk = files_under(settings.var_dir)
    for word in SENTINELS + LATE_SENTINELS:
        assert word.casefold() not in stored, word
        assert word not in logged, word
        assert word.encode() not in on_disk, word
    assert "Robin" not in note["text"]
