"""``panel select``: the Sortition Foundation's CSV formats in, selected ids out, run as an
organiser would run it (a real process, so nothing the solver prints can slip onto stdout)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.integration.cli.test_cli import run_panel

PEOPLE = """id,first name,District,Crime type,address
s1,Ann,Swale,burglary,1 High St
s2,Bo,swale,Burglary,2 High St
s3,Cy,Swale,burglary,3 High St
s4,Di,SWALE,burglary,4 High St
d1,Ed,Dover,fraud,5 Low Rd
d2,Flo,Dover,fraud,6 Low Rd
d3,Gus,Dover,assault,7 Low Rd
a1,Hal,Ashford,fraud,8 Mid Way
a2,Ivy,Ashford,burglary,9 Mid Way
a3,Jo,Ashford,assault,10 Mid Way
"""

CATEGORIES = """feature,value,min,max
district,Swale,1,2
district,Dover,1,2
district,Ashford,1,2
crime type,burglary,1,3
crime type,fraud,1,2
crime type,assault,0,2
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


async def select(tmp_path, people: str = PEOPLE, categories: str = CATEGORIES, *extra: str):
    return await run_panel(
        "select",
        "--people",
        write(tmp_path, "people.csv", people),
        "--categories",
        write(tmp_path, "categories.csv", categories),
        *extra,
    )


async def test_prints_the_selected_ids_and_writes_everyones_probability(tmp_path):
    chances = tmp_path / "chances.csv"
    code, out, err = await select(
        tmp_path,
        PEOPLE,
        CATEGORIES,
        "--number",
        "4",
        "--seed",
        "7",
        "--probabilities",
        str(chances),
    )
    assert code == 0, err
    chosen = out.split()
    pool = [row["id"] for row in csv.DictReader(io.StringIO(PEOPLE))]
    assert len(chosen) == 4 and len(set(chosen)) == 4 and set(chosen) <= set(pool)
    districts = {
        row["id"]: row["District"].casefold() for row in csv.DictReader(io.StringIO(PEOPLE))
    }
    assert {districts[person_id] for person_id in chosen} >= {"swale", "dover", "ashford"}
    rows = list(csv.DictReader(chances.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == pool
    assert sum(float(row["probability"]) for row in rows) == pytest.approx(4, abs=1e-4)

    again = await select(tmp_path, PEOPLE, CATEGORIES, "--number", "4", "--seed", "7")
    assert again[0] == 0 and again[1] == out


async def test_without_a_seed_it_says_which_seed_repeats_the_draw(tmp_path):
    code, out, err = await select(tmp_path, PEOPLE, CATEGORIES, "--number", "3")
    assert code == 0 and len(out.split()) == 3
    seed = err.split("--seed ")[1].split(" ")[0]
    repeated = await select(tmp_path, PEOPLE, CATEGORIES, "--number", "3", "--seed", seed)
    assert repeated[1] == out


async def test_quotas_that_conflict_exit_1_with_nothing_on_stdout_and_the_reason_on_stderr(
    tmp_path,
):
    categories = CATEGORIES.replace("district,Swale,1,2", "district,Swale,2,4").replace(
        "crime type,burglary,1,3", "crime type,burglary,0,1"
    )
    code, out, err = await select(tmp_path, PEOPLE, categories, "--number", "4", "--seed", "1")
    assert (code, out) == (1, "")
    assert "'district Swale: at least 2'" in err
    assert "'crime type burglary: at most 1'" in err
    assert "All 4 with district Swale also have crime type burglary." in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("people", "categories", "number", "message"),
    [
        (PEOPLE.replace("id,", "ref,", 1), CATEGORIES, "3", "no 'id' column"),
        (PEOPLE, CATEGORIES + "age,18-24,0,1\n", "3", "the categories name 'age', not a column"),
        (PEOPLE, CATEGORIES.replace("Dover,1,2", "Dover,3,2"), "3", "min 3 is more than max 2"),
        (
            PEOPLE,
            CATEGORIES.replace("Dover,1,2", "Dover,one,2"),
            "3",
            "min 'one' is not a whole number",
        ),
        (PEOPLE, "feature,value,minimum\n", "3", "no 'min', 'max' column"),
        (PEOPLE, CATEGORIES, "11", "the panel has 11 places but the pool has only 10 people"),
        (PEOPLE + "s1,Kim,Dover,fraud,x\n", CATEGORIES, "3", "the id 's1' is listed twice"),
        (PEOPLE, "", "3", "the file is empty"),
    ],
)
async def test_a_file_or_number_it_cannot_use_gets_one_clear_line(
    tmp_path, people, categories, number, message
):
    code, out, err = await select(tmp_path, people, categories, "--number", number)
    assert (code, out) == (2, "")
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("panel select: ")


async def test_a_missing_file_gets_one_clear_line(tmp_path):
    code, out, err = await run_panel(
        "select",
        "--people",
        str(tmp_path / "nope.csv"),
        "--categories",
        write(tmp_path, "c.csv", CATEGORIES),
        "--number",
        "3",
    )
    assert (code, out) == (2, "")
    assert err.strip() == f"panel select: {tmp_path / 'nope.csv'}: no such file"


def test_the_command_in_process_gives_the_same_answers(tmp_path, capsys):
    """The same runs inside the test's process, so branch coverage sees the command's code."""
    from panel.cli import main

    people = write(tmp_path, "people.csv", PEOPLE)
    categories = write(tmp_path, "categories.csv", CATEGORIES)
    chances = tmp_path / "chances.csv"
    base = ["select", "--people", people, "--categories", categories]
    assert main([*base, "--number", "4", "--seed", "7", "--probabilities", str(chances)]) == 0
    assert len(capsys.readouterr().out.split()) == 4
    assert len(list(csv.DictReader(chances.open(encoding="utf-8")))) == 10

    assert main([*base, "--number", "3"]) == 0
    assert "--seed " in capsys.readouterr().err

    conflicting = write(
        tmp_path,
        "conflict.csv",
        CATEGORIES.replace("Swale,1,2", "Swale,4,4") + "district,Thanet,0,1\n",
    )
    assert main(["select", "--people", people, "--categories", conflicting, "--number", "4"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "no one in the pool has district Thanet" in err and "at least 4" in err

    assert main([*base, "--number", "11"]) == 2
    assert capsys.readouterr().err.startswith("panel select: the panel has 11 places")

    unwritable = tmp_path / "missing-folder" / "chances.csv"
    assert main([*base, "--number", "3", "--seed", "1", "--probabilities", str(unwritable)]) == 2
    assert capsys.readouterr().err.startswith(f"panel select: cannot write {unwritable}")
