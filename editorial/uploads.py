"""Uploaded files: what may be uploaded, where it is stored, and how it is served.

A file is accepted only when its extension, its first bytes and its size all agree with one of
the allowed kinds; it is stored under a random name, and served (``serve_upload``) with the type
of its kind, ``nosniff`` and a restrictive policy, to the public only while the item that
carries it is public.
"""

import posixpath
import secrets
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileKind:
    extensions: tuple[str, ...]
    content_type: str
    signatures: tuple[bytes, ...]

    def matches(self, head: bytes) -> bool:
        if self.content_type == "image/webp":
            return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        return any(head.startswith(signature) for signature in self.signatures)


KINDS = {
    "pdf": FileKind((".pdf",), "application/pdf", (b"%PDF-",)),
    "jpeg": FileKind((".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",)),
    "png": FileKind((".png",), "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "webp": FileKind((".webp",), "image/webp", ()),
}
DOCUMENT_KINDS = ("pdf",)
IMAGE_KINDS = ("jpeg", "png", "webp")


def kind_of(name: str) -> FileKind | None:
    extension = PurePosixPath(name).suffix.lower()
    return next((kind for kind in KINDS.values() if extension in kind.extensions), None)


def max_size(kinds) -> int:
    limits = getattr(settings, "UPLOAD_MAX_SIZES", {})
    return limits.get("document" if kinds == DOCUMENT_KINDS else "image", 10 * 1024 * 1024)


@deconstructible
class UploadValidator:
    """Accepts a file whose extension, magic bytes and size fit one of ``kinds``."""

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
        limit = max_size(self.kinds)
        if file.size > limit:
            raise ValidationError(
                _("This file is too large (%(size)s MB); the limit is %(limit)s MB."),
                code="size",
                params={"size": number_format(file.size / 1048576, 1), "limit": number_format(limit / 1048576, 0)},
            )
        position = file.tell() if hasattr(file, "tell") else 0
        file.seek(0)
        head = file.read(16)
        file.seek(position)
        if not kind.matches(head):
            raise ValidationError(
                _("The content of this file does not match its extension %(extension)s."),
                code="content",
                params={"extension": PurePosixPath(file.name).suffix.lower()},
            )

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


def upload_fields():
    """[(model, [field names])] of every model field holding an upload, translations included."""
    from django.apps import apps
    from django.db.models import FileField

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
