"""The ``panel`` command: serve, run the worker, upgrade the database, manage users, select
panels, redact text, load demo data."""

from __future__ import annotations

import argparse
import asyncio
import csv
import getpass
import signal
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from panel.settings import ROOT, Settings, SettingsError, load_settings

# Piccolo finds its configuration as the module ``piccolo_conf`` at the project's root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if not hasattr(arguments, "run"):
        parser.print_help()
        return 2
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"panel: cannot start: {error}", file=sys.stderr)
        return 2
    return arguments.run(settings, arguments)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="panel", description="Run the engagement panel.")
    commands = parser.add_subparsers(title="commands")

    serve = commands.add_parser("serve", help="serve the web application")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=run_serve)

    worker = commands.add_parser("worker", help="deliver email and run scheduled jobs")
    worker.set_defaults(run=run_worker_command)

    database = commands.add_parser("db", help="database commands").add_subparsers(
        title="db commands"
    )
    upgrade = database.add_parser("upgrade", help="apply every migration not yet applied")
    upgrade.set_defaults(run=run_upgrade)

    users = commands.add_parser("users", help="user accounts").add_subparsers(
        title="users commands"
    )
    create = users.add_parser("create", help="create a user account")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=["admin", "staff", "facilitator", "board"])
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create.set_defaults(run=run_create_user)

    reset = users.add_parser(
        "reset-two-factor", help="clear an account's two-factor: it is set up again at sign-in"
    )
    reset.add_argument("--email", required=True)
    reset.set_defaults(run=run_reset_two_factor)

    jobs = commands.add_parser("jobs", help="scheduled jobs").add_subparsers(title="jobs commands")
    run_job = jobs.add_parser("run", help="run a job now")
    run_job.add_argument("job", choices=["retention"])
    run_job.add_argument(
        "--dry-run", action="store_true", help="list what would go, change nothing"
    )
    run_job.set_defaults(run=run_job_command)

    select = commands.add_parser(
        "select",
        help="select a panel from CSV files (the Sortition Foundation's formats), fairly",
        description=(
            "Select a panel from a pool by the LEXIMIN method: every quota met, and the chances "
            "of selection as equal as the quotas allow. Prints the selected ids, one per line."
        ),
    )
    select.add_argument(
        "--people", required=True, type=Path, help="CSV: an id column and one column per feature"
    )
    select.add_argument("--categories", required=True, type=Path, help="CSV: feature,value,min,max")
    select.add_argument("--number", required=True, type=int, help="how many people to select")
    select.add_argument(
        "--seed", type=int, help="the seed for the draw (the same seed, the same panel)"
    )
    select.add_argument("--probabilities", type=Path, help="write id,probability for everyone here")
    select.add_argument(
        "--household",
        metavar="COLUMN",
        help="at most one person with the same value in this column",
    )
    select.set_defaults(run=run_select)

    selections = commands.add_parser(
        "selections", help="stored selections of engagements"
    ).add_subparsers(title="selections commands")
    verify = selections.add_parser(
        "verify",
        help="run a stored selection again and say whether it matches",
        description=(
            "Rebuild a stored selection from its pool, quotas and seed: check its distribution "
            "meets every quota and gives the stored chances, work out LEXIMIN afresh, and draw "
            "again with the seed. Exit 0 when all of it matches, 1 when it does not."
        ),
    )
    verify.add_argument("selection_id", type=int, metavar="ID", help="the selection's number")
    verify.set_defaults(run=run_verify_selection)

    notes = commands.add_parser("notes", help="session notes").add_subparsers(
        title="notes commands"
    )
    redact = notes.add_parser(
        "redact",
        help="replace identifying details in text read from standard input",
        description=(
            "Read text on standard input and write it to standard output with names, phone "
            "numbers, email addresses, postcodes, addresses, dates of birth, references and other "
            "identifying details replaced by labels such as [PARTICIPANT 1] and [PHONE]."
        ),
    )
    redact.add_argument(
        "--known-name",
        action="append",
        default=[],
        metavar="NAME",
        help="a participant's name (give it once for each participant, in order)",
    )
    redact.set_defaults(run=run_redact)

    demo = commands.add_parser("demo", help="demo data").add_subparsers(title="demo commands")
    load = demo.add_parser("load", help="create the demo accounts (idempotent)")
    load.set_defaults(run=run_demo_load)
    return parser


