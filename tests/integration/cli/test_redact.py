"""``panel notes redact``: text in on standard input, the same text with identifying details
replaced out on standard output, run as staff would run it on a document."""

from __future__ import annotations

import asyncio
import os

from tests.integration.cli.test_cli import PANEL, run_panel

NOTE = """Notes, 3 December

Robin Hart said PC Jones rang her on 07700 900123 about crime ref 46/123456/24.
Ash Patel's son (aged 14) was at 12 High Street, ME14 1XX. Victim Support helped them both.
"""


async def test_redact_replaces_identifying_details_and_keeps_everything_else():
    code, out, err = await run_panel(
        "notes", "redact", "--known-name", "Robin Hart", "--known-name", "Ash Patel", stdin=NOTE
    )
    assert (code, err) == (0, "")
    assert out == (
        "Notes, 3 December\n\n"
        "[PARTICIPANT 1] said PC [OFFICER] rang her on [PHONE] about crime ref [REFERENCE].\n"
        "[PARTICIPANT 2]'s son (aged [AGE]) was at [ADDRESS], [POSTCODE]. Victim Support helped "
        "them both.\n"
    )


async def test_redact_refuses_input_that_is_not_text_in_one_line():
    process = await asyncio.create_subprocess_exec(
        *PANEL,
        "notes",
        "redact",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(os.environ),
    )
    out, err = await asyncio.wait_for(process.communicate(b"\xff\xfe\x00binary"), timeout=60)
    assert process.returncode == 2
    assert out == b""
    assert err.decode().splitlines() == ["panel notes redact: the input is not UTF-8 text"]
