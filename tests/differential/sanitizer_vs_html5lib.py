#!/usr/bin/python3
"""The sanitizer checked by two HTML tokenizers written apart from newsmon's.

Hostile fragments (tags split by every kind of white space, event handlers, obfuscated URL
schemes, raw-text and foreign elements, broken comments) go into a JSON Feed and an RSS feed
as their content; `newsmon parse --json` reads them; html5lib (the HTML5 parsing algorithm,
foreign content included) and Python's html.parser re-read every content_html. Neither may
find an element, attribute or URL scheme outside the allow-list, nor a comment.

usage: sanitizer_vs_html5lib.py NEWSMON_BINARY [--cases N] [--seed S]
"""
import argparse
import html.parser
import json
import random
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

import html5lib

# The policy as the README documents it, written here on its own.
ELEMENTS = set("""a abbr address article aside audio b bdi bdo blockquote br caption center cite
code col colgroup dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6
header hr i img ins kbd li main mark ol p pre q rp rt ruby s samp section small source span
strike strong sub summary sup table tbody td tfoot th thead time tr tt u ul var video
wbr""".split())
GLOBAL_ATTRIBUTES = {"dir", "lang", "title"}
ATTRIBUTES = {
    "a": {"href", "hreflang"}, "audio": {"controls", "loop", "muted", "preload", "src"},
    "blockquote": {"cite"}, "col": {"span"}, "colgroup": {"span"}, "del": {"cite", "datetime"},
    "details": {"open"}, "img": {"alt", "height", "src", "width"},
    "ins": {"cite", "datetime"}, "li": {"value"}, "ol": {"reversed", "start", "type"},
    "q": {"cite"}, "source": {"src", "type"},
    "td": {"align", "colspan", "headers", "rowspan", "valign"},
    "th": {"abbr", "align", "colspan", "headers", "rowspan", "scope", "valign"},
    "time": {"datetime"}, "ul": {"type"},
    "video": {"controls", "height", "loop", "muted", "poster", "preload", "src", "width"},
}
URL_ATTRIBUTES = {"cite", "href", "poster", "src"}
# Elements html5lib adds while building a tree from allowed ones.
IMPLIED = {"tbody"}


def scheme_of(url):
    """The scheme as the WHATWG URL parser reads it, or None for a relative reference."""
    url = url.strip("".join(chr(c) for c in range(0x21)))
    url = re.sub("[\t\n\r]", "", url)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def url_allowed(element, attribute, url):
    scheme = scheme_of(url)
    if scheme in (None, "http", "https"):
        return True
    if scheme == "mailto":
        return attribute == "href"
    if scheme == "data":
        compact = re.sub(r"[\x00-\x20]", "", url).lower()
        return element == "img" and attribute == "src" and re.match(
            r"data:image/(png|jpeg|gif|webp)[;,]", compact) is not None
    return False


def check_attributes(element, attributes, problems, where):
    for name, value in attributes:
        if name not in GLOBAL_ATTRIBUTES and name not in ATTRIBUTES.get(element, set()):
            problems.append(f"{where}: attribute {name!r} on <{element}>")
        elif name in URL_ATTRIBUTES and not url_allowed(element, name, value or ""):
            problems.append(f"{where}: URL {value!r} in {name} on <{element}>")


def check_with_html5lib(fragment, problems):
    tree = html5lib.parseFragment(fragment, treebuilder="etree", namespaceHTMLElements=False)
    for node in tree.iter():
        if node is tree:
            continue
        if node.tag is ElementTree.Comment or not isinstance(node.tag, str):
            problems.append("html5lib: a comment")
            continue
        if node.tag.startswith("{") or (node.tag not in ELEMENTS and node.tag not in IMPLIED):
            problems.append(f"html5lib: element <{node.tag}>")
            continue
        check_attributes(node.tag, [(str(k), v) for k, v in node.attrib.items()], problems,
                         "html5lib")


class StdlibChecker(html.parser.HTMLParser):
    def __init__(self, problems):
        super().__init__(convert_charrefs=True)
        self.problems = problems

    def handle_starttag(self, tag, attrs):
        if tag not in ELEMENTS:
            self.problems.append(f"html.parser: element <{tag}>")
        else:
            check_attributes(tag, attrs, self.problems, "html.parser")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append("html.parser: a comment")


# Pieces of hostile markup.
TAGS = ["p", "a", "img", "b", "i", "details", "table", "td", "tr", "div", "span", "video",
        "svg", "math", "mtext", "foreignObject", "script", "SCRIPT", "ScRiPt", "style", "xmp",
        "plaintext", "noscript", "iframe", "template", "textarea", "title", "portal", "object",
        "embed", "form", "input", "button", "select", "option", "font", "my-el", "base", "meta",
        "link", "frameset", "noembed", "noframes", "listing", "image", "isindex", "source"]
SEPARATORS = [" ", "\t", "\n", "\r", "\f", "/", "\v", "\x00", "", "//", " / ", "\r\n"]
NAMES = ["onerror", "onload", "ontoggle", "onclick", "onmouseover", "href", "src", "style",
         "class", "id", "srcset", "formaction", "xlink:href", "open", "title", "=onerror",
         "on\x00error", '"onerror', "'x", "poster", "cite", "action", "background", "lang",
         "HREF", "SRC", "OnErRoR", "data", "alt", "colspan", "x"]
