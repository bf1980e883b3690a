"""A synthetic panel of any size: invented members shaped like a volunteer panel, written in bulk.

Mostly active, some paused, applying, declined, left or erased; accounts; safe contact per
channel; what brought them to the panel (more burglary, fraud and violence than homicide
bereavement); access needs for a minority; equality answers for those who agreed to give them,
skewed as volunteer panels are (older, more women, more White British and more disabled people
than the population); several years of consent history with renewals, withdrawals and lapses, and
beside it the latest-consent projection the app keeps; invitations and attendance within the
contact limits, with each member's last invited and last attended times; screening decisions and
the audit events of joining. Everything is written in bulk (``executemany`` on SQLite, ``COPY`` on
PostgreSQL). The same seed on the same day gives the same panel: dates are counted back from
midnight UTC of the day it is generated.

The demo (``panel demo load``) adds a few hundred of these members so every page shows real
numbers; ``bench/synthetic.py`` fills a database named for benchmarking with 100,000.

Every member's email address is ``m<number>@<domain>``. Members with a password all share one
real argon2id hash, made once per run (hashing 100,000 passwords would take over an hour and
measure nothing the panel pages do).
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import asyncpg

# Imported for its side effect: the sqlite3 adapter that writes datetimes as the app's rows have them.
import piccolo.engine.sqlite  # noqa: F401
from piccolo.columns import Column
from piccolo.table import Table

from panel.accounts.tables import User
from panel.audit.tables import AuditEvent
from panel.consent.rules import DEFAULT_RENEWAL, Purpose
from panel.consent.tables import ConsentEvent, LatestConsent
from panel.engagements.tables import Attendance, Invitation
from panel.members.reference import load_reference_data
from panel.members.rules import ACCESS_NEEDS, PREFER_NOT, ContactChannel
from panel.members.tables import (
    AccessNeeds,
    ContactPreference,
    EqualityData,
    ExperienceProfile,
    Member,
)
from panel.screening.tables import ScreeningDecision

POSTGRES_PREFIXES = ("postgresql://", "postgres://")

STAFF_COUNT = 4  # staff accounts that record consents and decide applications (cannot sign in)
CHUNK_MEMBERS = 5000  # members generated and written at a time, to keep memory flat
PANEL_YEARS = 5  # how long the panel has been recruiting
MIN_DAYS_BETWEEN_INVITATIONS = 35  # above the 30-day cool-down, so 3 in 90 days is the most
MAX_ATTENDED_A_YEAR = 4

Weights = Sequence[tuple[str, float]]

STATUSES: Weights = (
    ("active", 76),
    ("paused", 6),
    ("applied", 3),
    ("verified", 2),
    ("declined", 1),
    ("left", 4),
    ("erased", 8),
)

# Kent's districts, roughly by population (Medway the largest).
DISTRICTS: Weights = (
    ("medway", 28),
    ("maidstone", 18),
    ("canterbury", 16),
    ("swale", 15),
    ("thanet", 14),
    ("ashford", 13),
    ("tonbridge_malling", 13),
    ("sevenoaks", 12),
    ("dover", 12),
    ("dartford", 12),
    ("tunbridge_wells", 12),
    ("folkestone_hythe", 11),
    ("gravesham", 11),
)

# More burglary, fraud and violence; far fewer bereaved by homicide.
CRIME_TYPES: Weights = (
    ("burglary_home", 15),
    ("fraud_cyber", 15),
    ("violence", 13),
    ("theft", 9),
    ("antisocial_behaviour", 8),
    ("domestic_abuse", 8),
    ("criminal_damage", 6),
    ("vehicle_crime", 6),
    ("stalking_harassment", 6),
    ("sexual_offence", 5),
    ("hate_crime", 4),
    ("robbery", 3),
    ("road_traffic", 3),
    ("other", 3),
    ("bereaved_homicide", 0.5),
)
CRIME_TYPES_CHOSEN: Weights = (("1", 62), ("2", 24), ("3", 8), ("none", 3), (PREFER_NOT, 3))

INVOLVEMENT: Weights = (("victim", 70), ("witness", 12), ("both", 10), (PREFER_NOT, 8))
COURT_CASE: Weights = (("no", 55), ("yes", 12), ("not_sure", 13), (PREFER_NOT, 10), ("", 10))

ACCESS_NEED_WEIGHTS: Weights = (
    ("step_free", 30),
    ("large_print", 20),
    ("carer_childcare", 12),
    ("hearing_loop", 12),
    ("easy_read", 10),
    ("interpreter", 8),
    ("bsl", 4),
    ("other", 4),
)
INTERPRETER_LANGUAGES = ("Polish", "Romanian", "Lithuanian", "Punjabi", "Nepali", "Turkish")
OTHER_NEEDS = ("A quiet room", "Breaks every half hour", "Someone I know with me")

# Equality answers of a volunteer panel: older, more women, more White British and more disabled
# people than the area's population.
EQUALITY_ANSWERS: dict[str, Weights] = {
    "age_band": (
        ("18_24", 5),
        ("25_34", 11),
        ("35_44", 15),
        ("45_54", 19),
        ("55_64", 22),
        ("65_74", 18),
        ("75_over", 8),
        (PREFER_NOT, 2),
    ),
    "sex": (("female", 61), ("male", 37), (PREFER_NOT, 2)),
    "gender_identity": (("yes", 95), ("no", 1.5), (PREFER_NOT, 3.5)),
    "ethnicity": (
        ("white_british", 86),
        ("white_other", 3.5),
        ("white_irish", 0.8),
        ("white_gypsy_traveller", 0.3),
        ("white_roma", 0.1),
        ("asian_indian", 1.8),
        ("asian_pakistani", 0.4),
        ("asian_bangladeshi", 0.3),
        ("asian_chinese", 0.4),
        ("asian_other", 0.6),
        ("black_african", 1.5),
        ("black_caribbean", 0.5),
        ("black_other", 0.2),
        ("mixed_white_black_caribbean", 0.6),
        ("mixed_white_black_african", 0.3),
        ("mixed_white_asian", 0.5),
        ("mixed_other", 0.4),
        ("other_arab", 0.2),
        ("other_any", 0.3),
        (PREFER_NOT, 2.5),
    ),
    "disability": (("yes_a_lot", 12), ("yes_a_little", 18), ("no", 65), (PREFER_NOT, 5)),
    "religion": (
        ("christian", 44),
        ("none", 42),
        ("muslim", 1.5),
        ("hindu", 1),
        ("sikh", 1),
        ("buddhist", 0.5),
        ("jewish", 0.3),
        ("other", 1),
        (PREFER_NOT, 8),
    ),
    "sexual_orientation": (
        ("straight", 86),
        ("gay_lesbian", 3),
        ("bisexual", 2.5),
        ("other", 0.5),
        (PREFER_NOT, 8),
    ),
}
SKIPPED_EQUALITY_QUESTION = 0.03

# The share of members ticking each consent when they join (membership is needed to join).
CONSENT_AT_JOINING = {
    Purpose.MEMBERSHIP: 1.0,
    Purpose.SURVEYS: 0.8,
    Purpose.FOCUS_GROUPS: 0.55,
    Purpose.CASE_REVIEWS: 0.25,
    Purpose.EQUALITY_DATA: 0.65,
    Purpose.ANONYMOUS_QUOTES: 0.45,
}
WITHDRAWN_LATER = 0.08  # of each consent other than membership, at some point
RENEWED_IN_TIME = 0.8  # the rest lapse
JOINED_BY: Weights = (("web", 85), ("phone", 8), ("paper", 5), ("email", 2))
ATTESTATIONS = {
    "phone": "Read the wording to them on the phone and they agreed",
    "paper": "Signed paper form received by post",
    "email": "They replied by email agreeing to the wording",
}

# How often a member is invited, a year: many never are, a few often.
INVITATION_RATES: Weights = (("0", 35), ("1", 30), ("2.5", 25), ("5", 10))
INVITATION_KINDS: Weights = (("focus_group", 50), ("survey", 35), ("independent_review", 15))
ANSWERS_TO_INVITATIONS: Weights = (
    ("accepted", 45),
    ("declined", 40),
    ("invited", 10),
    ("cancelled", 5),
)
ATTENDED_WHEN_ACCEPTED = 0.85

# Invented names from short lists; most give a first name only.
FIRST_NAMES = (
    "Alex", "Alice", "Alison", "Amara", "Amir", "Ann", "Barbara", "Ben", "Bernadette", "Carol",
    "Charlie", "Chris", "Christine", "Dani", "David", "Deborah", "Dev", "Eileen", "Ellie", "Emma",
    "Frances", "Gary", "Gemma", "Graham", "Hannah", "Harjit", "Ian", "Irene", "Jack", "Jan",
    "Janet", "Jo", "John", "Julie", "Karen", "Kate", "Kevin", "Khalid", "Lee", "Linda",
    "Lorraine", "Malik", "Margaret", "Mark", "Mary", "Michelle", "Mo", "Nicola", "Noor", "Pat",
    "Paul", "Pauline", "Priya", "Rachel", "Ray", "Rob", "Ruth", "Sam", "Sandra", "Sarah",
    "Sharon", "Simone", "Stella", "Steve", "Sue", "Tariq", "Terry", "Tina", "Tom", "Tracy",
    "Val", "Wendy", "Yasmin", "Zofia",
)  # fmt: skip
SURNAMES = (
    "Ashdown", "Bramble", "Carver", "Dunmore", "Ellery", "Fairweather", "Greenhill", "Hartley",
    "Ingram", "Kendal", "Lockwood", "Marsh", "Northcote", "Oakes", "Pennington", "Redfern",
    "Stanhope", "Thornbury", "Underwood", "Whitlock",
)  # fmt: skip
WITH_SURNAME = 0.3
STREETS = ("Orchard Way", "Hop Garden Lane", "Station Road", "Chalk Hill", "Marsh View")


def pick(rng: random.Random, weights: Weights) -> str:
    return rng.choices([code for code, _ in weights], [weight for _, weight in weights])[0]


def pick_distinct(rng: random.Random, weights: Weights, count: int) -> list[str]:
    remaining = list(weights)
    chosen = []
    for _ in range(min(count, len(remaining))):
        code = pick(rng, remaining)
        chosen.append(code)
        remaining = [(other, weight) for other, weight in remaining if other != code]
    return chosen


# ---------------------------------------------------------------------------------------------
# The rows of each table, as tuples in the order of their columns


def column_names(columns: Sequence[Column]) -> tuple[str, ...]:
    return tuple(column._meta.db_column_name for column in columns)


USER_COLUMNS = (
    User.id, User.email, User.password_hash, User.role, User.status, User.is_demo,
    User.sign_in_by_link, User.totp_last_step, User.created_at, User.last_sign_in_at,
)  # fmt: skip
MEMBER_COLUMNS = (
    Member.id, Member.user, Member.pseudonym, Member.preferred_name, Member.phone,
    Member.postal_address, Member.district, Member.status, Member.paused_until,
    Member.do_not_contact, Member.do_not_contact_reason, Member.ways_to_take_part, Member.formats,
    Member.last_invited_at, Member.last_attended_at, Member.created_at, Member.verified_at,
    Member.left_at, Member.erased_at,
)  # fmt: skip
CONTACT_COLUMNS = (
    ContactPreference.id, ContactPreference.member, ContactPreference.channel,
    ContactPreference.safe, ContactPreference.safe_times, ContactPreference.voicemail_allowed,
    ContactPreference.code_word,
)  # fmt: skip
EXPERIENCE_COLUMNS = (
    ExperienceProfile.id, ExperienceProfile.member, ExperienceProfile.involvement,
    ExperienceProfile.crime_types, ExperienceProfile.year, ExperienceProfile.court_case,
)  # fmt: skip
ACCESS_COLUMNS = (
    AccessNeeds.id, AccessNeeds.member, AccessNeeds.needs, AccessNeeds.language, AccessNeeds.other,
)  # fmt: skip
EQUALITY_COLUMNS = (
    EqualityData.id, EqualityData.member, EqualityData.age_band, EqualityData.sex,
    EqualityData.gender_identity, EqualityData.ethnicity, EqualityData.disability,
    EqualityData.religion, EqualityData.sexual_orientation, EqualityData.recorded_at,
)  # fmt: skip
CONSENT_COLUMNS = (
    ConsentEvent.id, ConsentEvent.member, ConsentEvent.purpose, ConsentEvent.given,
    ConsentEvent.wording_version, ConsentEvent.notice_version, ConsentEvent.channel,
    ConsentEvent.recorded_by, ConsentEvent.attestation, ConsentEvent.at,
)  # fmt: skip
LATEST_COLUMNS = (
    LatestConsent.id, LatestConsent.member_purpose, LatestConsent.member, LatestConsent.purpose,
    LatestConsent.given, LatestConsent.at, LatestConsent.wording_version,
    LatestConsent.notice_version,
)  # fmt: skip
INVITATION_COLUMNS = (
    Invitation.id, Invitation.member, Invitation.engagement, Invitation.kind,
    Invitation.invited_at, Invitation.status,
)  # fmt: skip
ATTENDANCE_COLUMNS = (
    Attendance.id, Attendance.member, Attendance.invitation, Attendance.attended_at,
)  # fmt: skip
SCREENING_COLUMNS = (
    ScreeningDecision.id, ScreeningDecision.member, ScreeningDecision.decision,
    ScreeningDecision.reason, ScreeningDecision.message, ScreeningDecision.decided_by,
    ScreeningDecision.decided_at,
)  # fmt: skip
AUDIT_COLUMNS = (
    AuditEvent.id, AuditEvent.at, AuditEvent.actor_id, AuditEvent.action, AuditEvent.object_type,
    AuditEvent.object_id, AuditEvent.client_hash, AuditEvent.detail,
)  # fmt: skip

# In the order they are written: a row's foreign keys point at rows already written.
TABLE_COLUMNS: dict[type[Table], tuple[Column, ...]] = {
    User: USER_COLUMNS,
    Member: MEMBER_COLUMNS,
    ContactPreference: CONTACT_COLUMNS,
    ExperienceProfile: EXPERIENCE_COLUMNS,
    AccessNeeds: ACCESS_COLUMNS,
    EqualityData: EQUALITY_COLUMNS,
    ConsentEvent: CONSENT_COLUMNS,
    LatestConsent: LATEST_COLUMNS,
    Invitation: INVITATION_COLUMNS,
    Attendance: ATTENDANCE_COLUMNS,
    ScreeningDecision: SCREENING_COLUMNS,
    AuditEvent: AUDIT_COLUMNS,
}


@dataclass
class Batch:
    """Rows for every table, written together; ``next_id`` hands out each table's primary keys."""

    next_id: dict[type[Table], int]
    rows: dict[type[Table], list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: type[Table], *values: Any) -> int:
        """Append a row whose first value (its id) is filled in here; returns the id."""
        row_id = self.next_id[table]
        self.next_id[table] = row_id + 1
        self.rows.setdefault(table, []).append((row_id, *values))
        return row_id


