"""The open-data API, ``/api/v1/``: read-only JSON over the public archive, built with django-ninja.

Why django-ninja rather than Django REST framework: the API is read-only, a dozen operations
over QuerySets this project already has; ninja derives the OpenAPI 3 description from typed
response schemas (pydantic) with no second library (DRF needs drf-spectacular for OpenAPI 3),
serves its Swagger UI from its own static files (no CDN, under the Content Security Policy), and
brings the anonymous throttling this API needs, through Django's cache.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import AnonRateThrottle

from editorial.structured import without_markup
from secretariat.network import client_ip

from .views import BadFilters, router


class AnonymousThrottle(AnonRateThrottle):
    """The setting ``rate_setting``'s number of requests per reader's address (behind proxies, the one
    ``TRUSTED_PROXY_COUNT`` trusts), counted under ``scope`` in the shared cache (Redis in production),
    so that every worker counts the same: ``API_ANON_RATE`` for the API, ``DOWNLOAD_ANON_RATE`` for the
    lists' downloads (``archive.open.exports``)."""

    def __init__(self, rate_setting="API_ANON_RATE", scope="anon"):
        self.rate_setting, self.scope = rate_setting, scope
        super().__init__(getattr(settings, rate_setting))

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request):
        # The rate is read at each request, so that a change of settings (or a test's) applies at once.
        self.rate = getattr(settings, self.rate_setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class MarkupFreeRenderer(JSONRenderer):
    """JSON whose ``<``, ``>`` and ``&`` are ``\\u`` escapes: an error that repeats a hostile key
    (``/dialogues/<script>``) carries no markup, whatever a client makes of the answer."""

    def render(self, request, data, *, response_status):
        return without_markup(super().render(request, data, response_status=response_status))


class ArchiveAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The OpenAPI description, built once per address of the API (it took 40 ms at every request).

        It depends on the code only; callers read it and never change it (``openapi.json`` serves it).
        """
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schemas = self.__dict__.setdefault("_schemas", {})
        if path_prefix not in schemas:
            with translation.override("en"):  # the description is written in English, the data in both languages
                schemas[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return schemas[path_prefix]


api = ArchiveAPI(
    title="France–Japan dialogues: open archive API",
    version="1",
    description=(
        "Read-only JSON over the public archive of the France–Japan dialogues: dialogues, meetings with their "
        "delegations and members, instruments with their signatories and relations, press releases, "
        "organizations, people, memberships (Popolo) and topics. Every text is given in French and English "
        '(`{"fr": …, "en": …}`); items are identified by their stable `key`. Lists take the filters of the '
        "site's lists, `limit` (at most 100) and `offset`. Anonymous use is limited per address; "
        "CORS is open for GET."
    ),
    urls_namespace="api-v1",
    docs_url="/docs/",
    openapi_url="/openapi.json",
    renderer=MarkupFreeRenderer(),
    throttle=[AnonymousThrottle()],
)
api.add_router("", router)


@api.exception_handler(ValidationError)
def invalid_parameters(request, error):
    """A parameter the API cannot take (``limit=1000``, ``offset=-1``): a 400 saying which and why, never a 422."""
    errors = {}
    for problem in error.errors:
        name = ".".join(str(part) for part in problem.get("loc", ())[1:]) or "request"
        errors.setdefault(name, []).append(problem.get("msg", "invalid"))
    return api.create_response(
        request, {"detail": gettext("Some parameters are not valid."), "errors": errors}, status=400
    )


@api.exception_handler(BadFilters)
def invalid_filters(request, error):
    return api.create_response(request, {"detail": str(error), "errors": error.errors}, status=400)
