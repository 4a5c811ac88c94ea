"""Hostile values for the property-based tests, and what every response to them must be.

Values are drawn as bytes: text as UTF-8, or bytes that are not UTF-8 at all. Most of those an
example sends are real (taken from the archive's own pages), so that a page goes as far as it can
before the hostile ones hit; hostile values include NUL characters, numbers of every size, digits
of other scripts, markup probes, and garbage.
"""

from functools import cache
from urllib.parse import quote_from_bytes

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.html import select

#: The reference archive is loaded once for a module and only read: the examples share it.
shared_archive = hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
#: For the properties that run on every route and check one rule: fewer examples each.
one_rule = hypothesis_settings(shared_archive, max_examples=max(5, hypothesis_settings.default.max_examples // 5))

PROBES = ["<x-probe>", '" x-probe="1', "' x-probe='1"]
#: What a probe looks like when it comes back unescaped.
REFLECTED = [b"<x-probe", b'" x-probe=', b"' x-probe="]
NASTY = [
    *PROBES,
    "",
    "\x00",
    "%00",
    "0",
    "-1",
    "1e9",
    "1e308",
    "NaN",
    "-inf",
    "9" * 30,
    "-" + "9" * 30,
    "1" + "0" * 5000,
    "٣",
    "²",
    "½",
    "1_000",
    " 2 ",
    "0x10",
    "last",
    "' OR 1=1 --",
    '"; DROP TABLE dialogue_meeting; --',
    "../../../etc/passwd",
    "__class__",
    "-__class__",
    "\u202e",
    "\ufeff",
    "\r\nSet-Cookie: x=1",
    "x" * 5000,
    "javascript:alert(1)",
    "{{ request }}",
    "{% debug %}",
    "%s%n",
    "\\",
    '"',
    "🛰️",
    "宇宙",
]

text = st.text(st.characters(codec="utf-8"), max_size=30)
numbers = st.one_of(
    st.integers(),
    st.sampled_from([2**31, 2**63 - 1, 2**63, 2**64, 10**20, 10**100, -(2**63)]),
    st.floats(),
).map(str)
#: Each kind of hostile value, drawn about as often as the others.
HOSTILE = [
    st.sampled_from(NASTY),
    text,
    numbers,
    st.builds(lambda before, probe, after: before + probe + after, text, st.sampled_from(PROBES), text),
]
hostile_text = st.one_of(*HOSTILE)


@st.composite
def with_nul(draw, real):
    """A real value with a NUL somewhere in it: what PostgreSQL refuses in a text parameter."""
    value = draw(st.sampled_from(real))
    position = draw(st.integers(0, len(value)))
    return value[:position] + "\x00" + value[position:]


def spoiled(real):
    """Real values with a probe or garbage after them."""
    suffixes = st.sampled_from(["%00", " ", *PROBES, "\x00" + PROBES[0]]) | text
    return st.builds(lambda value, suffix: value + suffix, st.sampled_from(real), suffixes)


def values(real=None):
    """Real values as they are or spoiled, or hostile ones; as UTF-8, or as bytes that are not UTF-8."""
    return _values(tuple(sorted(real or ())))


# Strategies are built once for the same arguments: Hypothesis checks each new one before it draws
# from it, which had cost a third of the time of the examples that build them anew.


@cache
def _values(real: tuple[str, ...]):
    texts = [st.sampled_from(real), with_nul(real), spoiled(real)] if real else []
    return st.one_of(*(strategy.map(str.encode) for strategy in [*texts, *HOSTILE]), st.binary(max_size=12))


@cache
def sampled(choices: tuple):
    return st.sampled_from(choices)


@cache
def _attacked_names(names: tuple[str, ...]):
    return st.lists(st.sampled_from(names) | hostile_text, min_size=1, max_size=3, unique=True)


@cache
def _repeated(real: tuple[str, ...]):
    return st.lists(_values(real), min_size=1, max_size=2)


@st.composite
def attacks(draw, real: dict):
    """[(name, value)]: real values for some of the names in ``real``, so that the page goes as far
    as it can with them, and hostile ones for one to three names, known or not, once or repeated.
    """
    names = tuple(sorted(real))
    attacked = draw(_attacked_names(names))
    pairs = [
        (name.encode(), draw(sampled(tuple(sorted(real[name])))).encode())
        for name in names
        if name not in attacked and real[name] and draw(st.booleans())
    ]
    pairs += [
        (name.encode(), value) for name in attacked for value in draw(_repeated(tuple(sorted(real.get(name) or ()))))
    ]
    return draw(st.permutations(pairs))


def encode_query(pairs) -> str:
    return "&".join(quote_from_bytes(name, safe="") + "=" + quote_from_bytes(value, safe="") for name, value in pairs)


#: The cookies the site reads, with values of their shape (the session key is unknown).
COOKIES = {
    settings.LANGUAGE_COOKIE_NAME: ["fr", "en"],
    settings.SESSION_COOKIE_NAME: ["k" * 32],
    settings.CSRF_COOKIE_NAME: ["c" * 32],
    "messages": ["[]"],
}
ACCEPT_LANGUAGE = ["fr", "en", "en-GB,en;q=0.8,fr;q=0.5", "ja"]


def headers(cookies, accept_language: bytes) -> dict[str, str]:
    """Cookie and Accept-Language as the server hands them over: bytes in a Latin-1 string."""
    return {
        "HTTP_COOKIE": "; ".join((name + b"=" + value).decode("latin-1") for name, value in cookies),
        "HTTP_ACCEPT_LANGUAGE": accept_language.decode("latin-1"),
    }


def get(path, **extra):
    """One request, in a savepoint: a database error must not spoil the examples that follow.

    A streamed answer (the downloads) is read at once, so that it can be read more than once."""
    with transaction.atomic():
        response = Client().get(path, **extra)
    if response.streaming:
        streamed, response = response, HttpResponse(b"".join(response.streaming_content), status=response.status_code)
        for header, value in streamed.items():
            response[header] = value
    return response


def assert_survives(response):
    assert response.status_code < 500, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # A quote breaks out of an HTML attribute only; JSON writes it \", and carries no markup at all.
    html = response.get("Content-Type", "").startswith("text/html")
    for reflected in REFLECTED if html else REFLECTED[:1]:
        assert reflected not in content, f"{reflected!r} came back unescaped"


def item_links(response) -> list[str]:
    """The items a page lists: its links without a query string."""
    return [a.get("href") for a in select(response, "main a[href]") if "?" not in a.get("href")]
