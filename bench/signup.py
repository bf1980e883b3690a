"""Sign-up completion under load: many people joining the panel at once, argon2 included.

    .venv/bin/python bench/signup.py                     # SQLite in a fresh temporary folder
    .venv/bin/python bench/signup.py --database postgresql://postgres@127.0.0.1:5432/panel_bench

Prepares a fresh migrated database and starts one uvicorn process, as ``bench/http.py`` does. Then
``--applicants`` people go through the whole sign-up journey, ``--concurrency`` at a time, each with
a client of their own (their own cookies and connection) and an email address of their own: the
start page, then each question page (the form, then the answers with the form's CSRF token; the
password page hashes the password with argon2), check your answers, send, and the page that says to
check their email. Sending answers at once and makes the account, the member record and the
confirmation email after the answer is sent, so the run ends when the last of those is made: the
script waits for every applicant's member record and email in the database. Prints Markdown tables:
journey and request times, and sign-ups a second over the whole run. The server is stopped by its
process id at the end, whatever happens.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as ``python bench/signup.py``, this folder is first on sys.path, where ``bench/http.py``
# would hide the standard library's ``http`` package (httpx needs it). Take the folder out.
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import ssl  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402

from bench.app import ANSWERS, bench_database_name  # noqa: E402
from bench.http import (  # noqa: E402
    HOST,
    bench_environment,
    busy_share_between,
    free_port,
    machine_cpu_sample,
    print_busy_share,
    print_machine,
    print_server_log,
    process_cpu_seconds,
    redact,
    run_step,
    start_server,
    stop_server,
    wait_until_ready,
)
from bench.passwords import percentile  # noqa: E402
from panel.settings import Settings, load_settings  # noqa: E402
from panel.signup import rules  # noqa: E402

APPLICANT_PREFIX = "bench-applicant-"
WARMUP_PREFIX = "bench-warmup-"
DRAIN_TIMEOUT_SECONDS = 120
REQUEST_TIMEOUT_SECONDS = 60
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


class JourneyFailed(Exception):
    """A request answered with an error status, or led somewhere the journey does not go."""


@dataclass
class Journey:
    email: str
    seconds: float | None = None  # None: it did not reach the end
    request_ms: list[tuple[str, float]] = field(default_factory=list)  # ("POST /join/x", ms)
    error: str = ""


@dataclass(frozen=True)
class SignUps:
    """What the database holds for a run's applicants once their applications are made."""

    members: int
    emails: int
    last_queued_at: float | None  # Unix time the last confirmation email was queued


