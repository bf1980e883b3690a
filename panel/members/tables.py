"""Members of the panel. Personal details live here; a random pseudonym is what outlives erasure."""

from piccolo.columns import Boolean, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.accounts.tables import User
from panel.members.rules import MemberStatus
from panel.personal_data import deleted_with, erased_by


class Member(Table, tablename="member"):
    """A volunteer: applied → verified → active ↔ paused → left → erased, or verified → declined
    (``members.rules.MemberStatus``)."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = erased_by(
        "panel.members.services.erase_member_row",
        blank=(
            "preferred_name",
            "phone",
            "postal_address",
            "district",
            "do_not_contact_reason",
            "ways_to_take_part",
            "formats",
        ),
        kept={
            "pseudonym": "random, for statistics that name no one",
            "status": "one of a fixed list",
            "user": "emptied: the account is deleted",
        },
    )
    # None once the member is erased: the account goes, this row stays as a pseudonym.
    user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null, index=True)
    pseudonym = Varchar(length=32, unique=True)
    preferred_name = Varchar(length=100, default="")
    phone = Varchar(length=40, default="")
    postal_address = Text(default="")
    district = Varchar(length=40, default="")
    status = Varchar(length=16, default=MemberStatus.APPLIED.value, index=True)
    paused_until = Timestamptz(null=True, default=None)
    do_not_contact = Boolean(default=False)
    do_not_contact_reason = Text(default="")
    # JSON lists of codes from ``members.rules``: focus_groups, surveys, case_reviews; online, in_person.
    ways_to_take_part = Text(default="[]")
    formats = Text(default="[]")
    # Kept up to date when an invitation is sent or attendance recorded, so the directory can
    # filter and sort a large panel on them without counting history rows.
    last_invited_at = Timestamptz(null=True, default=None, index=True)
    last_attended_at = Timestamptz(null=True, default=None, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    verified_at = Timestamptz(null=True, default=None)
    left_at = Timestamptz(null=True, default=None)
    erased_at = Timestamptz(null=True, default=None)


class ContactPreference(Table, tablename="contact_preference"):
    """How it is safe to reach a member by one channel. No row for a channel means not safe."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("member")
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    channel = Varchar(length=16)
    safe = Boolean(default=False)
    # JSON list of {"days": [0-6, Monday is 0], "start": "HH:MM", "end": "HH:MM"}; empty: any time.
    safe_times = Text(default="[]")
    voicemail_allowed = Boolean(default=False)
    code_word = Varchar(length=100, default="")


class ExperienceProfile(Table, tablename="experience_profile"):
    """What brought a member to the panel, in their own choice of detail. Every answer may be
    "prefer not to say" (stored as ``prefer_not``) or left blank."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("member")
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, unique=True)
    involvement = Varchar(length=16, default="")  # victim, witness, both, prefer_not
    crime_types = Text(default="[]")  # JSON list of reference-data codes
    year = Varchar(length=16, default="")  # a year such as "2023", or prefer_not
    court_case = Varchar(length=16, default="")  # yes, no, not_sure, prefer_not


class AccessNeeds(Table, tablename="access_needs"):
    """What a member needs to take part. Free text here is erased with the member."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("member")
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, unique=True)
    needs = Text(default="[]")  # JSON list of codes from ``members.rules.ACCESS_NEEDS``
    language = Varchar(length=100, default="")  # when an interpreter is needed
    other = Text(default="")


class EqualityData(Table, tablename="equality_data"):
    """Special category data, kept apart from everything else and only with its own consent.

    Each answer is a code from ``members.rules.EQUALITY_QUESTIONS``, ``prefer_not`` or blank."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    # Withdrawing the equality consent deletes the answers, whoever records the withdrawal.
    erasure = deleted_with("member", withdrawn="equality_data")
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, unique=True)
    age_band = Varchar(length=32, default="")
    sex = Varchar(length=32, default="")
    gender_identity = Varchar(length=32, default="")
    ethnicity = Varchar(length=64, default="")
    disability = Varchar(length=32, default="")
    religion = Varchar(length=32, default="")
    sexual_orientation = Varchar(length=32, default="")
    recorded_at = Timestamptz(default=TimestamptzNow())
