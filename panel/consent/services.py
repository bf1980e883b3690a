"""Recording consent and reading a member's current consents and their history.

Each read is a fixed number of queries, however long the member's history is.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.conf.apps import Finder
from piccolo.querystring import QueryString

from panel import db
from panel.accounts.services import emails_of
from panel.audit.services import Actor, record_event, record_events
from panel.consent.rules import (
    DEFAULT_RENEWAL,
    STATE_LABELS,
    Channel,
    Consent,
    ConsentState,
    CurrentWording,
    Purpose,
    current_consent,
    next_reminder_at,
    purposes_ended_by_withdrawal,
    renewal_reminder_due,
)
from panel.consent.rules import (
    ConsentEvent as Event,
)
from panel.consent.tables import (
    ConsentEvent,
    ConsentReminder,
    LatestConsent,
)
from panel.members.rules import MemberStatus
from panel.members.services import NoSuchMember
from panel.members.tables import Member
from panel.outbox.services import cancel_waiting
from panel.personal_data import Erasure


class ConsentError(Exception):
    """A consent cannot be recorded as asked; the message says why."""


@dataclass(frozen=True)
class Versions:
    """The versions in force: the newest of each purpose's wording and of the notice, and the
    newest *material* ones, which consents given earlier must be confirmed against."""

    wording: dict[Purpose, int]
    material_wording: dict[Purpose, int]
    notice: int
    material_notice: int

    def current_wording(self, purpose: Purpose) -> CurrentWording:
        return CurrentWording(self.material_wording.get(purpose, 0), self.material_notice)


# "Consent held now" (``current_consent`` says GIVEN) written as SQL, over the ``latest_consent``
# row of a member and purpose named ``c``: its latest event gave the consent, it has not lapsed,
# and it was given against the wording and notice in force. The only SQL form of the rule:
# tests run random histories through both and fail when they drift apart.
CONSENT_HELD_SQL = (
    "c.purpose = {} AND c.given = {} AND c.at > {} "
    "AND c.wording_version >= {} AND c.notice_version >= {}"
)


def consent_held_where(
    purpose: Purpose, versions: Versions, now: datetime, renewal: timedelta
) -> QueryString:
    """The condition, on ``latest_consent c``, that the member holds ``purpose`` now."""
    wording = versions.current_wording(purpose)
    return QueryString(
        CONSENT_HELD_SQL,
        purpose.value,
        True,
        now - renewal,
        wording.wording_version,
        wording.notice_version,
    )


async def members_holding(
    purpose: Purpose, member_ids: Collection[int], renewal: timedelta, now: datetime | None = None
) -> set[int]:
    """Which of ``member_ids`` hold ``purpose`` now: one read of ``latest_consent``."""
    if not member_ids:
        return set()
    held = consent_held_where(purpose, await versions_in_force(), now or datetime.now(UTC), renewal)
    rows = await LatestConsent.raw(
        # Placeholders only, one an id: every value is a parameter.
        'SELECT c."member" FROM latest_consent c WHERE c."member" IN ('  # noqa: S608
        + ", ".join(["{}"] * len(member_ids))
        + ") AND {}",
        *member_ids,
        held,
    )
    return {row["member"] for row in rows}


# Every published wording, and the privacy notice's versions (purpose ''), in one read: small
# tables read on many pages, so straight to the driver (db.fetch_small).
WORDINGS_AND_NOTICES_SQL = (
    "SELECT purpose, version, material, title, text FROM consent_wording"
    " UNION ALL SELECT '' AS purpose, version, material, '' AS title, '' AS text"
    " FROM privacy_notice"
)


@dataclass(frozen=True)
class Published:
    """What is published: every version of every purpose's wording, and the versions in force."""

    wordings: dict[tuple[Purpose, int], Wording]
    versions: Versions


# What is published changes only with a release (a migration adds a wording or a notice), and is
# read on most member and sign-up pages, so each process keeps what it read for this long. A page
# read in a transaction (a migration, a test) reads afresh and keeps nothing.
PUBLISHED_KEPT_SECONDS = 60.0
_kept: list[tuple[float, Published]] = []


async def published() -> Published:
    """Every published wording and the versions in force: one query, at most once a minute."""
    outside_transactions = db.engine().current_transaction.get() is None
    now = time.monotonic()
    if outside_transactions and _kept and now - _kept[0][0] < PUBLISHED_KEPT_SECONDS:
        return _kept[0][1]
    found = await read_published()
    if outside_transactions:
        _kept[:] = [(now, found)]
    return found


