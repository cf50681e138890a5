#!/usr/bin/env python3
"""The dashboard in a real browser: fixture feeds served on 127.0.0.1 are polled by the real
binary into a database of their own, `newsmon web` serves the pages, and headless Chromium loads
each one. The DOM Chromium built is checked (charts, the seed-like article under its topic,
search results, the sanitized article, the story), and a screenshot of each page, light and dark,
wide and phone-sized, is kept in the artifacts directory.

    browser_pages.py --binary PATH --source DIR --artifacts DIR

Needs NEWSMON_TEST_DATABASE_URL (a PostgreSQL server where it may create a database) and
/usr/bin/chromium (Debian's chromium package).
"""

import argparse
import datetime
import email.utils
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree

import html5lib

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEED_TITLE = "Azerbaijan and NATO: The North Atlantic bloc has something to remember"
FEEDS = {  # feed name: fixture file under tests/fixtures/web
    "today-az-politics": "today_az_politics.rss",
    "trend-en": "trend_news_en.rss",
    "report-az-ru": "report_az_ru.atom",
}
failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message, flush=True)
    if not condition:
        failures.append(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_dates(template, now):
    """Fills {{rfc822:-3h}} and {{rfc3339:-2d}} with times that far before `now`."""
    def replace(match):
        amount, unit = int(match.group(2)), match.group(3)
        when = now + datetime.timedelta(**{{"h": "hours", "d": "days"}[unit]: amount})
        if match.group(1) == "rfc822":
            return email.utils.format_datetime(when)
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return re.sub(r"\{\{(rfc822|rfc3339):(-?\d+)([hd])\}\}", replace, template)


def serve_fixtures(directory):
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            name = self.path.lstrip("/")
            if name not in FEEDS.values():
                self.send_error(404)
                return
            with open(os.path.join(directory, name), encoding="utf-8") as fixture:
                body = with_dates(fixture.read(), now).encode()
            kind = "application/atom+xml" if name.endswith(".atom") else "application/rss+xml"
            self.send_response(200)
            self.send_header("Content-Type", kind + "; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def psql(url, sql):
    out = subprocess.run(["psql", url, "-Atqc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def run(binary, config, *args):
    result = subprocess.run([binary, "--config", config, *args], capture_output=True, text=True,
                            timeout=120)
    if result.returncode != 0:
        sys.exit(f"newsmon {' '.join(args)} failed ({result.returncode}):\n"
                 f"{result.stdout}\n{result.stderr}")
    return result.stdout


def chromium(url, profile, *flags):
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-extensions", "--hide-scrollbars",
               f"--user-data-dir={profile}", *flags, url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        sys.exit(f"chromium failed on {url} ({result.returncode}):\n{result.stderr[-2000:]}")
    return result.stdout


class Browser:
    def __init__(self, base, artifacts):
        self.base = base
        self.artifacts = artifacts
        self.profile = tempfile.mkdtemp(prefix="nm-chromium.")

    def dom(self, path):
        """The document Chromium built for `path`, as an ElementTree without namespaces."""
        html = chromium(self.base + path, self.profile, "--dump-dom")
        tree = html5lib.parse(html, namespaceHTMLElements=False)
        for element in tree.iter():  # inline SVG keeps its namespace; the checks need none
            if isinstance(element.tag, str) and element.tag.startswith("{"):
                element.tag = element.tag.split("}", 1)[1]
        return tree, html

    def screenshots(self, path, name):
        for label, flags in (("light", ["--window-size=1280,1600"]),
                             ("dark", ["--window-size=1280,1600", "--force-dark-mode",
                                       "--blink-settings=preferredColorScheme=0"]),
                             ("phone", ["--window-size=390,1400"])):
            target = os.path.join(self.artifacts, f"{name}-{label}.png")
            chromium(self.base + path, self.profile, f"--screenshot={target}", *flags)
            check(os.path.getsize(target) > 5000, f"screenshot {name}-{label}.png taken")

    def close(self):
        shutil.rmtree(self.profile, ignore_errors=True)


def text_of(element):
    return "".join(element.itertext()).strip() if element is not None else ""


def find_id(tree, ident):
    return tree.find(f".//*[@id='{ident}']")


def check_dashboard(browser, database):
    tree, _ = browser.dom("/")
    nato = tree.find(".//div[@class='topic'][@data-topic='nato']")
    check(nato is not None, "dashboard: a volume block for the topic nato")
    if nato is None:
        return
    days = nato.find(".//div[@class='days']/*")
    hours = nato.find(".//div[@class='hours']/*")
    check(days is not None and days.get("data-points") == "30"
          and len(days.findall(".//rect")) == 30, "dashboard: nato's 30-day chart has 30 bars")
    check(hours is not None and len(hours.findall(".//rect")) == 168
          and len(hours.find(".//polyline").get("points").split()) == 168,
          "dashboard: nato's 7-day chart has 168 hourly bars and story points")
    tagged = int(psql(database, "SELECT count(*) FROM article_topics t JOIN articles a "
                                "ON a.id = t.article_id WHERE t.topic = 'nato' "
                                "AND a.duplicate_of IS NULL"))
    bar_titles = [text_of(rect.find("title")) for rect in days.findall(".//rect")]
    charted = sum(int(re.search(r": (\d+) articles", title).group(1)) for title in bar_titles)
    check(tagged >= 3 and charted == tagged,
          f"dashboard: the 30-day chart counts every nato article ({charted} of {tagged})")
    latest = find_id(tree, "latest")
    entries = latest.findall(".//li") if latest is not None else []
    seed = [li for li in entries if SEED_TITLE in text_of(li)]
    check(len(seed) == 1, "dashboard: the seed-like article is among the latest")
    if seed:
        chips = [text_of(chip) for chip in seed[0].findall(".//a[@class='chip']")]
        check("nato" in chips and "azerbaijan" in chips,
              f"dashboard: the seed-like article carries its topic chips ({chips})")
    stories = find_id(tree, "top-stories")
    first_story = stories.find(".//li") if stories is not None else None
    check(first_story is not None and "NATO" in text_of(first_story)
          and re.search(r"\b[2-9] feeds", text_of(first_story)),
          f"dashboard: the top story is the NATO visit, carried by several feeds "
          f"({text_of(first_story)[:120]!r})")
    check("3 of 3 feeds healthy" in text_of(find_id(tree, "feeds")),
          "dashboard: feed health counts the three feeds")
    check("nato-desk" in text_of(find_id(tree, "alerts")), "dashboard: the alert rule is listed")
    browser.screenshots("/", "dashboard")


def check_search(browser):
    tree, _ = browser.dom("/search?q=NATO+OR+%D0%9D%D0%90%D0%A2%D0%9E")
    results = find_id(tree, "results")
    items = results.findall("./li") if results is not None else []
    check(len(items) == 3, f"search: NATO OR НАТО finds the three reports ({len(items)})")
    check(all(any(text_of(mark).upper() in ("NATO", "НАТО") for mark in li.iter("mark"))
              for li in items), "search: every result has NATO marked")
    tree, _ = browser.dom("/search?q=NATO+OR+%D0%9D%D0%90%D0%A2%D0%9E&lang=ru")
    results = find_id(tree, "results")
    items = results.findall("./li") if results is not None else []
    check(len(items) == 1 and "НАТО" in text_of(items[0]),
          "search: the language filter keeps the Russian report only")
    tree, _ = browser.dom("/search?q=NATO+AND")
    check("expected a term after AND" in text_of(find_id(tree, "search-error")),
          "search: a broken query is explained on the page")
    browser.screenshots("/search?q=NATO", "search")


def check_article(browser, database):
    article_id = psql(database, "SELECT id FROM articles WHERE guid = "
                                "'https://en.trend.az/azerbaijan/politics/3950001.html'")
    tree, html = browser.dom(f"/articles/{article_id}")
    body = tree.find(".//article[@class='body']")
    check(body is not None and "peacekeeping operations" in text_of(body),
          "article: the text is shown")
    check(body is not None and body.find(".//script") is None
          and all(not name.startswith("on") for element in body.iter()
                  for name in element.attrib), "article: no script and no event handler")
    check(text_of(tree.find(".//title")).startswith("Ilham Aliyev receives NATO"),
          "article: the stored script did not run")
    topics = find_id(tree, "topics")
    check(topics is not None and "nato" in text_of(topics) and "NATO" in text_of(topics),
          "article: topic nato with its matched term")
    check("nato-desk" in text_of(find_id(tree, "alert-rules")),
          "article: the alert rule it matched")
    story_link = tree.find(".//a[.='its story']")
    browser.screenshots(f"/articles/{article_id}", "article")
    return story_link.get("href") if story_link is not None else None


def check_story(browser, story_path):
    tree, _ = browser.dom(story_path)
    outlets = find_id(tree, "outlets")
    rows = outlets.findall(".//tbody/tr") if outlets is not None else []
    check(len(rows) >= 2, f"story: several outlets carried it ({len(rows)})")
    first = text_of(find_id(tree, "first-publisher"))
    check("today-az-politics" in first, f"story: the first publisher is named ({first!r})")
    timeline = find_id(tree, "timeline")
    check(timeline is not None and len(timeline.findall("./li")) == len(rows),
          "story: the timeline has each report")
    browser.screenshots(story_path, "story")


def check_headers(base):
    with urllib.request.urlopen(base + "/") as response:
        policy = response.headers.get("Content-Security-Policy", "")
        check("default-src 'none'" in policy and "script-src" not in policy,
              "headers: the dashboard runs no script (CSP)")
    try:
        urllib.request.urlopen(base + "/articles/999999999")
        check(False, "headers: an unknown article is a 404 page")
    except urllib.error.HTTPError as error:
        check(error.code == 404 and b"no article with id" in error.read(),
              "headers: an unknown article is a 404 page")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()
    server_url = os.environ.get("NEWSMON_TEST_DATABASE_URL")
    if not server_url:
        sys.exit("NEWSMON_TEST_DATABASE_URL is not set")
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} is missing: scripts/install-deps --test installs it")
    os.makedirs(args.artifacts, exist_ok=True)
    name = f"nm_browser_{os.getpid()}"
    psql(server_url, f"DROP DATABASE IF EXISTS {name}")
    psql(server_url, f"CREATE DATABASE {name}")
    database = re.sub(r"dbname=\S+", f"dbname={name}", server_url)
    workdir = tempfile.mkdtemp(prefix="nm-browser.")
    feeds = serve_fixtures(os.path.join(args.source, "tests", "fixtures", "web"))
    web = None
    try:
        port = free_port()
        config = os.path.join(workdir, "newsmon.toml")
        feed_port = feeds.server_address[1]
        with open(config, "w") as out:
            out.write(f'[database]\nurl = "{database}"\n'
                      f'[http]\nblock_private = false\n'
                      f'[daemon]\nstate_dir = "{workdir}/state"\n'
                      f'[defaults]\nfull_text = "never"\n'
                      f'[web]\nlisten = "127.0.0.1:{port}"\n')
            for feed, fixture in FEEDS.items():
                out.write(f'[[feed]]\nname = "{feed}"\n'
                          f'url = "http://127.0.0.1:{feed_port}/{fixture}"\n')
            # The shipped topics, as an operator starts with them.
            with open(os.path.join(args.source, "config", "newsmon.toml")) as shipped:
                text = shipped.read()
                out.write(text[text.index("[[topic]]"):])
        run(args.binary, config, "migrate")
        run(args.binary, config, "alert", "add", "nato-desk", "--query", "NATO", "--notify")
        run(args.binary, config, "poll", "--once")
        web = subprocess.Popen([args.binary, "--config", config, "web"],
                               stdout=open(os.path.join(workdir, "web.log"), "w"),
                               stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/static/newsmon.css", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        browser = Browser(base, args.artifacts)
        try:
            check_headers(base)
            check_dashboard(browser, database)
            check_search(browser)
            story_path = check_article(browser, database)
            if story_path:
                check_story(browser, story_path)
            else:
                check(False, "article: a link to its story")
        finally:
            browser.close()
    finally:
        if web:
            web.terminate()
            web.wait(timeout=10)
        feeds.shutdown()
        psql(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"screenshots in {args.artifacts}")
    if failures:
        sys.exit(f"{len(failures)} browser check(s) failed")


if __name__ == "__main__":
    main()