@dataclass(frozen=True)
class Run:
    applicants: int
    concurrency: int
    journeys: list[Journey]
    sign_ups: SignUps
    started_at: float  # Unix time
    answered_at: float  # Unix time the last response arrived
    server_cpu_seconds: float
    client_cpu_seconds: float
    machine_busy: float  # share of all cores busy from the start to the last response

    @property
    def ended_at(self) -> float:
        """The last response, or the end of the last application's work if that came later."""
        return max(self.answered_at, self.sign_ups.last_queued_at or 0.0)

    @property
    def wall_seconds(self) -> float:
        return self.ended_at - self.started_at

    @property
    def drain_seconds(self) -> float:
        return self.ended_at - self.answered_at

    @property
    def answering_seconds(self) -> float:
        return self.answered_at - self.started_at

    @property
    def completed(self) -> list[float]:
        return [j.seconds for j in self.journeys if j.seconds is not None]

    @property
    def failed(self) -> list[Journey]:
        return [j for j in self.journeys if j.seconds is None]

    @property
    def request_ms(self) -> list[float]:
        return [ms for journey in self.journeys for _, ms in journey.request_ms]

    def request_ms_by_step(self) -> dict[str, list[float]]:
        """Each request of the journey, in order, with its times in every journey."""
        steps: dict[str, list[float]] = {}
        for journey in self.journeys:
            for step, ms in journey.request_ms:
                steps.setdefault(step, []).append(ms)
        return steps

    @property
    def errors(self) -> int:
        """Journeys that failed, and finished journeys whose application or email is missing."""
        finished = len(self.completed)
        missing_members = max(0, finished - self.sign_ups.members)
        missing_emails = max(0, finished - self.sign_ups.emails)
        return len(self.failed) + max(missing_members, missing_emails)

    @property
    def sign_ups_per_second(self) -> float:
        return self.sign_ups.members / self.wall_seconds if self.wall_seconds > 0 else 0.0


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default="",
        help="a postgresql:// URL whose database name contains 'bench' (default: SQLite in a "
        "temporary folder). The database is created if missing and its public schema is emptied.",
    )
    parser.add_argument("--applicants", type=int, default=200, help="people who join, in all")
    parser.add_argument("--concurrency", type=int, default=20, help="people joining at once")
    parser.add_argument(
        "--warmup", type=int, default=5, help="people who join first, not counted (default 5)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    arguments = parser.parse_args(argv)
    if arguments.database:
        if not arguments.database.startswith(("postgresql://", "postgres://")):
            parser.error("--database must be a postgresql:// URL (SQLite is the default)")
        bench_database_name(arguments.database)  # refuses any database not named for benching
    if arguments.applicants < 1 or arguments.concurrency < 1 or arguments.warmup < 0:
        parser.error("--applicants and --concurrency must be at least 1, --warmup at least 0")
    if list(ANSWERS) != list(rules.SLUGS):
        parser.error(f"the answers cover {list(ANSWERS)}, but the pages are {list(rules.SLUGS)}")
    return arguments


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="panel-bench-"))
    port = free_port()
    env = bench_environment(workdir, arguments.database, port)
    settings = load_settings(env)
    server: subprocess.Popen[bytes] | None = None
    server_log = workdir / "server.log"
    try:
        print_setup(arguments, settings)
        run_step("reset the database", [sys.executable, "-m", "bench.app", "reset-database"], env)
        run_step("migrate", [sys.executable, "-m", "panel.cli", "db", "upgrade"], env)
        server = start_server(env, port, server_log)
        wait_until_ready(server, port)
        if arguments.warmup:
            warmup = measure(port, server.pid, env, WARMUP_PREFIX, arguments.warmup, arguments)
            if warmup.errors:
                print_failures(warmup, "warm-up")
                return 1
        run = measure(port, server.pid, env, APPLICANT_PREFIX, arguments.applicants, arguments)
        print_tables(run)
        print()
        print_steps(run)
        print_failures(run, "measured run")
        return 1 if run.errors else 0
    finally:
        stop_server(server)
        print_server_log(server_log)
        if arguments.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def print_setup(arguments: argparse.Namespace, settings: Settings) -> None:
    print_machine(("litestar", "uvicorn", "piccolo", "argon2-cffi", "httpx"))
    print(
        f"Load: {arguments.applicants} applicants, {arguments.concurrency} at once, each with "
        f"its own httpx client, after {arguments.warmup} warm-up applicants; "
        f"{len(rules.SLUGS)} question pages, {requests_per_journey()} requests a journey"
    )
    print(
        f"Password hashing: argon2id, memory_cost={settings.argon2_memory_kib} KiB, "
        f"time_cost={settings.argon2_time_cost}, parallelism={settings.argon2_parallelism}"
    )
    print(f"Server: 1 uvicorn process on {HOST}, database {redact(settings.database_url)}")
    print_busy_share("sign-ups/s", "Compare the server CPU ms per sign-up")
    print()


def requests_per_journey() -> int:
    return 1 + 2 * len(rules.SLUGS) + 3  # start; form and answers per page; check, send, sent


