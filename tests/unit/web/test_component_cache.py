"""GOV.UK components kept by their parameters (issue 11, point 3): the markup is exactly the macro's,
for fields as a page first shows them and for fields holding what someone typed, and nothing a
person typed is ever kept."""

from __future__ import annotations

from typing import Any

import pytest
from markupsafe import Markup

from panel.members.forms import QUESTION_OPTIONS
from panel.members.reference import load_reference_data
from panel.settings import load_settings
from panel.web.forms import FormState
from panel.web.templating import ComponentCache, build_environment

TYPED = 'Jo <O\'Neil> & "Sam" 07700 900982'


@pytest.fixture
def environment() -> Any:
    return build_environment(load_settings({"PANEL_SECRET_KEY": "k" * 40}))


def straight(environment: Any, name: str, params: dict[str, Any]) -> str:
    """The macro called directly, as the pages called it before the cache."""
    macro_name = "govuk" + "".join(part.capitalize() for part in name.split("-"))
    template = environment.get_template(f"govuk_frontend_jinja/components/{name}/macro.html")
    return str(getattr(template.module, macro_name)(params))


def revealed_field(value: str) -> Markup:
    escaped = Markup.escape(value)
    return Markup(  # noqa: S704 - a test fragment, its value escaped above
        '<div class="govuk-form-group"><label class="govuk-label" for="phone">Phone</label>'
        f'<input class="govuk-input" id="phone" name="phone" type="tel" value="{escaped}">'
        f'<textarea class="govuk-textarea" id="note" name="note">{escaped}</textarea></div>'
    )


