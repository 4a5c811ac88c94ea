"""Generated hostile values at every public address: never a 5xx, never a value reflected unescaped.

Hypothesis throws values at every public page (a URL pattern, read from the resolver) at its address
in a language each example draws, so that a new page is covered as soon as it has a URL: at its path segments
(real slugs and years of the reference archive, values of the converter's shape, garbage), at
every query parameter its view reads (its filterset's, plus ``page``, ``sort`` and ``q``), at the
cookies and the language header, and at the public forms. Most parameters of an example keep
real values, so that a page goes as far as it can (filters that match, searches that find,
pages that exist) before a hostile value hits: the real values are those the archive's own
pages offer (their links and their forms' options), read once per run.

Every response must be below 500, and no generated markup may come back unescaped. The suite runs
on SQLite and on PostgreSQL, which refuses a NUL character in a text parameter.
HYPOTHESIS_PROFILE=thorough (tests/conftest.py) runs many more examples, at random.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import parse_qsl, quote_from_bytes, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.converters import get_converters
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile import (
    ACCEPT_LANGUAGE,
    COOKIES,
    assert_survives,
    attacks,
    encode_query,
    get,
    headers,
    hostile_text,
    item_links,
    numbers,
    one_rule,
    shared_archive,
    values,
)
from tests.html import select, soup, text

pytestmark = pytest.mark.django_db

# Addresses, from the resolver

#: Staff only: the admin and the scripts of its nested inlines (the admin's login form, which
#: is public, is tested below, as is the language switch, which takes POSTs only).
NOT_PUBLIC = ("admin/", "_nested_admin/", "i18n/")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        else:
            yield route, entry


def public_routes() -> dict[str, tuple[str, object]]:
    """{route: (language, URLPattern)} of every public page, with path segments in its language."""
    routes = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for route, pattern in _walk(get_resolver().url_patterns):
                if not route.removeprefix(f"{language}/").startswith(NOT_PUBLIC):
                    routes.setdefault(route, (language, pattern))
    return routes


ROUTES = public_routes()


def public_pages() -> dict[str, dict[str, str]]:
    """{page: {language: route}}: each public page (one URL pattern, one view) with its route in each language.

    A page has the same view, converters and parameters in both languages; only its path differs. The
    properties run per page, and each example draws the language it sends, so that a page is tested as
    many times as a page without a language (the API, the files), half of them at each address."""
    pages = {}
    for route, (language, pattern) in ROUTES.items():
        pages.setdefault(id(pattern), {})[language] = route
    return {" | ".join(routes.values()): routes for routes in pages.values()}


PAGES = public_pages()


@st.composite
def a_route(draw, page):
    """The page's route in a language drawn for the example."""
    return draw(st.sampled_from(sorted(PAGES[page].values())), label="route")


def parameters(route: str) -> dict[str, object]:
    """{name: converter} of a route's path segments."""
    converters = get_converters()
    return {match["parameter"]: converters[match["converter"] or "str"] for match in PARAMETER.finditer(route)}


def build_path(route: str, segments: dict[str, bytes]) -> str:
    def substitute(match):
        slashes = "/" if match["converter"] == "path" else ""
        return quote_from_bytes(segments[match["parameter"]], safe=slashes)

    return "/" + PARAMETER.sub(substitute, route)


def view_of(route: str):
    return getattr(ROUTES[route][1].callback, "view_class", None)


def query_parameters(route: str) -> list[str]:
    """The parameters a page reads: its filterset's, and those of pagination, sorting and search."""
    filterset = getattr(view_of(route), "filterset_class", None)
    names = list(filterset.base_filters) if filterset is not None else []
    return [*names, *(name for name in ("page", "sort", "q") if name not in names)]


def pages_whose_view(attribute: str) -> list[str]:
    return sorted(
        page for page, routes in PAGES.items() if getattr(view_of(next(iter(routes.values()))), attribute, None)
    )


PAGINATED = pages_whose_view("paginate_by")
FILTERED = pages_whose_view("filterset_class")


def test_the_enumeration_sees_every_public_page_in_both_languages():
    """The routes are read from the resolver: if this breaks, the properties below test nothing."""
    assert {"fr/reunions/<slug:slug>/", "en/meetings/<slug:slug>/", "fr/annees/<year:year>/", "en/"} <= set(ROUTES)
    assert "media/<path:path>" in ROUTES
    assert not any("admin/" in route for route in ROUTES)
    assert {"dialogue", "year", "host", "kind", "topic", "page", "sort", "q"} <= set(query_parameters("en/meetings/"))
    assert {"type", "year", "dialogue", "q", "page"} <= set(query_parameters("fr/recherche/"))
    assert {"en/search/", "en/meetings/", "en/instruments/", "fr/communiques/"} <= {
        route for page in set(PAGINATED) & set(FILTERED) for route in PAGES[page].values()
    }
    # Each route is one page's, and a page has its route in each language, or one for both.
    assert sorted(route for routes in PAGES.values() for route in routes.values()) == sorted(ROUTES)
    assert {"fr": "fr/reunions/<slug:slug>/", "en": "en/meetings/<slug:slug>/"} in PAGES.values()
    assert {"fr": "media/<path:path>"} in PAGES.values()
    assert all(set(routes) in ({"fr", "en"}, {"fr"}) for routes in PAGES.values())


