"""The member directory: finding members, exporting the list, one member's record, the status
and do-not-contact changes staff make on it, the answers they change on a member's behalf, the
contact log, and the consents due for renewal.

Filters, counting, sorting and paging run in the database, so a page costs the same few queries
whether the panel has a hundred members or a hundred thousand, and however many rows it shows.
The SQL is written out because the query builder cannot say what some filters need (``LIKE …
ESCAPE``, missing dates sorted the same way on SQLite and PostgreSQL); every value a person sent
goes in as a placeholder.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from piccolo.querystring import QueryString

from panel import db
from panel.accounts.rules import Role
from panel.accounts.tables import User
from panel.audit.services import Actor, record_event
from panel.audit.tables import AuditEvent
from panel.consent.rules import ConsentEvent as Event
from panel.consent.rules import ConsentState, Purpose, current_consent
from panel.consent.services import (
    PurposeConsent,
    Versions,
    consent_held_where,
    consents_with_titles,
    versions_in_force,
    wording_titles,
)
from panel.db import all_of, any_of, contains
from panel.directory.rules import (
    ANY_ACCESS_NEED,
    HISTORY_SHOWN,
    INVOLVEMENT_MATCHES,
    LOG_CHANNELS,
    LOG_REASONS,
    LOG_SHOWN,
    NEVER,
    NO_DATE,
    NOT_GIVEN,
    PAGE_SIZE,
    STATUS_LABELS,
    VIEWERS_SHOWN,
    ChangeTopic,
    DirectoryFilter,
    ExportField,
    SortField,
    StatusChange,
    Told,
    effective_status,
    export_fields_for,
    notice_needed,
    status_change_refusal,
)
from panel.directory.tables import ContactLogEntry
from panel.engagements.tables import Attendance, Invitation
from panel.erasure import leave_and_erase
from panel.members import services as members
from panel.members.forms import (
    Access,
    Details,
    SafeContact,
    access_needs_values,
    details_values,
    safe_contact_values,
)
from panel.members.reference import ReferenceData
from panel.members.rules import PREFER_NOT, PREFER_NOT_LABEL, MemberStatus, label_of
from panel.members.services import (
    MemberProfile,
    NoSuchMember,
    load_profile,
    local_midnight,
    pause,
    resume_memberships,
)
from panel.members.tables import Member
from panel.notify.rules import GateOutcome
from panel.notify.services import send_to_member
from panel.outbox import messages
from panel.outbox.rules import OutboxStatus
from panel.outbox.services import cancel_waiting, messages_to_member
from panel.settings import Settings
from panel.spreadsheets import spreadsheet_safe
from panel.web.templating import local_formats


class StatusChangeRefused(Exception):
    """The change cannot be made from the member's status now; the message says why, for staff."""


def paused_now(now: datetime) -> QueryString:
    """Paused, and the pause has not reached its end date (``rules.effective_status``)."""
    return QueryString(
        "m.status = 'paused' AND (m.paused_until IS NULL OR m.paused_until > {})", now
    )


def status_is(status: MemberStatus, now: datetime) -> QueryString:
    if status is MemberStatus.PAUSED:
        return paused_now(now)
    if status is MemberStatus.ACTIVE:
        return QueryString(
            "m.status = 'active' OR (m.status = 'paused' AND m.paused_until <= {})", now
        )
    return QueryString("m.status = {}", status.value)


def not_since(column: str, choice: str, now: datetime) -> QueryString:
    """Never (the date is missing), or not in the last N days (missing or older)."""
    named = QueryString(column)  # one of ours, never a value someone sent
    if choice == NEVER:
        return QueryString("{} IS NULL", named)
    return QueryString("{} IS NULL OR {} < {}", named, named, now - timedelta(days=int(choice)))


def consent_held(
    purpose: Purpose, versions: Versions, now: datetime, renewal: timedelta
) -> QueryString:
    """The member's latest event for the purpose gave it, it has not lapsed, and it was given
    against the wording and notice in force (``consent.rules.current_consent`` says GIVEN).

    Looked up member by member (an index), where the smaller tables of experience and access
    needs are read once for the whole filter: each the faster on a panel of 100,000."""
    return QueryString(
        "EXISTS (SELECT 1 FROM latest_consent c WHERE c.member = m.id AND {})",
        consent_held_where(purpose, versions, now, renewal),
    )


# Trigrams: the shortest search an index of three-letter pieces can answer.
INDEXED_SEARCH_LENGTH = 3


