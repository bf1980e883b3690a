"""Fair selection: our LEXIMIN (``panel.selection``) against the Sortition Foundation's
``sortition-algorithms`` on the same generated pools, read from the same CSV files.

    .venv/bin/python bench/selection.py                  # every instance, about 15 minutes
    .venv/bin/python bench/selection.py --only '1,000 /' --methods ours,maximin --reference-limit 600

Makes each instance with a fixed seed (``--seed``): a pool of people with 6 features of 3 or 4
values each, drawn with uneven shares that lean away from the population's (as volunteers do),
and quotas from the population's shares: "loose" (each value's proportional number of places,
rounded, give or take 1, or 2 on panels of 20 or more) or "tight" (the proportional number
rounded down and up, widened by 1 all round, again if need be, when no panel can meet them).
One instance puts about 10% of the pool in two-person households (at most one of each on the
panel). Writes the people and categories CSV files into a temporary folder, then runs, each in a
process of its own, one after another (a process still working at its limit is stopped by its process id):

- ours: the files read with ``panel.selection.csvfiles`` and ``select`` (LEXIMIN on HiGHS),
  stopped after ``--our-limit`` seconds;
- maximin: ``sortition-algorithms``' ``find_distribution_maximin`` with its ``highspy`` backend,
  its households by "check same address" on the household column, stopped after
  ``--reference-limit`` seconds; each person's chance is the sum of the weights of the panels
  with them in, after the library's own ``standardize_distribution``;
- legacy: the library's greedy draw (``find_random_sample`` with ``selection_algorithm="legacy"``)
  ``--draws`` times, draw ``i`` seeded with ``i``, or as many as ``--legacy-limit`` seconds allow:
  each person's chance is estimated by the share of draws that chose them (so it is a sample,
  with its error, not an exact chance).

The default limits keep the whole run near 15 minutes on 2 cores; they stop maximin on every
pool of 1,000 or more (it needed about 200 s for the pool of 1,000 with loose quotas when it was
written) and ours on the pools of 2,000 (about 330 s). Raise them for the comparisons they stop.

Times are wall times in that process from reading the CSV files to everyone's chance. Prints a
Markdown table: each method's minimum chance, how many people have it, the lowest 5 chances and
the time; then the judged targets: on every instance our minimum at least maximin's (within
1e-6), and our sorted chances higher than maximin's at the first rank where they differ by more
than 1e-6 (the LEXIMIN order); ours under 10 s for a pool of 1,000 and a panel of 12, under 60 s
for 2,000 and 30. Legacy is reported, not judged, and so is a comparison that a stopped method
leaves without numbers. The exit status is 0 only when every judged target is met.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as ``python bench/selection.py``, this folder is first on sys.path, where ``bench/http.py``
# would hide the standard library's ``http`` package (requests needs it). Take the folder out.
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import csv  # noqa: E402
import math  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

from bench.http import print_busy_share, print_machine  # noqa: E402

TOLERANCE = 1e-6
LOWEST_SHOWN = 5
HOUSEHOLD_COLUMN = "household"
HOUSEHOLD_SHARE = 0.10  # of the pool, in two-person households
# A method's process has this long to start (a fresh interpreter and its imports), then its limit,
# then this long past it to answer: legacy finishes the draw it is making (up to 100 attempts).
START_SECONDS = 60.0
GRACE_SECONDS = {"ours": 1.0, "maximin": 1.0, "legacy": 30.0}

# Each feature's values, with the population's shares (the quotas' targets) and the pool's
# (who volunteered: older, more qualified, more often owners than the population).
FEATURES: dict[str, dict[str, tuple[float, float]]] = {
    "gender": {"female": (0.51, 0.56), "male": (0.47, 0.41), "another": (0.02, 0.03)},
    "age": {
        "16-29": (0.22, 0.12),
        "30-44": (0.25, 0.20),
        "45-64": (0.32, 0.38),
        "65+": (0.21, 0.30),
    },
    "district": {
        "north": (0.35, 0.38),
        "south": (0.30, 0.27),
        "east": (0.20, 0.22),
        "west": (0.15, 0.13),
    },
    "ethnicity": {
        "white": (0.82, 0.87),
        "asian": (0.09, 0.06),
        "black": (0.05, 0.04),
        "mixed or other": (0.04, 0.03),
    },
    "tenure": {"owner": (0.63, 0.74), "social rent": (0.17, 0.11), "private rent": (0.20, 0.15)},
    "qualification": {
        "none or level 1": (0.28, 0.16),
        "level 2 or 3": (0.38, 0.36),
        "level 4 or above": (0.34, 0.48),
    },
}
# Housemates share where they live.
SHARED_BY_HOUSEHOLD = ("district", "tenure")


@dataclass(frozen=True)
class Instance:
    pool: int
    panel: int
    tight: bool
    households: bool = False

    @property
    def label(self) -> str:
        words = [f"{self.pool:,} / {self.panel}", "tight" if self.tight else "loose"]
        if self.households:
            words.append("households")
        return ", ".join(words)

    @property
    def slug(self) -> str:
        kind = "tight" if self.tight else "loose"
        return f"pool{self.pool}-panel{self.panel}-{kind}{'-households' if self.households else ''}"

    @property
    def time_limit(self) -> float | None:
        """Our time target for this pool and panel size, if it has one."""
        return {(1_000, 12): 10.0, (2_000, 30): 60.0}.get((self.pool, self.panel))


INSTANCES = (
    Instance(200, 10, tight=False),
    Instance(200, 10, tight=True),
    Instance(1_000, 12, tight=False),
    Instance(1_000, 12, tight=True),
    Instance(1_000, 12, tight=False, households=True),
    Instance(2_000, 30, tight=False),
    Instance(2_000, 30, tight=True),
)


@dataclass
class Outcome:
    """One method on one instance: everyone's chance, or why there is none."""

    method: str
    probabilities: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    failure: str = ""
    stopped: bool = False  # at its time limit, rather than failed

    @property
    def profile(self) -> list[float]:
        return sorted(self.probabilities.values())

    @property
    def minimum(self) -> float:
        return min(self.probabilities.values())

    @property
    def at_minimum(self) -> int:
        lowest = self.minimum
        return sum(1 for chance in self.probabilities.values() if chance <= lowest + TOLERANCE)