def forget_published() -> None:
    """Read what is published afresh next time (after adding a wording outside a migration)."""
    _kept.clear()


async def read_published() -> Published:
    rows = await db.fetch_small(WORDINGS_AND_NOTICES_SQL)
    wordings = [row for row in rows if row["purpose"]]
    notices = [row for row in rows if not row["purpose"]]
    wording: dict[Purpose, int] = {}
    material_wording: dict[Purpose, int] = {}
    for row in wordings:
        purpose = Purpose(row["purpose"])
        wording[purpose] = max(wording.get(purpose, 0), row["version"])
        if row["material"]:
            material_wording[purpose] = max(material_wording.get(purpose, 0), row["version"])
    versions = Versions(
        wording=wording,
        material_wording=material_wording,
        notice=max((row["version"] for row in notices), default=0),
        material_notice=max((row["version"] for row in notices if row["material"]), default=0),
    )
    texts = {
        (Purpose(row["purpose"]), row["version"]): Wording(
            Purpose(row["purpose"]), row["version"], row["title"], row["text"]
        )
        for row in wordings
    }
    return Published(texts, versions)


async def versions_in_force() -> Versions:
    return (await published()).versions


async def record_consent(
    member_id: int,
    purpose: Purpose,
    given: bool,
    actor: Actor,
    channel: Channel = Channel.WEB,
    attestation: str = "",
    at: datetime | None = None,
    recorded_by: int | None = None,
) -> None:
    """Add one event to the history, against the wording in force now.

    Staff recording a consent given another way (phone, paper, email) must say what they attest.
    ``at`` dates an event that happened earlier (evidence kept elsewhere until now): the current
    consent is still the newest event by time, so an older one only adds to the history.
    ``recorded_by`` is the staff user who recorded it; by default the actor, for a consent that did
    not come from the member online.
    """
    if recorded_by is None and channel is not Channel.WEB:
        recorded_by = actor.user_id
    if (channel is not Channel.WEB or recorded_by is not None) and not attestation.strip():
        raise ConsentError("Say how the member gave or withdrew this consent")
    if at is not None and at > datetime.now(UTC):
        raise ConsentError("A consent cannot be dated in the future")
    versions = await versions_in_force()
    if purpose not in versions.wording:
        raise ConsentError(f"There is no published wording for {purpose.value}")
    event = ConsentEvent(
        member=member_id,
        purpose=purpose.value,
        given=given,
        wording_version=versions.wording[purpose],
        notice_version=versions.notice,
        channel=channel.value,
        recorded_by=recorded_by,
        attestation=attestation.strip(),
    )
    if at is not None:
        event.at = at.astimezone(UTC)
    async with db.transaction():
        inserted = await ConsentEvent.insert(event).returning(ConsentEvent.at)
        now_latest = await project_latest(member_id, purpose, given, inserted[0]["at"], versions)
        if not given and now_latest:
            # Withdrawal takes effect at once: nothing waiting to be sent for it goes, nor any row
            # kept only while it was given.
            ended = [ended_purpose.value for ended_purpose in purposes_ended_by_withdrawal(purpose)]
            await cancel_waiting(member_id, ended)
            await delete_kept_only_with(member_id, purpose)
        await record_event(
            "consent_given" if given else "consent_withdrawn",
            actor,
            object_type="member",
            object_id=member_id,
            detail={"purpose": purpose.value, "channel": channel.value},
        )


async def delete_kept_only_with(member_id: int, purpose: Purpose) -> None:
    """Every row a table keeps only while the member holds ``purpose`` (its erasure declaration's
    ``withdrawn``, ``panel.personal_data``), deleted: an anonymous quote goes with the consent to
    be quoted. Walks every table Piccolo knows, as the erasure does, so none is left out."""
    for table in Finder().get_table_classes():
        erasure = getattr(table, "erasure", None)
        if isinstance(erasure, Erasure) and erasure.withdrawn == purpose.value:
            await table.delete().where(getattr(table, erasure.by) == member_id)


@dataclass(frozen=True)
class LatestEvent:
    """An event just added to the history, as ``LatestConsent`` keeps it."""

    member_id: int
    purpose: Purpose
    given: bool
    at: datetime


