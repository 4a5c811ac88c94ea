"""Versions of a record, compared field by field: for the history's compare page and edit conflicts.

django-reversion keeps every save as a version (the record and the records followed with it:
a meeting's delegations and their members…). This module turns two states of a record, stored
or current, into a list of readable changes.
"""

import difflib
import re
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Version

from .i18n import translated_fields

#: Bookkeeping fields, not what an editor changed.
IGNORED = {"id", "modified_at"}


def current_state(obj) -> dict:
    """The record as django-reversion stores it: concrete fields by attname, many-to-many by pk lists."""
    state = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
    for field in obj._meta.many_to_many:
        pks = obj.__class__._default_manager.filter(pk=obj.pk).values_list(field.name, flat=True)
        state[field.name] = sorted(pk for pk in pks if pk is not None)
    return state


def _display(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(field, models.ManyToManyField):
        related = field.related_model._default_manager.filter(pk__in=[v for v in value if v is not None])
        return ", ".join(sorted(str(item) for item in related))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.TextField):
        return re.sub(r"\s+", " ", strip_tags(str(value))).strip()
    return str(value)


def word_diff(old: str, new: str) -> str:
    """HTML marking deleted words with <del> and inserted words with <ins>; texts escaped."""
    a, b = old.split(), new.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece escaped above


def field_changes(model, old: dict, new: dict) -> list[dict]:
    """[{field, old, new, diff}] for each field of ``model`` whose value differs between two states."""
    changes = []
    # modeltranslation's original field (``title``) reads as the active language's ``title_xx``: a duplicate.
    skipped = IGNORED | set(translated_fields(model))
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        key = field.name if field.many_to_many else field.attname
        if field.name in skipped or field.name.startswith("text_updated_") or (key not in old and key not in new):
            continue
        before, after = old.get(key), new.get(key)
        if field.many_to_many:
            before, after = sorted(before or []), sorted(after or [])
        if before == after or (before in (None, "") and after in (None, "")):
            continue
        shown_before, shown_after = _display(field, before), _display(field, after)
        changes.append(
            {
                "field": str(field.verbose_name),
                "old": shown_before,
                "new": shown_after,
                "diff": word_diff(shown_before if before not in (None, "") else "", shown_after),
            }
        )
    return changes


def _followed(version: Version) -> dict:
    """{(model, object id): version} of the other records saved in the same revision."""
    return {
        (other.content_type_id, other.object_id): other
        for other in version.revision.version_set.select_related("content_type")
        if not (other.content_type_id == version.content_type_id and other.object_id == version.object_id)
    }


def current_names(versions) -> dict:
    """{(content type id, object id): the record's name in the reader's language}, for the records
    that still exist: a version's ``object_repr`` was written in its saver's language. One query per model."""
    wanted = defaultdict(set)
    for version in versions:
        wanted[version.content_type_id].add(version.object_id)
    names = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        pks = []
        for object_id in ids:
            try:
                pks.append(model._meta.pk.to_python(object_id))
            except (ValidationError, ValueError, TypeError):
                continue
        for record in model._default_manager.filter(pk__in=pks):
            names[(content_type_id, str(record.pk))] = str(record)
    return names


def related_changes(old: Version, new: Version) -> list[dict]:
    """What changed in the records saved along with the item (delegations, members, signatories…)."""
    before, after = _followed(old), _followed(new)
    names = current_names([*before.values(), *after.values()])

    def name(version):
        return names.get((version.content_type_id, str(version.object_id)), version.object_repr)

    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[0], str(k[1]))):
        a, b = before.get(key), after.get(key)
        model = (a or b).content_type.model_class()
        if model is None:
            continue
        label = str(model._meta.verbose_name).capitalize()
        if a is None:
            changes.append({"kind": "added", "label": label, "object": name(b), "fields": []})
        elif b is None:
            changes.append({"kind": "removed", "label": label, "object": name(a), "fields": []})
        else:
            fields = field_changes(model, a.field_dict, b.field_dict)
            if fields:
                changes.append({"kind": "changed", "label": label, "object": name(b), "fields": fields})
    return changes


def version_with_token(obj, token: str):
    """The stored version of ``obj`` whose ``modified_at`` matches an edit token, if any."""
    for version in Version.objects.get_for_object(obj).select_related("revision__user"):
        stamp = version.field_dict.get("modified_at")
        if stamp is not None and edit_token(stamp) == token:
            return version
    return None


def edit_token(stamp) -> str:
    """The token a form carries to detect a concurrent save: the record's last-modified time."""
    return stamp.isoformat(timespec="milliseconds") if stamp else ""


# What changed in a source text since its translation was last brought up to date ------------------


def plain_text(value) -> str:
    """A stored text as words: tags dropped, spaces collapsed (HTML fields compare by their words)."""
    return re.sub(r"\s+", " ", strip_tags(str(value or ""))).strip()


def version_translated_from(obj, source: str, target: str):
    """The stored version of ``obj`` whose ``source`` text the ``target`` text was last brought up to date
    with: the latest whose ``source`` stamp is not after the ``target``'s stamp. None when unknown (no
    stamp for the target, or no stored version old enough)."""
    target_stamp = getattr(obj, f"text_updated_{target}", None)
    if target_stamp is None:
        return None
    for version in Version.objects.get_for_object(obj).select_related("revision").order_by("-revision__date_created"):
        stamp = version.field_dict.get(f"text_updated_{source}")
        if stamp is not None and stamp <= target_stamp:
            return version
    return None


def source_changes(old: dict | None, new: dict, fields, source: str) -> dict[str, str]:
    """{field: word difference (HTML)} for each of ``fields`` whose ``source`` text differs between two
    states (``old`` None: a record added since, all its text is new)."""
    changes = {}
    for field in fields:
        before = plain_text((old or {}).get(f"{field}_{source}"))
        after = plain_text(new.get(f"{field}_{source}"))
        if before != after:
            changes[field] = word_diff(before, after)
    return changes
