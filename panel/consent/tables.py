"""Consent: the wording of each purpose and the privacy notice, both versioned, and the append-only
history of consent given and withdrawn. Current consent is derived from the history (``rules.py``)."""

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

from panel.members.tables import Member
from panel.personal_data import blanked_with, deleted_with, erased_by, nothing_personal


class ConsentWording(Table, tablename="consent_wording"):
    """What a member is shown for one purpose. A material change asks everyone to confirm again."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal("the wording of each purpose, the same for everyone")
    purpose = Varchar(length=32, index=True)
    version = Integer()
    title = Varchar(length=200)
    text = Text()
    material = Boolean(default=True)
    published_at = Timestamptz(default=TimestamptzNow())


class PrivacyNotice(Table, tablename="privacy_notice"):
    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal("the versions of the privacy notice")
    version = Integer(unique=True)
    text_hash = Varchar(length=64)
    material = Boolean(default=True)
    published_at = Timestamptz(default=TimestamptzNow())


class ConsentEvent(Table, tablename="consent_event"):
    """One consent given or withdrawn. Rows are only ever inserted."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = erased_by(
        "panel.consent.services.withdraw_every_consent",
        blank=("attestation",),
        kept={"purpose": "one of a fixed list", "channel": "one of a fixed list"},
    )
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=32)
    given = Boolean()
    wording_version = Integer()
    notice_version = Integer()
    channel = Varchar(length=16)
    # Set when staff record a consent given by phone, on paper or by email, with what they attest.
    recorded_by = Integer(null=True, default=None)
    attestation = Text(default="")
    at = Timestamptz(default=TimestamptzNow(), index=True)


class ConsentReminder(Table, tablename="consent_reminder"):
    """A renewal reminder sent (30 or 7 days before a consent lapses), so it is sent only once,
    with what the contact gate decided: staff see which members a reminder did not reach."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("member")
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=32)
    given_at = Timestamptz()  # the consent being renewed: the time of the event that gave it
    days_before = Integer()
    sent_at = Timestamptz(default=TimestamptzNow())
    # The gate's decision (``notify.rules.GateOutcome``: send, hold, refuse) and, when it refused,
    # its reason, one of its fixed phrases. Empty for reminders sent before they were kept.
    outcome = Varchar(length=16, default="")
    refused_because = Varchar(length=100, default="")


class LatestConsent(Table, tablename="latest_consent"):
    """The latest event of each member and purpose: a projection of ``ConsentEvent`` kept in the
    same transaction by ``record_consent``, so a large panel can be filtered on consent without
    reading every member's history. The events stay the truth; this can always be rebuilt."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = blanked_with(
        "member",
        kept={
            "member_purpose": "the member's id and a purpose code",
            "purpose": "one of a fixed list",
        },
    )
    member_purpose = Varchar(length=64, unique=True)  # "<member id>:<purpose>"
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=32, index=True)
    given = Boolean()
    at = Timestamptz(index=True)
    wording_version = Integer()
    notice_version = Integer()
