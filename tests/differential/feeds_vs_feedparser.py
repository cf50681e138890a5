#!/usr/bin/python3
"""`newsmon parse` beside feedparser, the liberal feed parser, on generated feeds.

Small feeds are generated for each class of defect that feed readers meet (markup inside text
elements, Atom 0.3 content modes, authors, links, fallbacks, categories, dates, entities,
encodings, namespaces, recovery from broken input): seeded random combinations of the
constructs of each class, in the formats where they occur (RSS 0.9x/1.0/2.0, Atom 0.3/1.0).
Both parsers read every feed; both results are normalised (titles and summaries as plain text,
the text of the content and the links in it, the first usable link, authors as "Name <email>",
dates in UTC, categories) and every disagreement is reported. Where feedparser is the one that
is wrong, the difference is listed in KNOWN below with its reason; any other disagreement fails.

usage: feeds_vs_feedparser.py PARSE_FEEDS_BINARY [--per-class N] [--seed S] [--verbose]
       [--all]   report every disagreement, the known ones too, and count them
       [--files PATH ...]   compare on these feed files (or every *.xml under a directory)
                            instead of generated feeds, for instance another project's test
                            suite; only the KNOWN entries of every class ("*") apply
"""
import argparse
import base64
import datetime
import email.utils
import html
import html.parser
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import urllib.parse

import feedparser

BASE = "https://feed.example.test/news/feed.xml"

NS = {
    "atom": 'xmlns="http://www.w3.org/2005/Atom"',
    "atom03": 'xmlns="http://purl.org/atom/ns#"',
    "dc": 'xmlns:dc="http://purl.org/dc/elements/1.1/"',
    "dcterms": 'xmlns:dcterms="http://purl.org/dc/terms/"',
    "content": 'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    "atomp": 'xmlns:atom="http://www.w3.org/2005/Atom"',
    "xhtml": 'xmlns:xhtml="http://www.w3.org/1999/xhtml"',
    "rdf": 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
}
RSS_MODULES = " ".join(NS[k] for k in ("dc", "dcterms", "content", "atomp", "xhtml"))


# ---------------------------------------------------------------- wrappers: one item per format

def rss20(items, channel="<title>Channel</title><link>https://feed.example.test/</link>"
          "<description>About</description>", version="2.0", decl=True):
    body = "".join(f"<item>{i}</item>" for i in items)
    head = '<?xml version="1.0" encoding="utf-8"?>\n' if decl else ""
    return (f'{head}<rss version="{version}" {RSS_MODULES}><channel>{channel}{body}'
            "</channel></rss>")


def rss10(items, channel="<title>Channel</title><link>https://feed.example.test/</link>"
          "<description>About</description>"):
    body = "".join(f'<item rdf:about="https://feed.example.test/i{n}">{i}</item>'
                   for n, i in enumerate(items))
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<rdf:RDF {NS["rdf"]} xmlns="http://purl.org/rss/1.0/" {RSS_MODULES}>'
            f'<channel rdf:about="https://feed.example.test/">{channel}</channel>{body}</rdf:RDF>')


def atom10(entries, feed="<title>Feed</title><id>urn:f</id>"
           '<link href="https://feed.example.test/"/><updated>2024-03-01T00:00:00Z</updated>',
           root_attrs=""):
    body = "".join(f"<entry>{e}</entry>" for e in entries)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed {NS["atom"]} {NS["dc"]} {root_attrs}>{feed}{body}</feed>')


def atom03(entries, feed='<title>Feed</title><link rel="alternate" type="text/html" '
           'href="https://feed.example.test/"/><modified>2024-03-01T00:00:00Z</modified>'):
    body = "".join(f"<entry>{e}</entry>" for e in entries)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed version="0.3" {NS["atom03"]} {NS["dc"]}>{feed}{body}</feed>')


def pick(rng, options, low=1, high=3):
    return rng.sample(options, rng.randint(low, min(high, len(options))))


def wrap_rss_any(rng, items):
    return rng.choice([rss20, rss10])(items)


# ---------------------------------------------------------------- the classes of defect

