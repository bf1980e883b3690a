"""Account form validation: each bad input gets a clear message for its field."""

from __future__ import annotations

from panel.accounts import forms


def test_sign_in_form():
    assert forms.clean_sign_in({})[1] == {
        "email": "Enter your email address",
        "password": "Enter your password",
    }
    assert "correct format" in forms.clean_sign_in({"email": "nope", "password": "x"})[1]["email"]
    cleaned, errors = forms.clean_sign_in({"email": " a@example.org ", "password": "pw"})
    assert errors == {} and cleaned.email == "a@example.org"


def test_code_form_accepts_spaces_and_refuses_other_things():
    assert forms.clean_code({"code": "123 456"}) == ("123456", {})
    assert "6 digits" in forms.clean_code({"code": "12345a"})[1]["code"]
    assert "6 digits" in forms.clean_code({"code": "١٢٣٤٥٦"})[1]["code"]
    assert "Enter the 6-digit code" in forms.clean_code({"code": " "})[1]["code"]


def test_new_password_must_be_typed_twice():
    password, errors = forms.clean_new_password(
        {"password": "long enough phrase", "password_confirm": "other"}, "a@example.org", "Panel"
    )
    assert password is None and "do not match" in errors["password_confirm"]
