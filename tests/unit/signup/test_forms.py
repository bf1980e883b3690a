"""Cleaning the sign-up pages of their own (consents, sign-in), what each page keeps in the draft,
and cleaning the whole application again before it is sent."""

from __future__ import annotations

from panel.consent.rules import Purpose
from panel.members.reference import load_reference_data
from panel.members.rules import ContactChannel
from panel.signup.forms import (
    ASKED_ON_CONSENTS_PAGE,
    PageContext,
    clean_application,
    clean_consents,
    clean_page,
    clean_sign_in,
    sign_in_kept,
    usable_channels_given,
)

REFERENCE = load_reference_data()
SERVICE = "Victims' Voice Panel"


def multi(**fields):
    return {name: value if isinstance(value, list) else [value] for name, value in fields.items()}


PAGES = {
    "details": multi(
        preferred_name=" Robin ", email="Robin@Example.org", phone="07700 900982", district="dover"
    ),
    "contact": multi(
        email_safe="some",
        email_days=["4", "0"],
        email_from="6pm",
        email_to="9pm",
        phone_call_safe="no",
        text_message_safe="any",
        post_safe="no",
    ),
    "experience": multi(
        involvement="both", crime_types=["theft"], when="prefer_not", year="ignored"
    ),
    "access-needs": multi(needs=["large_print"], language="not needed"),
    "taking-part": multi(ways=["case_reviews"], formats=["in_person"]),
    "equality": multi(disability="no", equality_consent="yes"),
    "consents": multi(consents=["focus_groups", "membership"]),
}


def context(answers=None) -> PageContext:
    return PageContext(REFERENCE, answers or {}, ASKED_ON_CONSENTS_PAGE, this_year=2026)


def kept_answers() -> dict:
    answers: dict = {}
    for slug, values in PAGES.items():
        _, kept, errors = clean_page(slug, values, context(answers))
        assert errors == {}, (slug, errors)
        answers[slug] = kept
    answers["password"] = sign_in_kept(clean_sign_in(multi(sign_in="link"), "", SERVICE)[0], None)
    return answers


def test_what_a_page_keeps_is_its_cleaned_answer_not_what_was_typed():
    answers = kept_answers()
    assert answers["details"]["preferred_name"] == ["Robin"]
    assert answers["details"]["email"] == ["robin@example.org"]
    assert answers["contact"]["email_from"] == ["18:00"] and answers["contact"]["email_days"] == [
        "0",
        "4",
    ]
    assert answers["experience"]["year"] == [""]  # "prefer not to say" drops the year typed
    assert answers["access-needs"]["language"] == [""]  # no interpreter ticked
    assert answers["consents"] == {"consents": ["membership", "focus_groups"]}


def test_kept_answers_clean_again_into_the_application():
    application = clean_application(kept_answers(), context())
    assert not isinstance(application, str)
    assert application.details.district == "dover"
    assert application.contact.code_word == ""
    assert application.equality.answers == {"disability": "no"}
    assert application.consents == (Purpose.MEMBERSHIP, Purpose.FOCUS_GROUPS)
    assert application.sign_in.by_link and application.sign_in.password_hash is None


def test_the_first_page_that_no_longer_passes_is_named():
    answers = kept_answers()
    answers["contact"] = {**answers["contact"], "email_days": []}  # "some days", but none
    assert clean_application(answers, context()) == "contact"
    answers.pop("details")
    assert clean_application(answers, context()) == "details"
    kept = kept_answers()
    kept["password"] = {"sign_in": ["password"], "password_hash": [""]}
    assert clean_application(kept, context()) == "password"


def test_a_phone_number_removed_after_the_contact_page_makes_texts_not_safe_unasked():
    answers = kept_answers()
    application = clean_application(answers, context())
    assert not isinstance(application, str)
    assert application.contact.channel(ContactChannel.TEXT_MESSAGE).safe
    answers["details"] = {**answers["details"], "phone": [""]}
    application = clean_application(answers, context())
    assert not isinstance(application, str)
    assert not application.contact.channel(ContactChannel.TEXT_MESSAGE).safe


def test_the_contact_page_asks_only_about_the_ways_the_details_give():
    assert usable_channels_given({}) == (ContactChannel.EMAIL,)
    assert usable_channels_given(kept_answers()) == (
        ContactChannel.EMAIL,
        ContactChannel.PHONE_CALL,
        ContactChannel.TEXT_MESSAGE,
    )
    with_address = {"details": multi(phone="", postal_address="1 High Street")}
    assert usable_channels_given(with_address) == (ContactChannel.EMAIL, ContactChannel.POST)
    # Asked about texts, but given no phone number: not safe, and no problem to show.
    contact, _, errors = clean_page(
        "contact", {**PAGES["contact"], **multi(phone_call_safe="any")}, context(with_address)
    )
    assert errors == {}
    assert [choice.channel for choice in contact.channels if choice.safe] == [ContactChannel.EMAIL]


def test_consents_need_membership_and_only_offered_purposes():
    assert clean_consents(multi(consents=["membership"]), ASKED_ON_CONSENTS_PAGE) == (
        (Purpose.MEMBERSHIP,),
        {},
    )
    _, errors = clean_consents(multi(consents=["surveys"]), ASKED_ON_CONSENTS_PAGE)
    assert "being a member" in errors["consents"]
    _, errors = clean_consents(
        multi(consents=["membership", "equality_data"]), ASKED_ON_CONSENTS_PAGE
    )
    assert "Select from the list" in errors["consents"]


def test_a_password_follows_the_account_rules_and_is_typed_twice():
    good = "seven quiet harbours at dawn"
    answer, errors = clean_sign_in(
        multi(sign_in="password", password=good, password_confirm=good), "a@b.org", SERVICE
    )
    assert errors == {} and answer is not None and answer.password == good and not answer.by_link
    _, errors = clean_sign_in(multi(sign_in="password"), "a@b.org", SERVICE)
    assert errors == {"password": "Enter a password"}
    _, errors = clean_sign_in(
        multi(sign_in="password", password="password1234", password_confirm="password1234"),
        "a@b.org",
        SERVICE,
    )
    assert "too common" in errors["password"]
    _, errors = clean_sign_in(
        multi(sign_in="password", password=good, password_confirm="other"), "a@b.org", SERVICE
    )
    assert "do not match" in errors["password_confirm"]
    _, errors = clean_sign_in({}, "a@b.org", SERVICE)
    assert "Select how you would like to sign in" in errors["sign_in"]


def test_the_kept_sign_in_answer_holds_only_the_hash():
    answer, _ = clean_sign_in(
        multi(sign_in="password", password="x" * 20, password_confirm="x" * 20), "", SERVICE
    )
    assert answer is not None
    assert sign_in_kept(answer, "$argon2id$hash") == {
        "sign_in": ["password"],
        "password_hash": ["$argon2id$hash"],
    }
