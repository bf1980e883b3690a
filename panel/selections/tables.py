"""Stored selections: what each one started from and what it chose, so anyone can re-run it."""

from piccolo.columns import (
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.engagements.tables import Engagement
from panel.members.tables import Member
from panel.personal_data import blanked_with, nothing_personal


class Selection(Table, tablename="selection"):
    """One run of the fair selection for an engagement: the panel size and quotas it was given,
    the algorithm's and the solver's versions, the seed, and the distribution over panels it drew
    from (JSON: the groups of interchangeable members, each panel as counts of them, and each
    panel's weight), so the draw can be repeated and the distribution checked."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal(
        "Numbers and codes: quotas over categories, and panels as counts of groups whose members "
        "are named only by SelectionEntry's ids"
    )
    engagement = ForeignKey(references=Engagement, on_delete=OnDelete.cascade, index=True)
    panel_size = Integer()
    reserves = Integer()
    quotas = Text()  # JSON: [{"feature", "value", "minimum", "maximum"}]
    seed = Varchar(length=40)  # a whole number, written out
    algorithm = Varchar(length=32)
    solver = Varchar(length=64)
    distribution = Text()  # JSON, see the docstring
    created_by = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class SelectionEntry(Table, tablename="selection_entry"):
    """A member of the pool a selection started from: the answers it balanced, their chance of
    selection, and whether they were chosen, made a reserve (in ``reserve_rank`` order) or
    neither."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    # When a member is erased their answers go: the selection then says it cannot be re-run.
    erasure = blanked_with("member", "features", kept={"outcome": "one of a fixed list"})
    selection = ForeignKey(references=Selection, on_delete=OnDelete.cascade, index=True)
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    features = Text()  # JSON: feature → value code ("" when not stated)
    probability = DoublePrecision()
    outcome = Varchar(length=16)  # panel, reserve or pool
    reserve_rank = Integer(null=True, default=None)


class SelectionSwap(Table, tablename="selection_swap"):
    """Staff replaced a chosen member with a reserve, for a reason. The selection as drawn is kept
    as it was (so it can still be run again); the panel as it stands is the drawn one with its
    swaps."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    # The reason is about the member taken off the panel: it goes when they are erased.
    erasure = blanked_with("removed", "reason")
    selection = ForeignKey(references=Selection, on_delete=OnDelete.cascade, index=True)
    removed = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    added = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    reason = Text()
    swapped_by = Integer(null=True, default=None)
    swapped_at = Timestamptz(default=TimestamptzNow())