@dataclass(frozen=True)
class Judgement:
    instance: Instance
    target: str
    ours: str
    reference: str
    passed: bool | None  # None: not judged, for want of numbers

    @property
    def result(self) -> str:
        return {True: "PASS", False: "FAIL", None: "not judged"}[self.passed]

    def line(self) -> str:
        numbers = " vs ".join(number for number in (self.ours, self.reference) if number)
        return f"{self.instance.label}: {self.target}: {self.result} ({numbers})"


# ---------------------------------------------------------------------------------------------
# The instances


def make_pool(instance: Instance, rng: random.Random) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for number in range(1, instance.pool + 1):
        row = {"id": f"p{number:05d}"}
        for feature, values in FEATURES.items():
            names = list(values)
            row[feature] = rng.choices(names, weights=[values[name][1] for name in names])[0]
        row[HOUSEHOLD_COLUMN] = f"h{number:05d}"
        rows.append(row)
    if instance.households:
        pairs = round(instance.pool * HOUSEHOLD_SHARE / 2)
        chosen = rng.sample(range(instance.pool), 2 * pairs)
        for first, second in zip(chosen[::2], chosen[1::2], strict=True):
            rows[second][HOUSEHOLD_COLUMN] = rows[first][HOUSEHOLD_COLUMN]
            for feature in SHARED_BY_HOUSEHOLD:
                rows[second][feature] = rows[first][feature]
    return rows


def round_half_up(number: float) -> int:
    return math.floor(number + 0.5)


def make_quotas(instance: Instance, rows: list[dict[str, str]], widen: int) -> list[list[Any]]:
    """feature, value, min, max for every value of every feature."""
    quotas: list[list[Any]] = []
    for feature, values in FEATURES.items():
        for value, (population, _) in values.items():
            in_pool = sum(1 for row in rows if row[feature] == value)
            share = population * instance.panel
            if instance.tight:
                low, high = math.floor(share) - widen, math.ceil(share) + widen
            else:
                slack = 2 if instance.panel >= 20 else 1
                low, high = round_half_up(share) - slack, round_half_up(share) + slack
            low = max(0, min(low, in_pool))
            high = max(low, min(high, in_pool, instance.panel))
            quotas.append([feature, value, low, high])
    return quotas


