"""The read-only API's operations: a list and an item per kind, over the public archive only.

Lists are filtered by the same FilterSets as the public lists (``filters.FILTERS``), paginated
(``limit`` ≤ 100, ``offset``), counted once per state of the archive (``editorial.pagecache.cached``),
and read in a fixed number of queries (the QuerySets below prefetch what the shapes show).
"""

from django.db.models import Exists, F, OuterRef, Prefetch
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from archive.models import PressRelease, Quotation
from dialogue.models import (
    DelegationMember,
    Dialogue,
    Instrument,
    InstrumentRelation,
    Meeting,
    Organization,
    Person,
    Topic,
)
from editorial.limits import RELATED_LIMIT
from editorial.pagecache import cached

from . import schemas, shapes
from .filters import FILTERS, parameters_of

router = Router()

#: The largest page a client may ask for.
MAX_LIMIT = 100
#: The furthest a client may skip: past any list this archive could hold.
MAX_OFFSET = 10**7


class Paging(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"How many items (1 to {MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


def public_meetings():
    return Meeting.objects.published()


def meetings():
    return (
        public_meetings()
        .for_page()
        .prefetch_related(
            Prefetch(
                "press_releases",
                queryset=PressRelease.objects.published().order_by("-date", "-pk")[:RELATED_LIMIT],
                to_attr="public_press_releases",
            )
        )
    )


def instruments():
    return (
        Instrument.objects.published()
        .register()
        .for_page()
        .annotate(signed_at_is_public=Exists(public_meetings().filter(pk=OuterRef("signed_at"))))
    )


def press_releases():
    public = PressRelease.objects.published()
    return public.prefetch_related(
        "issuers",
        "topics",
        Prefetch("quotations", queryset=Quotation.objects.select_related("speaker").order_by("order")),
        Prefetch("meetings", queryset=public_meetings().order_by("start_date")),
        Prefetch("instruments", queryset=Instrument.objects.published().order_by("signed_on", "pk")),
        Prefetch("dialogues", queryset=Dialogue.objects.published().order_by("order")),
    )


def memberships():
    return DelegationMember.objects.filter(Meeting.published_q("delegation__meeting__")).select_related(
        "person", "organization", "delegation__party", "delegation__meeting__dialogue"
    )


#: {kind: (QuerySet of the public items with what their shape reads, order, shape, schema, filter)}
KINDS = {
    "dialogues": (lambda: Dialogue.objects.published().prefetch_related("topics"), ("order", "pk"), shapes.dialogue),
    "meetings": (meetings, ("-start_date", "pk"), shapes.meeting),
    "instruments": (instruments, (F("reference_date").desc(nulls_last=True), "pk"), shapes.instrument),
    "press-releases": (press_releases, ("-date", "-pk"), shapes.press_release),
    "organizations": (
        lambda: Organization.objects.published().select_related("party", "parent"),
        ("name", "pk"),
        shapes.organization,
    ),
    "people": (
        lambda: Person.objects.published().select_related("party"),
        ("family_name", "given_name", "pk"),
        shapes.person,
    ),
    "memberships": (
        memberships,
        ("-delegation__meeting__start_date", "delegation__party__order", "order", "pk"),
        shapes.membership,
    ),
    "topics": (lambda: Topic.objects.all(), ("name", "pk"), shapes.topic),
}

_ = InstrumentRelation  # relations are read through Instrument.objects.for_page()


def page_address(request, offset, limit):
    query = request.GET.copy()
    query["offset"], query["limit"] = str(offset), str(limit)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")


def filtered(request, kind):
    """The public items of ``kind`` in list order, filtered by the query string (a bad value: a 400 with the reasons)."""
    build, order, _shape = KINDS[kind]
    queryset = build().order_by(*order)
    filterset_class = FILTERS.get(kind)
    values = []
    if filterset_class is not None:
        filterset = filterset_class(request.GET, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise BadFilters(filterset.form.errors)
        queryset = filterset.qs
        values = sorted(
            (name, str(getattr(value, "pk", value))) for name, value in filterset.form.cleaned_data.items()
        )
    return queryset, values


class BadFilters(Exception):
    """A filter value the list cannot take: answered 400 with each field's messages."""

    def __init__(self, errors):
        super().__init__(gettext("Some filter values are not valid."))
        self.errors = {name: [str(message) for message in messages] for name, messages in errors.items()}


def listing(request, kind, paging: Paging) -> dict:
    queryset, values = filtered(request, kind)
    shape = KINDS[kind][2]
    count = cached(f"api-count:{kind}:{values}", queryset.count)
    items = list(queryset[paging.offset : paging.offset + paging.limit])
    end = paging.offset + len(items)
    return {
        "count": count,
        "limit": paging.limit,
        "offset": paging.offset,
        "next": page_address(request, end, paging.limit) if end < count else None,
        "previous": page_address(request, max(0, paging.offset - paging.limit), paging.limit)
        if paging.offset
        else None,
        "results": [shape(request, item) for item in items],
    }


def item(request, kind, key, field="key"):
    build, _order, shape = KINDS[kind]
    found = build().filter(**{field: key}).first()
    if found is None:
        raise HttpError(404, gettext("Nothing public of this kind has the key “%(key)s”.") % {"key": key})
    return shape(request, found)


def declare(kind, label, schema, page_schema, field="key"):
    """The list and item operations of ``kind``, with the list's filters as documented parameters."""
    filters = FILTERS.get(kind)
    extra = {"parameters": parameters_of(filters)} if filters else None

    @router.get(
        f"/{kind}",
        response={200: page_schema, 400: schemas.Error},
        summary=f"List {label}",
        openapi_extra=extra,
        url_name=f"{kind}-list",
        tags=[label],
    )
    def list_items(request, paging: Query[Paging]):
        return listing(request, kind, paging)

    list_items.__name__ = f"list_{kind.replace('-', '_')}"

    @router.get(
        f"/{kind}/{{key}}",
        response={200: schema, 404: schemas.Error},
        summary=f"One of the {label}, by key",
        url_name=f"{kind}-detail",
        tags=[label],
    )
    def get_item(request, key: str):
        return item(request, kind, key, field)

    get_item.__name__ = f"get_{kind.replace('-', '_')}"


declare("dialogues", "dialogues", schemas.Dialogue, schemas.page_of(schemas.Dialogue, "DialoguePage"))
declare("meetings", "meetings", schemas.Meeting, schemas.page_of(schemas.Meeting, "MeetingPage"))
declare("instruments", "instruments", schemas.Instrument, schemas.page_of(schemas.Instrument, "InstrumentPage"))
declare(
    "press-releases", "press releases", schemas.PressRelease, schemas.page_of(schemas.PressRelease, "PressReleasePage")
)
declare(
    "organizations", "organizations", schemas.Organization, schemas.page_of(schemas.Organization, "OrganizationPage")
)
declare("people", "people", schemas.Person, schemas.page_of(schemas.Person, "PersonPage"))
declare("topics", "topics", schemas.Topic, schemas.page_of(schemas.Topic, "TopicPage"))


@router.get(
    "/memberships",
    response={200: schemas.page_of(schemas.Membership, "MembershipPage"), 400: schemas.Error},
    summary="List memberships (Popolo): who sat in which delegation, with which title",
    openapi_extra={"parameters": parameters_of(FILTERS["memberships"])},
    url_name="memberships-list",
    tags=["people"],
)
def list_memberships(request, paging: Query[Paging]):
    return listing(request, "memberships", paging)


class Index(Schema):
    description: str
    documentation: str
    openapi: str
    resources: dict[str, str]


@router.get("/", response=Index, summary="What this API offers", url_name="api-root", tags=["index"])
def index(request):
    resources = {kind: request.build_absolute_uri(reverse(f"api-v1:{kind}-list")) for kind in [*KINDS]}
    return {
        "description": "The public archive of the France–Japan dialogues, in French and English. Read-only.",
        "documentation": request.build_absolute_uri(reverse("api-v1:openapi-view")),
        "openapi": request.build_absolute_uri(reverse("api-v1:openapi-json")),
        "resources": resources,
    }
