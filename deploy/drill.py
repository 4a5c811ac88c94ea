"""``make drill``: the cluster under a steady load while its parts fail and come back.

It starts the cluster (``deploy/cluster.py``: two Gunicorn nodes behind nginx, the PostgreSQL
primary and its replica, a Redis of its own), puts wrk on the public pages through nginx for the
whole of each phase, and meanwhile, phase by phase:

1. steady: nothing fails;
2. node 1 killed (SIGKILL to its master and workers, requests under way lost);
3. node 1 back (started again on its port);
4. the replica stopped (``pg_ctl stop -m fast``: its connections cut);
5. the replica started again;
6. Redis restarted: stopped, an edit saved on each node while it is down, started again (it comes
   back from its append-only file with the pages and the generation it held before the edits).

In every phase an editor saves a change through the admin of each node that is up (logged in once,
through nginx: the session is in the database, so it works on either node), and a reader of each
node that is up, anonymous, asks for the page again and again until the new text shows; the edit
counts as visible there from when that request was sent. It prints, per phase, the requests wrk
had answered, the failed ones (non-2xx/3xx responses and socket errors: the goal is 0), the 99th
percentile latency, whether every edit showed on every node within one second, and what nginx
logged of the nodes' failures (requests it passed on to the other node, responses cut off).
"""

import argparse
import html.parser
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from bench.harness import PYTHON, ROOT, Measurement
from deploy.cluster import Cluster, Node, log

VISIBLE_WITHIN = 1.0  # seconds: the goal for an edit to show on every node
PATIENCE = 5.0  # seconds the drill keeps looking before it calls an edit invisible


# Just enough of a browser for the admin ------------------------------------------------------------


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


#: Built once (it loads the TLS certificates, some tens of milliseconds), shared by every reader.
OPENER = urllib.request.build_opener(NoRedirects)


class Browser:
    """Cookies and forms. It sends Secure cookies over plain HTTP: the drill talks to the nodes on
    the loopback, where no TLS proxy stands in front of them as one would in production."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = OPENER

    def request(self, url: str, data: dict | None = None, *, anonymous=False) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        if self.cookies and not anonymous:
            request.add_header("Cookie", "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        if not anonymous:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
        return response.status, response.read().decode()


class FormReader(html.parser.HTMLParser):
    """The values a browser would post back from the form with the given id, untouched."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


# The editor and the readers ------------------------------------------------------------------------


