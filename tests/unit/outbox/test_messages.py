"""Every email renders, and nothing in it (sender, subject, text or HTML body) could tell an onlooker
what the panel is about: a member's inbox may be read by the person who harmed them."""

from __future__ import annotations

import html
import re

import pytest

from panel.outbox.messages import ALL_KINDS
from panel.outbox.services import build_email, render_message
from panel.settings import REVEALING_WORDS, Settings, SettingsError, load_settings

SETTINGS = Settings(secret_key="x" * 40, database_url="sqlite:///x")
# Every variable any email template uses, with sample values; text staff write (a reason, a note,
# a question) is checked by the screening forms before it can reach an email.
CONTEXT = {
    "link": "https://panel.example.org/x",
    "minutes": 60,
    "days": 7,
    "role": "Staff",
    "purposes": ["Surveys"],
    "lapses_on": "1 January 2027",
    "reason": "You live outside the area the panel covers.",
    "note": "Thank you for thinking of us.",
    "message": "Which district do you live in? Reply to this email.",
    "hours": 48,
    "session_date": "Tuesday 12 January 2027",
    "session_time": "10am to 12 noon",
    "new_date": "Thursday 14 January 2027",
    "new_time": "2pm to 4pm",
}


def visible_text(markup: str) -> str:
    """The words of an HTML body a reader sees, and its link addresses and title."""
    return html.unescape(re.sub(r"<[^>]+>", " ", markup)) + " ".join(
        re.findall(r'(?:href|title)="([^"]*)"', markup)
    )


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda kind: kind.template)
def test_every_email_is_neutral_from_sender_to_last_line(kind):
    text, body = render_message(kind, SETTINGS, CONTEXT)
    assert text.strip() and "<html" in body
    email = build_email(
        {
            "to_address": "someone@example.org",
            "subject": kind.subject,
            "text_body": text,
            "html_body": body,
        },
        SETTINGS,
    )
    everything = " ".join([email["From"], email["Subject"], text, visible_text(body)])
    assert not REVEALING_WORDS.search(everything), REVEALING_WORDS.findall(everything)
    assert SETTINGS.service_name not in everything
    # Signed with the neutral sender name.
    assert text.rstrip().endswith(SETTINGS.email_from_name)


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda kind: kind.template)
def test_no_email_names_the_service_even_when_it_is_renamed(kind):
    renamed = SETTINGS.with_changes(service_name="Kent Survivors Forum")
    text, body = render_message(kind, renamed, CONTEXT)
    assert "Survivors" not in text and "Survivors" not in body


def test_the_confirmation_email_carries_no_name_typed_on_the_form():
    """It goes to an address not yet confirmed: the service must not carry a stranger's words."""
    from panel.outbox.messages import SIGN_UP_CONFIRM_EMAIL

    text, body = render_message(SIGN_UP_CONFIRM_EMAIL, SETTINGS, {**CONTEXT, "name": "Zebedee"})
    assert "Zebedee" not in text and "Zebedee" not in body


@pytest.mark.parametrize(
    "sample",
    [
        "Your Victim Support survey",
        "hate crime",
        "Police and Crime Commissioner",
        "after the court case",
        "domestic abuse",
        "OPCC panel",
        "WITNESSES",
    ],
)
def test_the_check_catches_revealing_words(sample):
    assert REVEALING_WORDS.search(sample)


@pytest.mark.parametrize("sample", ["whatever you choose", "with courtesy", "Engagement Panel"])
def test_the_check_leaves_ordinary_words_alone(sample):
    assert not REVEALING_WORDS.search(sample)


def test_the_default_sender_is_neutral_and_a_revealing_one_is_refused():
    assert not REVEALING_WORDS.search(Settings().email_from_name)
    with pytest.raises(SettingsError, match="PANEL_EMAIL_FROM_NAME"):
        load_settings({"PANEL_EMAIL_FROM_NAME": "Victims Panel", "PANEL_SECRET_KEY": "x" * 40})
    with pytest.raises(SettingsError, match="PANEL_EMAIL_FROM_ADDRESS"):
        load_settings(
            {"PANEL_EMAIL_FROM_ADDRESS": "crime-panel@example.org", "PANEL_SECRET_KEY": "x" * 40}
        )
