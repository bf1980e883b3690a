"""Panel management pages with a large synthetic panel: the directory, the member record, the
representativeness dashboard, an engagement's eligible pool and the CSV export, against the
targets for 100,000 members.

    .venv/bin/python bench/management.py                 # SQLite: var/bench/panel_bench.sqlite3
    .venv/bin/python bench/management.py --reuse         # keep the panel made by the last run
    .venv/bin/python bench/management.py --database postgresql://postgres@127.0.0.1:5432/panel_bench

Makes a fresh panel with ``bench/synthetic.py`` each run (with ``--reuse``, keeps the panel
already in the database if it has as many members: quicker, but a panel that has been used may
flatter or wrong the numbers), applies any new migrations (which gather the planner's
statistics), signs in a staff account and starts one uvicorn process, as ``bench/http.py`` does.
Then, for each page, a warm-up, ``--requests`` requests ``--concurrency`` at a time (an office
where several people work at once), then ``--alone`` requests one at a time (what one person
sees when nobody else is using the panel); the CSV export runs one at a time and counts the rows
received. Prints p50, p95 and max latency, requests a second and the server's CPU per request.

Both are judged, each against its own goal: the directory's p95 under 150 ms alone and 300 ms
with 4 in flight, the member record's under 100 and 200 ms, the dashboard's under 150 and 300 ms,
the eligible pool's under 1 s and 2 s, and every CSV export of about 12,000 rows under 1.5 s. The
exit status is 0 only when every goal is met. The server is stopped by its process id at the end,
whatever happens.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as ``python bench/management.py``, this folder is first on sys.path, where ``bench/http.py``
# would hide the standard library's ``http`` package (httpx needs it). Take the folder out.
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import csv  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import ssl  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from urllib.parse import parse_qsl, urlencode, urlsplit  # noqa: E402

import httpx  # noqa: E402

from bench.http import (  # noqa: E402
    HOST,
    bench_environment,
    busy_share_between,
    fetch,
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
from bench.synthetic import DEFAULT_DATABASE, build, check_bench_database  # noqa: E402
from panel.demo.synthetic import DISTRICTS, FIRST_NAMES, Database  # noqa: E402
from panel.settings import load_settings  # noqa: E402

REQUEST_TIMEOUT_SECONDS = 120
CSV_ROWS_WANTED = 10_000


@dataclass(frozen=True)
class Target:
    label: str
    goal_ms: float  # the p95 one at a time (the CSV: every export)
    loaded_goal_ms: float  # the p95 with --concurrency requests in flight
    paths: Callable[[random.Random], str]  # a request path each time it is called
    requests: int
    concurrency: int
    csv: bool = False


@dataclass
class Outcome:
    target: Target
    example: str = ""
    missing: str = ""  # why the target could not be measured (the page does not exist yet)
    latencies_ms: list[float] = field(default_factory=list)
    alone_ms: list[float] = field(default_factory=list)
    alone_paths: list[str] = field(default_factory=list)
    seconds: float = 0.0
    server_cpu_seconds: float = 0.0
    database_cpu_seconds: float = 0.0  # PostgreSQL's processes; SQLite's work is the server's
    client_cpu_seconds: float = 0.0
    machine_busy: float = 0.0  # share of all cores busy during the measured run
    failures: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # CSV rows received, per export

    def judged_ms(self, samples: list[float]) -> float:
        """What the target is judged on: the p95, or every export for the CSV."""
        if not samples:
            return 0.0
        return max(samples) if self.target.csv else percentile(samples, 0.95)

    def meets(self, samples: list[float], goal_ms: float) -> bool:
        return (
            not self.missing
            and not self.failures
            and bool(samples)
            and self.judged_ms(samples) < goal_ms
        )

    @property
    def passed(self) -> bool:
        """Met one request at a time and with several in flight."""
        return self.meets(self.alone_ms, self.target.goal_ms) and self.meets(
            self.latencies_ms, self.target.loaded_goal_ms
        )


# ---------------------------------------------------------------------------------------------
# What the panel holds, to ask for things that exist


@dataclass(frozen=True)
class PanelFacts:
    members: int
    member_ids: list[int]  # everyone not erased: the records staff open
    csv_query: dict[str, str]  # a filter that gives about CSV_ROWS_WANTED rows
    csv_expected: int


async def panel_facts(url: str) -> PanelFacts:
    async with Database(url) as database:
        members = (await database.fetch("SELECT COUNT(*) FROM member"))[0][0]
        ids = [
            row[0] for row in await database.fetch("SELECT id FROM member WHERE status <> 'erased'")
        ]
        by_district = await database.fetch(
            "SELECT district, COUNT(*) FROM member WHERE status = 'active' GROUP BY district"
        )
    district, expected = min(by_district, key=lambda row: abs(row[1] - CSV_ROWS_WANTED))
    return PanelFacts(
        members=int(members),
        member_ids=ids,
        csv_query={"status": "active", "district": district},
        csv_expected=int(expected),
    )


async def members_held(url: str) -> int | None:
    """How many members the database holds, or None when it has no panel tables yet."""
    try:
        async with Database(url) as database:
            return int((await database.fetch("SELECT COUNT(*) FROM member"))[0][0])
    except Exception:  # a missing file, database or table: nothing to reuse
        return None


def name_fragment(rng: random.Random) -> str:
    """Part of a first name, as staff type it: three or four letters, any case."""
    name = rng.choice(FIRST_NAMES)
    start = rng.choice((0, 0, 1))
    return name[start : start + rng.choice((3, 4))].lower()


def district(rng: random.Random) -> str:
    return rng.choice([code for code, _ in DISTRICTS])


CRIME_TYPES = ("burglary_home", "fraud_cyber", "violence", "domestic_abuse", "hate_crime")


def directory_paths(rng: random.Random) -> str:
    """A search by part of a name plus two filters, in a few variations."""
    query = rng.choice(
        [
            {"q": name_fragment(rng), "status": "active", "district": district(rng)},
            {"q": name_fragment(rng), "status": "active", "crime_type": rng.choice(CRIME_TYPES)},
            {"q": name_fragment(rng), "district": district(rng), "consent": "focus_groups"},
            {"q": name_fragment(rng), "status": "active", "invited": "90", "sort": "-last_invited"},
            {"status": "active", "district": district(rng), "page": str(rng.randint(2, 10))},
        ]
    )
    return f"/staff/members?{urlencode(query)}"


def targets(facts: PanelFacts, arguments: argparse.Namespace, engagement_id: int) -> list[Target]:
    requests, at_once = arguments.requests, arguments.concurrency
    ids = facts.member_ids
    csv_path = f"/staff/members.csv?{urlencode(facts.csv_query)}"
    pool_path = f"/staff/engagements/{engagement_id}/pool"
    return [
        Target("Directory: search plus two filters", 150, 300, directory_paths, requests, at_once),
        Target(
            "Member record",
            100,
            200,
            lambda rng: f"/staff/members/{rng.choice(ids)}",
            requests,
            at_once,
        ),
        Target(
            "Representativeness dashboard",
            150,
            300,
            lambda rng: "/staff/representation",
            requests,
            at_once,
        ),
        # Opened before selecting, a few times an engagement: under 1 s alone; with others at
        # work it shares two cores, so twice that.
        Target("Eligible pool", 1000, 2000, lambda rng: pool_path, requests, at_once),
        # One export at a time: several at once would only measure them waiting for each other.
        Target("CSV export", 1500, 1500, lambda rng: csv_path, arguments.exports, 1, csv=True),
    ]


# ---------------------------------------------------------------------------------------------
# Measuring


async def measure(
    target: Target,
    port: int,
    cookies: str,
    server_pid: int,
    rng: random.Random,
    warmup: int,
    alone: int,
    on_postgres: bool,
) -> Outcome:
    outcome = Outcome(target, example=target.paths(random.Random(0)))
    async with httpx.AsyncClient(
        base_url=f"http://{HOST}:{port}",
        headers={"Cookie": cookies},
        verify=ssl.create_default_context(),
        trust_env=False,
        follow_redirects=False,
        timeout=REQUEST_TIMEOUT_SECONDS,
        limits=httpx.Limits(max_connections=target.concurrency),
    ) as client:
        first = await client.get(outcome.example)
        if first.status_code != 200:
            outcome.missing = f"{outcome.example} answered {first.status_code}"
            return outcome
        await run_requests(client, target, [target.paths(rng) for _ in range(warmup)], outcome)
        outcome.failures.clear()
        outcome.latencies_ms.clear()
        outcome.rows.clear()
        paths = [target.paths(rng) for _ in range(target.requests)]
        cpu_before = process_cpu_seconds(server_pid)
        database_before = postgres_cpu_seconds() if on_postgres else 0.0
        client_before = time.process_time()
        machine_before = machine_cpu_sample()
        started = time.perf_counter()
        await run_requests(client, target, paths, outcome)
        outcome.seconds = time.perf_counter() - started
        outcome.server_cpu_seconds = process_cpu_seconds(server_pid) - cpu_before
        outcome.client_cpu_seconds = time.process_time() - client_before
        if on_postgres:
            outcome.database_cpu_seconds = postgres_cpu_seconds() - database_before
        outcome.machine_busy = busy_share_between(machine_before, machine_cpu_sample())
        if target.csv:
            outcome.alone_ms = list(outcome.latencies_ms)  # they were one at a time already
        else:
            outcome.alone_paths = [target.paths(rng) for _ in range(alone)]
            outcome.alone_ms = await one_at_a_time(client, outcome.alone_paths, outcome)
    return outcome


async def run_requests(
    client: httpx.AsyncClient, target: Target, paths: list[str], outcome: Outcome
) -> None:
    """``target.concurrency`` requests in flight until every path has been asked for."""
    queue = iter(paths)

    async def worker() -> None:
        for path in queue:
            started = time.perf_counter()
            try:
                response = await client.get(path)
                body = response.text
            except httpx.HTTPError as error:
                outcome.failures.append(f"{path}: {type(error).__name__}")
                continue
            outcome.latencies_ms.append(1000 * (time.perf_counter() - started))
            if response.status_code != 200:
                outcome.failures.append(f"{path}: {response.status_code}")
            elif target.csv:
                outcome.rows.append(max(0, len(list(csv.reader(io.StringIO(body)))) - 1))

    await asyncio.gather(*(worker() for _ in range(target.concurrency)))


def postgres_cpu_seconds() -> float:
    """CPU time so far of every PostgreSQL process on this machine, and of those that have ended
    (backends and parallel workers are the postmaster's children: their time joins its own when
    they exit). 0 when PostgreSQL is not running. Other databases' work is counted too."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended
        name, _, rest = text.partition(") ")
        if name.endswith("(postgres"):
            fields = rest.split()
            ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


