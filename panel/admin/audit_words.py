"""The audit log in words an admin reads: who did what, to whom. No I/O.

Each action the application records (``audit.services.ACTIONS``) has a sentence here, written
three ways: about someone or something (``{whom}`` marks where their name goes, a link to their
record or account), about the actor's own record or account, and with nothing acted on. The
sentence's other fields come from the event's details, in the words the pages use: a consent's
title, a channel's label, a date in UK time. What a sentence needs to know of the people and
things it names (their names, emails and roles, reasons' wording, consent titles) is looked up
by ``admin.services`` for the whole page at once and handed in as ``Known``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from panel.accounts.rules import ROLE_LABELS, Role
from panel.consent.rules import CHANNEL_LABELS, Channel
from panel.directory.rules import LOG_CHANNELS, LOG_REASONS
from panel.directory.words import filter_in_words
from panel.engagements.rules import EngagementStatus
from panel.members.rules import label_of, name_to_show
from panel.representation.rules import DIMENSIONS_BY_CODE
from panel.web.templating import TIME_ZONE_LABEL


@dataclass(frozen=True)
class Link:
    """Words that link to a page, by the page's route name and its path's values."""

    text: str
    route: str
    params: Mapping[str, Any] = field(default_factory=dict)


Part = str | Link


@dataclass(frozen=True)
class Told:
    """One event, told: who did it (and as what), and what they did, to whom, as a sentence."""

    who: Part
    role: str
    what: tuple[Part, ...]


@dataclass(frozen=True)
class Account:
    user_id: int
    email: str
    role: str


@dataclass(frozen=True)
class MemberSeen:
    member_id: int
    preferred_name: str
    erased: bool
    user_id: int | None


@dataclass(frozen=True)
class Known:
    """What the sentences of one page need to know, looked up once for all its events."""

    accounts: Mapping[int, Account] = field(default_factory=dict)
    members: Mapping[int, MemberSeen] = field(default_factory=dict)
    members_by_user: Mapping[int, MemberSeen] = field(default_factory=dict)
    reasons: Mapping[int, str] = field(default_factory=dict)  # decline reasons' wording
    purpose_titles: Mapping[str, str] = field(default_factory=dict)
    filter_options: Mapping[str, Any] = field(default_factory=dict)  # the directory's choices
    local_date: Callable[[datetime | None], str] = lambda value: ""
    local_datetime: Callable[[datetime | None], str] = lambda value: ""


@dataclass(frozen=True)
class Event:
    """An audit row as the page reads it (``detail`` parsed from its JSON)."""

    action: str
    actor_id: int | None
    client_hash: str
    object_type: str
    object_id: str
    detail: Mapping[str, Any]


Details = Callable[[Mapping[str, Any], Known], Mapping[str, str]]


@dataclass(frozen=True)
class Sentence:
    about: str  # done to someone or something: "{whom}" is where they are named
    own: str | None = None  # done by someone to their own record or account
    alone: str | None = None  # nothing acted on, or nothing the log can name
    details: Details | None = None  # the other fields of the sentence, from the event's details


# ---------------------------------------------------------------------------------------------
# The fields sentences take from an event's details


def told(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    """What the contact gate did with the email the action sent (``notify.rules.GateOutcome``)."""
    return {
        "told": {
            "send": ", and the email was sent",
            "hold": ", and the email waits for a time they said is safe",
            "refuse": ", but no email was sent: the contact rules did not allow it",
        }.get(str(detail.get("told", "")), "")
    }


def role_label(code: Any) -> str:
    try:
        return ROLE_LABELS[Role(code)]
    except ValueError:
        return readable(str(code))


def consent_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    purpose = str(detail.get("purpose", ""))
    try:
        channel = CHANNEL_LABELS[Channel(str(detail.get("channel", "")))]
    except ValueError:
        channel = readable(str(detail.get("channel", "")))
    return {
        "purpose": f"“{known.purpose_titles.get(purpose) or readable(purpose)}”",
        "channel": channel[:1].lower() + channel[1:],
    }


def pause_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    ends = moment(detail.get("until"))
    return {"until": f"until {known.local_date(ends)}" if ends else "until further notice"}


# What a member changed on their own pages (``portal.services.record_profile_change``).
# What a member's answers are about (``members.services.record_profile_change``, and the
# directory's ``ChangeTopic`` when staff open them to change), as their own and as someone's.
PROFILE_TOPICS = {
    "details": ("their name or contact details", "the name and contact details"),
    "safe contact": ("how it is safe to contact them", "the safe contact answers"),
    "experience": ("what they told us happened", "the answers about what happened"),
    "access needs": ("what they need to take part", "the access needs"),
    "ways to take part": ("how they would like to take part", "the ways of taking part"),
    "equality": ("their equality answers", "the equality answers"),
}


def topic_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    topic = str(detail.get("topic", "")).replace("_", " ")
    own, someone_s = PROFILE_TOPICS.get(topic, ("their details", "the details"))
    return {"own_topic": own, "topic": someone_s}


def contact_log_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    """The kind of contact and why, in the words of the contact log's form."""
    channel = label_of(LOG_CHANNELS, str(detail.get("channel", "")))
    reason = label_of(LOG_REASONS, str(detail.get("reason", "")))
    return {"channel": channel[:1].lower() + channel[1:], "reason": reason[:1].lower() + reason[1:]}


