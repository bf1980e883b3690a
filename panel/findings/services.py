"""Recording findings, reviewing them, and the insight library of approved ones.

A finding's statement and quotes pass the redaction engine, with the session's participants as
known names, before anything is stored. A quote is kept only when the participant who said it
holds the consent to be quoted anonymously, checked as it is saved; withdrawing that consent
deletes their quotes (``consent.services.delete_kept_only_with``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from piccolo.columns.combination import WhereRaw

from panel import db
from panel.audit.services import Actor, record_event
from panel.consent.rules import Purpose
from panel.consent.services import members_holding
from panel.disclosure import Suppression, suppress_small_counts
from panel.engagements.services import participants
from panel.findings.rules import FindingStatus
from panel.findings.tables import Finding, FindingQuote
from panel.redaction.engine import redact
from panel.spreadsheets import spreadsheet_safe

LIBRARY_PAGE_SIZE = 25


@dataclass(frozen=True)
class QuoteSent:
    field: str  # the form field it came from, for its error
    text: str
    invitation_id: int


@dataclass(frozen=True)
class FindingSent:
    statement: str
    sentiment: str
    priority: str
    rights: tuple[str, ...]
    stages: tuple[str, ...]
    agencies: tuple[str, ...]
    crime_types: tuple[str, ...]
    quotes: tuple[QuoteSent, ...] = ()


class QuoteRefused(Exception):
    """A quote cannot be kept: the message says why, for the quote's ``field``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


NOT_AGREED = (
    "{name} has not agreed to be quoted anonymously: leave the quote out, or say what they meant "
    "in the finding in your own words"
)


async def record_finding(
    engagement_id: int,
    sent: FindingSent,
    recorded_by: int | None,
    actor: Actor,
    renewal: timedelta,
) -> int:
    """The finding and its quotes, anonymised, awaiting review. Refuses a quote from someone who
    is not a participant of the session or does not hold the consent to be quoted (``renewal``:
    how long a consent lasts)."""
    people = await participants(engagement_id)
    names = [person.preferred_name for person in people if person.preferred_name]
    by_invitation = {person.invitation_id: person for person in people}
    quoted_people = [by_invitation.get(quote.invitation_id) for quote in sent.quotes]
    may_be_quoted = await members_holding(
        Purpose.ANONYMOUS_QUOTES,
        {person.member_id for person in quoted_people if person is not None},
        renewal,
    )
    quoted: list[tuple[int, str]] = []
    for quote, person in zip(sent.quotes, quoted_people, strict=True):
        if person is None:
            raise QuoteRefused(quote.field, "Choose who said it from the session's participants")
        if person.member_id not in may_be_quoted:
            raise QuoteRefused(quote.field, NOT_AGREED.format(name=person.name))
        quoted.append((person.member_id, redact(quote.text, names).text))
    async with db.transaction():
        rows = await Finding.insert(
            Finding(
                engagement=engagement_id,
                statement=redact(sent.statement, names).text,
                sentiment=sent.sentiment,
                priority=sent.priority,
                rights=json.dumps(list(sent.rights)),
                stages=json.dumps(list(sent.stages)),
                agencies=json.dumps(list(sent.agencies)),
                crime_types=json.dumps(list(sent.crime_types)),
                recorded_by=recorded_by,
            )
        ).returning(Finding.id)
        finding_id = rows[0]["id"]
        if quoted:
            await FindingQuote.insert(
                *(
                    FindingQuote(finding=finding_id, member=member, text=text)
                    for member, text in quoted
                )
            )
        await record_event(
            "finding_recorded",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={"finding": finding_id, "quotes": len(quoted)},
        )
    return finding_id


# ---------------------------------------------------------------------------------------------
# Review


class NoSuchFinding(Exception):
    pass


async def review_finding(finding_id: int, approve: bool, reason: str, actor: Actor) -> None:
    """Approved findings reach the library; one not approved stays out, with staff's reason."""
    async with db.transaction():
        row = (
            await Finding.select(Finding.id, Finding.engagement, Finding.status)
            .where(Finding.id == finding_id)
            .first()
        )
        if row is None:
            raise NoSuchFinding()
        status = FindingStatus.APPROVED if approve else FindingStatus.NOT_APPROVED
        await Finding.update(
            {
                Finding.status: status.value,
                Finding.review_reason: "" if approve else reason,
                Finding.reviewed_by: actor.user_id,
                Finding.reviewed_at: datetime.now(UTC),
            }
        ).where(Finding.id == finding_id)
        await record_event(
            "finding_reviewed",
            actor,
            object_type="engagement",
            object_id=row["engagement"],
            detail={"finding": finding_id, "status": status.value},
        )


