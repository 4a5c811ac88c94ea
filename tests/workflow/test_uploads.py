"""Uploads: only real PDFs and images of a reasonable size are accepted, stored under random names,
and served with their own type, nosniff and a sandbox, to the public only while their item is public."""

import datetime
import os
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from archive.models import PressRelease
from dialogue.models import Meeting
from editorial.models import Status
from editorial.uploads import DOCUMENT_KINDS, IMAGE_KINDS, UploadValidator
from tests import factories
from tests.conftest import soup
from tests.pages import url_of

from .conftest import admin_url, change_form, errors, make_user
from .sample_files import FILES, animated_png, jpeg, pdf, png, png_declaring, webp

pytestmark = pytest.mark.django_db

TOO_MANY_PIXELS = "This image has too many pixels; the limit is %(limit)s megapixels."
UNREADABLE = "This file cannot be read as a %(format)s image: it is damaged, truncated or of another format."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_MAX_SIZES = {"document": 20 * 1024 * 1024, "image": 5 * 1024 * 1024}
    return settings.MEDIA_ROOT


def upload(name, content):
    return SimpleUploadedFile(name, content)


def validation_message(validator, file, language):
    with translation.override(language):
        with pytest.raises(ValidationError) as raised:
            validator(file)
        return raised.value.code, raised.value.messages[0]


# The validator -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "name"),
    [(DOCUMENT_KINDS, "texte.pdf"), *((IMAGE_KINDS, f"photo.{e}") for e in ("png", "jpg", "jpeg", "webp"))],
)
def test_real_files_are_accepted(kinds, name):
    extension = name.rsplit(".", 1)[1]
    UploadValidator(*kinds)(upload(name, FILES[extension]()))
    UploadValidator(*kinds)(upload(name.upper(), FILES[extension]()))  # PHOTO.PNG, from a camera