def feasible(instance: Instance, rows: list[dict[str, str]], quotas: list[list[Any]]) -> bool:
    """Whether any panel meets the quotas (and the households), by our integer program."""
    from panel.selection.leximin import BestPanel
    from panel.selection.problem import Person, Quota, SelectionProblem, compile_problem

    households = {row["id"]: row[HOUSEHOLD_COLUMN] for row in rows} if instance.households else {}
    problem = SelectionProblem(
        [Person(row["id"], {feature: row[feature] for feature in FEATURES}) for row in rows],
        instance.panel,
        [Quota(*quota) for quota in quotas],
        households=households,
    )
    return BestPanel(compile_problem(problem)).exists()


def write_instance(instance: Instance, seed: int, folder: Path) -> tuple[Path, Path, int]:
    """The people and categories files, and by how much tight quotas had to be widened."""
    rng = random.Random(f"{seed}-{instance.slug}")
    rows = make_pool(instance, rng)
    widen = 0
    quotas = make_quotas(instance, rows, widen)
    while not feasible(instance, rows, quotas):
        widen += 1
        quotas = make_quotas(instance, rows, widen)
    people_path = folder / f"{instance.slug}-people.csv"
    categories_path = folder / f"{instance.slug}-categories.csv"
    with people_path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, ["id", *FEATURES, HOUSEHOLD_COLUMN])
        writer.writeheader()
        writer.writerows(rows)
    with categories_path.open("w", newline="", encoding="utf-8") as file:
        writer_ = csv.writer(file)
        writer_.writerow(["feature", "value", "min", "max"])
        writer_.writerows(quotas)
    return people_path, categories_path, widen


# ---------------------------------------------------------------------------------------------
# The methods, each run in a process of its own


@dataclass(frozen=True)
class Job:
    method: str
    people: Path
    categories: Path
    panel: int
    households: bool
    seed: int
    draws: int
    limit: float


def run_ours(job: Job) -> Outcome:
    from panel.selection.csvfiles import read_categories, read_people
    from panel.selection.draw import select
    from panel.selection.problem import SelectionProblem

    started = time.perf_counter()
    quotas = read_categories(job.categories)
    people, households = read_people(
        job.people, quotas, HOUSEHOLD_COLUMN if job.households else None
    )
    selection = select(SelectionProblem(people, job.panel, quotas, households=households), job.seed)
    seconds = time.perf_counter() - started
    distribution = selection.distribution
    return Outcome(
        "ours",
        selection.probabilities,
        seconds,
        [
            f"{len(distribution.panels)} panels with a positive chance; "
            f"{len(distribution.compiled.groups)} groups of interchangeable people"
        ],
    )


def reference_data(job: Job) -> tuple[Any, Any, list[str]]:
    """The library's features and people from the same files, and its address columns."""
    from sortition_algorithms import CSVFileDataSource, SelectionData, Settings

    address_columns = [HOUSEHOLD_COLUMN] if job.households else []
    settings = Settings(
        id_column="id",
        columns_to_keep=[],
        check_same_address=job.households,
        check_same_address_columns=address_columns,
    )
    scratch = job.people.parent
    data = SelectionData(
        CSVFileDataSource(
            features_file=job.categories,
            people_file=job.people,
            already_selected_file=None,
            selected_file=scratch / "selected.csv",
            remaining_file=scratch / "remaining.csv",
        )
    )
    features, _ = data.load_features(job.panel)
    people, _ = data.load_people(settings, features)
    return features, people, settings.normalised_address_columns


def run_maximin(job: Job) -> Outcome:
    from sortition_algorithms.committee_generation import (
        find_distribution_maximin,
        standardize_distribution,
    )
    from sortition_algorithms.utils import set_random_provider

    started = time.perf_counter()
    set_random_provider(job.seed)  # its HiGHS models take their random seed from it
    features, people, address_columns = reference_data(job)
    committees, weights, _ = find_distribution_maximin(
        features, people, job.panel, address_columns, solver_backend="highspy"
    )
    committees, weights = standardize_distribution(committees, weights)
    probabilities = dict.fromkeys(people, 0.0)
    for committee, weight in zip(committees, weights, strict=True):
        for person_id in committee:
            probabilities[person_id] += weight
    seconds = time.perf_counter() - started
    return Outcome(
        "maximin", probabilities, seconds, [f"{len(committees)} panels with a positive chance"]
    )