# ---------------------------------------------------------------------------------------------
# Lists: the review queue, an engagement's findings, and the insight library


@dataclass(frozen=True)
class FindingView:
    id: int
    engagement_id: int
    engagement_title: str
    engagement_kind: str
    statement: str
    sentiment: str
    priority: str
    rights: tuple[str, ...]
    stages: tuple[str, ...]
    agencies: tuple[str, ...]
    crime_types: tuple[str, ...]
    status: FindingStatus
    review_reason: str
    recorded_at: datetime
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LibraryFilters:
    text: str = ""
    right: str = ""
    stage: str = ""
    agency: str = ""
    crime_type: str = ""
    kind: str = ""
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class FindingsPage:
    findings: tuple[FindingView, ...]
    total: int
    page: int
    pages: int


COLUMNS = (
    Finding.id,
    Finding.engagement,
    Finding.engagement.title.as_alias("engagement_title"),
    Finding.engagement.kind.as_alias("engagement_kind"),
    Finding.statement,
    Finding.sentiment,
    Finding.priority,
    Finding.rights,
    Finding.stages,
    Finding.agencies,
    Finding.crime_types,
    Finding.status,
    Finding.review_reason,
    Finding.recorded_at,
)


async def views_of(rows: Sequence[dict[str, Any]]) -> tuple[FindingView, ...]:
    """The findings with their quotes: one more query, however many findings."""
    quotes: dict[int, list[str]] = {}
    ids = [row["id"] for row in rows]
    if ids:
        for quote in (
            await FindingQuote.select(FindingQuote.finding, FindingQuote.text)
            .where(FindingQuote.finding.is_in(ids))
            .order_by(FindingQuote.id)
        ):
            quotes.setdefault(quote["finding"], []).append(quote["text"])
    return tuple(
        FindingView(
            id=row["id"],
            engagement_id=row["engagement"],
            engagement_title=row["engagement_title"],
            engagement_kind=row["engagement_kind"],
            statement=row["statement"],
            sentiment=row["sentiment"],
            priority=row["priority"],
            rights=tuple(json.loads(row["rights"])),
            stages=tuple(json.loads(row["stages"])),
            agencies=tuple(json.loads(row["agencies"])),
            crime_types=tuple(json.loads(row["crime_types"])),
            status=FindingStatus(row["status"]),
            review_reason=row["review_reason"],
            recorded_at=row["recorded_at"],
            quotes=tuple(quotes.get(row["id"], ())),
        )
        for row in rows
    )


async def findings_of_engagement(engagement_id: int) -> tuple[FindingView, ...]:
    rows = (
        await Finding.select(*COLUMNS)
        .where(Finding.engagement == engagement_id)
        .order_by(Finding.id)
    )
    return await views_of(rows)


async def waiting_for_review() -> int:
    return await Finding.count().where(Finding.status == FindingStatus.AWAITING_REVIEW.value)


async def awaiting_review() -> tuple[FindingView, ...]:
    rows = (
        await Finding.select(*COLUMNS)
        .where(Finding.status == FindingStatus.AWAITING_REVIEW.value)
        .order_by(Finding.recorded_at)
    )
    return await views_of(rows)


