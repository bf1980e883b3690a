"""The engagements' forms: an engagement's plan, a cancellation, the list's filters, and the
override of a member's contact limits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from panel.engagements.forms import (
    clean_cancellation,
    clean_engagement,
    clean_list_filters,
    clean_override,
    clean_register,
    plan_values,
)
from panel.engagements.rules import EngagementFormat, EngagementKind, ListFilters, RegisterMark
from panel.members.reference import load_reference_data


def test_a_reason_is_kept_without_surrounding_space():
    assert clean_override({"reason": "  They asked to join this group  "}) == (
        "They asked to join this group",
        {},
    )


def test_a_blank_reason_is_refused():
    reason, errors = clean_override({"reason": "   "})
    assert reason is None and "why" in errors["reason"]


def test_a_reason_of_500_characters_is_accepted_and_501_refused():
    assert clean_override({"reason": "x" * 500})[0] == "x" * 500
    reason, errors = clean_override({"reason": "x" * 501})
    assert reason is None and "500 characters" in errors["reason"]


# ---------------------------------------------------------------------------------------------
# The engagement's plan

ZONE = ZoneInfo("Europe/London")
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
REFERENCE = load_reference_data()
FACILITATORS = {7, 9}


def form(**changes):
    """The form as sent for a focus group on 27 March 2027 (GMT) from 10:00 to 12:00."""
    sent = {
        "kind": ["focus_group"],
        "title": ["Updates during an investigation"],
        "public_description": ["A conversation about being kept up to date."],
        "eligible_involvement": ["any"],
        "format": ["in_person"],
        "venue_name": ["Community hall"],
        "venue_address": ["1 High Street"],
        "date-day": ["27"],
        "date-month": ["3"],
        "date-year": ["2027"],
        "starts": ["10:00"],
        "ends": ["12pm"],
        "capacity": ["8"],
        "reserves": ["2"],
        "facilitators": ["7"],
    }
    sent.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    return sent


def clean(**changes):
    return clean_engagement(form(**changes), REFERENCE, FACILITATORS, NOW, ZONE)


def test_a_complete_plan_is_read_in_uk_time():
    plan, errors = clean()
    assert errors == {}
    assert plan.kind is EngagementKind.FOCUS_GROUP
    assert plan.format is EngagementFormat.IN_PERSON
    assert plan.starts_at == datetime(2027, 3, 27, 10, 0, tzinfo=UTC)
    assert plan.ends_at == datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    assert (plan.capacity, plan.reserves, plan.facilitators) == (8, 2, (7,))


def test_summer_times_are_british_summer_time():
    plan, _ = clean(**{"date-month": "7"})
    assert plan.starts_at == datetime(2027, 7, 27, 9, 0, tzinfo=UTC)


def test_a_plan_and_its_form_go_round_unchanged():
    plan, _ = clean(crime_focus=["burglary_home"], quiet_room="yes", eligible_districts=["swale"])
    again, errors = clean_engagement(plan_values(plan, ZONE), REFERENCE, FACILITATORS, NOW, ZONE)
    assert errors == {} and again == plan


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"kind": ""}, "kind", "focus group or an independent case review"),
        ({"kind": "party"}, "kind", "focus group or an independent case review"),
        ({"title": "  "}, "title", "Enter a title"),
        ({"title": "x" * 121}, "title", "120 characters or fewer"),
        ({"format": "by_post"}, "format", "in person, online or both"),
        ({"date-day": "31", "date-month": "2"}, "date", "real date"),
        ({"date-year": "2026"}, "date", "must start in the future"),
        ({"starts": "25:00"}, "starts", "time it starts"),
        ({"ends": "09:00"}, "ends", "must end after it starts"),
        ({"capacity": "0"}, "capacity", "from 1 to 200"),
        ({"capacity": "ten"}, "capacity", "from 1 to 200"),
        ({"reserves": "51"}, "reserves", "from 0 to 50"),
        ({"facilitators": ["8"]}, "facilitators", "from the list"),
        ({"facilitators": ["seven"]}, "facilitators", "from the list"),
        ({"crime_focus": ["knitting"]}, "crime_focus", "from the list"),
        ({"eligible_districts": ["atlantis"]}, "eligible_districts", "from the list"),
        ({"eligible_involvement": "bystander"}, "eligible_involvement", "from the list"),
        ({"joining_link": "javascript:alert(1)"}, "joining_link", "starting https://"),
        ({"format": "online"}, "venue_name", "An online session has no venue"),
    ],
)
def test_what_is_wrong_is_said_against_its_field(changes, field, said):
    plan, errors = clean(**changes)
    assert plan is None
    assert said in errors[field]


def test_every_mistake_is_reported_at_once():
    _, errors = clean(title="", capacity="", starts="")
    assert set(errors) == {"title", "capacity", "starts"}


def test_an_online_session_takes_a_joining_link():
    plan, errors = clean(
        format="online", venue_name="", venue_address="", joining_link="https://meet.example/abc"
    )
    assert errors == {} and plan.joining_link == "https://meet.example/abc"


# ---------------------------------------------------------------------------------------------
# Cancelling and the list's filters


def test_a_cancellation_needs_a_reason_of_at_most_500_characters():
    assert clean_cancellation({"reason": ["Venue closed"]}) == ("Venue closed", {})
    assert "Say why" in clean_cancellation({"reason": [" "]})[1]["reason"]
    assert "500 characters" in clean_cancellation({"reason": ["x" * 501]})[1]["reason"]


def test_the_list_filters_are_each_empty_or_a_choice_of_the_page():
    wanted, errors = clean_list_filters(
        {"status": ["held"], "kind": ["focus_group"], "month": ["2027-03"], "facilitator": ["9"]},
        FACILITATORS,
    )
    assert errors == {}
    assert wanted == ListFilters("held", "focus_group", date(2027, 3, 1), 9)
    assert clean_list_filters({}, FACILITATORS) == (ListFilters(), {})


@pytest.mark.parametrize(
    ("name", "value"),
    [("status", "lost"), ("kind", "party"), ("month", "2027-13"), ("month", "March"),
     ("facilitator", "8"), ("facilitator", "x")],
)  # fmt: skip
def test_a_filter_the_page_does_not_offer_is_an_error(name, value):
    wanted, errors = clean_list_filters({name: [value]}, FACILITATORS)
    assert wanted is None and set(errors) == {name}


def test_the_register_needs_a_mark_from_its_choices_for_everyone():
    people = {4: "Robin", 9: "Ash"}
    assert clean_register(
        {"register-4": ["attended"], "register-9": ["cancelled_late"]}, people
    ) == (
        {4: RegisterMark.ATTENDED, 9: RegisterMark.CANCELLED_LATE},
        {},
    )
    assert clean_register({"register-4": ["present"]}, people) == (
        None,
        {"register-4": "Say whether Robin attended", "register-9": "Say whether Ash attended"},
    )