# One row of ``LatestConsent`` per member and purpose, replaced only by an event at least as new:
# an event dated earlier (brought in from elsewhere) must not hide a later one. A tie goes to the
# event recorded last, as in ``rules.current_consent``. The VALUES placeholders are filled in by
# ``project_latest_many``; every value is a parameter.
UPSERT_LATEST_SQL = """
INSERT INTO latest_consent
    (member_purpose, "member", purpose, given, "at", wording_version, notice_version)
VALUES {rows}
ON CONFLICT (member_purpose) DO UPDATE SET
    given = excluded.given,
    "at" = excluded."at",
    wording_version = excluded.wording_version,
    notice_version = excluded.notice_version
WHERE latest_consent."at" <= excluded."at"
RETURNING member_purpose
"""
LATEST_PER_QUERY = 4000  # 7 parameters each: under SQLite's and PostgreSQL's limits


async def project_latest(
    member_id: int, purpose: Purpose, given: bool, at: datetime, versions: Versions
) -> bool:
    """Keep ``LatestConsent`` in step with the event just recorded (same transaction). True when
    the event is now the latest of its purpose; False when a newer one was already recorded."""
    return bool(await project_latest_many([LatestEvent(member_id, purpose, given, at)], versions))


async def project_latest_many(events: Sequence[LatestEvent], versions: Versions) -> set[str]:
    """``project_latest`` for many events: one query per 4,000 member-and-purpose pairs. Returns the
    ``"<member id>:<purpose>"`` keys whose latest event changed."""
    newest: dict[str, LatestEvent] = {}
    for event in events:  # the same pair twice in one statement is an error on PostgreSQL
        key = f"{event.member_id}:{event.purpose.value}"
        if key not in newest or newest[key].at <= event.at:
            newest[key] = event
    changed: set[str] = set()
    pairs = list(newest.items())
    for start in range(0, len(pairs), LATEST_PER_QUERY):
        batch = pairs[start : start + LATEST_PER_QUERY]
        values: list[Any] = []
        for key, event in batch:
            values += [
                key,
                event.member_id,
                event.purpose.value,
                event.given,
                event.at.astimezone(UTC),
                versions.wording[event.purpose],
                versions.notice,
            ]
        rows = ", ".join(["({}, {}, {}, {}, {}, {}, {})"] * len(batch))
        returned = await LatestConsent.raw(UPSERT_LATEST_SQL.replace("{rows}", rows), *values)
        changed.update(row["member_purpose"] for row in returned)
    return changed


@dataclass(frozen=True)
class PastConsent:
    """A consent someone gave before it reached this system, with the evidence staff hold of it."""

    member_id: int
    purpose: Purpose
    at: datetime
    channel: Channel
    attestation: str


async def record_past_consents(consents: Sequence[PastConsent], actor: Actor) -> None:
    """Consents given earlier, recorded by a staff user (``actor``) in bulk, as ``record_consent``
    records one: each an event dated when it was given, against the wording in force now, kept
    in ``LatestConsent`` and audited. All are consents given, so nothing waiting to be sent needs
    cancelling. A few queries for each few thousand consents."""
    if not consents:
        return
    if any(not consent.attestation.strip() for consent in consents):
        raise ConsentError("Say how the member gave this consent")
    if max(consent.at for consent in consents) > datetime.now(UTC):
        raise ConsentError("A consent cannot be dated in the future")
    versions = await versions_in_force()
    unpublished = {consent.purpose for consent in consents} - set(versions.wording)
    if unpublished:
        names = ", ".join(sorted(purpose.value for purpose in unpublished))
        raise ConsentError(f"There is no published wording for {names}")
    async with db.transaction():
        await db.insert_many(
            ConsentEvent,
            [
                {
                    "member": consent.member_id,
                    "purpose": consent.purpose.value,
                    "given": True,
                    "wording_version": versions.wording[consent.purpose],
                    "notice_version": versions.notice,
                    "channel": consent.channel.value,
                    "recorded_by": actor.user_id,
                    "attestation": consent.attestation.strip(),
                    "at": consent.at.astimezone(UTC),
                }
                for consent in consents
            ],
        )
        await project_latest_many(
            [
                LatestEvent(consent.member_id, consent.purpose, True, consent.at)
                for consent in consents
            ],
            versions,
        )
        await record_events(
            "consent_given",
            actor,
            object_type="member",
            objects=[
                (
                    consent.member_id,
                    {"purpose": consent.purpose.value, "channel": consent.channel.value},
                )
                for consent in consents
            ],
        )


# A consent event as ``history_of`` reads it (and the portal's one read of membership and history).
HISTORY_COLUMNS = (
    "id", "member", "purpose", "given", "wording_version", "notice_version", "channel",
    "recorded_by", "attestation", "at",
)  # fmt: skip
HISTORY_SQL = (  # built from the fixed column names above: nothing from outside
    f"SELECT {', '.join(HISTORY_COLUMNS)} FROM consent_event WHERE member = {{}}"  # noqa: S608
    " ORDER BY at DESC, id DESC"
)