VALUES = ["javascript:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
          " javascript:alert(1)", "\x01javascript:alert(1)", "JAVASCRIPT:alert(1)",
          "data:text/html,<script>alert(1)</script>", "data:image/png;base64,AAAA",
          "data:image/svg+xml,<svg onload=alert(1)>", "vbscript:x", "https://ok.example.test/",
          "/rel?a=1&b=2", "mailto:desk@example.test", "x", "\">", "'><img src=x onerror=alert(1)>",
          "&quot;onerror=alert(1)", "javascript&colon;alert(1)", "&#x6A;avascript:alert(1)",
          "java&#x0A;script:alert(1)", "&#0;javascript:alert(1)", "//evil.example.test/x",
          "feed:javascript:alert(1)", "alert(1)", ""]
OTHER = ["<!--", "-->", "--!>", "<!-->", "<!--->", "<!", "<?", "</", "</ x>", "</>",
         "<![CDATA[", "]]>", "&lt;", "&amp;", "&#12;", "<", ">", "\"", "'", "=", "text ",
         "Baku ", "НАТО ", "&", "&#x3C;script&#x3E;", "<<", "</p", "</script", "</noscript>",
         "</xmp>", "</title>", "</style>", "</textarea>"]


def attribute(rng):
    name = rng.choice(NAMES)
    form = rng.randrange(5)
    value = rng.choice(VALUES)
    if form == 0:
        return name
    if form == 1:
        return f"{name}={value.replace(' ', '')}"
    quote = rng.choice(["\"", "'"])
    if form == 4:  # a quote left open, or the other quote inside
        return f"{name}={quote}{value}"
    return f"{name}{rng.choice(['', ' '])}={rng.choice(['', ' '])}{quote}{value}{quote}"


def tag(rng):
    name = rng.choice(TAGS)
    if rng.random() < 0.2:
        return f"</{name}{rng.choice(SEPARATORS)}>"
    parts = [f"<{name}"]
    for _ in range(rng.randrange(4)):
        parts.append(rng.choice(SEPARATORS) or " ")
        parts.append(attribute(rng))
    parts.append(rng.choice(["", " ", "/", "\f", "\t"]))
    if rng.random() < 0.95:
        parts.append(">")
    return "".join(parts)


def fragment(rng):
    pieces = []
    for _ in range(rng.randrange(1, 14)):
        pieces.append(tag(rng) if rng.random() < 0.6 else rng.choice(OTHER))
    return "".join(pieces)


def xml_text(text):
    out = []
    for c in text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"):
        out.append(f"&#{ord(c)};" if ord(c) < 0x20 and c not in "\t\n\r" else c)
    return "".join(out)


def feeds(fragments):
    """The fragments as a JSON Feed (raw) and an RSS feed (escaped: controls as references)."""
    json_feed = {"version": "https://jsonfeed.org/version/1.1", "title": "t",
                 "home_page_url": "https://news.example.test/",
                 "items": [{"id": str(i), "url": f"https://news.example.test/a/{i}",
                            "content_html": f} for i, f in enumerate(fragments)]}
    items = "".join(
        f"<item><guid>g{i}</guid><link>https://news.example.test/a/{i}</link>"
        f"<content:encoded>{xml_text(f.replace(chr(0), ''))}</content:encoded></item>"
        for i, f in enumerate(fragments))
    rss = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
           f"<link>https://news.example.test/</link>{items}</channel></rss>")
    return {"json": json.dumps(json_feed), "xml": rss}


def parse(binary, text, suffix):
    with tempfile.NamedTemporaryFile("w", suffix=suffix, encoding="utf-8") as file:
        file.write(text)
        file.flush()
        done = subprocess.run([binary, "parse", "--json", file.name], capture_output=True,
                              text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"newsmon parse failed ({done.returncode}): {done.stderr.strip()}")
    return [item.get("content_html") or "" for item in json.loads(done.stdout)["items"]]


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("binary")
    arguments.add_argument("--cases", type=int, default=1500)
    arguments.add_argument("--seed", type=int, default=20261202)
    options = arguments.parse_args()
    rng = random.Random(options.seed)
    fragments = [fragment(rng) for _ in range(options.cases)]
    passed = failed = 0
    for kind, text in feeds(fragments).items():
        outputs = parse(options.binary, text, "." + kind)
        if len(outputs) != len(fragments):
            sys.exit(f"{kind}: {len(outputs)} items read of {len(fragments)}")
        for source, output in zip(fragments, outputs):
            problems = []
            check_with_html5lib(output, problems)
            checker = StdlibChecker(problems)
            checker.feed(output)
            checker.close()
            if problems:
                failed += 1
                if failed <= 10:
                    print(f"{kind} input:  {source!r}\n{kind} output: {output!r}")
                    for problem in problems:
                        print(f"  {problem}")
            else:
                passed += 1
    print(f"sanitizer: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