def run_legacy(job: Job) -> Outcome:
    from sortition_algorithms import SelectionError, find_random_sample
    from sortition_algorithms.utils import set_random_provider

    started = time.perf_counter()
    features, people, address_columns = reference_data(job)
    counts = dict.fromkeys(people, 0)
    done = failed = 0
    for draw in range(1, job.draws + 1):
        if time.perf_counter() - started > job.limit:
            break
        set_random_provider(draw)  # as ``random_number_seed = draw`` in its settings
        try:
            committees, _ = find_random_sample(
                features,
                people,
                job.panel,
                address_columns,
                selection_algorithm="legacy",
                max_attempts=100,
            )
        except SelectionError:
            failed += 1
            continue
        done += 1
        for person_id in committees[0]:
            counts[person_id] += 1
    seconds = time.perf_counter() - started
    notes = [f"estimated from {done:,} draws ({1000 * seconds / max(1, done):.0f} ms each)"]
    if done + failed < job.draws:
        notes.append(f"stopped at the {job.limit:.0f} s limit after {done + failed:,} draws")
    if failed:
        notes.append(f"{failed} draws failed after 100 attempts each")
    if not done:
        return Outcome("legacy", {}, seconds, notes, failure="no draw succeeded")
    return Outcome(
        "legacy", {person_id: count / done for person_id, count in counts.items()}, seconds, notes
    )


METHODS = {"ours": run_ours, "maximin": run_maximin, "legacy": run_legacy}
# Imported before a method's clock starts, so that its time is the work's alone.
MODULES = {
    "ours": ("panel.selection.csvfiles", "panel.selection.draw"),
    "maximin": ("sortition_algorithms", "sortition_algorithms.committee_generation"),
    "legacy": ("sortition_algorithms",),
}


def child(job: Job, connection: Any) -> None:
    """In the child process: quiet (HiGHS prints a banner, the library logs, both on standard
    output), import, say so, run the method, send its outcome back."""
    import importlib
    import logging

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        for module in MODULES[job.method]:
            importlib.import_module(module)
        logging.getLogger("sortition_algorithms").setLevel(logging.ERROR)
        logging.getLogger("sortition_algorithms_user").setLevel(logging.ERROR)
        connection.send("started")
        outcome = METHODS[job.method](job)
    except Exception as error:
        last = traceback.format_exception_only(error)[-1].strip()
        outcome = Outcome(job.method, failure=f"{type(error).__name__}: {last}")
    connection.send(outcome)
    connection.close()