def search_ids(text: str) -> QueryString:
    """The ids of the members whose name or email contains ``text``, ignoring case, read from an
    index rather than by reading every member (the migration "Indexes for searching and sorting
    the directory"). On SQLite the full-text table ``member_search`` answers: a phrase of three
    letters or more is found through its trigrams, and a shorter one by reading that table, which
    holds nothing but names and emails. On PostgreSQL, ``pg_trgm`` indexes answer ``LIKE``.
    Emails are stored in lower case."""
    pattern = contains(text.lower())
    if db.is_postgres():
        return QueryString(
            "SELECT id FROM member WHERE LOWER(preferred_name) LIKE {} ESCAPE '\\' "
            'UNION SELECT s.id FROM member s JOIN panel_user u ON u.id = s."user" '
            "WHERE u.email LIKE {} ESCAPE '\\'",
            pattern,
            pattern,
        )
    if len(text) >= INDEXED_SEARCH_LENGTH:
        phrase = '"{}"'.format(text.replace('"', '""'))
        return QueryString("SELECT rowid FROM member_search WHERE member_search MATCH {}", phrase)
    return QueryString(
        "SELECT rowid FROM member_search "
        "WHERE name LIKE {} ESCAPE '\\' OR email LIKE {} ESCAPE '\\'",
        pattern,
        pattern,
    )


AnswerTable = Literal["experience_profile", "access_needs"]


def answers_lookup(*, searching: bool) -> Callable[[AnswerTable, QueryString], QueryString]:
    """A test on a member's answers in ``table`` (``experience_profile`` or ``access_needs``,
    named ``x``), written for the plan that suits the filter. With a search, which leaves a few
    members, each one's row is looked up by the member's key (an index). Without one, the whole
    table of answers is read once: cheaper than looking up most of 100,000 members one by one.
    ``table`` is one of ours, never a value someone sent."""

    def answered(table: AnswerTable, test: QueryString) -> QueryString:
        named = QueryString(table)
        if searching:
            return QueryString(
                "EXISTS (SELECT 1 FROM {} x WHERE x.member = m.id AND ({}))", named, test
            )
        return QueryString("m.id IN (SELECT x.member FROM {} x WHERE {})", named, test)

    return answered


async def compact_search_index() -> None:
    """Rewrite SQLite's search table without what was deleted from it. A name or an email taken
    out of the full-text table is only marked as gone until its pieces are merged away; the daily
    run merges them, so an erased member's name does not linger there. (PostgreSQL's trigram
    indexes are on the member's own columns, which erasure empties.)"""
    if not db.is_postgres():
        await db.engine().run_ddl("INSERT INTO member_search (member_search) VALUES ('optimize')")


def filter_conditions(
    wanted: DirectoryFilter, now: datetime, versions: Versions | None, renewal: timedelta
) -> QueryString:
    # In the order SQLite tests them: the member's own columns first, then what other tables
    # hold, then the text search, so the costlier tests see only the rows still in the running.
    conditions = [QueryString("m.status <> 'erased'")]
    if wanted.district:
        conditions.append(QueryString("m.district = {}", wanted.district))
    if wanted.statuses:
        conditions.append(any_of([status_is(status, now) for status in wanted.statuses]))
    if wanted.paused == "yes":
        conditions.append(paused_now(now))
    elif wanted.paused == "no":
        conditions.append(QueryString("NOT ({})", paused_now(now)))
    if wanted.invited:
        conditions.append(not_since("m.last_invited_at", wanted.invited, now))
    if wanted.took_part:
        conditions.append(not_since("m.last_attended_at", wanted.took_part, now))
    if wanted.consent is not None and versions is not None:
        conditions.append(consent_held(wanted.consent, versions, now, renewal))
    answers = answers_lookup(searching=bool(wanted.q))
    if wanted.crime_type:
        conditions.append(
            answers(
                "experience_profile",
                QueryString(
                    "x.crime_types LIKE {} ESCAPE '\\'", contains(json.dumps(wanted.crime_type))
                ),
            )
        )
    if wanted.involvement:
        matches = [
            QueryString("x.involvement = {}", code)
            for code in INVOLVEMENT_MATCHES[wanted.involvement]
        ]
        conditions.append(answers("experience_profile", any_of(matches)))
    if wanted.access_need == ANY_ACCESS_NEED:
        conditions.append(answers("access_needs", QueryString("x.needs NOT IN ('', '[]')")))
    elif wanted.access_need:
        conditions.append(
            answers(
                "access_needs",
                QueryString(
                    "x.needs LIKE {} ESCAPE '\\'", contains(json.dumps(wanted.access_need))
                ),
            )
        )
    if wanted.q:
        conditions.append(QueryString("m.id IN ({})", search_ids(wanted.q)))
    return all_of(conditions)


