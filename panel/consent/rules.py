"""Consent decisions, from the append-only history of consent events. No I/O.

A member's consent to a purpose is never stored as a flag: it is derived from their events, so the
history is the truth and can always be shown. The latest event for a purpose decides. A consent
given stops counting when it lapses (the renewal period passes) or when the purpose's wording or the
privacy notice has changed materially since it was given; the member is then asked to confirm again.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_RENEWAL = timedelta(days=730)  # 24 months
REMINDER_DAYS_BEFORE_LAPSE = (30, 7)


class Purpose(enum.StrEnum):
    """What a member can agree to, one box each."""

    MEMBERSHIP = "membership"  # being on the panel and being contacted about it
    FOCUS_GROUPS = "focus_groups"
    SURVEYS = "surveys"
    CASE_REVIEWS = "case_reviews"
    EQUALITY_DATA = "equality_data"
    ANONYMOUS_QUOTES = "anonymous_quotes"


class Channel(enum.StrEnum):
    """How a consent reached us."""

    WEB = "web"
    PHONE = "phone"
    PAPER = "paper"
    EMAIL = "email"


class ConsentState(enum.StrEnum):
    NEVER_ASKED = "never_asked"
    GIVEN = "given"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"
    NEEDS_RECONFIRMATION = "needs_reconfirmation"

    @property
    def allows_contact(self) -> bool:
        return self is ConsentState.GIVEN


@dataclass(frozen=True)
class ConsentEvent:
    """One row of the history. ``sequence`` orders events recorded in the same instant."""

    purpose: Purpose
    given: bool
    at: datetime
    wording_version: int
    notice_version: int
    channel: Channel = Channel.WEB
    sequence: int = 0


@dataclass(frozen=True)
class CurrentWording:
    """The versions in force: the last *material* change of a purpose's wording and of the notice."""

    wording_version: int
    notice_version: int


@dataclass(frozen=True)
class Consent:
    purpose: Purpose
    state: ConsentState
    since: datetime | None
    lapses_at: datetime | None


def current_consent(
    purpose: Purpose,
    events: Iterable[ConsentEvent],
    wording: CurrentWording,
    now: datetime,
    renewal: timedelta = DEFAULT_RENEWAL,
) -> Consent:
    """The state of one purpose now, from that member's events (any order, any purposes)."""
    relevant = [event for event in events if event.purpose == purpose]
    if not relevant:
        return Consent(purpose, ConsentState.NEVER_ASKED, None, None)
    latest = max(relevant, key=lambda event: (event.at, event.sequence))
    if not latest.given:
        return Consent(purpose, ConsentState.WITHDRAWN, latest.at, None)
    lapses_at = latest.at + renewal
    if now >= lapses_at:
        return Consent(purpose, ConsentState.LAPSED, latest.at, lapses_at)
    if (
        latest.wording_version < wording.wording_version
        or latest.notice_version < wording.notice_version
    ):
        return Consent(purpose, ConsentState.NEEDS_RECONFIRMATION, latest.at, lapses_at)
    return Consent(purpose, ConsentState.GIVEN, latest.at, lapses_at)


def renewal_reminder_due(
    consent: Consent, now: datetime, already_sent: Iterable[int]
) -> int | None:
    """Which reminder (30 or 7 days before the lapse) is due now and not yet sent, if any."""
    if consent.state is not ConsentState.GIVEN or consent.lapses_at is None:
        return None
    left = consent.lapses_at - now
    sent = set(already_sent)
    due = [
        days
        for days in REMINDER_DAYS_BEFORE_LAPSE
        if left <= timedelta(days=days) and days not in sent
    ]
    return min(due) if due else None


def next_reminder_at(lapses_at: datetime, already_sent: Iterable[int]) -> datetime | None:
    """When the next renewal reminder not yet sent falls due (the daily run sends it on the first
    run from then), or None when every reminder has been sent."""
    sent = set(already_sent)
    waiting = [days for days in REMINDER_DAYS_BEFORE_LAPSE if days not in sent]
    if not waiting:
        return None
    return lapses_at - timedelta(days=max(waiting))


def purposes_ended_by_withdrawal(purpose: Purpose) -> frozenset[Purpose]:
    """What a withdrawal stops at once: the purpose itself, or everything when it is membership."""
    return frozenset(Purpose) if purpose is Purpose.MEMBERSHIP else frozenset({purpose})


# The purposes that are about taking part, each one of the member's "ways to take part"
# (``members.rules.WAYS_TO_TAKE_PART``, whose codes are these purposes' values). Each means
# contacting the member, so it is on hold while the membership consent is not held.
TAKING_PART = (Purpose.FOCUS_GROUPS, Purpose.SURVEYS, Purpose.CASE_REVIEWS)


def on_hold(consent: Consent, membership: Consent) -> bool:
    """A consent to a way of taking part that is given, while the membership consent (to be
    contacted about the panel at all) is not: it still stands, but nothing is sent for it."""
    return (
        consent.purpose in TAKING_PART
        and consent.state is ConsentState.GIVEN
        and membership.state is not ConsentState.GIVEN
    )


def ways_after_decision(ways: Iterable[str], purpose: Purpose, given: bool) -> tuple[str, ...]:
    """How the member would like to take part once they give or withdraw a consent: withdrawing
    a way of taking part takes it off the list and giving it adds it, so the two never disagree.
    Other purposes leave the list as it is."""
    if purpose not in TAKING_PART:
        return tuple(ways)
    others = tuple(way for way in ways if way != purpose.value)
    return (*others, purpose.value) if given else others


# How a channel and a state read on the pages that show a member's consents.
CHANNEL_LABELS = {
    Channel.WEB: "Online, by the member",
    Channel.PHONE: "By phone",
    Channel.PAPER: "On paper",
    Channel.EMAIL: "By email",
}

STATE_LABELS = {
    ConsentState.NEVER_ASKED: "Not given",
    ConsentState.GIVEN: "Given",
    ConsentState.WITHDRAWN: "Withdrawn",
    ConsentState.LAPSED: "Lapsed: not renewed in time",
    ConsentState.NEEDS_RECONFIRMATION: "Needs confirming again: the wording has changed",
}