def run_limited(job: Job) -> Outcome:
    """The method in a fresh process, stopped by its process id after its limit."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(job, sending), daemon=True)
    process.start()
    sending.close()
    try:
        if not receiving.poll(START_SECONDS):
            return Outcome(job.method, failure=f"did not start within {START_SECONDS:.0f} s")
        started = time.perf_counter()
        first = receiving.recv()  # "started", or an outcome that says why not
        if isinstance(first, Outcome):
            return first
        if not receiving.poll(job.limit + GRACE_SECONDS[job.method]):
            return Outcome(
                job.method,
                seconds=time.perf_counter() - started,
                failure=f"stopped at its {job.limit:.0f} s limit, unfinished",
                stopped=True,
            )
        outcome = receiving.recv()
        assert isinstance(outcome, Outcome)
        return outcome
    except EOFError:
        return Outcome(job.method, failure=f"its process ended ({process.exitcode})")
    finally:
        if process.is_alive():
            process.kill()
        process.join(10)
        receiving.close()


# ---------------------------------------------------------------------------------------------
# The verdicts


def first_difference(ours: list[float], theirs: list[float]) -> int | None:
    """The first rank (from 0) where the sorted chances differ by more than the tolerance."""
    for rank, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
        if abs(mine - other) > TOLERANCE:
            return rank
    return None


def judge(instance: Instance, outcomes: dict[str, Outcome]) -> list[Judgement]:
    """Our time target, if the instance has one, and the comparison with maximin."""
    judgements: list[Judgement] = []
    ours, maximin = outcomes.get("ours"), outcomes.get("maximin")
    if ours is None:
        return judgements
    if instance.time_limit is not None:
        limit = instance.time_limit
        judgements.append(
            Judgement(
                instance,
                f"ours under {limit:.0f} s",
                ours.failure if ours.failure else f"{ours.seconds:.2f} s",
                "",
                not ours.failure and ours.seconds < limit,
            )
        )
    if ours.failure and not ours.stopped:
        judgements.append(
            Judgement(instance, "ours gives everyone a chance", ours.failure, "", False)
        )
        return judgements
    if maximin is None:
        return judgements
    compared = ("minimum at least maximin's", "sorted chances higher where they first differ")
    if ours.failure or maximin.failure:
        reason = "ours stopped" if ours.failure else f"maximin {maximin.failure}"
        for target in compared:
            judgements.append(Judgement(instance, target, "", reason, None))
        return judgements
    judgements.append(
        Judgement(
            instance,
            compared[0],
            f"{ours.minimum:.6f} ({ours.minimum - maximin.minimum:+.1e})",
            f"{maximin.minimum:.6f}",
            ours.minimum >= maximin.minimum - TOLERANCE,
        )
    )
    ours_profile, their_profile = ours.profile, maximin.profile
    rank = first_difference(ours_profile, their_profile)
    if rank is None:
        judgements.append(Judgement(instance, f"{compared[1]}: the same", "", "", True))
    else:
        judgements.append(
            Judgement(
                instance,
                f"{compared[1]}: at person {rank + 1:,} of {len(ours_profile):,}",
                f"{ours_profile[rank]:.6f}",
                f"{their_profile[rank]:.6f}",
                ours_profile[rank] > their_profile[rank],
            )
        )
    return judgements


# ---------------------------------------------------------------------------------------------
# The run


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="the generated pools' and draws' seed")
    parser.add_argument(
        "--our-limit", type=float, default=120.0, help="seconds ours may take (default 120)"
    )
    parser.add_argument(
        "--reference-limit",
        type=float,
        default=45.0,
        help="seconds sortition-algorithms' maximin may take (default 45)",
    )
    parser.add_argument(
        "--draws", type=int, default=1_000, help="legacy draws to estimate chances from (1,000)"
    )
    parser.add_argument(
        "--legacy-limit",
        type=float,
        default=30.0,
        help="seconds the legacy draws may take, fewer draws if need be (default 30)",
    )
    parser.add_argument(
        "--methods",
        default=",".join(METHODS),
        help=f"which of {', '.join(METHODS)} to run, with commas (default all)",
    )
    parser.add_argument(
        "--only", help="run only the instances whose label has this in, e.g. '200 /' or 'tight'"
    )
    parser.add_argument("--keep", action="store_true", help="keep the folder with the CSV files")
    arguments = parser.parse_args(argv)
    limits = (arguments.our_limit, arguments.reference_limit, arguments.legacy_limit)
    if arguments.draws < 1 or min(limits) <= 0:
        parser.error("--draws and the limits must be positive")
    arguments.methods = [name.strip() for name in arguments.methods.split(",") if name.strip()]
    unknown = [name for name in arguments.methods if name not in METHODS]
    if unknown or not arguments.methods:
        parser.error(f"--methods: choose from {', '.join(METHODS)}")
    return arguments


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    instances = [
        instance
        for instance in INSTANCES
        if arguments.only is None or arguments.only in instance.label
    ]
    if not instances:
        raise SystemExit(f"bench: no instance's label has {arguments.only!r} in")
    limits = {
        "ours": arguments.our_limit,
        "maximin": arguments.reference_limit,
        "legacy": arguments.legacy_limit,
    }
    folder = Path(tempfile.mkdtemp(prefix="panel-bench-selection-"))
    began = time.perf_counter()
    try:
        print_machine(("highspy", "sortition-algorithms"))
        print_busy_share("the times", "Compare the times with a quiet run's")
        print(
            f"Seed {arguments.seed}; limits: ours {arguments.our_limit:.0f} s, maximin "
            f"{arguments.reference_limit:.0f} s, legacy {arguments.draws:,} draws or "
            f"{arguments.legacy_limit:.0f} s"
        )
        print()
        print_outcomes_header()
        results: list[tuple[Instance, int, list[Outcome]]] = []
        judgements: list[Judgement] = []
        for instance in instances:
            people, categories, widen = write_instance(instance, arguments.seed, folder)
            outcomes: dict[str, Outcome] = {}
            for method in arguments.methods:
                job = Job(
                    method,
                    people,
                    categories,
                    instance.panel,
                    instance.households,
                    arguments.seed,
                    arguments.draws,
                    limits[method],
                )
                outcome = run_limited(job)
                outcomes[method] = outcome
                print_outcome(instance, outcome)
            results.append((instance, widen, list(outcomes.values())))
            for judgement in judge(instance, outcomes):
                judgements.append(judgement)
                print(f"bench: {judgement.line()}", file=sys.stderr, flush=True)
        print()
        print_judgements(judgements)
        print()
        print_notes(results, arguments)
        judged = [judgement for judgement in judgements if judgement.passed is not None]
        passed = all(judgement.passed for judgement in judged)
        print()
        print(
            f"Judged targets met: {sum(1 for j in judged if j.passed)} of {len(judged)} "
            f"({len(judgements) - len(judged)} not judged). Whole run "
            f"{time.perf_counter() - began:.0f} s."
        )
        return 0 if passed else 1
    finally:
        if arguments.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def print_outcomes_header() -> None:
    print(
        f"| Instance (pool / panel) | Method | Minimum chance | People at the minimum "
        f"| Lowest {LOWEST_SHOWN} chances | Panel / pool | Time s |"
    )
    print("|---|---|---:|---:|---|---:|---:|", flush=True)


def print_outcome(instance: Instance, outcome: Outcome) -> None:
    """One row, printed as soon as the method is done: a long run's rows outlive it."""
    if outcome.failure:
        seconds = f"{outcome.seconds:.0f}" if outcome.stopped else ""
        print(f"| {instance.label} | {outcome.method} | | | {outcome.failure} | | {seconds} |")
    else:
        lowest = ", ".join(f"{chance:.6f}" for chance in outcome.profile[:LOWEST_SHOWN])
        print(
            f"| {instance.label} | {outcome.method} | {outcome.minimum:.6f} "
            f"| {outcome.at_minimum:,} | {lowest} | {instance.panel / instance.pool:.6f} "
            f"| {outcome.seconds:.2f} |"
        )
    sys.stdout.flush()