@dataclass(frozen=True)
class Fixed:
    """What every member's rows refer to: versions, accounts and reasons already in the database."""

    now: datetime
    password_hash: str
    email_domain: str
    wording_versions: dict[str, int]
    notice_version: int
    staff_ids: tuple[int, ...]
    decline_reason_ids: tuple[int, ...]
    district_codes: frozenset[str]
    crime_type_codes: frozenset[str]


class PanelGenerator:
    """Invents members one at a time, from one seeded random generator: the same seed, the same
    members, whatever the chunk size."""

    def __init__(self, seed: int, fixed: Fixed) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - invented members, not secrets
        self.fixed = fixed
        self.pseudonyms: set[str] = set()
        self.tick = 0  # microseconds added to instants that would otherwise tie

    def instant(self, at: datetime) -> datetime:
        self.tick = (self.tick + 1) % 1_000_000
        return min(at.replace(microsecond=self.tick), self.fixed.now)

    def days_ago(self, days: float) -> datetime:
        return self.instant(self.fixed.now - timedelta(days=days))

    def between(self, start: datetime, end: datetime) -> datetime:
        span = max((end - start).total_seconds(), 0.0)
        return self.instant(start + timedelta(seconds=self.rng.uniform(0, span)))

    def member(self, number: int, batch: Batch) -> None:
        rng = self.rng
        status = pick(rng, STATUSES)
        if status == "applied":
            joined = self.days_ago(rng.uniform(0, 14))
        elif status == "verified":
            joined = self.days_ago(rng.uniform(1, 45))
        else:
            # More joined recently than at the start: the panel keeps growing.
            joined = self.days_ago(PANEL_YEARS * 365 * rng.random() ** 1.4 + 20)
        verified_at = None if status == "applied" else self.between(joined, joined + timedelta(2))
        decided_at = (
            self.between(verified_at, verified_at + timedelta(days=14))
            if verified_at is not None and status != "verified"
            else None
        )
        left_at = (
            self.between(decided_at, self.fixed.now)
            if status in ("left", "erased") and decided_at is not None
            else None
        )
        erased = status == "erased"
        ends = left_at or self.fixed.now

        user_id = None
        if not erased:
            by_link = rng.random() < 0.1
            user_id = batch.add(
                User,
                f"m{number}@{self.fixed.email_domain}",
                None if by_link else self.fixed.password_hash,
                "member",
                "unverified" if status == "applied" else "active",
                False,
                by_link,
                0,
                joined,
                self.between(joined, ends) if rng.random() < 0.6 else None,
            )
        district = "" if erased else pick(rng, DISTRICTS)
        name = "" if erased else self.preferred_name()
        has_phone = not erased and rng.random() < 0.7
        has_address = not erased and rng.random() < 0.4
        paused_until = None
        if status == "paused" and rng.random() < 0.6:
            paused_until = self.instant(self.fixed.now + timedelta(days=rng.randint(5, 180)))
        do_not_contact = status == "active" and rng.random() < 0.01
        consents = self.consent_history(joined, left_at, status)
        invited: list[datetime] = []
        attended: list[datetime] = []
        member_id = batch.next_id[Member]
        if status in ("active", "paused", "left", "erased") and decided_at is not None:
            invited, attended = self.invitations(member_id, decided_at, ends, consents, batch)
        batch.add(
            Member,
            user_id,
            self.pseudonym(),
            name,
            f"07700 900{rng.randint(0, 999):03d}" if has_phone else "",
            f"{rng.randint(1, 120)} {rng.choice(STREETS)}" if has_address else "",
            district,
            status,
            paused_until,
            do_not_contact,
            "Asked not to be contacted for now" if do_not_contact else "",
            "[]" if erased else json.dumps(self.ways_to_take_part()),
            "[]" if erased else json.dumps(self.formats()),
            max(invited, default=None),
            max(attended, default=None),
            joined,
            verified_at,
            left_at,
            left_at if erased else None,
        )
        if not erased:
            self.profile(member_id, has_phone, has_address, batch)
            if consents.holds_equality_data:
                self.equality_answers(member_id, joined, batch)
        self.write_consents(member_id, consents, batch)
        self.screening_and_audit(member_id, user_id, status, joined, verified_at, decided_at, batch)
        if erased and left_at is not None:
            batch.add(AuditEvent, left_at, None, "member_erased", "member", str(member_id), "", "")
        if status == "paused" and decided_at is not None:
            paused_at = self.between(decided_at, self.fixed.now)
            batch.add(
                AuditEvent,
                paused_at,
                user_id,
                "membership_paused",
                "member",
                str(member_id),
                "",
                "",
            )

    def preferred_name(self) -> str:
        first = self.rng.choice(FIRST_NAMES)
        return f"{first} {self.rng.choice(SURNAMES)}" if self.rng.random() < WITH_SURNAME else first

    def pseudonym(self) -> str:
        while True:
            candidate = f"{self.rng.getrandbits(64):016x}"
            if candidate not in self.pseudonyms:
                self.pseudonyms.add(candidate)
                return candidate

    def ways_to_take_part(self) -> list[str]:
        ways = [
            way
            for way, share in (("focus_groups", 0.6), ("surveys", 0.85), ("case_reviews", 0.3))
            if self.rng.random() < share
        ]
        return ways or ["surveys"]

    def formats(self) -> list[str]:
        return pick_distinct(
            self.rng, (("online", 60), ("in_person", 40)), 1 if self.rng.random() < 0.6 else 2
        )

    def profile(self, member_id: int, has_phone: bool, has_address: bool, batch: Batch) -> None:
        """Safe contact (a row per channel, as sign-up writes), experience and access needs."""
        rng = self.rng
        code_word = rng.choice(("bluebell", "harbour", "kestrel")) if rng.random() < 0.15 else ""
        for channel in ContactChannel:
            safe = {
                ContactChannel.EMAIL: rng.random() < 0.92,
                ContactChannel.PHONE_CALL: has_phone and rng.random() < 0.65,
                ContactChannel.TEXT_MESSAGE: has_phone and rng.random() < 0.5,
                ContactChannel.POST: has_address and rng.random() < 0.5,
            }[channel]
            times = "[]"
            if safe and channel is not ContactChannel.EMAIL and rng.random() < 0.4:
                times = json.dumps([{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}])
            voicemail = safe and channel is ContactChannel.PHONE_CALL and rng.random() < 0.5
            batch.add(
                ContactPreference, member_id, channel.value, safe, times, voicemail, code_word
            )

        chosen = pick(rng, CRIME_TYPES_CHOSEN)
        if chosen == "none":
            crime_types: list[str] = []
        elif chosen == PREFER_NOT:
            crime_types = [PREFER_NOT]
        else:
            crime_types = pick_distinct(rng, CRIME_TYPES, int(chosen))
        year = (
            PREFER_NOT
            if rng.random() < 0.1
            else str(self.fixed.now.year - min(int(rng.expovariate(0.35)), 15))
        )
        batch.add(
            ExperienceProfile,
            member_id,
            pick(rng, INVOLVEMENT),
            json.dumps(crime_types),
            year,
            pick(rng, COURT_CASE),
        )

        needs: list[str] = []
        if rng.random() < 0.18:
            needs = pick_distinct(rng, ACCESS_NEED_WEIGHTS, 1 if rng.random() < 0.75 else 2)
        batch.add(
            AccessNeeds,
            member_id,
            json.dumps(needs),
            rng.choice(INTERPRETER_LANGUAGES) if "interpreter" in needs else "",
            rng.choice(OTHER_NEEDS) if "other" in needs else "",
        )

    def equality_answers(self, member_id: int, joined: datetime, batch: Batch) -> None:
        answers = [
            "" if self.rng.random() < SKIPPED_EQUALITY_QUESTION else pick(self.rng, weights)
            for weights in EQUALITY_ANSWERS.values()
        ]
        batch.add(EqualityData, member_id, *answers, joined)

    def consent_history(self, joined: datetime, left_at: datetime | None, status: str) -> Consents:
        """Each purpose ticked at joining, then renewed before it lapses (or not), sometimes
        withdrawn; everything still given is withdrawn when the member leaves."""
        rng = self.rng
        channel = pick(rng, JOINED_BY)
        ends = left_at or self.fixed.now
        consents = Consents()
        for purpose, share in CONSENT_AT_JOINING.items():
            if rng.random() >= share:
                continue
            consents.add(purpose, joined, True, channel)
            withdraw_at = None
            if purpose is not Purpose.MEMBERSHIP and rng.random() < WITHDRAWN_LATER:
                withdraw_at = self.between(joined, ends)
            given_at = joined
            while True:
                lapses_at = given_at + DEFAULT_RENEWAL
                if withdraw_at is not None and withdraw_at < lapses_at:
                    consents.add(purpose, withdraw_at, False, "web")
                    break
                if lapses_at > ends or rng.random() >= RENEWED_IN_TIME:
                    break  # still in force, or left to lapse
                given_at = self.instant(lapses_at - timedelta(days=rng.uniform(1, 30)))
                consents.add(purpose, given_at, True, "web")
            if left_at is not None:
                last_at, last_given, _ = consents.events[purpose][-1]
                if last_given and last_at + DEFAULT_RENEWAL > left_at:
                    consents.add(purpose, left_at, False, "web")
        if status in ("left", "erased"):
            consents.equality_answers_deleted = True
        return consents

    def write_consents(self, member_id: int, consents: Consents, batch: Batch) -> None:
        fixed = self.fixed
        for purpose, events in consents.events.items():
            for at, given, channel in events:
                staff = channel != "web"
                batch.add(
                    ConsentEvent,
                    member_id,
                    purpose.value,
                    given,
                    fixed.wording_versions[purpose.value],
                    fixed.notice_version,
                    channel,
                    self.rng.choice(fixed.staff_ids) if staff else None,
                    ATTESTATIONS[channel] if staff else "",
                    at,
                )
            at, given, _ = events[-1]
            batch.add(
                LatestConsent,
                f"{member_id}:{purpose.value}",
                member_id,
                purpose.value,
                given,
                at,
                fixed.wording_versions[purpose.value],
                fixed.notice_version,
            )

    def invitations(
        self,
        member_id: int,
        from_: datetime,
        ends: datetime,
        consents: Consents,
        batch: Batch,
    ) -> tuple[list[datetime], list[datetime]]:
        """Invitations at this member's own rate, never closer than the cool-down, and
        attendance for most accepted sessions, at most 4 in any 12 months."""
        rng = self.rng
        rate = float(pick(rng, INVITATION_RATES))
        if rate == 0 or not consents.ever_given(Purpose.MEMBERSHIP):
            return [], []
        invited: list[datetime] = []
        attended: list[datetime] = []
        at = from_
        while True:
            gap = max(MIN_DAYS_BETWEEN_INVITATIONS, rng.expovariate(rate / 365))
            at = self.instant(at + timedelta(days=gap))
            if at >= ends:
                break
            kind = pick(rng, INVITATION_KINDS)
            recent = self.fixed.now - at < timedelta(days=14)
            status = pick(rng, ANSWERS_TO_INVITATIONS) if not recent else "invited"
            # History from before the panel ran its sessions here names no engagement.
            invitation_id = batch.add(Invitation, member_id, None, kind, at, status)
            invited.append(at)
            if status != "accepted" or kind == "survey" or rng.random() >= ATTENDED_WHEN_ACCEPTED:
                continue
            session = self.instant(at + timedelta(days=rng.uniform(7, 28)))
            year_before = session - timedelta(days=365)
            if session > self.fixed.now or session > ends:
                continue
            if sum(1 for when in attended if when > year_before) >= MAX_ATTENDED_A_YEAR:
                continue
            batch.add(Attendance, member_id, invitation_id, session)
            attended.append(session)
        return invited, attended

    def screening_and_audit(
        self,
        member_id: int,
        user_id: int | None,
        status: str,
        joined: datetime,
        verified_at: datetime | None,
        decided_at: datetime | None,
        batch: Batch,
    ) -> None:
        """The decision on the application and the audit events of joining (not every event the
        app would write: enough that the audit log is not empty, small enough to write fast)."""
        subject = str(member_id)
        batch.add(AuditEvent, joined, user_id, "sign_up_submitted", "member", subject, "", "")
        if verified_at is not None:
            batch.add(
                AuditEvent, verified_at, user_id, "sign_up_verified", "member", subject, "", ""
            )
        if decided_at is None:
            return
        staff = self.rng.choice(self.fixed.staff_ids)
        declined = status == "declined"
        reason = self.rng.choice(self.fixed.decline_reason_ids) if declined else None
        decision = "declined" if declined else "approved"
        batch.add(ScreeningDecision, member_id, decision, reason, "", staff, decided_at)
        action = "application_declined" if declined else "application_approved"
        batch.add(AuditEvent, decided_at, staff, action, "member", subject, "", "")


