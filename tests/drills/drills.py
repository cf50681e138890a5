#!/usr/bin/env python3
"""Reliability drills: the real newsmon binary against its own throwaway PostgreSQL and feed,
webhook servers on 127.0.0.1, with faults injected while it runs. Each drill ends by itself
within its time limit and exits non-zero, saying why, when a promise is broken.

    drills.py NAME --binary PATH [--source DIR]
"""

import argparse
import datetime
from contextlib import ExitStack, closing
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def log(message):
    print(f"drill: {message}", flush=True)


def fail(message):
    print(f"drill FAILED: {message}", flush=True)
    sys.exit(1)


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    if not condition():
        fail(f"timed out after {seconds} s waiting for {what}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that logs nothing and answers with a whole body."""

    def send_body(self, body, content_type, status=200):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A server whose clients may hang up on it: that is what the drills want."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def serve(handler, port=0):
    """Starts `handler` on 127.0.0.1 (a free port unless given) in a thread; the server."""
    server = QuietServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Postgres:
    """A private cluster on a unix socket, run through scripts/lib/pg.sh (as postgres when
    root), so that a drill may stop and start it."""

    def __init__(self, source):
        self.source = source
        self.dir = tempfile.mkdtemp(prefix="nm-drill-pg.", dir="/tmp")
        os.chmod(self.dir, 0o755)
        self._pg("pg_ensure_cluster", self.dir)
        self.start()
        self._pg("pg_ensure_database", self.dir, "drill")
        self.url = f"host={self.dir}/run port=5433 user=newsmon dbname=drill"

    def _pg(self, *command):
        # The port is the drill's own, whatever PG_PORT the caller's shell has.
        script = (f'source "{self.source}/scripts/lib/pg.sh" && PG_PORT=5433 PG_FSYNC=off '
                  f'{" ".join(command)}')
        subprocess.run(["bash", "-c", script], check=True)

    def start(self):
        self._pg("pg_start", self.dir)

    def stop(self):
        self._pg("pg_stop", self.dir)

    def query(self, sql):
        out = subprocess.run(["psql", self.url, "-Atqc", sql], check=True, capture_output=True,
                             text=True)
        return out.stdout.strip()

    def count(self, sql):
        """The number a counting query returns; -1 while it cannot run (no schema yet)."""
        try:
            return int(self.query(sql))
        except (subprocess.CalledProcessError, ValueError):
            return -1

    def close(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Replica(Postgres):
    """A streaming replica of `primary`, taken with pg_basebackup -R: a hot standby that
    follows the primary and can only be read."""

    def __init__(self, primary):
        self.source = primary.source
        self.dir = tempfile.mkdtemp(prefix="nm-drill-replica.", dir="/tmp")
        os.chmod(self.dir, 0o755)
        os.makedirs(os.path.join(self.dir, "run"))
        as_owner = []
        if os.getuid() == 0:
            subprocess.run(["chown", "-R", "postgres:", self.dir], check=True)
            as_owner = ["runuser", "-u", "postgres", "--"]
        subprocess.run(as_owner + ["/usr/lib/postgresql/15/bin/pg_basebackup", "-D",
                                   os.path.join(self.dir, "data"), "-R", "-X", "stream",
                                   "-c", "fast",  # not a checkpoint spread over minutes
                                   "-d", f"host={primary.dir}/run port=5433 user=newsmon"],
                       check=True)
        self.start()
        self.url = f"host={self.dir}/run port=5433 user=newsmon dbname=drill"


class Newsroom:
    """Feeds on 127.0.0.1 whose items appear over time: feed f serves items 0..n-1, item i
    from `start + i * every` on. Every (feed, guid) it serves is remembered."""

    def __init__(self, feeds, items, every):
        self.feeds, self.items, self.every = feeds, items, every
        self.start = time.monotonic()
        self.served = set()
        self.requests = []  # (feed, user agent, monotonic time)
        self.lock = threading.Lock()
        newsroom = self

        class Handler(QuietHandler):
            def do_GET(self):
                feed = int(self.path.rsplit("/", 1)[-1])
                with newsroom.lock:
                    newsroom.requests.append((feed, self.headers.get("User-Agent"),
                                              time.monotonic()))
                self.send_body(newsroom.feed_xml(feed).encode(),
                               "application/rss+xml; charset=utf-8")

        self.server = serve(Handler)
        self.port = self.server.server_address[1]

    def visible(self):
        return min(self.items, 1 + int((time.monotonic() - self.start) / self.every))

    def feed_xml(self, feed):
        count = self.visible()
        parts = [f"<rss version='2.0'><channel><title>Drill {feed}</title>"
                 f"<link>https://drill.example.test/{feed}/</link>"]
        for i in range(count):
            guid = f"f{feed}-i{i}"
            parts.append(f"<item><guid>{guid}</guid><title>NATO drill report {feed}/{i}</title>"
                         f"<link>https://drill.example.test/{feed}/{i}</link>"
                         f"<description>Item {i} of feed {feed}: envoys met in Baku to discuss "
                         f"the Partnership for Peace and regional security at length. "
                         f"{'x' * 500}</description></item>")
            with self.lock:
                self.served.add((feed, guid))
        parts.append("</channel></rss>")
        return "".join(parts)

    def url(self, feed):
        return f"http://127.0.0.1:{self.port}/feed/{feed}"

    def served_count(self):
        with self.lock:
            return len(self.served)

    def close(self):
        self.server.shutdown()


class Receiver:
    """A webhook receiver that can be down (connections refused) and keeps delivery ids."""

    def __init__(self):
        self.port = free_port()
        self.deliveries = []
        self.lock = threading.Lock()
        self.server = None
        self.up()

    def up(self):
        receiver = self

        class Handler(QuietHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.deliveries.append(self.headers.get("X-Newsmon-Delivery"))
                self.send_body(b"", "text/plain")

        self.server = serve(Handler, self.port)

    def down(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def close(self):
        self.down()

    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"


class Daemon:
    """`newsmon run` as a child process, with a config written for the drill."""

    def __init__(self, binary, workdir, database_url, feeds_toml, extra_toml="", name="newsmon"):
        self.binary = binary
        self.name = name
        self.port = free_port()
        self.config = os.path.join(workdir, f"{name}.toml")
        self.state = os.path.join(workdir, f"{name}-state")
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.write_config(database_url, feeds_toml, extra_toml)
        self.process = None

    def write_config(self, database_url, feeds_toml, extra_toml=""):
        with open(self.config, "w") as out:
            out.write(f'[database]\nurl = "{database_url}"\n'
                      f'[http]\nblock_private = false\ntimeout = "10s"\n'
                      f'user_agent = "{self.name}"\n'
                      f'[server]\nlisten = "127.0.0.1:{self.port}"\n'
                      f'[log]\nlevel = "info"\n'
                      f'[daemon]\nstate_dir = "{self.state}"\nlease = "5s"\n'
                      f'instance = "{self.name}"\n'
                      f'[defaults]\nfull_text = "never"\n'
                      f'[alerts]\nretry_delay = "1s"\nmax_retry_delay = "2s"\n'
                      f'max_attempts = 200\nwebhook_allow = ["127.0.0.1"]\n'
                      f'{extra_toml}\n{feeds_toml}')

    def start(self):
        self.log_file = open(self.log_path, "a")
        # Its connections carry its name, for a drill to find them in pg_stat_activity.
        self.process = subprocess.Popen([self.binary, "--config", self.config, "run"],
                                        stdout=self.log_file, stderr=subprocess.STDOUT,
                                        env=dict(os.environ, PGAPPNAME=self.name))

    def healthz(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:
                return r.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def signal(self, number):
        self.process.send_signal(number)

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail("the daemon did not stop within 30 s of SIGTERM")

    def stop_cleanly(self):
        if self.stop() != 0:
            fail(f"{self.name} did not exit 0 after SIGTERM")

    def close(self):
        if self.process and self.process.poll() is None:
            self.kill()

    def log_text(self):
        with open(self.log_path) as log_file:
            return log_file.read()


def feeds_toml(newsroom, interval="1s"):
    return "".join(f'[[feed]]\nname = "Drill {f}"\nurl = "{newsroom.url(f)}"\n'
                   f'interval = "{interval}"\n' for f in range(newsroom.feeds))


def add_webhook_rule(args, daemon, pg, query, receiver):
    """Migrates the drill's database and adds an alert rule posting to `receiver`, before the
    daemon starts: every matching article must then alert it."""
    subprocess.run([args.binary, "--config", daemon.config, "migrate"], check=True,
                   stdout=subprocess.DEVNULL)
    pg.query("INSERT INTO alert_rules (name, query, channels) VALUES ('drill', "
             f"'{query}', '{{\"webhook\": \"{receiver.url()}\"}}')")


def everything_stored_once(pg, newsroom):
    """True once every item of every feed has been served and stored; fails at once on an
    article stored twice."""
    rows = pg.query("SELECT count(*), count(DISTINCT (feed_id, guid)) FROM articles")
    total, distinct = (int(x) for x in rows.split("|"))
    if total != distinct:
        fail(f"{total - distinct} articles stored twice")
    everything = newsroom.feeds * newsroom.items
    return newsroom.served_count() == everything and total == everything


def check_stories(pg):
    """Every stored article belongs to a story that exists, and each story counts exactly the
    articles and feeds that are in it: a kill never leaves an article without its story."""
    orphans = int(pg.query("SELECT count(*) FROM articles a LEFT JOIN stories s "
                           "ON s.id = a.story_id WHERE s.id IS NULL"))
    if orphans:
        fail(f"{orphans} articles without a story")
    miscounted = int(pg.query(
        "SELECT count(*) FROM stories s LEFT JOIN (SELECT story_id, count(*) AS n, "
        "count(DISTINCT feed_id) AS feeds FROM articles GROUP BY story_id) a "
        "ON a.story_id = s.id WHERE a.n IS DISTINCT FROM s.article_count "
        "OR a.feeds IS DISTINCT FROM s.feed_count"))
    if miscounted:
        fail(f"{miscounted} stories whose counts disagree with their articles")
    log(f"stories consistent: {pg.query('SELECT count(*) FROM stories')} stories")


def drill_database_stops(args, workdir, parts):
    """PostgreSQL stops for 30 s in the middle of a cycle over 200 feeds, then starts again:
    every item served is stored exactly once, and /healthz said 503 while it was down."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    newsroom = parts.enter_context(closing(Newsroom(feeds=200, items=12, every=3.0)))
    daemon = parts.enter_context(closing(Daemon(args.binary, workdir, pg.url,
                                                feeds_toml(newsroom))))
    daemon.start()
    wait_for(lambda: pg.count("SELECT count(*) FROM fetch_log") >= 100, 60, "the first polls")
    log(f"stopping PostgreSQL with {pg.query('SELECT count(*) FROM articles')} articles stored")
    pg.stop()
    down_until = time.monotonic() + 30
    statuses = set()
    while time.monotonic() < down_until:
        statuses.add(daemon.healthz())
        time.sleep(0.5)
    if 503 not in statuses:
        fail(f"/healthz never said 503 while the database was down (saw {statuses})")
    pg.start()
    log(f"PostgreSQL is back; {newsroom.served_count()} items served so far")
    wait_for(lambda: daemon.healthz() == 200, 60, "/healthz to say 200 again")
    newsroom.start -= 3600  # every item visible from now on
    wait_for(lambda: everything_stored_once(pg, newsroom), 90,
             "every item served to be stored")
    log(f"{newsroom.served_count()} items served, all stored once")
    check_stories(pg)
    daemon.stop_cleanly()


def drill_kill_mid_cycle(args, workdir, parts):
    """kill -9 of the daemon in the middle of a cycle, then a restart: no duplicate articles,
    no duplicate alert deliveries, none lost, and every alert reaches the receiver."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    newsroom = parts.enter_context(closing(Newsroom(feeds=150, items=8, every=2.0)))
    receiver = parts.enter_context(closing(Receiver()))
    daemon = parts.enter_context(closing(Daemon(args.binary, workdir, pg.url,
                                                feeds_toml(newsroom))))
    # The rule is there before the first article: every article must alert it.
    add_webhook_rule(args, daemon, pg, "NATO AND Baku", receiver)
    daemon.start()
    for round_number in range(3):
        wait_for(lambda: pg.count("SELECT count(*) FROM fetch_log") >=
                 (round_number + 1) * 100, 60, "polls before the kill")
        daemon.kill()
        log(f"killed with {pg.query('SELECT count(*) FROM articles')} articles, "
            f"{pg.query('SELECT count(*) FROM alert_deliveries')} deliveries")
        daemon.start()
    # A feed that was being polled at all three kills is held, as one that kills the process
    # would be (on a slow machine a cycle's last feeds can be); the operator's documented
    # release brings it back, and its items must then be stored once like the others.
    held = pg.query("UPDATE feeds SET poll_attempts = 0 WHERE poll_attempts >= 3 "
                    "RETURNING id").split()
    if held:
        log(f"{len(held)} feeds held after the kills, released")
    newsroom.start -= 3600
    wait_for(lambda: everything_stored_once(pg, newsroom), 90, "every item to be stored")
    deliveries = int(pg.query("SELECT count(*) FROM alert_deliveries"))
    articles = int(pg.query("SELECT count(*) FROM articles"))
    if deliveries != articles:  # every article matches the rule
        fail(f"{articles - deliveries} alert deliveries lost")
    wait_for(lambda: pg.query("SELECT count(*) FROM alert_deliveries WHERE status <> "
                              "'sent'") == "0", 60, "every alert to be sent")
    with receiver.lock:
        received = list(receiver.deliveries)
    ids = set(received)
    if len(ids) != deliveries:
        fail(f"the receiver got {len(ids)} distinct deliveries of {deliveries}")
    repeats = len(received) - len(ids)
    log(f"{articles} articles, {deliveries} deliveries, all received; {repeats} resent "
        f"after a kill (same delivery id)")
    if repeats > 3:
        fail(f"{repeats} deliveries resent: more than one per kill")
    check_stories(pg)
    daemon.stop_cleanly()


def drill_reload(args, workdir, parts):
    """SIGHUP with a broken config keeps the running one and says why; with a good one, new
    feeds and topics take effect without a restart."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    newsroom = parts.enter_context(closing(Newsroom(feeds=3, items=3, every=0.1)))
    first = f'[[feed]]\nname = "Drill 0"\nurl = "{newsroom.url(0)}"\ninterval = "1s"\n'
    daemon = parts.enter_context(closing(Daemon(args.binary, workdir, pg.url, first)))
    daemon.start()
    wait_for(lambda: pg.count("SELECT count(*) FROM articles") == 3, 30, "feed 0")
    daemon.write_config(pg.url, first.replace('"1s"', '"soon"') +
                        f'[[feed]]\nname = "Drill 2"\nurl = "{newsroom.url(2)}"\n')
    daemon.signal(signal.SIGHUP)
    wait_for(lambda: "reload refused" in daemon.log_text(), 15, "the refusal in the log")
    if "[[feed]] #1 interval: expected a duration" not in daemon.log_text():
        fail("the log does not say why the reload was refused")
    before = int(pg.query("SELECT count(*) FROM fetch_log"))
    wait_for(lambda: int(pg.query("SELECT count(*) FROM fetch_log")) > before + 1, 15,
             "polls to go on with the old config")
    second = first + f'[[feed]]\nname = "Drill 1"\nurl = "{newsroom.url(1)}"\n' \
                     f'interval = "1s"\n[[topic]]\nname = "drill"\nterms = ["Baku"]\n'
    daemon.write_config(pg.url, second)
    daemon.signal(signal.SIGHUP)
    wait_for(lambda: int(pg.query("SELECT count(*) FROM articles")) == 6, 15,
             "the new feed's articles")
    wait_for(lambda: pg.query("SELECT count(*) FROM topics WHERE name = 'drill'") == "1",
             15, "the new topic")
    wait_for(lambda: int(pg.query("SELECT count(*) FROM article_topics WHERE topic = "
                                  "'drill'")) >= 3, 15, "the new topic on new articles")
    if daemon.process.poll() is not None:
        fail("the daemon restarted or died during the reloads")
    daemon.stop_cleanly()


class Hostile:
    """Servers that misbehave, on 127.0.0.1: each path one way of failing."""

    def __init__(self, workdir):
        self.stop = threading.Event()
        self.bomb = self._gzip_bomb()
        self.long_served = []  # when each response of the 50,000-item feed was sent
        hostile = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                name = self.path.strip("/")
                getattr(self, f"serve_{name}")()

            def serve_hang(self):
                hostile.stop.wait(600)

            def serve_drip(self):
                self._head({"Content-Length": "100000"})
                try:
                    for _ in range(600):
                        if hostile.stop.wait(1):
                            return
                        self.wfile.write(b"<")
                        self.wfile.flush()
                except OSError:
                    pass  # the client gave up on it, as it should

            def serve_huge(self):
                self._head({"Content-Length": str(2 * 1024 ** 3)})
                chunk = b"<rss>" + b" " * 65531
                try:
                    for _ in range(2 * 1024 ** 3 // len(chunk)):
                        self.wfile.write(chunk)
                except OSError:
                    pass  # the client hung up, as it should

            def serve_bomb(self):
                self._head({"Content-Encoding": "gzip", "Content-Length": str(len(hostile.bomb))})
                try:
                    self.wfile.write(hostile.bomb)
                except OSError:
                    pass

            def serve_loop(self):
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def serve_garbage(self):
                body = bytes((i * 7919 + 13) % 256 for i in range(65536))
                self._head({"Content-Length": str(len(body))})
                self.wfile.write(body)

            def serve_long(self):
                items = "".join(f"<item><guid>l{i}</guid><title>Item {i}</title></item>"
                                for i in range(50000))
                body = f"<rss version='2.0'><channel><title>Long</title>{items}</channel></rss>"
                body = body.encode()
                self._head({"Content-Length": str(len(body))})
                self.wfile.write(body)
                hostile.long_served.append(time.time())

            def _head(self, headers):
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()

        self.server = serve(Handler)
        self.port = self.server.server_address[1]
        self.tls_port = self._tls_server(workdir, Handler)

    @staticmethod
    def _gzip_bomb():
        import zlib
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = b"\0" * (1 << 20)
        parts = [packer.compress(zeros) for _ in range(256)]  # 256 MB unpacked
        return b"".join(parts) + packer.flush()

    @staticmethod
    def _tls_server(workdir, handler):
        import ssl
        cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                        "1", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server = QuietServer(("127.0.0.1", 0), handler)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server.server_address[1]

    def urls(self):
        plain = {name: f"http://127.0.0.1:{self.port}/{name}"
                 for name in ("hang", "drip", "huge", "bomb", "loop", "garbage", "long")}
        plain["tls"] = f"https://127.0.0.1:{self.tls_port}/garbage"
        return plain

    def close(self):
        self.stop.set()
        self.server.shutdown()


def long_feed_store_seconds(log_path, served):
    """From the first response of the 50,000-item feed to the daemon's log line that its new
    articles are stored."""
    if not served:
        fail("the 50,000-item feed was never requested")
    with open(log_path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if "fetch done" in line and "/long " in line and " new=50000 " in line:
                stamp = datetime.datetime.strptime(line.split()[0], "%Y-%m-%dT%H:%M:%S.%fZ")
                stored = stamp.replace(tzinfo=datetime.timezone.utc).timestamp()
                return max(0.0, stored - served[0])
    fail("the daemon never logged the 50,000-item feed as stored")


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def drill_hostile_servers(args, workdir, parts):
    """Hangs, a drip, a 2 GB body, a gzip bomb, a redirect loop, a self-signed TLS server,
    garbage and a 50,000-item feed beside 20 good feeds: the good ones are polled on time,
    memory stays bounded, every bad one has a clear last_error."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    newsroom = parts.enter_context(closing(Newsroom(feeds=20, items=3, every=1.0)))
    hostile = parts.enter_context(closing(Hostile(workdir)))
    bad = hostile.urls()
    feeds = feeds_toml(newsroom, interval="2s") + "".join(
        f'[[feed]]\nname = "Hostile {name}"\nurl = "{url}"\ninterval = "2s"\n'
        for name, url in bad.items())
    daemon = parts.enter_context(closing(Daemon(args.binary, workdir, pg.url, feeds)))
    # Politeness is not the point here: every server is 127.0.0.1.
    with open(daemon.config) as config:
        text = config.read().replace('timeout = "10s"', 'timeout = "5s"\nper_host = 32')
    with open(daemon.config, "w") as config:
        config.write(text)
    daemon.start()
    started = time.monotonic()
    time.sleep(40)
    # On time: a good feed waits at most its interval plus one [http] timeout (a cycle
    # ends when its slowest transfer does) plus slack, plus, once, the time it takes to
    # store the 50,000 new articles of the long feed (a cycle also ends when its slowest
    # store does). That store is bounded too.
    long_store = long_feed_store_seconds(daemon.log_path, hostile.long_served)
    store_limit = 60 if os.environ.get("NEWSMON_SANITIZED") else 20
    log(f"the 50,000 new articles took {long_store:.1f} s to store (limit {store_limit} s)")
    if long_store > store_limit:
        fail(f"storing the 50,000-item feed took {long_store:.1f} s")
    with newsroom.lock:
        requests = sorted(((f, when) for f, _, when in newsroom.requests), key=lambda r: r)
    for feed in range(newsroom.feeds):
        times = [started] + [when for f, when in requests if f == feed] + [time.monotonic()]
        gap = max(b - a for a, b in zip(times, times[1:]))
        if gap > 2 + 5 + 3 + long_store:
            fail(f"good feed {feed} waited {gap:.1f} s between polls")
    expected = {"hang": "Timeout", "drip": "Timeout", "huge": "exceeds max_body",
                "bomb": "exceeds max_body", "loop": "too many redirects", "garbage": "not a",
                "tls": "SSL"}
    for name, fragment in expected.items():
        error = pg.query(f"SELECT coalesce(last_error, '') FROM feeds WHERE url = '{bad[name]}'")
        log(f"{name}: {error}")
        if fragment.lower() not in error.lower():
            fail(f"feed '{name}' has last_error {error!r}, expected it to mention {fragment!r}")
    long_stored = pg.count(f"SELECT count(*) FROM articles a JOIN feeds f ON f.id = a.feed_id "
                           f"WHERE f.url = '{bad['long']}'")
    rss = peak_rss_mb(daemon.process.pid)
    log(f"50,000-item feed: {long_stored} articles stored; peak RSS {rss:.0f} MB")
    if long_stored != 50000:
        fail(f"the 50,000-item feed stored {long_stored} articles")
    # AddressSanitizer's shadow memory and quarantine add several times the heap.
    limit = 1200 if os.environ.get("NEWSMON_SANITIZED") else 400
    if rss > limit:
        fail(f"peak RSS {rss:.0f} MB (limit {limit} MB)")
    daemon.stop_cleanly()


def drill_webhook_outage(args, workdir, parts):
    """The webhook receiver is down for two minutes, then up: every alert arrives, once."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    newsroom = parts.enter_context(closing(Newsroom(feeds=20, items=6, every=10.0)))
    receiver = parts.enter_context(closing(Receiver()))
    daemon = parts.enter_context(closing(Daemon(args.binary, workdir, pg.url,
                                                feeds_toml(newsroom))))
    add_webhook_rule(args, daemon, pg, "NATO", receiver)
    receiver.down()
    daemon.start()
    down_until = time.monotonic() + 120
    while time.monotonic() < down_until:
        time.sleep(1)
    pending = pg.count("SELECT count(*) FROM alert_deliveries WHERE status = 'pending'")
    log(f"receiver up again; {pending} deliveries waiting")
    if pending <= 0:
        fail("no delivery waited for the receiver")
    receiver.up()
    newsroom.start -= 3600
    wait_for(lambda: everything_stored_once(pg, newsroom), 60, "every item to be stored")
    wait_for(lambda: pg.count("SELECT count(*) FROM alert_deliveries WHERE status <> 'sent'")
             == 0, 60, "every alert to be sent")
    deliveries = pg.count("SELECT count(*) FROM alert_deliveries")
    with receiver.lock:
        received = list(receiver.deliveries)
    if deliveries != newsroom.feeds * newsroom.items:
        fail(f"{deliveries} deliveries for {newsroom.feeds * newsroom.items} articles")
    if len(received) != deliveries or len(set(received)) != deliveries:
        fail(f"the receiver got {len(received)} posts, {len(set(received))} distinct, "
             f"for {deliveries} deliveries")
    log(f"{deliveries} alerts, each received once after the outage")
    daemon.stop_cleanly()


def double_polls(newsroom, closer_than):
    """Requests for one feed closer together than a cycle allows: two instances polled it."""
    with newsroom.lock:
        requests = sorted(newsroom.requests, key=lambda r: (r[0], r[2]))
    doubles = []
    for previous, current in zip(requests, requests[1:]):
        if previous[0] == current[0] and current[2] - previous[2] < closer_than:
            doubles.append((current[0], previous[1], current[1], current[2] - previous[2]))
    return doubles


def pollers_since(newsroom, since):
    with newsroom.lock:
        return {agent for _, agent, when in newsroom.requests if when >= since}


def feeds_polled_since(newsroom, since):
    with newsroom.lock:
        return {feed for feed, _, when in newsroom.requests if when >= since}


def drill_instances(args, workdir, parts):
    """Two, then three instances on one database over 300 feeds, one killed: every feed is
    polled by one instance per cycle, and the dead one's feeds are taken over."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    newsroom = parts.enter_context(closing(Newsroom(feeds=300, items=2, every=1.0)))
    feeds = feeds_toml(newsroom, interval="3s")
    instances = [parts.enter_context(closing(Daemon(args.binary, workdir, pg.url, feeds,
                                                    name=name)))
                 for name in ("drill-a", "drill-b", "drill-c")]
    subprocess.run([args.binary, "--config", instances[0].config, "migrate"], check=True,
                   stdout=subprocess.DEVNULL)
    instances[0].start()
    instances[1].start()
    time.sleep(8)
    third_started = time.monotonic()
    instances[2].start()
    time.sleep(8)
    agents = pollers_since(newsroom, third_started)
    if agents != {"drill-a", "drill-b", "drill-c"}:
        fail(f"not every instance polled feeds: {sorted(agents)}")
    instances[2].kill()
    killed = time.monotonic()
    log("drill-c killed; its leases run out in 5 s")
    time.sleep(12)
    window = time.monotonic() - 6
    missing = set(range(newsroom.feeds)) - feeds_polled_since(newsroom, window)
    if missing:
        fail(f"{len(missing)} feeds not polled in the last 6 s after the kill "
             f"(e.g. {sorted(missing)[:5]})")
    if pollers_since(newsroom, killed + 0.5) - {"drill-a", "drill-b"}:
        fail("the killed instance still polled")
    # Jitter is 10% of 3 s: anything closer than 2 s is a second instance in one cycle.
    doubles = double_polls(newsroom, 2.0)
    if doubles:
        fail(f"{len(doubles)} feeds polled twice in one cycle, e.g. {doubles[:3]}")
    with newsroom.lock:
        total = len(newsroom.requests)
    log(f"{total} polls by three instances, none doubled; drill-c's feeds taken over")
    for daemon in instances[:2]:
        daemon.stop_cleanly()


def drill_read_replica(args, workdir, parts):
    """[database] read_url on a streaming replica: polls land on the primary and reach the
    replica; with the primary stopped, search, stories, feeds and newsmon web still answer
    from the replica, and a command that writes says it cannot reach the database."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    newsroom = parts.enter_context(closing(Newsroom(feeds=5, items=4, every=1.0)))
    newsroom.start -= 3600  # every item visible at once
    web_port = free_port()
    replica_url = pg.url  # until the replica exists
    config = os.path.join(workdir, "replicated.toml")

    def write_config():
        with open(config, "w") as out:
            out.write(f'[database]\nurl = "{pg.url}"\nread_url = "{replica_url}"\n'
                      f'[http]\nblock_private = false\n'
                      f'[daemon]\nstate_dir = "{workdir}/state"\n'
                      f'[defaults]\nfull_text = "never"\n'
                      f'[web]\nlisten = "127.0.0.1:{web_port}"\n{feeds_toml(newsroom)}')

    def newsmon(*command):
        return subprocess.run([args.binary, "--config", config, *command], capture_output=True,
                              text=True, timeout=60)

    write_config()
    if newsmon("migrate").returncode != 0:
        fail("migrate against the primary failed")
    replica = parts.enter_context(closing(Replica(pg)))
    replica_url = replica.url
    write_config()
    polled = newsmon("poll", "--once")
    if polled.returncode != 0:
        fail(f"poll --once failed: {polled.stderr[-500:]}")
    stored = pg.count("SELECT count(*) FROM articles")
    if stored != newsroom.feeds * newsroom.items:
        fail(f"{stored} articles on the primary, expected {newsroom.feeds * newsroom.items}")
    wait_for(lambda: replica.count("SELECT count(*) FROM articles") == stored, 30,
             "the replica to have every article")
    pg.stop()
    log(f"primary stopped; the replica holds all {stored} articles")

    found = newsmon("search", "NATO", "--limit", "100", "--json")
    if found.returncode != 0 or len(json.loads(found.stdout)) != stored:
        fail(f"search from the replica: exit {found.returncode}, {found.stderr[-300:]}")
    for command in (["stories", "--json"], ["feeds", "--json"]):
        answer = newsmon(*command)
        if answer.returncode != 0 or not json.loads(answer.stdout):
            fail(f"{' '.join(command)} from the replica: exit {answer.returncode}, "
                 f"{answer.stderr[-300:]}")
    if newsmon("migrate").returncode == 0:
        fail("migrate succeeded with the primary stopped: it did not connect to url")

    web = subprocess.Popen([args.binary, "--config", config, "web"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def articles():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/api/v1/articles"
                                            "?limit=100", timeout=5) as reply:
                    return len(json.loads(reply.read())["items"])
            except OSError:
                return -1
        wait_for(lambda: articles() == stored, 30, "newsmon web to list every article")
    finally:
        web.terminate()
        web.wait(timeout=20)
    log("search, stories, feeds and the web API answered from the replica")


def kill_while_storing(daemon, pg, seconds):
    """kill -9 of `daemon` while one of its connections holds a write transaction open on
    articles, in the middle of a cycle (five feeds leased or more): stopped (SIGSTOP) first,
    so that what pg_stat_activity shows is what the kill cuts short; resumed and tried again
    when it was between stores. Its leased feeds' ids."""
    deadline = time.monotonic() + seconds
    tries = 0
    while time.monotonic() < deadline:
        daemon.signal(signal.SIGSTOP)
        tries += 1
        time.sleep(0.1)  # a statement in flight finishes; the transaction cannot commit
        storing = int(pg.query(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
            f"'{daemon.name}' AND state IN ('idle in transaction', 'active') "
            "AND backend_xid IS NOT NULL "
            "AND query ILIKE '%articles%'"))
        leased = pg.query(f"SELECT id FROM feeds WHERE lease_owner = '{daemon.name}' "
                          "AND lease_until > now()").split()
        if storing and len(leased) >= 5:
            daemon.kill()
            log(f"{daemon.name} killed while storing (stop {tries}), holding {len(leased)} "
                "feeds' leases")
            return leased
        daemon.signal(signal.SIGCONT)
        time.sleep(0.05 + 0.1 * (time.monotonic() % 1))
    # On a machine loaded by other tests the stores may be too quick to catch: a kill in the
    # middle of a cycle, leases held, still cuts a poll short somewhere.
    leased = []
    deadline = time.monotonic() + 15
    while not leased and time.monotonic() < deadline:
        daemon.signal(signal.SIGSTOP)
        leased = pg.query(f"SELECT id FROM feeds WHERE lease_owner = '{daemon.name}' "
                          "AND lease_until > now()").split()
        if not leased:
            daemon.signal(signal.SIGCONT)
            time.sleep(0.02)
    if not leased:
        fail(f"{daemon.name} held no lease to lose in {seconds + 15} s")
    daemon.kill()
    log(f"{daemon.name} not caught storing in {seconds} s; killed mid-cycle holding "
        f"{len(leased)} feeds' leases")
    return leased


def stored_articles(db):
    """Every stored article as (feed URL, guid, URL, story id), from `db`."""
    rows = db.query("SELECT f.url, a.guid, coalesce(a.url, ''), coalesce(a.story_id, 0) "
                    "FROM articles a JOIN feeds f ON f.id = a.feed_id")
    return {tuple(row.split("|")) for row in rows.splitlines()}


def check_stored_exactly(pg, newsroom):
    """Every item the newsroom served is stored once, and nothing else: none lost, none
    doubled by (feed, guid) or by URL. The number stored."""
    stored = stored_articles(pg)
    served_items = {(newsroom.url(feed), guid) for feed, guid in newsroom.served}
    stored_items = {(feed_url, guid) for feed_url, guid, _, _ in stored}
    lost, unexpected = served_items - stored_items, stored_items - served_items
    if lost:
        fail(f"{len(lost)} items served and never stored, e.g. {sorted(lost)[:3]}")
    if unexpected:
        fail(f"{len(unexpected)} articles stored that were never served: {sorted(unexpected)[:3]}")
    rows = pg.query("SELECT count(*), count(DISTINCT (feed_id, guid)), count(DISTINCT url) "
                    "FROM articles")
    total, by_guid, by_url = (int(x) for x in rows.split("|"))
    if total != len(served_items) or by_guid != total or by_url != total:
        fail(f"{total} articles for {len(served_items)} items served: {total - by_guid} doubled "
             f"by (feed, guid), {total - by_url} by URL")
    return total


def drill_instances_replica(args, workdir, parts):
    """Two instances on one primary with a streaming replica, over 100 feeds that gain an item
    a second, one killed with kill -9 while it stores: its feeds are taken over, every item
    served is stored exactly once (none lost, none doubled by (feed, guid) or URL), each with
    its story, the caught-up replica holds the same articles, and search and feeds through
    read_url on the replica count what the primary holds."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    # Items for a minute: on a loaded machine catching the victim mid-store can take
    # kill_while_storing's whole 30 s, and the feeds must still be gaining items then.
    newsroom = parts.enter_context(closing(Newsroom(feeds=100, items=60, every=1.0)))
    feeds = feeds_toml(newsroom, interval="2s")
    survivor, victim = (parts.enter_context(closing(Daemon(args.binary, workdir, pg.url, feeds,
                                                           name=name)))
                        for name in ("drill-a", "drill-b"))
    subprocess.run([args.binary, "--config", survivor.config, "migrate"], check=True,
                   stdout=subprocess.DEVNULL)
    replica = parts.enter_context(closing(Replica(pg)))
    log("primary migrated, replica streaming")
    newsroom.start = time.monotonic()  # the items appear from now on, while both instances run
    survivor.start()
    victim.start()
    wait_for(lambda: pollers_since(newsroom, 0) == {"drill-a", "drill-b"}, 30,
             "both instances to poll")
    time.sleep(4)
    leased = kill_while_storing(victim, pg, 30)
    killed = time.monotonic()
    if newsroom.visible() >= newsroom.items:
        fail("the feeds stopped gaining items before the kill")
    leased_feeds = {int(url.rsplit("/", 1)[-1]) for url in pg.query(
        f"SELECT url FROM feeds WHERE id IN ({','.join(leased)})").split()}

    def taken_over():
        with newsroom.lock:
            return leased_feeds <= {feed for feed, agent, when in newsroom.requests
                                    if agent == "drill-a" and when > killed}
    wait_for(taken_over, 30, "drill-a to poll the feeds drill-b held")
    log(f"drill-a took over drill-b's {len(leased_feeds)} feeds; "
        f"{newsroom.served_count()} items served so far")
    if pollers_since(newsroom, killed + 0.5) != {"drill-a"}:
        fail("the killed instance still polled")
    newsroom.start -= 3600  # the items still to come appear at once
    wait_for(lambda: everything_stored_once(pg, newsroom), 90, "every item to be stored")
    survivor.stop_cleanly()
    total = check_stored_exactly(pg, newsroom)
    log(f"{total} items served, each stored once")
    check_stories(pg)

    primary_lsn = pg.query("SELECT pg_current_wal_lsn()")
    wait_for(lambda: replica.query("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), "
                                   f"'{primary_lsn}') >= 0") == "t", 60,
             f"the replica to replay the primary's WAL up to {primary_lsn}")
    on_primary, on_replica = stored_articles(pg), stored_articles(replica)
    if on_primary != on_replica:
        fail(f"the replica differs from the primary at {primary_lsn}: "
             f"{len(on_primary - on_replica)} articles missing, {len(on_replica - on_primary)} "
             f"extra, e.g. {sorted(on_primary ^ on_replica)[:2]}")
    log(f"the replica, at {primary_lsn}, holds the same {len(on_replica)} articles")

    config = os.path.join(workdir, "readers.toml")
    with open(config, "w") as out:
        # url names no server: every answer must come from read_url, the replica.
        out.write(f'[database]\nurl = "host={workdir}/nowhere port=5433 user=newsmon '
                  f'dbname=drill"\nread_url = "{replica.url}"\n'
                  f'[defaults]\nfull_text = "never"\n{feeds}')

    def newsmon(*command):
        answer = subprocess.run([args.binary, "--config", config, *command],
                                capture_output=True, text=True, timeout=120)
        if answer.returncode != 0:
            fail(f"newsmon {' '.join(command)} through read_url: exit {answer.returncode}, "
                 f"{answer.stderr[-300:]}")
        return json.loads(answer.stdout)

    # Search leaves out republications (duplicate_of): these titles collide, "1/12" and "11/2".
    originals = set(pg.query("SELECT id FROM articles WHERE duplicate_of IS NULL").split())
    found = {str(item["id"]) for item in newsmon("search", "NATO", "--limit", "100000",
                                                 "--json")}
    if found != originals:
        fail(f"search on the replica found {len(found)} articles, {len(found - originals)} not "
             f"on the primary; the primary holds {len(originals)} (not republications)")
    per_feed = dict(row.split("|") for row in pg.query(
        "SELECT f.url, count(*) FROM articles a JOIN feeds f ON f.id = a.feed_id "
        "GROUP BY f.url").splitlines())
    listed = {feed["url"]: feed.get("articles_24h") for feed in newsmon("feeds", "--json")}
    wrong = {url: (count, int(per_feed.get(url, 0))) for url, count in listed.items()
             if count != int(per_feed.get(url, 0))}
    if len(listed) != newsroom.feeds or wrong:
        fail(f"feeds on the replica lists {len(listed)} feeds, {len(wrong)} with other counts "
             f"than the primary's (replica, primary), e.g. {list(wrong.items())[:3]}")
    log(f"search through read_url on the replica found the primary's {len(originals)} "
        f"originals, feeds counted its {total} articles")


def drill_spool_quarantine(args, workdir, parts):
    """A truncated spool file and a stale .tmp file appear in the spool of a running daemon:
    it stays up, quarantines the file (the log names it), removes the .tmp and polls on."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    newsroom = parts.enter_context(closing(Newsroom(feeds=3, items=40, every=1.0)))
    daemon = parts.enter_context(closing(Daemon(args.binary, workdir, pg.url,
                                                feeds_toml(newsroom))))
    daemon.start()
    wait_for(lambda: pg.count("SELECT count(*) FROM articles") > 0, 30, "the first articles")
    spool = os.path.join(daemon.state, "spool")
    truncated = "00000000000000000001-000001-99999.json"  # sorts first: replayed next
    stale = "00000000000000000002-000002-99999.tmp"
    with open(os.path.join(workdir, truncated), "w") as out:
        out.write('{"spool_version": 1, "feed_id": 1, "started_at_ms": 1764670000000, '
                  '"articles": [{"item": {"guid": "g1", "title": "cut sh')
    with open(os.path.join(spool, stale), "w") as out:
        out.write('{"spool_version": 1, "fe')
    written_long_ago = time.time() - 600  # a crash in the middle of a write, long ago
    os.utime(os.path.join(spool, stale), (written_long_ago, written_long_ago))
    os.rename(os.path.join(workdir, truncated), os.path.join(spool, truncated))
    log("a truncated spool file and a stale .tmp file dropped into the spool")
    quarantined = os.path.join(spool, "quarantine", truncated)
    wait_for(lambda: os.path.exists(quarantined), 30, "the truncated file to be quarantined")

    def quarantine_line():
        return next((line for line in daemon.log_text().splitlines()
                     if "spool file quarantined" in line and truncated in line), None)
    wait_for(lambda: quarantine_line() is not None, 10, "a log line naming the file")
    if "error=" not in quarantine_line():
        fail(f"the log line does not say why: {quarantine_line()}")
    log(f"logged: {quarantine_line()}")
    wait_for(lambda: not os.path.exists(os.path.join(spool, stale)), 30,
             "the stale .tmp file to be removed")
    if os.path.exists(os.path.join(spool, truncated)):
        fail("the truncated file is still in the spool")
    stored = int(pg.query("SELECT count(*) FROM articles"))
    wait_for(lambda: int(pg.query("SELECT count(*) FROM articles")) > stored, 30,
             "new articles after the quarantine")
    if daemon.process.poll() is not None:
        fail("the daemon exited")
    if daemon.healthz() != 200:
        fail(f"/healthz says {daemon.healthz()}")
    newsroom.start -= 3600
    wait_for(lambda: everything_stored_once(pg, newsroom), 60, "every item to be stored")
    log(f"{newsroom.served_count()} items stored after the quarantine")
    daemon.stop_cleanly()


class DeepPage:
    """A feed on 127.0.0.1 whose item links to a page of 20,000 nested elements (140 KB), the
    page that once took the daemon down; once `with_hang` is set, a second item links to a page
    that never answers, for the daemon to be killed on. Page requests are counted."""

    def __init__(self):
        self.page_requests = 0
        self.hang_requests = 0
        self.with_hang = False
        self.release = threading.Event()
        self.lock = threading.Lock()
        deep = self
        tags = ("div", "span", "b", "table", "tr", "td", "i")
        page = ("<html><head><title>Deep</title></head><body><h1>Deep</h1>" +
                "".join(f"<{tags[i % len(tags)]}>x" for i in range(20000)) +
                "</body></html>").encode()

        class Handler(QuietHandler):
            def do_GET(self):
                if self.path == "/feed":
                    self.send_body(deep.feed_xml().encode(), "application/rss+xml")
                elif self.path == "/hang":
                    with deep.lock:
                        deep.hang_requests += 1
                    deep.release.wait(60)
                else:
                    with deep.lock:
                        deep.page_requests += 1
                    self.send_body(page, "text/html; charset=utf-8")

        self.server = serve(Handler)
        self.port = self.server.server_address[1]

    def feed_xml(self):
        items = [("deep-1", "page")] + ([("hang-1", "hang")] if self.with_hang else [])
        return ("<rss version='2.0'><channel><title>Deep</title>"
                "<link>https://deep.example.test/</link>" +
                "".join(f"<item><guid>{guid}</guid><title>NATO envoys meet in Baku</title>"
                        f"<link>http://127.0.0.1:{self.port}/{path}</link>"
                        "<description>Envoys met in Baku...</description></item>"
                        for guid, path in items) +
                "</channel></rss>")

    def requests(self):
        with self.lock:
            return self.page_requests

    def hangs(self):
        with self.lock:
            return self.hang_requests

    def close(self):
        self.release.set()
        self.server.shutdown()


def drill_deep_page(args, workdir, parts):
    """A feed item links to a page nested 20,000 deep while the daemon runs beside 5 good
    feeds: the daemon stays up, the page is tried at most max attempts times and ends failed
    with its reason, and polling goes on. Then a page the daemon is killed on, again after
    each restart: it is tried max attempts times in all, then given up for good."""
    pg = parts.enter_context(closing(Postgres(args.source)))
    newsroom = parts.enter_context(closing(Newsroom(feeds=5, items=1000, every=1.0)))
    deep = parts.enter_context(closing(DeepPage()))
    feeds = feeds_toml(newsroom) + (f'[[feed]]\nname = "Deep"\n'
                                    f'url = "http://127.0.0.1:{deep.port}/feed"\n'
                                    f'interval = "1s"\nfull_text = "always"\n')
    daemon = parts.enter_context(closing(Daemon(args.binary, workdir, pg.url, feeds)))
    daemon.start()
    page = "FROM articles WHERE guid = 'deep-1'"
    max_attempts = 4  # service::PageCycle::k_max_attempts
    for attempt in range(1, max_attempts + 1):
        wait_for(lambda: pg.count(f"SELECT page_attempts {page}") >= attempt and
                 pg.query(f"SELECT coalesce(page_error, '') {page}") != "", 60,
                 f"attempt {attempt} at the deep page")
        if daemon.process.poll() is not None:
            fail(f"the daemon exited ({daemon.process.returncode}) on the deep page")
        # The retry is minutes away: bring it forward.
        pg.query(f"UPDATE articles SET page_next_at = now(), page_error = NULL "
                 f"WHERE guid = 'deep-1' AND page_status = 'pending'")
    wait_for(lambda: pg.query(f"SELECT page_status {page}") == "failed", 60,
             "the deep page to be given up")
    error = pg.query(f"SELECT page_error {page}")
    log(f"deep page: {pg.query(f'SELECT page_attempts {page}')} attempts, "
        f"{deep.requests()} requests, error: {error}")
    if "nest deeper than the limit" not in error:
        fail(f"the deep page failed with {error!r}, expected the nesting limit")
    if deep.requests() != max_attempts:
        fail(f"the deep page was fetched {deep.requests()} times, expected {max_attempts}")
    # Polling goes on, and the page is not fetched again.
    since = time.monotonic()
    wait_for(lambda: feeds_polled_since(newsroom, since) == set(range(newsroom.feeds)), 30,
             "every good feed to be polled after the deep page failed")
    time.sleep(3)
    if deep.requests() != max_attempts:
        fail(f"the failed deep page was fetched again ({deep.requests()} requests)")
    if daemon.healthz() != 200:
        fail(f"/healthz says {daemon.healthz()}")
    killed_on_page(pg, deep, daemon, max_attempts)
    daemon.stop_cleanly()


def killed_on_page(pg, deep, daemon, max_attempts):
    """The daemon dies (kill -9) while on a page, after every restart: each claim counts, and
    after max attempts the page is given up instead of claimed again."""
    deep.with_hang = True
    page = "FROM articles WHERE guid = 'hang-1'"
    for attempt in range(1, max_attempts + 1):
        wait_for(lambda: deep.hangs() >= attempt, 60, f"claim {attempt} of the page")
        daemon.kill()
        log(f"killed on the page, attempts {pg.query(f'SELECT page_attempts {page}')}")
        # The lease of a claim is minutes long: bring the next claim forward.
        pg.query("UPDATE articles SET page_next_at = now() WHERE guid = 'hang-1'")
        daemon.start()
    wait_for(lambda: pg.query(f"SELECT page_status {page}") == "failed", 60,
             "the page the daemon died on to be given up")
    error = pg.query(f"SELECT page_error {page}")
    log(f"page the daemon died on: {deep.hangs()} requests, error: {error}")
    if "the last never finished" not in error:
        fail(f"the page the daemon died on failed with {error!r}")
    time.sleep(3)
    if deep.hangs() != max_attempts:
        fail(f"the page the daemon died on was fetched {deep.hangs()} times, "
             f"expected {max_attempts}")
    wait_for(lambda: daemon.healthz() == 200, 30, "the daemon to be healthy")


DRILLS = {
    "deep_page": drill_deep_page,
    "hostile_servers": drill_hostile_servers,
    "webhook_outage": drill_webhook_outage,
    "instances": drill_instances,
    "database_stops": drill_database_stops,
    "kill_mid_cycle": drill_kill_mid_cycle,
    "reload": drill_reload,
    "spool_quarantine": drill_spool_quarantine,
    "read_replica": drill_read_replica,
    "instances_replica": drill_instances_replica,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("name", choices=sorted(DRILLS))
    parser.add_argument("--binary", required=True)
    parser.add_argument("--source", default=os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix=f"nm-drill-{args.name}.")
    started = time.monotonic()
    try:
        with ExitStack() as parts:
            DRILLS[args.name](args, workdir, parts)
    except SystemExit:
        print(f"drill: the daemons' logs are in {workdir}", flush=True)
        raise
    log(f"{args.name} passed in {time.monotonic() - started:.1f} s")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
