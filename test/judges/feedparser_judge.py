"""Reads a feed with the Universal Feed Parser and prints what it understood, as JSON (a judge the project did not write).

With --loose, feedparser's loose (SGML) parser reads it instead of the strict XML one, as rss2email has it read feeds
(rss2email sets PREFERRED_XML_PARSERS to none).
"""
import calendar
import json
import sys

import feedparser


def iso(parsed):
    if not parsed:
        return None
    return calendar.timegm(parsed)


def main(path, loose=False):
    if loose:
        feedparser.api.PREFERRED_XML_PARSERS = []
    with open(path, "rb") as handle:
        data = handle.read()
    d = feedparser.parse(data)
    out = {
        "bozo": d.bozo,
        "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.version,
        "feed": {
            "title": d.feed.get("title"),
            "link": d.feed.get("link"),
            "language": d.feed.get("language"),
            "updated": iso(d.feed.get("updated_parsed")),
            "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in d.feed.get("links", [])],
            "image": (d.feed.get("image") or {}).get("href"),
            "icon": d.feed.get("icon"),
            "logo": d.feed.get("logo"),
            "rights": d.feed.get("rights"),
        },
        "entries": [],
    }
    for e in d.entries:
        out["entries"].append({
            "title": e.get("title"),
            "title_type": e.get("title_detail", {}).get("type"),
            "link": e.get("link"),
            "id": e.get("id"),
            "guidislink": e.get("guidislink"),
            "published": iso(e.get("published_parsed")),
            "updated": iso(e.get("updated_parsed")),
            "authors": [{"name": a.get("name"), "email": a.get("email")} for a in e.get("authors", [])],
            "enclosures": [{"href": x.get("href"), "length": x.get("length"), "type": x.get("type")} for x in e.get("enclosures", [])],
            "tags": [t.get("term") for t in e.get("tags", [])],
            "summary": e.get("summary"),
            "summary_type": (e.get("summary_detail") or {}).get("type"),
            "summary_detail": (e.get("summary_detail") or {}).get("value"),
            "content": [c.get("value") for c in e.get("content", [])],
            "media_content": e.get("media_content", []),
            "media_thumbnail": e.get("media_thumbnail", []),
            "media_credit": e.get("media_credit", []),
            "language": e.get("language") or (e.get("title_detail") or {}).get("language"),
        })
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[-1], loose="--loose" in sys.argv[1:-1])
