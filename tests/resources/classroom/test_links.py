"""The link validator of the smart classroom (RES-3): whatever is typed, the answer is an http(s) address as
given or the refusal classroom.url_invalid, never another error (a property test)."""

from hypothesis import given
from hypothesis import strategies as st

from renrentong.core.errors import UserFacingError
from renrentong.resources.classroom.services import checked_url

SCHEMES = st.sampled_from(["http://", "https://", "HTTPS://", "javascript:", "data:", "ftp://", "//", ""])


@given(SCHEMES, st.text(max_size=600))
def test_any_text_is_an_http_address_or_refused(scheme, rest):
    typed = scheme + rest
    try:
        url = checked_url(typed)
    except UserFacingError as error:
        assert error.code == "classroom.url_invalid"
        return
    assert url == "" or (url.lower().startswith(("http://", "https://")) and len(url) <= 500
                         and not any(ch.isspace() for ch in url))


def test_plain_addresses_pass_as_typed():
    assert checked_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    assert checked_url("http://www.jxeduyun.com/res/1") == "http://www.jxeduyun.com/res/1"
