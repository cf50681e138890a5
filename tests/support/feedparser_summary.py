#!/usr/bin/python3
"""What feedparser, the liberal feed parser, reads from a feed file, as JSON on stdout.

Whether it found the document well-formed (bozo false), the feed's title, id and self link,
and each entry's id, title, link, author, summary, dates and tags, for tests that check a
feed newsmon writes with a parser written apart from newsmon.

usage: feedparser_summary.py FILE
"""
import json
import sys

import feedparser


def main():
    parsed = feedparser.parse(sys.argv[1])
    feed = parsed.feed
    print(json.dumps({
        "bozo": bool(parsed.bozo),
        "bozo_exception": str(parsed.get("bozo_exception", "")),
        "version": parsed.get("version", ""),
        "title": feed.get("title", ""),
        "id": feed.get("id", ""),
        "self": [link.get("href") for link in feed.get("links", []) if link.get("rel") == "self"],
        "entries": [{
            "id": entry.get("id", ""),
            "title": entry.get("title", ""),
            "link": entry.get("link", ""),
            "author": entry.get("author", ""),
            "summary": entry.get("summary", ""),
            "published": entry.get("published", ""),
            "updated": entry.get("updated", ""),
            "tags": [tag.get("term") for tag in entry.get("tags", [])],
        } for entry in parsed.entries],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