def decision_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    reason = known.reasons.get(number(detail.get("reason")) or 0)
    return {**told(detail, known), "reason": f", giving the reason “{reason}”" if reason else ""}


def export_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    rows = number(detail.get("rows")) or 0
    filters = filter_in_words(detail.get("filter") or {}, known.filter_options)
    return {
        "rows": f"{rows} {'member' if rows == 1 else 'members'}",
        "filters": (", filtered by " + "; ".join(filters)) if filters else ", with no filters",
    }


def targets_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    if detail.get("restored"):
        return {"changed": "Went back to the default representation targets", "source": ""}
    source = str(detail.get("source", ""))
    return {
        "changed": "Set the representation targets",
        "source": f" (source: {source})" if source else "",
    }


def override_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    expires = moment(detail.get("expires_at"))
    return {"expires": f"{known.local_datetime(expires)} ({TIME_ZONE_LABEL})" if expires else ""}


def engagement_status_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    def label(code: Any) -> str:
        try:
            return EngagementStatus(code).label.lower()
        except ValueError:
            return "another status"

    return {"from_status": label(detail.get("from")), "to_status": label(detail.get("to"))}


def cancellation_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    invitees, told = detail.get("invitees"), detail.get("told")
    if not isinstance(invitees, int) or not invitees:
        return {"invitees": ""}
    people = "person" if invitees == 1 else "people"
    return {"invitees": f": {invitees} {people} invited, {told} told by email"}


def selection_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    panel, pool = detail.get("panel"), detail.get("pool")
    if not isinstance(panel, int) or not isinstance(pool, int):
        return {"chosen": ""}
    return {"chosen": f": {panel} of a pool of {pool:,}"}


def invitations_sent_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    invited = number(detail.get("invited")) or 0
    return {"invited": f"{invited} {'person' if invited == 1 else 'people'}"}


ANSWER_WORDS = {
    "accept": "Accepted an invitation to",
    "decline": "Declined an invitation to",
    "cancel": "Gave up a place at",
}


def answer_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    return {"answered": ANSWER_WORDS.get(str(detail.get("answer")), "Answered an invitation to")}


def support_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    return {"marked": "arranged" if detail.get("arranged") is True else "not yet arranged"}


def expense_decision_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    return {"decided": "Approved" if detail.get("decision") == "approved" else "Refused"}


def expenses_exported_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    return {"claims": str(number(detail.get("claims")) or 0)}


