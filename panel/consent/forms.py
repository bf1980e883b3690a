"""Validation of the form on which staff record a consent a member gave or withdrew by phone, on
paper or by email."""

from __future__ import annotations

from dataclasses import dataclass

from panel.consent.rules import CHANNEL_LABELS, Channel, Purpose

ATTESTATION_MAX_LENGTH = 2000

# Staff record what reached them another way: a consent given online the member records themselves.
STAFF_CHANNELS = tuple(
    (channel.value, CHANNEL_LABELS[channel]) for channel in Channel if channel is not Channel.WEB
)
GIVEN_OPTIONS = (("given", "They gave consent"), ("withdrawn", "They withdrew consent"))


@dataclass(frozen=True)
class StaffConsent:
    purpose: Purpose
    given: bool
    channel: Channel
    attestation: str


def clean_staff_consent(values: dict[str, str]) -> tuple[StaffConsent | None, dict[str, str]]:
    errors = {}
    purpose = next((p for p in Purpose if p.value == values.get("purpose", "")), None)
    if purpose is None:
        errors["purpose"] = "Select what the consent is for"
    given = values.get("given", "")
    if given not in {"given", "withdrawn"}:
        errors["given"] = "Select whether they gave or withdrew consent"
    channel = next(
        (Channel(code) for code, _ in STAFF_CHANNELS if code == values.get("channel", "")), None
    )
    if channel is None:
        errors["channel"] = "Select how they told you"
    attestation = values.get("attestation", "").strip()
    if not attestation:
        errors["attestation"] = "Say who assisted and how the member agreed"
    elif len(attestation) > ATTESTATION_MAX_LENGTH:
        errors["attestation"] = f"This must be {ATTESTATION_MAX_LENGTH} characters or fewer"
    if errors or purpose is None or channel is None:
        return None, errors
    return StaffConsent(purpose, given == "given", channel, attestation), {}
