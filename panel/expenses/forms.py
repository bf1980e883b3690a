"""The expense forms as people fill them in: a claim with its receipt, and staff's decision."""

from __future__ import annotations

from panel.expenses.rules import (
    COST_KINDS,
    DESCRIPTION_MAX,
    MAX_AMOUNT_PENCE,
    REFUSAL_MAX,
    CostKind,
    amount_in_pence,
    pounds,
    receipt_type,
)
from panel.expenses.services import NewClaim
from panel.web.forms import codes, one

Values = dict[str, list[str]]
Errors = dict[str, str]


def clean_claim(
    values: Values, receipt: bytes | None, max_bytes: int, size_words: str
) -> tuple[NewClaim | None, Errors]:
    """A claim, or what is wrong with it. ``receipt`` is the file's bytes (up to one more than
    ``max_bytes``, so a larger one is noticed), None when no file was chosen."""
    errors: Errors = {}
    kind = one(values, "kind")
    if kind not in codes(COST_KINDS):
        errors["kind"] = "Select what the cost was for"
    amount = amount_in_pence(one(values, "amount"))
    if amount is None or amount < 1:
        errors["amount"] = "Enter the amount in pounds and pence, like 12.50"
    elif amount > MAX_AMOUNT_PENCE:
        errors["amount"] = (
            f"The amount must be {pounds(MAX_AMOUNT_PENCE)} or less. For more, please contact the team"
        )
    description = one(values, "description")
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = f"What it was for must be {DESCRIPTION_MAX} characters or fewer"
    found_type = None
    if not receipt:
        errors["receipt"] = "Choose a photo or PDF of the receipt"
    elif len(receipt) > max_bytes:
        errors["receipt"] = f"The receipt must be smaller than {size_words}"
    else:
        found_type = receipt_type(receipt)
        if found_type is None:
            errors["receipt"] = "The receipt must be a photo (JPEG or PNG) or a PDF"
    if errors or amount is None or found_type is None or receipt is None:
        return None, errors
    return NewClaim(CostKind(kind), amount, description, receipt, found_type), {}


def clean_decision(values: dict[str, str]) -> tuple[tuple[bool, str] | None, Errors]:
    decision = values.get("decision", "")
    reason = values.get("reason", "").strip()
    if decision not in ("approve", "refuse"):
        return None, {"decision": "Select whether to approve or refuse the claim"}
    if decision == "refuse" and not reason:
        return None, {"reason": "Enter why the claim is refused: the member will read it"}
    if len(reason) > REFUSAL_MAX:
        return None, {"reason": f"The reason must be {REFUSAL_MAX} characters or fewer"}
    return (decision == "approve", reason), {}