def library_conditions(filters: LibraryFilters) -> list[Any]:
    """Approved findings matching every filter given. A theme is matched by its quoted code in
    the JSON list, so "right_1" never matches "right_12"."""
    where: list[Any] = [Finding.status == FindingStatus.APPROVED.value]
    if filters.text:
        # Every character as typed: % and _ are escaped, and the match ignores case on both engines.
        escaped = filters.text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        where.append(WhereRaw("LOWER(finding.statement) LIKE LOWER({}) ESCAPE '!'", f"%{escaped}%"))
    for column, code in (
        (Finding.rights, filters.right),
        (Finding.stages, filters.stage),
        (Finding.agencies, filters.agency),
        (Finding.crime_types, filters.crime_type),
    ):
        if code:
            where.append(column.like(f'%"{code}"%'))
    if filters.kind:
        where.append(Finding.engagement.kind == filters.kind)
    if filters.since:
        where.append(Finding.recorded_at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        where.append(
            Finding.recorded_at < datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        )
    return where


async def library(filters: LibraryFilters, page: int = 1) -> FindingsPage:
    """One page of the approved findings, newest first: three queries whatever the page holds."""
    where = library_conditions(filters)
    total = await Finding.count().where(*where)
    pages = max(1, -(-total // LIBRARY_PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = (
        await Finding.select(*COLUMNS)
        .where(*where)
        .order_by(Finding.recorded_at, ascending=False)
        .order_by(Finding.id, ascending=False)
        .limit(LIBRARY_PAGE_SIZE)
        .offset((page - 1) * LIBRARY_PAGE_SIZE)
    )
    return FindingsPage(await views_of(rows), total, page, pages)


# ---------------------------------------------------------------------------------------------
# The Victims' Code rights heat map: approved findings by right and quarter, negative and positive

QUARTERS_SHOWN = 8
QUARTER_MONTHS = ("Jan to Mar", "Apr to Jun", "Jul to Sep", "Oct to Dec")


@dataclass(frozen=True)
class Quarter:
    year: int
    index: int  # 0 for January to March

    @property
    def label(self) -> str:
        return f"{QUARTER_MONTHS[self.index]} {self.year}"

    @property
    def starts(self) -> datetime:
        return datetime(self.year, 3 * self.index + 1, 1, tzinfo=UTC)

    def before(self) -> Quarter:
        return Quarter(self.year - 1, 3) if self.index == 0 else Quarter(self.year, self.index - 1)


def quarter_of(moment: datetime) -> Quarter:
    return Quarter(moment.year, (moment.month - 1) // 3)


def last_quarters(now: datetime) -> list[Quarter]:
    """The last ``QUARTERS_SHOWN`` quarters, this one included, oldest first."""
    quarters = [quarter_of(now)]
    while len(quarters) < QUARTERS_SHOWN:
        quarters.append(quarters[-1].before())
    return quarters[::-1]


@dataclass(frozen=True)
class HeatCell:
    negative: int
    positive: int
    mixed: int


@dataclass(frozen=True)
class HeatRow:
    right: str
    cells: tuple[HeatCell, ...]

    @property
    def negative(self) -> int:
        return sum(cell.negative for cell in self.cells)


@dataclass(frozen=True)
class HeatMap:
    quarters: tuple[Quarter, ...]  # oldest first
    rows: tuple[HeatRow, ...]  # in the Code's order
    most_negative: int  # the largest negative count in a cell, for shading


async def rights_heat_map(rights: Sequence[str], now: datetime | None = None) -> HeatMap:
    """The last ``QUARTERS_SHOWN`` quarters (this one included) of approved findings, counted by
    right and sentiment: one query."""
    quarters = last_quarters(now or datetime.now(UTC))
    column = {quarter: index for index, quarter in enumerate(quarters)}
    counts = {
        right: [dict.fromkeys(("negative", "positive", "mixed"), 0) for _ in quarters]
        for right in rights
    }
    rows = await Finding.select(Finding.rights, Finding.sentiment, Finding.recorded_at).where(
        Finding.status == FindingStatus.APPROVED.value,
        Finding.recorded_at >= quarters[0].starts,
    )
    for row in rows:
        index = column.get(quarter_of(row["recorded_at"].astimezone(UTC)))
        if index is None:
            continue
        for right in json.loads(row["rights"]):
            if right in counts and row["sentiment"] in counts[right][index]:
                counts[right][index][row["sentiment"]] += 1
    heat_rows = tuple(
        HeatRow(
            right,
            tuple(HeatCell(c["negative"], c["positive"], c["mixed"]) for c in counts[right]),
        )
        for right in rights
    )
    most = max((cell.negative for row in heat_rows for cell in row.cells), default=0)
    return HeatMap(tuple(quarters), heat_rows, most)


async def library_rows(filters: LibraryFilters) -> tuple[FindingView, ...]:
    """Every approved finding the filters match, newest first, for the CSV: two queries."""
    rows = (
        await Finding.select(*COLUMNS)
        .where(*library_conditions(filters))
        .order_by(Finding.recorded_at, ascending=False)
        .order_by(Finding.id, ascending=False)
    )
    return await views_of(rows)


CSV_COLUMNS = (
    "Finding",
    "Sentiment",
    "Priority",
    "Victims' Code rights",
    "Stages",
    "Agencies",
    "Crime types",
    "Engagement",
    "Kind",
    "Recorded",
    "Quotes",
)


def findings_csv(findings: Sequence[FindingView], labels: dict[str, dict[str, str]]) -> str:
    """The findings as a spreadsheet, themes and quotes in words; every cell made safe to open."""

    def named(codes: Sequence[str], kind: str) -> str:
        return "; ".join(labels[kind].get(code, code) for code in codes)

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for finding in findings:
        cells = (
            finding.statement,
            labels["sentiments"].get(finding.sentiment, finding.sentiment),
            labels["priorities"].get(finding.priority, finding.priority),
            named(finding.rights, "rights"),
            named(finding.stages, "stages"),
            named(finding.agencies, "agencies"),
            named(finding.crime_types, "crime_types"),
            finding.engagement_title,
            labels["kinds"].get(finding.engagement_kind, finding.engagement_kind),
            finding.recorded_at.date().isoformat(),
            " | ".join(finding.quotes),
        )
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return buffer.getvalue()


@dataclass(frozen=True)
class ShownCount:
    """A count as the board may see it: None when it is hidden."""

    value: int | None


@dataclass(frozen=True)
class BoardRights:
    """Approved findings about each right over the quarters of the heat map, negative and
    positive, with small counts hidden (``representation.rules.suppress_small_counts``)."""

    quarters: tuple[Quarter, ...]
    rows: tuple[tuple[str, ShownCount, ShownCount], ...]  # right, negative, positive
    negative_total: ShownCount
    positive_total: ShownCount
    threshold: int


def board_rights(heat: HeatMap, threshold: int) -> BoardRights:
    """Each column (negative, positive) is suppressed as one dimension: no count from 1 to
    ``threshold`` - 1 is shown, nor can one be worked out from the total and the counts shown."""
    negative = {row.right: row.negative for row in heat.rows}
    positive = {row.right: sum(cell.positive for cell in row.cells) for row in heat.rows}
    hide_negative = suppress_small_counts(negative, threshold)
    hide_positive = suppress_small_counts(positive, threshold)

    def shown(counts: dict[str, int], hidden: Suppression, right: str) -> ShownCount:
        return ShownCount(None if right in hidden.hidden else counts[right])

    def total(counts: dict[str, int], hidden: Suppression) -> ShownCount:
        return ShownCount(None if hidden.total_hidden else sum(counts.values()))

    return BoardRights(
        quarters=heat.quarters,
        rows=tuple(
            (
                row.right,
                shown(negative, hide_negative, row.right),
                shown(positive, hide_positive, row.right),
            )
            for row in heat.rows
        ),
        negative_total=total(negative, hide_negative),
        positive_total=total(positive, hide_positive),
        threshold=threshold,
    )


@dataclass(frozen=True)
class QuarterCounts:
    quarter: Quarter
    negative: int
    positive: int
    mixed: int

    @property
    def total(self) -> int:
        return self.negative + self.positive + self.mixed


THEME_COLUMNS = {
    "rights": Finding.rights,
    "stages": Finding.stages,
    "agencies": Finding.agencies,
    "crime_types": Finding.crime_types,
}


async def over_time(
    kind: str = "", code: str = "", now: datetime | None = None
) -> tuple[QuarterCounts, ...]:
    """Approved findings in each of the last ``QUARTERS_SHOWN`` quarters by sentiment: all of
    them, or those with one theme (``kind`` one of ``THEME_COLUMNS``, ``code`` its code). One
    query."""
    quarters = last_quarters(now or datetime.now(UTC))
    where = [
        Finding.status == FindingStatus.APPROVED.value,
        Finding.recorded_at >= quarters[0].starts,
    ]
    if kind in THEME_COLUMNS and code:
        where.append(THEME_COLUMNS[kind].like(f'%"{code}"%'))
    counts = {quarter: dict.fromkeys(("negative", "positive", "mixed"), 0) for quarter in quarters}
    for row in await Finding.select(Finding.sentiment, Finding.recorded_at).where(*where):
        quarter = quarter_of(row["recorded_at"].astimezone(UTC))
        if quarter in counts and row["sentiment"] in counts[quarter]:
            counts[quarter][row["sentiment"]] += 1
    return tuple(
        QuarterCounts(quarter, c["negative"], c["positive"], c["mixed"])
        for quarter, c in counts.items()
    )