# Missing dates sort as the longest ago ("never" first when ascending) on both engines, which
# otherwise put NULL at opposite ends. The id breaks ties so paging is stable.
ORDER_BY = {
    (SortField.NAME, False): "LOWER(m.preferred_name) ASC, m.id ASC",
    (SortField.NAME, True): "LOWER(m.preferred_name) DESC, m.id DESC",
    (SortField.JOINED, False): "m.created_at ASC, m.id ASC",
    (SortField.JOINED, True): "m.created_at DESC, m.id DESC",
    (SortField.LAST_INVITED, False): (
        "(m.last_invited_at IS NOT NULL) ASC, m.last_invited_at ASC, m.id ASC"
    ),
    (SortField.LAST_INVITED, True): (
        "(m.last_invited_at IS NOT NULL) DESC, m.last_invited_at DESC, m.id DESC"
    ),
    (SortField.LAST_TOOK_PART, False): (
        "(m.last_attended_at IS NOT NULL) ASC, m.last_attended_at ASC, m.id ASC"
    ),
    (SortField.LAST_TOOK_PART, True): (
        "(m.last_attended_at IS NOT NULL) DESC, m.last_attended_at DESC, m.id DESC"
    ),
}

ROWS_SQL = (
    "SELECT m.id, m.pseudonym, m.preferred_name, m.phone, m.district, m.status, m.paused_until, "
    "m.created_at, m.last_invited_at, m.last_attended_at, u.email "
    'FROM member m LEFT JOIN panel_user u ON u.id = m."user" WHERE {} ORDER BY {}'
)
# Without a search, a page and how many the filter finds in one query: the count joined to the
# page, each planned on its own (a window function, COUNT(*) OVER (), would read and sort every member found to
# give a page of 50 that an index gives in order). The join gives no order, so the page's rows
# are sorted again outside, as ``found``. With no member on the page (past the last) the one row
# has the count alone. A page's emails are read afterwards for its rows alone: joining every
# member found to their account before sorting costs more than the rest of the page.
PAGE_SQL = (
    "SELECT t.total, found.* FROM (SELECT COUNT(*) AS total FROM member m WHERE {}) t LEFT JOIN ("
    "SELECT m.id, m.preferred_name, m.district, m.status, m.paused_until, m.created_at, "
    'm.last_invited_at, m.last_attended_at, m."user" AS user_id '
    "FROM member m WHERE {} ORDER BY {} LIMIT {} OFFSET {}) found ON 1 = 1 ORDER BY {}"
)


# With a search the members found are few (a few thousand at most among 100,000): finding them
# costs more than counting or sorting them, so they are found once and the count rides on each
# row of the page.
SEARCH_PAGE_SQL = (
    "SELECT m.id, m.preferred_name, m.district, m.status, m.paused_until, m.created_at, "
    'm.last_invited_at, m.last_attended_at, m."user" AS user_id, COUNT(*) OVER () AS total '
    "FROM member m WHERE {} ORDER BY {} LIMIT {} OFFSET {}"
)


def page_query(
    where: QueryString, wanted: DirectoryFilter, page: int, page_size: int = PAGE_SIZE
) -> QueryString:
    """One page of the members ``where`` finds, in the order asked for, with how many it finds.
    A page past the last has no rows, and with a search then no count either."""
    order = ORDER_BY[(wanted.sort.field, wanted.sort.descending)]
    offset = (page - 1) * page_size
    if wanted.q:
        return QueryString(SEARCH_PAGE_SQL, where, QueryString(order), page_size, offset)
    return QueryString(
        PAGE_SQL,
        where,
        where,
        QueryString(order),
        page_size,
        offset,
        QueryString(order.replace("m.", "found.")),
    )


COUNT_SQL = "SELECT COUNT(*) AS total FROM member m WHERE {}"


def export_rows_query(where: QueryString, wanted: DirectoryFilter) -> QueryString:
    """Every member ``where`` finds, with their email, in the order asked for: the export."""
    return QueryString(
        ROWS_SQL, where, QueryString(ORDER_BY[(wanted.sort.field, wanted.sort.descending)])
    )


async def fetch(querystring: QueryString) -> list[dict[str, Any]]:
    return await Member.raw("{}", querystring)


