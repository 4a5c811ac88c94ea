"""Uploaded files: what may be uploaded, where it is stored, and how it is served.

A file is accepted only when its extension, its first bytes and its size all agree with one of
the allowed kinds, and an image only once Pillow has decoded it within a pixel budget; it is
stored under a random name, and served (``serve_upload``) with the type of its kind, a readable
name, ``nosniff`` and a sandboxing policy, to the public only while the item that carries it is
public, and cached briefly so that a withdrawal takes effect within a minute. A file that no
record and no stored version names any more is an orphan (``orphan_uploads``), which
``manage.py clean_uploads`` lists and removes.
"""

import datetime
import functools
import hashlib
import json
import os
import posixpath
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.db.models import FileField, Q
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.http import http_date
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageSequence


@dataclass(frozen=True)
class FileKind:
    extensions: tuple[str, ...]
    content_type: str
    signatures: tuple[bytes, ...]
    #: Pillow's name for the format, for the kinds that are images.
    image_format: str | None = None
    label: str = ""

    def matches(self, head: bytes) -> bool:
        if self.content_type == "image/webp":
            return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        return any(head.startswith(signature) for signature in self.signatures)


KINDS = {
    "pdf": FileKind((".pdf",), "application/pdf", (b"%PDF-",), label="PDF"),
    "jpeg": FileKind((".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",), "JPEG", "JPEG"),
    "png": FileKind((".png",), "image/png", (b"\x89PNG\r\n\x1a\n",), "PNG", "PNG"),
    "webp": FileKind((".webp",), "image/webp", (), "WEBP", "WebP"),
}
DOCUMENT_KINDS = ("pdf",)
IMAGE_KINDS = ("jpeg", "png", "webp")


def kind_of(name: str) -> FileKind | None:
    extension = PurePosixPath(name).suffix.lower()
    return next((kind for kind in KINDS.values() if extension in kind.extensions), None)


def max_size(kinds) -> int:
    limits = getattr(settings, "UPLOAD_MAX_SIZES", {})
    return limits.get("document" if kinds == DOCUMENT_KINDS else "image", 10 * 1024 * 1024)