def notes_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    """How much the redaction replaced and how many words the writer put back: never the words."""
    replaced, put_back = number(detail.get("replaced")), number(detail.get("put_back"))
    if replaced is None or put_back is None:
        return {"counts": ""}
    return {"counts": f": {replaced} replaced, {put_back} put back by the writer"}


def quote_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    quotes = number(detail.get("quotes")) or 0
    return {"quotes": f", with {quotes} quote{'' if quotes == 1 else 's'}" if quotes else ""}


def review_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    return {"reviewed": "Approved" if detail.get("status") == "approved" else "Did not approve"}


def case_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    """Which case of the review, by its number there; for an added one, how much the redaction
    replaced."""
    case = number(detail.get("number"))
    replaced = number(detail.get("replaced"))
    by = {"member": "as a member reviewer", "partner": "for a partner agency's reviewer"}
    return {
        "case": f"case {case}" if case is not None else "a case",
        "replaced": f": {replaced} replaced" if replaced is not None else "",
        "by": by.get(str(detail.get("by", "")), ""),
    }


def action_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    """How many findings an action was made from; the status an update moved it to."""
    findings = number(detail.get("findings"))
    status = str(detail.get("status", ""))
    return {
        "findings": f", from {findings} finding{'' if findings == 1 else 's'}" if findings else "",
        "status": f", moving it to {readable(status).lower()}" if status else "",
    }


def import_fields(detail: Mapping[str, Any], known: Known) -> dict[str, str]:
    added = number(detail.get("added")) or 0
    return {"added": f"{added} {'person' if added == 1 else 'people'}"}


# ---------------------------------------------------------------------------------------------
# Every action, as a sentence

