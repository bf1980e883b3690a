"""HTTP throughput of the panel under load, against a bare route in the same process.

    .venv/bin/python bench/http.py                       # SQLite in a fresh temporary folder
    .venv/bin/python bench/http.py --database postgresql://postgres@127.0.0.1:5432/panel_bench

Prepares a fresh database (migrated, one staff account with two-factor set up, one signed-in
session), starts one uvicorn process serving ``bench.app:create_bench_app`` on 127.0.0.1, and
loads each target with wrk: a warm-up, then a measured run. Prints a Markdown table of
requests per second, latency percentiles and each target's throughput as a share of the bare
route's. The server is stopped by its process id at the end, whatever happens.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as ``python bench/http.py``, this folder is first on sys.path, and this file would hide the
# standard library's ``http`` package from everything imported after it. Take the folder out.
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import http.client  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from importlib.metadata import version  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

import httpx  # noqa: E402

from bench.app import ANSWERS, BARE_BODY, BARE_PATH, bench_database_name  # noqa: E402
from panel.settings import load_settings  # noqa: E402
from panel.signup.rules import SLUGS as JOIN_SLUGS  # noqa: E402

HOST = "127.0.0.1"
LUA_SCRIPT = BENCH_DIR / "report.lua"
TARGET_SHARE_OF_BARE = 0.40  # the staff home: at least 40% of the bare route's throughput
FORM_SHARE_OF_BARE = 0.30  # every public, join, portal and sign-in page: at least 30%
SERVER_START_SECONDS = 30
SERVER_STOP_SECONDS = 15
BUSY_WARNING_SHARE = 0.10

# Whose cookies a target's requests carry.
ANONYMOUS, STAFF, MEMBER = "anonymous", "staff", "member"


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    browser: str = ANONYMOUS  # ANONYMOUS, STAFF, MEMBER, or "join:<slug>" (see join_cookies)
    goal: float = FORM_SHARE_OF_BARE  # the share of the bare route's throughput it must reach


def join_target(slug: str) -> Target:
    """A question of the sign-up journey as a newcomer first sees it: the pages before answered."""
    return Target(f"Join: {slug} (fresh)", f"/join/{slug}", browser=f"join:{slug}")


TARGETS = (
    Target("Bare Litestar route", BARE_PATH, goal=1.0),
    # The bare route again with the staff cookies: the session lookup on its own, no page.
    Target("Bare route, signed in", BARE_PATH, browser=STAFF, goal=0.0),
    Target("Home page", "/"),
    Target("About the panel", "/about"),
    Target("Sign-in page (anonymous)", "/sign-in"),
    Target("Join: start", "/join/"),
    *(join_target(slug) for slug in JOIN_SLUGS),
    Target("Portal home (member)", "/my-panel", browser=MEMBER),
    Target("Portal: your details form (member)", "/my-panel/details", browser=MEMBER),
    Target("Staff home (signed in)", "/staff", browser=STAFF, goal=TARGET_SHARE_OF_BARE),
)
STAFF_HOME = TARGETS[-1]


@dataclass(frozen=True)
class Result:
    target: Target
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    not_200: int
    first_bad_status: int
    socket_errors: int
    server_cpu_seconds: float  # CPU time the server process (all its threads) used in the run
    wall_seconds: float

    @property
    def server_cpu_share(self) -> float:
        """How much of one core the server used: near 100% means the server was the limit."""
        return self.server_cpu_seconds / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU per request: steadier than requests/s when other work shares the machine."""
        return 1000 * self.server_cpu_seconds / self.requests if self.requests else 0.0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default="",
        help="a postgresql:// URL whose database name contains 'bench' (default: SQLite in a "
        "temporary folder). The database is created if missing and its public schema is emptied.",
    )
    parser.add_argument("--duration", type=int, default=10, help="measured seconds per target")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per target")
    parser.add_argument("--connections", type=int, default=20, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (the server has one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    arguments = parser.parse_args(argv)
    if arguments.database:
        if not arguments.database.startswith(("postgresql://", "postgres://")):
            parser.error("--database must be a postgresql:// URL (SQLite is the default)")
        bench_database_name(arguments.database)  # refuses any database not named for benching
    if arguments.connections < arguments.threads:
        parser.error("--connections must be at least --threads")
    return arguments


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        print("bench: wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="panel-bench-"))
    port = free_port()
    env = bench_environment(workdir, arguments.database, port)
    settings = load_settings(env)
    server: subprocess.Popen[bytes] | None = None
    server_log = workdir / "server.log"
    try:
        print_setup(arguments, settings.database_url, wrk)
        run_step("reset the database", [sys.executable, "-m", "bench.app", "reset-database"], env)
        run_step("migrate", [sys.executable, "-m", "panel.cli", "db", "upgrade"], env)
        token = run_step(
            "sign in", [sys.executable, "-m", "bench.app", "staff-session"], env
        ).splitlines()[-1]
        member_token = run_step(
            "sign a member in", [sys.executable, "-m", "bench.app", "member-session"], env
        ).splitlines()[-1]
        server = start_server(env, port, server_log)
        wait_until_ready(server, port)
        cookies = {
            ANONYMOUS: "",
            STAFF: check_targets(port, settings.session_cookie_name, token),
            MEMBER: f"{settings.session_cookie_name}={member_token}",
            **join_cookies(port),
        }
        for target in TARGETS:
            status, _, _ = fetch(port, target.path, cookies[target.browser])
            if status != 200:
                raise SystemExit(f"bench: {target.label} ({target.path}) answered {status}")

        def measure(target: Target) -> Result:
            headers = {"Cookie": cookies[target.browser]} if cookies[target.browser] else {}
            warmup = load(wrk, arguments, port, target, headers, arguments.warmup, server.pid)
            warn_if_not_all_200(warmup, "warm-up")
            result = load(wrk, arguments, port, target, headers, arguments.duration, server.pid)
            warn_if_not_all_200(result, "measured run")
            return result

        # The bare route is measured at the start, halfway and at the end: the machine's speed
        # drifts over a run, and each page is judged against the median of the three.
        results, bare_again = [], []
        for index, target in enumerate(TARGETS):
            results.append(measure(target))
            if index == len(TARGETS) // 2:
                bare_again.append(measure(TARGETS[0]))
        bare_again.append(measure(TARGETS[0]))
        met = print_table(results, [results[0], *bare_again])
        clean = all(r.not_200 == 0 and r.socket_errors == 0 for r in results + bare_again)
        return 0 if met and clean else 1
    finally:
        stop_server(server)
        print_server_log(server_log)
        if arguments.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def bench_environment(workdir: Path, database: str, port: int) -> dict[str, str]:
    """The environment every step and the server run with: no PANEL_* setting leaks in."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANEL_")}
    env.update(
        PANEL_ENV="local",
        PANEL_DEBUG="false",
        PANEL_DEMO="false",
        PANEL_SECRET_KEY=secrets.token_urlsafe(48),
        PANEL_BASE_URL=f"http://{HOST}:{port}",
        PANEL_VAR_DIR=str(workdir / "var"),
        PANEL_DATABASE_URL=database or f"sqlite:///{workdir / 'bench.sqlite3'}",
        PANEL_RUN_WORKER_IN_WEB="false",
        PANEL_EMAIL_BACKEND="file",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
    )
    return env


def print_setup(arguments: argparse.Namespace, database_url: str, wrk: str) -> None:
    wrk_version = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    wrk_line = (wrk_version.stdout or wrk_version.stderr).splitlines()[0].split(" [")[0]
    print_machine()
    print(
        f"Load: {wrk_line}, {arguments.threads} thread(s), {arguments.connections} connections; "
        f"{arguments.warmup} s warm-up then {arguments.duration} s measured per target"
    )
    print(f"Server: 1 uvicorn process on {HOST}, database {redact(database_url)}")
    print_busy_share("requests/s", "Compare the CPU ms/req column")
    print()


def print_machine(packages: tuple[str, ...] = ("litestar", "uvicorn", "piccolo")) -> None:
    versions = ", ".join(f"{name} {version(name)}" for name in packages)
    print(f"Machine: {os.cpu_count()} CPU cores; Python {sys.version.split()[0]}; {versions}")


def print_busy_share(noisy: str, steadier: str) -> float:
    """Print how busy other work kept the machine for a second, with a warning above 10%."""
    busy = machine_busy_share()
    print(f"Other work on the machine before the run: {busy:.0%} of all cores busy")
    if busy > BUSY_WARNING_SHARE:
        print(
            f"WARNING: the machine is busy with other work: {noisy} will be low and noisy. "
            f"{steadier}, or run again when the machine is quiet.",
            file=sys.stderr,
        )
    return busy


def machine_cpu_sample() -> tuple[int, int]:
    """All cores' total and idle CPU time so far, in clock ticks, from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    return sum(values), values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait


def busy_share_between(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of all cores' time spent busy between two ``machine_cpu_sample``s."""
    total = after[0] - before[0]
    return 1 - (after[1] - before[1]) / total if total > 0 else 0.0


def machine_busy_share(seconds: float = 1.0) -> float:
    """The share of all CPU time spent busy over a short interval, from /proc/stat."""
    before = machine_cpu_sample()
    time.sleep(seconds)
    return busy_share_between(before, machine_cpu_sample())


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def run_step(name: str, command: list[str], env: dict[str, str], timeout: float = 120) -> str:
    completed = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=timeout
    )
    if completed.returncode != 0:
        raise SystemExit(f"bench: could not {name}:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "bench.app:create_bench_app",
        "--host", HOST, "--port", str(port), "--workers", "1",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_ready(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench: the server exited with status {server.returncode}")
        try:
            status, _, _ = fetch(port, "/healthz")
        except OSError:
            time.sleep(0.1)
            continue
        if status == 200:
            return
        raise SystemExit(f"bench: /healthz answered {status}")
    raise SystemExit(f"bench: the server did not answer within {SERVER_START_SECONDS} s")


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, list[tuple[str, str]], str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode(errors="replace")
    finally:
        connection.close()


def check_targets(port: int, session_cookie_name: str, token: str) -> str:
    """One request to each target must answer 200. Returns the signed-in browser's cookies."""
    status, _, body = fetch(port, BARE_PATH)
    if status != 200 or body != BARE_BODY:
        raise SystemExit(f"bench: {BARE_PATH} answered {status} {body[:80]!r}")
    status, _, _ = fetch(port, "/sign-in")
    if status != 200:
        raise SystemExit(f"bench: /sign-in answered {status}")
    session = f"{session_cookie_name}={token}"
    status, headers, body = fetch(port, "/staff", session)
    if status != 200 or "Staff home" not in body:
        raise SystemExit(f"bench: /staff with the session cookie answered {status}, not the page")
    # A signed-in browser also holds the CSRF cookie the first page set; send it back too.
    returned = [value.split(";", 1)[0] for name, value in headers if name.lower() == "set-cookie"]
    return "; ".join([session, *returned])


def load(
    wrk: str,
    arguments: argparse.Namespace,
    port: int,
    target: Target,
    headers: dict[str, str],
    seconds: int,
    server_pid: int,
) -> Result:
    command = [
        wrk, "--latency", "-t", str(arguments.threads), "-c", str(arguments.connections),
        "-d", f"{seconds}s", "--timeout", "10s", "-s", str(LUA_SCRIPT),
    ]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{target.path}")
    cpu_before = process_cpu_seconds(server_pid)
    started = time.monotonic()
    completed = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=seconds + 30
    )
    elapsed = time.monotonic() - started
    cpu_used = process_cpu_seconds(server_pid) - cpu_before
    match = re.search(r"^BENCH (.*)$", completed.stdout, re.MULTILINE)
    if completed.returncode != 0 or match is None:
        raise SystemExit(
            f"bench: wrk failed on {target.path}:\n{completed.stdout}{completed.stderr}"
        )
    fields = {key: int(value) for key, value in re.findall(r"(\w+)=(-?\d+)", match.group(1))}
    return Result(
        target=target,
        requests=fields["requests"],
        seconds=fields["duration_us"] / 1e6,
        p50_ms=fields["p50_us"] / 1000,
        p95_ms=fields["p95_us"] / 1000,
        p99_ms=fields["p99_us"] / 1000,
        not_200=fields["not_200"],
        first_bad_status=fields["first_bad_status"],
        socket_errors=fields["socket_errors"],
        server_cpu_seconds=cpu_used,
        wall_seconds=elapsed,
    )


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (all its threads) so far, from /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def warn_if_not_all_200(result: Result, run: str) -> None:
    if result.not_200:
        print(
            f"WARNING: {result.target.path} ({run}): {result.not_200} of {result.requests} "
            f"responses were not 200 (first: {result.first_bad_status}); the numbers are not valid",
            file=sys.stderr,
        )
    if result.socket_errors:
        print(
            f"WARNING: {result.target.path} ({run}): {result.socket_errors} socket errors "
            "(connect, read, write or timeout)",
            file=sys.stderr,
        )


def print_table(results: list[Result], bare_runs: list[Result]) -> bool:
    """The table, and whether every page reached its share of the bare route's throughput (the
    median of ``bare_runs``)."""
    bare = statistics.median(run.per_second for run in bare_runs)
    print(
        "The bare route, measured at the start, halfway and at the end: "
        + ", ".join(f"{run.per_second:,.0f}" for run in bare_runs)
        + f" requests/s. Shares are of the median, {bare:,.0f}."
    )
    print()
    print(
        "| Target | Requests/s | p50 ms | p95 ms | p99 ms | % of bare | Goal "
        "| Server CPU | CPU ms/req | Not 200 |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    met = True
    for result in results:
        share = result.per_second / bare if bare else 0.0
        goal = result.target.goal
        judged = 0 < goal < 1
        verdict = ""
        if judged:
            verdict = f"{goal:.0%}: {'met' if share >= goal else 'NOT met'}"
            met = met and share >= goal
        print(
            f"| {result.target.label} (`{result.target.path}`) | {result.per_second:,.0f} "
            f"| {result.p50_ms:.1f} | {result.p95_ms:.1f} | {result.p99_ms:.1f} "
            f"| {share:.0%} | {verdict} | {result.server_cpu_share:.0%} "
            f"| {result.cpu_ms_per_request:.2f} | {result.not_200} |"
        )
    print()
    print(
        f"Every page at or above its goal (the staff home {TARGET_SHARE_OF_BARE:.0%} of the bare "
        f"route's throughput, every other page {FORM_SHARE_OF_BARE:.0%}): "
        f"{'met' if met else 'NOT met'}"
    )
    return met


def join_cookies(port: int) -> dict[str, str]:
    """For each question of the sign-up journey, the cookies of a browser that has answered the
    questions before it (``ANSWERS``) and not yet this one, so the page is as a newcomer sees
    it. Keyed ``join:<slug>``."""
    cookies = {}
    for index, slug in enumerate(JOIN_SLUGS):
        with httpx.Client(base_url=f"http://{HOST}:{port}", trust_env=False) as client:
            for earlier in JOIN_SLUGS[:index]:
                page = client.get(f"/join/{earlier}")
                token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
                if page.status_code != 200 or token is None:
                    raise SystemExit(f"bench: /join/{earlier} answered {page.status_code}")
                answers = ANSWERS[earlier]
                if earlier == "details":
                    answers = {**answers, "email": f"bench-http-{index}@example.org"}
                answered = client.post(
                    f"/join/{earlier}", data={"_csrf_token": token.group(1), **answers}
                )
                if answered.status_code != 303:
                    raise SystemExit(
                        f"bench: answering /join/{earlier} gave {answered.status_code}"
                    )
            cookies[f"join:{slug}"] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    return cookies


def stop_server(server: subprocess.Popen[bytes] | None) -> None:
    """Stop the server by its process id: SIGTERM, then SIGKILL if it does not stop in time."""
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=SERVER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def print_server_log(path: Path) -> None:
    """Warnings and errors the server logged (it logs none on a clean run)."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return
    # Piccolo logs its SQLite version at INFO level whatever uvicorn's log level is, and the app
    # logs every request at INFO (panel/web/logs.py: "date time LEVEL logger: message").
    lines = [line for line in lines if not re.match(r"(\S+ \S+ )?(INFO|DEBUG)\b", line)]
    if lines:
        print(f"\nServer log ({len(lines)} lines, last 20):", file=sys.stderr)
        for line in lines[-20:]:
            print(f"  {line}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