def gen_markup(rng, n):
    """1: markup inside text elements, xhtml content, xml:base inherited."""
    rss_titles = ["<p>Para title</p>", "A <b>bold</b> title", "<![CDATA[<i>cdata</i> title]]>",
                  "Fish &amp;amp; chips", "Plain title"]
    rss_desc = ["<p>Unescaped <b>child</b> elements</p>", "&lt;p&gt;Escaped &lt;i&gt;html"
                "&lt;/i&gt;&lt;/p&gt;", "Text <a href=\"/rel\">link</a> after",
                "<![CDATA[<p>In <a href='sub/page'>cdata</a></p>]]>"]
    atom_text = ['<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X <b>title'
                 "</b></div></title>",
                 '<title type="html">&lt;b&gt;Html&lt;/b&gt; title</title>',
                 "<title>Text title</title>",
                 '<title type="html"><p>Unescaped</p> html title</title>']
    atom_content = [
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>See <a href="a/b">'
        "this</a></p></div></content>",
        '<content type="xhtml" xml:base="sub/"><div xmlns="http://www.w3.org/1999/xhtml">'
        '<p xml:base="deeper/">In <a href="page">deep</a></p></div></content>',
        '<content type="html">&lt;p&gt;Escaped &lt;a href="x.html"&gt;x&lt;/a&gt;&lt;/p&gt;'
        "</content>",
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Area: <math '
        'xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi><mo>+</mo><mn>1</mn></math>'
        "</div></content>",
        '<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Sum <em>mary</em>'
        "</div></summary>",
        '<summary type="html"><p>Unescaped <b>summary</b></p></summary>',
    ]
    cases = []
    for k in range(n):
        if k % 2:
            items = [f"<title>{rng.choice(rss_titles)}</title><link>https://feed.example.test/"
                     f"{k}/{j}</link><description>{rng.choice(rss_desc)}</description>"
                     for j in range(rng.randint(1, 2))]
            cases.append(wrap_rss_any(rng, items))
        else:
            base = rng.choice(['', 'xml:base="https://other.example.test/root/"'])
            entries = [rng.choice(atom_text) + f"<id>urn:e{j}</id><updated>2024-01-0{j + 1}"
                       "T00:00:00Z</updated>" + "".join(pick(rng, atom_content, 1, 2))
                       for j in range(rng.randint(1, 2))]
            entry_base = rng.choice(["", "<!--b-->"])
            cases.append(atom10(entries, root_attrs=base) + entry_base)
    return cases


def gen_atom03_modes(rng, n):
    """2: Atom 0.3 content modes."""
    html_text = "<p>Body <b>bold</b> &amp; more</p>"
    modes = [
        f'<content type="text/html" mode="base64">{base64.b64encode(html_text.encode()).decode()}'
        "</content>",
        f'<content type="text/html" mode="escaped">{html.escape(html_text)}</content>',
        '<content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/'
        'xhtml"><p>Xml <i>mode</i></p></div></content>',
        '<content type="text/plain" mode="base64">' + base64.b64encode(b"plain & simple").decode()
        + "</content>",
        f'<summary type="text/html" mode="escaped">{html.escape("<i>Sum</i>")}</summary>',
    ]
    cases = []
    for k in range(n):
        entries = [f"<title>E{j}</title><id>tag:e{j}</id><issued>2024-01-0{j + 1}T00:00:00Z"
                   "</issued>" + "".join(pick(rng, modes, 1, 2)) for j in range(2)]
        cases.append(atom03(entries))
    return cases


def gen_authors(rng, n):
    """3: authors."""
    rss = ["<author>jane@example.test (Jane Doe)</author>", "<author>bob@example.test</author>",
           "<dc:creator>Carol Writer</dc:creator>", "<dc:creator>Dan</dc:creator>"
           "<dc:creator>Eve</dc:creator>",
           "<atom:author><atom:name>Atom Person</atom:name><atom:email>ap@example.test"
           "</atom:email></atom:author>"]
    atom = ["<author><name>Ann</name><email>ann@example.test</email></author>",
            "<author><name>Only Name</name></author>",
            "<author><email>only@example.test</email></author>",
            "<author><name>First</name></author><author><name>Second</name></author>"]
    cases = []
    for k in range(n):
        if k % 2:
            items = [f"<title>T{j}</title><link>https://feed.example.test/{j}</link>" +
                     rng.choice(rss) for j in range(2)]
            cases.append(wrap_rss_any(rng, items))
        else:
            entries = [f"<title>T{j}</title><id>urn:{j}</id><updated>2024-01-01T00:00:00Z"
                       "</updated>" + rng.choice(atom) for j in range(2)]
            cases.append(atom10(entries))
    return cases


