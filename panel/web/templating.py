"""The Jinja environment: our templates, GOV.UK Frontend macros under a prefix, and page helpers."""

from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    pass_context,
)
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup, escape

from panel.settings import ROOT, Settings
from panel.web.shell import shell_globals

TEMPLATES_DIR = ROOT / "templates"


@pass_context
def viewer(context: Any) -> Any:
    return context["request"].scope.get("user")


def error_link(item: tuple[str, str]) -> dict[str, str]:
    field, message = item
    return {"text": message, "href": f"#{field}"}


def select_item(option: tuple[str, str], selected: str) -> dict[str, Any]:
    value, text = option
    return {"value": value, "text": text, "selected": value == selected}


@pass_context
def csrf_field(context: Any) -> Markup:
    """The hidden CSRF field every form that changes something carries."""
    token = value_or_default(ScopeState.from_scope(context["request"].scope).csrf_token, "")
    # An f-string of the escaped token, not Markup.format: format's escaping formatter costs more
    # than the rest of the field. The token is the only variable part, and it is escaped.
    return Markup(f'<input type="hidden" name="_csrf_token" value="{escape(token)}">')  # noqa: S704


@pass_context
def this_url(context: Any) -> str:
    """The current path and query, for forms that post back to where they are."""
    url = context["request"].url
    return url.path + (f"?{url.query}" if url.query else "")


# Every date and time a person reads is in the panel's time zone; a time of day is labelled with
# these words wherever it is shown (a table's heading, a summary's key, a sentence).
TIME_ZONE_LABEL = "UK time"
DATE_FORMATS = {
    "local_date": "%-d %B %Y",
    "local_datetime": "%-d %B %Y, %H:%M",
    "local_time": "%H:%M",
    # A day as a sentence says it: "Tuesday 12 January 2027".
    "local_day": "%A %-d %B %Y",
    # A date in a table's narrow column: "7 Mar 2026".
    "short_date": "%-d %b %Y",
}


def local_formats(time_zone: str) -> dict[str, Callable[[datetime | None], str]]:
    """The filters that write dates and times in the panel's time zone (an empty string for none),
    by name; code that writes dates for people (an export, the audit log) uses the same ones."""
    zone = ZoneInfo(time_zone)

    def formatter(pattern: str) -> Callable[[datetime | None], str]:
        def formatted(value: datetime | None) -> str:
            return value.astimezone(zone).strftime(pattern) if value else ""

        return formatted

    return {name: formatter(pattern) for name, pattern in DATE_FORMATS.items()}


# Components whose "value" is what a person typed (a radio's or tick box's value is a code).
TYPED_COMPONENTS = frozenset({"input", "password-input", "textarea", "date-input"})
# What a person typed inside an HTML fragment passed in (a field a radio reveals): a text box's
# value, or what a text area holds.
# It starts with a plain "<" so that the search skips to each tag (an alternation of groups at the
# start made every character a starting point: 60 to 90 µs on a 2 KB fragment, against 20).
FILLED_IN_HTML = re.compile(
    r'<(?:(input\b(?=[^>]*\btype="(?:text|email|tel|number|password|search|url)")[^>]*?\bvalue=")'
    r'([^"]+)(")|(textarea\b[^>]*>)([^<]+)(</textarea>))'
)
COMPONENTS_KEPT = 1024


class Blanks:
    """What a person typed, taken out of a component's parameters (each piece replaced by a
    placeholder no one would type) and put back into its markup afterwards."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.taken: dict[str, str] = {}

    def blank(self, markup: str) -> str:
        """A placeholder for ``markup``: the text as the page shows it, escaped."""
        placeholder = f"{self.prefix}{len(self.taken)}z"
        self.taken[placeholder] = markup
        return placeholder

    def blank_value(self, value: Any) -> Any:
        return self.blank(str(escape(value))) if isinstance(value, str) and value else value

    def blank_html(self, html: Any) -> Any:
        if not isinstance(html, Markup) or not FILLED_IN_HTML.search(html):
            return html

        def blanked(match: re.Match[str]) -> str:
            if match.group(1):
                return "<" + match.group(1) + self.blank(match.group(2)) + match.group(3)
            return "<" + match.group(4) + self.blank(match.group(5)) + match.group(6)

        return Markup(FILLED_IN_HTML.sub(blanked, html))  # noqa: S704 - markup in, markup out

    def put_back(self, markup: str) -> Markup:
        # The macro's markup, with each placeholder replaced by the escaped text it stood for.
        if self.taken:
            markup = re.sub(rf"{self.prefix}\d+z", lambda found: self.taken[found[0]], markup)
        return Markup(markup)  # noqa: S704


def without_typed_text(component: str, params: dict[str, Any], blanks: Blanks) -> dict[str, Any]:
    """The parameters with what a person typed replaced by ``blanks``' placeholders."""
    blanked = dict(params)
    if component in TYPED_COMPONENTS:
        blanked["value"] = blanks.blank_value(params.get("value"))
    items = params.get("items")
    if isinstance(items, list):
        blanked["items"] = [blank_item(component, item, blanks) for item in items]
    return blanked


