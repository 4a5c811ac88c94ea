"""Search the archive in each language, on SQLite and PostgreSQL alike."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import search
from archive.models import SearchEntry
from dialogue.models import Instrument, Meeting, Organization, Person
from tests import factories
from tests.conftest import soup, text
from tests.pages import grow_archive, url_of

pytestmark = pytest.mark.django_db

SEARCH = {"fr": "/fr/recherche/", "en": "/en/search/"}


def result_urls(client, language, query, **filters):
    response = client.get(SEARCH[language], {"q": query, **filters})
    assert response.status_code == 200
    return [a["href"] for a in soup(response).select(".search-results > li > a")]


def test_the_index_is_current_after_loaddata(reference_archive):
    indexed = {(entry.kind, entry.object_id) for entry in SearchEntry.objects.filter(language="en")}
    expected = {("meeting", m.pk) for m in Meeting.objects.all()} | {("person", p.pk) for p in Person.objects.all()}
    assert expected <= indexed
    assert SearchEntry.objects.count() == 2 * len(indexed)
    if connection.vendor == "postgresql":
        assert not SearchEntry.objects.filter(vector__isnull=True).exists()


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("en", "SSA", ("instrument", "ssa-technical-arrangement-2017")),
        ("fr", "SSA", ("instrument", "ssa-technical-arrangement-2017")),
        ("fr", "connaissance de la situation spatiale", ("instrument", "ssa-technical-arrangement-2017")),
        ("en", "Iijima", ("person", "toshiro-iijima")),
        ("fr", "IIJIMA", ("meeting", "space-2017-03-24")),
        ("en", "letter of intent 2017", ("instrument", "space-letter-of-intent-2017")),
        ("en", "JAXA", ("organization", "jaxa")),
        ("fr", "JAXA", ("instrument", "cnes-jaxa-agreement-2015")),
        ("en", "CNES", ("press_release", "cnes-pr051-2016")),
        ("fr", "SGDSN", ("organization", "sgdsn")),
        ("en", "SGDSN", ("meeting", "space-2023-01-19")),
        ("en", "ACSA", ("instrument", "acsa")),
        ("fr", "ACSA", ("instrument", "acsa")),
        ("en", "RAA", ("instrument", "raa")),
        ("fr", "RAA", ("instrument", "raa")),
        ("fr", "Kishida", ("person", "fumio-kishida")),
        ("en", "Le Gall", ("person", "jean-yves-le-gall")),
        ("fr", "reglementation", ("meeting", "space-2017-03-24")),
        ("fr", "TOKYO", ("meeting", "space-2017-03-24")),
    ],
)
def test_acronyms_names_and_words_find_their_items(client, reference_archive, language, query, expected):
    kind, key = expected
    model = {"instrument": Instrument, "person": Person, "meeting": Meeting, "organization": Organization}.get(kind)
    if model is None:
        from archive.models import PressRelease as model
    assert url_of(model.objects.get(key=key), language) in result_urls(client, language, query)


def test_title_ranks_above_body(client, reference_archive):
    urls = result_urls(client, "en", "Iijima")
    assert urls[0] == url_of(Person.objects.get(key="toshiro-iijima"), "en")


def test_excluded_words_and_alternatives(client, reference_archive):
    cnes_jaxa = url_of(Instrument.objects.get(key="cnes-jaxa-agreement-2015"), "en")
    assert cnes_jaxa in result_urls(client, "en", "JAXA agreement")
    assert cnes_jaxa not in result_urls(client, "en", "JAXA -agreement")
    either = result_urls(client, "en", "ACSA OR RAA")
    assert url_of(Instrument.objects.get(key="acsa"), "en") in either
    assert url_of(Instrument.objects.get(key="raa"), "en") in either
    phrase = result_urls(client, "en", '"reciprocal access"')
    assert url_of(Instrument.objects.get(key="raa"), "en") in phrase
    assert url_of(Instrument.objects.get(key="acsa"), "en") not in phrase


def test_results_narrow_by_type_year_and_dialogue(client, reference_archive):
    meeting = url_of(Meeting.objects.get(key="space-2017-03-24"), "en")
    assert meeting in result_urls(client, "en", "Tokyo", type="meeting")
    assert all("/meetings/" in url for url in result_urls(client, "en", "Tokyo", type="meeting"))
    assert meeting not in result_urls(client, "en", "Tokyo", type="instrument")
    assert meeting in result_urls(client, "en", "Tokyo", year="2017")
    assert meeting not in result_urls(client, "en", "Tokyo", year="2016")
    assert meeting in result_urls(client, "en", "Tokyo", dialogue="space")
    assert meeting not in result_urls(client, "en", "Tokyo", dialogue="two-plus-two")


def test_result_shows_type_date_count_and_highlighted_snippet(client, reference_archive):
    page = soup(client.get("/en/search/", {"q": "Minamitane"}))
    assert text(page.select_one("#results-heading")) == "2 results for “Minamitane”"
    meeting = url_of(Meeting.objects.get(key="space-2017-03-24"), "en")
    result = page.select_one(f".search-results > li:has(a[href='{meeting}'])")
    assert text(result.select_one(".kicker")) == "Meeting · 2017"
    assert [text(mark) for mark in result.select(".snippet mark")] == ["Minamitane"]


def test_an_item_missing_a_translation_is_found_through_its_fallback(client, reference_archive):
    raa = Instrument.objects.get(key="raa")
    raa.title_en = ""
    raa.summary_en = ""
    raa.save()
    page = soup(client.get("/en/search/", {"q": "accès réciproque"}))
    link = page.select_one(f".search-results a[href='{url_of(raa, 'en')}']")
    assert link is not None and link["lang"] == "fr"


def test_the_index_follows_every_save(client, reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    meeting.summary_en = "<p>A new word: Zanzibarine.</p>"
    meeting.save()
    assert url_of(meeting, "en") in result_urls(client, "en", "zanzibarine")
    meeting.delete()
    assert result_urls(client, "en", "zanzibarine") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type one or more words to search the archive."),
        ("   ", "Type one or more words to search the archive."),
        ("- OR -", "Your search has no word to look for. Add a word, not only operators."),
        ('"" -', "Your search has no word to look for. Add a word, not only operators."),
    ],
)
def test_empty_or_operator_only_queries_get_a_clear_message(client, reference_archive, query, message):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert text(soup(response).select_one(".results .form-errors")) == message


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert('x')</script>",
        "'; DROP TABLE archive_searchentry; --",
        "x" * 10_000,
        "\\'\"&<>",
        "a:* & !b | (c",
        "\x00",
    ],
)
def test_hostile_queries_are_answered_and_shown_back_escaped(client, reference_archive, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    shown = soup(response).select_one("#search-page-q")["value"]
    assert shown == search.clean_query(query.replace("\x00", ""))  # NUL is taken out before any view
    assert len(shown) <= 200
    assert SearchEntry.objects.exists()


def test_search_box_in_every_page_header(client, reference_archive):
    for path in ("/fr/", "/en/instruments/", "/en/nowhere/"):
        form = soup(client.get(path)).select_one("header form[role=search]")
        assert form.select_one("input[name=q]")


def test_search_page_queries_do_not_grow_with_more_items(client, reference_archive):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/en/search/", {"q": "space", "type": ""})
        return len(queries)

    before = count()
    grow_archive(30)
    # On PostgreSQL a page stops at the first tier once that fills it: more items, fewer queries.
    assert count() <= before


@pytest.mark.postgres
def test_postgres_search_stems_and_ignores_accents(postgres, client, reference_archive):
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgname IN ('fr_unaccent', 'en_unaccent')")
        assert sorted(row[0] for row in cursor.fetchall()) == ["en_unaccent", "fr_unaccent"]
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'archive_searchentry'")
        assert {"search_entry_vector_fr", "search_entry_vector_en"} <= {row[0] for row in cursor.fetchall()}
    letter = url_of(Instrument.objects.get(key="space-letter-of-intent-2017"), "fr")
    # French stemming: “signées” finds “signée”; unaccent: “lettre d'intention” without accents.
    assert letter in result_urls(client, "fr", "signées")
    assert letter in result_urls(client, "fr", "PARTENARIAT GLOBAL")
    arrangement = url_of(Instrument.objects.get(key="ssa-technical-arrangement-2017"), "en")
    assert arrangement in result_urls(client, "en", "arrangements")


def test_a_meeting_without_a_title_is_not_marked_as_a_fallback(client, reference_archive):
    meeting = url_of(Meeting.objects.get(key="space-2017-03-24"), "en")
    page = soup(client.get("/en/search/", {"q": "Minamitane"}))
    assert not page.select_one(f".search-results a[href='{meeting}']").has_attr("lang")


def test_removing_a_member_updates_the_person_and_the_meeting(client, reference_archive):
    from dialogue.models import DelegationMember

    iijima = Person.objects.get(key="toshiro-iijima")
    meeting = Meeting.objects.get(key="space-2017-03-24")
    DelegationMember.objects.filter(person=iijima).delete()
    assert url_of(meeting, "en") not in result_urls(client, "en", "Iijima")
    entry = SearchEntry.objects.get(kind="person", object_id=iijima.pk, language="en")
    assert entry.lead == ""


def release(title, lead="", body="", date=datetime.date(2016, 3, 11)):
    return factories.press_release(title_en=title, lead_en=lead, body_en=f"<p>{body}</p>" if body else "", date=date)


def test_a_title_match_comes_before_a_lead_match_before_a_body_match(client, db):
    body_old = release("Press release one", body="Quokkaquest in the body.", date=datetime.date(2001, 1, 1))
    body_new = release("Press release two", body="Quokkaquest in the body.", date=datetime.date(2024, 1, 1))
    lead = release("Press release three", lead="Quokkaquest in the lead.", date=datetime.date(2010, 1, 1))
    title = release("Quokkaquest in the title", date=datetime.date(2005, 1, 1))
    # Body-only matches come last, newest first.
    expected = [url_of(item, "en") for item in (title, lead, body_new, body_old)]
    assert result_urls(client, "en", "quokkaquest") == expected


def test_some_words_in_the_title_come_before_a_body_only_match(client, db):
    body = release("Press release one", body="Quokkaquest and zanzibarine.", date=datetime.date(2024, 1, 1))
    some = release("Quokkaquest report", body="About zanzibarine.", date=datetime.date(2001, 1, 1))
    both = release("Quokkaquest and zanzibarine", date=datetime.date(2002, 1, 1))
    expected = [url_of(item, "en") for item in (both, some, body)]
    assert result_urls(client, "en", "quokkaquest zanzibarine") == expected


def test_an_excluded_word_in_the_body_drops_a_title_match(client, db):
    release("Quokkaquest report", body="Marsupial matters.")
    kept = release("Quokkaquest review", body="Other matters.")
    assert result_urls(client, "en", "quokkaquest -marsupial") == [url_of(kept, "en")]
    assert result_urls(client, "en", '"quokkaquest report" -marsupial') == []


def test_pages_give_every_match_once_in_order_and_the_exact_total(client, db):
    titles = [
        release(f"Quokkaquest {n}", date=datetime.date(2000, 1, 1) + datetime.timedelta(days=n)) for n in range(25)
    ]
    bodies = [
        release(
            f"Press release {n}",
            body="About quokkaquest.",
            date=datetime.date(1990, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(30)
    ]
    expected = [url_of(item, "en") for item in [*reversed(titles), *reversed(bodies)]]
    page = soup(client.get("/en/search/", {"q": "quokkaquest"}))
    assert text(page.select_one("#results-heading")) == "55 results for “quokkaquest”"
    pages = [result_urls(client, "en", "quokkaquest", page=number) for number in (1, 2, 3)]
    assert [len(urls) for urls in pages] == [20, 20, 15]
    assert pages[0] + pages[1] + pages[2] == expected
    assert result_urls(client, "en", "quokkaquest", page=99) == pages[2]  # past the end: the last page
    assert result_urls(client, "en", "quokkaquest", page="x") == pages[0]


@pytest.mark.postgres
def test_postgres_first_tier_is_ranked_by_ts_rank_over_title_and_lead(postgres, client, db):
    title = release("Quokkaquest", date=datetime.date(2001, 1, 1))
    twice = release("Quokkaquest report", lead="Quokkaquest again.", date=datetime.date(2000, 1, 1))
    lead = release("Press release", lead="Quokkaquest in the lead.", date=datetime.date(2024, 1, 1))
    results = search.search("quokkaquest", "en")
    ranks = {entry.object_id: entry.rank for entry in results.read(0, 20)[0]}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id, ts_rank('{0, 0, 0.4, 1}', rank_vector, websearch_to_tsquery('en_unaccent', %s))"
            " FROM archive_searchentry WHERE language = 'en' AND kind = 'press_release'",
            ["quokkaquest"],
        )
        expected = {object_id: rank for object_id, rank in cursor.fetchall() if rank > 0}
    assert ranks == pytest.approx(expected)
    assert [entry.object_id for entry in results.read(0, 20)[0]] == [twice.pk, title.pk, lead.pk]


@pytest.mark.postgres
def test_postgres_search_storage(postgres, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = 'archive_searchentry'::regclass"
        )
        options = dict(cursor.fetchall())
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'archive_searchentry'::regclass"
            " AND attname IN ('vector', 'rank_vector', 'body')"
        )
        storage = dict(cursor.fetchall())
    for language in ("fr", "en"):
        for column in ("vector", "rank_vector"):
            assert options[f"search_entry_{column}_{language}"] == ["fastupdate=off"]
    # The vectors stay in the row, where phrase checks and ranking read them; long texts do not.
    assert storage == {"vector": "m", "rank_vector": "m", "body": "e"}


@pytest.mark.parametrize("query", ["« situation spatiale »", "“situation spatiale”"])
def test_typographic_quotes_make_a_phrase_too(query):
    from archive.search.query import clean_query

    assert clean_query(query) == '"situation spatiale"'


def test_a_passage_never_starts_or_ends_in_the_middle_of_a_word():
    from archive.search.snippets import highlight

    source = (
        "Préambule "
        + "coopération " * 30
        + "Les deux parties ont signé la lettre d'intention sur la connaissance "
        + "spatiale " * 40
    )
    passage = str(highlight(source, ["lettre"]))
    words = passage.replace("<mark>", "").replace("</mark>", "").removeprefix("… ").removesuffix(" …").split()
    assert words[0] in source.split() and words[-1] in source.split()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Your search was shortened: it reads at most 200 characters and 12 words or phrases."),
        ("fr", "Votre recherche a été raccourcie : elle lit au plus 200 caractères et 12 mots ou expressions."),
    ],
)
@pytest.mark.parametrize("negated", [False, True], ids=["words", "exclusions"])
def test_a_query_of_many_words_reads_its_first_twelve_and_says_so(
    client, reference_archive, language, message, negated
):
    """100 one-letter words were a 500 on SQLite (its parser's stack overflowed); each word costs the
    search one more condition on every entry, so a query reads its first 12 words or phrases."""
    words = [("-" if negated else "") + "abcdefghijklmnopqrstuvwxyz"[n % 26] for n in range(100)]
    query = " ".join(["space", *words])[:200]
    response = client.get(SEARCH[language], {"q": query})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#search-page-q")["value"] == " ".join(["space", *words[:11]])
    assert text(page.select_one(".search-form--page [role=status]")) == message
    assert result_urls(client, language, query) == result_urls(client, language, " ".join(["space", *words[:11]]))


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ("a b c", "a b c"),
        (" ".join(f"w{n}" for n in range(12)), " ".join(f"w{n}" for n in range(12))),
        (" ".join(f"w{n}" for n in range(13)), " ".join(f"w{n}" for n in range(12))),
        (" OR ".join(f"w{n}" for n in range(13)), " OR ".join(f"w{n}" for n in range(12)) + " OR"),
        ('"a b c" ' + " ".join(f"w{n}" for n in range(12)), '"a b c" ' + " ".join(f"w{n}" for n in range(11))),
    ],
    ids=["short", "twelve", "thirteen", "OR is not a word", "a phrase is one"],
)
def test_a_query_reads_twelve_words_or_phrases_at_most(query, read):
    from archive.search.query import MAX_QUERY_TERMS, clean_query, parse

    assert clean_query(query) == read
    parsed = parse(clean_query(query))
    assert len(parsed.terms) + len(parsed.excluded) <= MAX_QUERY_TERMS


@pytest.mark.parametrize("query", ["« situation spatiale »", "“situation spatiale”", "situation   spatiale"])
def test_a_query_made_plain_but_not_cut_is_not_said_to_be_shortened(client, reference_archive, query):
    """French quotation marks with their inner spaces make the query shorter, and cut nothing from it."""
    page = soup(client.get(SEARCH["fr"], {"q": query}))
    assert page.select_one("#search-page-q")["value"] in ('"situation spatiale"', "situation spatiale")
    assert not page.select(".search-form--page [role=status]")