@dataclass(frozen=True)
class DirectoryRow:
    member_id: int
    preferred_name: str
    email: str
    district: str  # the label
    status: MemberStatus  # as it is now
    joined: datetime
    last_invited: datetime | None
    last_took_part: datetime | None


@dataclass(frozen=True)
class DirectoryPage:
    rows: list[DirectoryRow]
    total: int
    page: int
    pages: int


def district_label(reference: ReferenceData, code: str) -> str:
    if code == PREFER_NOT:
        return PREFER_NOT_LABEL
    return reference.district_label(code) or code


async def conditions_for(
    wanted: DirectoryFilter, now: datetime, renewal: timedelta
) -> tuple[QueryString, Versions | None]:
    # The versions in force are read only when consent matters: two small queries.
    versions = await versions_in_force() if wanted.consent is not None else None
    return filter_conditions(wanted, now, versions, renewal), versions


async def find_members(
    wanted: DirectoryFilter,
    reference: ReferenceData,
    renewal: timedelta,
    now: datetime | None = None,
    page_size: int = PAGE_SIZE,
) -> DirectoryPage:
    """One page of the members the filter finds, and how many it finds: two queries (four with a
    consent filter), whatever the size of the panel or the page; one more for a page past the
    last."""
    now = now or datetime.now(UTC)
    where, _ = await conditions_for(wanted, now, renewal)
    page = max(1, wanted.page)
    rows = await fetch(page_query(where, wanted, page, page_size))
    if rows:
        total = int(rows[0]["total"])
    elif page == 1:
        total = 0
    else:  # an old link, after members left: the last page instead
        total = int((await fetch(QueryString(COUNT_SQL, where)))[0]["total"])
    pages = max(1, -(-total // page_size))
    if page > pages:
        page = pages
        rows = await fetch(page_query(where, wanted, page, page_size))
    rows = [row for row in rows if row["id"] is not None]
    user_ids = [row["user_id"] for row in rows if row["user_id"] is not None]
    emails = {}
    if user_ids:
        found = await User.select(User.id, User.email).where(User.id.is_in(user_ids))
        emails = {row["id"]: row["email"] for row in found}
    return DirectoryPage(
        rows=[
            DirectoryRow(
                member_id=row["id"],
                preferred_name=row["preferred_name"],
                email=emails.get(row["user_id"], ""),
                district=district_label(reference, row["district"]),
                status=effective_status(row["status"], row["paused_until"], now),
                joined=row["created_at"],
                last_invited=row["last_invited_at"],
                last_took_part=row["last_attended_at"],
            )
            for row in rows
        ],
        total=total,
        page=page,
        pages=pages,
    )


# ---------------------------------------------------------------------------------------------
# Exporting the list

HELD_SQL = (
    "SELECT c.member, c.purpose, c.given, c.at, c.wording_version, c.notice_version "
    "FROM latest_consent c WHERE c.given = {} AND c.at > {} "
    "AND c.member IN (SELECT m.id FROM member m WHERE {})"
)
ROWS_PER_CHUNK = 500


@dataclass(frozen=True)
class MemberExport:
    count: int
    chunks: AsyncIterator[str]


def held_purposes(
    rows: Iterable[dict[str, Any]], versions: Versions, now: datetime, renewal: timedelta
) -> dict[int, list[str]]:
    """Each member's consents held now, from their latest event of each purpose."""
    held: dict[int, list[str]] = {}
    for row in rows:
        purpose = Purpose(row["purpose"])
        latest = Event(
            purpose=purpose,
            given=row["given"],
            at=row["at"],
            wording_version=row["wording_version"],
            notice_version=row["notice_version"],
        )
        consent = current_consent(
            purpose, [latest], versions.current_wording(purpose), now, renewal
        )
        if consent.state is ConsentState.GIVEN:
            held.setdefault(row["member"], []).append(purpose.value)
    order = {purpose.value: number for number, purpose in enumerate(Purpose)}
    return {member: sorted(codes, key=order.__getitem__) for member, codes in held.items()}


async def csv_chunks(
    fields: tuple[ExportField, ...], records: list[dict[str, str]]
) -> AsyncIterator[str]:
    """The file a few hundred rows at a time, each cell safe to open in a spreadsheet. Starts with
    a byte order mark so spreadsheet programs read names with accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([field.heading for field in fields])
    for start in range(0, len(records), ROWS_PER_CHUNK):
        for record in records[start : start + ROWS_PER_CHUNK]:
            writer.writerow([spreadsheet_safe(record[field.key]) for field in fields])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


async def export_members(
    wanted: DirectoryFilter,
    role: Role,
    reference: ReferenceData,
    settings: Settings,
    actor: Actor,
    now: datetime | None = None,
) -> MemberExport:
    """Every member the filter finds (all pages), with only the fields the role may export.
    A fixed number of queries whatever the number of rows; the export is audited with the
    filter (a search only as a search, not its words) and the row count before any of it is
    sent."""
    now = now or datetime.now(UTC)
    renewal = settings.consent_renewal
    where, versions = await conditions_for(wanted, now, renewal)
    versions = versions or await versions_in_force()
    rows = await fetch(export_rows_query(where, wanted))
    held_rows = await fetch(QueryString(HELD_SQL, True, now - renewal, where))
    held = held_purposes(held_rows, versions, now, renewal)
    titles = {purpose.value: title for purpose, title in (await wording_titles()).items()}
    # In the words and dates the list shows: labels, not codes; "Never" for no date.
    day = local_formats(settings.time_zone)["short_date"]
    records = [
        {
            "pseudonym": row["pseudonym"],
            "preferred_name": row["preferred_name"],
            "email": row["email"] or "",
            "phone": row["phone"],
            "district": district_label(reference, row["district"])
            if row["district"]
            else NOT_GIVEN,
            "status": STATUS_LABELS[effective_status(row["status"], row["paused_until"], now)],
            "joined": day(row["created_at"]),
            "last_invited": day(row["last_invited_at"]) or NO_DATE,
            "last_took_part": day(row["last_attended_at"]) or NO_DATE,
            "consents_held": "; ".join(titles.get(code, code) for code in held.get(row["id"], [])),
        }
        for row in rows
    ]
    await record_event(
        "member_list_exported",
        actor,
        object_type="member_list",
        detail={"filter": wanted.as_audit(), "rows": len(records)},
    )
    return MemberExport(len(records), csv_chunks(export_fields_for(role), records))


# ---------------------------------------------------------------------------------------------
# One member's record

INVITATION_KINDS = {
    "focus_group": "Focus group",
    "independent_review": "Independent case review",
    "survey": "Survey",
}
INVITATION_STATUSES = {
    "invited": "No answer yet",
    "accepted": "Accepted",
    "declined": "Declined",
    "cancelled": "Cancelled",
}


@dataclass(frozen=True)
class Invited:
    at: datetime
    kind: str
    status: str


@dataclass(frozen=True)
class TookPart:
    at: datetime
    kind: str  # what they were invited to, when the attendance came from an invitation


@dataclass(frozen=True)
class Viewing:
    at: datetime
    email: str  # empty when the account has gone


@dataclass(frozen=True)
class LoggedContact:
    at: datetime
    channel: str  # as staff read it
    reason: str
    note: str
    recorded_by: str  # the staff account's email; empty when the account has gone


CONTACT_LOG_SQL = (
    "SELECT e.at, e.channel, e.reason, e.note, u.email FROM contact_log_entry e "
    "LEFT JOIN panel_user u ON u.id = e.recorded_by WHERE e.member = {} "
    "ORDER BY e.at DESC, e.id DESC LIMIT {}"
)


async def contact_log_of(member_id: int, limit: int) -> list[LoggedContact]:
    """The newest ``limit`` entries of their contact log, with who wrote each: one query."""
    rows = await ContactLogEntry.raw(CONTACT_LOG_SQL, member_id, limit)
    return [
        LoggedContact(
            at=row["at"],
            channel=label_of(LOG_CHANNELS, row["channel"]),
            reason=label_of(LOG_REASONS, row["reason"]),
            note=row["note"],
            recorded_by=row["email"] or "",
        )
        for row in rows
    ]


@dataclass(frozen=True)
class MemberRecord:
    """A member as staff see them. ``profile`` is what they told us (not their equality answers:
    those are special category data, for reports only) with their consents and safe contact."""

    profile: MemberProfile
    consents: list[PurposeConsent]
    pseudonym: str
    status: MemberStatus  # as it is now
    paused_until: datetime | None
    do_not_contact: bool
    do_not_contact_reason: str  # why the mark was last set or cleared
    last_invited: datetime | None
    last_took_part: datetime | None
    invitations: list[Invited]  # newest first, at most HISTORY_SHOWN
    more_invitations: bool
    attendance: list[TookPart]  # newest first, at most HISTORY_SHOWN
    more_attendance: bool
    viewers: list[Viewing]  # newest first, at most VIEWERS_SHOWN
    more_viewers: bool
    contact_log: list[LoggedContact]  # newest first, at most LOG_SHOWN
    more_contact_log: bool

    @property
    def member_id(self) -> int:
        return self.profile.member_id

    @property
    def status_changes(self) -> frozenset[StatusChange]:
        return frozenset(
            change for change in StatusChange if status_change_refusal(self.status, change) is None
        )


async def record_viewers(member_id: int) -> list[Viewing]:
    rows = await (
        AuditEvent.select(AuditEvent.at, AuditEvent.actor_id)
        .where(
            AuditEvent.action == "member_record_viewed",
            AuditEvent.object_type == "member",
            AuditEvent.object_id == str(member_id),
        )
        .order_by(AuditEvent.id, ascending=False)
        .limit(VIEWERS_SHOWN + 1)
    )
    staff_ids = {row["actor_id"] for row in rows if row["actor_id"] is not None}
    emails = {}
    if staff_ids:
        found = await User.select(User.id, User.email).where(User.id.is_in(list(staff_ids)))
        emails = {row["id"]: row["email"] for row in found}
    return [Viewing(row["at"], emails.get(row["actor_id"], "")) for row in rows]


async def load_member_record(
    member_id: int, reference: ReferenceData, settings: Settings, now: datetime | None = None
) -> MemberRecord:
    """A fixed number of queries, however long the member's history. Raises ``NoSuchMember``
    for an erased member: only a pseudonym is left of them."""
    now = now or datetime.now(UTC)
    member = await (
        Member.select(
            Member.pseudonym,
            Member.status,
            Member.paused_until,
            Member.do_not_contact,
            Member.do_not_contact_reason,
            Member.last_invited_at,
            Member.last_attended_at,
        )
        .where(Member.id == member_id, Member.status != MemberStatus.ERASED.value)
        .first()
    )
    if member is None:
        raise NoSuchMember()
    profile = await load_profile(member_id, reference)
    invitations = await (
        Invitation.select(Invitation.invited_at, Invitation.kind, Invitation.status)
        .where(Invitation.member == member_id)
        .order_by(Invitation.invited_at, ascending=False)
        .order_by(Invitation.id, ascending=False)
        .limit(HISTORY_SHOWN + 1)
    )
    attendance = await (
        Attendance.select(Attendance.attended_at, Attendance.invitation.kind.as_alias("kind"))
        .where(Attendance.member == member_id)
        .order_by(Attendance.attended_at, ascending=False)
        .order_by(Attendance.id, ascending=False)
        .limit(HISTORY_SHOWN + 1)
    )
    viewers = await record_viewers(member_id)
    contact_log = await contact_log_of(member_id, LOG_SHOWN + 1)
    status = effective_status(member["status"], member["paused_until"], now)
    return MemberRecord(
        profile=profile,
        consents=await consents_with_titles(member_id, renewal=settings.consent_renewal),
        pseudonym=member["pseudonym"],
        status=status,
        paused_until=member["paused_until"] if status is MemberStatus.PAUSED else None,
        do_not_contact=member["do_not_contact"],
        do_not_contact_reason=member["do_not_contact_reason"],
        last_invited=member["last_invited_at"],
        last_took_part=member["last_attended_at"],
        invitations=[
            Invited(
                row["invited_at"],
                INVITATION_KINDS.get(row["kind"], row["kind"]),
                INVITATION_STATUSES.get(row["status"], row["status"]),
            )
            for row in invitations[:HISTORY_SHOWN]
        ],
        more_invitations=len(invitations) > HISTORY_SHOWN,
        attendance=[
            TookPart(row["attended_at"], INVITATION_KINDS.get(row["kind"] or "", ""))
            for row in attendance[:HISTORY_SHOWN]
        ],
        more_attendance=len(attendance) > HISTORY_SHOWN,
        viewers=viewers[:VIEWERS_SHOWN],
        more_viewers=len(viewers) > VIEWERS_SHOWN,
        contact_log=contact_log[:LOG_SHOWN],
        more_contact_log=len(contact_log) > LOG_SHOWN,
    )


async def open_member_record(
    member_id: int,
    reference: ReferenceData,
    settings: Settings,
    actor: Actor,
    now: datetime | None = None,
) -> MemberRecord:
    """Staff open a member's record: a view of personal data, so it is audited (and this view is
    the first of those the record lists)."""
    if not await Member.exists().where(
        Member.id == member_id, Member.status != MemberStatus.ERASED.value
    ):
        raise NoSuchMember()
    await record_event("member_record_viewed", actor, object_type="member", object_id=member_id)
    return await load_member_record(member_id, reference, settings, now)


# ---------------------------------------------------------------------------------------------
# Changes staff make on the record


async def current_status(member_id: int, now: datetime) -> tuple[str, MemberStatus]:
    """The status as stored and as it is now. Raises ``NoSuchMember`` for an erased member."""
    row = await (
        Member.select(Member.status, Member.paused_until)
        .where(Member.id == member_id, Member.status != MemberStatus.ERASED.value)
        .first()
    )
    if row is None:
        raise NoSuchMember()
    return row["status"], effective_status(row["status"], row["paused_until"], now)


async def pause_member(
    member_id: int,
    ends_on: date | None,
    settings: Settings,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Pause (or change when a pause ends): until the start of ``ends_on`` in the panel's time
    zone, or until further notice. Raises ``StatusChangeRefused`` for an applicant."""
    now = now or datetime.now(UTC)
    stored, status = await current_status(member_id, now)
    if refusal := status_change_refusal(status, StatusChange.PAUSE):
        raise StatusChangeRefused(refusal)
    until = local_midnight(ends_on, settings) if ends_on else None
    # Only from the status just read: a colleague's change in between refuses this one.
    if not await pause(member_id, until, actor, from_status=stored):
        raise StatusChangeRefused("Their status changed while you were looking. Check it again.")


async def resume_member(member_id: int, actor: Actor, now: datetime | None = None) -> None:
    _, status = await current_status(member_id, now or datetime.now(UTC))
    if refusal := status_change_refusal(status, StatusChange.RESUME):
        raise StatusChangeRefused(refusal)
    await resume_memberships([member_id], actor)


async def check_can_leave(member_id: int) -> None:
    """Raises ``StatusChangeRefused`` when they cannot leave (they have left already)."""
    _, status = await current_status(member_id, datetime.now(UTC))
    if refusal := status_change_refusal(status, StatusChange.LEAVE):
        raise StatusChangeRefused(refusal)


async def leave_for_member(member_id: int, settings: Settings, actor: Actor) -> None:
    """They leave the panel: every consent withdrawn and their details erased, as when they leave
    themselves (``panel.erasure.leave_and_erase``)."""
    await check_can_leave(member_id)
    await leave_and_erase(member_id, settings, actor)


async def mark_do_not_contact(member_id: int, marked: bool, reason: str, actor: Actor) -> None:
    """Mark them do not contact, or clear the mark, with why. The reason is kept on the member
    (and erased with them), not in the audit log, since it may say something about them."""
    async with db.transaction():
        changed = (
            await Member.update(
                {Member.do_not_contact: marked, Member.do_not_contact_reason: reason}
            )
            .where(
                Member.id == member_id,
                Member.status != MemberStatus.ERASED.value,
                Member.do_not_contact.eq(not marked),
            )
            .returning(Member.id)
        )
        if not changed:
            if not await Member.exists().where(
                Member.id == member_id, Member.status != MemberStatus.ERASED.value
            ):
                raise NoSuchMember()
            raise StatusChangeRefused(
                "They are already marked do not contact."
                if marked
                else "They are not marked do not contact."
            )
        if marked:
            await cancel_waiting(member_id)
        await record_event(
            "do_not_contact_set" if marked else "do_not_contact_cleared",
            actor,
            object_type="member",
            object_id=member_id,
        )


async def leaving_member(member_id: int) -> dict[str, Any]:
    """Who the leave confirmation page is about. Raises ``NoSuchMember``."""
    row = await (
        Member.select(Member.id, Member.preferred_name, Member.status)
        .where(Member.id == member_id, Member.status != MemberStatus.ERASED.value)
        .first()
    )
    if row is None:
        raise NoSuchMember()
    return row


# ---------------------------------------------------------------------------------------------
# Changing a member's answers on their behalf: the members area's own service, as the member's
# pages use, with the change audited as staff's and the member told through the contact gate.


@dataclass(frozen=True)
class AnswersToChange:
    """A member whose answers staff are about to change, with the answers as the form shows them."""

    member_id: int
    preferred_name: str
    email: str
    has_phone: bool
    has_address: bool
    values: dict[str, list[str]]


async def answers_to_change(member_id: int, topic: ChangeTopic) -> AnswersToChange:
    """Raises ``NoSuchMember`` for no such member, or one who has left or been erased."""
    member = await members.changeable_member(member_id)
    if topic is ChangeTopic.DETAILS:
        values = details_values(member)
    elif topic is ChangeTopic.SAFE_CONTACT:
        values = safe_contact_values(await members.contact_preference_rows(member_id))
    else:
        values = access_needs_values(await members.access_needs_row(member_id))
    return AnswersToChange(
        member_id=member_id,
        preferred_name=member["preferred_name"],
        email=member["email"] or "",
        has_phone=bool(member["phone"]),
        has_address=bool(member["postal_address"]),
        values=values,
    )


async def open_answers_to_change(
    member_id: int, topic: ChangeTopic, actor: Actor
) -> AnswersToChange:
    """The form to change them: a view of their personal data, so it is audited (the topic only)."""
    answers = await answers_to_change(member_id, topic)
    await record_event(
        "member_profile_opened_by_staff",
        actor,
        object_type="member",
        object_id=member_id,
        detail={"topic": topic.value},
    )
    return answers


TOLD_BY_OUTCOME = {
    GateOutcome.SEND: Told.SENT,
    GateOutcome.HOLD: Told.HELD,
    GateOutcome.REFUSE: Told.NOT_SENT,
}


async def tell_member_of_change(member_id: int, settings: Settings, now: datetime) -> Told:
    """A short email that their details were changed, never what changed, through the contact
    gate: sent, held for a safe time, or not sent at all when email is not safe for them. There is
    no preference to ask them by, so everyone is told; one email covers every change of a call."""
    notices = await messages_to_member(member_id, messages.DETAILS_CHANGED.template)
    waiting = any(row["status"] == OutboxStatus.PENDING for row in notices)
    last_at = notices[0]["created_at"] if notices else None
    if not notice_needed(last_at, waiting, now):
        return Told.ALREADY
    decision = await send_to_member(
        member_id,
        messages.DETAILS_CHANGED,
        None,  # about their own record, as an account message is: it needs no consent
        settings,
        now,
        link=messages.SIGN_IN_PAGE.url(settings.base_url),
    )
    return TOLD_BY_OUTCOME[decision.outcome]


async def change_details(
    member_id: int, details: Details, settings: Settings, actor: Actor, now: datetime | None = None
) -> Told:
    async with db.transaction():
        await members.save_details(member_id, details, actor, by_staff=True)
        return await tell_member_of_change(member_id, settings, now or datetime.now(UTC))


async def change_safe_contact(
    member_id: int,
    contact: SafeContact,
    settings: Settings,
    actor: Actor,
    now: datetime | None = None,
) -> Told:
    """Saved before the member is told, so the gate decides on their new answers: an email that
    is no longer safe is not used to say so."""
    async with db.transaction():
        await members.save_safe_contact(member_id, contact, actor, by_staff=True)
        return await tell_member_of_change(member_id, settings, now or datetime.now(UTC))


async def change_access_needs(
    member_id: int, access: Access, settings: Settings, actor: Actor, now: datetime | None = None
) -> Told:
    async with db.transaction():
        await members.save_access_needs(member_id, access, actor, by_staff=True)
        return await tell_member_of_change(member_id, settings, now or datetime.now(UTC))


# ---------------------------------------------------------------------------------------------
# The contact log


async def member_for_log(member_id: int) -> dict[str, Any]:
    """Who the contact log page is about. Raises ``NoSuchMember`` for an erased member."""
    row = await (
        Member.select(Member.id, Member.preferred_name)
        .where(Member.id == member_id, Member.status != MemberStatus.ERASED.value)
        .first()
    )
    if row is None:
        raise NoSuchMember()
    return row


async def log_contact(
    member_id: int, at: datetime, channel: str, reason: str, note: str, actor: Actor
) -> None:
    """Add an entry to their contact log, recorded as written by ``actor``. The note stays with the
    member (and goes when they are erased, or after ``retention_contact_log_days``); the audit
    event names the channel and reason codes only."""
    async with db.transaction():
        await member_for_log(member_id)
        await ContactLogEntry.insert(
            ContactLogEntry(
                member=member_id,
                at=at.astimezone(UTC),
                channel=channel,
                reason=reason,
                note=note,
                recorded_by=actor.user_id,
            )
        )
        await record_event(
            "member_contact_logged",
            actor,
            object_type="member",
            object_id=member_id,
            detail={"channel": channel, "reason": reason},
        )
