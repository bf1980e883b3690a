"""Cleaning the forms only the member's own pages have: deciding on a consent, confirming changed
wording, and pausing. The answers sign-up asks too are cleaned in ``forms.py``.

Each function takes the submitted multi-dict (``panel.web.forms.form_multi_values``) and returns
``(cleaned, {})`` or ``(None, {field: message})``. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping

from panel.consent.rules import Purpose
from panel.members.rules import PAUSE_LENGTHS, ContactChannel, DetailsChange
from panel.web.forms import Errors, Values, codes, one

GIVE = "give"
WITHDRAW = "withdraw"


def clean_consent_decision(values: Values) -> bool | None:
    """The one button pressed on "What I have agreed to": True to give (or renew), False to
    withdraw, None for anything else (the page only ever sends one of the two)."""
    decision = one(values, "decision")
    return {GIVE: True, WITHDRAW: False}.get(decision)


def reconfirm_field(purpose: Purpose) -> str:
    return f"confirm_{purpose.value}"


def clean_reconfirmation(
    values: Values, titles: Mapping[Purpose, str]
) -> tuple[dict[Purpose, bool] | None, Errors]:
    """An answer (agree or withdraw) for each purpose whose wording changed, given with its title."""
    decisions: dict[Purpose, bool] = {}
    errors: Errors = {}
    for purpose, title in titles.items():
        answer = one(values, reconfirm_field(purpose))
        if answer not in {GIVE, WITHDRAW}:
            errors[reconfirm_field(purpose)] = (
                f"Select whether you agree to '{title}' as it now reads"
            )
        else:
            decisions[purpose] = answer == GIVE
    if errors:
        return None, errors
    return decisions, {}


def clean_pause(values: Values) -> tuple[str | None, Errors]:
    length = one(values, "length")
    if length not in codes(PAUSE_LENGTHS):
        return None, {"length": "Select how long you want to pause for"}
    return length, {}


def details_change_query(change: DetailsChange) -> dict[str, str]:
    """What saving their details did to their channels, for the address of the page that says so:
    each kind of change as a comma-separated list of channel codes, left out when empty."""
    kinds = {"stopped": change.stopped, "usable": change.now_usable, "moved": change.moved}
    return {kind: ",".join(channels) for kind, channels in kinds.items() if channels}


def details_change_from(stopped: str, usable: str, moved: str) -> DetailsChange:
    """``details_change_query`` read back; a code that is not a channel is ignored."""

    def channels(text: str) -> tuple[ContactChannel, ...]:
        known = {channel.value for channel in ContactChannel}
        return tuple(ContactChannel(code) for code in text.split(",") if code in known)

    return DetailsChange(channels(stopped), channels(usable), channels(moved))