SENTENCES: dict[str, Sentence] = {
    "sign_in": Sentence(own="Signed in", about="Signed in to the account of {whom}"),
    "sign_in_failed": Sentence(
        own="Could not sign in: the password was wrong, or the account is not in use",
        about="Could not sign in to the account of {whom}",
        alone="Could not sign in: no account has that email address",
    ),
    "sign_in_throttled": Sentence(
        own="Was refused sign-in after too many attempts",
        about="Was refused sign-in to the account of {whom} after too many attempts",
        alone="Was refused sign-in after too many attempts, with an email address that has no "
        "account",
    ),
    "sign_out": Sentence(own="Signed out", about="Signed out of the account of {whom}"),
    "two_factor_set_up": Sentence(
        own="Set up two-factor sign-in", about="Set up two-factor sign-in for {whom}"
    ),
    "two_factor_failed": Sentence(
        own="Entered a wrong two-factor code",
        about="Entered a wrong two-factor code for the account of {whom}",
    ),
    "two_factor_locked": Sentence(
        own="Was locked out of two-factor sign-in for a while, after too many wrong codes",
        about="Two-factor sign-in to the account of {whom} was locked for a while, after too "
        "many wrong codes",
    ),
    "two_factor_reset": Sentence(
        own="Reset their own two-factor sign-in", about="Reset the two-factor sign-in of {whom}"
    ),
    "password_reset_requested": Sentence(
        own="Asked for a password reset link{told}",
        about="Asked for a password reset link for {whom}{told}",
        details=told,
    ),
    "password_reset": Sentence(
        own="Set a new password with a reset link",
        about="Set a new password for {whom} with a reset link",
    ),
    "sign_in_link_requested": Sentence(
        own="Asked for a sign-in link{told}",
        about="Asked for a sign-in link for {whom}{told}",
        details=told,
    ),
    "user_created": Sentence(
        about="Created an account for {whom}, with the role {role}",
        details=lambda detail, known: {"role": role_label(detail.get("role", ""))},
    ),
    "role_changed": Sentence(
        about="Changed the role of {whom} from {old} to {new}",
        details=lambda detail, known: {
            "old": role_label(detail.get("from", "")),
            "new": role_label(detail.get("to", "")),
        },
    ),
    "consent_given": Sentence(
        own="Agreed to {purpose} ({channel})",
        about="Recorded that {whom} agreed to {purpose} ({channel})",
        details=consent_fields,
    ),
    "consent_withdrawn": Sentence(
        own="Withdrew their agreement to {purpose} ({channel})",
        about="Recorded that {whom} withdrew their agreement to {purpose} ({channel})",
        details=consent_fields,
    ),
    "member_erased": Sentence(
        own="Left the panel, and their details were erased",
        about="Removed {whom} from the panel and erased their details",
    ),
    "sign_up_submitted": Sentence(
        own="Applied to join the panel", about="Sent an application to join the panel for {whom}"
    ),
    "sign_up_existing_email": Sentence(
        about="Tried to sign up with the email address of {whom}, who already has an account"
    ),
    "sign_up_verified": Sentence(
        own="Confirmed their email address", about="Confirmed the email address of {whom}"
    ),
    "membership_paused": Sentence(
        own="Paused their membership {until}",
        about="Paused the membership of {whom} {until}",
        details=pause_fields,
    ),
    "membership_resumed": Sentence(
        own="Resumed their membership", about="Resumed the membership of {whom}"
    ),
    "member_data_downloaded": Sentence(
        own="{verb} their data{how}",
        about="{verb} the data of {whom}{how}",
        details=lambda detail, known: (
            {"verb": "Downloaded", "how": " as a file"}
            if detail.get("format") == "json"
            else {"verb": "Looked at", "how": " on screen"}
        ),
    ),
    "member_profile_changed": Sentence(
        own="Changed {own_topic}", about="Changed {topic} of {whom}", details=topic_fields
    ),
    "member_profile_opened_by_staff": Sentence(
        about="Opened {topic} of {whom}, to change them for them", details=topic_fields
    ),
    "member_profile_changed_by_staff": Sentence(
        about="Changed {topic} of {whom}, for them", details=topic_fields
    ),
    "member_contact_logged": Sentence(
        about="Logged contact with {whom}: {channel}, {reason}", details=contact_log_fields
    ),
    "member_consents_viewed": Sentence(about="Looked at the consents of {whom}"),
    "application_viewed": Sentence(about="Opened the application of {whom}"),
    "application_approved": Sentence(
        about="Approved the application of {whom}{told}", details=told
    ),
    "application_declined": Sentence(
        about="Declined the application of {whom}{reason}{told}", details=decision_fields
    ),
    "more_information_asked": Sentence(
        about="Asked {whom} for more information about their application{told}", details=told
    ),
    "decline_reason_added": Sentence(about="Added a reason for declining an application: {whom}"),
    "decline_reason_reworded": Sentence(
        about="Reworded a reason for declining an application; it now reads {whom}"
    ),
    "decline_reason_retired": Sentence(
        about="Stopped offering a reason for declining an application: {whom}"
    ),
    "decline_reason_restored": Sentence(
        about="Offered a reason for declining an application again: {whom}"
    ),
    "member_record_viewed": Sentence(about="Opened the record of {whom}"),
    "member_list_exported": Sentence(
        about="Downloaded the member list (CSV) of {rows}{filters}",
        details=export_fields,
    ),
    "do_not_contact_set": Sentence(about="Marked {whom} do not contact"),
    "do_not_contact_cleared": Sentence(about="Cleared do not contact for {whom}"),
    "representation_targets_changed": Sentence(
        about="{changed} for {whom}{source}", details=targets_fields
    ),
    "contact_limits_viewed": Sentence(about="Looked at the contact limits of {whom}"),
    "contact_override_granted": Sentence(
        about="Let one more invitation to {whom} through the contact limits, until {expires}",
        details=override_fields,
    ),
    "contact_override_revoked": Sentence(
        about="Revoked the override of the contact limits for {whom}"
    ),
    "members_imported": Sentence(
        about="Imported {added} from a spreadsheet", details=import_fields
    ),
    "engagement_created": Sentence(about="Created {whom}"),
    "engagement_changed": Sentence(about="Changed the plan of {whom}"),
    "engagement_status_changed": Sentence(
        about="Moved {whom} from {from_status} to {to_status}", details=engagement_status_fields
    ),
    "engagement_cancelled": Sentence(
        about="Cancelled {whom}{invitees}", details=cancellation_fields
    ),
    "register_taken": Sentence(about="Took the register of {whom}"),
    "notes_saved": Sentence(about="Saved the notes of {whom}{counts}", details=notes_fields),
    "finding_recorded": Sentence(
        about="Recorded a finding of {whom}{quotes}", details=quote_fields
    ),
    "finding_reviewed": Sentence(about="{reviewed} a finding of {whom}", details=review_fields),
    "case_summary_added": Sentence(about="Added {case} to {whom}{replaced}", details=case_fields),
    "case_summary_viewed": Sentence(
        about="Read the summary of {case} of {whom}", details=case_fields
    ),
    "action_created": Sentence(about="Started {whom}{findings}", details=action_fields),
    "action_changed": Sentence(about="Changed {whom}"),
    "action_updated": Sentence(about="Added an update to {whom}{status}", details=action_fields),
    "action_agency_added": Sentence(about="Added {whom} to the agencies that own actions"),
    "action_agency_retired": Sentence(about="Retired {whom} from the agencies that own actions"),
    "action_agency_restored": Sentence(about="Used {whom} again as an owner of actions"),
    "horizon_item_added": Sentence(about="Added {whom}"),
    "horizon_item_decided": Sentence(about="Decided {whom}{status}", details=action_fields),
    "horizon_item_adopted": Sentence(about="Adopted {whom} through an action"),
    "case_assessed": Sentence(about="Assessed {case} of {whom} {by}", details=case_fields),
    "selection_swapped": Sentence(about="Swapped a chosen member of {whom} for a reserve"),
    "selection_made": Sentence(
        about="Selected participants for {whom}{chosen}", details=selection_fields
    ),
    "invitations_sent": Sentence(
        about="Invited {invited} to {whom}", details=invitations_sent_fields
    ),
    "invitation_answered": Sentence(about="{answered} {whom}", details=answer_fields),
    "partner_reviewer_added": Sentence(about="Added a partner agency reviewer to {whom}"),
    "partner_reviewer_removed": Sentence(about="Removed a partner agency reviewer from {whom}"),
    "expense_claimed": Sentence(about="Claimed expenses for {whom}", own="Claimed expenses"),
    "expense_decided": Sentence(
        about="{decided} an expense claim of {whom}", details=expense_decision_fields
    ),
    "expense_receipt_viewed": Sentence(about="Looked at a receipt of {whom}"),
    "expenses_exported": Sentence(
        about="Exported approved expenses",
        alone="Exported {claims} approved expense claims",
        details=expenses_exported_fields,
    ),
    "invitation_support_arranged": Sentence(
        about="Marked support for a participant of {whom} as {marked}", details=support_fields
    ),
}


