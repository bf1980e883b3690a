"""Consent derived from its history: the latest event decides; lapse and changed wording stop it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from panel.consent.rules import (
    DEFAULT_RENEWAL,
    Consent,
    ConsentEvent,
    ConsentState,
    CurrentWording,
    Purpose,
    current_consent,
    next_reminder_at,
    on_hold,
    renewal_reminder_due,
    ways_after_decision,
)
from panel.members.rules import ChannelPreference, ContactChannel, MemberStatus
from panel.notify.rules import GateOutcome, OutgoingMessage, Recipient, gate_decision

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
WORDING = CurrentWording(wording_version=1, notice_version=1)


def event(given_: bool, days_ago: float, purpose=Purpose.SURVEYS, wording=1, notice=1, sequence=0):
    return ConsentEvent(
        purpose, given_, NOW - timedelta(days=days_ago), wording, notice, sequence=sequence
    )


def test_no_events_means_never_asked():
    assert current_consent(Purpose.SURVEYS, [], WORDING, NOW).state is ConsentState.NEVER_ASKED


def test_the_latest_event_decides_whatever_the_order_given():
    events = [event(True, 10), event(False, 5), event(True, 20)]
    assert current_consent(Purpose.SURVEYS, events, WORDING, NOW).state is ConsentState.WITHDRAWN
    events.append(event(True, 1))
    assert current_consent(Purpose.SURVEYS, events, WORDING, NOW).state is ConsentState.GIVEN


def test_events_in_the_same_instant_are_ordered_by_sequence():
    events = [event(True, 1, sequence=2), event(False, 1, sequence=1)]
    assert current_consent(Purpose.SURVEYS, events, WORDING, NOW).state is ConsentState.GIVEN


def test_other_purposes_do_not_count():
    events = [event(True, 1, purpose=Purpose.FOCUS_GROUPS)]
    assert current_consent(Purpose.SURVEYS, events, WORDING, NOW).state is ConsentState.NEVER_ASKED


def test_consent_lapses_after_the_renewal_period():
    assert (
        current_consent(Purpose.SURVEYS, [event(True, 729)], WORDING, NOW).state
        is ConsentState.GIVEN
    )
    assert (
        current_consent(Purpose.SURVEYS, [event(True, 730)], WORDING, NOW).state
        is ConsentState.LAPSED
    )


def test_a_material_change_of_wording_or_notice_asks_for_confirmation_again():
    newer_wording = CurrentWording(wording_version=2, notice_version=1)
    newer_notice = CurrentWording(wording_version=1, notice_version=2)
    for wording in (newer_wording, newer_notice):
        state = current_consent(Purpose.SURVEYS, [event(True, 1)], wording, NOW).state
        assert state is ConsentState.NEEDS_RECONFIRMATION
        assert not state.allows_contact


def test_the_consent_shown_says_which_purpose_since_when_and_until_when():
    given_at = NOW - timedelta(days=10)
    lapses_at = given_at + DEFAULT_RENEWAL
    newer_wording = CurrentWording(wording_version=2, notice_version=1)
    shown = [
        (
            Purpose.SURVEYS,
            [],
            WORDING,
            Consent(Purpose.SURVEYS, ConsentState.NEVER_ASKED, None, None),
        ),
        (
            Purpose.SURVEYS,
            [event(False, 10)],
            WORDING,
            Consent(Purpose.SURVEYS, ConsentState.WITHDRAWN, given_at, None),
        ),
        (
            Purpose.SURVEYS,
            [event(True, 10)],
            WORDING,
            Consent(Purpose.SURVEYS, ConsentState.GIVEN, given_at, lapses_at),
        ),
        (
            Purpose.FOCUS_GROUPS,
            [event(True, 10, purpose=Purpose.FOCUS_GROUPS)],
            newer_wording,
            Consent(Purpose.FOCUS_GROUPS, ConsentState.NEEDS_RECONFIRMATION, given_at, lapses_at),
        ),
    ]
    for purpose, events, wording, expected in shown:
        assert current_consent(purpose, events, wording, NOW) == expected


def test_a_lapsed_consent_still_shows_when_it_was_given_and_when_it_lapsed():
    given_at = NOW - timedelta(days=800)
    consent = current_consent(Purpose.SURVEYS, [event(True, 800)], WORDING, NOW)
    assert consent == Consent(
        Purpose.SURVEYS, ConsentState.LAPSED, given_at, given_at + DEFAULT_RENEWAL
    )


def test_the_30_day_reminder_is_due_exactly_30_days_before_the_lapse():
    consent = current_consent(Purpose.SURVEYS, [event(True, 730 - 30)], WORDING, NOW)
    assert renewal_reminder_due(consent, NOW, []) == 30
    assert renewal_reminder_due(consent, NOW - timedelta(seconds=1), []) is None


def test_no_renewal_reminder_for_a_consent_that_lapsed_or_needs_confirming_again():
    lapsed = current_consent(Purpose.SURVEYS, [event(True, 731)], WORDING, NOW)
    assert renewal_reminder_due(lapsed, NOW, []) is None
    changed = CurrentWording(wording_version=2, notice_version=1)
    to_confirm = current_consent(Purpose.SURVEYS, [event(True, 725)], changed, NOW)
    assert renewal_reminder_due(to_confirm, NOW, []) is None


def test_renewal_reminders_30_then_7_days_before_the_lapse():
    consent = current_consent(Purpose.SURVEYS, [event(True, 730 - 31)], WORDING, NOW)
    assert renewal_reminder_due(consent, NOW, []) is None
    consent = current_consent(Purpose.SURVEYS, [event(True, 730 - 29)], WORDING, NOW)
    assert renewal_reminder_due(consent, NOW, []) == 30
    assert renewal_reminder_due(consent, NOW, [30]) is None
    consent = current_consent(Purpose.SURVEYS, [event(True, 730 - 6)], WORDING, NOW)
    assert renewal_reminder_due(consent, NOW, [30]) == 7
    assert renewal_reminder_due(consent, NOW, []) == 7  # both due: only the nearer one is sent
    assert renewal_reminder_due(consent, NOW, [30, 7]) is None


def test_the_next_reminder_is_the_earliest_not_yet_sent():
    lapses = NOW + timedelta(days=50)
    assert next_reminder_at(lapses, []) == lapses - timedelta(days=30)
    assert next_reminder_at(lapses, [30]) == lapses - timedelta(days=7)
    assert next_reminder_at(lapses, [7]) == lapses - timedelta(days=30)
    assert next_reminder_at(lapses, [7, 30]) is None


# A history as the database holds it: each event has its own sequence number (its row id).
events_strategy = st.lists(
    st.builds(
        ConsentEvent,
        purpose=st.sampled_from(list(Purpose)),
        given=st.booleans(),
        at=st.integers(min_value=0, max_value=1500).map(lambda days: NOW - timedelta(days=days)),
        wording_version=st.integers(min_value=1, max_value=3),
        notice_version=st.integers(min_value=1, max_value=3),
    ),
    max_size=30,
).map(lambda events: [replace(event, sequence=number) for number, event in enumerate(events)])


@given(events=events_strategy, purpose=st.sampled_from(list(Purpose)))
def test_derived_state_follows_the_latest_event_for_the_purpose(events, purpose):
    wording = CurrentWording(2, 2)
    consent = current_consent(purpose, events, wording, NOW)
    mine = sorted((e for e in events if e.purpose == purpose), key=lambda e: (e.at, e.sequence))
    if not mine:
        expected = ConsentState.NEVER_ASKED
    elif not mine[-1].given:
        expected = ConsentState.WITHDRAWN
    elif NOW - mine[-1].at >= DEFAULT_RENEWAL:
        expected = ConsentState.LAPSED
    elif mine[-1].wording_version < 2 or mine[-1].notice_version < 2:
        expected = ConsentState.NEEDS_RECONFIRMATION
    else:
        expected = ConsentState.GIVEN
    assert consent.state is expected


@given(events=events_strategy, purpose=st.sampled_from(list(Purpose)))
def test_a_withdrawn_or_lapsed_consent_never_lets_a_message_through(events, purpose):
    consent = current_consent(purpose, events, CurrentWording(1, 1), NOW)
    recipient = Recipient(
        status=MemberStatus.ACTIVE,
        consents={Purpose.MEMBERSHIP: ConsentState.GIVEN} | {purpose: consent.state},
        preferences={ContactChannel.EMAIL: ChannelPreference(ContactChannel.EMAIL, safe=True)},
    )
    decision = gate_decision(recipient, OutgoingMessage(ContactChannel.EMAIL, purpose), NOW)
    if consent.state in {ConsentState.WITHDRAWN, ConsentState.LAPSED, ConsentState.NEVER_ASKED}:
        assert decision.outcome is GateOutcome.REFUSE
    else:
        assert decision.outcome is (
            GateOutcome.SEND if consent.state is ConsentState.GIVEN else GateOutcome.REFUSE
        )


def test_withdrawing_membership_ends_every_purpose_and_others_only_themselves():
    from panel.consent.rules import purposes_ended_by_withdrawal

    assert purposes_ended_by_withdrawal(Purpose.MEMBERSHIP) == frozenset(Purpose)
    assert purposes_ended_by_withdrawal(Purpose.SURVEYS) == {Purpose.SURVEYS}


def consent(purpose: Purpose, state: ConsentState) -> Consent:
    return Consent(purpose, state, NOW, None)


def test_a_way_of_taking_part_is_on_hold_while_membership_is_not_held():
    given = consent(Purpose.SURVEYS, ConsentState.GIVEN)
    for membership in ConsentState:
        held = membership is ConsentState.GIVEN
        assert on_hold(given, consent(Purpose.MEMBERSHIP, membership)) is not held
    withdrawn_membership = consent(Purpose.MEMBERSHIP, ConsentState.WITHDRAWN)
    for purpose in (Purpose.FOCUS_GROUPS, Purpose.CASE_REVIEWS):
        assert on_hold(consent(purpose, ConsentState.GIVEN), withdrawn_membership)


def test_only_a_given_way_of_taking_part_is_on_hold():
    withdrawn_membership = consent(Purpose.MEMBERSHIP, ConsentState.WITHDRAWN)
    for state in ConsentState:
        shown = on_hold(consent(Purpose.FOCUS_GROUPS, state), withdrawn_membership)
        assert shown is (state is ConsentState.GIVEN)
    # Keeping equality answers, being quoted and membership itself are not about contact.
    for purpose in (Purpose.EQUALITY_DATA, Purpose.ANONYMOUS_QUOTES, Purpose.MEMBERSHIP):
        assert not on_hold(consent(purpose, ConsentState.GIVEN), withdrawn_membership)


def test_withdrawing_a_way_of_taking_part_takes_it_off_the_list_and_giving_it_adds_it():
    ways = ("focus_groups", "surveys")
    assert ways_after_decision(ways, Purpose.SURVEYS, given=False) == ("focus_groups",)
    assert ways_after_decision(ways, Purpose.CASE_REVIEWS, given=False) == ways
    assert ways_after_decision(ways, Purpose.CASE_REVIEWS, given=True) == (
        "focus_groups",
        "surveys",
        "case_reviews",
    )
    assert ways_after_decision(ways, Purpose.SURVEYS, given=True) == ways
    assert ways_after_decision([], Purpose.FOCUS_GROUPS, given=True) == ("focus_groups",)


def test_other_purposes_leave_the_ways_to_take_part_as_they_are():
    ways = ["surveys"]
    for purpose in (Purpose.MEMBERSHIP, Purpose.EQUALITY_DATA, Purpose.ANONYMOUS_QUOTES):
        assert ways_after_decision(ways, purpose, given=False) == ("surveys",)
        assert ways_after_decision(ways, purpose, given=True) == ("surveys",)
