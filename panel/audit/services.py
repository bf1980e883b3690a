"""Writing and reading the audit log. The only write is an insert."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from panel import db
from panel.audit.tables import AuditEvent

# Every action the application records, with the words an admin filters by.
ACTIONS = {
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in failed",
    "sign_in_throttled": "Sign-in refused: too many attempts",
    "sign_out": "Signed out",
    "two_factor_set_up": "Two-factor set up",
    "two_factor_failed": "Two-factor code refused",
    "two_factor_locked": "Two-factor locked: too many wrong codes",
    "two_factor_reset": "Two-factor reset by an admin",
    "password_reset_requested": "Password reset asked for",
    "password_reset": "Password reset",
    "sign_in_link_requested": "Sign-in link asked for",
    "user_created": "Account created",
    "role_changed": "Role changed",
    "consent_given": "Consent given",
    "consent_withdrawn": "Consent withdrawn",
    "member_erased": "Member left and was erased",
    "sign_up_submitted": "Applied to join the panel",
    "sign_up_existing_email": "Sign-up with an email that already has an account",
    "sign_up_verified": "Applicant confirmed their email address",
    "membership_paused": "Membership paused",
    "membership_resumed": "Membership resumed",
    "member_data_downloaded": "Member downloaded their data",
    "member_profile_changed": "Member changed their details",
    "member_profile_opened_by_staff": "Member's details opened by staff to change them",
    "member_profile_changed_by_staff": "Member's details changed by staff for them",
    "member_contact_logged": "Contact with a member logged",
    "member_consents_viewed": "Member's consents viewed",
    "application_viewed": "Application opened",
    "application_approved": "Application approved",
    "application_declined": "Application declined",
    "more_information_asked": "More information asked for",
    "decline_reason_added": "Decline reason added",
    "decline_reason_reworded": "Decline reason reworded",
    "decline_reason_retired": "Decline reason retired",
    "decline_reason_restored": "Decline reason restored",
    "member_record_viewed": "Member's record opened",
    "member_list_exported": "Member list exported",
    "do_not_contact_set": "Member marked do not contact",
    "do_not_contact_cleared": "Member's do not contact cleared",
    "representation_targets_changed": "Representation targets changed",
    "contact_limits_viewed": "Member's contact limits viewed",
    "contact_override_granted": "Contact limit override granted",
    "contact_override_revoked": "Contact limit override revoked",
    "members_imported": "Members imported from a spreadsheet",
    "engagement_created": "Engagement created",
    "engagement_changed": "Engagement changed",
    "engagement_status_changed": "Engagement moved on",
    "engagement_cancelled": "Engagement cancelled",
    "selection_made": "Participants selected",
    "selection_swapped": "A chosen member swapped for a reserve",
    "register_taken": "Register taken",
    "notes_saved": "Session notes saved",
    "finding_recorded": "Finding recorded",
    "finding_reviewed": "Finding reviewed",
    "case_summary_added": "Case added to a review",
    "case_summary_viewed": "Case summary read",
    "case_assessed": "Case assessed",
    "action_created": "Improvement action started",
    "action_changed": "Improvement action changed",
    "action_updated": "Improvement action updated",
    "action_agency_added": "Agency added to the list of action owners",
    "action_agency_retired": "Agency retired from the list of action owners",
    "action_agency_restored": "Agency used again as an action owner",
    "horizon_item_added": "Horizon scanning item added",
    "horizon_item_decided": "Horizon scanning item decided",
    "horizon_item_adopted": "Horizon scanning item adopted",
    "invitations_sent": "Invitations sent",
    "invitation_answered": "Invitation answered",
    "invitation_support_arranged": "Support for a participant marked",
    "partner_reviewer_added": "Partner agency reviewer added",
    "partner_reviewer_removed": "Partner agency reviewer removed",
    "expense_claimed": "Expenses claimed",
    "expense_decided": "Expense claim decided",
    "expense_receipt_viewed": "Expense receipt viewed",
    "expenses_exported": "Approved expenses exported",
}


@dataclass(frozen=True)
class Actor:
    """Who did something and from where (the address only as a keyed hash)."""

    user_id: int | None
    client_hash: str


async def record_event(
    action: str,
    actor: Actor,
    *,
    object_type: str = "",
    object_id: object = "",
    detail: dict[str, Any] | None = None,
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action}")
    await AuditEvent.insert(
        AuditEvent(
            actor_id=actor.user_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            client_hash=actor.client_hash,
            detail=json.dumps(detail, sort_keys=True) if detail else "",
        )
    )


async def record_events(
    action: str,
    actor: Actor,
    *,
    object_type: str,
    objects: Sequence[tuple[object, dict[str, Any] | None]],
) -> None:
    """The same action on many objects at once (``(object_id, detail)`` each), as ``record_event``
    records one: a bulk change such as an import inserts thousands of events a statement."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action}")
    await db.insert_many(
        AuditEvent,
        [
            {
                "actor_id": actor.user_id,
                "action": action,
                "object_type": object_type,
                "object_id": str(object_id),
                "client_hash": actor.client_hash,
                "detail": json.dumps(detail, sort_keys=True) if detail else "",
            }
            for object_id, detail in objects
        ],
    )
