"""Contact limits: whether a member may be invited now, every reason why not, and when they next
may be. The contact gate and selection both decide with these rules. No I/O.

The limits protect people from being asked too often: a cool-down after each invitation, a cap on
sessions taken part in over a rolling 12 months and on invitations over 90 days, and "do not
contact". Staff may let one more invitation through a numeric limit with an override that gives a
reason; nothing here lifts "do not contact": that is changed on the member record.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# "A rolling 12 months" counted in days, so the window is the same length whatever the date.
SESSION_WINDOW = timedelta(days=365)
INVITATION_WINDOW = timedelta(days=90)
OVERRIDE_VALID_FOR = timedelta(days=14)
OVERRIDE_REASON_MAX_LENGTH = 500


class InvitationKind(enum.StrEnum):
    FOCUS_GROUP = "focus_group"
    INDEPENDENT_REVIEW = "independent_review"
    SURVEY = "survey"


@dataclass(frozen=True)
class ContactLimits:
    cooldown_days: int = 30
    max_sessions_per_year: int = 4
    max_invitations_per_90_days: int = 3

    def __post_init__(self) -> None:
        if (
            self.cooldown_days < 0
            or min(self.max_sessions_per_year, self.max_invitations_per_90_days) < 1
        ):
            raise ValueError(
                "the cool-down cannot be negative, and each cap must allow at least one"
            )

    @property
    def cooldown(self) -> timedelta:
        return timedelta(days=self.cooldown_days)

    @property
    def invitations_look_back(self) -> timedelta:
        """How far back invitations matter to any limit."""
        return max(self.cooldown, INVITATION_WINDOW)


@dataclass(frozen=True)
class ContactHistory:
    """What the limits need to know about one member. Older rows than the limits look back at may
    be left out; invitations of every status count (the member was contacted all the same)."""

    invited_at: tuple[datetime, ...] = ()
    attended_at: tuple[datetime, ...] = ()
    override_id: int | None = None  # an unused, unexpired override, if there is one


DEFAULT_LIMITS = ContactLimits()
NO_HISTORY = ContactHistory()


class Limit(enum.StrEnum):
    MEMBERSHIP = "membership"
    DO_NOT_CONTACT = "do_not_contact"
    COOL_DOWN = "cool_down"
    SESSIONS = "sessions"
    INVITATIONS = "invitations"


# No override lifts these: a member who is not active, or is marked do not contact, is not invited.
UNLIFTABLE = frozenset({Limit.MEMBERSHIP, Limit.DO_NOT_CONTACT})


@dataclass(frozen=True)
class LimitCheck:
    """One limit as it stands now. ``count`` is the days since the last invitation for the
    cool-down (None when never invited), otherwise how many fall in the limit's window."""

    limit: Limit
    count: int | None
    allowed: int
    reached: bool
    clears_at: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class Eligibility:
    checks: tuple[LimitCheck, ...]
    override_id: int | None = None

    def check(self, limit: Limit | str) -> LimitCheck:
        return next(check for check in self.checks if check.limit == limit)

    @property
    def reached(self) -> tuple[LimitCheck, ...]:
        return tuple(check for check in self.checks if check.reached)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every limit that stands in the way, in plain English (listed even when an override
        lets the invitation through, so staff see what they are overriding)."""
        return tuple(check.reason for check in self.reached)

    @property
    def do_not_contact(self) -> bool:
        return self.check(Limit.DO_NOT_CONTACT).reached

    @property
    def blocked(self) -> bool:
        """Not an active member, or marked do not contact: no override lifts either."""
        return any(check.reached for check in self.checks if check.limit in UNLIFTABLE)

    @property
    def may_invite(self) -> bool:
        if self.blocked:
            return False
        return not self.reached or self.override_id is not None

    @property
    def uses_override(self) -> int | None:
        """The override an invitation now would use up: only when a limit is reached."""
        if self.may_invite and self.reached:
            return self.override_id
        return None

    @property
    def next_possible_at(self) -> datetime | None:
        """When every limit reached now has cleared; None when they may be invited now, or
        when no date can be given ("do not contact" lasts until someone changes it)."""
        if self.may_invite or self.blocked:
            return None
        return max(check.clears_at for check in self.reached if check.clears_at is not None)


def invitation_eligibility(
    history: ContactHistory,
    do_not_contact: bool,
    limits: ContactLimits,
    now: datetime,
    status: str = "active",
) -> Eligibility:
    """Whether a member may be invited now, each limit with its count and when it clears.
    ``status`` is the membership's (``notify.rules.MemberStatus``): only active members are."""
    return Eligibility(
        checks=(
            LimitCheck(
                Limit.MEMBERSHIP, None, 0, status != "active", reason=membership_reason(status)
            ),
            LimitCheck(
                Limit.DO_NOT_CONTACT,
                None,
                0,
                do_not_contact,
                reason="marked do not contact" if do_not_contact else "",
            ),
            cool_down_check(history.invited_at, limits.cooldown_days, now),
            window_check(
                Limit.SESSIONS,
                history.attended_at,
                limits.max_sessions_per_year,
                SESSION_WINDOW,
                now,
                "took part {count} in the last 12 months: the most is {allowed}",
            ),
            window_check(
                Limit.INVITATIONS,
                history.invited_at,
                limits.max_invitations_per_90_days,
                INVITATION_WINDOW,
                now,
                "invited {count} in the last 90 days: the most is {allowed}",
            ),
        ),
        override_id=history.override_id,
    )


def cool_down_check(
    invited_at: Iterable[datetime], cooldown_days: int, now: datetime
) -> LimitCheck:
    last = max(invited_at, default=None)
    if last is None:
        return LimitCheck(Limit.COOL_DOWN, None, cooldown_days, False)
    days_ago = max(0, (now - last).days)
    clears_at = last + timedelta(days=cooldown_days)
    if now >= clears_at:
        return LimitCheck(Limit.COOL_DOWN, days_ago, cooldown_days, False)
    return LimitCheck(
        Limit.COOL_DOWN,
        days_ago,
        cooldown_days,
        True,
        clears_at,
        f"invited {days_phrase(days_ago)}: the cool-down is {cooldown_days} days",
    )


def window_check(
    limit: Limit,
    moments: Iterable[datetime],
    allowed: int,
    window: timedelta,
    now: datetime,
    wording: str,
) -> LimitCheck:
    """A cap on how many fall in the window ending now. It clears when enough of the oldest have
    dropped out of the window to leave room for one more."""
    inside = sorted(moment for moment in moments if moment > now - window)
    if len(inside) < allowed:
        return LimitCheck(limit, len(inside), allowed, False)
    clears_at = inside[len(inside) - allowed] + window
    reason = wording.format(count=times_phrase(len(inside)), allowed=allowed)
    return LimitCheck(limit, len(inside), allowed, True, clears_at, reason)


def membership_reason(status: str) -> str:
    if status == "active":
        return ""
    if status in {"left", "erased"}:
        return "no longer a member"
    return f"membership is {status}"


def days_phrase(days: int) -> str:
    if days == 0:
        return "today"
    return "1 day ago" if days == 1 else f"{days} days ago"


def times_phrase(count: int) -> str:
    return "once" if count == 1 else f"{count} times"
