"""Generate a synthetic bilingual archive, to measure search and pages at scale."""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from archive import search
from archive.models import PressRelease, SearchEntry
from dialogue.models import Delegation, DelegationMember, Dialogue, Meeting, Organization, Party, Person

# Pairs of (French, English) phrases the generated texts are drawn from.
PHRASES = [
    ("coopération spatiale civile", "civil space cooperation"),
    ("connaissance de la situation spatiale (SSA)", "space situational awareness (SSA)"),
    ("sécurité et défense", "security and defence"),
    ("exploration spatiale", "space exploration"),
    ("observation de la Terre et climat", "Earth observation and climate"),
    ("coopération industrielle", "industrial cooperation"),
    ("sécurité maritime dans l’Indopacifique", "maritime security in the Indo-Pacific"),
    ("cybersécurité des infrastructures", "cybersecurity of infrastructure"),
    ("sécurité économique et chaînes d’approvisionnement", "economic security and supply chains"),
    ("échange de données", "data exchange"),
    ("lanceurs et satellites", "launchers and satellites"),
    ("réglementation internationale", "international regulation"),
]
AGENCIES = ["CNES", "JAXA", "SGDSN", "MOFA", "MEXT", "DGA", "METI", "MOD"]
FAMILY = ["Tanaka", "Suzuki", "Martin", "Bernard", "Sato", "Durand", "Kobayashi", "Lefebvre", "Watanabe", "Moreau"]
GIVEN = ["Haruki", "Yuki", "Claire", "Julien", "Kenji", "Sophie", "Aiko", "Thomas", "Hiroshi", "Camille"]
CITIES = [("Paris", "Paris"), ("Tokyo", "Tokyo"), ("Toulouse", "Toulouse"), ("Kyoto", "Kyoto")]

#: Every table this command writes (a model added to it goes here too): analyzed at the end.
WRITTEN = (
    Party,
    Dialogue,
    Person,
    Organization,
    Meeting,
    Delegation,
    DelegationMember,
    Delegation.organizations.through,
    PressRelease,
    SearchEntry,
)


FILLER = [
    ("La réunion s’est tenue dans un esprit de confiance.", "The meeting was held in a spirit of trust."),
    ("Les délégations ont fait le point sur les travaux en cours.", "The delegations reviewed the work under way."),
    ("Les participants sont convenus de se revoir l’an prochain.", "The participants agreed to meet again next year."),
    ("Un compte rendu sera adressé aux ministères concernés.", "A report will be sent to the ministries concerned."),
    ("Les échanges ont porté sur les priorités des deux pays.", "The talks covered the priorities of both countries."),
    ("Les experts poursuivront leurs consultations.", "The experts will continue their consultations."),
]


def paragraph(rng, language, topic, sentences=4):
    """A paragraph about ``topic``, as real releases are: one subject, then routine sentences.

    A topic phrase therefore occurs in a few items in ten, as in a real archive, not in all.
    """
    index = 0 if language == "fr" else 1
    opening = {"fr": "Les deux parties ont abordé", "en": "The two sides discussed"}[language]
    lines = [f"{opening} {topic[index]}."]
    for _ in range(sentences - 1):
        if rng.random() < 0.15:
            support = {"fr": "Avec le concours de", "en": "With the support of"}[language]
            lines.append(f"{support} {rng.choice(AGENCIES)}.")
        else:
            lines.append(rng.choice(FILLER)[index])
    return " ".join(lines)