def print_judgements(judgements: list[Judgement]) -> None:
    print("| Instance | Target | Ours | sortition-algorithms (maximin) | Result |")
    print("|---|---|---:|---:|---|")
    for judgement in judgements:
        print(
            f"| {judgement.instance.label} | {judgement.target} | {judgement.ours} "
            f"| {judgement.reference} | {judgement.result} |"
        )


def print_notes(
    results: list[tuple[Instance, int, list[Outcome]]], arguments: argparse.Namespace
) -> None:
    draws = arguments.draws
    print(
        '- A chance is a person\'s probability of selection; "People at the minimum" counts '
        "those within 1e-6 of it. Maximin's chances are exact for its distribution, which stops "
        "when no panel would raise its minimum by more than 0.0005 (its EPS). Legacy's are "
        "shares of its draws, so its lowest are biased low, often 0: a chance p is estimated "
        f"within about 2 x sqrt(p(1 - p) / draws), e.g. +/-"
        f"{2 * math.sqrt(0.012 * 0.988 / draws):.4f} at 0.012 with {draws:,} draws. "
        "Legacy is not judged."
    )
    print(
        "- Times: wall time in the method's own process, from reading the CSV files to "
        "everyone's chance (for legacy, all its draws); a stopped method's is when it was stopped."
    )
    print(
        "- Households: sortition-algorithms is given the household column as its "
        "check_same_address_columns (maximin and legacy both keep housemates apart), ours as "
        "--household would."
    )
    for instance, widen, outcomes in results:
        if widen:
            print(f"- {instance.label}: the tight quotas were widened by {widen} to be feasible.")
        for outcome in outcomes:
            for note in outcome.notes:
                print(f"- {instance.label}, {outcome.method}: {note}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
