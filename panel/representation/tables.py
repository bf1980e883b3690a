"""Representativeness targets set by admins. A dimension with no rows here uses the area's
default targets from its reference data."""

from piccolo.columns import Integer, Numeric, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.personal_data import nothing_personal


class RepresentationTarget(Table, tablename="representation_target"):
    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal("the shares of the panel aimed for, and where they come from")
    dimension = Varchar(
        length=32, index=True
    )  # crime_type, district, age_band, sex, ethnicity, disability
    code = Varchar(length=64)
    share = Numeric(digits=(6, 3))  # percent of the panel, 0 to 100
    source = Text(default="")  # where the figure comes from
    updated_by = Integer(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class PanelSummary(Table, tablename="panel_summary"):
    """The panel's counts for the dashboard, kept so that a view does not count 100,000 members:
    one row, refreshed by the worker every few minutes and when staff ask
    (``representation.services.refresh_summary``)."""

    id: Serial
    erasure = nothing_personal(
        "counts of active members by district, what happened and equality answers: numbers only"
    )
    counted_at = Timestamptz(default=TimestamptzNow())
    counts = Text(default="{}")  # JSON: PanelCounts
