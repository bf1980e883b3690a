"""Every email renders, and no subject line or sender name could tell an onlooker what the panel is about."""

from __future__ import annotations

import re

import pytest

from panel.notify.messages import ALL_KINDS
from panel.notify.services import render_message
from panel.settings import Settings

FORBIDDEN = re.compile(
    r"victim|crime|criminal|abuse|rape|assault|police|court|offence|offender|witness|stalk|violence|domestic",
    re.IGNORECASE,
)
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
    "name": "Sam",
}


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda kind: kind.template)
def test_every_message_renders_with_a_neutral_subject(kind):
    settings = Settings(secret_key="x" * 40, database_url="sqlite:///x")
    text, html = render_message(kind, settings, CONTEXT)
    assert text.strip() and "<html" in html
    assert not FORBIDDEN.search(kind.subject), kind.subject


def test_the_default_sender_name_is_neutral():
    assert not FORBIDDEN.search(Settings().email_from_name)


def test_the_neutrality_check_would_catch_a_bad_subject():
    assert FORBIDDEN.search("Your Victim Support survey")