async def one_at_a_time(
    client: httpx.AsyncClient, paths: list[str], outcome: Outcome
) -> list[float]:
    times = []
    for path in paths:
        started = time.perf_counter()
        response = await client.get(path)
        times.append(1000 * (time.perf_counter() - started))
        if response.status_code != 200:
            outcome.failures.append(f"{path}: {response.status_code} (one at a time)")
    return times


# ---------------------------------------------------------------------------------------------
# The run


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        help="sqlite:///<file> or postgresql://... whose name contains 'bench' "
        f"(default {DEFAULT_DATABASE})",
    )
    parser.add_argument("--members", type=int, default=100_000, help="members in the panel")
    parser.add_argument("--seed", type=int, default=1, help="the synthetic panel's seed")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the panel already in the database if it has --members members",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight at once")
    parser.add_argument("--requests", type=int, default=300, help="measured requests a page")
    parser.add_argument("--exports", type=int, default=10, help="measured CSV exports")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests a target")
    parser.add_argument(
        "--alone", type=int, default=60, help="requests a page one at a time, after the others"
    )
    parser.add_argument("--keep", action="store_true", help="keep the server's log folder")
    arguments = parser.parse_args(argv)
    check_bench_database(arguments.database)
    counts = (arguments.members, arguments.concurrency, arguments.requests, arguments.exports)
    if min(*counts, arguments.alone) < 1:
        parser.error("--members, --concurrency, --requests, --exports, --alone: at least 1")
    return arguments


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    url = arguments.database
    workdir = Path(tempfile.mkdtemp(prefix="panel-bench-"))
    port = free_port()
    env = bench_environment(workdir, url, port)
    settings = load_settings(env)
    server: subprocess.Popen[bytes] | None = None
    server_log = workdir / "server.log"
    try:
        held = asyncio.run(members_held(url)) if arguments.reuse else None
        if held == arguments.members:
            print(f"Reusing the panel of {held:,} members in {redact(url)}")
        else:
            build(url, arguments.members, arguments.seed)
        run_step("migrate", [sys.executable, "-m", "panel.cli", "db", "upgrade"], env, 600)
        token = run_step(
            "sign in", [sys.executable, "-m", "bench.app", "staff-session"], env
        ).splitlines()[-1]
        facts = asyncio.run(panel_facts(url))
        engagement_id = int(
            run_step(
                "engagement", [sys.executable, "-m", "bench.app", "engagement"], env
            ).splitlines()[-1]
        )
        print()
        print_machine(("litestar", "uvicorn", "piccolo", "httpx"))
        print(
            f"Panel: {facts.members:,} members ({len(facts.member_ids):,} not erased), "
            f"database {redact(settings.database_url)}"
        )
        print(
            f"Load: {arguments.warmup} warm-up requests a target, then {arguments.requests} "
            f"a page, {arguments.concurrency} at once, then {arguments.alone} one at a time; "
            f"{arguments.exports} CSV exports one at a time"
        )
        print(f"Server: 1 uvicorn process on {HOST}")
        print_busy_share("requests/s", "Compare the CPU ms/req column")
        server = start_server(env, port, server_log)
        wait_until_ready(server, port)
        cookies = signed_in_cookies(port, settings.session_cookie_name, token)
        rng = random.Random(arguments.seed)
        outcomes = [
            asyncio.run(
                measure(
                    target,
                    port,
                    cookies,
                    server.pid,
                    rng,
                    arguments.warmup,
                    arguments.alone,
                    settings.is_postgres,
                )
            )
            for target in targets(facts, arguments, engagement_id)
        ]
        print()
        print_table(outcomes)
        print_notes(outcomes, facts)
        return 0 if all(outcome.passed for outcome in outcomes) else 1
    finally:
        stop_server(server)
        print_server_log(server_log)
        if arguments.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def signed_in_cookies(port: int, session_cookie_name: str, token: str) -> str:
    """The session cookie, and the CSRF cookie the staff home sets, as a browser holds them."""
    session = f"{session_cookie_name}={token}"
    status, headers, _ = fetch(port, "/staff", session)
    if status != 200:
        raise SystemExit(f"bench: /staff with the session cookie answered {status}")
    returned = [value.split(";", 1)[0] for name, value in headers if name.lower() == "set-cookie"]
    return "; ".join([session, *returned])


