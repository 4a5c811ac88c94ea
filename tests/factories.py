"""Small builders for test records, with every translated text given in both languages."""

import datetime
import itertools

from archive.models import PressRelease
from dialogue.models import Delegation, DelegationMember, Dialogue, Instrument, Meeting, Organization, Party, Person

_counter = itertools.count(1)

#: Test records are public unless a test says otherwise: published, since well before “now”.
PUBLIC = {"publication_status": "published", "publish_at": datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)}


def party(code="FR", name_fr="France", name_en="France", adjective_fr="français", adjective_en="French", order=1):
    return Party.objects.get_or_create(
        code=code,
        defaults={
            "name_fr": name_fr,
            "name_en": name_en,
            "adjective_fr": adjective_fr,
            "adjective_en": adjective_en,
            "order": order,
        },
    )[0]


def japan():
    return party("JP", "Japon", "Japan", "japonais", "Japanese", 2)


def dialogue(**fields):
    n = next(_counter)
    values = {"name_fr": f"Dialogue d'essai {n}", "name_en": f"Test dialogue {n}", **PUBLIC}
    values.update(fields)
    return Dialogue.objects.create(**values)


def meeting(dialogue_=None, **fields):
    values = {
        "dialogue": dialogue_ or dialogue(),
        "start_date": datetime.date(2017, 3, 24),
        "city_fr": "Tokyo",
        "city_en": "Tokyo",
        **PUBLIC,
    }
    values.update(fields)
    return Meeting.objects.create(**values)


def organization(**fields):
    n = next(_counter)
    values = {"name_fr": f"Ministère {n}", "name_en": f"Ministry {n}", "acronym_fr": f"M{n}", "acronym_en": f"M{n}"}
    values.update(fields)
    return Organization.objects.create(**values)


def person(**fields):
    n = next(_counter)
    values = {"given_name": "Louis", "family_name": f"Gautier{n}"}
    values.update(fields)
    return Person.objects.create(**values)


def delegation(meeting_, party_, members=()):
    created = Delegation.objects.create(meeting=meeting_, party=party_)
    for order, member in enumerate(members, start=1):
        DelegationMember.objects.create(delegation=created, person=member, order=order)
    return created


def instrument(**fields):
    n = next(_counter)
    values = {
        "kind": Instrument.Kind.AGREEMENT,
        "title_fr": f"Accord {n}",
        "title_en": f"Agreement {n}",
        "signed_on": datetime.date(2017, 3, 24),
        **PUBLIC,
    }
    values.update(fields)
    return Instrument.objects.create(**values)


def press_release(**fields):
    n = next(_counter)
    values = {
        "title_fr": f"Communiqué {n}",
        "title_en": f"Press release {n}",
        "date": datetime.date(2016, 3, 11),
        "original_language": "fr",
        **PUBLIC,
    }
    values.update(fields)
    return PressRelease.objects.create(**values)
