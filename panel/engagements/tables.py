"""Invitations and attendance, what contact limits count, and the staff overrides of those limits.
The engagements themselves come later; ``engagement_id`` will then become a foreign key."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.members.tables import Member
from panel.personal_data import blanked_with


class Invitation(Table, tablename="invitation"):
    """One member invited to one engagement."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = blanked_with(
        "member", kept={"kind": "one of a fixed list", "status": "one of a fixed list"}
    )
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    engagement_id = Integer(null=True, default=None, index=True)
    kind = Varchar(length=32)  # focus_group, independent_review, survey
    invited_at = Timestamptz(default=TimestamptzNow(), index=True)
    status = Varchar(length=16, default="invited")  # invited, accepted, declined, cancelled


class Attendance(Table, tablename="attendance"):
    """A member took part in a session."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = blanked_with("member")
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    invitation = ForeignKey(references=Invitation, null=True, on_delete=OnDelete.set_null)
    attended_at = Timestamptz(default=TimestamptzNow(), index=True)


class ContactOverride(Table, tablename="contact_override"):
    """Staff allowing one more contact to a member despite a contact limit, with their reason.
    It is used up by the next message or invitation it lets through, or it expires."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = blanked_with("member", "reason")
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    reason = Text()  # erased with the member
    granted_by = Integer(null=True, default=None)
    granted_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