def run_async(work: Callable[[], Coroutine[Any, Any, int]]) -> int:
    from panel import db

    async def work_then_close() -> int:
        try:
            return await work()
        finally:
            await db.close_connections()

    return asyncio.run(work_then_close())


def run_serve(settings: Settings, arguments: argparse.Namespace) -> int:
    import uvicorn

    from panel.members.reference import ReferenceDataError, load_reference_data
    from panel.web.logs import SERVER_LOGGING

    try:
        load_reference_data(settings.reference_data)
    except ReferenceDataError as error:
        print(f"panel: cannot start: PANEL_REFERENCE_DATA {error}", file=sys.stderr)
        return 2

    address = f"http://{arguments.host}:{arguments.port}/"
    print(f"Open {address} in a browser. Ctrl+C stops the server.", flush=True)
    if settings.demo:
        print("Demo mode: the sign-in page lists the demo accounts and their password.", flush=True)
    uvicorn.run(
        "panel.app:app_from_environment",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        log_level="info",
        log_config=SERVER_LOGGING,
        # The app writes its own access log, without query strings or tokens (panel/web/logs.py).
        access_log=False,
        # Client addresses come from trusted proxies through PANEL_TRUSTED_PROXIES, not uvicorn.
        proxy_headers=False,
        server_header=False,
    )
    return 0


def run_worker_command(settings: Settings, arguments: argparse.Namespace) -> int:
    from panel import db
    from panel.jobs.worker import run_worker

    async def work() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await db.open_connections(settings)
        await run_worker(settings, stop)
        return 0

    return run_async(work)


def run_upgrade(settings: Settings, arguments: argparse.Namespace) -> int:
    from panel.migrations import upgrade

    async def work() -> int:
        ok, message = await upgrade()
        print(message)
        return 0 if ok else 1

    return run_async(work)


def run_create_user(settings: Settings, arguments: argparse.Namespace) -> int:
    from panel.accounts import forms
    from panel.accounts.passwords import Passwords
    from panel.accounts.rules import Role, password_problem
    from panel.accounts.services import AccountError, create_user
    from panel.audit.services import Actor

    if problem := forms.email_problem(arguments.email.strip()):
        print(f"panel: {problem}", file=sys.stderr)
        return 2
    if arguments.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            print("panel: the passwords do not match", file=sys.stderr)
            return 2
    if problem := password_problem(password, arguments.email, settings.service_name):
        print(f"panel: {problem}", file=sys.stderr)
        return 2

    async def work() -> int:
        try:
            user_id = await create_user(
                arguments.email,
                Role(arguments.role),
                password,
                Passwords(settings),
                Actor(user_id=None, client_hash="command line"),
            )
        except AccountError as error:
            print(f"panel: {error}", file=sys.stderr)
            return 1
        print(f"Created {arguments.role} account {user_id} for {arguments.email.strip().lower()}")
        return 0

    return run_async(work)


def run_reset_two_factor(settings: Settings, arguments: argparse.Namespace) -> int:
    from panel.accounts.services import reset_two_factor_by_email
    from panel.audit.services import Actor

    async def work() -> int:
        email = arguments.email.strip().lower()
        if not await reset_two_factor_by_email(email, Actor(None, "command line")):
            print(f"panel: there is no staff account for {email}", file=sys.stderr)
            return 1
        print(f"Two-factor cleared for {email}: it is set up again at the next sign-in")
        return 0

    return run_async(work)


def run_job_command(settings: Settings, arguments: argparse.Namespace) -> int:
    from panel.jobs.retention import run_retention

    async def work() -> int:
        plan = await run_retention(settings, dry_run=arguments.dry_run)
        print("Would remove:" if arguments.dry_run else "Removed:")
        for line in plan.lines():
            print(f"  {line}")
        return 0

    return run_async(work)


def run_redact(settings: Settings, arguments: argparse.Namespace) -> int:
    """Exit 0 with the redacted text; 2 when standard input is not text."""
    from panel.redaction import redact
    from panel.redaction.words import WordListMissing

    try:
        text = sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError:
        print("panel notes redact: the input is not UTF-8 text", file=sys.stderr)
        return 2
    try:
        redacted = redact(text, arguments.known_name).text
    except WordListMissing as missing:
        print(f"panel notes redact: {missing}", file=sys.stderr)
        return 2
    sys.stdout.write(redacted)
    return 0