def blank_item(component: str, item: Any, blanks: Blanks) -> Any:
    if not isinstance(item, dict):
        return item
    blanked = dict(item)
    if component == "date-input":
        blanked["value"] = blanks.blank_value(item.get("value"))
    conditional = item.get("conditional")
    if isinstance(conditional, dict) and "html" in conditional:
        blanked["conditional"] = {**conditional, "html": blanks.blank_html(conditional["html"])}
    return blanked


class ComponentCache:
    """GOV.UK Frontend components, each rendered once for a given set of parameters.

    The govuk-frontend-jinja macros are faithful to GOV.UK's markup but slow: each call imports
    the macros it uses again and builds its attributes through more macros, so two fields cost a
    sign-in page three times what the rest of the page does. A form page asks for the same fields
    with the same parameters on almost every view, so the markup is kept, by its parameters, in
    this process's memory (``COMPONENTS_KEPT`` entries, the least recently used dropped first).

    The markup is the macro's own. What a person typed never becomes part of what is kept: a text
    box's value, a text area's, a date's, and those of fields a radio reveals, are replaced by
    placeholders before the component is looked up or rendered, and put back, escaped as the macro
    escapes them, into a copy of the markup for this page alone. The error summary, shown only
    after a mistake, is rendered each time."""

    def __init__(self, environment: Environment, size: int = COMPONENTS_KEPT) -> None:
        self.environment = environment
        self.kept = KeptMarkup(size)
        # Letters and digits only, so that escaping and the macros' filters leave it as it is.
        self.placeholder_prefix = "typed" + secrets.token_hex(8)

    def component(self, name: str) -> Callable[..., Markup]:
        """``name`` as GOV.UK Frontend names it ("input", "error-summary"): its macro."""
        macro_name = "govuk" + "".join(part.capitalize() for part in name.split("-"))
        path = f"govuk_frontend_jinja/components/{name}/macro.html"

        def render(params: dict[str, Any] | None = None) -> Markup:
            macro = getattr(self.environment.get_template(path).module, macro_name)
            if name == "error-summary":
                return macro(params or {})
            blanks = Blanks(self.placeholder_prefix)
            blanked = without_typed_text(name, params or {}, blanks)
            # The parameters' repr is their key: dict literals keep their order, and HTML shows
            # as Markup('...'), so it is told apart from the same words as text.
            found = self.kept.get_or_make((name, repr(blanked)), lambda: macro(blanked))
            return blanks.put_back(found)

        return render


class KeptMarkup:
    """Markup kept by a key in this process's memory, the least recently used dropped first."""

    def __init__(self, size: int = COMPONENTS_KEPT) -> None:
        self.size = size
        self.kept: OrderedDict[Any, str] = OrderedDict()

    def get_or_make(
        self, key: Any, make: Callable[[], str], keep: Callable[[str], bool] | None = None
    ) -> str:
        """The markup kept for ``key``, or ``make()``'s, kept unless ``keep`` says not to."""
        found = self.kept.get(key)
        if found is not None:
            self.kept.move_to_end(key)
            return found
        made = str(make())
        if keep is None or keep(made):
            self.kept[key] = made
            if len(self.kept) > self.size:
                self.kept.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self.kept)


# Markup that belongs to one request alone: a fragment holding either is never kept.
PER_REQUEST_MARKUP = ("_csrf_token", "nonce=")


