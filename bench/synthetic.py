"""A synthetic panel of any size, for measuring panel management at scale.

    .venv/bin/python bench/synthetic.py --members 100000
    .venv/bin/python bench/synthetic.py --members 100000 \\
        --database postgresql://postgres@127.0.0.1:5432/panel_bench

Empties the database (a SQLite file, or a PostgreSQL database, whose name contains "bench"),
applies the migrations, then fills it with invented members shaped like a volunteer panel (the
generator is ``panel/demo/synthetic.py``, which the demo uses for its few hundred members). The
same seed on the same day gives the same panel.

Every member's email address is ``m<number>@example.org``. Members with a password all share one
real argon2id hash, of ``SYNTHETIC_PASSWORD``, made once per run (hashing 100,000 passwords
would take over an hour and measure nothing the panel pages do).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as ``python bench/synthetic.py``, this folder is first on sys.path, where ``bench/http.py``
# would hide the standard library's ``http`` package. Take the folder out.
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import tempfile  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

from bench.app import bench_database_name  # noqa: E402
from bench.http import bench_environment, redact, run_step  # noqa: E402
from panel.accounts.passwords import Passwords  # noqa: E402
from panel.demo.synthetic import Filled, fill  # noqa: E402
from panel.settings import load_settings  # noqa: E402
from tests.support.database import POSTGRES_PREFIXES, empty_database  # noqa: E402

DEFAULT_DATABASE = f"sqlite:///{ROOT / 'var' / 'bench' / 'panel_bench.sqlite3'}"
SYNTHETIC_PASSWORD = "synthetic member password"


# ---------------------------------------------------------------------------------------------
# The command


def check_bench_database(url: str) -> None:
    """Only a database named for benchmarking is ever emptied."""
    if url.startswith(POSTGRES_PREFIXES):
        bench_database_name(url)
    elif not url.startswith("sqlite:///"):
        raise SystemExit("synthetic: --database must be sqlite:///<file> or postgresql://...")
    elif "bench" not in Path(url.removeprefix("sqlite:///")).name:
        raise SystemExit(
            "synthetic: refusing to empty a SQLite file whose name does not contain 'bench'"
        )


def empty_and_migrate(url: str) -> None:
    check_bench_database(url)
    empty_database(url)
    with tempfile.TemporaryDirectory(prefix="panel-synthetic-") as workdir:
        env = bench_environment(Path(workdir), url, port=8000)
        run_step("migrate", [sys.executable, "-m", "panel.cli", "db", "upgrade"], env, 300)


def build(url: str, members: int, seed: int) -> Filled:
    """Empty the database, migrate it and fill it: what the command does."""
    now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    print(f"Synthetic panel: {members:,} members, seed {seed}, into {redact(url)}", flush=True)
    empty_and_migrate(url)
    password_hash = Passwords(load_settings({"PANEL_SECRET_KEY": "x" * 32})).hash_now(
        SYNTHETIC_PASSWORD
    )
    filled = asyncio.run(fill(url, members, seed, now, password_hash))
    print(f"Filled in {filled.seconds:.0f} s:")
    print("| Table | Rows |")
    print("|---|---:|")
    for table, count in filled.rows.items():
        print(f"| `{table}` | {count:,} |")
    return filled


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000, help="members to invent")
    parser.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        help="sqlite:///<file> or postgresql://... whose name contains 'bench'; emptied first "
        f"(default {DEFAULT_DATABASE})",
    )
    parser.add_argument("--seed", type=int, default=1, help="the same seed, the same panel")
    arguments = parser.parse_args(argv)
    if arguments.members < 1:
        parser.error("--members must be at least 1")
    check_bench_database(arguments.database)
    return arguments


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    build(arguments.database, arguments.members, arguments.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
