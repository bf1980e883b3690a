"""Erasure is declared by every table, not listed by hand: a walk over every table Piccolo knows
fails when one holds a key to a member or an account, or a text column, that its declaration does
not cover (issue: structure, point 2)."""

from __future__ import annotations

import pytest
from piccolo.columns import ForeignKey, Text, Varchar
from piccolo.conf.apps import Finder
from piccolo.table import Table

from panel.accounts.tables import User
from panel.erasure import STEP_NAMES
from panel.members.tables import Member
from panel.personal_data import (
    blanked_with,
    declaration_problems,
    deleted_with,
    erased_by,
    nothing_personal,
)

TABLES = Finder().get_table_classes()


def test_the_walk_sees_every_table_of_the_app():
    names = {table._meta.tablename for table in TABLES}
    assert {"member", "panel_user", "consent_event", "outbox_message", "audit_event"} <= names
    assert len(names) >= 28


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.__name__)
def test_every_table_declares_how_it_is_erased_and_covers_every_column(table):
    assert declaration_problems(table, STEP_NAMES) == []


class Forgotten(Table, tablename="forgotten_for_the_test"):
    member = ForeignKey(references=Member)
    note = Text()


class ExplainedAway(Table, tablename="explained_away_for_the_test"):
    erasure = nothing_personal("says it holds nothing, but has a member's key")
    member = ForeignKey(references=Member)


class HalfBlanked(Table, tablename="half_blanked_for_the_test"):
    erasure = blanked_with("member", "note", kept={"kind": "one of a fixed list"})
    member = ForeignKey(references=Member)
    note = Text()
    kind = Varchar(length=16)
    remark = Text()  # neither emptied nor kept


class WrongKey(Table, tablename="wrong_key_for_the_test"):
    erasure = deleted_with("owner")
    user = ForeignKey(references=User)


class UnknownStep(Table, tablename="unknown_step_for_the_test"):
    erasure = erased_by("panel.nowhere.forget", deletes=True)
    member = ForeignKey(references=Member)


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (Forgotten, "Forgotten does not declare how it is erased"),
        (
            ExplainedAway,
            "ExplainedAway has a key to a member or an account: it is erased with them",
        ),
        (HalfBlanked, "HalfBlanked.remark is a text column neither emptied nor kept with a reason"),
        (WrongKey, "WrongKey is erased by 'owner', not a key to a member or an account"),
        (
            UnknownStep,
            "UnknownStep names the step panel.nowhere.forget, which the erasure does not call",
        ),
    ],
)
def test_a_table_that_forgets_something_is_caught(table, problem):
    assert declaration_problems(table, STEP_NAMES) == [problem]