async def history_of(member_id: int) -> list[dict[str, Any]]:
    """Every event, newest first. Read on every member page: fixed SQL (``db.fetch_small``)."""
    return await db.fetch_small(HISTORY_SQL, member_id)


def as_event(row: dict[str, Any]) -> Event:
    return Event(
        purpose=Purpose(row["purpose"]),
        given=row["given"],
        at=row["at"],
        wording_version=row["wording_version"],
        notice_version=row["notice_version"],
        channel=Channel(row["channel"]),
        sequence=row["id"],
    )


async def consents_of(
    member_id: int, now: datetime | None = None, renewal: timedelta = DEFAULT_RENEWAL
) -> list[Consent]:
    """The current state of every purpose for one member: two queries, whatever the history."""
    now = now or datetime.now(UTC)
    versions = await versions_in_force()
    return consents_from_history(await history_of(member_id), versions, now, renewal)


def consents_from_history(
    rows: Sequence[dict[str, Any]], versions: Versions, now: datetime, renewal: timedelta
) -> list[Consent]:
    """The current state of every purpose, from a member's history as ``history_of`` reads it."""
    events = [as_event(row) for row in rows]
    return [
        current_consent(purpose, events, versions.current_wording(purpose), now, renewal)
        for purpose in Purpose
    ]


async def withdraw_every_consent(member_id: int, actor: Actor, now: datetime) -> None:
    """Erasure's step for the consent history: every consent still held is withdrawn (so the
    history shows they left), and the words staff wrote when recording a consent are emptied.
    The history itself stays: dates and purpose codes, naming no one."""
    for consent in await consents_of(member_id, now):
        if consent.state in {ConsentState.GIVEN, ConsentState.NEEDS_RECONFIRMATION}:
            await record_consent(member_id, consent.purpose, False, actor)
    await ConsentEvent.update({ConsentEvent.attestation: ""}).where(
        ConsentEvent.member == member_id
    )


# ---------------------------------------------------------------------------------------------
# Staff recording a consent a member gave or withdrew by phone, on paper or by email, and the
# page that shows them a member's consents. Opening that page is a view of personal data.


@dataclass(frozen=True)
class PurposeConsent:
    purpose: Purpose
    title: str
    consent: Consent

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.consent.state]


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    title: str
    given: bool
    channel: Channel
    wording_version: int
    notice_version: int
    recorded_by_staff: bool
    recorded_by_email: str  # empty when the account has gone
    attestation: str


@dataclass(frozen=True)
class MemberConsents:
    member_id: int
    preferred_name: str
    status: str
    consents: list[PurposeConsent]
    history: list[HistoryEntry]


@dataclass(frozen=True)
class Wording:
    """One published version of what a member is shown for a purpose."""

    purpose: Purpose
    version: int
    title: str
    text: str


async def published_wordings() -> dict[tuple[Purpose, int], Wording]:
    """Every published version of every purpose's wording: one query."""
    return (await published()).wordings


def newest_wording(wordings: dict[tuple[Purpose, int], Wording], purpose: Purpose) -> Wording:
    return max(
        (wording for (each, _), wording in wordings.items() if each is purpose),
        key=lambda wording: wording.version,
    )


async def newest_wordings() -> dict[Purpose, Wording]:
    """The newest wording of every purpose published, in the order purposes are listed."""
    return newest_of(await published_wordings())


def newest_of(wordings: dict[tuple[Purpose, int], Wording]) -> dict[Purpose, Wording]:
    found = {purpose for purpose, _ in wordings}
    return {purpose: newest_wording(wordings, purpose) for purpose in Purpose if purpose in found}


async def wording_titles() -> dict[Purpose, str]:
    """Each purpose's title in its newest wording."""
    return {purpose: wording.title for purpose, wording in (await newest_wordings()).items()}


async def consents_with_titles(
    member_id: int, now: datetime | None = None, renewal: timedelta = DEFAULT_RENEWAL
) -> list[PurposeConsent]:
    titles = await wording_titles()
    return [
        PurposeConsent(consent.purpose, titles.get(consent.purpose, consent.purpose.value), consent)
        for consent in await consents_of(member_id, now, renewal)
    ]