CASES = {
    "a text box, empty": ("input", {"id": "name", "name": "name", "label": {"text": "Name"}}),
    "a text box with a value": (
        "input",
        {"id": "name", "name": "name", "value": TYPED, "label": {"text": "Name"}},
    ),
    "a text box with an error": (
        "input",
        {
            "id": "email",
            "name": "email",
            "value": TYPED,
            "label": {"text": "Email address"},
            "errorMessage": {"text": "Enter an email address"},
        },
    ),
    "a text area": ("textarea", {"id": "t", "name": "t", "value": TYPED, "label": {"text": "T"}}),
    "a date": (
        "date-input",
        {
            "id": "born",
            "fieldset": {"legend": {"text": "Date"}},
            "items": [
                {"id": "born", "name": "born-day", "label": "Day", "value": "7"},
                {"id": "born-month", "name": "born-month", "label": "Month", "value": TYPED},
                {"id": "born-year", "name": "born-year", "label": "Year", "value": ""},
            ],
        },
    ),
    "radios revealing a filled-in field": (
        "radios",
        {
            "name": "phone_safe",
            "value": "yes",
            "fieldset": {"legend": {"text": "Is it safe to call?"}},
            "items": [
                {"value": "yes", "text": "Yes", "conditional": {"html": revealed_field(TYPED)}},
                {"value": "no", "text": "No"},
            ],
        },
    ),
    "tick boxes": (
        "checkboxes",
        {
            "name": "ways",
            "values": ["surveys"],
            "fieldset": {"legend": {"text": "How?"}},
            "items": [{"value": "surveys", "text": "Surveys"}, {"value": "x", "text": "X"}],
        },
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_markup_is_the_macros_own_the_first_time_and_after(environment, case):
    name, params = CASES[case]
    expected = straight(environment, name, params)
    cache = ComponentCache(environment)
    render = cache.component(name)
    assert str(render(params)) == expected
    assert str(render(params)) == expected  # from what was kept


@pytest.mark.parametrize("case", sorted(CASES))
def test_nothing_typed_is_kept(environment, case):
    name, params = CASES[case]
    cache = ComponentCache(environment)
    cache.component(name)(params)
    kept = repr(cache.kept.kept)
    assert "Jo" not in kept and "07700" not in kept and "O&#39;Neil" not in kept


def test_two_people_typing_different_things_share_one_kept_field(environment):
    cache = ComponentCache(environment)
    render = cache.component("input")
    first = render({"id": "name", "name": "name", "value": "Alex", "label": {"text": "Name"}})
    second = render({"id": "name", "name": "name", "value": "Sam", "label": {"text": "Name"}})
    assert 'value="Alex"' in first and 'value="Sam"' in second and "Alex" not in second
    assert len(cache.kept) == 1


def test_html_and_the_same_words_as_text_are_kept_apart(environment):
    cache = ComponentCache(environment)
    render = cache.component("input")
    as_html = render({"id": "a", "name": "a", "label": {"html": Markup("<b>Name</b>")}})
    as_text = render({"id": "a", "name": "a", "label": {"text": "<b>Name</b>"}})
    assert "<b>Name</b>" in as_html and "&lt;b&gt;Name&lt;/b&gt;" in as_text


def test_the_least_recently_used_are_dropped_beyond_the_limit(environment):
    cache = ComponentCache(environment, size=3)
    render = cache.component("input")
    for number in range(5):
        render({"id": f"f{number}", "name": f"f{number}", "label": {"text": "L"}})
    assert len(cache.kept) == 3
    assert all("'f0'" not in key[1] and "'f1'" not in key[1] for key in cache.kept.kept)


# Parts of a page kept while the form is blank (FragmentCache, `kept_while_blank`)

FRAGMENT = (
    '{% call kept_while_blank(form, "part", choices) %}'
    "{{ count.append(1) or '' }}<p>{{ form.value('name') }}|{{ form.error('name') or '' }}|{{ choices }}</p>"
    "{% endcall %}"
)


def render_part(environment: Any, form: FormState, choices: str, count: list[int]) -> str:
    return environment.from_string(FRAGMENT).render(form=form, choices=choices, count=count)


def test_a_blank_form_part_is_rendered_once_and_shown_the_same(environment):
    count: list[int] = []
    first = render_part(environment, FormState(), "a", count)
    again = render_part(environment, FormState(), "a", count)
    assert first == again == "<p>||a</p>"
    assert len(count) == 1


def test_what_the_part_depends_on_keeps_it_apart(environment):
    count: list[int] = []
    assert render_part(environment, FormState(), "a", count) == "<p>||a</p>"
    assert render_part(environment, FormState(), "b", count) == "<p>||b</p>"
    assert len(count) == 2


def test_a_part_with_anything_given_or_wrong_is_rendered_every_time_and_never_kept(environment):
    count: list[int] = []
    typed = FormState({"name": TYPED})
    wrong = FormState({}, {"name": "Enter your name"})
    shown = [render_part(environment, form, "a", count) for form in (typed, typed, wrong)]
    assert shown[0] == shown[1] == "<p>" + str(Markup.escape(TYPED)) + "||a</p>"
    assert shown[2] == "<p>|Enter your name|a</p>"
    assert len(count) == 3
    blank = render_part(environment, FormState(), "a", count)
    assert blank == "<p>||a</p>" and len(count) == 4  # nothing given was kept in its place


def test_a_part_holding_a_token_or_nonce_is_never_kept(environment):
    count: list[int] = []
    template = environment.from_string(
        '{% call kept_while_blank(form, "token") %}{{ count.append(1) or "" }}'
        '<input type="hidden" name="_csrf_token" value="{{ token }}">{% endcall %}'
    )
    first = template.render(form=FormState(), token="one", count=count)
    second = template.render(form=FormState(), token="two", count=count)
    assert 'value="one"' in first and 'value="two"' in second
    assert len(count) == 2


# Parts of a page showing what is saved, kept with the typed text taken out (kept_with_typed_text)

DETAILS = (
    '{% from "members/questions/details.html" import details_fields %}'
    '{% call(shown) kept_with_typed_text(form, ("preferred_name", "phone", "postal_address"),'
    ' "details") %}{{ details_fields(shown, reference, with_email=false) }}{% endcall %}'
)
DIRECTLY = (
    '{% from "members/questions/details.html" import details_fields %}'
    "{{ details_fields(form, reference, with_email=false) }}"
)


@pytest.fixture
def details(environment: Any) -> Any:
    """The details fields rendered through the cache and directly, for one form."""
    reference = load_reference_data()
    environment.globals["questions"] = QUESTION_OPTIONS
    kept = environment.from_string(DETAILS)
    direct = environment.from_string(DIRECTLY)

    def render(form: FormState) -> tuple[str, str]:
        context = {"form": form, "reference": reference}
        return kept.render(**context), direct.render(**context)

    return render


def saved(name: str, phone: str, address: str, district: str) -> FormState:
    return FormState(
        {"preferred_name": name, "phone": phone, "postal_address": address, "district": district}
    )


def test_saved_details_show_exactly_as_rendered_directly_and_nothing_typed_is_kept(
    environment, details
):
    cache = environment.globals["kept_with_typed_text"].__self__
    for form in (
        saved(TYPED, "07700 900982", "1 High St\n<b>Town</b>", "maidstone"),
        saved("Sam", "", "", "swale"),
        saved("Alex", "07700 900123", "", "swale"),
        FormState(),
    ):
        kept, direct = details(form)
        assert kept == direct
    assert (
        details(saved(TYPED, "07700 900982", "1 High St", "maidstone"))[0]
        == (details(saved(TYPED, "07700 900982", "1 High St", "maidstone"))[1])
    )
    everything_kept = repr(cache.kept.kept)
    for typed in ("Jo", "07700", "High St", "Alex", "Sam"):
        assert typed not in everything_kept
    # One entry per shape: which fields were filled in and the area chosen, not what was typed.
    assert len(cache.kept) == 4


def test_saved_details_with_a_mistake_are_rendered_as_usual(environment, details):
    cache = environment.globals["kept_with_typed_text"].__self__
    form = FormState({"preferred_name": "", "phone": "0770"}, {"phone": "Enter a UK phone number"})
    kept, direct = details(form)
    assert kept == direct and "Enter a UK phone number" in kept
    assert len(cache.kept) == 0