def max_image_pixels() -> int:
    return getattr(settings, "UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)


def check_image(file, kind: FileKind) -> None:
    """Decode the image ``file`` as ``kind`` within the pixel budget, or raise a ValidationError.

    The budget covers every frame of an animation: decoding is what costs memory and time, and a
    small file can declare a huge canvas (a decompression bomb). Pillow only reads the header on
    ``open``, so the size is checked before anything is decoded.
    """
    limit = max_image_pixels()
    megapixels = limit / 1_000_000
    decimals = len(f"{megapixels:.6f}".rstrip("0").partition(".")[2])  # 40, 12.5, 0.0006
    too_many_pixels = ValidationError(
        _("This image has too many pixels; the limit is %(limit)s megapixels."),
        code="pixels",
        params={"limit": number_format(megapixels, decimals)},
    )
    try:
        with Image.open(file, formats=[kind.image_format]) as image:
            if image.format != kind.image_format:
                raise ValueError(f"decoded as {image.format}")
            if image.width * image.height * getattr(image, "n_frames", 1) > limit:
                raise too_many_pixels
            for frame in ImageSequence.Iterator(image):
                frame.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit (Image.MAX_IMAGE_PIXELS), met before ours could look at the size; the
        # warning arrives as an exception only where warnings are turned into errors.
        raise too_many_pixels from None
    except Exception:
        # Whatever a damaged file makes a decoder raise (OSError for a truncated file, SyntaxError,
        # ValueError, struct.error, EOFError…), the editor is told it cannot be read.
        raise ValidationError(
            _("This file cannot be read as a %(format)s image: it is damaged, truncated or of another format."),
            code="image",
            params={"format": kind.label},
        ) from None


@deconstructible
class UploadValidator:
    """Accepts a file whose extension, magic bytes and size fit one of ``kinds``; an image must decode."""

    def __init__(self, *kinds):
        self.kinds = tuple(kinds)

    def __call__(self, file):
        allowed = [KINDS[name] for name in self.kinds]
        extensions = ", ".join(ext for kind in allowed for ext in kind.extensions)
        kind = kind_of(file.name)
        if kind not in allowed:
            raise ValidationError(
                _("This type of file is not accepted here. Accepted: %(extensions)s."),
                code="extension",
                params={"extensions": extensions},
            )
        if isinstance(file, FieldFile) and file._committed:
            # Already stored: its content was checked when it was uploaded. Reading (or decoding)
            # it again at every save of its item would cost time for nothing, and a file gone
            # from the disk must not stop an editor from correcting the item's text.
            return
        limit = max_size(self.kinds)
        if file.size > limit:
            raise ValidationError(
                _("This file is too large (%(size)s MB); the limit is %(limit)s MB."),
                code="size",
                params={"size": number_format(file.size / 1048576, 1), "limit": number_format(limit / 1048576, 0)},
            )
        position = file.tell() if hasattr(file, "tell") else 0
        try:
            file.seek(0)
            head = file.read(16)
            if not kind.matches(head):
                raise ValidationError(
                    _("The content of this file does not match its extension %(extension)s."),
                    code="content",
                    params={"extension": PurePosixPath(file.name).suffix.lower()},
                )
            if kind.image_format:
                file.seek(0)
                check_image(file, kind)
        finally:
            file.seek(position)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and self.kinds == other.kinds


@deconstructible
class RandomName:
    """``<folder>/<random>.<ext>``: names neither guessable nor taken from the uploader.

    Without a folder, the record's ``upload_folder`` names it (one per kind of item).
    """

    def __init__(self, folder=None):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = PurePosixPath(filename).suffix.lower()
        folder = self.folder or getattr(instance, "upload_folder", "files")
        return posixpath.join(folder, f"{secrets.token_urlsafe(16)}{extension}")

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder


@functools.cache
def upload_fields() -> tuple:
    """((model, (file fields…))…) of every model with a field holding an upload, translations included."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        fields = tuple(field for field in model._meta.get_fields() if isinstance(field, FileField))
        if fields:
            found.append((model, fields))
    return tuple(found)


def served_fields(fields) -> list:
    """The fields that name a file a reader may fetch: for a translated field, its languages' columns.

    django-modeltranslation keeps the original column (``text_pdf``) beside ``text_pdf_fr`` and
    ``text_pdf_en``; it is a copy of one of them, and lookups on it are rewritten to the active
    language's column, so the language's own columns are what say which file is whose.
    """
    translated = {field.translated_field.name for field in fields if hasattr(field, "translated_field")}
    return [field for field in fields if field.name not in translated]


def visible_owner(name: str, request):
    """(item, field) of an item carrying the file ``name`` that this visitor may see, or None."""
    staff = request.user.is_authenticated and request.user.is_staff
    for model, fields in upload_fields():
        fields = served_fields(fields)
        condition = Q()
        for field in fields:
            condition |= Q(**{field.name: name})
        owners = model._default_manager.filter(condition)
        if not staff and hasattr(model, "published_q"):
            owners = owners.filter(model.published_q())
        owner = owners.order_by("pk").first()
        if owner is not None:
            return owner, next(field for field in fields if field.value_from_object(owner) == name)
    return None


def stored_name(path: str) -> str | None:
    """``path`` (from ``/media/<path>``) if it is written as this site stores file names, else None.

    Only canonical relative paths pass: no ``..``, ``.`` or empty segment, no leading slash, no
    backslash, no control character (a NUL is refused by PostgreSQL in a text parameter), and no
    longer than a file field can hold. Anything else cannot name a stored file.
    """
    longest = max(field.max_length for _model, fields in upload_fields() for field in fields)
    if not path or len(path) > longest or "\\" in path:
        return None
    if any(unicodedata.category(character) == "Cc" for character in path):
        return None
    if posixpath.normpath(path) != path or path.startswith("/") or path == ".." or path.startswith("../"):
        return None
    return path


#: Typographic characters that have a plain ASCII spelling, for the ``filename=`` fallback.
ASCII_SPELLING = str.maketrans(
    {"’": "'", "‘": "'", "–": "-", "—": "-", "«": "", "»": "", "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}
)


def filename_part(text: str) -> str:
    """``text`` made fit for a file name: no path separator, quote or control character; not too long."""
    characters = [
        " " if character in '/\\:*?"<>|' or unicodedata.category(character)[0] in "CZ" else character
        for character in text
    ]
    return " ".join("".join(characters).split())[:120].strip(" .")


def readable_filename(owner, field, name: str) -> tuple[str, str]:
    """(title, ending): the name a reader's browser saves the file under, in two parts.

    A text in one language (``text_pdf_fr``) is named after its item's title in that language,
    followed by the language code (``Accord sur la coopération spatiale (fr).pdf``); an image,
    after its item's title in the reader's language (``Visite du ministre.jpg``).
    """
    extension = PurePosixPath(name).suffix.lower()
    language = getattr(field, "language", None)
    with override(language or get_language()):
        title = filename_part(str(owner)) or PurePosixPath(name).stem
    return title, f" ({language}){extension}" if language else extension


def content_disposition(title: str, ending: str) -> str:
    """``inline``, with the name in ASCII for old clients and in UTF-8 (RFC 6266, RFC 8187) for the rest."""
    ascii_title = unicodedata.normalize("NFKD", title.translate(ASCII_SPELLING)).encode("ascii", "ignore")
    ascii_title = filename_part(ascii_title.decode("ascii")) or "document"  # a title in Japanese, say
    return f"inline; filename=\"{ascii_title}{ending}\"; filename*=UTF-8''{quote(title + ending, safe='')}"


#: What an uploaded file may do once a browser opens it: nothing. No script, no style, no plugin,
#: no same-origin access, whatever the file claims to be.
FILE_POLICY = "default-src 'none'; sandbox"

#: How long a shared cache may keep a public file before asking again: a withdrawn item's file
#: stops being served within this many seconds.
PUBLIC_MAX_AGE = 60


def serve_upload(request, path):
    """Serve an uploaded file with the type of its kind and headers that stop it acting as a page.

    Every path that does not name a file this visitor may see is a 404, whatever it holds. Public
    files are cached for a minute and then revalidated (``ETag``, ``Last-Modified``, 304); staff,
    who also see drafts' files, are never served from a shared cache.
    """
    name = stored_name(path)
    kind = kind_of(name) if name else None
    found = visible_owner(name, request) if kind else None
    if found is None:
        raise Http404("No such file.")
    owner, field = found
    try:
        size = default_storage.size(name)
        modified = default_storage.get_modified_time(name)
    except (OSError, SuspiciousFileOperation):
        raise Http404("No such file.") from None
    disposition = content_disposition(*readable_filename(owner, field, name))
    version = f"{name}\n{modified.timestamp()}\n{size}\n{disposition}".encode()
    headers = {
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Content-Security-Policy": FILE_POLICY,
        "Cache-Control": (
            f"public, max-age={PUBLIC_MAX_AGE}, must-revalidate" if request.user.is_anonymous else "private, no-cache"
        ),
        "Last-Modified": http_date(modified.timestamp()),
        "ETag": f'"{hashlib.sha256(version).hexdigest()[:32]}"',
    }
    # The headers a 304 carries (Cache-Control, ETag, Last-Modified) are those of the full answer.
    template = HttpResponse(headers=headers)
    conditional = get_conditional_response(
        request, etag=headers["ETag"], last_modified=int(modified.timestamp()), response=template
    )
    if conditional is not template:  # 304 Not Modified, or 412 for a failed If-Match
        return conditional
    try:
        stream = default_storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation):
        raise Http404("No such file.") from None
    response = FileResponse(stream, content_type=kind.content_type)
    for header, value in headers.items():
        response[header] = value
    return response


# Files no one names -----------------------------------------------------------------------------
# Replacing or removing a file in the admin leaves the old one on disk: a version may still name
# it, and reverting to that version must bring it back. A file becomes an orphan once neither a
# record nor any stored version names it.


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int


def upload_folders() -> list[str]:
    """The folders uploads are stored in, as their fields declare them (``upload_to=RandomName(…)``)."""
    return sorted(
        {
            field.upload_to.folder or getattr(model, "upload_folder", "files")
            for model, fields in upload_fields()
            for field in fields
            if isinstance(field.upload_to, RandomName)
        }
    )


def files_under(storage, folder: str):
    """The names of the files under ``folder``, at any depth; symbolic links are not followed."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for entry in sorted(files) + sorted(directories):
        name = posixpath.join(folder, entry)
        if hasattr(storage, "path") and os.path.islink(storage.path(name)):
            continue
        if entry in directories:
            yield from files_under(storage, name)
        else:
            yield name


def names_in_records() -> set[str]:
    """Every file name a record holds, in every column (django-modeltranslation's original one too)."""
    names = set()
    for model, fields in upload_fields():
        records = model._base_manager.all()
        if hasattr(records, "rewrite"):  # read each column as it is, not the active language's
            records = records.rewrite(False)
        for row in records.values_list(*(field.attname for field in fields)).iterator():
            names.update(value for value in row if value)
    return names


def names_in_versions(candidates: set[str]) -> set[str]:
    """Those of ``candidates`` that a version stored by django-reversion names.

    Every value of a version's fields counts, not only its file fields: a version may come from a
    time when the field had another name. A version in another format than JSON is searched as text.
    """
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Version

    types = ContentType.objects.get_for_models(
        *(model for model, _fields in upload_fields()), for_concrete_models=False
    )
    named = set()
    versions = Version.objects.filter(content_type__in=types.values()).values_list("format", "serialized_data")
    for serialization, data in versions.iterator(chunk_size=500):
        try:
            objects = json.loads(data) if serialization == "json" else None
            values = {value for item in objects for value in item["fields"].values() if isinstance(value, str)}
        except (TypeError, ValueError, KeyError, AttributeError):
            values = {name for name in candidates if name in data}
        named |= candidates & values
    return named


def orphan_uploads(*, storage=None, grace=datetime.timedelta(hours=1)) -> list[StoredFile]:
    """The files in the upload folders that no record and no version names, by name.

    A file younger than ``grace`` is left out: it may belong to an upload whose record is being
    saved at this very moment (the file is written before the record).
    """
    storage = storage or default_storage
    cutoff = timezone.now() - grace
    sizes = {}
    for folder in upload_folders():
        for name in files_under(storage, folder):
            try:
                if storage.get_modified_time(name) <= cutoff:
                    sizes[name] = storage.size(name)
            except FileNotFoundError:  # removed while the folder was being read
                continue
    candidates = set(sizes) - names_in_records()
    candidates -= names_in_versions(candidates)
    return [StoredFile(name, sizes[name]) for name in sorted(candidates)]