# What the reference archive's pages offer: real slugs, years and filter values


@dataclass
class Offered:
    segments: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # route → segment → values
    query: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # route → parameter → values
    words: set[str] = field(default_factory=set)  # words of the links, to search for

    def add(self, kind, route, name, value):
        getattr(self, kind).setdefault(route, {}).setdefault(name, set()).add(value)

    def segment_values(self, route, name):
        return self.segments.get(route, {}).get(name)

    def query_values(self, route):
        return {**self.query.get(route, {}), "q": self.words}


_offered: list[Offered] = []


def offered() -> Offered:
    """Read once, from every page without a parameter: the links, and the options of their forms."""
    if _offered:
        return _offered[0]
    found = Offered()
    client = Client()
    for route, (language, _pattern) in ROUTES.items():
        if parameters(route):
            continue
        response = client.get(build_path(route, {}))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # feeds, sitemaps, the API, files: no links to follow, no forms
        page = soup(response)
        targets = [(a["href"], None) for a in page.select("a[href]")]
        targets += [(form.get("action") or "/" + route, form) for form in page.select("form[method=get]")]
        for href, form in targets:
            address = urlsplit(href)
            with translation.override(language):
                try:
                    match = resolve(address.path)
                except Resolver404:
                    continue
            for name, value in match.kwargs.items():
                found.add("segments", match.route, name, parameters(match.route)[name].to_url(value))
            for name, value in parse_qsl(address.query):
                found.add("query", match.route, name, value)
            for control in form.select("select[name] option[value], input[name][value]") if form else []:
                select = control.find_parent("select")
                found.add("query", match.route, (select or control)["name"], control["value"])
        found.words |= {word for a in page.select("main a") for word in a.get_text().split() if len(word) > 3}
    _offered.append(found)
    return found


# The properties


@pytest.mark.parametrize("page", sorted(PAGES))
@shared_archive
@given(data=st.data())
def test_every_public_address_survives_hostile_segments_query_strings_and_cookies(
    shared_reference_archive, page, data
):
    site = offered()
    route = data.draw(a_route(page))
    segments = {name: data.draw(any_segment(route, name), label=name) for name in parameters(route)}
    real = site.query_values(route)
    query = encode_query(data.draw(attacks({name: real.get(name) for name in query_parameters(route)}), label="query"))
    cookies = data.draw(attacks(COOKIES), label="cookies")
    accept_language = data.draw(values(ACCEPT_LANGUAGE), label="accept_language")
    response = get(f"{build_path(route, segments)}?{query}", **headers(cookies, accept_language))
    assert_survives(response)


@cache
def any_segment(route, name):
    """A path segment: a real one as it is or spoilt, a hostile one, or one of the converter's shape."""
    shaped = st.from_regex(parameters(route)[name].regex, fullmatch=True).map(str.encode)
    return values(offered().segment_values(route, name)) | shaped


@cache
def real_segment(route, name):
    """A path segment that may name an item: a real one (an item of the archive) or one of the converter's shape."""
    real = sorted(offered().segment_values(route, name) or ["no-such-item"])
    return st.sampled_from(real) | st.from_regex(parameters(route)[name].regex, fullmatch=True)


@st.composite
def real_segments(draw, route):
    """Path segments for ``route``: real ones (an item of the archive) or of the converter's shape."""
    return {name: draw(real_segment(route, name), label=name).encode() for name in parameters(route)}


@pytest.mark.parametrize("page", sorted(PAGES))
@one_rule
@given(data=st.data())
def test_a_nul_or_a_byte_that_is_not_utf8_anywhere_in_a_path_is_a_404(shared_reference_archive, page, data):
    route = data.draw(a_route(page))
    path = build_path(route, data.draw(real_segments(route), label="segments"))
    position = data.draw(st.integers(0, len(path)), label="position")
    bad = data.draw(st.sampled_from(["%00", "%FF", "%C3%28", "%ED%A0%80"]), label="bad")
    response = get(path[:position] + bad + path[position:])
    assert response.status_code == 404
    assert_survives(response)


@pytest.mark.parametrize("page", sorted(PAGES))
@one_rule
@given(data=st.data())
def test_a_nul_in_the_cookies_is_as_if_it_were_not_there(shared_reference_archive, page, data):
    """Every cookie the site reads at once, each with a NUL somewhere: the page does not change."""
    route = data.draw(a_route(page))
    path = build_path(route, data.draw(real_segments(route), label="segments"))
    cookies = [
        (name.encode(), data.draw(st.sampled_from(real), label=name).encode()) for name, real in COOKIES.items()
    ]
    clean = get(path, **headers(cookies, b"fr"))
    spoilt_cookies = [
        (name, value[:position] + b"\x00" + value[position:])
        for name, value in cookies
        for position in [data.draw(st.integers(0, len(value)), label=f"NUL in {name.decode()}")]
    ]
    spoilt = get(path, **headers(spoilt_cookies, b"fr"))
    assert_survives(spoilt)
    assert spoilt.status_code == clean.status_code
    assert item_links(spoilt) == item_links(clean)