def gen_links(rng, n):
    """4: links."""
    rss = ["<link>https://feed.example.test/first</link><link>https://feed.example.test/second"
           "</link>",
           "<link></link><link>https://feed.example.test/second-usable</link>",
           '<atom:link href="https://feed.example.test/atom-in-rss"/>',
           '<atom:link rel="alternate" type="text/html" href="relative/atom"/>',
           '<link href="https://feed.example.test/href-attr"/>',
           "<link>relative/page.html</link>"]
    atom = ['<link href="https://feed.example.test/norel"/>',
            '<link rel="enclosure" href="https://feed.example.test/a.mp3"/>'
            '<link href="https://feed.example.test/after-enclosure"/>',
            '<link rel="self" href="https://feed.example.test/self"/>'
            '<link rel="alternate" href="https://feed.example.test/alt"/>',
            '<link rel="related" href="https://feed.example.test/related"/>',
            '<link rel="alternate" type="text/html" href="rel/x"/>']
    cases = []
    for k in range(n):
        if k % 2:
            items = [f"<title>T{j}</title>" + rng.choice(rss) for j in range(2)]
            cases.append(rss20(items))
        else:
            entries = [f"<title>T{j}</title><id>urn:{j}</id><updated>2024-01-01T00:00:00Z"
                       "</updated>" + rng.choice(atom) for j in range(2)]
            cases.append(atom10(entries))
    return cases


def gen_fallbacks(rng, n):
    """5: fallbacks and precedence."""
    parts = ["<dc:title>DC title</dc:title>", "<dc:description>DC description</dc:description>",
             "<dc:date>2024-02-03T04:05:06Z</dc:date>",
             "<dcterms:modified>2024-02-04T00:00:00Z</dcterms:modified>",
             "<dcterms:issued>2024-02-02T00:00:00Z</dcterms:issued>",
             "<xhtml:body><xhtml:p>Xhtml body text</xhtml:p></xhtml:body>",
             '<atom:content type="html">&lt;p&gt;Atom content in RSS&lt;/p&gt;</atom:content>',
             "<description>The description</description>",
             "<content:encoded>&lt;p&gt;Encoded content&lt;/p&gt;</content:encoded>",
             "<atom:summary>Atom summary</atom:summary>"]
    channel = ["<dc:title>DC channel</dc:title><link>https://feed.example.test/</link>",
               "<title>Channel</title><link>https://feed.example.test/</link>"
               "<dc:description>DC channel description</dc:description>"]
    cases = []
    for k in range(n):
        items = ["<link>https://feed.example.test/%d</link>" % j + "".join(pick(rng, parts, 1, 4))
                 for j in range(2)]
        wrap = rng.choice([rss20, rss10])
        cases.append(wrap(items, channel=rng.choice(channel)))
    return cases


def gen_categories(rng, n):
    """6: categories."""
    atom = ['<category term="economy"/>', '<category term="politics" label="Politics &amp; '
            'Power"/>', '<category label="Only label"/>', '<category term="Économie"/>',
            '<category term="日本" scheme="urn:x"/>']
    rss = ["<category>Local</category>", '<category domain="urn:d">Région</category>',
           "<dc:subject>Subject one</dc:subject>"]
    cases = []
    for k in range(n):
        if k % 2:
            cases.append(rss20(["<title>T</title><link>https://feed.example.test/</link>" +
                                "".join(pick(rng, rss))]))
        else:
            cases.append(atom10(["<title>T</title><id>urn:1</id><updated>2024-01-01T00:00:00Z"
                                 "</updated>" + "".join(pick(rng, atom))]))
    return cases


def gen_dates(rng, n):
    """7: dates."""
    stamps = ["2024-01-01T10:00:00Z", "2024-02-01T10:00:00+02:00", "2023-12-31T23:00:00-05:00"]
    cases = []
    for k in range(n):
        a, b, c = rng.sample(stamps, 3)
        order = rng.choice([
            f"<updated>{a}</updated><updated>{b}</updated>",
            f"<published>{a}</published><published>{b}</published><updated>{c}</updated>",
            f"<updated>{a}</updated><published>{b}</published><updated>{c}</updated>",
            f"<published>{a}</published><updated>{b}</updated>"])
        cases.append(atom10([f"<title>T</title><id>urn:1</id>{order}"]))
        rss_order = rng.choice([
            "<pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><pubDate>Tue, 02 Jan 2024 10:00:00 "
            "GMT</pubDate>",
            "<pubDate>Mon, 01 Jan 2024 10:00:00 +0100</pubDate><dc:date>2024-01-05T00:00:00Z"
            "</dc:date>"])
        cases.append(rss20([f"<title>T</title><link>https://feed.example.test/</link>{rss_order}"]))
    return cases[:n]


