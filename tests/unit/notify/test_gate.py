"""The contact gate: one unit test for each reason a message is refused or held."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from panel.consent.rules import ConsentState, Purpose
from panel.members.rules import (
    ChannelPreference,
    ContactChannel,
    MemberStatus,
    SafeWindow,
    safe_windows_from_json,
)
from panel.notify.rules import (
    AnonymousHistory,
    AnonymousLimits,
    ContactHistory,
    ContactLimits,
    GateDecision,
    GateOutcome,
    OutgoingMessage,
    Recipient,
    gate_decision,
)

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_NOON = datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)
WEEKDAY_DAYTIME = SafeWindow(days=frozenset(range(5)), start=time(9), end=time(17))
SURVEY_BY_EMAIL = OutgoingMessage(ContactChannel.EMAIL, Purpose.SURVEYS)


def recipient(**changes) -> Recipient:
    values = {
        "status": MemberStatus.ACTIVE,
        "consents": {Purpose.MEMBERSHIP: ConsentState.GIVEN, Purpose.SURVEYS: ConsentState.GIVEN},
        "preferences": {
            ContactChannel.EMAIL: ChannelPreference(ContactChannel.EMAIL, safe=True),
            ContactChannel.TEXT_MESSAGE: ChannelPreference(ContactChannel.TEXT_MESSAGE, safe=False),
        },
    }
    return Recipient(**(values | changes))


def test_a_consenting_active_member_on_a_safe_channel_is_sent_to():
    assert gate_decision(recipient(), SURVEY_BY_EMAIL, WEDNESDAY_NOON).outcome is GateOutcome.SEND


@pytest.mark.parametrize(
    "status", [MemberStatus.PAUSED, MemberStatus.APPLIED, MemberStatus.VERIFIED]
)
def test_not_active_is_refused(status):
    decision = gate_decision(recipient(status=status), SURVEY_BY_EMAIL, WEDNESDAY_NOON)
    assert decision.outcome is GateOutcome.REFUSE and status.value in decision.reason


@pytest.mark.parametrize("status", [MemberStatus.LEFT, MemberStatus.ERASED])
def test_someone_who_left_gets_nothing_not_even_account_messages(status):
    account = OutgoingMessage(ContactChannel.EMAIL, None)
    assert gate_decision(recipient(status=status), account, WEDNESDAY_NOON) == GateDecision(
        GateOutcome.REFUSE, "no longer a member"
    )


def test_do_not_contact_is_refused():
    decision = gate_decision(recipient(do_not_contact=True), SURVEY_BY_EMAIL, WEDNESDAY_NOON)
    assert decision.outcome is GateOutcome.REFUSE and "do not contact" in decision.reason


@pytest.mark.parametrize(
    "state",
    [
        ConsentState.NEVER_ASKED,
        ConsentState.WITHDRAWN,
        ConsentState.LAPSED,
        ConsentState.NEEDS_RECONFIRMATION,
    ],
)
def test_without_current_consent_for_the_purpose_it_is_refused(state):
    decision = gate_decision(
        recipient(consents={Purpose.SURVEYS: state}), SURVEY_BY_EMAIL, WEDNESDAY_NOON
    )
    assert decision.outcome is GateOutcome.REFUSE and "consent" in decision.reason


def test_without_the_membership_consent_no_purpose_is_enough():
    consents = {Purpose.MEMBERSHIP: ConsentState.WITHDRAWN, Purpose.SURVEYS: ConsentState.GIVEN}
    decision = gate_decision(recipient(consents=consents), SURVEY_BY_EMAIL, WEDNESDAY_NOON)
    assert decision.outcome is GateOutcome.REFUSE and "membership" in decision.reason


def test_safe_times_are_read_from_what_is_stored():
    windows = safe_windows_from_json('[{"days": [0, 1], "start": "09:30", "end": "12:00"}]')
    assert windows == (SafeWindow(frozenset({0, 1}), time(9, 30), time(12)),)
    assert safe_windows_from_json("") == ()


def test_consent_for_another_purpose_does_not_count():
    message = OutgoingMessage(ContactChannel.EMAIL, Purpose.FOCUS_GROUPS)
    assert gate_decision(recipient(), message, WEDNESDAY_NOON).outcome is GateOutcome.REFUSE


@pytest.mark.parametrize("channel", [ContactChannel.TEXT_MESSAGE, ContactChannel.POST])
def test_a_channel_not_marked_safe_is_refused_and_no_other_channel_is_chosen(channel):
    decision = gate_decision(recipient(), OutgoingMessage(channel, Purpose.SURVEYS), WEDNESDAY_NOON)
    assert decision.outcome is GateOutcome.REFUSE and "not marked safe" in decision.reason


def test_outside_the_safe_times_the_message_is_held_until_they_open():
    preferences = {
        ContactChannel.EMAIL: ChannelPreference(ContactChannel.EMAIL, True, (WEEKDAY_DAYTIME,))
    }
    friday_evening = datetime(2026, 11, 27, 20, 0, tzinfo=LONDON)
    decision = gate_decision(recipient(preferences=preferences), SURVEY_BY_EMAIL, friday_evening)
    assert decision.outcome is GateOutcome.HOLD
    assert decision.hold_until == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)  # Monday 9am
    assert (
        gate_decision(recipient(preferences=preferences), SURVEY_BY_EMAIL, WEDNESDAY_NOON).outcome
        is GateOutcome.SEND
    )


def email_safe_in(*windows: SafeWindow) -> Recipient:
    return recipient(
        preferences={ContactChannel.EMAIL: ChannelPreference(ContactChannel.EMAIL, True, windows)}
    )


def test_a_safe_window_is_safe_from_its_first_minute_and_not_at_its_end():
    weekdays = email_safe_in(WEEKDAY_DAYTIME)
    wednesday_nine = datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)
    assert gate_decision(weekdays, SURVEY_BY_EMAIL, wednesday_nine) == GateDecision(
        GateOutcome.SEND
    )
    wednesday_five = datetime(2026, 11, 25, 17, 0, tzinfo=LONDON)
    assert gate_decision(weekdays, SURVEY_BY_EMAIL, wednesday_five) == GateDecision(
        GateOutcome.HOLD,
        "outside the safe times",
        hold_until=datetime(2026, 11, 26, 9, 0, tzinfo=LONDON),
    )


def test_a_one_day_window_holds_a_message_until_that_day_next_week():
    wednesdays = email_safe_in(SafeWindow(days=frozenset({2}), start=time(9), end=time(17)))
    wednesday_evening = datetime(2026, 11, 25, 18, 0, tzinfo=LONDON)
    assert gate_decision(wednesdays, SURVEY_BY_EMAIL, wednesday_evening) == GateDecision(
        GateOutcome.HOLD,
        "outside the safe times",
        hold_until=datetime(2026, 12, 2, 9, 0, tzinfo=LONDON),
    )


def test_a_message_is_held_until_the_earliest_of_several_windows_opens():
    mornings = SafeWindow(days=frozenset({3}), start=time(8), end=time(9))
    evenings = SafeWindow(days=frozenset({2}), start=time(19), end=time(21))
    decision = gate_decision(email_safe_in(mornings, evenings), SURVEY_BY_EMAIL, WEDNESDAY_NOON)
    assert decision.hold_until == datetime(2026, 11, 25, 19, 0, tzinfo=LONDON)


def test_a_window_with_no_days_means_no_safe_time():
    never = SafeWindow(days=frozenset(), start=time(9), end=time(17))
    preferences = {ContactChannel.EMAIL: ChannelPreference(ContactChannel.EMAIL, True, (never,))}
    assert gate_decision(
        recipient(preferences=preferences), SURVEY_BY_EMAIL, WEDNESDAY_NOON
    ) == GateDecision(GateOutcome.REFUSE, "no safe time is set")


LINK_ASKED_ANONYMOUSLY = OutgoingMessage(ContactChannel.EMAIL, None, asked_anonymously=True)


def test_a_link_asked_for_by_someone_not_signed_in_waits_for_a_safe_time():
    """Whoever typed the address may not be the member: asking bends none of their choices."""
    preferences = {
        ContactChannel.EMAIL: ChannelPreference(ContactChannel.EMAIL, True, (WEEKDAY_DAYTIME,)),
    }
    member = recipient(status=MemberStatus.PAUSED, consents={}, preferences=preferences)
    late_night = datetime(2026, 11, 25, 23, 30, tzinfo=LONDON)
    decision = gate_decision(member, LINK_ASKED_ANONYMOUSLY, late_night)
    assert decision.outcome is GateOutcome.HOLD
    assert decision.hold_until == datetime(2026, 11, 26, 9, 0, tzinfo=LONDON)
    assert gate_decision(member, LINK_ASKED_ANONYMOUSLY, WEDNESDAY_NOON).outcome is GateOutcome.SEND


def test_a_link_asked_for_never_goes_by_a_channel_that_is_not_safe():
    email_not_safe = {ContactChannel.EMAIL: ChannelPreference(ContactChannel.EMAIL, safe=False)}
    decision = gate_decision(
        recipient(preferences=email_not_safe), LINK_ASKED_ANONYMOUSLY, WEDNESDAY_NOON
    )
    assert decision.outcome is GateOutcome.REFUSE and "not marked safe" in decision.reason


@pytest.mark.parametrize(
    "message",
    [
        LINK_ASKED_ANONYMOUSLY,
        OutgoingMessage(ContactChannel.EMAIL, None),  # account messages, application news
        SURVEY_BY_EMAIL,
    ],
)
def test_do_not_contact_stops_every_message_account_messages_too(message):
    decision = gate_decision(recipient(do_not_contact=True), message, WEDNESDAY_NOON)
    assert decision.outcome is GateOutcome.REFUSE and decision.reason == "marked do not contact"


@pytest.mark.parametrize(
    ("last_hour", "last_day", "outcome"),
    [
        (0, 0, GateOutcome.SEND),
        (2, 9, GateOutcome.SEND),
        (3, 3, GateOutcome.REFUSE),  # 3 an hour
        (0, 10, GateOutcome.REFUSE),  # 10 a day
    ],
)
def test_messages_asked_for_anonymously_are_capped_per_address(last_hour, last_day, outcome):
    member = recipient(anonymous=AnonymousHistory(last_hour=last_hour, last_day=last_day))
    decision = gate_decision(
        member, LINK_ASKED_ANONYMOUSLY, WEDNESDAY_NOON, anonymous_limits=AnonymousLimits(3, 10)
    )
    assert decision.outcome is outcome
    if outcome is GateOutcome.REFUSE:
        assert decision.reason == "too many messages asked for this address"
    # The cap is for what strangers can cause: the service's own messages are not counted.
    own = gate_decision(member, OutgoingMessage(ContactChannel.EMAIL, None), WEDNESDAY_NOON)
    assert own.outcome is GateOutcome.SEND


def test_news_about_an_application_needs_no_consent_but_waits_for_a_safe_time():
    preferences = {
        ContactChannel.EMAIL: ChannelPreference(ContactChannel.EMAIL, True, (WEEKDAY_DAYTIME,))
    }
    applicant = recipient(status=MemberStatus.VERIFIED, consents={}, preferences=preferences)
    late_night = datetime(2026, 11, 25, 23, 30, tzinfo=LONDON)
    decision = gate_decision(applicant, OutgoingMessage(ContactChannel.EMAIL, None), late_night)
    assert decision.outcome is GateOutcome.HOLD
    assert decision.hold_until == datetime(2026, 11, 26, 9, 0, tzinfo=LONDON)


def test_a_declined_applicant_is_told_about_their_application_and_nothing_else():
    declined = recipient(
        status=MemberStatus.DECLINED,
        # Consents given while applying do not make them a member.
        consents={Purpose.MEMBERSHIP: ConsentState.GIVEN, Purpose.SURVEYS: ConsentState.GIVEN},
    )
    survey = gate_decision(declined, SURVEY_BY_EMAIL, WEDNESDAY_NOON)
    assert survey.outcome is GateOutcome.REFUSE and "declined" in survey.reason
    about_application = OutgoingMessage(ContactChannel.EMAIL, None)
    assert gate_decision(declined, about_application, WEDNESDAY_NOON).outcome is GateOutcome.SEND


# Contact limits: an invitation counts against them; other messages do not.

INVITATION = OutgoingMessage(ContactChannel.EMAIL, Purpose.SURVEYS, is_invitation=True)
LIMITS = ContactLimits(cooldown_days=30, max_sessions_per_year=4, max_invitations_per_90_days=3)


def invited(*days: int, attended: tuple[int, ...] = (), override_id: int | None = None):
    return ContactHistory(
        invited_at=tuple(WEDNESDAY_NOON - timedelta(days=day) for day in days),
        attended_at=tuple(WEDNESDAY_NOON - timedelta(days=day) for day in attended),
        override_id=override_id,
    )


def test_an_invitation_within_the_limits_is_sent():
    decision = gate_decision(recipient(contact=invited(45)), INVITATION, WEDNESDAY_NOON, LIMITS)
    assert decision.outcome is GateOutcome.SEND and decision.override_id is None


def test_an_invitation_in_the_cool_down_is_refused_with_the_reason():
    decision = gate_decision(recipient(contact=invited(12)), INVITATION, WEDNESDAY_NOON, LIMITS)
    assert decision.outcome is GateOutcome.REFUSE
    assert decision.reason == "invited 12 days ago: the cool-down is 30 days"


def test_an_invitation_over_the_sessions_cap_is_refused():
    contact = invited(attended=(300, 200, 100, 50))
    decision = gate_decision(recipient(contact=contact), INVITATION, WEDNESDAY_NOON, LIMITS)
    assert decision.outcome is GateOutcome.REFUSE
    assert decision.reason == "took part 4 times in the last 12 months: the most is 4"


def test_an_invitation_over_the_invitations_cap_is_refused_with_every_reason():
    decision = gate_decision(
        recipient(contact=invited(80, 60, 20)), INVITATION, WEDNESDAY_NOON, LIMITS
    )
    assert decision.outcome is GateOutcome.REFUSE
    assert decision.reason == (
        "invited 20 days ago: the cool-down is 30 days; "
        "invited 3 times in the last 90 days: the most is 3"
    )


def test_an_invitation_is_refused_to_anyone_not_active_even_one_sent_without_a_purpose():
    without_purpose = OutgoingMessage(ContactChannel.EMAIL, None, is_invitation=True)
    decision = gate_decision(
        recipient(status=MemberStatus.PAUSED), without_purpose, WEDNESDAY_NOON, LIMITS
    )
    assert decision.outcome is GateOutcome.REFUSE and "paused" in decision.reason


def test_the_limits_come_from_the_settings_given():
    looser = ContactLimits(cooldown_days=7)
    decision = gate_decision(recipient(contact=invited(12)), INVITATION, WEDNESDAY_NOON, looser)
    assert decision.outcome is GateOutcome.SEND


def test_an_override_lets_an_invitation_through_a_limit_and_is_named_to_be_used_up():
    contact = invited(12, override_id=5)
    decision = gate_decision(recipient(contact=contact), INVITATION, WEDNESDAY_NOON, LIMITS)
    assert decision.outcome is GateOutcome.SEND and decision.override_id == 5


def test_an_override_within_the_limits_is_kept_for_later():
    contact = invited(override_id=5)
    decision = gate_decision(recipient(contact=contact), INVITATION, WEDNESDAY_NOON, LIMITS)
    assert decision.outcome is GateOutcome.SEND and decision.override_id is None


def test_an_override_does_not_lift_do_not_contact_consent_or_an_unsafe_channel():
    contact = invited(12, override_id=5)
    assert (
        gate_decision(
            recipient(contact=contact, do_not_contact=True), INVITATION, WEDNESDAY_NOON, LIMITS
        ).outcome
        is GateOutcome.REFUSE
    )
    focus_group = OutgoingMessage(ContactChannel.EMAIL, Purpose.FOCUS_GROUPS, is_invitation=True)
    assert (
        gate_decision(recipient(contact=contact), focus_group, WEDNESDAY_NOON, LIMITS).outcome
        is GateOutcome.REFUSE
    )
    by_text = OutgoingMessage(ContactChannel.TEXT_MESSAGE, Purpose.SURVEYS, is_invitation=True)
    refused = gate_decision(recipient(contact=contact), by_text, WEDNESDAY_NOON, LIMITS)
    assert refused.outcome is GateOutcome.REFUSE and refused.override_id is None


def test_an_invitation_let_through_by_an_override_still_waits_for_a_safe_time():
    preferences = {
        ContactChannel.EMAIL: ChannelPreference(ContactChannel.EMAIL, True, (WEEKDAY_DAYTIME,))
    }
    contact = invited(12, override_id=5)
    friday_evening = datetime(2026, 11, 27, 20, 0, tzinfo=LONDON)
    decision = gate_decision(
        recipient(contact=contact, preferences=preferences), INVITATION, friday_evening, LIMITS
    )
    assert decision.outcome is GateOutcome.HOLD and decision.override_id == 5


@pytest.mark.parametrize(
    "message",
    [
        OutgoingMessage(ContactChannel.EMAIL, None),  # account messages, application news
        OutgoingMessage(ContactChannel.EMAIL, None, asked_anonymously=True),  # a sign-in link
        OutgoingMessage(ContactChannel.EMAIL, Purpose.SURVEYS),  # a renewal reminder
    ],
)
def test_limits_do_not_apply_to_messages_that_are_not_invitations(message):
    contact = invited(1, 2, 3, attended=(10, 20, 30, 40))
    decision = gate_decision(recipient(contact=contact), message, WEDNESDAY_NOON, LIMITS)
    assert decision.outcome is GateOutcome.SEND
