"""What the redaction finds, and the label each kind is replaced with."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    PARTICIPANT = "participant"
    OFFICER = "officer"
    PERSON = "person"
    PHONE = "phone"
    EMAIL = "email"
    POSTCODE = "postcode"
    ADDRESS = "address"
    DATE_OF_BIRTH = "date_of_birth"
    AGE = "age"
    REFERENCE = "reference"
    NI_NUMBER = "ni_number"
    VEHICLE = "vehicle"
    HANDLE = "handle"
    LINK = "link"
    COLLAR_NUMBER = "collar_number"
    REMOVED = "removed"  # a word the writer asked to remove everywhere

    @property
    def label(self) -> str:
        """The words in the replacement, "[PHONE]"; a participant's also has their number."""
        return LABELS[self]


LABELS = {
    Kind.PARTICIPANT: "PARTICIPANT",
    Kind.OFFICER: "OFFICER",
    Kind.PERSON: "PERSON",
    Kind.PHONE: "PHONE",
    Kind.EMAIL: "EMAIL",
    Kind.POSTCODE: "POSTCODE",
    Kind.ADDRESS: "ADDRESS",
    Kind.DATE_OF_BIRTH: "DATE OF BIRTH",
    Kind.AGE: "AGE",
    Kind.REFERENCE: "REFERENCE",
    Kind.NI_NUMBER: "NI NUMBER",
    Kind.VEHICLE: "VEHICLE",
    Kind.HANDLE: "SOCIAL MEDIA",
    Kind.LINK: "LINK",
    Kind.COLLAR_NUMBER: "COLLAR NUMBER",
    Kind.REMOVED: "REMOVED",
}


@dataclass(frozen=True, order=True)
class Found:
    """A stretch of the text to replace: ``text[start:end]`` is of ``kind``. ``number`` tells
    participants apart (1, 2, …); 0 for every other kind."""

    start: int
    end: int
    kind: Kind
    number: int = 0

    @property
    def label(self) -> str:
        if self.kind is Kind.PARTICIPANT:
            return f"[{self.kind.label} {self.number}]"
        return f"[{self.kind.label}]"
