"""Validation of the form on which staff grant an override of a member's contact limits."""

from __future__ import annotations

from panel.engagements.rules import OVERRIDE_REASON_MAX_LENGTH


def clean_override(values: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    """The reason for the override, or an error: a reason is required."""
    reason = values.get("reason", "").strip()
    if not reason:
        return None, {"reason": "Say why they should be invited despite the limits"}
    if len(reason) > OVERRIDE_REASON_MAX_LENGTH:
        return None, {
            "reason": f"The reason must be {OVERRIDE_REASON_MAX_LENGTH} characters or fewer"
        }
    return reason, {}