def print_table(outcomes: list[Outcome]) -> None:
    print(
        "| Target | Goal alone | One at a time p50 / p95 ms | Result | Goal with others | At once "
        "| Requests | p50 / p95 / max ms | Requests/s | CPU ms/req | DB CPU ms/req | Result |"
    )
    print("|---|---|---:|---|---|---:|---:|---:|---:|---:|---:|---|")
    for outcome in outcomes:
        target = outcome.target
        kind = "each" if target.csv else "p95"
        goal = f"{kind} < {target.goal_ms:,.0f} ms"
        loaded_goal = f"{kind} < {target.loaded_goal_ms:,.0f} ms"
        if outcome.missing:
            print(f"| {target.label} | {goal} | | MISSING: {outcome.missing} | | | | | | | | |")
            continue
        count = len(outcome.latencies_ms)
        cpu_ms = 1000 * outcome.server_cpu_seconds / count if count else 0.0
        database_ms = 1000 * outcome.database_cpu_seconds / count if count else 0.0
        print(
            f"| {target.label} | {goal} | {spread(outcome.alone_ms, (0.5, 0.95))} "
            f"| {verdict(outcome, outcome.alone_ms, target.goal_ms)} | {loaded_goal} "
            f"| {target.concurrency} | {count} "
            f"| {spread(outcome.latencies_ms, (0.5, 0.95, 1.0))} "
            f"| {count / outcome.seconds if outcome.seconds else 0.0:.1f} | {cpu_ms:.0f} "
            f"| {f'{database_ms:.0f}' if outcome.database_cpu_seconds else ''} "
            f"| {verdict(outcome, outcome.latencies_ms, target.loaded_goal_ms)} |"
        )


