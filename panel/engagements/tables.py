"""Invitations and attendance: what contact limits count. The engagements themselves come later;
``engagement_id`` will then become a foreign key."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.members.tables import Member


class Invitation(Table, tablename="invitation"):
    """One member invited to one engagement."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    engagement_id = Integer(null=True, default=None, index=True)
    kind = Varchar(length=32)  # focus_group, independent_review, survey
    invited_at = Timestamptz(default=TimestamptzNow(), index=True)
    status = Varchar(length=16, default="invited")  # invited, accepted, declined, cancelled


class Attendance(Table, tablename="attendance"):
    """A member took part in a session."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    invitation = ForeignKey(references=Invitation, null=True, on_delete=OnDelete.set_null)
    attended_at = Timestamptz(default=TimestamptzNow(), index=True)