def run_select(settings: Settings, arguments: argparse.Namespace) -> int:
    """Exit 0 with the ids on standard output; 1 when the quotas conflict (why, on standard
    error); 2 when a file or number cannot be used (one line for each problem)."""
    import secrets

    from panel.selection.conflicts import QuotaInfeasible
    from panel.selection.csvfiles import read_categories, read_people, unmatched_quotas
    from panel.selection.draw import select
    from panel.selection.problem import SelectionInputError, SelectionProblem

    seed = arguments.seed if arguments.seed is not None else secrets.randbelow(2**31)
    try:
        quotas = read_categories(arguments.categories)
        people, households = read_people(arguments.people, quotas, arguments.household)
        for quota in unmatched_quotas(people, quotas):
            print(f"panel select: note: no one in the pool has {quota.label}", file=sys.stderr)
        problem = SelectionProblem(people, arguments.number, quotas, households=households)
        selection = select(problem, seed)
    except SelectionInputError as error:
        for line in str(error).splitlines():
            print(f"panel select: {line}", file=sys.stderr)
        return 2
    except QuotaInfeasible as conflict:
        print(conflict.explanation(), file=sys.stderr)
        return 1
    if arguments.probabilities is not None:
        try:
            with arguments.probabilities.open("w", newline="", encoding="utf-8") as file:
                writer = csv.writer(file)
                writer.writerow(["id", "probability"])
                for person in people:
                    writer.writerow([person.id, f"{selection.probabilities[person.id]:.6f}"])
        except OSError as error:
            print(
                f"panel select: cannot write {arguments.probabilities}: {error.strerror}",
                file=sys.stderr,
            )
            return 2
    for person_id in selection.panel:
        print(person_id)
    if arguments.seed is None:
        print(
            f"panel select: seed {seed} (give --seed {seed} to draw the same panel again)",
            file=sys.stderr,
        )
    return 0


def run_verify_selection(settings: Settings, arguments: argparse.Namespace) -> int:
    from panel import db
    from panel.selections.services import NoSuchSelection, verify_selection

    async def work() -> int:
        await db.open_connections(settings)
        try:
            found = await verify_selection(arguments.selection_id)
        except NoSuchSelection:
            print(f"panel: there is no selection {arguments.selection_id}", file=sys.stderr)
            return 2
        if found:
            print(f"Selection {arguments.selection_id} does not match:")
            for difference in found:
                print(f"- {difference}")
            return 1
        print(
            f"Selection {arguments.selection_id} matches: the same chances, the same panel and "
            "the same reserves."
        )
        return 0

    return run_async(work)


def run_demo_load(settings: Settings, arguments: argparse.Namespace) -> int:
    from panel.accounts.passwords import Passwords
    from panel.accounts.services import DEMO_PASSWORD, load_demo_users
    from panel.demo import DEMO_ACTOR, SYNTHETIC_DOMAIN, load_demo_members, load_synthetic_panel
    from panel.demo.engagements import load_demo_engagements
    from panel.demo.findings import load_demo_findings
    from panel.demo.reviews import load_demo_reviews
    from panel.members.reference import load_reference_data
    from panel.selections.demo import load_demo_selection

    if not settings.demo:
        print("panel: demo data is loaded only in demo mode (PANEL_DEMO=true)", file=sys.stderr)
        return 2

    async def work() -> int:
        passwords = Passwords(settings)
        for email, role, created in await load_demo_users(passwords):
            print(f"{'created' if created else 'exists '}  {role:<12} {email}")
        for email, status, created in await load_demo_members(passwords):
            print(f"{'created' if created else 'exists '}  member ({status:<8}) {email}")
        added = await load_synthetic_panel(settings.database_url, passwords)
        panel = f"synthetic panel: m1@{SYNTHETIC_DOMAIN} onwards"
        print(f"created  {panel} ({added} members)" if added else f"exists   {panel}")
        added = await load_demo_engagements(DEMO_ACTOR)
        print(f"created  {added} engagements" if added else "exists   engagements")
        added = await load_demo_findings(DEMO_ACTOR, settings.consent_renewal)
        print(f"created  {added} findings" if added else "exists   findings")
        added = await load_demo_reviews(DEMO_ACTOR, settings.secret_key)
        print(f"created  {added} review cases" if added else "exists   review cases")
        reference = load_reference_data(settings.reference_data)
        added = await load_demo_selection(reference, settings, DEMO_ACTOR)
        print("created  a selection" if added else "exists   selection")
        print(f"Demo password for every demo account: {DEMO_PASSWORD}")
        return 0

    return run_async(work)


if __name__ == "__main__":
    raise SystemExit(main())