@dataclass
class Consents:
    """One member's consent history, by purpose, oldest first: (at, given, channel)."""

    events: dict[Purpose, list[tuple[datetime, bool, str]]] = field(default_factory=dict)
    equality_answers_deleted: bool = False

    def add(self, purpose: Purpose, at: datetime, given: bool, channel: str) -> None:
        self.events.setdefault(purpose, []).append((at, given, channel))

    def ever_given(self, purpose: Purpose) -> bool:
        return any(given for _, given, _ in self.events.get(purpose, []))

    @property
    def holds_equality_data(self) -> bool:
        """Answers are kept while the equality consent stands; withdrawing it deletes them."""
        events = self.events.get(Purpose.EQUALITY_DATA, [])
        return bool(events) and events[-1][1] and not self.equality_answers_deleted


# ---------------------------------------------------------------------------------------------
# Writing in bulk, to either engine


class Database:
    """A plain connection to the bench database: bulk writes and a few fixed read queries."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_postgres = url.startswith(POSTGRES_PREFIXES)
        self.sqlite: sqlite3.Connection | None = None
        self.postgres: asyncpg.Connection | None = None

    async def __aenter__(self) -> Database:
        if self.is_postgres:
            self.postgres = await asyncpg.connect(self.url)
        else:
            self.sqlite = sqlite3.connect(self.url.removeprefix("sqlite:///"))
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.postgres is not None:
            await self.postgres.close()
        if self.sqlite is not None:
            self.sqlite.close()

    @property
    def sqlite_connection(self) -> sqlite3.Connection:
        if self.sqlite is None:
            raise RuntimeError("the SQLite connection is not open")
        return self.sqlite

    async def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a fixed query (no parameters: nothing from outside reaches it)."""
        if self.postgres is not None:
            return [tuple(record) for record in await self.postgres.fetch(sql)]
        return self.sqlite_connection.execute(sql).fetchall()

    async def next_ids(self, tables: Sequence[type[Table]]) -> dict[type[Table], int]:
        found = {}
        for table in tables:
            name = table._meta.tablename
            rows = await self.fetch(f'SELECT COALESCE(MAX(id), 0) FROM "{name}"')  # noqa: S608
            found[table] = int(rows[0][0]) + 1
        return found

    async def write(self, batch: Batch) -> None:
        for table, columns in TABLE_COLUMNS.items():
            rows = batch.rows.get(table)
            if not rows:
                continue
            names = column_names(columns)
            if self.postgres is not None:
                await self.postgres.copy_records_to_table(
                    table._meta.tablename, records=rows, columns=names
                )
            else:
                quoted = ", ".join(f'"{name}"' for name in names)
                marks = ", ".join("?" for _ in names)
                # Table and column names come from the Piccolo classes above, never from input.
                sql = f'INSERT INTO "{table._meta.tablename}" ({quoted}) VALUES ({marks})'  # noqa: S608
                self.sqlite_connection.executemany(sql, rows)
        if self.sqlite is not None:
            self.sqlite.commit()

    async def finish(self) -> None:
        """Let later inserts by the app carry on after the ids written here, and give the
        PostgreSQL planner statistics (autovacuum would, a minute later)."""
        if self.postgres is None:
            return
        for table in TABLE_COLUMNS:
            name = table._meta.tablename
            await self.postgres.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "  # noqa: S608
                f'GREATEST((SELECT MAX(id) FROM "{name}"), 1))'
            )
        await self.postgres.execute("ANALYZE")