def measure(
    port: int,
    server_pid: int,
    env: dict[str, str],
    prefix: str,
    applicants: int,
    arguments: argparse.Namespace,
) -> Run:
    """Send the applicants through, then wait for the database to hold every application."""
    cpu_before = process_cpu_seconds(server_pid)
    client_before = time.process_time()
    machine_before = machine_cpu_sample()
    started_at = time.time()
    journeys = asyncio.run(applicants_join(port, prefix, applicants, arguments.concurrency))
    answered_at = time.time()
    machine_busy = busy_share_between(machine_before, machine_cpu_sample())
    client_cpu = time.process_time() - client_before
    expected = sum(1 for journey in journeys if journey.seconds is not None)
    found = json.loads(
        run_step(
            "count the applications",
            [
                sys.executable, "-m", "bench.app", "sign-ups",
                prefix, str(expected), str(DRAIN_TIMEOUT_SECONDS),
            ],
            env,
            timeout=DRAIN_TIMEOUT_SECONDS + 60,
        ).splitlines()[-1]
    )  # fmt: skip
    return Run(
        applicants=applicants,
        concurrency=arguments.concurrency,
        journeys=journeys,
        sign_ups=SignUps(found["members"], found["emails"], found["last_queued_at"]),
        started_at=started_at,
        answered_at=answered_at,
        # The server is idle once the last application is made, so this is the run's CPU.
        server_cpu_seconds=process_cpu_seconds(server_pid) - cpu_before,
        client_cpu_seconds=client_cpu,
        machine_busy=machine_busy,
    )


async def applicants_join(
    port: int, prefix: str, applicants: int, concurrency: int
) -> list[Journey]:
    at_once = asyncio.Semaphore(concurrency)
    # One TLS context for every client: httpx would build one each (tens of ms) though the
    # server is plain HTTP on the loopback.
    tls = ssl.create_default_context()

    async def one(index: int) -> Journey:
        async with at_once:
            return await join(port, f"{prefix}{index:05d}@example.org", tls)

    return await asyncio.gather(*(one(index) for index in range(applicants)))


async def join(port: int, email: str, tls: ssl.SSLContext) -> Journey:
    """One person's journey, as a browser makes it: every redirect is followed with a GET."""
    journey = Journey(email)
    answers = {**ANSWERS, "details": {**ANSWERS["details"], "email": email}}
    pages = [rules.path_of(slug) for slug in rules.SLUGS]
    async with httpx.AsyncClient(
        base_url=f"http://{HOST}:{port}",
        verify=tls,
        trust_env=False,
        follow_redirects=False,
        timeout=REQUEST_TIMEOUT_SECONDS,
    ) as client:
        started = time.perf_counter()
        try:
            await request(client, journey, "GET", rules.START)
            for slug, path, next_path in zip(
                rules.SLUGS, pages, [*pages[1:], rules.CHECK], strict=True
            ):
                form = await request(client, journey, "GET", path)
                answered = await request(
                    client,
                    journey,
                    "POST",
                    path,
                    {"_csrf_token": csrf_token(form), **answers[slug]},
                )
                expect_redirect(answered, next_path)
            check = await request(client, journey, "GET", rules.CHECK)
            sent = await request(
                client, journey, "POST", rules.CHECK, {"_csrf_token": csrf_token(check)}
            )
            expect_redirect(sent, rules.SENT)
            await request(client, journey, "GET", rules.SENT)
        except (JourneyFailed, httpx.HTTPError) as error:
            journey.error = f"{type(error).__name__}: {error}"
            return journey
        journey.seconds = time.perf_counter() - started
    return journey


async def request(
    client: httpx.AsyncClient,
    journey: Journey,
    method: str,
    path: str,
    data: dict[str, Any] | None = None,
) -> httpx.Response:
    started = time.perf_counter()
    response = await client.request(method, path, data=data)
    journey.request_ms.append((f"{method} {path}", 1000 * (time.perf_counter() - started)))
    if not 200 <= response.status_code < 400:
        raise JourneyFailed(f"{method} {path} answered {response.status_code}")
    return response


