"""Uploaded files: what may be uploaded, where it is stored, and how it is served.

A file is accepted only when its extension, its first bytes and its size all agree with one of
the allowed kinds, and an image only once Pillow has decoded it within a pixel budget; it is
stored under a random name, and served (``serve_upload``) with the type of its kind, ``nosniff``
and a restrictive policy, to the public only while the item that carries it is public.
"""

import posixpath
import secrets
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import FileField, Q
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
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
    """``<folder>/<random>.<ext>``: names neither guessable nor taken from the uploader."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = PurePosixPath(filename).suffix.lower()
        return posixpath.join(self.folder, f"{secrets.token_urlsafe(16)}{extension}")

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder


def upload_fields():
    """[(model, [field names])] of every model field holding an upload, translations included."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [field.name for field in model._meta.get_fields() if isinstance(field, FileField)]
        if names:
            found.append((model, names))
    return found


def owner_is_visible(name: str, request) -> bool:
    """Whether the file ``name`` belongs to an item this visitor may see."""
    staff = request.user.is_authenticated and request.user.is_staff
    for model, fields in upload_fields():
        condition = Q()
        for field in fields:
            condition |= Q(**{field: name})
        owners = model._default_manager.filter(condition)
        if not owners.exists():
            continue
        if staff or not hasattr(model, "published_q"):
            return True
        if owners.filter(model.published_q()).exists():
            return True
    return False


def serve_upload(request, path):
    """Serve an uploaded file with the type of its kind and headers that stop it acting as a page."""
    name = posixpath.normpath(path).lstrip("/")
    kind = kind_of(name)
    if name.startswith("..") or kind is None or not owner_is_visible(name, request):
        raise Http404("No such file.")
    if not default_storage.exists(name):
        raise Http404("No such file.")
    response = FileResponse(default_storage.open(name, "rb"), content_type=kind.content_type)
    filename = PurePosixPath(name).name
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if kind.content_type.startswith("image/"):
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # A draft's file may be fetched by its staff only, so only public files go to shared caches.
    response["Cache-Control"] = "public, max-age=3600" if request.user.is_anonymous else "private, no-cache"
    return response
