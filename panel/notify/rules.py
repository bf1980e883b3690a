"""Pure decisions of the contact gate: whether a message may go to a member now, must wait for a
safe time, or must not go at all; and for an invitation, whether the contact limits allow it. No I/O.

The contact limits protect people from being asked too often: a cool-down after each invitation,
a cap on sessions taken part in over a rolling 12 months and on invitations over 90 days, and "do
not contact". Staff may let one more invitation through a numeric limit with an override that
gives a reason; nothing here lifts "do not contact": that is changed on the member record. The
gate and selection both decide with these rules; engagements record what they count.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from panel.consent.rules import ConsentState, Purpose
from panel.members.rules import ChannelPreference, ContactChannel, MemberStatus

# ---------------------------------------------------------------------------------------------
# Contact limits

# "A rolling 12 months" counted in days, so the window is the same length whatever the date.
SESSION_WINDOW = timedelta(days=365)
INVITATION_WINDOW = timedelta(days=90)


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
    status: str = MemberStatus.ACTIVE,
) -> Eligibility:
    """Whether a member may be invited now, each limit with its count and when it clears.
    ``status`` is the membership's (``members.rules.MemberStatus``): only active members are."""
    return Eligibility(
        checks=(
            LimitCheck(
                Limit.MEMBERSHIP,
                None,
                0,
                status != MemberStatus.ACTIVE,
                reason=membership_reason(status),
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
    if status == MemberStatus.ACTIVE:
        return ""
    if status in {MemberStatus.LEFT, MemberStatus.ERASED}:
        return "no longer a member"
    return f"membership is {status}"


def days_phrase(days: int) -> str:
    if days == 0:
        return "today"
    return "1 day ago" if days == 1 else f"{days} days ago"


def times_phrase(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


# ---------------------------------------------------------------------------------------------
# The contact gate's decisions. Every outgoing message to a member passes through them; they never
# choose another channel when the asked-for one is not safe: such a message is refused or held.


@dataclass(frozen=True)
class AnonymousLimits:
    """How many messages requests from people who are not signed in (a forgotten password, a
    sign-in link, joining with an address already known) may cause to one address."""

    per_hour: int = 3
    per_day: int = 10


DEFAULT_ANONYMOUS_LIMITS = AnonymousLimits()


@dataclass(frozen=True)
class AnonymousHistory:
    """Messages already caused to this address by requests from people not signed in."""

    last_hour: int = 0
    last_day: int = 0


@dataclass(frozen=True)
class Recipient:
    status: MemberStatus
    consents: Mapping[Purpose, ConsentState]
    preferences: Mapping[ContactChannel, ChannelPreference]
    do_not_contact: bool = False
    # Recent invitations, sessions and any override: read only for an invitation.
    contact: ContactHistory = NO_HISTORY
    # Read only for a message someone who is not signed in asked for.
    anonymous: AnonymousHistory = AnonymousHistory()


@dataclass(frozen=True)
class OutgoingMessage:
    channel: ContactChannel
    # None for a message about the person's own account or application rather than the panel's
    # work (a sign-in link, the outcome of screening): it needs no consent.
    purpose: Purpose | None
    # Someone who is not signed in asked for it by typing the address (a password reset, a
    # sign-in link, joining again): it may be a stranger, so it is capped per address. It bends
    # none of the member's choices: like everything else, it waits for a safe time.
    asked_anonymously: bool = False
    # An invitation counts against the contact limits; account messages, news about an
    # application and renewal reminders do not.
    is_invitation: bool = False


class GateOutcome(enum.StrEnum):
    SEND = "send"
    HOLD = "hold"
    REFUSE = "refuse"


@dataclass(frozen=True)
class GateDecision:
    outcome: GateOutcome
    reason: str = ""
    hold_until: datetime | None = None
    # The override that lets this invitation through a contact limit: used up with the message.
    override_id: int | None = None


def gate_decision(
    recipient: Recipient,
    message: OutgoingMessage,
    now: datetime,
    limits: ContactLimits = DEFAULT_LIMITS,
    anonymous_limits: AnonymousLimits = DEFAULT_ANONYMOUS_LIMITS,
) -> GateDecision:
    """Whether a message may go now, must wait for a safe time, or must not go at all.

    ``now`` is in the member's local time (Europe/London for UK panels), as their windows are.
    An invitation must also be within the contact limits, or have an override to use up; a
    message asked for by someone not signed in, within the cap on such messages.
    """
    decision = safe_contact_decision(recipient, message, now)
    if (
        decision.outcome is not GateOutcome.REFUSE
        and message.asked_anonymously
        and over_anonymous_limits(recipient.anonymous, anonymous_limits)
    ):
        return GateDecision(GateOutcome.REFUSE, "too many messages asked for this address")
    if decision.outcome is GateOutcome.REFUSE or not message.is_invitation:
        return decision
    eligibility = invitation_eligibility(
        recipient.contact, recipient.do_not_contact, limits, now, status=recipient.status.value
    )
    if not eligibility.may_invite:
        return GateDecision(GateOutcome.REFUSE, "; ".join(eligibility.reasons))
    return replace(decision, override_id=eligibility.uses_override)


def safe_contact_decision(
    recipient: Recipient, message: OutgoingMessage, now: datetime
) -> GateDecision:
    """The gate's decision on membership, consent, channel and safe times. Nothing overrides
    them: not who asked for the message, nor how urgent a link is."""
    if recipient.status in {MemberStatus.LEFT, MemberStatus.ERASED}:
        return GateDecision(GateOutcome.REFUSE, "no longer a member")
    # "Do not contact" covers everything, account messages included; only staff lift it.
    if recipient.do_not_contact:
        return GateDecision(GateOutcome.REFUSE, "marked do not contact")
    if message.purpose is not None:
        if recipient.status is not MemberStatus.ACTIVE:
            return GateDecision(GateOutcome.REFUSE, f"membership is {recipient.status.value}")
        # Being contacted at all rests on the membership consent; each purpose needs its own too.
        for needed in dict.fromkeys((Purpose.MEMBERSHIP, message.purpose)):
            if not recipient.consents.get(needed, ConsentState.NEVER_ASKED).allows_contact:
                return GateDecision(GateOutcome.REFUSE, f"no consent for {needed.value}")
    preference = recipient.preferences.get(message.channel)
    if preference is None or not preference.safe:
        return GateDecision(GateOutcome.REFUSE, f"{message.channel.value} is not marked safe")
    if not preference.windows:
        return GateDecision(GateOutcome.SEND)
    if any(window.contains(now) for window in preference.windows):
        return GateDecision(GateOutcome.SEND)
    openings = [opening for window in preference.windows if (opening := window.next_opening(now))]
    if not openings:
        return GateDecision(GateOutcome.REFUSE, "no safe time is set")
    return GateDecision(GateOutcome.HOLD, "outside the safe times", hold_until=min(openings))


def over_anonymous_limits(history: AnonymousHistory, limits: AnonymousLimits) -> bool:
    """Whether one more message asked for anonymously would go over the cap."""
    return history.last_hour >= limits.per_hour or history.last_day >= limits.per_day
