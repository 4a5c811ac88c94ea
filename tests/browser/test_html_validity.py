"""Every page validates: the Nu Html Checker (vnu.jar, on the machine's Java) finds no error on a crawl
of the public site in both languages, from the home pages through every link on the site."""

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VNU = Path(os.environ.get("VNU_JAR", ROOT / ".ci" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"))
#: Enough pages to reach every kind of page (lists, details of each kind, years, filters, search) in both languages.
MOST_PAGES = 250


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.found += [value for name, value in attrs if name == "href" and value]


def crawl(client, starts, limit):
    """{path: html} of the site's pages reached from ``starts`` by its links (not files, feeds or the admin)."""
    seen, queue, pages = set(starts), list(starts), {}
    while queue and len(pages) < limit:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages[path] = response.content.decode()
        parser = Links()
        parser.feed(pages[path])
        for href in parser.found:
            parts = urlsplit(urljoin(path, href))
            if parts.netloc and parts.netloc != "testserver":
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            skip = ("/admin/", "/media/", "/i18n/", "/static/", "/api/")
            if target in seen or not parts.path.startswith(("/fr/", "/en/")) or any(s in parts.path for s in skip):
                continue
            seen.add(target)
            queue.append(target)
    return pages


@pytest.fixture(scope="module")
def java():
    found = shutil.which("java")
    if not found or not VNU.exists():
        pytest.skip(f"needs Java and vnu.jar at {VNU} (.ci/run installs it: npm install vnu-jar)")
    return found


def test_every_crawled_page_validates(java, reference_archive, tmp_path):
    pages = crawl(Client(), ["/fr/", "/en/"], MOST_PAGES)
    assert len(pages) > 60, len(pages)  # the whole reference archive, in both languages
    files = {}
    for number, (path, html) in enumerate(sorted(pages.items())):
        file = tmp_path / f"page-{number:04d}.html"
        file.write_text(html)
        files[file.name] = path
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{files.get(Path(urlsplit(m.get('url', '')).path).name, m.get('url'))}: {m.get('message')} — {m.get('extract', '')[:80]}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors[:40])