def spread(samples: list[float], shares: tuple[float, ...]) -> str:
    if not samples:
        return ""
    return " / ".join(f"{percentile(samples, share):,.0f}" for share in shares)


def verdict(outcome: Outcome, samples: list[float], goal_ms: float) -> str:
    result = "PASS" if outcome.meets(samples, goal_ms) else "FAIL"
    if outcome.failures:
        result += f" ({len(outcome.failures)} not 200)"
    return result


def print_shapes(outcome: Outcome) -> None:
    """The one-at-a-time times of each kind of search: which filters were used together."""
    shapes: dict[str, list[float]] = {}
    for path, ms in zip(outcome.alone_paths, outcome.alone_ms, strict=True):
        names = [name for name, _ in parse_qsl(urlsplit(path).query) if name != "page"]
        paged = "page" in path
        shape = " + ".join(names) + (", page 2 to 10" if paged else "")
        shapes.setdefault(shape, []).append(ms)
    if len(shapes) < 2:
        return
    print()
    print(f"{outcome.target.label}, one at a time, by the parameters used:")
    print()
    print("| Parameters | Requests | p50 ms | p95 ms | Max ms |")
    print("|---|---:|---:|---:|---:|")
    for shape, samples in shapes.items():
        print(
            f"| {shape} | {len(samples)} | {spread(samples, (0.5, 0.95, 1.0)).replace(' / ', ' | ')} |"
        )


def print_notes(outcomes: list[Outcome], facts: PanelFacts) -> None:
    for outcome in outcomes:
        if outcome.alone_paths:
            print_shapes(outcome)
    print()
    cores = os.cpu_count() or 1
    for outcome in outcomes:
        if outcome.missing:
            continue
        ours = (
            outcome.server_cpu_seconds + outcome.client_cpu_seconds + outcome.database_cpu_seconds
        ) / (max(outcome.seconds, 1e-9) * cores)
        print(
            f"- {outcome.target.label}: e.g. `{outcome.example}`. During the run "
            f"{outcome.machine_busy:.0%} of the {cores} cores were busy, "
            f"{max(0.0, outcome.machine_busy - ours):.0%} with other work than the server, "
            "the database server and this script."
        )
        if outcome.target.csv and outcome.rows:
            print(
                f"  CSV rows received per export: {min(outcome.rows):,} to {max(outcome.rows):,} "
                f"({facts.csv_expected:,} members have the status active there; the directory also "
                "counts paused members whose pause has ended)"
            )
        for failure in outcome.failures[:5]:
            print(f"  not 200: {failure}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
