"""Reading the pages the app serves: parse the HTML and select the element a test is about.

A test that looks for a substring anywhere on a page passes when the words appear in a filter's
label, a hint or another row. These functions take a page (an ``httpx.Response``, its text, or an
element already selected) and a CSS selector, and give back the one element, its text, a table's
rows, the error summary, a summary list or a form's values, so an assertion names where the words
must be. Selecting something that is not there, or is there more than once, fails with the
selector and what the page shows instead.

The parser is html5lib, which builds the tree as a browser does (``tbody`` added, unclosed ``p``
closed). Parsed pages are kept for the few most recent texts, so selecting several things from the
same page parses it once; treat what these functions return as read-only.
"""

from __future__ import annotations

import functools
from typing import Any

import httpx
from bs4 import BeautifulSoup, CData, NavigableString, Tag

Page = httpx.Response | str | Tag
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
# Elements a browser lays out as blocks (or cells): text on either side of one is not run together.
# fmt: off
BLOCKS = frozenset({
    *HEADINGS, "address", "article", "aside", "blockquote", "br", "caption", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr",
    "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# fmt: on


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html5lib")


def parse(page: Page) -> Tag:
    """The page's document, or the element itself when given one."""
    if isinstance(page, Tag):
        return page
    return _parsed(page.text if isinstance(page, httpx.Response) else page)


def select(page: Page, selector: str) -> list[Tag]:
    """Every element that matches the CSS selector, in document order (may be none)."""
    return list(parse(page).select(selector))


def one(page: Page, selector: str) -> Tag:
    """The one element that matches the CSS selector; fails if there is none or more than one."""
    found = select(page, selector)
    if len(found) != 1:
        shown = "; ".join(text(element)[:80] for element in found[:5])
        raise AssertionError(
            f"expected one element for {selector!r}, found {len(found)}"
            + (f": {shown}" if shown else f" on a page titled {title(page)!r}")
        )
    return found[0]


def text(page: Page, selector: str | None = None) -> str:
    """The text of an element (or of the one element the selector finds in it) as a person reads
    it: runs of whitespace collapsed to one space, a space between blocks (two paragraphs, two
    cells) and none added inside a line, so "<p>Saved.</p><p>Sent.</p>" reads "Saved. Sent."."""
    return _collapsed(_chosen(page, selector), skip_hidden=False)


def _chosen(page: Page, selector: str | None) -> Tag:
    """The one element the selector finds, or with no selector the page or element itself."""
    return one(page, selector) if selector else parse(page)


def shown_text(element: Tag) -> str:
    """The element's text, as ``text`` gives it, without what is only for screen readers
    (``govuk-visually-hidden``): a sortable heading's ", sort by this", an error's "Error:"."""
    return _collapsed(element, skip_hidden=True)


def _collapsed(element: Tag, skip_hidden: bool) -> str:
    parts: list[str] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if type(child) in (NavigableString, CData):
                parts.append(str(child))
            elif isinstance(child, Tag):
                if child.name in ("script", "style", "template"):
                    continue
                if skip_hidden and "govuk-visually-hidden" in child.get_attribute_list("class"):
                    continue
                block = child.name in BLOCKS
                parts.append(" " if block else "")
                walk(child)
                parts.append(" " if block else "")

    walk(element)
    return " ".join("".join(parts).split())


def texts(page: Page, selector: str) -> list[str]:
    """The text of every element the selector finds, in order."""
    return [text(element) for element in select(page, selector)]


def section(page: Page, heading: str) -> Tag:
    """What a heading introduces: everything after the one heading whose shown text is
    ``heading``, up to the next heading of its level or above or the end of the ``main`` it is
    in, parsed as a fragment of its own. An element that holds the next heading is looked into,
    not taken whole."""
    found = [
        element for element in parse(page).find_all(HEADINGS) if shown_text(element) == heading
    ]
    assert len(found) == 1, f"expected one heading {heading!r}, found {len(found)}"
    start = found[0]
    level = int(start.name[1])

    def ends_it(element: Tag) -> bool:
        return element.name in HEADINGS and int(element.name[1]) <= level

    container = start.find_parent("main") or parse(page)
    inside = {id(element) for element in container.descendants}
    taken: set[int] = set()
    parts = []
    for element in start.find_all_next():
        if id(element) not in inside or ends_it(element):
            break
        if id(element) in taken or element.find(ends_it):
            continue
        taken.update(id(node) for node in element.descendants)
        parts.append(str(element))
    return BeautifulSoup("".join(parts), "html5lib").body


def title(page: Page) -> str:
    """The page's title; "" when it has none (an element selected from a page has none)."""
    found = parse(page).find("title")
    return text(found) if isinstance(found, Tag) else ""


def table_cells(page: Page, selector: str | None = "table") -> list[list[str]]:
    """The table's body rows, each as the texts of its cells (a row's heading cell included).
    With no selector, ``page`` is the table itself."""
    return _body_cells(_chosen(page, selector))


def _body_cells(table: Tag) -> list[list[str]]:
    return [
        [text(cell) for cell in row.find_all(["th", "td"], recursive=False)]
        for row in table.select("tbody > tr")
    ]


def table_rows(page: Page, selector: str | None = "table") -> list[dict[str, str]]:
    """The table's body rows, each as a dict from its column's heading to the cell's text. A
    heading is keyed by the text it shows, without words only a screen reader is given (a sortable
    heading's ", sort by this")."""
    table = _chosen(page, selector)
    headings = [shown_text(cell) for cell in table.select("thead > tr > th")]
    assert headings, f"the table {selector!r} has no column headings (thead)"
    rows = _body_cells(table)
    for cells in rows:
        assert len(cells) == len(headings), f"a row of {len(cells)} cells: {cells}"
    return [dict(zip(headings, cells, strict=True)) for cells in rows]


def timeline(page: Page, selector: str | None = ".moj-timeline") -> list[dict[str, str]]:
    """An MoJ timeline's entries, newest first as shown: each entry's title, byline (who), date
    and description, as text ("" for a part the entry does not have)."""
    found = _chosen(page, selector)
    entries = []
    for item in found.select(".moj-timeline__item"):
        parts = {}
        for part in ("title", "byline", "date", "description"):
            element = item.select_one(f".moj-timeline__{part}")
            parts[part] = text(element) if element is not None else ""
        entries.append(parts)
    return entries


def summary_list(page: Page, selector: str | None = ".govuk-summary-list") -> dict[str, str]:
    """A GOV.UK summary list, as a dict from each row's key to its value's text."""
    found = _chosen(page, selector)
    return {
        text(row, ".govuk-summary-list__key"): text(row, ".govuk-summary-list__value")
        for row in found.select(".govuk-summary-list__row")
    }


def error_summary(page: Page) -> dict[str, str]:
    """The error summary at the top of the page: the id of the field each message links to (or
    "" for a message with no link) and the message."""
    messages: dict[str, str] = {}
    for item in _error_items(page):
        link = item.find("a")
        target = str(link.get("href", "")).removeprefix("#") if isinstance(link, Tag) else ""
        assert target not in messages, f"two messages for {target!r}: use error_messages"
        messages[target] = text(item)
    return messages


def error_messages(page: Page) -> list[str]:
    """The error summary's messages, in order."""
    return [text(item) for item in _error_items(page)]


def _error_items(page: Page) -> list[Tag]:
    return select(one(page, ".govuk-error-summary"), ".govuk-error-summary__list > li")


def field_error(page: Page, field: str) -> str:
    """The error message shown with the field whose id is ``field``, without its hidden "Error:"."""
    message = text(page, f"#{field}-error")
    return message.removeprefix("Error:").strip()


def notification(page: Page) -> str:
    """The text of the one notification banner (a "saved" or "sent" message) on the page."""
    return text(page, ".govuk-notification-banner__content")


def warning(page: Page) -> str:
    """The text of the one GOV.UK warning on the page, without its hidden "Warning"."""
    return shown_text(one(page, ".govuk-warning-text__text"))


def form_values(page: Page, selector: str | None = "form") -> dict[str, Any]:
    """What the form would send as it is shown: each field's name and value. Ticked boxes and
    chosen radios only; a name sent more than once gives a list. The CSRF token is left out.
    With no selector, ``page`` is the form itself."""
    form = _chosen(page, selector)
    values: dict[str, list[str]] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = str(field.get("name") or "")
        if not name or name == "_csrf_token" or field.has_attr("disabled"):
            continue
        kind = str(field.get("type", "text")).lower()
        if field.name == "textarea":
            value = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            value = _option_value(chosen) if isinstance(chosen, Tag) else ""
        elif kind in {"checkbox", "radio"}:
            if not field.has_attr("checked"):
                continue
            value = str(field.get("value", "on"))
        elif kind in {"submit", "button", "file", "image", "reset"}:
            continue
        else:
            value = str(field.get("value", ""))
        values.setdefault(name, []).append(value)
    return {name: found[0] if len(found) == 1 else found for name, found in values.items()}


def _option_value(option: Tag) -> str:
    return str(option["value"]) if option.has_attr("value") else option.get_text()


def hrefs(page: Page, selector: str = "a") -> list[str]:
    """Where each link the selector finds goes (its ``href``), in order."""
    return [str(link.get("href", "")) for link in select(page, selector)]


def links(page: Page, selector: str = "a") -> dict[str, str]:
    """The links the selector finds: each one's text and where it goes. Two links with the same
    text fail: the dict would hide one of them."""
    found = [(text(link), str(link.get("href", ""))) for link in select(page, selector)]
    assert len({link_text for link_text, _ in found}) == len(found), f"links share a text: {found}"
    return dict(found)
