"""Generated hostile values in the editors' admin, signed in: never a 5xx, never reflected unescaped.

The models are read from the admin site's registry, so a new one is covered as soon as it is
registered: its list with hostile values for its search, ordering, pagination and filters (the
parameters and their real values are read from the list's own links), the pages of one item by
its id (change, history, delete, comparison of versions), and its change form sent back with one
field spoiled. Each example runs in a savepoint that is rolled back: nothing it saves stays.
"""

from urllib.parse import parse_qsl, quote_from_bytes, urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.views import main
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.admin_forms import form_data
from tests.conftest import soup
from tests.hostile import assert_survives, attacks, encode_query, numbers, shared_archive, values

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
CONTENT = [model for model in MODELS if model._meta.app_label in {"dialogue", "archive"}]
#: The parameters every admin list reads, whatever its filters.
LIST_PARAMETERS = [
    main.ALL_VAR,
    main.ERROR_FLAG,
    main.IS_FACETS_VAR,
    main.IS_POPUP_VAR,
    main.ORDER_VAR,
    main.PAGE_VAR,
    main.SEARCH_VAR,
    main.SOURCE_MODEL_VAR,
    main.TO_FIELD_VAR,
]
ITEM_PAGES = ["", "change/", "history/", "delete/", "history/compare/"]
many_examples = hypothesis_settings(shared_archive, max_examples=2 * hypothesis_settings.default.max_examples)


def admin_url(model, rest=""):
    return f"/en/admin/{model._meta.app_label}/{model._meta.model_name}/{rest}"


@pytest.fixture
def chief_client(client, shared_reference_archive):
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", None))
    return client


def in_savepoint(request):
    """Make the request, then undo whatever it wrote: each example starts from the same archive."""
    with transaction.atomic():
        response = request()
        transaction.set_rollback(True)
    return response


_offered: dict = {}


def list_offers(client, model) -> dict[str, set[str]]:
    """{parameter: values} of the list's own links: its filters, ordering, pages and date drill-down."""
    if model not in _offered:
        offers = {name: set() for name in LIST_PARAMETERS}
        for link in soup(client.get(admin_url(model))).select("#changelist a[href^='?']"):
            for name, value in parse_qsl(urlsplit(link["href"]).query):
                offers.setdefault(name, set()).add(value)
        offers[main.SEARCH_VAR] |= {"space", "Japan", "2017"}
        _offered[model] = offers
    return _offered[model]


@many_examples
@given(data=st.data())
def test_every_admin_list_survives_hostile_parameters(chief_client, data):
    model = data.draw(st.sampled_from(MODELS), label="model")
    query = encode_query(data.draw(attacks(list_offers(chief_client, model)), label="query"))
    assert_survives(in_savepoint(lambda: chief_client.get(f"{admin_url(model)}?{query}")))


DRILLING_DOWN = [model for model in MODELS if admin.site._registry[model].date_hierarchy]


@shared_archive
@given(data=st.data())
def test_every_admin_date_drill_down_survives_any_date(chief_client, data):
    """Years, months and days out of range or of any size: the list, or its error flag, never a 500."""
    model = data.draw(st.sampled_from(DRILLING_DOWN), label="model")
    field = admin.site._registry[model].date_hierarchy
    parts = {"year": ["1", "2017", "9999"], "month": ["1", "2", "12"], "day": ["1", "29", "31"]}
    query = [(f"{field}__year".encode(), data.draw(values(parts["year"]) | numbers.map(str.encode), label="year"))]
    query += [
        (f"{field}__{part}".encode(), data.draw(values(real) | numbers.map(str.encode), label=part))
        for part, real in parts.items()
        if part != "year" and data.draw(st.booleans(), label=f"with {part}")
    ]
    assert_survives(in_savepoint(lambda: chief_client.get(f"{admin_url(model)}?{encode_query(query)}")))


@many_examples
@given(data=st.data())
def test_every_admin_page_of_an_item_survives_hostile_ids(chief_client, data):
    model = data.draw(st.sampled_from(MODELS), label="model")
    real = [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:5]]
    object_id = quote_from_bytes(data.draw(values(real), label="object_id"), safe="")
    page = data.draw(st.sampled_from(ITEM_PAGES), label="page")
    query = encode_query(data.draw(attacks({"from": real, "to": real, "_changelist_filters": ["q=x"]}), label="query"))
    assert_survives(in_savepoint(lambda: chief_client.get(f"{admin_url(model, object_id)}/{page}?{query}")))


_forms: dict = {}


@shared_archive
@given(data=st.data())
def test_every_admin_change_form_survives_a_hostile_field(chief_client, data):
    """The change form as the browser would send it back, with one or two fields spoiled."""
    model = data.draw(st.sampled_from([model for model in CONTENT if model._default_manager.exists()]), label="model")
    url = admin_url(model, f"{model._default_manager.order_by('pk').values_list('pk', flat=True)[0]}/change/")
    if url not in _forms:
        _forms[url] = form_data(chief_client.get(url), f"form#{model._meta.model_name}_form")
    form = dict(_forms[url])
    spoiled = data.draw(st.lists(st.sampled_from(sorted(form)), min_size=1, max_size=2, unique=True), label="fields")
    for name in spoiled:
        sent = form[name] if isinstance(form[name], str) else ",".join(form[name])
        form[name] = data.draw(values([sent]), label=name).decode(errors="replace")
    assert_survives(in_savepoint(lambda: chief_client.post(url, form)))
