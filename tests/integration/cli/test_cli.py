"""The `panel` command, run as a person would run it."""

from __future__ import annotations

import asyncio
import os
import re
import sys

from panel.accounts.rules import Role
from panel.accounts.tables import User
from tests.support.database import POSTGRES_PREFIXES, empty_database

PANEL = [sys.executable, "-m", "panel.cli"]


async def run_panel(
    *arguments: str, stdin: str = "", env: dict | None = None
) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *PANEL,
        *arguments,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), timeout=60)
    return process.returncode, out.decode(), err.decode()


async def test_users_create_reads_the_password_from_stdin():
    code, out, err = await run_panel(
        "users",
        "create",
        "--email",
        "New.Staff@Example.org",
        "--role",
        "staff",
        "--password-stdin",
        stdin="a long enough passphrase\n",
    )
    assert code == 0, err
    assert "new.staff@example.org" in out
    assert await User.exists().where(User.email == "new.staff@example.org", User.role == "staff")
    again, _, err = await run_panel(
        "users",
        "create",
        "--email",
        "new.staff@example.org",
        "--role",
        "staff",
        "--password-stdin",
        stdin="a long enough passphrase\n",
    )
    assert again == 1 and "already exists" in err
    await User.delete().where(User.email == "new.staff@example.org")


async def test_users_create_refuses_a_weak_password():
    code, _, err = await run_panel(
        "users",
        "create",
        "--email",
        "weak@example.org",
        "--role",
        "board",
        "--password-stdin",
        stdin="password\n",
    )
    assert code == 2 and "12 characters or more" in err


async def test_production_refuses_to_start_with_a_one_line_reason():
    code, _, err = await run_panel("serve", env={"PANEL_ENV": "production", "PANEL_SECRET_KEY": ""})
    assert code == 2
    assert err.strip().count("\n") == 0 and "PANEL_SECRET_KEY" in err


async def test_demo_load_is_idempotent_and_only_in_demo_mode(tmp_path):
    # The command commits in its own process, so it gets a database of its own to fill.
    url = os.environ["PANEL_DATABASE_URL"]
    own = (
        f"{url.split('?', 1)[0]}_demo"
        if url.startswith(POSTGRES_PREFIXES)
        else f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    )
    await asyncio.to_thread(empty_database, own)
    env = {"PANEL_DATABASE_URL": own}
    code, out, err = await run_panel("db", "upgrade", env=env)
    assert code == 0, err
    # One line on a fresh database, not Piccolo's "already complete" beside "not yet run".
    assert re.fullmatch(r"Applied \d+ migrations\. The database is up to date\.", out.strip())
    code, _, err = await run_panel("demo", "load", env={**env, "PANEL_DEMO": "false"})
    assert code == 2 and "demo mode" in err
    first, out, err = await run_panel("demo", "load", env={**env, "PANEL_DEMO": "true"})
    assert first == 0, err
    assert out.count("created") == 12 and "member (active  ) member@demo.example" in out
    assert out.count("member (verified)") == 2
    assert "synthetic panel: m1@members.demo.example onwards (400 members)" in out
    assert "created  7 engagements" in out and "created  a selection" in out
    assert "created  24 findings" in out and "created  3 review cases" in out
    second, out, _ = await run_panel("demo", "load", env={**env, "PANEL_DEMO": "true"})
    assert second == 0 and "created" not in out and out.count("exists") == 12
    assert "Demo password" in out
    # The demo's selection can be run again, and matches.
    code, out, _ = await run_panel("selections", "verify", "1", env=env)
    assert (code, out.strip()) == (
        0,
        "Selection 1 matches: the same chances, the same panel and the same reserves.",
    )
    code, _, err = await run_panel("selections", "verify", "99", env=env)
    assert (code, err.strip()) == (2, "panel: there is no selection 99")


async def test_db_upgrade_is_a_no_op_on_an_up_to_date_database():
    code, out, err = await run_panel("db", "upgrade")
    assert code == 0, err
    assert out.strip() == "The database is up to date: there were no migrations to apply."


async def test_serve_refuses_to_start_with_bad_reference_data(tmp_path):
    bad = tmp_path / "area.json"
    bad.write_text("{}")
    code, _, err = await run_panel("serve", env={"PANEL_REFERENCE_DATA": str(bad)})
    assert code == 2 and "PANEL_REFERENCE_DATA" in err and "area" in err


async def test_retention_dry_run_lists_and_changes_nothing():
    code, out, err = await run_panel("jobs", "run", "retention", "--dry-run")
    assert code == 0, err
    assert "Would remove:" in out and "unverified applications to remove:" in out


async def test_users_reset_two_factor_answers_in_one_line():
    """The command's plumbing; what it clears is checked in-process below (a subprocess cannot
    see this test's uncommitted rows)."""
    code, _, err = await run_panel("users", "reset-two-factor", "--email", "nobody@example.org")
    assert code == 1
    assert err == "panel: there is no staff account for nobody@example.org\n"


async def test_resetting_two_factor_by_email_clears_staff_accounts_only(make_user, make_member):
    from panel.accounts.services import reset_two_factor_by_email
    from panel.audit.services import Actor

    staff = await make_user(Role.STAFF)
    member = await make_member()
    assert await reset_two_factor_by_email(staff["email"].upper(), Actor(None, "command line"))
    row = await User.select(User.totp_secret_sealed).where(User.id == staff["id"]).first()
    assert row["totp_secret_sealed"] is None
    assert not await reset_two_factor_by_email(member["email"], Actor(None, "command line"))
