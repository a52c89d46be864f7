// Property: arbitrary Unicode in titles, names, tags, summaries and bodies gives well-formed XML and valid JSON in
// every format, and reads back as the same text apart from the characters XML 1.0 forbids.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Article, Feed } from "../../src/core/model.ts";
import { cleanText as cleanXmlChars } from "../../src/core/text.ts";
import { atom } from "../../src/formats/atom.ts";
import { renderFeed } from "../../src/formats/index.ts";
import { jsonFeed } from "../../src/formats/json-feed.ts";
import { rss } from "../../src/formats/rss.ts";
import { childrenNamed, childText, parseXml } from "../support/xml-tree.ts";

const nasty = fc.constantFrom(
  "]]>",
  "]]",
  "<INSTC>",
  "Q&A",
  "&amp;",
  "\u0000",
  "\u0001",
  "\uD800",
  "\uDFFF",
  "\uFFFE",
  "\r\n",
  "\r",
  '"',
  "'",
  "<![CDATA[",
  "-->",
  "\u2028",
  "😀",
);
const text = fc
  .array(fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), nasty), { maxLength: 6 })
  .map((parts) => parts.join(""));
const nonEmpty = text.filter((s) => cleanXmlChars(s).trim().length > 0);

const article = fc.record({
  title: nonEmpty,
  summary: text,
  html: text,
  authors: fc.array(nonEmpty, { minLength: 1, maxLength: 3 }),
  tags: fc.uniqueArray(nonEmpty, { maxLength: 3 }),
  section: fc.option(nonEmpty, { nil: undefined }),
});

type ArbitraryArticle = typeof article extends fc.Arbitrary<infer T> ? T : never;

function feedOf(items: ArbitraryArticle[]): Feed {
  const published = new Date("2025-04-28T13:10:00Z");
  return {
    head: {
      title: "Property feed",
      description: "d",
      language: "en",
      homeUrl: "https://news.example.com/",
      siteUrl: "https://news.example.com/",
      self: {
        rss: "https://news.example.com/rss.xml",
        atom: "https://news.example.com/atom.xml",
        json: "https://news.example.com/feed.json",
      },
      id: "https://news.example.com/atom.xml",
      publisher: { key: "publisher", name: "Pub", url: "https://news.example.com/" },
      hubs: [],
    },
    updated: published,
    items: items.map(
      (a, i): Article => ({
        file: `${i}.md`,
        slug: `a${i}`,
        id: `https://news.example.com/articles/a${i}`,
        idIsUrl: true,
        title: a.title,
        url: `https://news.example.com/articles/a${i}`,
        siteUrl: "https://news.example.com/",
        published,
        updated: published,
        authors: a.authors.map((name, k) => ({ key: `k${k}`, name })),
        section: a.section,
        tags: a.tags,
        summary: a.summary,
        html: a.html,
      }),
    ),
  };
}

// What a conforming XML parser gives back: forbidden characters gone, CDATA line ends normalised (XML §2.11).
const asXmlText = (s: string) => cleanXmlChars(s);
const asCdata = (s: string) => cleanXmlChars(s).replace(/\r\n?/g, "\n");
const decodeHtmlText = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

const RUNS = { numRuns: 150 };

describe("arbitrary text in every format", () => {
  it("RSS is well-formed and reads back the same text", () => {
    fc.assert(
      fc.property(fc.array(article, { minLength: 1, maxLength: 3 }), (items) => {
        const feed = feedOf(items);
        const channel = childrenNamed(parseXml(renderFeed(rss, feed)), "channel")[0]!;
        childrenNamed(channel, "item").forEach((item, i) => {
          const a = feed.items[i]!;
          expect(childText(item, "title")).toBe(asXmlText(a.title));
          expect(childrenNamed(item, "dc:creator").map((n) => n.text)).toEqual(a.authors.map((x) => asXmlText(x.name)));
          expect(childrenNamed(item, "category").map((n) => n.text)).toEqual([...(a.section ? [a.section] : []), ...a.tags].map(asXmlText));
          expect(decodeHtmlText(childText(item, "description")!)).toBe(asXmlText(a.summary));
          expect(childText(item, "content:encoded")).toBe(asCdata(a.html));
        });
      }),
      RUNS,
    );
  });

  it("Atom is well-formed and reads back the same text", () => {
    fc.assert(
      fc.property(fc.array(article, { minLength: 1, maxLength: 3 }), (items) => {
        const feed = feedOf(items);
        childrenNamed(parseXml(renderFeed(atom, feed)), "entry").forEach((entry, i) => {
          const a = feed.items[i]!;
          expect(childText(entry, "title")).toBe(asXmlText(a.title));
          expect(childrenNamed(entry, "author").map((n) => childText(n, "name"))).toEqual(a.authors.map((x) => asXmlText(x.name)));
          expect(childrenNamed(entry, "category").map((n) => n.attrs.term)).toEqual(
            [...(a.section ? [a.section] : []), ...a.tags].map(asXmlText),
          );
          expect(childText(entry, "summary")).toBe(asXmlText(a.summary));
          expect(childText(entry, "content")).toBe(asCdata(a.html));
        });
      }),
      RUNS,
    );
  });

  it("JSON Feed is valid JSON and carries the same text as RSS and Atom in every field", () => {
    fc.assert(
      fc.property(fc.array(article, { minLength: 1, maxLength: 3 }), (items) => {
        const feed = feedOf(items);
        const doc = JSON.parse(renderFeed(jsonFeed, feed)) as {
          title: string;
          items: { title: string; summary: string; content_html: string; authors: { name: string }[]; tags?: string[] }[];
        };
        const rssItems = childrenNamed(childrenNamed(parseXml(renderFeed(rss, feed)), "channel")[0]!, "item");
        const atomEntries = childrenNamed(parseXml(renderFeed(atom, feed)), "entry");
        doc.items.forEach((item, i) => {
          const a = feed.items[i]!;
          const [r, e] = [rssItems[i]!, atomEntries[i]!];
          expect(item.title).toBe(asXmlText(a.title));
          expect(item.title).toBe(childText(r, "title"));
          expect(item.title).toBe(childText(e, "title"));
          expect(item.summary).toBe(decodeHtmlText(childText(r, "description")!));
          expect(item.summary).toBe(childText(e, "summary"));
          // XML line-end handling (§2.11) turns CR LF into LF inside CDATA; HTML reads both as the same whitespace.
          expect(item.content_html.replace(/\r\n?/g, "\n")).toBe(childText(r, "content:encoded"));
          expect(item.content_html.replace(/\r\n?/g, "\n")).toBe(childText(e, "content"));
          expect(item.authors.map((x) => x.name)).toEqual(childrenNamed(r, "dc:creator").map((n) => n.text));
          expect(item.authors.map((x) => x.name)).toEqual(childrenNamed(e, "author").map((n) => childText(n, "name")));
          expect(item.tags ?? []).toEqual([...new Set([...(a.section ? [a.section] : []), ...a.tags])].map(asXmlText));
        });
      }),
      RUNS,
    );
  });
});