@pytest.mark.parametrize("page", PAGINATED)
@shared_archive
@given(data=st.data())
def test_every_paginated_page_shows_a_page_whatever_its_number(shared_reference_archive, page, data):
    """Real filters and words, any page number: a page of results, the first or the last, never an error."""
    route = data.draw(a_route(page))
    site = offered()
    pairs = [(b"q", data.draw(st.sampled_from(sorted(site.words)), label="q").encode())]
    pairs += [
        (name.encode(), data.draw(st.sampled_from(sorted(found)), label=name).encode())
        for name, found in site.query.get(route, {}).items()
        if name not in {"q", "page"} and data.draw(st.booleans(), label=f"with {name}")
    ]
    numbers_asked = data.draw(
        st.lists(st.one_of(numbers, hostile_text).map(str.encode), min_size=1, max_size=2), label="page"
    )
    segments = {  # a real item for a paginated page of one (the year pages)
        name: data.draw(st.sampled_from(sorted(site.segment_values(route, name))), label=name).encode()
        for name in parameters(route)
    }
    response = get(build_path(route, segments) + "?" + encode_query([*pairs, *((b"page", n) for n in numbers_asked)]))
    assert response.status_code == 200
    assert_survives(response)
    current = select(response, ".pagination [aria-current=page]")
    if current:  # a list of one page has no pagination
        assert 1 <= int(text(current[0])) <= response.context["paginator"].num_pages


@pytest.mark.parametrize("page", FILTERED)
@one_rule
@given(data=st.data())
def test_a_nul_in_a_query_string_is_as_if_it_were_not_there(shared_reference_archive, page, data):
    """PostgreSQL refuses NUL in text: a NUL anywhere in a real query changes nothing to the page."""
    route = data.draw(a_route(page))
    pairs = [
        [name, data.draw(st.sampled_from(sorted(found)), label=name)]
        for name, found in offered().query_values(route).items()
        if found and (name == "q" or data.draw(st.booleans(), label=f"with {name}"))
    ]
    clean = get(build_path(route, {}) + "?" + encode_query([(n.encode(), v.encode()) for n, v in pairs]))
    pair, side = data.draw(st.sampled_from(pairs), label="pair"), data.draw(st.sampled_from([0, 1]), label="side")
    position = data.draw(st.integers(0, len(pair[side])), label="position")
    pair[side] = pair[side][:position] + "\x00" + pair[side][position:]
    spoilt = get(build_path(route, {}) + "?" + encode_query([(n.encode(), v.encode()) for n, v in pairs]))
    assert_survives(spoilt)
    assert spoilt.status_code == clean.status_code
    assert item_links(spoilt) == item_links(clean)


@shared_archive
@given(data=st.data())
def test_the_choice_of_language_survives_hostile_cookies_and_headers(shared_reference_archive, data):
    """The addresses without a language, which the locale middleware redirects by cookie and header."""
    path = data.draw(st.sampled_from(["/", "/meetings/", "/reunions/", "/nowhere/"]), label="path")
    cookies = data.draw(attacks(COOKIES), label="cookies")
    accept_language = data.draw(values(ACCEPT_LANGUAGE), label="accept_language")
    assert_survives(get(path, **headers(cookies, accept_language)))


@pytest.mark.parametrize("language", ["fr", "en"])
@shared_archive
@given(data=st.data())
def test_the_public_forms_survive_hostile_fields(shared_reference_archive, language, data):
    """The language switch and the admin's login form, with and without CSRF checks."""
    form, fields = data.draw(
        st.sampled_from(
            [
                ("/i18n/setlang/", {"language": ["fr", "en"], "next": [f"/{language}/", "/en/meetings/"]}),
                (f"/{language}/admin/login/", {"username": ["editor"], "password": ["secret"], "next": ["/fr/"]}),
            ]
        ),
        label="form",
    )
    posted = {
        name.decode(errors="replace"): value.decode(errors="replace")
        for name, value in data.draw(attacks({**fields, "csrfmiddlewaretoken": ["c" * 32]}), label="posted")
    }
    query = encode_query(data.draw(attacks(fields), label="query"))
    cookies = data.draw(attacks(COOKIES), label="cookies")
    client = Client(enforce_csrf_checks=data.draw(st.booleans(), label="enforce_csrf_checks"))
    with transaction.atomic():
        response = client.post(f"{form}?{query}", posted, **headers(cookies, b"fr"))
    assert_survives(response)