def csrf_token(page: httpx.Response) -> str:
    found = CSRF_FIELD.search(page.text)
    if found is None:
        raise JourneyFailed(f"{page.request.url.path} has no form with a CSRF token")
    return found.group(1)


def expect_redirect(response: httpx.Response, path: str) -> None:
    location = response.headers.get("location", "")
    if response.status_code != 303 or location != path:
        raise JourneyFailed(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code} to {location or 'nowhere'}, not 303 to {path}"
        )


def print_tables(run: Run) -> None:
    completed = run.completed
    requests = run.request_ms
    cores = os.cpu_count() or 1
    print(
        "| Applicants | At once | Wall s | Sign-ups/s | Journey p50 ms | Journey p95 ms "
        "| Journey max ms | Request p50 ms | Request p95 ms | Server CPU | Errors |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    journey_ms = [1000 * seconds for seconds in completed] or [0.0]
    print(
        f"| {run.applicants} | {run.concurrency} | {run.wall_seconds:.1f} "
        f"| {run.sign_ups_per_second:.1f} | {statistics.median(journey_ms):,.0f} "
        f"| {percentile(journey_ms, 0.95):,.0f} | {max(journey_ms):,.0f} "
        f"| {statistics.median(requests or [0.0]):.1f} | {percentile(requests or [0.0], 0.95):.1f} "
        f"| {run.server_cpu_seconds / run.wall_seconds:.0%} | {run.errors} |"
    )
    print()
    cpu_ms = 1000 * run.server_cpu_seconds / run.sign_ups.members if run.sign_ups.members else 0.0
    print(
        f"Applications in the database: {run.sign_ups.members} member records and "
        f"{run.sign_ups.emails} confirmation emails for {run.applicants} applicants; "
        f"{len(requests):,} requests."
    )
    print(
        f"Wall time: {run.answering_seconds:.1f} s until the last answer, then "
        f"{1000 * run.drain_seconds:.0f} ms until the last application was made "
        "(work done after the answer)."
    )
    print(
        f"Server CPU: {cpu_ms:.0f} ms per sign-up ({run.server_cpu_seconds:.1f} s in all). "
        f"Load generator (this script) CPU: {run.client_cpu_seconds:.1f} s. Machine during the "
        f"run: {run.machine_busy:.0%} of {cores} cores busy, "
        f"{other_work_share(run, cores):.0%} of them with work other than the server and this "
        "script (the database server on PostgreSQL, anything else running)."
    )


def print_steps(run: Run) -> None:
    print("| Request | p50 ms | p95 ms | Max ms |")
    print("|---|---:|---:|---:|")
    for step, samples in run.request_ms_by_step().items():
        print(
            f"| `{step}` | {statistics.median(samples):.1f} | {percentile(samples, 0.95):.1f} "
            f"| {max(samples):.1f} |"
        )


def other_work_share(run: Run, cores: int) -> float:
    """The share of all cores busy with neither the server nor the load generator."""
    ours = (run.server_cpu_seconds + run.client_cpu_seconds) / (run.answering_seconds * cores)
    return max(0.0, run.machine_busy - ours) if run.answering_seconds > 0 else 0.0


def print_failures(run: Run, which: str) -> None:
    failed = run.failed
    if failed:
        shown = "" if len(failed) <= 5 else " (the first 5)"
        print(f"\n{which}: {len(failed)} journeys did not finish{shown}:", file=sys.stderr)
        for journey in failed[:5]:
            print(f"  {journey.email}: {journey.error}", file=sys.stderr)
    finished = len(run.completed)
    if run.sign_ups.members < finished:
        print(
            f"{which}: only {run.sign_ups.members} of {finished} finished journeys have a member "
            f"record after {DRAIN_TIMEOUT_SECONDS} s; see the server log below",
            file=sys.stderr,
        )
    if run.sign_ups.emails < run.sign_ups.members:
        print(
            f"{which}: {run.sign_ups.members} member records but only {run.sign_ups.emails} "
            "confirmation emails",
            file=sys.stderr,
        )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
