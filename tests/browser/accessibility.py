"""Checking pages with axe, and making sure no page a test visits goes unchecked.

Page objects call ``assert_accessible`` when they arrive on a page. The ``page`` fixture also
watches every document the tab loads (a form sent back with errors is a new document too) and
fails the test if one of them was never checked, so a journey that reaches a page without a page
object cannot skip the check by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE = Axe()


def violations_report(violations: list[dict]) -> str:
    """One block per rule broken: what it is, how bad, where, and how to fix it."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(str(part) for part in node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n       ")
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe on the page as it is now and fail with a readable list if it finds anything; and
    check the page fits the width of the window (``assert_fits_width``)."""
    # Waiting for the document to be parsed also means its load has been counted by the watch.
    page.wait_for_load_state("domcontentloaded")
    violations = AXE.run(page).response["violations"]
    watch = WATCHES.get(page)
    if watch is not None:
        watch.mark_checked()
    assert not violations, (
        f"axe found {len(violations)} accessibility problem(s) on {page.url}:\n"
        + violations_report(violations)
    )
    assert_fits_width(page)


# The widest elements that stick out past the right edge of the window, to say what to fix.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const describe = (element) => element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + [...element.classList].map((name) => "." + name).join("");
  return [...document.body.querySelectorAll("*")]
    .filter((element) => element.getBoundingClientRect().right > width + 0.5)
    .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
    .slice(0, 5)
    .map((element) => `${describe(element)} to ${Math.round(element.getBoundingClientRect().right)}px`);
}"""


def assert_fits_width(page: Page) -> None:
    """The page does not scroll sideways (WCAG 1.4.10, reflow): at 320 px wide, as on a small
    phone, everything fits the window."""
    viewport = page.viewport_size
    assert viewport is not None, "the browser context has a window size"
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width > viewport["width"]:
        sticking_out = page.evaluate(OVERFLOWING)
        raise AssertionError(
            f"{page.url} is {scroll_width} px wide in a window {viewport['width']} px wide, so it "
            f"scrolls sideways; widest: {sticking_out}"
        )


@dataclass
class NavigationWatch:
    """The documents a tab has loaded, and whether each was checked while it was showing."""

    page: Page
    exempt: frozenset[str]
    visits: list[list] = field(default_factory=list)  # [url, checked]

    def document_loaded(self) -> None:
        url = self.page.url
        self.visits.append([url, url in self.exempt])

    def mark_checked(self) -> None:
        if self.visits:
            self.visits[-1][1] = True

    def unchecked(self) -> list[str]:
        return [url for url, checked in self.visits if not checked]

    def stop(self) -> None:
        WATCHES.pop(self.page, None)


WATCHES: dict[Page, NavigationWatch] = {}


def watch_navigations(page: Page, exempt: frozenset[str]) -> NavigationWatch:
    """Record every document the tab shows; ``exempt`` lists addresses outside the service."""
    watch = NavigationWatch(page=page, exempt=exempt)
    page.on("domcontentloaded", lambda _: watch.document_loaded())
    WATCHES[page] = watch
    return watch