@dataclass
class Editor:
    """A throwaway superuser of the cluster's database, logged in once through the balancer."""

    cluster: Cluster
    topic_id: int
    browser: Browser = field(default_factory=Browser)
    saves: int = 0

    def log_in(self):
        username, password = f"drill-{secrets.token_hex(4)}", secrets.token_urlsafe(24)
        env = self.cluster.environment(DJANGO_SUPERUSER_PASSWORD=password)
        command = [
            PYTHON,
            "manage.py",
            "createsuperuser",
            "--no-input",
            "--username",
            username,
            "--email",
            "drill@example.org",
        ]
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        login = f"{self.cluster.url}/en/admin/login/"
        form = FormReader("login-form")
        form.feed(self.browser.request(login)[1])  # and the CSRF cookie
        status, _page = self.browser.request(login, {**form.data, "username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"Could not log in to the admin ({status})")

    def save(self, node: Node, name: str) -> float:
        """Rename the topic through ``node``'s admin; the time the save was answered."""
        change = f"{node.url}/en/admin/dialogue/topic/{self.topic_id}/change/"
        status, page = self.browser.request(change)
        if status != 200:
            raise RuntimeError(f"{node.name}: the admin's change form answered {status}")
        form = FormReader("topic_form")
        form.feed(page)
        status, page = self.browser.request(change, {**form.data, "name_en": name, "_save": "Save"})
        if status != 302:
            raise RuntimeError(f"{node.name}: the save was refused ({status})")
        self.saves += 1
        return time.monotonic()


@dataclass(frozen=True)
class Sighting:
    """The first anonymous request that showed an edit: sent this long after the save, answered in that long."""

    sent: float
    took: float


def seen_after(node: Node, text: str, since: float) -> Sighting | None:
    """The first request to ``node``'s topics page, sent after ``since``, whose page shows ``text``.

    Requests follow one another: if the first one does not show the edit, the next is sent as it
    comes back. The edit is visible from ``sent`` at the latest (every request sent from then on
    shows it); ``took`` is that page's own time under the load, not a delay of the edit.
    """
    reader = Browser()
    deadline = since + PATIENCE
    while (sent := time.monotonic()) < deadline:
        status, page = reader.request(f"{node.url}/en/topics/", anonymous=True)
        if status == 200 and text in page:
            return Sighting(sent - since, time.monotonic() - sent)
        time.sleep(0.02)
    return None


def seen_on(nodes: list[Node], text: str, since: float) -> dict[str, Sighting | None]:
    """``seen_after`` on every node at once: a reader of each, in parallel."""
    with ThreadPoolExecutor(len(nodes)) as readers:
        sightings = readers.map(lambda node: seen_after(node, text, since), nodes)
        return {node.name: sighting for node, sighting in zip(nodes, sightings, strict=True)}


@dataclass
class Edit:
    via: str
    seen: dict[str, Sighting | None]  # node name -> the first request that showed it (None: none within PATIENCE)
    note: str = ""

    def ok(self) -> bool:
        return bool(self.seen) and all(seen is not None and seen.sent <= VISIBLE_WITHIN for seen in self.seen.values())

    def describe(self) -> str:
        seen = ", ".join(
            f"{name} {seen.sent:.2f} s ({seen.took:.2f})" if seen is not None else f"{name} never"
            for name, seen in self.seen.items()
        )
        return f"{self.via}: {seen}{self.note}"


# The load -------------------------------------------------------------------------------------------


LUA = """\
-- Generated by deploy/drill.py: each connection walks the public pages in turn.
local paths = {%s}
local i = 0
request = function()
    i = i + 1
    return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def wrk_script(paths: list[str], folder: Path) -> Path:
    script = folder / "pages.lua"
    script.write_text(LUA % ", ".join(json.dumps(path) for path in paths))
    return script


@dataclass
class Phase:
    name: str
    measurement: Measurement | None = None
    edits: list[Edit] = field(default_factory=list)
    passed_on: int = 0  # requests nginx sent to the other node after this one failed them
    cut: int = 0  # responses a node stopped sending half-way: no balancer can send those again

    def balancer(self) -> str:
        if not (self.passed_on or self.cut):
            return ""
        cut = f"; {self.cut} cut off half-way by the node's end (not retryable)" if self.cut else ""
        return f"nginx: {self.passed_on} request(s) passed on to the other node{cut}"

    def ok(self) -> bool:
        return self.measurement is not None and self.measurement.failures == 0 and all(e.ok() for e in self.edits)


class Drill:
    def __init__(self, cluster: Cluster, seconds: int, connections: int):
        self.cluster, self.seconds, self.connections = cluster, seconds, connections
        self.phases: list[Phase] = []
        self.paths = public_paths(cluster)
        self.script = wrk_script(self.paths, cluster.run)
        self.editor = Editor(cluster, topic_id(cluster))
        self.editor.log_in()

    def phase(self, name: str, actions) -> Phase:
        log(f"phase: {name}")
        phase = Phase(name)
        command = [
            *("wrk", "-t2", f"-c{self.connections}", f"-d{self.seconds}s", "--timeout", "10s", "--latency"),
            *("-s", str(self.script), self.cluster.url),
        ]
        errors = self.cluster.run / "nginx" / "nginx-error.log"
        start = errors.stat().st_size
        load = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            time.sleep(1)  # a second of load before anything happens
            actions(phase)
        finally:
            output = load.communicate(timeout=self.seconds + 60)[0]
        phase.measurement = Measurement.parse(output)
        with open(errors, "rb") as log_file:
            log_file.seek(start)
            for line in log_file.read().decode(errors="replace").splitlines():
                if "[error]" in line and "while reading upstream" in line:
                    phase.cut += 1
                elif "[error]" in line and "upstream" in line:
                    phase.passed_on += 1
        self.phases.append(phase)
        return phase

    def edit(self, phase: Phase, via: Node, readers: list[Node], note: str = ""):
        name = f"Climate (drill {len(self.phases) + 1}.{self.editor.saves + 1})"
        saved = self.editor.save(via, name)
        phase.edits.append(Edit(f"saved via {via.name}", seen_on(readers, name, saved), note))
        return name

    def run(self):
        one, two = self.cluster.nodes
        both = [one, two]

        def steady(phase):
            self.edit(phase, one, both)
            self.edit(phase, two, both)

        def node_killed(phase):
            self.cluster.kill_node(one)
            time.sleep(0.5)
            self.edit(phase, two, [two], note=" (node 1 down)")

        def node_back(phase):
            self.cluster.start_node(one)
            self.edit(phase, one, both)
            self.edit(phase, two, both)

        def replica_stopped(phase):
            self.cluster.stop_replica()
            time.sleep(0.5)
            self.edit(phase, one, both)
            self.edit(phase, two, both)

        def replica_restarted(phase):
            self.cluster.start_replica()
            time.sleep(0.5)
            self.edit(phase, one, both)
            self.edit(phase, two, both)

        def redis_restarted(phase):
            self.cluster.stop_redis()
            self.edit(phase, one, both, note=" (Redis down)")
            last = self.edit(phase, two, both, note=" (Redis down)")
            self.cluster.start_redis()
            back = time.monotonic()
            # Redis is back with the generation and pages of before the edits: none may show.
            note = f" (Redis came back from its append-only file holding {self.cluster.redis_keys()} keys)"
            seen = seen_on(both, last, back)
            phase.edits.append(Edit("last edit, once Redis is back", seen, note))

        self.phase("steady", steady)
        self.phase("node 1 killed", node_killed)
        self.phase("node 1 back", node_back)
        self.phase("replica stopped", replica_stopped)
        self.phase("replica restarted", replica_restarted)
        self.phase("Redis restarted", redis_restarted)

    def report(self) -> str:
        lines = [
            f"make drill: {len(self.cluster.nodes)} nodes × {self.cluster.workers} workers behind nginx, "
            f"wrk -t2 -c{self.connections}, {self.seconds} s a phase over {len(self.paths)} public pages",
            f"{'phase':<20}{'requests':>10}{'failed':>8}{'p99 ms':>9}  edits visible on every node within 1 s",
            f"{'':<49}(per node: when the first request showing the edit was sent, after the save;",
            f"{'':<49} in brackets, the time that request took to come back under the load)",
        ]
        for phase in self.phases:
            m = phase.measurement
            verdict = "yes" if all(edit.ok() for edit in phase.edits) else "NO"
            lines.append(f"{phase.name:<20}{m.requests:>10}{m.failures:>8}{m.p99_ms:>9.1f}  {verdict}")
            lines += [f"{'':<49}{edit.describe()}" for edit in phase.edits]
            if phase.balancer():
                lines.append(f"{'':<49}{phase.balancer()}")
        ok = all(phase.ok() for phase in self.phases)
        lines.append("all phases: 0 failed requests, every edit visible within 1 s" if ok else "FAILED: see above")
        return "\n".join(lines)


def public_paths(cluster: Cluster) -> list[str]:
    """The benchmark's public pages (bench/pagelist.py), each checked to answer 200 through nginx."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.pagelist"],
        cwd=ROOT,
        env=cluster.environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    paths = [page["path"] for page in json.loads(result.stdout.strip().splitlines()[-1])["pages"]]
    for path in paths:
        status, _page = Browser().request(cluster.url + path, anonymous=True)
        if status != 200:
            raise RuntimeError(f"{path} answers {status} through nginx")
    return paths


def topic_id(cluster: Cluster) -> int:
    import psycopg

    with psycopg.connect(cluster.database_url) as connection:
        return connection.execute("SELECT id FROM dialogue_topic WHERE key = 'climate'").fetchone()[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("DRILL_SECONDS", "12")))
    parser.add_argument("--connections", type=int, default=int(os.environ.get("DRILL_CONNECTIONS", "8")))
    args = parser.parse_args(argv)
    if args.seconds < 8:
        parser.error("--seconds: at least 8, for the actions of a phase to happen under load")
    with Cluster(run=Path(tempfile.mkdtemp(prefix="secretariat-drill-"))) as cluster:
        drill = Drill(cluster, args.seconds, args.connections)
        drill.run()
        report = drill.report()
    print(report, flush=True)
    return 0 if "FAILED" not in report else 1


if __name__ == "__main__":
    sys.exit(main())
