"""Defences against request data that no page can use: before any view runs, and when a session is saved."""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404, QueryDict
from django.urls import get_resolver
from django.utils import translation

NUL = "\x00"


class HostileInputMiddleware:
    """Answer 404 for an unusable path; take NUL characters out of query strings and cookies.

    PostgreSQL refuses a NUL character in a text parameter (psycopg raises ``DataError``), so
    a NUL that reaches a query, through a filter, the search box or the session cookie, is a
    500 there and a quiet mismatch on SQLite. A NUL never means anything in a page's address,
    a filter value or a cookie, so it is removed before any view, form or middleware reads
    them: ``?q=space%00`` searches for *space*. The query string is re-encoded without it,
    so links built from the request (pagination, the language switcher) carry none either.

    A path is not cleaned but refused: an address holding a NUL, or bytes that are not
    UTF-8, names no page (slugs and years are ASCII), and ``/media/…`` must never look for a
    file by such a name. Forms sent by POST are left to their fields, which refuse a NUL
    with a message (Django's ``ProhibitNullCharactersValidator``); reading the body here
    would also fix its upload handlers before the view could choose them.

    It comes before the session and locale middleware, which read cookies.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not usable_path(request):
            return not_found(request)
        query_string = request.META.get("QUERY_STRING", "")
        if "%00" in query_string or NUL in query_string:
            request.GET = without_nul(request.GET)
            request.META["QUERY_STRING"] = request.GET.urlencode()
        # Parsed, not raw: a quoted cookie may spell a NUL as "\000".
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            request.COOKIES = {key.replace(NUL, ""): value.replace(NUL, "") for key, value in request.COOKIES.items()}
        return self.get_response(request)


def usable_path(request) -> bool:
    if NUL in request.path_info:
        return False
    if isinstance(request, WSGIRequest):
        # The server hands the path over as bytes in a Latin-1 string; Django re-quotes what is
        # not UTF-8 (%FF), which a catch-all route such as /media/<path> would then receive.
        try:
            request.environ.get("PATH_INFO", "").encode("iso-8859-1").decode()
        except UnicodeError:
            return False
    return True


def without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        for value in values:
            cleaned.appendlist(key.replace(NUL, ""), value.replace(NUL, ""))
    cleaned._mutable = False
    return cleaned


def not_found(request):
    """The site's 404 page, in the language of the address (the locale middleware has not run yet)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        return get_resolver().resolve_error_handler(404)(request, Http404("No such address."))


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a cookie naming no live session never starts a new one.

    Sessions are saved on every request (``SESSION_SAVE_EVERY_REQUEST``: a staff session ends after
    ``SESSION_IDLE_HOURS`` without a request). Django saves a session that the request did not read
    as if it were live: a cookie naming no session (made up, or one that has expired) was saved as a
    new, empty session and sent back, a row written in the sessions table on every request, by
    anyone. So a session the request did not read is read before the answer: a key naming no live
    session is dropped, the session is empty, nothing is saved, and the dead cookie is deleted.
    A live session is saved as before, its idle time starting again.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.accessed and settings.SESSION_COOKIE_NAME in request.COOKIES:
            session.keys()  # reads it: a key that names no live session is dropped
        return super().process_response(request, response)
