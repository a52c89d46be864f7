// The feed options (docs/feeds.md, "Feed options"): excerpt feeds (FEED_CONTENT), a query on item links (FEED_LINK_QUERY),
// `main_feed: false`, language feeds and partners' own feeds, through app.request() on Node, with the judges
// (feedparser strict and loose, xmllint, the JSON Feed 1.1 schema) on every variant. Real readers: feed-options-readers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseArticle } from "../../src/core/article.ts";
import { loadContent } from "../../src/core/content.ts";
import { createEventLog } from "../../src/core/events.ts";
import { parseLinkQuery, utmQuery } from "../../src/core/link-query.ts";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import type { Article } from "../../src/core/model.ts";
import { parsePartners } from "../../src/core/partners.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { notifyChangedFeeds } from "../../src/core/websub.ts";
import { FORMATS, ITEM_WRITERS, renderPlan } from "../../src/formats/index.ts";
import { withLinkQuery } from "../../src/formats/item-links.ts";
import { tagsOfRelease } from "../../src/http/cache-tags.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import { createMemoryStore } from "../../src/store/memory/store.ts";
import { appOver } from "../support/app.ts";
import { BASE, BODY_ONLY, EMBARGOED_WORDS, ONE_LANGUAGE_FILES, OPTION_FILES } from "../support/feed-options-fixture.ts";
import { EMBARGO, NOW, testSite } from "../support/http-fixtures.ts";
import { feedparser, jsonFeedSchemaErrors, xmllint } from "../support/judges.ts";
import { publisherOver, publishTree } from "../support/publish-tree.ts";
import { childrenNamed, childText, parseXml } from "../support/xml-tree.ts";

type Settings = Record<string, string>;

function app(settings: Settings = {}, files: MemoryFiles = OPTION_FILES, now = NOW) {
  const served = appOver({ source: createMemorySource(files), site: testSite(settings), now: () => now, log: () => {} });
  return (path: string, init?: RequestInit) => served.request(`http://localhost${path}`, init);
}

async function body(get: ReturnType<typeof app>, path: string): Promise<string> {
  const res = await get(path);
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBe(200);
  return text;
}

interface JsonItem {
  id: string;
  url: string;
  title: string;
  content_html?: string;
  content_text?: string;
  summary: string;
  image?: string;
  language?: string;
}
const jsonItems = (text: string) => (JSON.parse(text) as { items: JsonItem[] }).items;

/** Every judge on a document: the JSON Feed 1.1 schema, or xmllint and feedparser's strict and loose parsers. */
function judge(format: string, text: string) {
  if (format === "json") {
    expect(jsonFeedSchemaErrors(JSON.parse(text))).toEqual([]);
    return undefined;
  }
  expect(xmllint(text)).toBe("");
  const strict = feedparser(text);
  expect(strict.bozo, strict.bozo_exception).toBe(false);
  const loose = feedparser(text, { loose: true });
  expect(loose.entries.map((e) => [e.id, e.link])).toEqual(strict.entries.map((e) => [e.id, e.link]));
  return { strict, loose };
}