class FragmentCache:
    """Parts of a form page, rendered once while the form is blank.

    A question page's fields are most often seen as a newcomer sees them: nothing chosen, nothing
    typed, no mistakes. Rendering them then gives the same markup every time, and on the longer
    pages (how to contact someone safely: four channels, each with days and times) that is most
    of the page's cost. A template wraps such a part in a call block, naming what it depends on
    besides the form::

        {% call kept_while_blank(form, "safe_contact", usable, details_href) %}
          {{ safe_contact_fields(form, usable, details_href) }}
        {% endcall %}

    While ``form`` holds no value and no error, the markup is kept by those names (their repr)
    and the part is not rendered again; once anything is chosen, typed or wrong, it is rendered
    as usual, so nothing a person gave is ever kept. The names must cover everything the part
    shows other than the form, except what is fixed for the application's life (the templates,
    the reference lists). A part holding a CSRF token or a CSP nonce is never kept."""

    def __init__(self, size: int = COMPONENTS_KEPT) -> None:
        self.kept = KeptMarkup(size)
        self.placeholder_prefix = "typed" + secrets.token_hex(8)

    def kept_while_blank(self, form: Any, *key: Any, caller: Callable[[], str]) -> Markup:
        if form.values or form.errors:
            return Markup(caller())  # noqa: S704 - the template's own markup
        found = self.kept.get_or_make(repr(key), caller, keep=for_any_request)
        return Markup(found)  # noqa: S704

    def kept_with_typed_text(
        self, form: Any, typed: tuple[str, ...], *key: Any, caller: Callable[[Any], str]
    ) -> Markup:
        """For a form showing what is saved (a member's own details): the part is kept by the
        saved choices, with the text fields named in ``typed`` replaced by placeholders, as
        ``ComponentCache`` does for one field, and the text put back, escaped, for this page
        alone. The part gets the form to render as its argument::

            {% call(shown) kept_with_typed_text(form, ("preferred_name", "phone"), "details") %}
              {{ details_fields(shown, reference) }}
            {% endcall %}

        The part may only show a typed field's value, never test it (beyond being empty). A form
        with a mistake is rendered as usual."""
        if form.errors:
            return Markup(caller(form))  # noqa: S704 - the template's own markup
        blanks = Blanks(self.placeholder_prefix)
        values = {
            name: blanks.blank_value(value) if name in typed else value
            for name, value in sorted(form.values.items())
        }
        shown = type(form)(values)
        found = self.kept.get_or_make(
            repr((key, values)), lambda: caller(shown), keep=for_any_request
        )
        return blanks.put_back(found)


def fragment_globals(cache: FragmentCache) -> dict[str, Callable[..., Markup]]:
    return {
        "kept_while_blank": cache.kept_while_blank,
        "kept_with_typed_text": cache.kept_with_typed_text,
    }


def for_any_request(markup: str) -> bool:
    return not any(marker in markup for marker in PER_REQUEST_MARKUP)


class PanelEnvironment(Environment):
    """Jinja's environment, with each template's globals in one dict rather than a ``ChainMap``
    over the environment's: every ``{% from ... import ... %}`` compares the page's globals with
    the imported template's, and over a ``ChainMap`` that comparison runs key by key in Python.
    A template therefore sees the environment's globals as they were when it was first loaded:
    ``create_app`` sets them all before any page is rendered."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def build_environment(settings: Settings, cache_dir: Path | None = None) -> Environment:
    environment = PanelEnvironment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATES_DIR),
                PrefixLoader(
                    {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
                ),
            ]
        ),
        autoescape=True,
        # The GOV.UK macros test optional parameters as "params.x.y": that needs chainable lookups.
        undefined=ChainableUndefined,
        auto_reload=settings.debug,
        bytecode_cache=FileSystemBytecodeCache(str(cache_dir)) if cache_dir else None,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        settings=settings,
        service_name=settings.service_name,
        viewer=viewer,
        this_url=this_url,
        csrf_field=csrf_field,
        time_zone_label=TIME_ZONE_LABEL,
        govuk_component=ComponentCache(environment).component,
        **fragment_globals(FragmentCache()),
        **shell_globals(environment),
    )
    environment.filters.update(
        error_link=error_link,
        select_item=select_item,
        **local_formats(settings.time_zone),
    )
    return environment