async def fixed_references(
    database: Database, now: datetime, password_hash: str, email_domain: str
) -> Fixed:
    """Versions, staff and decline reasons: what the migrations wrote, plus the staff accounts."""
    wordings = await database.fetch(
        "SELECT purpose, MAX(version) FROM consent_wording GROUP BY purpose"
    )
    notice = await database.fetch("SELECT MAX(version) FROM privacy_notice")
    reasons = await database.fetch("SELECT id FROM decline_reason WHERE active = true")
    staff = Batch(next_id=await database.next_ids([User]))
    staff_ids = tuple(
        staff.add(
            User,
            f"synthetic-staff-{number}@{email_domain}",
            None,  # no password: these accounts only sign decisions, nobody signs in with them
            "staff",
            "active",
            False,
            False,
            0,
            now - timedelta(days=PANEL_YEARS * 365 + 30),
            None,
        )
        for number in range(1, STAFF_COUNT + 1)
    )
    await database.write(staff)
    reference = load_reference_data()
    return Fixed(
        now=now,
        password_hash=password_hash,
        email_domain=email_domain,
        wording_versions={purpose: int(version) for purpose, version in wordings},
        notice_version=int(notice[0][0] or 0),
        staff_ids=staff_ids,
        decline_reason_ids=tuple(int(row[0]) for row in reasons),
        district_codes=frozenset(choice.code for choice in reference.districts),
        crime_type_codes=frozenset(choice.code for choice in reference.crime_types),
    )