describe("settings", () => {
  it.each([
    { value: undefined, content: "full" },
    { value: "", content: "full" },
    { value: "full", content: "full" },
    { value: "excerpt", content: "excerpt" },
    { value: " Excerpt ", content: "excerpt" },
  ])("FEED_CONTENT $value is $content", ({ value, content }) => {
    expect(testSite(value === undefined ? {} : { FEED_CONTENT: value }).feedContent).toBe(content);
  });

  it.each(["summary", "none", "true"])("FEED_CONTENT %s is refused, naming the setting", (value) => {
    expect(() => testSite({ FEED_CONTENT: value })).toThrow(/FEED_CONTENT.*neither "full" nor "excerpt"/);
  });

  it.each([
    { value: "", query: undefined },
    { value: "utm_source=feed", query: "utm_source=feed" },
    { value: "?utm_source=feed&utm_medium=rss", query: "utm_source=feed&utm_medium=rss" },
    { value: "utm_source=feed&utm_medium={format}", query: "utm_source=feed&utm_medium={format}" },
    { value: "utm_campaign=spring%20sale&x=a/b:c@d", query: "utm_campaign=spring%20sale&x=a/b:c@d" },
    { value: "flag=", query: "flag=" },
  ])("FEED_LINK_QUERY $value is $query", ({ value, query }) => {
    expect(testSite({ FEED_LINK_QUERY: value }).feedLinkQuery).toBe(query);
  });

  it.each([
    { value: "utm_source=feed#top", why: "characters a link cannot carry" },
    { value: "utm_source=a feed", why: "characters a link cannot carry" },
    { value: "utm_source", why: "has no =" },
    { value: "utm_source=a&utm_source=b", why: "given twice" },
    { value: "=feed", why: "parameter name" },
    { value: "a b=c", why: "parameter name" },
    { value: "utm_source=a&&b=c", why: "parameter name" },
    { value: "utm_medium={medium}", why: "characters a link cannot carry" },
    { value: "utm_source=فید", why: "characters a link cannot carry" },
    { value: 'utm_source="x"', why: "characters a link cannot carry" },
    { value: "utm_source=a=b", why: "characters a link cannot carry" },
    { value: `u=${"x".repeat(600)}`, why: "characters" },
    { value: Array.from({ length: 17 }, (_, i) => `p${i}=1`).join("&"), why: "17 parameters" },
  ])("FEED_LINK_QUERY $value is refused: $why", ({ value, why }) => {
    expect(() => testSite({ FEED_LINK_QUERY: value })).toThrow(new RegExp(`FEED_LINK_QUERY.*${why}`));
    expect("problem" in parseLinkQuery(value)).toBe(true);
  });

  it("builds a partner's query from its UTM values, percent-encoded, keeping the format placeholder", () => {
    expect(
      utmQuery([
        ["utm_source", "Acme & Co"],
        ["utm_medium", "{format}"],
      ]),
    ).toBe("utm_source=Acme%20%26%20Co&utm_medium={format}");
    expect("query" in parseLinkQuery(utmQuery([["utm_source", "ä/é?#"]])!)).toBe(true);
  });
});

describe("the main_feed front-matter field", () => {
  const site = testSite();
  const parse = (value: string) =>
    parseArticle("a.md", `---\ntitle: A\ndate: 2026-01-01\nmain_feed: ${value}\n---\n\nBody.\n`, {
      site,
      authors: new Map(),
      image: () => null,
      exists: () => false,
    });

  it("takes true or false; false is kept in the record, true leaves no trace", () => {
    const off = parse("false");
    expect(off.ok && off.record.mainFeed).toBe(false);
    const on = parse("true");
    expect(on.ok && "mainFeed" in on.record).toBe(false);
  });

  it.each(["no", '"false"', "0", "[false]"])("refuses %s, naming the field and what it takes", (value) => {
    const result = parse(value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      expect.objectContaining({
        field: "main_feed",
        line: 4,
        expected: expect.stringMatching(/^true or false \(false keeps the article out/),
      }),
    ]);
  });
});

