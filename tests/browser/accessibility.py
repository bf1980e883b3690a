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
    """Run axe on the page as it is now and fail with a readable list if it finds anything."""
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