class Command(BaseCommand):
    help = "Add a synthetic archive in French and English (default: 20,000 press releases, 5,000 meetings)."

    def add_arguments(self, parser):
        parser.add_argument("--press-releases", type=int, default=20_000)
        parser.add_argument("--meetings", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--batch-size", type=int, default=1_000)

    def handle(self, *args, press_releases, meetings, seed, batch_size, **options):
        if press_releases < 0 or meetings < 0:
            raise CommandError("Counts must be zero or more.")
        rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
        with transaction.atomic():
            france, _ = Party.objects.get_or_create(
                code="FR",
                defaults={
                    "name_fr": "France",
                    "name_en": "France",
                    "adjective_fr": "français",
                    "adjective_en": "French",
                    "order": 1,
                },
            )
            japan, _ = Party.objects.get_or_create(
                code="JP",
                defaults={
                    "name_fr": "Japon",
                    "name_en": "Japan",
                    "adjective_fr": "japonais",
                    "adjective_en": "Japanese",
                    "order": 2,
                },
            )
            published = {"publication_status": "published", "publish_at": timezone.now()}
            dialogue, _ = Dialogue.objects.get_or_create(
                key="synthetic",
                defaults={
                    "name_fr": "Dialogue synthétique",
                    "name_en": "Synthetic dialogue",
                    "slug_fr": "dialogue-synthetique",
                    "slug_en": "synthetic-dialogue",
                    **published,
                },
            )
            people = [
                Person.objects.get_or_create(
                    key=f"synthetic-{given.lower()}-{family.lower()}",
                    defaults={
                        "given_name": given,
                        "family_name": family,
                        "slug_fr": f"synthetic-{given.lower()}-{family.lower()}",
                        "slug_en": f"synthetic-{given.lower()}-{family.lower()}",
                        "party": rng.choice([france, japan]),
                    },
                )[0]
                for given, family in zip(GIVEN, FAMILY, strict=True)
            ]
            organization = Organization.objects.get_or_create(
                key="synthetic-agency",
                defaults={
                    "name_fr": "Agence synthétique",
                    "name_en": "Synthetic agency",
                    "slug_fr": "agence-synthetique",
                    "slug_en": "synthetic-agency",
                },
            )[0]
            first_number = (
                Meeting.objects.filter(dialogue=dialogue).order_by("-number").values_list("number", flat=True).first()
                or 0
            ) + 1
            start = datetime.date(1990, 1, 1)
            for offset in range(0, meetings, batch_size):
                batch = []
                for n in range(offset, min(offset + batch_size, meetings)):
                    number = first_number + n
                    city, topic = rng.choice(CITIES), rng.choice(PHRASES)
                    batch.append(
                        Meeting(
                            key=f"synthetic-meeting-{number}",
                            **published,
                            dialogue=dialogue,
                            number=number,
                            start_date=start + datetime.timedelta(days=rng.randrange(0, 13_000)),
                            title_fr=f"{number}e session du dialogue synthétique",
                            title_en=f"Session {number} of the synthetic dialogue",
                            slug_fr=f"session-synthetique-{number}",
                            slug_en=f"synthetic-session-{number}",
                            city_fr=city[0],
                            city_en=city[1],
                            host=rng.choice([france, japan]),
                            summary_fr=f"<p>{paragraph(rng, 'fr', topic)}</p>",
                            summary_en=f"<p>{paragraph(rng, 'en', topic)}</p>",
                        )
                    )
                created = Meeting.objects.bulk_create(batch)
                delegations = Delegation.objects.bulk_create(
                    [Delegation(meeting=meeting, party=party) for meeting in created for party in (france, japan)]
                )
                DelegationMember.objects.bulk_create(
                    [
                        DelegationMember(
                            delegation=delegation,
                            person=person,
                            role="co_chair" if i == 0 else "member",
                            title_fr="directeur",
                            title_en="director",
                            order=i,
                        )
                        for delegation in delegations
                        for i, person in enumerate(rng.sample(people, 3))
                    ]
                )
                Delegation.organizations.through.objects.bulk_create(
                    [
                        Delegation.organizations.through(delegation=delegation, organization=organization)
                        for delegation in delegations
                    ]
                )
            first_release = PressRelease.objects.filter(key__startswith="synthetic-release-").count()
            for offset in range(0, press_releases, batch_size):
                batch = []
                for n in range(first_release + offset, first_release + min(offset + batch_size, press_releases)):
                    topic = rng.choice(PHRASES)
                    batch.append(
                        PressRelease(
                            key=f"synthetic-release-{n}",
                            **published,
                            kind="press_release",
                            reference=f"SYN-{n}",
                            date=start + datetime.timedelta(days=rng.randrange(0, 13_000)),
                            title_fr=f"Communiqué {n} : {topic[0]}",
                            title_en=f"Press release {n}: {topic[1]}",
                            slug_fr=f"communique-synthetique-{n}",
                            slug_en=f"synthetic-press-release-{n}",
                            lead_fr=paragraph(rng, "fr", topic, 1),
                            lead_en=paragraph(rng, "en", topic, 1),
                            body_fr="".join(f"<p>{paragraph(rng, 'fr', rng.choice(PHRASES))}</p>" for _ in range(3)),
                            body_en="".join(f"<p>{paragraph(rng, 'en', rng.choice(PHRASES))}</p>" for _ in range(3)),
                            original_language=rng.choice(["fr", "en"]),
                        )
                    )
                PressRelease.objects.bulk_create(batch)
            self.stdout.write(f"Created {meetings} meetings and {press_releases} press releases; indexing…")
            total = search.rebuild(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {total} entries."))
        if connection.vendor == "postgresql":
            # A bulk import ends with ANALYZE: the planner otherwise keeps the statistics of the
            # nearly empty tables it last saw and picks plans for them (issue 11: the home page fell
            # from 55 to 13 requests a second right after this command). VACUUM also sets the
            # visibility map, so that index-only scans need not visit the freshly written pages.
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in WRITTEN)
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {tables}")
            self.stdout.write(f"Vacuumed and analyzed {len(WRITTEN)} tables.")
