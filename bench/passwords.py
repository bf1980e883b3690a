"""The cost of one argon2id password hash and one verify, with the configured parameters.

    .venv/bin/python bench/passwords.py              # 30 runs of each
    .venv/bin/python bench/passwords.py --runs 100

Times ``Passwords.hash_now`` and ``Passwords.verify_now`` (what the worker thread runs when a
page hashes or checks a password) from ``Passwords(load_settings())``, so the PANEL_ARGON2_*
settings apply. Then measures the memory one hash needs, and several at once, in fresh
processes: the growth of the peak resident set size (VmHWM in /proc/self/status) over the
resident size just before hashing.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as ``python bench/passwords.py``, this folder is first on sys.path, where ``bench/http.py``
# would hide the standard library's ``http`` package. Take the folder out.
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402

from argon2 import PasswordHasher  # noqa: E402

from panel.accounts.passwords import Passwords  # noqa: E402
from panel.settings import Settings, load_settings  # noqa: E402

PASSWORD = "correct horse battery staple 2026"
WARM_UP_RUNS = 2


def bench_settings() -> Settings:
    """The configured settings. A throwaway secret key, so that no secret file is written."""
    environ = dict(os.environ)
    environ.setdefault("PANEL_SECRET_KEY", "bench-passwords-" + "x" * 32)
    return load_settings(environ)


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least ``share`` of them at or below."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_ms(work, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    for _ in range(WARM_UP_RUNS):
        work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def memory_kib(field: str) -> int:
    """A line of /proc/self/status in KiB: VmRSS (resident now) or VmHWM (peak resident)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure_memory_here(hashes_at_once: int) -> dict[str, float]:
    """In a fresh process: the peak RSS growth while ``hashes_at_once`` hashes run together.

    The peak is VmHWM, not getrusage's ru_maxrss: on Linux ru_maxrss keeps the parent's peak
    across fork and exec, so a child started by a process that has hashed already would show none.
    """
    passwords = Passwords(bench_settings())
    hasher = passwords.hasher  # built (and everything imported) before the baseline is taken
    start = threading.Barrier(hashes_at_once)

    def one_hash() -> None:
        start.wait()
        hasher.hash(PASSWORD)

    threads = [threading.Thread(target=one_hash) for _ in range(hashes_at_once)]
    for thread in threads:  # started (stacks made) before the baseline; they wait at the barrier
        if thread is not threads[-1]:
            thread.start()
    with contextlib.suppress(OSError):  # reset the peak to the current size where allowed
        Path("/proc/self/clear_refs").write_text("5")
    before_kib = memory_kib("VmRSS")
    threads[-1].start()
    for thread in threads:
        thread.join()
    peak_kib = memory_kib("VmHWM")
    return {
        "before_mib": before_kib / 1024,
        "growth_mib": (peak_kib - before_kib) / 1024,
        "batch_ms": statistics.median(time_batch(hasher, hashes_at_once) for _ in range(5)),
    }


def time_batch(hasher: PasswordHasher, hashes_at_once: int) -> float:
    """Wall time, in ms, for ``hashes_at_once`` hashes started together on as many threads."""
    threads = [
        threading.Thread(target=hasher.hash, args=(PASSWORD,)) for _ in range(hashes_at_once)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (time.perf_counter() - started) * 1000


def measure_memory(hashes_at_once: int) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(hashes_at_once)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(completed.stdout)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of hash and of verify")
    parser.add_argument("--memory-child", type=int, default=0, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.memory_child:
        print(json.dumps(measure_memory_here(arguments.memory_child)))
        return 0

    settings = bench_settings()
    passwords = Passwords(settings)
    stored = passwords.hash_now(PASSWORD)
    if not passwords.verify_now(stored, PASSWORD).matches:
        raise SystemExit("bench: the password did not verify against its own hash")
    hash_ms = time_ms(lambda: passwords.hash_now(PASSWORD), arguments.runs)
    verify_ms = time_ms(lambda: passwords.verify_now(stored, PASSWORD), arguments.runs)
    cores = os.cpu_count() or 1
    pool = min(32, cores + 4)  # asyncio.to_thread's default pool: hashes one process runs at once
    at_once = sorted({1, 2, cores, pool})
    memory = {n: measure_memory(n) for n in at_once}

    memory_mib = settings.argon2_memory_kib / 1024
    print(
        f"Machine: {cores} CPU cores; Python {sys.version.split()[0]}; "
        f"argon2-cffi {version('argon2-cffi')}, argon2-cffi-bindings "
        f"{version('argon2-cffi-bindings')}"
    )
    print(
        f"argon2id parameters: memory_cost={settings.argon2_memory_kib} KiB ({memory_mib:.0f} MiB), "
        f"time_cost={settings.argon2_time_cost}, parallelism={settings.argon2_parallelism}"
    )
    print(f"Timings: {arguments.runs} runs each after {WARM_UP_RUNS} warm-up runs, one at a time")
    print()
    print("| Operation | Median ms | p95 ms | Min ms | Max ms |")
    print("|---|---:|---:|---:|---:|")
    for name, samples in (("Hash (new password)", hash_ms), ("Verify (sign-in)", verify_ms)):
        print(
            f"| {name} | {statistics.median(samples):.1f} | {percentile(samples, 0.95):.1f} "
            f"| {min(samples):.1f} | {max(samples):.1f} |"
        )
    print()
    print(
        "| Hashes at once | argon2 memory_cost total MiB | Measured peak RSS growth MiB "
        "| Wall ms for all | Hashes/s |"
    )
    print("|---:|---:|---:|---:|---:|")
    for n in at_once:
        batch_ms = memory[n]["batch_ms"]
        print(
            f"| {n} | {n * memory_mib:.0f} | {memory[n]['growth_mib']:.1f} "
            f"| {batch_ms:.0f} | {1000 * n / batch_ms:.0f} |"
        )
    print()
    print(
        f"One core hashes or verifies about {1000 / statistics.median(verify_ms):.0f} passwords "
        f"a second; with {cores} at once, {cores} cores about "
        f"{1000 * cores / memory[cores]['batch_ms']:.0f} (measured above)."
    )
    print(
        f"A web process hashes on asyncio.to_thread's default pool: up to {pool} at once here, "
        f"so up to about {pool * memory_mib:.0f} MiB for hashing alone in a burst of sign-ins."
    )
    print(
        f"Baseline RSS of the measuring process before hashing: {memory[1]['before_mib']:.0f} MiB "
        "(Python, argon2 and the panel's settings imported)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