# ---------------------------------------------------------------------------------------------
# Telling an event

# Who acted when no one was signed in and it was not a web request: the system's own work.
SYSTEM_WORK = {
    "retention job": "Daily clean-up",
    "command line": "The panel command",
    "demo data": "Demo data",
}
KEYED_HASH = re.compile(r"[0-9a-f]{64}")


def readable(code: str) -> str:
    """A code as words, for one no sentence knows: "some_new_action" → "Some new action"."""
    return code.replace("_", " ").strip().capitalize()


def number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def member_link(member: MemberSeen) -> Part:
    if member.erased:
        return "an erased member"
    return Link(
        name_to_show(member.preferred_name), "directory:record", {"member_id": member.member_id}
    )


def account_link(account: Account, known: Known) -> Part:
    """A member's account is named by the member; a staff account by its email."""
    if account.role == Role.MEMBER:
        member = known.members_by_user.get(account.user_id)
        return member_link(member) if member else "a member"
    return Link(account.email, "admin:user_detail", {"user_id": account.user_id})


def whom_of(event: Event, known: Known) -> Part | None:
    """Who or what the event was about, as the sentence names it; None when nothing was."""
    object_id = number(event.object_id)
    if event.object_type == "member":
        member = known.members.get(object_id or 0)
        return member_link(member) if member else "an erased member"
    if event.object_type == "user":
        account = known.accounts.get(object_id or 0)
        return account_link(account, known) if account else "an account that has since been removed"
    if event.object_type == "decline_reason":
        wording = known.reasons.get(object_id or 0)
        if wording is None:
            return "a reason no longer on record"
        return Link(f"“{wording}”", "screening:reason", {"reason_id": object_id})
    if event.object_type == "representation_targets":
        dimension = DIMENSIONS_BY_CODE.get(event.object_id)
        if dimension is None:
            return readable(event.object_id)
        return Link(
            dimension.title.lower(), "representation:targets_edit", {"dimension": dimension.code}
        )
    if event.object_type in {"", "member_list", "import"}:
        return None
    return f"{readable(event.object_type)} {event.object_id}".strip()