def gen_entities(rng, n):
    """8: entities."""
    cases = []
    for k in range(n):
        kind = k % 4
        if kind == 0:
            name = rng.choice(["brand", "org", "x1"])
            value = rng.choice(["Acme &amp; Sons", "Caspian Daily", "&#x41;BC"])
            cases.append('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY ' + name + ' "' +
                         value + '">\n]>\n' + rss20([f"<title>News of &{name};</title><link>"
                                                      "https://feed.example.test/1</link>"
                                                      f"<description>By &{name};.</description>"
                                                      ], decl=False).split("\n", 1)[-1])
        elif kind == 1:
            ref = rng.choice(["&#X41;", "&#x41;", "&#65;", "&#x42;&#X43;"])
            cases.append(rss20([f"<title>Letter {ref}</title><link>https://feed.example.test/"
                                f"</link><description>Say {ref}</description>"]))
        elif kind == 2:
            query = rng.choice(["?a=1&b=2&lang=en", "?id=5&copy=yes", "?x=1&amp;lang=fr"])
            cases.append(rss20([f"<title>Q</title><link>https://feed.example.test/p{query}</link>"
                                ]) if "&amp;" in query else None)
            if cases[-1] is None:  # a bare '&' in a link: not well-formed, recovered by both
                cases[-1] = rss20(["<title>Q</title><link>https://feed.example.test/p"
                                   + query + "</link>"])
        else:
            cases.append('<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY nbsp "&#160;">'
                         '<!ENTITY who "Reporter">]>\n' +
                         atom10(["<title>A&nbsp;B by &who;</title><id>urn:1</id><updated>"
                                 "2024-01-01T00:00:00Z</updated>"]).split("\n", 1)[-1])
    return cases


