"""How many of mutmut's mutants of each rules module the unit tests killed, and whether that is enough.

``make mutation`` runs this after ``mutmut run``. It lives with the test helpers, not in ``bench/``,
because it judges the tests rather than measuring speed, and it is run, never collected by pytest.
mutmut keeps one result file per mutated module (``mutants/panel/<area>/rules.py.meta``); this reads
them, prints one line per module and exits 1 when any module is below the bar or was not fully run.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

# mutmut's exit codes for a mutant (its ``status_by_exit_code``): a failing test run, an internal
# error of pytest and running out of time all mean the tests noticed the change.
KILLED_CODES = frozenset({1, 3, 36, 24, -24, 152, 255})
SURVIVED_CODE = 0
NO_TESTS_CODES = frozenset({5, 33})
SKIPPED_CODE = 34  # marked "no mutate": not a mutant to count

REQUIRED_PERCENT = 90.0


@dataclass(frozen=True)
class ModuleResult:
    module: str
    killed: int
    total: int
    unchecked: int
    survivors: tuple[str, ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.killed / self.total if self.total else 100.0


def module_result(meta_path: Path, mutants_dir: Path) -> ModuleResult:
    exit_codes: dict[str, int | None] = json.loads(meta_path.read_text())["exit_code_by_key"]
    counted = {name: code for name, code in exit_codes.items() if code != SKIPPED_CODE}
    module = str(meta_path.relative_to(mutants_dir)).removesuffix(".meta")
    return ModuleResult(
        module=module,
        killed=sum(code in KILLED_CODES for code in counted.values()),
        total=len(counted),
        unchecked=sum(code is None for code in counted.values()),
        survivors=tuple(
            sorted(
                (
                    name
                    for name, code in counted.items()
                    if code is not None and code not in KILLED_CODES
                ),
                key=_mutant_order,
            )
        ),
    )


def _mutant_order(name: str) -> tuple[str, int]:
    function, _, number = name.rpartition("__mutmut_")
    return function, int(number) if number.isdigit() else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--area", help="report only this area's rules (as `make mutation AREA=…`)")
    parser.add_argument("--survivors", action="store_true", help="list the mutants that survived")
    arguments = parser.parse_args(argv)

    pattern = f"panel/{arguments.area or '*'}/rules.py.meta"
    metas = sorted(arguments.mutants.glob(pattern))
    if not metas:
        print(f"No mutmut results under {arguments.mutants}/: run `make mutation` first.")
        return 1
    results = [module_result(meta, arguments.mutants) for meta in metas]

    print(f"{'rules module':<30} {'killed':>6} {'total':>6} {'%':>6}")
    for result in results:
        verdict = ""
        if result.unchecked:
            verdict = f"  {result.unchecked} not run"
        elif result.percent < REQUIRED_PERCENT:
            verdict = f"  below {REQUIRED_PERCENT:.0f}%"
        print(
            f"{result.module:<30} {result.killed:>6} {result.total:>6} {result.percent:>5.1f}%"
            f"{verdict}"
        )
    every = ModuleResult(
        "all",
        killed=sum(result.killed for result in results),
        total=sum(result.total for result in results),
        unchecked=sum(result.unchecked for result in results),
        survivors=(),
    )
    print(f"{every.module:<30} {every.killed:>6} {every.total:>6} {every.percent:>5.1f}%")

    if arguments.survivors:
        for result in results:
            for name in result.survivors:
                print(f"  survived: {name}")

    failing = [r for r in results if r.unchecked or r.percent < REQUIRED_PERCENT]
    if failing:
        print(
            f"{len(failing)} rules module(s) below {REQUIRED_PERCENT:.0f}% killed or not fully run. "
            "`.venv/bin/python tests/support/mutation_report.py --survivors` lists the survivors, "
            "`.venv/bin/mutmut show NAME` shows one (docs/testing.md)."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
