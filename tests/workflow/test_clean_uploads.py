"""manage.py clean_uploads: files replaced or removed in the admin stay while a version names them;
once no record and no version does, the command lists them, and removes them with --delete."""

import io
import os
import re

import pytest
import reversion
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from reversion.models import Version

from tests import factories

from .sample_files import pdf, png, webp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def save_file(item, field, name, content):
    """Upload ``content`` into ``item.field`` and save the item, as the admin does: in a revision."""
    with reversion.create_revision():
        getattr(item, field).save(name, ContentFile(content), save=False)
        item.save()
    item.refresh_from_db()
    return getattr(item, field).name


def clean_uploads(*args, grace_minutes=0) -> dict[str, int]:
    """Run the command; {file name: bytes} of what it lists, checked against its summary line."""
    out = io.StringIO()
    call_command("clean_uploads", *args, f"--grace-minutes={grace_minutes}", stdout=out)
    lines = out.getvalue().splitlines()
    verb = "removed" if "--delete" in args else "would remove"
    listed = {}
    for line in lines[:-1]:
        said, size, name = line.split("\t")
        assert said == verb
        listed[name] = int(size.removesuffix(" bytes"))
    summary = re.search(r"(\d+) orphan file\(s\), (\d+) bytes", lines[-1])
    assert (int(summary[1]), int(summary[2])) == (len(listed), sum(listed.values())), lines[-1]
    return listed


@pytest.fixture
def others(media):
    """Files that records carry: never orphans."""
    instrument = factories.instrument()
    release = factories.press_release()
    return {
        save_file(instrument, "text_pdf_fr", "texte.pdf", pdf()),
        save_file(instrument, "text_pdf_en", "text.pdf", pdf()),
        save_file(release, "image", "photo.webp", webp()),
    }


def test_a_replaced_image_is_an_orphan_only_once_no_version_names_it(media, others):
    meeting = factories.meeting()
    old = save_file(meeting, "image", "first.png", png())
    new = save_file(meeting, "image", "second.png", png(2, 2))
    assert old != new
    assert (media / old).read_bytes() == png()  # replacing a file leaves the old one on disk

    assert clean_uploads() == {}  # the first version still names it: reverting to it needs the file
    assert Version.objects.get_for_object(meeting).count() == 2

    call_command("deleterevisions", "dialogue.meeting", keep=1, verbosity=0)  # history trimmed
    assert clean_uploads() == {old: len(png())}
    assert (media / old).exists()  # listing removes nothing

    assert clean_uploads("--delete") == {old: len(png())}
    assert not (media / old).exists()
    assert (media / new).read_bytes() == png(2, 2)
    assert all((media / name).exists() for name in others)
    assert clean_uploads() == {}


def test_a_removed_image_stays_while_a_version_names_it(media, others):
    meeting = factories.meeting()
    name = save_file(meeting, "image", "photo.png", png())
    with reversion.create_revision():
        meeting.image = None
        meeting.save()
    assert clean_uploads("--delete") == {}
    assert (media / name).exists()
    Version.objects.get_for_object(meeting).delete()
    assert clean_uploads("--delete") == {name: len(png())}
    assert not (media / name).exists()


def test_a_deleted_item_keeps_its_file_while_it_can_be_recovered(media, others):
    meeting = factories.meeting()
    name = save_file(meeting, "image", "photo.png", png())
    meeting.delete()
    assert clean_uploads("--delete") == {}  # "Recover deleted meetings" would bring it back
    assert (media / name).exists()


def test_a_file_no_one_ever_named_is_an_orphan(media, others):
    (media / "meetings").mkdir(parents=True)
    (media / "meetings" / "left-over.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 97)
    (media / "meetings" / "nested").mkdir()
    (media / "meetings" / "nested" / "deeper.png").write_bytes(png())
    assert clean_uploads() == {"meetings/left-over.jpg": 100, "meetings/nested/deeper.png": len(png())}


def test_files_outside_the_upload_folders_are_left_alone(media, others):
    media.mkdir(exist_ok=True)
    (media / "README.txt").write_text("kept")
    (media / "exports").mkdir()
    (media / "exports" / "archive.png").write_bytes(png())
    assert clean_uploads("--delete") == {}
    assert (media / "README.txt").exists() and (media / "exports" / "archive.png").exists()


def test_a_symbolic_link_is_not_followed(media, tmp_path, others):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.png").write_bytes(png())
    (media / "meetings").mkdir(parents=True)
    os.symlink(outside, media / "meetings" / "link")
    os.symlink(outside / "precious.png", media / "meetings" / "alias.png")
    assert clean_uploads("--delete") == {}
    assert (outside / "precious.png").exists()


def test_a_recent_file_is_left_alone_by_default(media, others):
    (media / "meetings").mkdir(parents=True)
    (media / "meetings" / "being-saved.png").write_bytes(png())  # its record may be saving right now
    assert clean_uploads("--delete", grace_minutes=60) == {}
    assert clean_uploads(grace_minutes=0) == {"meetings/being-saved.png": len(png())}


def test_a_version_that_cannot_be_parsed_still_protects_the_files_it_names(media, others):
    meeting = factories.meeting()
    old = save_file(meeting, "image", "first.png", png())
    save_file(meeting, "image", "second.png", png())
    version = Version.objects.get_for_object(meeting).filter(serialized_data__contains=old).get()
    Version.objects.filter(pk=version.pk).update(format="xml", serialized_data=f"<object><field>{old}</field>")
    assert clean_uploads("--delete") == {}
    assert (media / old).exists()


def test_an_old_name_in_the_original_column_of_a_translated_field_is_kept(media, others):
    # django-modeltranslation keeps the untranslated column (text_pdf) beside text_pdf_fr/_en.
    instrument = factories.instrument()
    name = save_file(instrument, "text_pdf_fr", "texte.pdf", pdf())
    Version.objects.get_for_object(instrument).delete()
    type(instrument).objects.filter(pk=instrument.pk).rewrite(False).update(text_pdf=name, text_pdf_fr="")
    assert clean_uploads("--delete") == {}
    assert (media / name).exists()


def test_a_negative_grace_is_refused():
    with pytest.raises(CommandError):
        call_command("clean_uploads", "--grace-minutes=-1", stdout=io.StringIO())
