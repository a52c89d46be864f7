// Independent judges read our feeds: the Universal Feed Parser (RSS, Atom), xmllint, feedsmith (all three formats),
// and the JSON Feed 1.1 schema. Expected values come from the format-neutral model, not from our renderers.
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { beforeAll, describe, expect, it } from "vitest";
import type { Article, Feed } from "../../src/core/model.ts";
import { cleanText as cleanXmlChars } from "../../src/core/text.ts";
import { fixtureFeed, served } from "../support/feeds.ts";
import { feedparser, jsonFeedSchemaErrors, type Parsed, xmllint } from "../support/judges.ts";

// The bytes the routes serve; the expected facts come from the model the planner built them from.
let feed: Feed;
const body: Record<"rss" | "atom" | "json", string> = { rss: "", atom: "", json: "" };
let rss: Parsed;
let atom: Parsed;
beforeAll(async () => {
  feed = await fixtureFeed();
  body.rss = await served("/rss.xml");
  body.atom = await served("/atom.xml");
  body.json = await served("/feed.json");
  rss = feedparser(body.rss);
  atom = feedparser(body.atom);
});

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const decodeHtml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
const categories = (a: Article) => [...(a.section ? [a.section] : []), ...a.tags];

describe("fixture coverage", () => {
  it("has the cases the judges must see", () => {
    expect(feed.items.length).toBe(5);
    expect(feed.items.some((a) => a.image?.type === "image/webp" && a.image.url.endsWith(".jpg"))).toBe(true);
    expect(feed.items.some((a) => a.authors.length > 1)).toBe(true);
    expect(feed.items.some((a) => a.lang === "fa")).toBe(true);
    expect(feed.items.some((a) => a.title.includes("<INSTC>"))).toBe(true);
  });
});

