// RFC 5005 archived feeds and JSON Feed next_url: walking every page of a generated archive finds every article once,
// and full pages never change as new articles arrive.
import { describe, expect, it } from "vitest";
import { archivePageCount, archiveRange } from "../../src/core/feed-plan.ts";
import { appOver } from "../support/app.ts";
import { generatedArchive, testSite } from "../support/http-fixtures.ts";

const BASE = "https://news.example";
const COUNT = 2500;
/** After all COUNT generated articles (one an hour from 2020-01-01). */
const AFTER = new Date(Date.UTC(2020, 0, 1) + COUNT * 3_600_000);

function appFor(count: number, now: Date, vars: Record<string, string> = {}) {
  const app = appOver({
    source: generatedArchive(count),
    site: testSite({ ARCHIVE_ITEMS: "50", ...vars }),
    now: () => now,
    log: () => {},
  });
  return (url: string) => app.request(url.replace(BASE, "http://localhost"));
}

interface Page {
  ids: string[];
  prev?: string;
  next?: string;
  current?: string;
  archived: boolean;
}

const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];

/** Reads the archive links and item ids of a page in any of the three formats. */
function readPage(format: "rss" | "atom" | "json", body: string): Page {
  if (format === "json") {
    const doc = JSON.parse(body) as { items: { id: string }[]; next_url?: string };
    return { ids: doc.items.map((i) => i.id), prev: doc.next_url, archived: false };
  }
  const linkTag = format === "rss" ? "atom:link" : "link";
  const links = new Map<string, string>();
  for (const m of body.matchAll(new RegExp(`<${linkTag} [^>]*/>`, "g"))) {
    const rel = attr(m[0], "rel");
    if (rel) links.set(rel, attr(m[0], "href")!);
  }
  const idPattern = format === "rss" ? /<guid[^>]*>([^<]+)<\/guid>/g : /<entry[^>]*>\s*<id>([^<]+)<\/id>/g;
  return {
    ids: [...body.matchAll(idPattern)].map((m) => m[1]!),
    prev: links.get("prev-archive"),
    next: links.get("next-archive"),
    current: links.get("current"),
    archived: body.includes("<fh:archive/>"),
  };
}

describe("archive paging rules", () => {
  it.each([
    { count: 0, size: 50, pages: 1 },
    { count: 49, size: 50, pages: 1 },
    { count: 50, size: 50, pages: 2 },
    { count: 2500, size: 50, pages: 51 },
    { count: 2501, size: 50, pages: 51 },
  ])("$count articles in pages of $size: $pages pages", ({ count, size, pages }) => {
    expect(archivePageCount(count, size)).toBe(pages);
  });

  it.each([
    { count: 7, size: 3, page: 1, range: { from: 0, to: 3 } },
    { count: 7, size: 3, page: 2, range: { from: 3, to: 6 } },
    { count: 7, size: 3, page: 3, range: { from: 6, to: 7 } },
    { count: 6, size: 3, page: 3, range: { from: 6, to: 6 } },
    { count: 6, size: 3, page: 4, range: undefined },
    { count: 7, size: 3, page: 0, range: undefined },
    { count: 7, size: 3, page: 1.5, range: undefined },
  ])(
    "page $page of $count articles in pages of $size: positions $range.from to $range.to from the oldest",
    ({ count, size, page, range }) => {
      expect(archiveRange(count, size, page)).toEqual(range);
    },
  );
});

describe.each(["rss", "atom", "json"] as const)("walking the %s archive", (format) => {
  const file = { rss: "rss.xml", atom: "atom.xml", json: "feed.json" }[format];

  it(`reaches every one of ${COUNT} articles exactly once, from the subscription feed back to the oldest page`, async () => {
    const get = appFor(COUNT, AFTER);
    const subscription = readPage(format, await (await get(`${BASE}/${file}`)).text());
    expect(subscription.ids).toHaveLength(20);
    const seen = new Map<string, number>();
    let url = subscription.prev;
    let pages = 0;
    let newer: string | undefined;
    while (url) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      const page = readPage(format, await res.text());
      pages++;
      if (format !== "json") {
        expect(page.current).toBe(`${BASE}/${file}`);
        expect(page.next).toBe(newer);
        // Every page but the open newest one is full, and says so.
        expect(page.archived).toBe(pages > 1);
        expect(page.ids).toHaveLength(pages > 1 ? 50 : 0);
      }
      for (const id of page.ids) seen.set(id, (seen.get(id) ?? 0) + 1);
      newer = url;
      url = page.prev;
    }
    expect(pages).toBe(51);
    expect(seen.size).toBe(COUNT);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    for (let i = 0; i < COUNT; i += 499) expect(seen.has(`${BASE}/articles/a${i}`)).toBe(true);
    // The subscription feed's items are the newest ones, also on the archive pages.
    for (const id of subscription.ids) expect(seen.has(id)).toBe(true);
  });
});

describe("stable archive pages", () => {
  it("keeps full pages byte-for-byte as new articles arrive; only the open page grows", async () => {
    const hour = 3_600_000;
    const early = appFor(120, new Date(Date.UTC(2020, 0, 1) + 120 * hour));
    const later = appFor(180, new Date(Date.UTC(2020, 0, 1) + 180 * hour));
    for (const file of ["rss.xml", "atom.xml", "feed.json"]) {
      for (const page of [1, 2]) {
        const a = await early(`${BASE}/archive/${page}/${file}`);
        const b = await later(`${BASE}/archive/${page}/${file}`);
        expect(await b.text(), `${page}/${file}`).toBe(await a.text());
        expect(b.headers.get("etag")).toBe(a.headers.get("etag"));
      }
      const open = await (await early(`${BASE}/archive/3/${file}`)).text();
      const full = await (await later(`${BASE}/archive/3/${file}`)).text();
      expect(full).not.toBe(open);
      expect((await later(`${BASE}/archive/4/${file}`)).status).toBe(200);
    }
  });

  it("leaves embargoed articles off every page", async () => {
    // 60 articles exist, but at this time only 55 are published.
    const get = appFor(60, new Date(Date.UTC(2020, 0, 1) + 54 * 3_600_000 + 1000));
    const page2 = readPage("atom", await (await get(`${BASE}/archive/2/atom.xml`)).text());
    expect(page2.ids).toHaveLength(5);
    expect(page2.ids[0]).toBe(`${BASE}/articles/a54`);
  });

  it.each(["/archive/0/rss.xml", "/archive/01/rss.xml", "/archive/3/rss.xml", "/archive/x/rss.xml", "/archive/rss.xml", "/archive/1/"])(
    "%s is 404",
    async (path) => {
      const res = await appFor(60, AFTER)(`${BASE}${path}`);
      expect(res.status).toBe(404);
    },
  );

  it("pages section feeds too", async () => {
    const get = appFor(300, AFTER);
    // 100 articles in the section "City": pages 1 and 2 full, 3 open and empty.
    const page = readPage("rss", await (await get(`${BASE}/sections/city/archive/1/rss.xml`)).text());
    expect(page.ids).toHaveLength(50);
    expect(page.current).toBe(`${BASE}/sections/city/rss.xml`);
    expect(page.next).toBe(`${BASE}/sections/city/archive/2/rss.xml`);
    const sub = readPage("rss", await (await get(`${BASE}/sections/city/rss.xml`)).text());
    expect(sub.prev).toBe(`${BASE}/sections/city/archive/3/rss.xml`);
  });
});
