"""Engagements (focus groups and independent case reviews) and who runs them; invitations and
attendance, which the contact limits count; and the staff overrides of those limits."""

from piccolo.columns import (
    Boolean,
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

from panel.accounts.tables import User
from panel.members.tables import Member
from panel.personal_data import blanked_with, deleted_with, nothing_personal, removed_in_time

ABOUT_THE_SESSION = "about the session, written by staff for everyone invited; names no member"


class Engagement(Table, tablename="engagement"):
    """A focus group or an independent case review: what it is about, who may be invited, where and
    when it happens, and how far it has got (``rules.EngagementStatus``). Lists of codes are JSON."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal(
        "A session's plan: its words are written by staff about the session, never about a member "
        "(the internal notes' hint says so); who was invited is in Invitation."
    )
    kind = Varchar(length=32)  # rules.EngagementKind
    title = Varchar(length=120)
    topic = Varchar(length=120, default="")
    public_description = Text(default="")  # what invitees read
    internal_notes = Text(default="")  # staff only
    crime_focus = Text(default="[]")  # crime-type codes the session is about
    journey_stages = Text(default="[]")  # rules.JOURNEY_STAGES codes
    eligible_crime_types = Text(default="[]")  # none listed: any
    eligible_districts = Text(default="[]")  # none listed: any
    eligible_involvement = Varchar(length=16, default="any")  # any, victim or witness
    exclude_open_court_cases = Boolean(default=False)
    format = Varchar(length=16)  # rules.EngagementFormat
    venue_name = Varchar(length=120, default="")
    venue_address = Text(default="")
    venue_access = Text(default="")  # step-free access, hearing loop, parking...
    joining_link = Text(default="")  # shown only to confirmed participants
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    capacity = Integer()
    reserves = Integer(default=0)
    support_worker_present = Boolean(default=False)
    quiet_room = Boolean(default=False)
    aftercare = Text(default="")  # who to contact afterwards
    status = Varchar(length=16, default="draft", index=True)
    status_reason = Text(default="")  # why it was cancelled
    created_by = Integer(null=True, default=None)  # the staff account; kept if it goes
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class EngagementFacilitator(Table, tablename="engagement_facilitator"):
    """A facilitator account that runs an engagement: they see it, and only the engagements they run."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("facilitator")
    engagement = ForeignKey(references=Engagement, on_delete=OnDelete.cascade, index=True)
    facilitator = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)


class PartnerReviewer(Table, tablename="partner_reviewer"):
    """Someone from a partner agency who reviews cases at an independent review beside the panel's
    members: added by name and agency, with no panel account and no email from the panel."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = removed_in_time(
        "Names of partner agency staff in their work role, never of a member: staff remove them "
        "on the engagement's page, and they go with the engagement"
    )
    engagement = ForeignKey(references=Engagement, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=100)
    agency = Varchar(length=120)
    added_by = Integer(null=True, default=None)
    added_at = Timestamptz(default=TimestamptzNow())


class Invitation(Table, tablename="invitation"):
    """One member invited to one engagement; a survey's invitation has no engagement, nor has the
    history of invitations an import brings from before the panel ran its sessions here."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = blanked_with(
        "member",
        "session_needs",
        "session_needs_other",
        kept={
            "kind": "one of a fixed list",
            "status": "one of a fixed list",
            "reminders_sent": "numbers of days",
        },
    )
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    engagement = ForeignKey(
        references=Engagement, null=True, default=None, on_delete=OnDelete.restrict, index=True
    )
    kind = Varchar(length=32)  # focus_group, independent_review, survey
    invited_at = Timestamptz(default=TimestamptzNow(), index=True)
    # invited, accepted, waiting (accepted when the places were full), declined, cancelled; then
    # what the register says of those who accepted (``rules.RegisterMark``)
    status = Varchar(length=16, default="invited")
    responded_at = Timestamptz(null=True, default=None)  # when they last answered
    # What they need for this session, told when accepting: ``members.rules.ACCESS_NEEDS`` codes
    # (JSON) and their own words.
    session_needs = Text(default="")
    session_needs_other = Text(default="")
    claims_travel = Boolean(default=False)  # they expect to claim travel costs
    claims_care = Boolean(default=False)  # they expect to claim care costs
    support_arranged = Boolean(default=False)  # staff have arranged what they need
    reminders_sent = Text(default="")  # JSON: the days before the session already reminded


class InvitationLink(Table, tablename="invitation_link"):
    """A personal link in an email about an invitation: whoever holds it can answer that one
    invitation without signing in, until the session ends. Only the token's hash is kept; each
    email about the invitation carries a link of its own."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("member")
    token_hash = Varchar(length=64, unique=True, index=True)
    invitation = ForeignKey(references=Invitation, on_delete=OnDelete.cascade, index=True)
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


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
