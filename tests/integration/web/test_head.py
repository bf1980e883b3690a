"""HEAD answers wherever GET does: the same status and headers, and no body."""

from __future__ import annotations

from tests.integration.web.test_access import concrete, every_route, role_served

# Headers made afresh for each response, whatever the method. (Two answers to the same page can
# differ in length, too: a page may list its own views.)
FRESH = {"set-cookie", "content-security-policy", "date"}


def get_routes(app) -> list[tuple[str, object]]:
    paths = [
        (concrete(path), handler) for path, method, handler in every_route(app) if method == "GET"
    ]
    # A file that is there, besides the made-up name concrete() gives the static routes.
    paths.append(("/static/css/panel.css", None))
    # Last: it ends the session.
    return sorted(paths, key=lambda path_handler: path_handler[0] == "/exit")


async def test_head_answers_like_get_on_every_page_signed_in_or_not(demo_app, client_for_role):
    checked = 0
    for path, handler in get_routes(demo_app):
        served = role_served(handler) if handler is not None else None
        for role in {None, served}:
            client, _ = await client_for_role(role)
            head = await client.http.head(path)
            get = await client.http.get(path)
            who = f"HEAD {path} as {role or 'someone not signed in'}"
            assert head.status_code == get.status_code, f"{who}: {head.status_code}"
            assert head.content == b"", who
            assert head.headers.get("content-type") == get.headers.get("content-type"), who
            assert head.headers.get("location") == get.headers.get("location"), who
            assert set(head.headers) - FRESH == set(get.headers) - FRESH, who
            checked += 1
    assert checked > 60
