"""Pure decisions of the contact gate: whether a message may go to a member now, must wait for a
safe time, or must not go at all. No I/O."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from panel.consent.rules import ConsentState, Purpose
from panel.engagements.rules import (
    DEFAULT_LIMITS,
    NO_HISTORY,
    ContactHistory,
    ContactLimits,
    invitation_eligibility,
)
from panel.members.rules import ChannelPreference, ContactChannel, MemberStatus

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