@pytest.mark.parametrize(
    ("kinds", "name", "content"),
    [
        (IMAGE_KINDS, "photo.gif", b"GIF89a" + b"\x00" * 20),
        (IMAGE_KINDS, "photo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        (IMAGE_KINDS, "page.html", b"<html><script>alert(1)</script></html>"),
        (IMAGE_KINDS, "texte.pdf", pdf()),
        (DOCUMENT_KINDS, "photo.png", png()),
        (DOCUMENT_KINDS, "setup.exe", b"MZ" + b"\x00" * 40),
        (DOCUMENT_KINDS, "texte", pdf()),
        (DOCUMENT_KINDS, "texte.pdf.exe", pdf()),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_wrong_extension_is_refused(kinds, name, content, language):
    code, message = validation_message(UploadValidator(*kinds), upload(name, content), language)
    assert code == "extension"
    accepted = ".pdf" if kinds == DOCUMENT_KINDS else ".jpg, .jpeg, .png, .webp"
    assert accepted in message
    with translation.override(language):
        assert message == translation.gettext("This type of file is not accepted here. Accepted: %(extensions)s.") % {
            "extensions": accepted
        }


@pytest.mark.parametrize(
    ("kinds", "name", "content"),
    [
        (IMAGE_KINDS, "photo.png", jpeg()),
        (IMAGE_KINDS, "photo.jpg", png()),
        (IMAGE_KINDS, "photo.webp", b"RIFF\x1a\x00\x00\x00WAVEfmt " + b"\x00" * 16),
        (IMAGE_KINDS, "photo.png", b"<html><script>alert(1)</script></html>"),
        (DOCUMENT_KINDS, "texte.pdf", b"<html><body>not a pdf</body></html>"),
        (DOCUMENT_KINDS, "texte.pdf", b"MZ" + b"\x00" * 40),
        (DOCUMENT_KINDS, "texte.pdf", b""),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_content_not_matching_the_extension_is_refused(kinds, name, content, language):
    code, message = validation_message(UploadValidator(*kinds), upload(name, content), language)
    assert code == "content"
    extension = "." + name.rsplit(".", 1)[1]
    with translation.override(language):
        assert message == translation.gettext(
            "The content of this file does not match its extension %(extension)s."
        ) % {"extension": extension}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_oversize_file_is_refused(settings, language):
    settings.UPLOAD_MAX_SIZES = {"document": 1024 * 1024, "image": 1024 * 1024}
    big = upload("photo.png", png() + b"\x00" * (1024 * 1024))
    code, message = validation_message(UploadValidator(*IMAGE_KINDS), big, language)
    assert code == "size"
    with translation.override(language):
        assert message == translation.gettext("This file is too large (%(size)s MB); the limit is %(limit)s MB.") % {
            "size": {"fr": "1,0", "en": "1.0"}[language],  # numbers written the reader's way
            "limit": "1",
        }
    UploadValidator(*IMAGE_KINDS)(upload("photo.png", png() + b"\x00" * 1000))  # under the limit: fine


def test_documents_and_images_have_their_own_limits(settings):
    settings.UPLOAD_MAX_SIZES = {"document": 3 * 1024 * 1024, "image": 1024 * 1024}
    two_megabytes = b"\x00" * (2 * 1024 * 1024)
    UploadValidator(*DOCUMENT_KINDS)(upload("texte.pdf", pdf() + two_megabytes))
    with pytest.raises(ValidationError):
        UploadValidator(*IMAGE_KINDS)(upload("photo.png", png() + two_megabytes))


@pytest.mark.parametrize(
    "msgid",
    [
        "This type of file is not accepted here. Accepted: %(extensions)s.",
        "The content of this file does not match its extension %(extension)s.",
        "This file is too large (%(size)s MB); the limit is %(limit)s MB.",
        TOO_MANY_PIXELS,
        UNREADABLE,
    ],
)
def test_upload_messages_are_translated_into_french(msgid):
    with translation.override("fr"):
        assert translation.gettext(msgid) != msgid, "no French translation in locale/fr yet"


def test_the_file_position_is_left_where_it_was():
    file = upload("photo.png", png())
    file.seek(3)
    UploadValidator(*IMAGE_KINDS)(file)
    assert file.tell() == 3


# Decoding images -----------------------------------------------------------------------------


def test_an_image_is_decoded_and_may_have_as_many_pixels_as_the_limit(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 600
    UploadValidator(*IMAGE_KINDS)(upload("photo.png", png(30, 20)))  # 600 pixels
    code, _message = validation_message(UploadValidator(*IMAGE_KINDS), upload("photo.png", png(31, 20)), "en")
    assert code == "pixels"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(png_declaring(65535, 65535), id="65535x65535, refused by Pillow's own limit first"),
        pytest.param(
            png_declaring(10_000, 10_000),
            id="100 megapixels, under Pillow's limit",
            marks=pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
        ),
        pytest.param(png_declaring(6400, 6400), id="41 megapixels"),
        pytest.param(animated_png(100, 100, 5000), id="5000 frames of 100x100"),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_image_with_too_many_pixels_is_refused(content, language):
    assert len(content) < 1000  # what makes a decompression bomb: a few bytes, billions of pixels
    code, message = validation_message(UploadValidator(*IMAGE_KINDS), upload("photo.png", content), language)
    assert code == "pixels"
    with translation.override(language):
        assert message == translation.gettext(TOO_MANY_PIXELS) % {"limit": "40"}  # the default limit


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_warning_turned_into_an_error_is_a_refusal_too(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 200_000_000  # above Pillow's limit: its warning comes first
    code, _message = validation_message(
        UploadValidator(*IMAGE_KINDS), upload("photo.png", png_declaring(10_000, 10_000)), "en"
    )
    assert code == "pixels"


@pytest.mark.parametrize(("language", "limit"), [("fr", "12,5"), ("en", "12.5")])
def test_the_pixel_limit_is_written_the_readers_way(settings, language, limit):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 12_500_000
    _code, message = validation_message(
        UploadValidator(*IMAGE_KINDS), upload("photo.png", png_declaring(5000, 5000)), language
    )
    with translation.override(language):
        assert message == translation.gettext(TOO_MANY_PIXELS) % {"limit": limit}


@pytest.mark.parametrize(
    ("name", "content", "label"),
    [
        pytest.param("photo.jpg", jpeg()[:-4], "JPEG", id="JPEG cut in its scan"),
        pytest.param("photo.jpg", jpeg()[:200], "JPEG", id="JPEG cut in its tables"),
        pytest.param("photo.jpg", b"\xff\xd8\xff" + png(), "JPEG", id="PNG behind a JPEG signature"),
        pytest.param("photo.png", png(64, 64)[:60], "PNG", id="PNG cut in its data"),
        pytest.param("photo.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "PNG", id="PNG signature then garbage"),
        pytest.param("photo.png", png_declaring(3000, 3000), "PNG", id="PNG whose rows are missing"),
        pytest.param("photo.webp", webp()[:-6], "WebP", id="WebP cut"),
        pytest.param("photo.webp", b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "WebP", id="WebP of zeros"),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_damaged_or_truncated_image_is_refused(name, content, label, language):
    code, message = validation_message(UploadValidator(*IMAGE_KINDS), upload(name, content), language)
    assert code == "image"
    with translation.override(language):
        assert message == translation.gettext(UNREADABLE) % {"format": label}


def test_a_png_named_jpg_is_refused():
    code, _message = validation_message(UploadValidator(*IMAGE_KINDS), upload("photo.jpg", png()), "en")
    assert code == "content"  # its first bytes already say PNG; the decoder would not read it as JPEG either


@pytest.mark.parametrize(
    ("raised", "code"),
    [
        (OSError("broken data stream"), "image"),
        (SyntaxError("not a PNG file"), "image"),
        (ValueError("tile cannot extend outside image"), "image"),
        (struct.error("unpack requires a buffer"), "image"),
        (EOFError(), "image"),
        (IndexError("list index out of range"), "image"),
        (MemoryError(), "image"),
        (Image.DecompressionBombError("Image size exceeds limit"), "pixels"),
    ],
)
def test_whatever_the_decoder_raises_becomes_a_refusal(monkeypatch, raised, code):
    def decoder_failing(*args, **kwargs):
        raise raised

    monkeypatch.setattr(Image, "open", decoder_failing)
    assert validation_message(UploadValidator(*IMAGE_KINDS), upload("photo.png", png()), "en")[0] == code


def test_a_stored_image_is_not_read_again_on_every_save(media):
    meeting = factories.meeting()
    meeting.image.save("photo.png", ContentFile(png()), save=True)
    meeting.refresh_from_db()
    (media / meeting.image.name).write_bytes(png(64, 64)[:60])  # damaged on disk after its upload
    meeting.title_en = "Edited"
    meeting.clean_fields()  # an edit of the text is not refused for a file it does not touch
    meeting.image = upload("photo.png", png(64, 64)[:60])  # a new upload is decoded
    with pytest.raises(ValidationError) as raised:
        meeting.clean_fields()
    assert raised.value.error_dict["image"][0].code == "image"


def test_an_item_whose_file_went_missing_can_still_be_edited(editor_client, media):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    meeting.image.save("photo.png", ContentFile(png()), save=True)
    meeting.image.storage.delete(meeting.image.name)
    _page, data = change_form(editor_client, meeting)
    response = editor_client.post(admin_url(meeting, "change"), {**data, "title_en": "Plenary session"})
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert meeting.title_en == "Plenary session"


# Through the admin ---------------------------------------------------------------------------


def test_an_image_uploaded_through_the_admin_is_stored_under_a_random_name(editor_client, media):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _page, data = change_form(editor_client, meeting)
    data.update(
        {
            "image": upload("Photo de famille.PNG", png()),
            "image_alt_fr": "Les délégations",
            "image_alt_en": "The delegations",
            "image_credit_fr": "MEAE",
            "image_credit_en": "MEAE",
        }
    )
    response = editor_client.post(admin_url(meeting, "change"), data)
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    folder, name = meeting.image.name.split("/")
    assert folder == "meetings" and name.endswith(".png") and "Photo" not in name and len(name) > 20
    stored = media / meeting.image.name
    assert stored.read_bytes() == png()
    assert oct(os.stat(stored).st_mode & 0o777) == oct(0o640)


def test_the_text_of_an_instrument_is_uploaded_in_each_language(editor_client, media):
    instrument = factories.instrument()
    _page, data = change_form(editor_client, instrument)
    data.update({"text_pdf_fr": upload("accord.pdf", pdf()), "text_pdf_en": upload("agreement.pdf", pdf())})
    response = editor_client.post(admin_url(instrument, "change"), data)
    assert response.status_code == 302, errors(response)
    instrument.refresh_from_db()
    assert instrument.text_pdf_fr.name.startswith("instruments/") and instrument.text_pdf_fr.name.endswith(".pdf")
    assert instrument.text_pdf_en.name != instrument.text_pdf_fr.name
    assert (media / instrument.text_pdf_en.name).read_bytes() == pdf()


@pytest.mark.parametrize(
    ("field", "name", "content", "message"),
    [
        ("image", "photo.png", b"<html><script>alert(1)</script></html>", "does not match its extension .png"),
        ("image", "photo.svg", b"<svg/>", "This type of file is not accepted here."),
        (
            "image",
            "photo.png",
            png() + b"\x00" * (2 * 1024 * 1024),
            "This file is too large (2.0 MB); the limit is 1 MB.",
        ),
    ],
)
def test_a_refused_upload_shows_why_and_stores_nothing(editor_client, media, settings, field, name, content, message):
    settings.UPLOAD_MAX_SIZES = {"document": 1024 * 1024, "image": 1024 * 1024}
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _page, data = change_form(editor_client, meeting)
    response = editor_client.post(admin_url(meeting, "change"), {**data, field: upload(name, content)})
    assert response.status_code == 200
    shown = [" ".join(li.get_text().split()) for li in soup(response).select(f".field-{field} .errorlist li")]
    assert any(message in line for line in shown), shown
    meeting.refresh_from_db()
    assert not meeting.image
    assert not any(media.rglob("*.*")) if media.exists() else True


def test_a_refused_upload_is_explained_in_french(editor_client, media):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _page, data = change_form(editor_client, meeting, language="fr")
    response = editor_client.post(
        admin_url(meeting, "change", language="fr"), {**data, "image": upload("a.gif", b"GIF89a")}
    )
    shown = [" ".join(li.get_text().split()) for li in soup(response).select(".field-image .errorlist li")]
    with translation.override("fr"):
        expected = translation.gettext("This type of file is not accepted here. Accepted: %(extensions)s.") % {
            "extensions": ".jpg, .jpeg, .png, .webp"
        }
    assert shown == [" ".join(expected.split())]  # the page's text, spaces (no-break included) collapsed


@pytest.mark.parametrize(
    ("content", "msgid", "params"),
    [
        (png_declaring(65535, 65535), TOO_MANY_PIXELS, {"limit": "40"}),
        (png(64, 64)[:60], UNREADABLE, {"format": "PNG"}),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_bomb_or_a_truncated_image_is_refused_in_the_admin(editor_client, media, language, content, msgid, params):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _page, data = change_form(editor_client, meeting, language=language)
    response = editor_client.post(
        admin_url(meeting, "change", language=language), {**data, "image": upload("photo.png", content)}
    )
    assert response.status_code == 200
    shown = [" ".join(li.get_text().split()) for li in soup(response).select(".field-image .errorlist li")]
    with translation.override(language):
        expected = translation.gettext(msgid) % params
    assert shown == [" ".join(expected.split())]
    meeting.refresh_from_db()
    assert not meeting.image
    assert not any(media.rglob("*.*")) if media.exists() else True


# Serving -------------------------------------------------------------------------------------


def stored(model_obj, field, name, content):
    getattr(model_obj, field).save(name, ContentFile(content), save=True)
    model_obj.refresh_from_db()
    return getattr(model_obj, field).name


def fetch(client, name):
    return client.get(reverse("upload", args=[name]))


@pytest.mark.parametrize(
    ("extension", "content_type"), [("png", "image/png"), ("jpg", "image/jpeg"), ("webp", "image/webp")]
)
def test_a_public_image_is_served_with_its_type_and_a_sandbox(client, extension, content_type):
    meeting = factories.meeting()
    name = stored(meeting, "image", f"photo.{extension}", FILES[extension]())
    response = fetch(client, name)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FILES[extension]()
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")
    assert "public" in response["Cache-Control"]


def test_a_public_pdf_is_served_as_a_pdf(client):
    instrument = factories.instrument()
    name = stored(instrument, "text_pdf_en", "agreement.pdf", pdf())
    response = fetch(client, name)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf()


def test_a_press_release_image_is_served_while_the_release_is_public(client):
    release = factories.press_release()
    name = stored(release, "image", "photo.webp", webp())
    assert fetch(client, name).status_code == 200
    PressRelease.objects.filter(pk=release.pk).update(publication_status=Status.WITHDRAWN)
    assert fetch(client, name).status_code == 404


@pytest.mark.parametrize("state", ["draft", "review", "withdrawn", "scheduled", "dialogue draft"])
def test_the_file_of_an_unpublished_item_is_hidden_from_the_public(client, state):
    if state == "dialogue draft":
        meeting = factories.meeting(factories.dialogue(publication_status="draft"))
    elif state == "scheduled":
        meeting = factories.meeting(publish_at=timezone.now() + datetime.timedelta(days=1))
    else:
        meeting = factories.meeting(publication_status=state)
    name = stored(meeting, "image", "photo.png", png())
    instrument = factories.instrument(publication_status="draft")
    pdf_name = stored(instrument, "text_pdf_fr", "accord.pdf", pdf())
    assert fetch(client, name).status_code == 404
    assert fetch(client, pdf_name).status_code == 404

    client.force_login(make_user("staff"))  # staff see the files of drafts, never cached by others
    response = fetch(client, name)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert fetch(client, pdf_name).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "meetings/nothing.png",
        "../outside.png",
        "meetings/../../outside.png",
        "%2e%2e/outside.png",
        "/etc/passwd.png",
        "meetings/orphan.png",
        "meetings/notes.txt",
        "meetings/photo",
    ],
)
def test_unknown_files_and_paths_outside_the_uploads_are_not_found(client, media, path):
    media.mkdir(parents=True, exist_ok=True)
    (media.parent / "outside.png").write_bytes(png())  # a real file, just outside MEDIA_ROOT
    (media / "meetings").mkdir(exist_ok=True)
    (media / "meetings" / "orphan.png").write_bytes(png())  # on disk, but no record carries it
    (media / "meetings" / "notes.txt").write_text("notes")
    meeting = factories.meeting()
    Meeting.objects.filter(pk=meeting.pk).update(image="../outside.png")  # even a tampered record
    response = client.get(f"/media/{path}")
    assert response.status_code == 404, path


def test_a_record_whose_file_went_missing_gives_404(client):
    meeting = factories.meeting()
    name = stored(meeting, "image", "photo.png", png())
    meeting.image.storage.delete(name)
    assert fetch(client, name).status_code == 404


# Public pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_meeting_page_shows_its_image_with_its_description(client, language):
    meeting = factories.meeting(
        image_alt_fr="Les deux délégations",
        image_alt_en="The two delegations",
        image_credit_fr="MEAE",
        image_credit_en="MOFA",
    )
    name = stored(meeting, "image", "photo.png", png())
    figure = soup(client.get(url_of(meeting, language))).select_one("figure.illustration")
    image = figure.select_one("img")
    assert image["src"] == f"/media/{name}"
    assert image["alt"] == {"fr": "Les deux délégations", "en": "The two delegations"}[language]
    assert {"fr": "MEAE", "en": "MOFA"}[language] in figure.select_one("figcaption").get_text()
    assert fetch(client, name).status_code == 200


def test_the_press_release_page_shows_its_image(client):
    release = factories.press_release(image_alt_fr="Signature", image_alt_en="Signing")
    name = stored(release, "image", "photo.jpg", jpeg())
    image = soup(client.get(url_of(release, "en"))).select_one("figure.illustration img")
    assert (image["src"], image["alt"]) == (f"/media/{name}", "Signing")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_instrument_page_links_the_text_in_each_language(client, language):
    instrument = factories.instrument()
    names = {code: stored(instrument, f"text_pdf_{code}", f"text-{code}.pdf", pdf()) for code in ("fr", "en")}
    page = soup(client.get(url_of(instrument, language)))
    links = {a["hreflang"]: a["href"] for a in page.select("a[type='application/pdf']")}
    assert links == {code: f"/media/{name}" for code, name in names.items()}


def test_a_meeting_without_image_shows_no_figure(client):
    meeting = factories.meeting()
    assert not soup(client.get(url_of(meeting, "en"))).select("figure")
