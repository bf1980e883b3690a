"""How the rows a table holds about a person are erased, declared on the table itself.

Every table says, beside its columns, ``erasure = ...`` with one of the declarations below. When a
member leaves, the erasure (``panel.erasure``) carries out every table's declaration: it deletes
the rows found by a member's or account's key, or empties the named text columns, and calls the
steps an area writes itself for what a declaration cannot say. A test walks every table Piccolo
knows and fails when one has no declaration, or has a key to a member or an account, or a text
column, that its declaration does not cover: a new table cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from piccolo.columns import ForeignKey, Text, Varchar
from piccolo.table import Table


@dataclass(frozen=True)
class Erasure:
    # The column that names the member or the account: the rows erased are those it points at.
    by: str = ""
    delete: bool = False
    # Text columns emptied; the rows are kept (for statistics that name no one).
    blank: tuple[str, ...] = ()
    # An area's own code, "module.function", that erases these rows: the erasure calls it.
    step: str = ""
    # Text columns kept, each with why it says nothing about the person.
    kept: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # For a table that holds nothing about a person, or whose rows are removed some other way.
    why: str = ""
    # A consent purpose whose withdrawal deletes the member's rows at once (``deleted_with``).
    withdrawn: str = ""


def deleted_with(by: str, withdrawn: str = "") -> Erasure:
    """The rows that ``by`` points at are deleted; with ``withdrawn`` (a consent purpose's code),
    also as soon as the member withdraws that consent."""
    return Erasure(by=by, delete=True, withdrawn=withdrawn)


def blanked_with(by: str, *columns: str, kept: Mapping[str, str] | None = None) -> Erasure:
    """The rows that ``by`` points at are kept with ``columns`` emptied; every other text column
    is in ``kept`` with why it names no one."""
    return Erasure(by=by, blank=columns, kept=MappingProxyType(dict(kept or {})))


def erased_by(
    step: str,
    *,
    deletes: bool = False,
    blank: tuple[str, ...] = (),
    kept: Mapping[str, str] | None = None,
) -> Erasure:
    """The area's own ``step`` erases these rows: it deletes them, or empties ``blank`` and keeps
    the rest (each text column in ``kept`` with why). It is one of the steps ``panel.erasure``
    calls."""
    return Erasure(step=step, delete=deletes, blank=blank, kept=MappingProxyType(dict(kept or {})))


def nothing_personal(why: str) -> Erasure:
    """The table holds nothing about a person: ``why`` says what it holds instead."""
    return Erasure(why=why)


def removed_in_time(why: str) -> Erasure:
    """Rows about someone who is not (yet) a member, which no member key finds: ``why`` says what
    removes them, and when (the retention job, an expiry)."""
    return Erasure(why=why)


PERSON_TABLES = frozenset({"member", "panel_user"})


def person_keys(table: type[Table]) -> list[str]:
    """The table's foreign keys to a member or an account."""
    return [
        column._meta.name
        for column in table._meta.foreign_key_columns
        if column._foreign_key_meta.resolved_references._meta.tablename in PERSON_TABLES
    ]


def text_columns(table: type[Table]) -> list[str]:
    return [
        column._meta.name
        for column in table._meta.columns
        if isinstance(column, Varchar | Text) and not isinstance(column, ForeignKey)
    ]


def declaration_problems(table: type[Table], step_names: Collection[str]) -> list[str]:
    """What is wrong with how ``table`` says it is erased; nothing when it is complete.
    ``step_names`` are the steps the erasure calls (``panel.erasure.STEP_NAMES``)."""
    name = table.__name__
    erasure = getattr(table, "erasure", None)
    if not isinstance(erasure, Erasure):
        return [f"{name} does not declare how it is erased"]
    keys, texts = person_keys(table), text_columns(table)
    if erasure.why:
        if keys:
            return [f"{name} has a key to a member or an account: it is erased with them"]
        return []
    problems = []
    if erasure.step and erasure.step not in step_names:
        problems.append(f"{name} names the step {erasure.step}, which the erasure does not call")
    if not erasure.step and erasure.by not in keys:
        problems.append(f"{name} is erased by {erasure.by!r}, not a key to a member or an account")
    if not erasure.delete:
        covered = set(erasure.blank) | set(erasure.kept)
        problems += [
            f"{name}.{column} is a text column neither emptied nor kept with a reason"
            for column in texts
            if column not in covered
        ]
        columns = {column._meta.name for column in table._meta.columns}
        problems += [
            f"{name} names {column}, which is not a column" for column in covered - columns
        ]
    return problems
