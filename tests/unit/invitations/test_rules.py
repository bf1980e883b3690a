"""What a member may answer, where a freed place goes, and which reminder is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from panel.engagements.rules import EngagementStatus
from panel.invitations.rules import (
    Answer,
    InvitationStatus,
    Places,
    answers_open,
    next_to_ask,
    reminder_due,
    reminders_covered,
    status_after,
)

START = datetime(2027, 1, 12, 10, 0, tzinfo=UTC)
BEFORE = START - timedelta(days=3)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("invited", (Answer.ACCEPT, Answer.DECLINE)),
        ("accepted", (Answer.CANCEL,)),
        ("waiting", (Answer.CANCEL,)),
        ("declined", ()),
        ("cancelled", ()),
        ("attended", ()),
    ],
)
def test_each_answer_is_given_once_in_its_turn(status, expected):
    assert answers_open(status, EngagementStatus.RECRUITING, START, BEFORE) == expected
    assert answers_open(status, EngagementStatus.CONFIRMED, START, BEFORE) == expected


@pytest.mark.parametrize(
    "engagement",
    [EngagementStatus.DRAFT, EngagementStatus.HELD, EngagementStatus.CANCELLED],
)
def test_nothing_can_be_answered_outside_recruiting_and_confirmed(engagement):
    assert answers_open("invited", engagement, START, BEFORE) == ()


def test_nothing_can_be_answered_once_the_session_starts():
    assert answers_open("invited", EngagementStatus.CONFIRMED, START, START) == ()
    assert answers_open("accepted", EngagementStatus.CONFIRMED, START, START - timedelta(seconds=1))


def test_accepting_takes_a_place_until_they_are_full_then_the_waiting_list():
    assert status_after(Answer.ACCEPT, 7, 8) is InvitationStatus.ACCEPTED
    assert status_after(Answer.ACCEPT, 8, 8) is InvitationStatus.WAITING
    assert status_after(Answer.DECLINE, 0, 8) is InvitationStatus.DECLINED
    assert status_after(Answer.CANCEL, 0, 8) is InvitationStatus.CANCELLED


def test_a_freed_place_goes_to_the_waiting_list_before_anyone_new_is_asked():
    places = Places(capacity=8, accepted=7, invited=0, waiting=2)
    assert (places.to_promote, places.to_invite) == (1, 0)
    places = Places(capacity=8, accepted=5, invited=1, waiting=1)
    assert (places.to_promote, places.to_invite) == (1, 1)
    # Over-invited on purpose: nobody more is asked while those asked could fill the places.
    assert Places(capacity=8, accepted=0, invited=10, waiting=0).to_invite == 0
    assert Places(capacity=8, accepted=8, invited=0, waiting=3).to_promote == 0


def test_the_next_to_ask_are_the_chosen_not_yet_invited_in_order():
    assert next_to_ask([4, 2, 9, 2, 7], {2}) == [4, 9, 7]


def test_only_the_nearest_reminder_due_is_sent_once():
    accepted = START - timedelta(days=20)
    days = (7, 1)
    assert reminder_due(START, accepted, START - timedelta(days=8), days, []) is None
    assert reminder_due(START, accepted, START - timedelta(days=6), days, []) == 7
    assert reminder_due(START, accepted, START - timedelta(days=6), days, [7]) is None
    assert reminder_due(START, accepted, START - timedelta(hours=20), days, [7]) == 1
    # A week's reminder missed: only the day's is sent.
    assert reminder_due(START, accepted, START - timedelta(hours=20), days, []) == 1
    assert reminder_due(START, accepted, START - timedelta(hours=20), days, [1, 7]) is None
    assert reminder_due(START, accepted, START, days, []) is None


def test_someone_who_accepted_after_a_reminders_day_is_not_sent_it():
    accepted = START - timedelta(days=3)
    assert reminder_due(START, accepted, START - timedelta(days=2), (7, 1), []) is None
    assert reminder_due(START, accepted, START - timedelta(hours=2), (7, 1), []) == 1


def test_a_reminder_sent_covers_the_earlier_ones():
    assert reminders_covered(1, (7, 3, 1)) == [1, 3, 7]
    assert reminders_covered(3, (7, 3, 1)) == [3, 7]