describe("excerpt feeds (FEED_CONTENT = excerpt)", () => {
  const full = app();
  const excerpt = app({ FEED_CONTENT: "excerpt" });

  it.each(FORMATS.map((f) => [f.file, f.id] as const))(
    "%s: the summary and the lead image, no content, valid for every judge",
    async (file, id) => {
      const text = await body(excerpt, `/${file}`);
      expect(text).not.toContain(BODY_ONLY);
      expect(await body(full, `/${file}`)).toContain(BODY_ONLY);
      const judged = judge(id, text);
      if (id === "json") {
        const items = jsonItems(text);
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) {
          // JSON Feed 1.1: content_html or content_text is required; the excerpt's is the summary, as text.
          expect(item.content_html).toBeUndefined();
          expect(item.content_text).toBe(item.summary);
        }
        expect(items.find((i) => i.title === "افتتاح خط تازه مترو")?.image).toBe("https://images.example/metro.jpg");
        return;
      }
      for (const parsed of [judged!.strict, judged!.loose]) {
        expect(parsed.entries.length).toBeGreaterThan(0);
        for (const entry of parsed.entries) {
          expect(entry.content, entry.title).toEqual([]);
          expect(entry.summary.length, entry.title).toBeGreaterThan(0);
        }
        const metro = parsed.entries.find((e) => e.title === "افتتاح خط تازه مترو")!;
        expect(metro.summary).toBe("خط تازه مترو امروز افتتاح شد.");
        expect(metro.enclosures).toEqual([expect.objectContaining({ href: "https://images.example/metro.jpg", type: "image/jpeg" })]);
        expect(metro.media_thumbnail).toEqual([expect.objectContaining({ url: "https://images.example/metro.jpg" })]);
      }
    },
  );

  it("has its own ETag: a reader holding the whole feed gets the excerpt, not a 304", async () => {
    for (const format of FORMATS) {
      const whole = await full(`/${format.file}`);
      const short = await excerpt(`/${format.file}`, { headers: { "If-None-Match": whole.headers.get("etag")! } });
      expect(short.status, format.id).toBe(200);
      expect(short.headers.get("etag")).not.toBe(whole.headers.get("etag"));
    }
  });

  it("leaves the body's own images out of Media RSS, keeping the lead image", async () => {
    const files = {
      ...OPTION_FILES,
      "2026/pictures.md":
        '---\ntitle: Pictures\ndate: "2026-01-09T10:00:00Z"\nimage: https://images.example/lead.jpg\n---\n\nFirst.\n\n![A map](https://images.example/map.png "The map")\n',
    };
    const whole = await body(app({}, files), "/rss.xml");
    const short = await body(app({ FEED_CONTENT: "excerpt" }, files), "/rss.xml");
    expect(whole).toContain('media:content url="https://images.example/map.png"');
    expect(short).not.toContain("https://images.example/map.png");
    expect(short).toContain('<media:content url="https://images.example/lead.jpg"');
  });

  it("writes an excerpt from the stored article for an article stored before excerpts were (until it is published again)", async () => {
    const store = createMemoryStore({ siteUrl: BASE });
    const site = testSite({ FEED_CONTENT: "excerpt" });
    await publishTree(publisherOver(store, site), OPTION_FILES);
    const fresh = await renderPlan(store.catalog, (await plan(store.catalog, site))!, FORMATS[0]!);
    // As a store that held the article before excerpts existed: the excerpt parts gone.
    for (const row of store.tables.articles.values()) {
      const { "rss-excerpt": _r, "atom-excerpt": _a, "json-excerpt": _j, ...rest } = row.parts;
      row.parts = rest;
    }
    expect(await renderPlan(store.catalog, (await plan(store.catalog, site))!, FORMATS[0]!)).toBe(fresh);
  });

  it("stores every item writer's item when an article is published", async () => {
    const store = createMemoryStore();
    await publishTree(publisherOver(store, testSite()), OPTION_FILES);
    for (const row of store.tables.articles.values()) {
      for (const writer of ITEM_WRITERS) expect(row.parts[writer.part], `${row.slug} ${writer.part}`).toBeTypeOf("string");
    }
  });
});

async function plan(catalog: Awaited<ReturnType<typeof createMemoryStore>>["catalog"], site: ReturnType<typeof testSite>) {
  const { planFeed } = await import("../../src/core/feed-plan.ts");
  const { HOME } = await import("../../src/core/catalog.ts");
  return planFeed(catalog, site, NOW, { scope: HOME });
}

/** A rendered article for the link tests: its URL, id and title are all a test varies. */
function articleAt(url: string, id = `${BASE}/articles/x`): Article {
  return {
    file: "x.md",
    slug: "x",
    id,
    idIsUrl: id === url,
    title: "T",
    url,
    siteUrl: `${BASE}/`,
    published: new Date("2026-01-01T00:00:00Z"),
    updated: new Date("2026-01-01T00:00:00Z"),
    authors: [{ key: "a", name: "A" }],
    tags: [],
    summary: "S",
    html: '<p>S <a href="https://news.example/articles/x">self</a></p>',
  };
}

/** What an item's link and id read as, through a strict XML parser or JSON.parse. */
function readItem(formatId: string, item: string): { link: string; id: string } {
  if (formatId === "json") {
    const parsed = JSON.parse(item) as { url: string; id: string };
    return { link: parsed.url, id: parsed.id };
  }
  const wrapped =
    formatId === "rss"
      ? `<rss xmlns:dc="d" xmlns:atom="a" xmlns:media="m" xmlns:content="c"><channel>${item}</channel></rss>`
      : `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="m">${item}</feed>`;
  const root = parseXml(wrapped);
  if (formatId === "rss") {
    const node = childrenNamed(childrenNamed(root, "channel")[0]!, "item")[0]!;
    return { link: childText(node, "link")!, id: childText(node, "guid")! };
  }
  const entry = childrenNamed(root, "entry")[0]!;
  return { link: childrenNamed(entry, "link").find((l) => l.attrs.rel === "alternate")!.attrs.href!, id: childText(entry, "id")! };
}

/**
 * The rule written plainly over the unescaped URL: on this site only; before the first `#`; after the link's own query
 * (`&`), or `?` when it has none; a parameter the link's own query already names is left out.
 */
