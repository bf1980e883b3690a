"""Claims for the costs of taking part: what can be claimed, what a receipt may be, how an amount
is read, and who may claim. No I/O."""

from __future__ import annotations

import enum
import re
from decimal import Decimal, InvalidOperation

MAX_AMOUNT_PENCE = 100_000  # £1,000: more than any one session's costs; larger goes by hand
DESCRIPTION_MAX = 500
REFUSAL_MAX = 500


class CostKind(enum.StrEnum):
    TRAVEL = "travel"
    CARE = "care"

    @property
    def label(self) -> str:
        return "Travel" if self is CostKind.TRAVEL else "Care"


COST_KINDS = (
    (CostKind.TRAVEL.value, "Travel, such as bus or train fares, a taxi or parking"),
    (CostKind.CARE.value, "Care, such as childcare or care for someone while you were with us"),
)


class ClaimStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {
            "submitted": "Waiting for a decision",
            "approved": "Approved",
            "refused": "Refused",
        }[self.value]


# Claims can be made by those who came, and by those who had a place (costs may be paid before).
MAY_CLAIM = frozenset({"accepted", "attended", "cancelled_late"})

# What a receipt may be, told by its first bytes (not by its name or what the browser says).
RECEIPT_TYPES = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "application/pdf": b"%PDF-",
}
RECEIPT_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def receipt_type(data: bytes) -> str | None:
    """The receipt's type from its content, or None when it is not a JPEG, PNG or PDF."""
    return next((kind for kind, magic in RECEIPT_TYPES.items() if data.startswith(magic)), None)


AMOUNT = re.compile(r"^£?\s*(\d{1,6}(?:,\d{3})*|\d+)(\.\d{1,2})?$")


def amount_in_pence(text: str) -> int | None:
    """An amount as people type it ("12.50", "£12.50", "1,020") in pence, or None."""
    cleaned = text.strip()
    if not AMOUNT.match(cleaned):
        return None
    try:
        pounds = Decimal(cleaned.lstrip("£").strip().replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    return int(pounds * 100)


def pounds(pence: int) -> str:
    """Pence as money is written: £12.50, £1,020.00."""
    return f"£{pence // 100:,}.{pence % 100:02d}"
