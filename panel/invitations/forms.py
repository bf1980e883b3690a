"""The answer to an invitation as a member fills it in: what they need for the session and the
costs they expect to claim."""

from __future__ import annotations

from panel.invitations.services import AcceptDetails
from panel.members.rules import ACCESS_NEEDS
from panel.web.forms import codes, many, one

Values = dict[str, list[str]]
Errors = dict[str, str]

ANYTHING_ELSE_MAX = 500
COSTS = (
    ("travel", "Travel costs, such as bus or train fares, a taxi or parking"),
    ("care", "Care costs, such as childcare or care for someone while you are with us"),
)


def clean_acceptance(values: Values) -> tuple[AcceptDetails | None, Errors]:
    needs = many(values, "needs")
    anything_else = one(values, "anything_else")
    costs = many(values, "costs")
    errors: Errors = {}
    if any(need not in codes(ACCESS_NEEDS) for need in needs):
        errors["needs"] = "Select what you need from the list"
    if len(anything_else) > ANYTHING_ELSE_MAX:
        errors["anything_else"] = (
            f"Anything else we should know must be {ANYTHING_ELSE_MAX} characters or fewer"
        )
    if any(cost not in codes(COSTS) for cost in costs):
        errors["costs"] = "Select the costs from the list"
    if errors:
        return None, errors
    return AcceptDetails(
        needs=tuple(dict.fromkeys(needs)),
        other_needs=anything_else,
        claims_travel="travel" in costs,
        claims_care="care" in costs,
    ), {}
