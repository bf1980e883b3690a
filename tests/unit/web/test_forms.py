"""Reading a submitted form: only a body a browser could have sent is read."""

from __future__ import annotations

import pytest

from panel.web.forms import well_formed_url_encoded


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"email=a%40example.org&password=x+y",
        b"name=Zo%C3%AB&name=%E2%9C%93&empty=",
        b"emoji=%F0%9F%98%80",
        b"percent=100%25",
        b"lower=%c3%a9",
        b"a=%00",
    ],
)
def test_what_a_browser_sends_is_well_formed(body):
    assert well_formed_url_encoded(body)


@pytest.mark.parametrize(
    "body",
    [
        b"email=%ff%fe",
        b"name=Zo%C3",  # half a character
        b"name=%C3%28",
        b"surrogate=%ED%A0%80",
        b"raw=\xc3\xab",  # a browser escapes every byte that is not ASCII
        b"raw=\xff",
        b"percent=100%",
        b"bad=%zz",
        b"bad=%4",
        b"bad=%%41",
    ],
)
def test_what_a_browser_never_sends_is_not(body):
    assert not well_formed_url_encoded(body)