def gen_encodings(rng, n):
    """9: encodings. Returns bytes."""
    text = "Café — “quoted” 2024"
    cyr = "Новости экономики и политики страны"
    cases = []
    for k in range(n):
        kind = k % 6
        if kind == 0:
            enc = rng.choice(["utf-32-le", "utf-32-be"])
            doc = rss20([f"<title>{text}</title><link>https://feed.example.test/</link>"]
                        ).replace('encoding="utf-8"', 'encoding="utf-32"')
            data = doc.encode(enc)
            if rng.random() < 0.5:
                data = ("\ufeff").encode(enc) + data
            cases.append(data)
        elif kind == 1:
            doc = rss20(["<title>He said “hi” – twice…</title><link>https://feed.example.test/"
                         "</link>"]).replace('encoding="utf-8"', 'encoding="iso-8859-1"')
            cases.append(doc.encode("cp1252"))
        elif kind == 2:
            doc = rss20([f"<title>{cyr}</title><link>https://feed.example.test/</link>"
                         f"<description>{cyr}. {cyr}.</description>"], decl=False)
            cases.append(doc.encode(rng.choice(["cp1251", "koi8-r"])))
        elif kind == 3:
            doc = rss20([f"<title>{text}</title><link>https://feed.example.test/</link>"]
                        ).replace('encoding="utf-8"', 'encoding="utf-16"')
            cases.append(doc.encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be"])))
        elif kind == 4:
            doc = rss20(["<title>Ça va — très bien</title><link>https://feed.example.test/</link>"
                         ]).replace('encoding="utf-8"', 'encoding="windows-1252"')
            cases.append(doc.encode("cp1252"))
        else:
            doc = rss20([f"<title>Plain {text}</title><link>https://feed.example.test/</link>"])
            cases.append(doc.encode("utf-8"))
    return cases


def gen_namespaces(rng, n):
    """10: namespaces."""
    atom_uris = ["http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#draft-ietf-atompub-"
                 "format-09", "http://purl.org/atom/ns#draft-ietf-atompub-format-08"]
    entry = ("<{p}title>Entry</{p}title><{p}id>urn:1</{p}id><{p}updated>2024-01-01T00:00:00Z"
             '</{p}updated><{p}link href="https://feed.example.test/e"/>')
    cases = []
    for k in range(n):
        kind = k % 5
        if kind == 0:
            uri = rng.choice(atom_uris)
            cases.append(f'<feed xmlns="{uri}"><title>F</title><entry>{entry.format(p="")}'
                         "</entry></feed>")
        elif kind == 1:
            cases.append('<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>F'
                         f"</atom:title><atom:entry>{entry.format(p='atom:')}</atom:entry>"
                         "</atom:feed>")
        elif kind == 2:
            cases.append('<rss version="2.0" xmlns:x="urn:other"><channel><title>C</title>'
                         "<x:title>Not the title</x:title><item><x:title>Not it</x:title><title>"
                         "Real title</title><x:link>https://wrong.example.test/</x:link><link>"
                         "https://feed.example.test/ok</link><x:description>No</x:description>"
                         "<description>Yes</description></item></channel></rss>")
        elif kind == 3:
            cases.append(f'<rdf:RDF {NS["rdf"]} xmlns="http://my.netscape.com/rdf/simple/0.9/">'
                         "<channel><title>Old</title><link>https://feed.example.test/</link>"
                         "</channel><item><title>Item 090</title><link>https://feed.example.test"
                         "/i</link></item></rdf:RDF>")
        else:
            cases.append('<feed><title>No namespace</title><entry><title>E</title><id>urn:1'
                         '</id><link href="https://feed.example.test/e"/></entry></feed>')
    return cases


def gen_recovery(rng, n):
    """11: recovery."""
    good = ("<title>Kept</title><link>https://feed.example.test/1</link><description>Text"
            "</description>")
    cases = []
    for k in range(n):
        kind = k % 4
        if kind == 0:
            cases.append(rss20([good, "<title>Second <b>bold</i></title><link>https://feed.example"
                                ".test/2</link>"]))
        elif kind == 1:
            cases.append(rss20([good]).replace("</channel>", "</chanel>"))
        elif kind == 2:
            cases.append('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                         '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n' +
                         rss20([good], version="0.91", decl=False))
        else:
            cases.append(rss20([good, good.replace("Kept", "Also kept")]).replace(
                "</description></item></channel>", "</description></channel>"))
    return cases


CLASSES = {
    "markup": gen_markup, "atom03": gen_atom03_modes, "authors": gen_authors,
    "links": gen_links, "fallbacks": gen_fallbacks, "categories": gen_categories,
    "dates": gen_dates, "entities": gen_entities, "encodings": gen_encodings,
    "namespaces": gen_namespaces, "recovery": gen_recovery,
}

# ---------------------------------------------------------------- normalisation


# Elements that separate words: the white space between them is not text either parser must keep.
BLOCKS = {"p", "div", "br", "li", "pre", "ul", "ol", "dl", "dt", "dd", "blockquote", "table",
          "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "hr",
          "section", "article", "header", "footer", "aside", "details", "summary"}


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def collapse(text):
    return " ".join((text or "").split())


def html_text(markup):
    parser = _Text()
    parser.feed(markup or "")
    parser.close()
    return collapse("".join(parser.parts)), parser.links


def detail_text(value, detail):
    if detail is not None and detail.get("type") == "text/plain":
        return collapse(value)
    return html_text(value)[0]


def iso(struct):
    if not struct:
        return None
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % tuple(struct[:6])


def person(p):
    name, email = collapse(p.get("name")), collapse(p.get("email"))
    if name and email:
        return f"{name} <{email}>"
    return name or email


FORMATS = {"rss090": "rss0.9x", "rss091u": "rss0.9x", "rss091n": "rss0.9x", "rss092": "rss0.9x",
           "rss093": "rss0.9x", "rss094": "rss0.9x", "rss20": "rss2.0", "rss": "rss2.0",
           "rss10": "rss1.0", "atom03": "atom0.3", "atom10": "atom1.0", "atom": "atom1.0"}


def from_feedparser(data):
    try:
        d = feedparser.parse(data, response_headers={"content-location": BASE})
    except Exception:  # feedparser 6.0.10 raises on some ill-formed input (a character
        # reference out of range, an image height with a stray end tag): nothing to compare
        return None
    if not d.get("version") and not d.entries and not d.feed.get("title"):
        return None
    out = {"format": FORMATS.get(d.get("version"), d.get("version")),
           "title": detail_text(d.feed.get("title"), d.feed.get("title_detail")),
           "link": d.feed.get("link", ""), "items": []}
    for e in d.entries:
        content = e.get("content", [{}])[0].get("value") if e.get("content") else None
        text, links = html_text(content) if content is not None else (None, [])
        published = iso(e.get("published_parsed"))
        updated = iso(e.get("updated_parsed"))
        out["items"].append({
            "title": detail_text(e.get("title"), e.get("title_detail")),
            "summary": detail_text(e.get("summary"), e.get("summary_detail")),
            "content": text, "content_links": links,
            "link": e.get("link", ""),
            "authors": [a for a in (person(p) for p in e.get("authors", [])) if a],
            "published": published or updated, "updated": updated or published,
            "categories": [collapse(t.get("term") or t.get("label"))
                           for t in e.get("tags", []) if t.get("term") or t.get("label")],
        })
    return out


def from_newsmon(document):
    out = {"format": document["format"], "title": collapse(document["title"]),
           "link": document["link"], "items": []}
    for item in document["items"]:
        content = item["content_html"]
        text, links = html_text(content) if content is not None else (None, [])
        out["items"].append({
            "title": collapse(item["title"]), "summary": collapse(item["summary"]),
            "content": text, "content_links": links, "link": item["link"],
            "authors": item["authors"],
            "published": item["published"] or item["updated"],
            "updated": item["updated"] or item["published"],
            "categories": [collapse(c) for c in item["categories"]],
        })
    return out


# ---------------------------------------------------------------- known, justified differences
# (class, field, predicate(newsmon value, feedparser value) -> bool, reason). Fields are
# "format", "title", "link", "items" (the count) or "item.<key>".

KNOWN = [
    ("*", "item.link", lambda ours, theirs: ours == "" and re.match("(urn|tag):", theirs),
     "feedparser copies an Atom id to the link when there is none; an id names, it does not "
     "locate"),
    ("file", "item.link", lambda ours, theirs, data: ours == "" and
     re.search(rb"<(\w+:)?id[\s>]", data) and not re.search(rb"<(\w+:)?link[\s>]", data),
     "the same, for any id (resolved against the base when relative)"),
    ("file", "link", lambda ours, theirs, data: ours == "" and
     re.search(rb"<(\w+:)?id[\s>]", data) and not re.search(rb"<(\w+:)?link[\s>]", data),
     "the same, for the feed's id"),
    ("file", "item.link", lambda ours, theirs, data: "enclosure" in theirs and
     b'rel="alternate"' in data, "feedparser 6.0.10 takes a rel=enclosure link without href "
     "over the alternate one; its own test suite expects the alternate"),
    ("file", "title", lambda ours, theirs: ours.replace("\u27e8", "\u2329") == theirs,
     "&lang; is U+27E8 in HTML5's table (WHATWG), U+2329 in HTML 4's"),
    ("file", "item.authors", lambda ours, theirs, data: not theirs and ours and all(
        a.split(" <")[0].encode() in data for a in ours),
     "an Atom entry with no author has its feed's (RFC 4287, 4.2.1); feedparser leaves it "
     "empty"),
    ("file", "item.summary", lambda ours, theirs, data: ours and theirs and
     theirs[:40] in collapse(html.unescape(data.decode("utf-8", "replace"))),
     "several summary elements: newsmon takes the description first (then atom:summary, "
     "itunes:summary, ...), feedparser the last one in the document"),
    ("file", "link", lambda ours, theirs: ours == "" and re.match("(urn|tag):", theirs),
     "feedparser copies the feed's id to its link when it has none"),
    ("file", "item.content", lambda ours, theirs, data, item: ours is None and theirs and
     collapse(theirs)[:60] in item["summary"],
     "feedparser also files the summary's HTML as content; newsmon keeps it as the summary"),
    ("file", "item.content", lambda ours, theirs, data: ours and theirs and all(
        t[:40] in collapse(html.unescape(data.decode("utf-8", "replace"))) for t in (ours, theirs)),
     "a description and a summary element: newsmon's content is the other one, feedparser's "
     "the second in the document"),
    ("file", "item.updated", lambda ours, theirs, data: ours in all_dates(data) and
     theirs in all_dates(data), "pubDate and dc:date both given: newsmon's update time is the "
     "publication date, feedparser's dc:date"),
    ("file", "link", lambda ours, theirs, data: ours == "" and any(
        theirs in (i, urllib.parse.urljoin(BASE, i)) for i in ids_in(data)),
     "feedparser copies the feed's id to its link when it has no usable one"),
    ("file", "item.categories", lambda ours, theirs: ours == list(dict.fromkeys(theirs)),
     "a category given twice (category and itunes:category) is one"),
    ("file", "feed", lambda ours, theirs: ours == "parsed" and theirs == "not a feed",
     "feedparser raises or reads nothing (out-of-range references, stray end tags) where "
     "newsmon recovers"),
    ("markup", "item.content", lambda ours, theirs: "x+1" in theirs and "x+1" not in ours,
     "content_html drops foreign content (MathML, SVG) by the sanitizer's policy; its text is "
     "kept in the summary"),
    ("file", "item.content", lambda ours, theirs, data: without_foreign_text(theirs, data) == ours,
     "the same, in real feeds (an SVG logo's letters, a <title> inside xhtml content)"),
    ("file", "item.summary", lambda ours, theirs, data: without_foreign_text(theirs, data) ==
     ours, "the summary made of that content"),
    ("file", "item.content", lambda ours, theirs, data: ours is None and
     theirs.encode() in data and b"media:description" in data,
     "a picture's media:description is its caption: newsmon reads it as the summary only when "
     "the item has none, feedparser as content"),
    ("markup", "item.content_links", lambda ours, theirs: [u.replace("deeper/", "") for u in
                                                           ours] == theirs,
     "feedparser applies only the content element's xml:base, not one on an element inside "
     "(XML Base: every element's counts)"),
    ("entities", "item.title", lambda ours, theirs: re.search("&[a-z0-9]+;", theirs) and
     not re.search("&[a-z0-9]+;", ours),
     "feedparser leaves references to entities the internal DTD subset declares unexpanded "
     "(XML 1.0, 4.4.2: an internal entity is included)"),
    ("entities", "item.summary", lambda ours, theirs: re.search("&[a-z0-9]+", theirs) and
     not re.search("&[a-z0-9]+", ours), "the same, in the description"),
    ("encodings", "item.title", lambda ours, theirs: ours == theirs + "\u2026",
     "feedparser reads 0x85 in a feed labelled ISO-8859-1 as U+0085; WHATWG: the label means "
     "windows-1252, where 0x85 is an ellipsis"),
    ("encodings", "item.title", lambda ours, theirs: re.search("[\u0400-\u04ff]", ours) and
     not re.search("[\u0400-\u04ff]", theirs),
     "undeclared windows-1251/KOI8-R: feedparser falls back to windows-1252 (mojibake), "
     "newsmon detects the encoding"),
    ("encodings", "item.summary", lambda ours, theirs: re.search("[\u0400-\u04ff]", ours) and
     not re.search("[\u0400-\u04ff]", theirs), "the same, in the description"),
    ("links", "item.link", lambda ours, theirs: ours.endswith("/first") and
     theirs.endswith("/second"), "several <link> in an item: feedparser keeps the last, newsmon "
     "the first usable one"),
    ("dates", "item.published", lambda ours, theirs, data: ours == first_date(data, "published"),
     "several date elements: feedparser keeps the last, newsmon the first (a later one never "
     "overwrites the publication date)"),
    ("dates", "item.updated", lambda ours, theirs, data: ours == first_date(data, "updated"),
     "the same, and feedparser files dc:date as updated where newsmon reads it as the "
     "publication date when there is no pubDate"),
    ("fallbacks", "item.summary", lambda ours, theirs, data: ours and theirs and
     ours.encode() in data and theirs.encode() in data,
     "several summary elements: newsmon takes description, atom:summary, itunes:summary, "
     "media:description, dc:description in that order; feedparser by document order"),
    ("fallbacks", "item.content", lambda ours, theirs, data: theirs and theirs.encode() in data
     and (ours is None or ours.encode() in data),
     "feedparser moves a second summary element into content and takes the first content "
     "element; newsmon takes content:encoded, atom:content, xhtml:body in that order"),
    ("fallbacks", "item.published", lambda ours, theirs, data: ours in all_dates(data),
     "feedparser files dc:date and dcterms:modified both as updated, the later winning; "
     "newsmon reads dc:date as the publication date"),
    ("entities", "item.link", lambda ours, theirs: re.sub(
        "&(lang|copy)(?==)", lambda m: {"lang": "\u2329", "copy": "\u00a9"}[m.group(1)],
        ours) == theirs,
     "feedparser decodes '&lang' and '&copy' inside a query string as entities (HTML5 decodes "
     "no legacy entity before '=' in an attribute)"),
    ("fallbacks", "item.updated", lambda ours, theirs, data: ours in all_dates(data) | {
        utc(m.group(1)) for m in re.finditer(r"<dcterms:modified>(.*?)<", data.decode())},
     "feedparser files dc:date as the update time, the later of it and dcterms:modified "
     "winning; newsmon's is dcterms:modified, else the publication date"),
    ("*", "item.content", lambda ours, theirs: ours is not None and theirs is None,
     "newsmon keeps description HTML as content_html when it holds markup; feedparser only "
     "reports content elements"),
    ("*", "item.content", lambda ours, theirs: ours is None and theirs is not None and
     not theirs, "feedparser reports an empty content element"),
    ("*", "item.content_links", lambda ours, theirs: ours == [] or theirs == [] or
     len(ours) != len(theirs), "compared only where both parsers report the content"),
    ("*", "item.summary", lambda ours, theirs: not theirs and bool(ours),
     "newsmon falls back to the content for the summary (plain text) where feedparser leaves "
     "it empty"),
]


def without_foreign_text(text, data):
    """`text` less the text of the elements the sanitizer drops with their content (SVG, MathML,
    a <title> inside the content) anywhere in `data`, escaped or not."""
    source = html.unescape(re.sub(rb"<!\[CDATA\[(.*?)\]\]>", rb"\1", data, flags=re.S)
                           .decode("utf-8", "replace"))
    for m in re.finditer(r"<(svg|math|title)\b.*?</\1>", source, re.S):
        inner = html_text(m.group(0))[0]
        if inner:  # as whole words only: an SVG's "W" is not the first letter of a word
            text = collapse(re.sub(r"(?<!\S)" + re.escape(inner) + r"(?!\S)", " ", text,
                                   count=1))
    return text


def ids_in(data):
    """The text of every Atom id element in the document."""
    return [html.unescape(m.group(2).decode("utf-8", "replace")).strip()
            for m in re.finditer(rb"<(\w+:)?id[^>]*>(.*?)</", data, re.S)]


def utc(text):
    text = text.strip()
    try:
        instant = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        instant = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return instant.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def first_date(data, field):
    """The first date of the first item or entry as the spec reads it: the first element of
    each kind wins."""
    text = data.decode()
    entry = re.search(r"<(item|entry)[ >](.*?)</(item|entry)>", text, re.S).group(2)
    published = (re.search(r"<(published|pubDate)>(.*?)<", entry) or
                 re.search(r"<(dc:date|dcterms:issued)>(.*?)<", entry))
    fallback = re.search(r"<(updated)>(.*?)<", entry)
    if field == "published":
        return utc((published or fallback).group(2))
    updated = re.search(r"<(updated)>(.*?)<", entry)
    return utc((updated or published or fallback).group(2))


def all_dates(data):
    return {utc(m.group(2)) for m in re.finditer(r"<(dc:date|dcterms:issued|pubDate)>(.*?)<",
                                                 data.decode())}


def known(cls, field, ours, theirs, data, item=None):
    for k_cls, k_field, predicate, _ in KNOWN:
        if k_cls in ("*", cls) and k_field == field:
            try:
                arguments = (ours, theirs, data, item)[:predicate.__code__.co_argcount]
                if predicate(*arguments):
                    return True
            except (TypeError, KeyError, ValueError, AttributeError):
                pass
    return False


def compare(cls, ours, theirs, report_known, data):
    found = []

    def check(field, a, b, item=None):
        if a == b:
            return
        is_known = known(cls, field, a, b, data, item)
        if report_known or not is_known:
            found.append((field, a, b, is_known))

    if theirs is None:
        if ours is not None:
            check("feed", "parsed", "not a feed")
        return found
    if ours is None:
        return [("feed", "not a feed", "parsed", False)]
    for key in ("format", "title", "link"):
        check(key, ours[key], theirs[key])
    check("items", len(ours["items"]), len(theirs["items"]))
    for a, b in zip(ours["items"], theirs["items"]):
        for key in a:
            if key == "content_links" and (a["content"] is None or b["content"] is None):
                continue
            check("item." + key, a[key], b[key], a)
    return found


def run_newsmon(binary, documents):
    """Every document through parse_feeds (parsers::parse_feed, as `newsmon parse` calls it)."""
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for k, data in enumerate(documents):
            paths.append(os.path.join(directory, f"{k}.xml"))
            with open(paths[-1], "wb") as f:
                f.write(data)
        proc = subprocess.run([binary, BASE] + paths, capture_output=True, timeout=60,
                              check=True)
    results = [json.loads(line) for line in proc.stdout.decode().split("\n") if line]
    assert len(results) == len(documents), proc.stderr
    return [(None, r["error"]) if "error" in r and "items" not in r else (r, None)
            for r in results]


def read_files(paths):
    """(path, bytes) of each file named, and of every *.xml under each directory named."""
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in sorted(os.walk(path)):
                for name in sorted(names):
                    if name.endswith(".xml"):
                        with open(os.path.join(root, name), "rb") as f:
                            yield os.path.join(root, name), f.read()
        else:
            with open(path, "rb") as f:
                yield path, f.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--per-class", type=int, default=16)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--files", nargs="+", default=[])
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = [(path, "file", data) for path, data in read_files(args.files)]
    for cls, generate in (CLASSES.items() if not args.files else ()):
        if args.only and cls != args.only:
            generate(rng, args.per_class)  # keeps the seed's sequence the same
            continue
        for k, doc in enumerate(generate(rng, args.per_class)):
            data = doc if isinstance(doc, bytes) else doc.encode("utf-8")
            cases.append((f"{cls}-{k}", cls, data))

    failures = total = 0
    parsed = run_newsmon(args.binary, [data for _, _, data in cases])
    for (name, cls, data), (document, error) in zip(cases, parsed):
        ours = from_newsmon(document) if document is not None else None
        theirs = from_feedparser(data)
        diffs = compare(cls, ours, theirs, args.all, data)
        unexplained = [d for d in diffs if not d[3]]
        total += len(diffs)
        failures += len(unexplained)
        for field, a, b, is_known in (diffs if args.all else unexplained):
            print(f"{name} {field}{' (known)' if is_known else ''}: newsmon {a!r} "
                  f"feedparser {b!r}")
        if (unexplained and args.verbose) or (error and theirs is not None):
            print(f"  input: {data[:600]!r}\n  newsmon error: {error}")
    print(f"{len(cases)} feeds, {total} disagreement(s), {failures} unexplained")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