describe.each([
  ["RSS 2.0", () => rss, "rss20"],
  ["Atom 1.0", () => atom, "atom10"],
] as const)("Universal Feed Parser reads %s", (_name, parsed, version) => {
  it("without complaint (bozo == 0) as the right version", () => {
    expect(parsed().bozo_exception).toBe("");
    expect(parsed().bozo).toBe(false);
    expect(parsed().version).toBe(version);
  });

  it("with the feed's title, language, updated time and self link", () => {
    const p = parsed();
    expect(p.feed.title).toBe(feed.head.title);
    expect(p.feed.language).toBe(feed.head.language);
    expect(p.feed.updated).toBe(seconds(feed.updated));
    expect(p.feed.links).toContainEqual({ rel: "self", href: version === "rss20" ? feed.head.self.rss : feed.head.self.atom });
  });

  it("with every item's title as plain text, link, id and dates", () => {
    const p = parsed();
    expect(p.entries.map((e) => e.title)).toEqual(feed.items.map((a) => cleanXmlChars(a.title)));
    expect(p.entries.every((e) => e.title_type === "text/plain")).toBe(true);
    expect(p.entries.map((e) => e.link)).toEqual(feed.items.map((a) => a.url));
    expect(p.entries.map((e) => e.id)).toEqual(feed.items.map((a) => a.id));
    expect(p.entries.map((e) => e.published)).toEqual(feed.items.map((a) => seconds(a.published)));
    if (version === "atom10") expect(p.entries.map((e) => e.updated)).toEqual(feed.items.map((a) => seconds(a.updated)));
  });

  it("with every author's name, and e-mails only where authors.yaml makes them public", () => {
    const p = parsed();
    expect(feed.items.some((a) => a.authors.some((x) => x.publicEmail))).toBe(true);
    feed.items.forEach((article, i) => {
      const entry = p.entries[i]!;
      const names = [...new Set(entry.authors.map((a) => a.name))];
      expect(names).toEqual(article.authors.map((a) => a.name));
      // RSS allows one <author> (the first with a public e-mail); Atom carries every public e-mail.
      const shown = version === "rss20" ? article.authors.filter((a) => a.publicEmail).slice(0, 1) : article.authors;
      // A known limit of feedparser's Atom reading: an author without an e-mail inherits the one before it
      // (mixin.py, _sync_author_detail, parses the previous `author` string when a new author starts).
      let previous: string | undefined;
      const inherited = shown.flatMap((a) => {
        previous = a.publicEmail ?? previous;
        return previous ? [{ name: a.name, email: previous }] : [];
      });
      expect(entry.authors.filter((a) => a.email)).toEqual(inherited);
    });
  });

  it("with the lead image as an enclosure of the measured type and length", () => {
    const p = parsed();
    feed.items.forEach((article, i) => {
      const enclosures = p.entries[i]!.enclosures;
      if (!article.image) {
        expect(enclosures).toEqual([]);
        return;
      }
      expect(enclosures).toHaveLength(1);
      expect(enclosures[0]!.href).toBe(article.image.url);
      expect(enclosures[0]!.type).toBe(article.image.type);
      const expectedLength = article.image.length ?? (version === "rss20" ? 0 : null);
      expect(enclosures[0]!.length).toBe(expectedLength === null ? null : String(expectedLength));
    });
  });

  it("with Media RSS content for the lead image, then every image of the body, a thumbnail and credits", () => {
    const p = parsed();
    feed.items.forEach((article, i) => {
      const entry = p.entries[i]!;
      const images = [...(article.image ? [article.image] : []), ...(article.inlineImages ?? [])];
      expect(entry.media_content.map((m) => m.url)).toEqual(images.map((image) => image.url));
      images.forEach((image, n) => {
        expect(entry.media_content[n]).toMatchObject({ url: image.url, medium: "image" });
        if (image.width) expect(entry.media_content[n]!.width).toBe(String(image.width));
        if (image.length) expect(entry.media_content[n]!.filesize).toBe(String(image.length));
      });
      expect(entry.media_credit.map((c) => c.content)).toEqual(images.flatMap((image) => (image.credit ? [image.credit] : [])));
      if (article.image) expect(entry.media_thumbnail).toEqual([expect.objectContaining({ url: article.image.url })]);
    });
  });

  it("with the body's images announced in document order after the lead image (written here by hand)", () => {
    const caspian = parsed().entries.find((e) => e.id === "tag:thenewregion.com,2025:caspian-corridor")!;
    expect(caspian.media_content).toEqual([
      expect.objectContaining({ url: "https://news.example.com/images/caspian-port.jpg", type: "image/webp", width: "800" }),
      expect.objectContaining({
        url: "https://news.example.com/images/pezeshkian-aliyev-baku.jpg",
        type: "image/jpeg",
        filesize: "19279",
        width: "1200",
        height: "675",
      }),
    ]);
    expect(caspian.media_credit.map((c) => c.content)).toEqual(["Illustration: The New Region", "Handout / Azerbaijani presidency / AFP"]);
    // Enclosures stay one per item: the lead image.
    expect(caspian.enclosures.map((e) => e.href)).toEqual(["https://news.example.com/images/caspian-port.jpg"]);
    const q = parsed().entries.find((e) => e.id === "https://news.example.com/articles/q-and-a-instc")!;
    expect(q.media_content.map((m) => m.url)).toEqual(["https://news.example.com/articles/x.png"]);
    expect(q.enclosures).toEqual([]);
  });

  it.each([
    ["strict", false],
    ["loose (as rss2email reads feeds)", true],
  ])("with the article's summary as summary and summary_detail, never the caption, in its %s parser", (_parser, loose) => {
    const entries = feedparser(version === "rss20" ? body.rss : body.atom, { loose }).entries;
    const captions = feed.items.flatMap((a) =>
      [a.image, ...(a.inlineImages ?? [])].flatMap((image) => (image?.caption ? [image.caption] : [])),
    );
    expect(captions.length).toBeGreaterThan(1);
    expect(entries.map((e) => decodeHtml(e.summary))).toEqual(feed.items.map((a) => cleanXmlChars(a.summary)));
    expect(entries.map((e) => decodeHtml(e.summary_detail ?? ""))).toEqual(feed.items.map((a) => cleanXmlChars(a.summary)));
    for (const entry of entries) expect(captions).not.toContain(decodeHtml(entry.summary_detail ?? ""));
  });

  it("with sections and tags as categories, summary and full content", () => {
    const p = parsed();
    feed.items.forEach((article, i) => {
      const entry = p.entries[i]!;
      expect(entry.tags).toEqual(categories(article));
      expect(decodeHtml(entry.summary)).toBe(cleanXmlChars(article.summary));
      expect(entry.content[0]).toContain(article.image ? `src="${article.image.url}"` : "<p>");
    });
  });

  it("with the article's summary, never the photo caption, for every item with a captioned photo (feedparser #53)", () => {
    const captioned = feed.items.flatMap((article, i) => (article.image?.caption ? [[article, i] as const] : []));
    expect(captioned.length).toBeGreaterThan(0);
    for (const [article, i] of captioned) {
      const summary = decodeHtml(parsed().entries[i]!.summary);
      expect(summary).toBe(cleanXmlChars(article.summary));
      expect(summary).not.toBe(article.image!.caption);
    }
  });

  it("with each item's own language where it differs from the feed's", () => {
    const p = parsed();
    feed.items.forEach((article, i) => {
      if (article.lang) expect(p.entries[i]!.language).toBe(article.lang);
    });
  });
});

