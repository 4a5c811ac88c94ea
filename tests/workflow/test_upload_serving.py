"""Serving uploads: each file with its type, a readable name, a sandbox, caching that fits a
withdrawal, conditional requests; and any path at all under /media/ is a 404 unless it names a
file the visitor may see."""

import datetime
import os
import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.http import http_date, parse_header_parameters

from dialogue.models import Instrument, Meeting
from editorial.models import Status
from tests import factories

from .conftest import make_user
from .sample_files import jpeg, pdf, png, webp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(item, field, name, content):
    getattr(item, field).save(name, ContentFile(content), save=True)
    item.refresh_from_db()
    return getattr(item, field).name


def fetch(client, name, **headers):
    return client.get(reverse("upload", args=[name]), headers=headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [values]}."""
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


def cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def disposition(response) -> tuple[str, str, str]:
    """(type, filename, filename*) of Content-Disposition; filename* decoded as RFC 8187 says."""
    header = response["Content-Disposition"]
    kind, _, rest = header.partition(";")
    params = dict(re.findall(r'\s*([\w*]+)=("(?:[^"\\]|\\.)*"|[^;]*)\s*(?:;|$)', rest))
    ascii_name = re.sub(r"\\(.)", r"\1", params["filename"][1:-1])
    charset, _language, encoded = params["filename*"].split("'", 2)
    assert charset == "UTF-8"
    assert re.fullmatch(r"[A-Za-z0-9%!#$&+\-.^_`|~]*", encoded), "filename* holds only attr-chars and escapes"
    name = unquote(encoded, encoding="utf-8", errors="strict")
    # What a compliant client makes of the whole header: the UTF-8 name wins.
    assert parse_header_parameters(header)[1]["filename"] == name
    return kind.strip(), ascii_name, name


# Documents -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "expected", "ascii_expected"),
    [
        (
            "text_pdf_fr",
            "Accord sur la coopération spatiale « Ciel » (fr).pdf",
            "Accord sur la cooperation spatiale Ciel (fr).pdf",
        ),
        ("text_pdf_en", "Agreement on space cooperation (en).pdf", "Agreement on space cooperation (en).pdf"),
    ],
)
def test_an_official_text_is_a_sandboxed_pdf_named_after_its_instrument(client, field, expected, ascii_expected):
    instrument = factories.instrument(
        title_fr="Accord sur la coopération spatiale « Ciel »", title_en="Agreement on space cooperation"
    )
    name = stored(instrument, field, "upload.pdf", pdf())
    response = fetch(client, name, accept_language="en" if field.endswith("fr") else "fr")  # not the reader's
    assert response.status_code == 200
    assert body(response) == pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert policy(response) == {"default-src": ["'none'"], "sandbox": []}
    assert disposition(response) == ("inline", ascii_expected, expected)


@pytest.mark.parametrize(
    ("title", "expected", "ascii_expected"),
    [
        ("日仏宇宙協力に関する取決め", "日仏宇宙協力に関する取決め (en).pdf", "document (en).pdf"),
        (
            'The "2+2" / roadmap: Œuvre; 100%',
            "The 2+2 roadmap Œuvre; 100% (en).pdf",
            "The 2+2 roadmap OEuvre; 100% (en).pdf",
        ),
        ("Line\nbreak\u202eevil\tname", "Line break evil name (en).pdf", "Line break evil name (en).pdf"),
        ("x" * 300, "x" * 120 + " (en).pdf", "x" * 120 + " (en).pdf"),
    ],
)
def test_any_title_gives_a_safe_file_name(client, title, expected, ascii_expected):
    instrument = factories.instrument(title_en=title)
    name = stored(instrument, "text_pdf_en", "upload.pdf", pdf())
    assert disposition(fetch(client, name)) == ("inline", ascii_expected, expected)


def test_a_text_without_a_title_in_its_language_takes_the_other_one(client):
    instrument = factories.instrument(title_fr="Feuille de route", title_en="")
    name = stored(instrument, "text_pdf_en", "upload.pdf", pdf())
    assert disposition(fetch(client, name))[2] == "Feuille de route (en).pdf"


# Images --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extension", "content", "content_type"),
    [("png", png(), "image/png"), ("jpg", jpeg(), "image/jpeg"), ("webp", webp(), "image/webp")],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_image_keeps_its_type_and_sandbox_and_is_named_after_its_item(
    client, extension, content, content_type, language
):
    meeting = factories.meeting(title_fr="Visite du ministre à Tokyo", title_en="Minister's visit to Tokyo")
    name = stored(meeting, "image", f"photo.{extension}", content)
    response = fetch(client, name, accept_language=language)
    assert response.status_code == 200
    assert body(response) == content
    assert response["Content-Type"] == content_type
    assert policy(response) == {"default-src": ["'none'"], "sandbox": []}
    readable = {"fr": "Visite du ministre à Tokyo", "en": "Minister's visit to Tokyo"}[language]
    ascii_readable = {"fr": "Visite du ministre a Tokyo", "en": "Minister's visit to Tokyo"}[language]
    assert disposition(response) == ("inline", f"{ascii_readable}.{extension}", f"{readable}.{extension}")


def test_a_press_release_image_is_named_after_the_release(client):
    release = factories.press_release(title_fr="Signature à Paris", title_en="Signing in Paris")
    name = stored(release, "image", "photo.png", png())
    assert disposition(fetch(client, name, accept_language="en"))[2] == "Signing in Paris.png"


# Caching and conditional requests ------------------------------------------------------------


@pytest.fixture
def public_image(media):
    meeting = factories.meeting()
    return meeting, stored(meeting, "image", "photo.png", png())


def test_a_public_file_is_cached_briefly_then_revalidated(client, media, public_image):
    _meeting, name = public_image
    response = fetch(client, name)
    assert cache_control(response) == {"public", "max-age=60", "must-revalidate"}
    assert response["Last-Modified"] == http_date(os.stat(media / name).st_mtime)
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert fetch(client, name)["ETag"] == response["ETag"]  # stable while the file is unchanged


@pytest.mark.parametrize("condition", ["If-None-Match", "If-Modified-Since"])
def test_an_unchanged_file_is_answered_304_with_its_cache_headers(client, public_image, condition):
    _meeting, name = public_image
    first = fetch(client, name)
    validator = first["ETag"] if condition == "If-None-Match" else first["Last-Modified"]
    again = fetch(client, name, **{condition: validator})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert cache_control(again) == {"public", "max-age=60", "must-revalidate"}


def test_a_changed_file_is_sent_again(client, media, public_image):
    _meeting, name = public_image
    first = fetch(client, name)
    (media / name).write_bytes(png(2, 2))
    later = (datetime.datetime.now() + datetime.timedelta(seconds=5)).timestamp()
    os.utime(media / name, (later, later))
    assert fetch(client, name, if_modified_since=first["Last-Modified"]).status_code == 200
    again = fetch(client, name, if_none_match=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert body(again) == png(2, 2)


def test_a_stale_validator_or_an_older_date_gets_the_file(client, public_image):
    _meeting, name = public_image
    assert fetch(client, name, if_none_match='"0123456789abcdef0123456789abcdef"').status_code == 200
    assert fetch(client, name, if_modified_since=http_date(0)).status_code == 200


def test_a_withdrawn_items_file_is_404_even_to_a_cache_revalidating_it(client, public_image):
    meeting, name = public_image
    etag = fetch(client, name)["ETag"]
    Meeting.objects.filter(pk=meeting.pk).update(publication_status=Status.WITHDRAWN)
    assert fetch(client, name, if_none_match=etag).status_code == 404
    assert fetch(client, name).status_code == 404


def test_staff_are_never_served_from_a_shared_cache(client, public_image):
    meeting, name = public_image
    client.force_login(make_user("staff"))
    assert cache_control(fetch(client, name)) == {"private", "no-cache"}
    Meeting.objects.filter(pk=meeting.pk).update(publication_status=Status.DRAFT)
    response = fetch(client, name)
    assert response.status_code == 200
    assert cache_control(response) == {"private", "no-cache"}
    assert fetch(client, name, if_none_match=response["ETag"]).status_code == 304


# Any path at all -----------------------------------------------------------------------------


@pytest.fixture
def files_on_record(media):
    """A public meeting image and a public instrument text, so that lookups meet real rows."""
    meeting = factories.meeting()
    instrument = factories.instrument()
    return stored(meeting, "image", "photo.png", png()), stored(instrument, "text_pdf_fr", "texte.pdf", pdf())


HOSTILE_PATHS = [
    "instruments/%00.pdf",
    "instruments/a%00b.pdf",
    "%00",
    "meetings/%00/../x.png",
    "meetings/" + "a" * 300 + ".png",
    "a" * 10_000 + ".pdf",
    "/".join(["a"] * 2000) + ".pdf",
    "..",
    "../media/x.png",
    "meetings/..%2f..%2fsecret.png",
    "meetings%2f..%2f..%2fsecret.png",
    "meetings\\..\\x.png",
    "meetings%5C..%5Cx.png",
    "%c0%ae%c0%ae/x.png",
    "%ff%fe%fd.png",
    "%e2%80%ae%67%6e%70.png",
    "meetings/%0d%0aSet-Cookie:%20x=1.png",
    "meetings/x.png%3Fa=b",
    "meetings/x.png;.pdf",
    "meetings/%25%32%65.png",
    "meetings/%%%%.png",
    "CON.png",
    "meetings/x.png/",
    "meetings//x.png",
    "./meetings/x.png",
    "meetings/./x.png",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_any_path_under_media_is_a_404(client, files_on_record, path):
    assert client.get(f"/media/{path}").status_code == 404


def test_every_byte_in_a_file_name_is_a_404(client, files_on_record):
    statuses = {byte: client.get(f"/media/instruments/a%{byte:02X}b.pdf").status_code for byte in range(256)}
    assert {byte: status for byte, status in statuses.items() if status != 404} == {}


def test_a_real_file_under_another_spelling_of_its_path_is_a_404(client, files_on_record):
    image, _text = files_on_record
    assert client.get(f"/media/{image}").status_code == 200
    folder, base = image.split("/")
    for spelling in (f"{folder}/./{base}", f"{folder}//{base}", f"{folder}/../{folder}/{base}", f"./{image}"):
        assert client.get(f"/media/{spelling}").status_code == 404, spelling


@pytest.mark.postgres
def test_a_nul_in_the_path_is_a_404_on_postgresql(postgres, client, files_on_record):
    # PostgreSQL refuses a NUL in a text parameter: the path must never reach a query.
    assert client.get("/media/instruments/%00.pdf").status_code == 404
    assert Instrument.objects.exists()  # the connection is still usable afterwards


@pytest.mark.parametrize("staff", [False, True])
def test_serving_a_file_takes_a_few_queries(client, django_assert_max_num_queries, files_on_record, staff):
    if staff:
        client.force_login(make_user("staff"))
    image, text = files_on_record
    for name in (image, text):
        # the owner, looked up model by model until found; the dialogue that names an untitled
        # meeting; for staff, the session and the user, and the session saved again (its
        # inactivity window starts over at every request: a savepoint, an update, a release)
        with django_assert_max_num_queries(7 if staff else 2):
            assert fetch(client, name).status_code == 200