def check_codes(fixed: Fixed) -> None:
    """The invented answers must be codes the app knows, or its pages would show raw codes."""
    unknown = {code for code, _ in DISTRICTS} - fixed.district_codes
    unknown |= {code for code, _ in CRIME_TYPES} - fixed.crime_type_codes
    unknown |= {code for code, _ in ACCESS_NEED_WEIGHTS} - {code for code, _ in ACCESS_NEEDS}
    missing = {purpose.value for purpose in CONSENT_AT_JOINING} - set(fixed.wording_versions)
    if unknown or missing:
        raise SystemExit(f"synthetic: unknown codes {sorted(unknown)} or wordings {missing}")


@dataclass(frozen=True)
class Filled:
    members: int
    rows: dict[str, int]
    seconds: float


async def fill(
    url: str,
    members: int,
    seed: int,
    now: datetime,
    password_hash: str,
    email_domain: str = "example.org",
    progress: bool = True,
) -> Filled:
    """Add ``members`` invented members to a migrated database, in chunks, with the accounts
    that sign in (those that have one) sharing ``password_hash``."""
    started = time.perf_counter()
    counts: dict[str, int] = {}
    async with Database(url) as database:
        fixed = await fixed_references(database, now, password_hash, email_domain)
        check_codes(fixed)
        generator = PanelGenerator(seed, fixed)
        next_id = await database.next_ids(list(TABLE_COLUMNS))
        for first in range(1, members + 1, CHUNK_MEMBERS):
            batch = Batch(next_id=next_id)
            for number in range(first, min(first + CHUNK_MEMBERS, members + 1)):
                generator.member(number, batch)
            await database.write(batch)
            for table, rows in batch.rows.items():
                counts[table._meta.tablename] = counts.get(table._meta.tablename, 0) + len(rows)
            next_id = batch.next_id
            if progress:
                print(f"  {min(first + CHUNK_MEMBERS - 1, members):,} members", flush=True)
        await database.finish()
    return Filled(members, counts, time.perf_counter() - started)