describe("e-mail addresses", () => {
  // test/fixtures/content/authors.yaml: Sara Ahmadi's address is marked `email_public: true`, James Okafor's is not.
  const PUBLIC = "sara.ahmadi@example.com";
  const PRIVATE = "james.okafor@example.org";

  it.each(["rss", "atom", "json"] as const)("%s: a private address is nowhere in the bytes, though its author is named", (format) => {
    expect(body[format]).toContain("James Okafor");
    expect(body[format]).not.toContain(PRIVATE);
  });

  it("a public one is in the form each format defines: RSS `email (Name)`, Atom <email>, none in JSON Feed (it has no field)", () => {
    expect(body.rss).toContain(`<author>${PUBLIC} (Sara Ahmadi)</author>`);
    expect(body.atom).toContain(`<email>${PUBLIC}</email>`);
    expect(body.json).not.toContain(PUBLIC);
  });
});

describe("xmllint", () => {
  it.each([
    ["rss.xml", () => body.rss],
    ["atom.xml", () => body.atom],
  ])("finds %s well-formed", (_name, render) => {
    expect(xmllint(render())).toBe("");
  });
});

describe("feedsmith (npm) reads all three formats", () => {
  it("RSS: titles, guids, dates, creators, enclosures", () => {
    const parsed = parseRssFeed(body.rss);
    expect(parsed.items?.map((i) => i.title)).toEqual(feed.items.map((a) => cleanXmlChars(a.title)));
    parsed.items?.forEach((item, i) => {
      const article = feed.items[i]!;
      expect(item.guid).toEqual({ value: article.id, isPermaLink: article.idIsUrl });
      expect(new Date(item.pubDate!).getTime()).toBe(article.published.getTime());
      expect(item.dc?.creators).toEqual(article.authors.map((a) => a.name));
      expect(item.enclosures?.[0]?.type).toBe(article.image?.type);
    });
  });

  it("Atom: ids, dates, authors, enclosure links, text titles", () => {
    const parsed = parseAtomFeed(body.atom);
    parsed.entries?.forEach((entry, i) => {
      const article = feed.items[i]!;
      expect(entry.id).toBe(article.id);
      expect(entry.title).toEqual({ type: "text", value: cleanXmlChars(article.title) });
      expect(new Date(entry.published!).getTime()).toBe(article.published.getTime());
      expect(new Date(entry.updated!).getTime()).toBe(article.updated.getTime());
      expect(entry.authors?.map((a) => a.name)).toEqual(article.authors.map((a) => a.name));
      const enclosure = entry.links?.find((l) => l.rel === "enclosure");
      expect(enclosure?.type).toBe(article.image?.type);
      expect(entry.categories?.every((c) => typeof c.term === "string" && c.term.length > 0)).toBe(true);
    });
  });

  it("JSON Feed: items, authors, attachments, language", () => {
    const items = parseJsonFeed(JSON.parse(body.json)).items ?? [];
    expect(items.map((i) => i.id)).toEqual(feed.items.map((a) => a.id));
    items.forEach((item, i) => {
      const article = feed.items[i]!;
      expect(item.title).toBe(article.title);
      expect(item.authors?.map((a) => a.name)).toEqual(article.authors.map((a) => a.name));
      expect(item.date_published && new Date(item.date_published).getTime()).toBe(article.published.getTime());
      if (article.image?.type) expect(item.attachments?.[0]).toMatchObject({ mime_type: article.image.type });
    });
  });
});

describe("JSON Feed 1.1 rules", () => {
  it("validates against the JSON Feed 1.1 schema", () => {
    expect(jsonFeedSchemaErrors(JSON.parse(body.json))).toEqual([]);
  });

  it("the schema judge rejects what the spec forbids", () => {
    const doc = JSON.parse(body.json);
    expect(jsonFeedSchemaErrors({ ...doc, version: "https://jsonfeed.org/version/1" })).not.toEqual([]);
    expect(jsonFeedSchemaErrors({ ...doc, items: [{ ...doc.items[0], id: undefined }] })).not.toEqual([]);
    expect(jsonFeedSchemaErrors({ ...doc, items: [{ ...doc.items[0], date_published: "Mon, 28 Apr 2025" }] })).not.toEqual([]);
  });

  it("follows the spec's prose rules: 1.1 authors, language, ids as strings, RFC 3339 dates, absolute URLs", () => {
    const doc = JSON.parse(body.json);
    expect(doc.author).toBeUndefined();
    expect(doc.language).toBe(feed.head.language);
    for (const item of doc.items) {
      expect(typeof item.id).toBe("string");
      expect(item.author).toBeUndefined();
      expect(item.authors.length).toBeGreaterThan(0);
      expect(item.date_published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
      for (const url of [item.url, item.image, ...(item.attachments ?? []).map((a: { url: string }) => a.url)]) {
        if (url !== undefined) expect(new URL(url).protocol).toMatch(/^https?:$/);
      }
    }
  });
});