async def member_consents(
    member_id: int, now: datetime | None = None, renewal: timedelta = DEFAULT_RENEWAL
) -> MemberConsents:
    """A member's current consents and full history, with who recorded each event: a fixed number
    of queries, whatever the length of the history."""
    now = now or datetime.now(UTC)
    member = await (
        Member.select(Member.preferred_name, Member.status)
        .where(Member.id == member_id, Member.status != MemberStatus.ERASED)
        .first()
    )
    if member is None:
        raise NoSuchMember()
    versions = await versions_in_force()
    titles = await wording_titles()
    rows = await history_of(member_id)
    events = [as_event(row) for row in rows]
    staff_ids = {row["recorded_by"] for row in rows if row["recorded_by"] is not None}
    emails = await emails_of(staff_ids)
    return MemberConsents(
        member_id=member_id,
        preferred_name=member["preferred_name"],
        status=member["status"],
        consents=[
            PurposeConsent(
                purpose,
                titles.get(purpose, purpose.value),
                current_consent(purpose, events, versions.current_wording(purpose), now, renewal),
            )
            for purpose in Purpose
        ],
        history=[
            HistoryEntry(
                at=row["at"],
                title=titles.get(Purpose(row["purpose"]), row["purpose"]),
                given=row["given"],
                channel=Channel(row["channel"]),
                wording_version=row["wording_version"],
                notice_version=row["notice_version"],
                recorded_by_staff=row["recorded_by"] is not None,
                recorded_by_email=emails.get(row["recorded_by"], ""),
                attestation=row["attestation"],
            )
            for row in rows
        ],
    )


async def open_member_consents(
    member_id: int, actor: Actor, now: datetime | None = None, renewal: timedelta = DEFAULT_RENEWAL
) -> MemberConsents:
    """The staff page of a member's consents: reading it is recorded as a view of their data."""
    found = await member_consents(member_id, now, renewal)
    await record_event("member_consents_viewed", actor, object_type="member", object_id=member_id)
    return found


async def record_consent_by_staff(
    member_id: int,
    purpose: Purpose,
    given: bool,
    channel: Channel,
    attestation: str,
    actor: Actor,
) -> None:
    """A consent a member gave or withdrew by phone, on paper or by email, recorded by staff with
    who assisted and how the member agreed."""
    if channel is Channel.WEB:
        raise ConsentError("Staff record consents given by phone, on paper or by email")
    if not await Member.exists().where(
        Member.id == member_id, Member.status != MemberStatus.ERASED
    ):
        raise NoSuchMember()
    await record_consent(member_id, purpose, given, actor, channel, attestation)


# ---------------------------------------------------------------------------------------------
# Renewal reminders (sent 30 and 7 days before a consent lapses by the daily run,
# ``jobs.renewals``): which are due, and recording those sent so each goes once.


@dataclass(frozen=True)
class ReminderDue:
    purpose: Purpose
    title: str
    given_at: datetime  # the giving the reminder is about
    days_before: int
    lapses_at: datetime


async def renewal_reminders_due(now: datetime, renewal: timedelta) -> dict[int, list[ReminderDue]]:
    """For each active member with a reminder due now, every consent it is due for. A fixed
    number of queries, however many members."""
    versions = await versions_in_force()
    rows = await ConsentEvent.select().where(ConsentEvent.member.status == MemberStatus.ACTIVE)
    sent_rows = await ConsentReminder.select(
        ConsentReminder.member,
        ConsentReminder.purpose,
        ConsentReminder.given_at,
        ConsentReminder.days_before,
    )
    titles = await wording_titles()
    events_by_member: dict[int, list[Event]] = defaultdict(list)
    for row in rows:
        events_by_member[row["member"]].append(as_event(row))
    already_sent: dict[tuple[int, str, datetime], list[int]] = defaultdict(list)
    for row in sent_rows:
        already_sent[(row["member"], row["purpose"], row["given_at"])].append(row["days_before"])
    due_by_member: dict[int, list[ReminderDue]] = {}
    for member_id, events in events_by_member.items():
        due = []
        for purpose in Purpose:
            consent = current_consent(
                purpose, events, versions.current_wording(purpose), now, renewal
            )
            if consent.state is not ConsentState.GIVEN or consent.since is None:
                continue
            sent = already_sent[(member_id, purpose.value, consent.since)]
            days = renewal_reminder_due(consent, now, sent)
            if days is not None and consent.lapses_at is not None:
                title = titles.get(purpose, purpose.value)
                due.append(ReminderDue(purpose, title, consent.since, days, consent.lapses_at))
        if due:
            due_by_member[member_id] = due
    return due_by_member


