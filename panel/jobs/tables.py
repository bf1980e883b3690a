"""Runs of scheduled jobs. The unique key makes a daily job run once a day across every worker."""

from piccolo.columns import Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.personal_data import nothing_personal


class JobRun(Table, tablename="job_run"):
    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal("when each daily run happened, and how many rows it changed")
    run_key = Varchar(length=100, unique=True)  # e.g. "retention:2026-11-25"
    started_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)
    summary = Text(default="")