function expectedLink(url: string, query: string): string {
  if (!url.startsWith(`${BASE}/`)) return url;
  const hash = url.indexOf("#");
  const end = hash < 0 ? url.length : hash;
  const mark = url.indexOf("?");
  const own = mark >= 0 && mark < end ? url.slice(mark + 1, end) : undefined;
  const names = new Set((own ?? "").split("&").map((p) => p.split("=")[0]));
  const added = query.split("&").filter((p) => own === undefined || !names.has(p.split("=")[0]));
  if (added.length === 0) return url;
  const joint = own === undefined ? "?" : own === "" ? "" : "&";
  return url.slice(0, end) + joint + added.join("&") + url.slice(end);
}

describe("a query on item links (FEED_LINK_QUERY)", () => {
  const QUERY = "utm_source=feed&utm_medium=rss";
  it.each([
    { url: `${BASE}/articles/x`, link: `${BASE}/articles/x?utm_source=feed&utm_medium=rss` },
    { url: `${BASE}/articles/x#top`, link: `${BASE}/articles/x?utm_source=feed&utm_medium=rss#top` },
    { url: `${BASE}/special/x?ref=home`, link: `${BASE}/special/x?ref=home&utm_source=feed&utm_medium=rss` },
    { url: `${BASE}/special/x?ref=home#top`, link: `${BASE}/special/x?ref=home&utm_source=feed&utm_medium=rss#top` },
    { url: `${BASE}/special/x?`, link: `${BASE}/special/x?utm_source=feed&utm_medium=rss` },
    { url: `${BASE}/special/x?utm_source=newsletter`, link: `${BASE}/special/x?utm_source=newsletter&utm_medium=rss` },
    { url: `${BASE}/special/x?utm_source=a&utm_medium=b`, link: `${BASE}/special/x?utm_source=a&utm_medium=b` },
    { url: `${BASE}/x#frag?notquery`, link: `${BASE}/x?utm_source=feed&utm_medium=rss#frag?notquery` },
    { url: `${BASE}/a&b"<c>`, link: `${BASE}/a&b"<c>?utm_source=feed&utm_medium=rss` },
    { url: `${BASE}/مقاله`, link: `${BASE}/مقاله?utm_source=feed&utm_medium=rss` },
    { url: "https://wire.example/story", link: "https://wire.example/story" },
    { url: "https://news.example.evil/x", link: "https://news.example.evil/x" },
    { url: `${BASE}`, link: `${BASE}` },
  ])("$url → $link, in every format, whole and excerpt, its id untouched", ({ url, link }) => {
    expect(expectedLink(url, QUERY)).toBe(link);
    for (const format of FORMATS) {
      for (const writer of [format, format.excerpt]) {
        const stored = writer.renderItem(articleAt(url));
        const [item] = withLinkQuery(format, [stored], QUERY, `${BASE}/`);
        const joined = typeof item === "string" ? item : item!.join("");
        expect(readItem(format.id, joined), `${writer.part}`).toEqual({ link, id: `${BASE}/articles/x` });
        // Unchanged items stay the stored string itself; changed ones are pieces of it around the query.
        if (link === url) expect(item).toBe(stored);
        else expect(Array.isArray(item) && item.length === 3 && stored.startsWith(item[0]!) && stored.endsWith(item[2]!)).toBe(true);
      }
    }
  });

  it("never adds it to the guid: an isPermaLink guid stays the bare canonical URL", () => {
    const url = `${BASE}/articles/x`;
    const [item] = withLinkQuery(FORMATS[0]!, [FORMATS[0]!.renderItem(articleAt(url, url))], QUERY, `${BASE}/`);
    const joined = (item as string[]).join("");
    expect(joined).toContain(`<guid isPermaLink="true">${url}</guid>`);
    expect(readItem("rss", joined)).toEqual({ link: `${url}?${QUERY}`, id: url });
  });

  // Any URL on or off the site, with or without its own query and fragment, of any characters a canonical URL can hold.
  const piece = fc.stringMatching(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/%"<>ä中ا ]{0,12}$/);
  const url = fc
    .record({
      host: fc.constantFrom(`${BASE}/`, "https://elsewhere.example/", `${BASE}.other/`),
      path: piece.map((p) => p.replaceAll("?", "").replaceAll("#", "")),
      own: fc.option(fc.array(fc.tuple(fc.constantFrom("utm_source", "ref", "a", "utm_medium"), piece), { maxLength: 3 }), {
        nil: undefined,
      }),
      fragment: fc.option(piece, { nil: undefined }),
    })
    .map(({ host, path, own, fragment }) => {
      const query = own === undefined ? "" : `?${own.map(([k, v]) => `${k}=${v.replaceAll("&", "").replaceAll("#", "")}`).join("&")}`;
      return host + path.replaceAll("&", "") + query + (fragment === undefined ? "" : `#${fragment}`);
    });

  it("adds it as the plain rule says for any URL, and every item still parses (property)", () => {
    fc.assert(
      fc.property(url, fc.constantFrom("utm_source=feed&utm_medium={format}", "ref=feed", "x=1&y=2&z=%20"), (link, query) => {
        for (const format of FORMATS) {
          const q = query.replaceAll("{format}", format.id);
          const [item] = withLinkQuery(format, [format.renderItem(articleAt(link))], q, `${BASE}/`);
          const joined = typeof item === "string" ? item : item!.join("");
          expect(readItem(format.id, joined)).toEqual({ link: expectedLink(link, q), id: `${BASE}/articles/x` });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is in every served feed's links on this site, per format with {format}, never in ids; other links as they are", async () => {
    const get = app({ FEED_LINK_QUERY: "utm_source=feed&utm_medium={format}" });
    for (const format of FORMATS) {
      const text = await body(get, `/${format.file}`);
      const judged = judge(format.id, text);
      const entries =
        format.id === "json"
          ? jsonItems(text).map((i) => ({ id: i.id, link: i.url, title: i.title }))
          : judged!.strict.entries.map((e) => ({ id: e.id, link: e.link, title: e.title }));
      const byTitle = new Map(entries.map((e) => [e.title, e]));
      const medium = `utm_source=feed&utm_medium=${format.id}`;
      expect(byTitle.get("Metro line opens")).toEqual({
        id: `${BASE}/articles/metro`,
        link: `${BASE}/articles/metro?${medium}`,
        title: "Metro line opens",
      });
      // Its own query kept, the setting's joined to it, the fragment last.
      expect(byTitle.get("Our campaign page")!.link).toBe(`${BASE}/special/campaign?ref=home&${medium}#top`);
      expect(byTitle.get("Our campaign page")!.id).toBe(`${BASE}/special/campaign?ref=home#top`);
      // A canonical URL on another site is that site's: no query of ours.
      expect(byTitle.get("Wire: port traffic up")!.link).toBe("https://wire.example/port-traffic?src=rss");
    }
  });

  it("changes the ETag, and leaves the bytes of feeds without it as they were", async () => {
    const plain = app();
    const tagged = app({ FEED_LINK_QUERY: "utm_source=feed" });
    const [a, b] = [await plain("/rss.xml"), await tagged("/rss.xml")];
    expect(a.headers.get("etag")).not.toBe(b.headers.get("etag"));
    expect((await b.text()).replaceAll("?utm_source=feed", "").replaceAll("&amp;utm_source=feed", "")).toBe(await a.text());
  });
});

describe("main_feed: false", () => {
  const get = app();
  const ASIDE = "A note on pipeline tariffs";

  it.each(FORMATS.map((f) => f.file))("keeps the article out of the site's /%s only", async (file) => {
    expect(await body(get, `/${file}`)).not.toContain(ASIDE);
    for (const folder of ["/sections/business/", "/tags/energy/", "/authors/ana-lima/", "/languages/en/"]) {
      expect(await body(get, `${folder}${file}`), folder).toContain(ASIDE);
    }
  });

  it("keeps it off the home page and the default headlines, and on its page, its facets' pages and the sitemaps", async () => {
    expect(await body(get, "/")).not.toContain(ASIDE);
    expect(await body(get, "/headlines.json?limit=10")).not.toContain(ASIDE);
    expect(await body(get, "/headlines.json?section=business")).toContain(ASIDE);
    expect(await body(get, "/articles/aside")).toContain(ASIDE);
    expect(await body(get, "/sections/business/")).toContain(ASIDE);
    expect(await body(get, "/sitemaps/articles-1.xml")).toContain(`${BASE}/articles/aside`);
    expect(await body(get, "/sitemap-news.xml")).toContain(`${BASE}/articles/aside`);
  });

  it("counts toward the site's next release: an embargoed article kept out of the main feeds still cuts cache lifetimes", async () => {
    // The newsroom's own embargoed article (18:00) is in the main feed; remove it to leave only the aside (20:00).
    const { "2026/summit.md": _summit, ...files } = OPTION_FILES;
    const at = new Date("2026-01-10T19:59:00Z");
    const res = await app({}, files, at)("/rss.xml");
    expect(res.headers.get("cache-control")).toMatch(/max-age=60\b/);
  });

  it("makes a publish that takes an article out of the main feed leave the site's list and stay in its others", async () => {
    const store = createMemoryStore();
    const site = testSite();
    const publisher = publisherOver(store, site);
    await publishTree(publisher, OPTION_FILES);
    const text = OPTION_FILES["2026/oil-deal.md"] as string;
    const out = await publisher.putArticle(
      "2026/oil-deal.md",
      new TextEncoder().encode(text.replace("---\n\n", "main_feed: false\n---\n\n")),
      { now: NOW },
    );
    expect(out.result).toBe("updated");
    expect(out.change?.scopes).toEqual(expect.arrayContaining(["home", "sections/business", "tags/energy"]));
    const { HOME, scopeKey } = await import("../../src/core/catalog.ts");
    expect((await store.catalog.newest(HOME, NOW, 50)).map((e) => e.slug)).not.toContain("oil-deal");
    expect(
      store.tables
        .entriesOf("oil-deal")
        .map((e) => e.scope)
        .sort(),
    ).toEqual(["all", "authors/ana-lima", "languages/en", "sections/business", "tags/baku", "tags/energy"].sort());
    expect(store.tables.lists.get(scopeKey(HOME))!.removed).toBe(1);
  });
});

describe("language feeds", () => {
  const get = app();

  it.each(FORMATS.map((f) => [f.file, f.id] as const))(
    "/languages/fa/%s declares Persian and holds the Persian articles only",
    async (file, id) => {
      const text = await body(get, `/languages/fa/${file}`);
      const judged = judge(id, text);
      if (id === "json") {
        const doc = JSON.parse(text) as { language: string; title: string; items: JsonItem[] };
        expect(doc.language).toBe("fa");
        expect(doc.title).toBe("Example News: فارسی");
        expect(doc.items.map((i) => i.title)).toEqual(["افتتاح خط تازه مترو"]);
        return;
      }
      expect(judged!.strict.feed.language).toBe("fa");
      expect(judged!.strict.feed.title).toBe("Example News: فارسی");
      expect(judged!.strict.entries.map((e) => e.title)).toEqual(["افتتاح خط تازه مترو"]);
      expect(text).toContain(id === "rss" ? "<language>fa</language>" : 'xml:lang="fa"');
    },
  );

  it("puts each article in one feed by language and script, whatever its region (en-GB is English)", async () => {
    const files = { ...OPTION_FILES, "2026/british.md": '---\ntitle: Colour\ndate: "2026-01-02T09:00:00Z"\nlang: en-GB\n---\n\nColour.\n' };
    const text = await body(app({}, files), "/languages/en/rss.xml");
    expect(text).toContain("Colour");
    expect(text).toContain("<language>en</language>");
    expect((await app({}, files)("/languages/en-gb/rss.xml")).status).toBe(404);
  });

  it("are listed in the OPML, on the home page (with hreflang autodiscovery) and in the sitemap of pages on a site in two languages", async () => {
    const opml = await body(get, "/feeds.opml");
    expect(opml).toContain('<outline text="Languages" title="Languages">');
    expect(opml).toContain(`xmlUrl="${BASE}/languages/fa/rss.xml"`);
    expect(opml).toContain(`xmlUrl="${BASE}/languages/en/rss.xml"`);
    const home = await body(get, "/");
    expect(home).toContain(
      `<link rel="alternate" type="application/rss+xml" hreflang="fa" title="Example News: فارسی (RSS 2.0)" href="${BASE}/languages/fa/rss.xml">`,
    );
    expect(home).toContain(`<strong dir="auto" lang="fa"><a href="${BASE}/languages/fa/">فارسی</a></strong>`);
    expect(await body(get, "/sitemaps/pages-1.xml")).toContain(`<loc>${BASE}/languages/fa/</loc>`);
  });

  it("are announced on an article's page: its own language's feed beside the site's", async () => {
    const page = await body(get, "/articles/metro-fa");
    expect(page).toContain(`hreflang="fa" title="Example News: فارسی (Atom 1.0)" href="${BASE}/languages/fa/atom.xml"`);
    expect(page).not.toContain(`${BASE}/languages/en/`);
    expect(await body(get, "/articles/metro")).toContain(
      `hreflang="en" title="Example News: English (RSS 2.0)" href="${BASE}/languages/en/rss.xml"`,
    );
  });

  it("have a page each, titled in the language itself", async () => {
    const page = await body(get, "/languages/fa/");
    expect(page).toContain('<h1 dir="auto" lang="fa">فارسی</h1>');
    expect(page).toContain("افتتاح خط تازه مترو");
    expect(page).not.toContain("Metro line opens");
    expect((await get("/languages/FA/")).headers.get("location")).toBe(`${BASE}/languages/fa/`);
  });

  it("are listed nowhere on a site in one language, and still answer at their address", async () => {
    const one = app({}, ONE_LANGUAGE_FILES);
    expect(await body(one, "/feeds.opml")).not.toContain("Languages");
    expect(await body(one, "/")).not.toContain("hreflang");
    expect(await body(one, "/sitemaps/pages-1.xml")).not.toContain("/languages/");
    expect(await body(one, "/articles/metro")).not.toContain("hreflang");
    expect(await body(one, "/languages/en/feed.json")).toContain('"language": "en"');
  });

  /** What notifyChangedFeeds pings and records for `scopes` over `files`. */
  async function announce(files: MemoryFiles, scopes: string[]) {
    const site = parseSettings({ ...testSiteVars(), WEBSUB_HUB: "https://hub.example/" });
    const catalog = catalogFromSource(createMemorySource(files), site, { log: () => {} });
    const pinged: string[] = [];
    const saved = new Map<string, string>();
    const outcome = await notifyChangedFeeds(
      {
        catalog,
        site,
        emit: createEventLog(() => {}),
        outputRevision: 1,
        fetch: async (_url, init) => {
          pinged.push(new URLSearchParams(String(init?.body)).get("hub.topic")!);
          return new Response(null, { status: 204 });
        },
        state: {
          versions: async () => new Map(),
          pending: async () => [],
          save: async (_hub, { announced }) => {
            for (const [k, v] of announced) saved.set(k, v);
          },
        },
      },
      scopes,
      NOW,
    );
    return { pinged, saved: [...saved.keys()], outcome };
  }

  it("are announced to the hub when an article of the language changes", async () => {
    const { pinged, saved } = await announce(OPTION_FILES, ["languages/fa", "all"]);
    expect(pinged).toEqual(FORMATS.map((f) => `${BASE}/languages/fa/${f.file}`));
    expect(saved).toEqual(["languages/fa"]);
  });

  it("are not announced on a site in one language, where no one was shown them", async () => {
    const { pinged, saved, outcome } = await announce(ONE_LANGUAGE_FILES, ["languages/en", "home"]);
    expect(pinged).toEqual(FORMATS.map((f) => `${BASE}/${f.file}`));
    expect(saved).toEqual(["home"]);
    expect(outcome.failed).toEqual([]);
  });
});

function testSiteVars(): Record<string, string> {
  return {
    SITE_URL: BASE,
    SITE_TITLE: "Example News",
    SITE_DESCRIPTION: "News from nowhere in particular.",
    SITE_LANGUAGE: "en",
    SITE_TIMEZONE: "UTC",
  };
}

describe("partners' own feeds", () => {
  const get = app({ FEED_LINK_QUERY: "utm_source=feed" });

  it("reads feed: in partners.yaml: true, or content and utm; anything else is named", () => {
    const { partners, issues } = parsePartners(OPTION_FILES["partners.yaml"] as string);
    expect(partners.get("acme")!.feed).toEqual({
      content: "excerpt",
      linkQuery: "utm_source=acme&utm_medium={format}&utm_campaign=syndication",
    });
    expect(partners.get("beta")!.feed).toEqual({});
    expect(partners.get("gamma")!.feed).toBeUndefined();
    expect(issues).toEqual([]);
    const bad = parsePartners(
      "x1:\n  name: X\n  origins: ['*']\n  feed: { content: summary }\ny1:\n  name: Y\n  origins: ['*']\n  feed: { utm: { sauce: a } }\n",
    );
    expect(bad.issues.map((i) => i.field)).toEqual(["x1.feed", "y1.feed.utm"]);
    expect(bad.partners.size).toBe(0);
  });

  it.each(FORMATS.map((f) => [f.file, f.id] as const))(
    "/partners/acme/%s: excerpts, the partner's UTM on links, its own addresses, no hub",
    async (file, id) => {
      const text = await body(get, `/partners/acme/${file}`);
      judge(id, text);
      expect(text).not.toContain(BODY_ONLY);
      expect(text).toContain(
        `${BASE}/articles/metro?utm_source=acme${id === "json" ? "&" : id === "rss" ? "&amp;" : "&#38;"}utm_medium=${id}`,
      );
      expect(text).not.toContain("utm_source=feed");
      expect(text).toContain(`${BASE}/partners/acme/${file}`);
      expect(text).toContain(`${BASE}/partners/acme/archive/1/${file}`);
      expect(text).not.toContain("hub");
      // Its page is the site's: the partner's feed is the site's feed in the partner's form.
      expect(text).toContain(id === "json" ? `"home_page_url": "${BASE}/"` : `${BASE}/`);
    },
  );

  it("carries its scope's and format's Cache-Tags and the partner's, so a publish and a partners.yaml change purge it", async () => {
    const tags = (res: Response) => res.headers.get("cache-tag")?.split(",").sort();
    expect(tags(await get("/partners/acme/sections/business/atom.xml"))).toEqual([
      "feed:sections/business:atom",
      "partner:acme",
      "scope:sections/business",
      "site",
    ]);
    expect(tags(await get("/partners/acme/sections/Business/atom.xml"))).toEqual(
      tags(await get("/partners/acme/sections/business/atom.xml")),
    );
    expect(tags(await get("/languages/fa/rss.xml"))).toEqual(["feed:languages/fa:rss", "scope:languages/fa", "site"]);
    expect(tags(await get("/languages/fa/"))).toEqual(["scope:languages/fa", "site"]);
    expect(tagsOfRelease([{ slug: "x", published: NOW, scopes: ["all", "home", "languages/fa"] }])).not.toContain("scope:all");
  });

  it("has its own ETag and Link header, and its own archive pages", async () => {
    const site = await get("/rss.xml");
    const partner = await get("/partners/acme/rss.xml");
    expect(partner.headers.get("etag")).not.toBe(site.headers.get("etag"));
    expect(partner.headers.get("link")).toBe(`<${BASE}/>; rel="alternate"; type="text/html"`);
    const page = await body(get, "/partners/acme/archive/1/atom.xml");
    expect(page).toContain(`<link rel="current" type="application/atom+xml" href="${BASE}/partners/acme/atom.xml"/>`);
    expect(page).toContain(`<id>${BASE}/partners/acme/atom.xml</id>`);
  });

  it("serves every scope's feed in the partner's form, and keeps redirects in the partner's folder", async () => {
    expect(await body(get, "/partners/acme/languages/fa/feed.json")).toContain('"language": "fa"');
    expect(await body(get, "/partners/acme/tags/baku/rss.xml")).toContain("Metro line opens");
    const moved = await get("/partners/acme/sections/Business/rss.xml?limit=2");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe(`${BASE}/partners/acme/sections/business/rss.xml?limit=2`);
  });

  it("with sections, has those sections' feeds only (403 for the rest), in the site's form", async () => {
    const text = await body(get, "/partners/beta/sections/business/rss.xml");
    expect(text).toContain(BODY_ONLY);
    expect(text).toContain(`${BASE}/articles/gas-prices?utm_source=feed`);
    for (const path of [
      "/partners/beta/rss.xml",
      "/partners/beta/sections/city/rss.xml",
      "/partners/beta/tags/energy/atom.xml",
      "/partners/beta/languages/en/feed.json",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain("feeds of its sections only (business)");
    }
  });

  it("is a 404 for a key without feed:, or no partner at all, like any unknown path", async () => {
    for (const path of [
      "/partners/gamma/rss.xml",
      "/partners/nobody/rss.xml",
      "/partners/x/rss.xml",
      "/partners/acme/sections/nothing/rss.xml",
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });

  it("shows nothing embargoed or drafted before its time, in any partner's feed or language", async () => {
    const paths = [
      "/partners/acme/",
      "/partners/acme/languages/fa/",
      "/partners/acme/sections/business/",
      "/partners/beta/sections/business/",
    ].flatMap((folder) => FORMATS.map((f) => folder + f.file));
    for (const path of paths) {
      const text = await body(get, path);
      for (const words of EMBARGOED_WORDS) expect(text, path).not.toContain(words);
    }
    const later = app({ FEED_LINK_QUERY: "utm_source=feed" }, OPTION_FILES, new Date(EMBARGO.getTime() + 3 * 3_600_000));
    expect(await body(later, "/partners/acme/languages/fa/rss.xml")).toContain("Secret aside");
  });
});

it("loads the newsroom of these tests without a problem", async () => {
  const content = await loadContent(createMemorySource(OPTION_FILES), testSite());
  expect(content.issues).toEqual([]);
  expect(
    content.records
      .filter((r) => r.mainFeed === false)
      .map((r) => r.slug)
      .sort(),
  ).toEqual(["aside", "embargoed-aside"]);
});