def who_of(event: Event, known: Known) -> tuple[Part, str]:
    """Who acted, and as what: an account (a member by name, staff by email) and its role, the
    system, someone who was not signed in, or a member whose account went when they left."""
    if event.actor_id is None:
        if KEYED_HASH.fullmatch(event.client_hash):  # a web request: an address, hashed
            return "Someone not signed in", ""
        return "The system", SYSTEM_WORK.get(event.client_hash, "")
    account = known.accounts.get(event.actor_id)
    if account is None:
        # Only leaving the panel deletes an account: whoever it was, they were a member.
        return "A former member", ""
    who = account_link(account, known)
    return (who[:1].upper() + who[1:] if isinstance(who, str) else who), role_label(account.role)


def acted_on_own(event: Event, known: Known) -> bool:
    """Whether the actor acted on their own account or record. A member whose account has gone
    acted on their own record when it is erased: members act on nothing else."""
    if event.actor_id is None:
        return False
    object_id = number(event.object_id)
    if event.object_type == "user":
        return object_id == event.actor_id
    if event.object_type == "member":
        member = known.members.get(object_id or 0)
        if event.actor_id not in known.accounts:
            return member is None or member.erased
        return member is not None and member.user_id == event.actor_id
    return False


class Blank(dict[str, str]):
    """Fields a sentence names but the event's details did not give read as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def sentence_for(event: Event) -> Sentence:
    """The action's sentence; an action no sentence knows is told in its own words and details."""
    if event.action in SENTENCES:
        return SENTENCES[event.action]
    words = readable(event.action)
    return Sentence(
        about=words + ": {whom}{detail}",
        alone=words + "{detail}",
        details=lambda detail, known: {
            "detail": "".join(f"; {readable(str(k))}: {v}" for k, v in detail.items())
        },
    )


def tell(event: Event, known: Known) -> Told:
    sentence = sentence_for(event)
    whom = whom_of(event, known)
    if sentence.own is not None and acted_on_own(event, known):
        text = sentence.own
    elif whom is None and sentence.alone is not None:
        text = sentence.alone
    else:
        text = sentence.about
    fields = Blank(sentence.details(event.detail, known) if sentence.details else {})
    before, marker, after = text.partition("{whom}")
    what: list[Part] = [before.format_map(fields)]
    if marker:
        what += [whom or "nothing on record", after.format_map(fields)]
    who, role = who_of(event, known)
    return Told(who=who, role=role, what=tuple(part for part in what if part))