# ---------------------------------------------------------------------------------------------
# Consents due for renewal, for staff to follow up: those that count now and lapse soon, of
# members still on the panel, with the reminders put to the contact gate for each.


@dataclass(frozen=True)
class ReminderSent:
    days_before: int
    at: datetime
    outcome: str  # ``notify.rules.GateOutcome``, or "" for a reminder sent before it was kept
    refused_because: str


@dataclass(frozen=True)
class RenewalDue:
    member_id: int
    preferred_name: str
    status: MemberStatus
    purpose: Purpose
    title: str
    lapses_at: datetime
    reminders: list[ReminderSent]  # oldest first
    next_reminder_at: datetime | None  # None: every reminder has gone


@dataclass(frozen=True)
class RenewalsDue:
    rows: list[RenewalDue]
    total: int
    page: int
    pages: int


RENEWALS_FROM = (
    "FROM latest_consent c JOIN member m ON m.id = c.member "
    "WHERE m.status IN ({}, {}) AND c.at <= {} AND ({})"
)
RENEWALS_COUNT_SQL = "SELECT COUNT(*) AS total " + RENEWALS_FROM
RENEWALS_ROWS_SQL = (
    "SELECT c.member, c.purpose, c.at, m.preferred_name, m.status "
    + RENEWALS_FROM
    + " ORDER BY c.at, m.id, c.purpose LIMIT {} OFFSET {}"
)


async def renewals_due(
    now: datetime,
    renewal: timedelta,
    within: timedelta,
    page: int = 1,
    page_size: int = 50,
) -> RenewalsDue:
    """Consents held now (``rules.current_consent`` says given) that lapse within ``within``, of
    active and paused members, soonest first, a page at a time. A fixed number of queries,
    however many there are."""
    versions = await versions_in_force()
    held = [
        consent_held_where(purpose, versions, now, renewal)
        for purpose in Purpose
        if purpose in versions.wording
    ]
    # With nothing published nothing can be held: a condition that is never true.
    condition = QueryString(" OR ".join("({})" for _ in held) or "1 = 0", *held)
    where = (MemberStatus.ACTIVE.value, MemberStatus.PAUSED.value, now - renewal + within)
    counted = await LatestConsent.raw(RENEWALS_COUNT_SQL, *where, condition)
    total = counted[0]["total"] if counted else 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = await LatestConsent.raw(
        RENEWALS_ROWS_SQL, *where, condition, page_size, (page - 1) * page_size
    )
    sent = await ConsentReminder.select(
        ConsentReminder.member,
        ConsentReminder.purpose,
        ConsentReminder.given_at,
        ConsentReminder.days_before,
        ConsentReminder.sent_at,
        ConsentReminder.outcome,
        ConsentReminder.refused_because,
    ).where(ConsentReminder.member.is_in([row["member"] for row in rows] or [-1]))
    reminders: dict[tuple[int, str, datetime], list[ReminderSent]] = defaultdict(list)
    for row in sorted(sent, key=lambda row: row["sent_at"]):
        reminders[(row["member"], row["purpose"], row["given_at"])].append(
            ReminderSent(row["days_before"], row["sent_at"], row["outcome"], row["refused_because"])
        )
    titles = await wording_titles()
    due = []
    for row in rows:
        purpose = Purpose(row["purpose"])
        lapses_at = row["at"] + renewal
        sent_for = reminders[(row["member"], row["purpose"], row["at"])]
        due.append(
            RenewalDue(
                member_id=row["member"],
                preferred_name=row["preferred_name"],
                status=MemberStatus(row["status"]),
                purpose=purpose,
                title=titles.get(purpose, purpose.value),
                lapses_at=lapses_at,
                reminders=sent_for,
                next_reminder_at=next_reminder_at(
                    lapses_at, [reminder.days_before for reminder in sent_for]
                ),
            )
        )
    return RenewalsDue(due, total, page, pages)


async def record_reminders(
    member_id: int, due: Sequence[ReminderDue], outcome: str, refused_because: str = ""
) -> None:
    """These reminders were put to the contact gate, which decided ``outcome`` (sent, held for a
    safe time, or refused with ``refused_because``): none is put to it twice."""
    await ConsentReminder.insert(
        *(
            ConsentReminder(
                member=member_id,
                purpose=reminder.purpose.value,
                given_at=reminder.given_at,
                days_before=reminder.days_before,
                outcome=outcome,
                refused_because=refused_because,
            )
            for reminder in due
        )
    )
