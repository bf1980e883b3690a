"""The form on which staff record a consent given or withdrawn by phone, on paper or by email."""

from __future__ import annotations

from panel.consent.forms import clean_staff_consent
from panel.consent.rules import Channel, Purpose

GOOD = {
    "purpose": "focus_groups",
    "given": "given",
    "channel": "phone",
    "attestation": "I read the wording to them on the phone and they agreed.",
}


def test_a_complete_form_is_accepted():
    cleaned, errors = clean_staff_consent(GOOD)
    assert errors == {}
    assert cleaned is not None
    assert (cleaned.purpose, cleaned.given, cleaned.channel) == (
        Purpose.FOCUS_GROUPS,
        True,
        Channel.PHONE,
    )


def test_withdrawn_on_paper_is_accepted():
    cleaned, _ = clean_staff_consent(GOOD | {"given": "withdrawn", "channel": "paper"})
    assert cleaned is not None and cleaned.given is False and cleaned.channel is Channel.PAPER


def test_every_field_is_required_and_says_what_is_missing():
    cleaned, errors = clean_staff_consent({"attestation": "  "})
    assert cleaned is None
    assert errors == {
        "purpose": "Select what the consent is for",
        "given": "Select whether they gave or withdrew consent",
        "channel": "Select how they told you",
        "attestation": "Say who assisted and how the member agreed",
    }


def test_staff_cannot_record_a_consent_as_given_online():
    cleaned, errors = clean_staff_consent(GOOD | {"channel": "web"})
    assert cleaned is None and set(errors) == {"channel"}


def test_unknown_purposes_are_refused():
    assert clean_staff_consent(GOOD | {"purpose": "everything"})[1] == {
        "purpose": "Select what the consent is for"
    }
