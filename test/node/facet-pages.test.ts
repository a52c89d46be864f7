// Pages per section, tag and author (issue 10 item 7): newest headlines, bounded; links to the feeds and their
// archive; <link rel="alternate"> that a real reader's feed discovery (sfeed_web) finds; one address per page (301s
// for other spellings), 404 for unknown or not-yet-public facets; the feeds and the OPML point back at the page.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../src/core/settings.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { NOW as EMBED_NOW, fixtureSite, fixtureSource } from "../support/embed-fixture.ts";
import { FIXTURE_DIR, NOW, SITE_INPUT, site } from "../support/site.ts";

const app = appOver({ source: createDirectorySource(FIXTURE_DIR), site, now: () => NOW, log: () => {} });
const BASE = site.url;
const TEHRAN = "/tags/%D8%AA%D9%87%D8%B1%D8%A7%D9%86/"; // تهران

async function get(path: string, target = app) {
  const res = await target.request(path);
  return { res, html: await res.text() };
}

/** What sfeed_web (sfeed's feed discovery: HTML on stdin, feed URLs out) finds on a page at `url`. */
function discover(html: string, url: string): string[] {
  return execFileSync("sfeed_web", [url], { input: html, encoding: "utf8" }).trim().split("\n").filter(Boolean);
}

function headlines(html: string): { lang: string; dir: string; href: string; title: string }[] {
  return [...html.matchAll(/<li lang="([^"]+)" dir="([^"]+)"><a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => ({
    lang: m[1]!,
    dir: m[2]!,
    href: m[3]!,
    title: m[4]!,
  }));
}

describe("a section's page", () => {
  it("lists its newest headlines, newest first, each in its article's language and direction", async () => {
    const { res, html } = await get("/sections/news/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('<h1 dir="auto">News</h1>');
    expect(headlines(html)).toEqual([
      {
        lang: "en",
        dir: "ltr",
        href: `${BASE}/articles/iran-azerbaijan-de-escalation`,
        title: "Iran, Azerbaijan chart path to de-escalation as Pezeshkian visits Baku",
      },
      {
        lang: "fa",
        dir: "rtl",
        href: `${BASE}/articles/tehran-metro-fa`,
        title: "بهره‌برداری از سه ایستگاه جدید در امتداد خط ۶ متروی تهران",
      },
    ]);
    expect(html).not.toContain("Embargoed: leaders to sign corridor treaty"); // out in 2027
  });

  it("announces its three feeds, and sfeed_web subscribes from the page's address", async () => {
    const { html } = await get("/sections/news/");
    for (const [type, file] of [
      ["application/rss+xml", "rss.xml"],
      ["application/atom+xml", "atom.xml"],
      ["application/feed+json", "feed.json"],
    ] as const) {
      expect(html).toMatch(
        new RegExp(`<link rel="alternate" type="${type.replace("+", "\\+")}" title="[^"]*News[^"]*" href="${BASE}/sections/news/${file}">`),
      );
    }
    // sfeed_web's limit: it looks for RSS and Atom only, not JSON Feed.
    expect(discover(html, `${BASE}/sections/news/`)).toEqual([
      `${BASE}/sections/news/rss.xml\tapplication/rss+xml`,
      `${BASE}/sections/news/atom.xml\tapplication/atom+xml`,
    ]);
  });

  it("links the feeds and the newest page of their archive, which answer", async () => {
    const { html } = await get("/sections/news/");
    const links = [...html.matchAll(/<a href="([^"]+)" type="[^"]+">/g)].map((m) => m[1]!);
    expect(links).toEqual([
      `${BASE}/sections/news/rss.xml`,
      `${BASE}/sections/news/atom.xml`,
      `${BASE}/sections/news/feed.json`,
      `${BASE}/sections/news/archive/1/rss.xml`,
      `${BASE}/sections/news/archive/1/atom.xml`,
      `${BASE}/sections/news/archive/1/feed.json`,
    ]);
    for (const link of links) expect((await app.request(link.slice(BASE.length))).status, link).toBe(200);
  });

  it("lists only the feed's number of headlines however many articles the section has", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      const day = String(1 + i).padStart(2, "0");
      files[`n${i}.md`] = `---\ntitle: Story ${i}\ndate: 2025-03-${day}T10:00:00Z\nsection: News\n---\n\nBody ${i}.\n`;
    }
    const small = appOver({
      source: createMemorySource(files),
      site: parseSettings({ ...SITE_INPUT, FEED_ITEMS: "5", ARCHIVE_ITEMS: "10" }),
      now: () => NOW,
      log: () => {},
    });
    const { html } = await get("/sections/news/", small);
    expect(headlines(html).map((h) => h.title)).toEqual(["Story 29", "Story 28", "Story 27", "Story 26", "Story 25"]);
    expect(html).toContain(`href="${BASE}/sections/news/archive/4/atom.xml"`); // 30 articles, 10 a page: the open 4th
  });
});

describe("tag and author pages", () => {
  it("a Persian tag has its page, its name in its own direction, its headline right to left", async () => {
    const { res, html } = await get(TEHRAN);
    expect(res.status).toBe(200);
    expect(html).toContain('<h1 dir="auto">تهران</h1>');
    expect(headlines(html)).toEqual([
      {
        lang: "fa",
        dir: "rtl",
        href: `${BASE}/articles/tehran-metro-fa`,
        title: "بهره‌برداری از سه ایستگاه جدید در امتداد خط ۶ متروی تهران",
      },
    ]);
    expect(discover(html, BASE + TEHRAN)).toContain(`${BASE}${TEHRAN}rss.xml\tapplication/rss+xml`);
  });

  it("an author's page links the author's own site", async () => {
    const { res, html } = await get("/authors/sara-ahmadi/");
    expect(res.status).toBe(200);
    expect(html).toContain('<h1 dir="auto">Sara Ahmadi</h1>');
    expect(html).toContain('<a rel="author" href="https://sara-ahmadi.example.com/">');
    expect(headlines(html).map((h) => h.href)).toEqual(["https://www.thenewregion.com/analysis/caspian-corridor"]);
  });
});

describe("one address per page", () => {
  it.each([
    ["/sections/News/", "/sections/news/"],
    ["/sections/news", "/sections/news/"],
    ["/sections/News", "/sections/news/"],
    ["/tags/Caspian%20Sea/", "/tags/caspian-sea/"],
    ["/tags/Oil%20&%20Gas", "/tags/oil-gas/"],
    ["/authors/leila-hosseini", "/authors/leila-hosseini/"],
  ])("%s is redirected (301) to %s", async (path, target) => {
    const res = await app.request(path);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(BASE + target);
  });

  it.each(["/sections/sport/", "/tags/nothing/", "/authors/nobody/", "/sections/sport"])("%s is 404", async (path) => {
    expect((await app.request(path)).status).toBe(404);
  });

  it("answers a facet that only embargoed articles use exactly like one that does not exist, before any redirect", async () => {
    const embed = appOver({ source: fixtureSource(), site: fixtureSite(), now: () => EMBED_NOW, log: () => {} });
    for (const [secret, made] of [
      ["/sections/secret-section/", "/sections/no-such-section/"],
      ["/sections/Secret%20Section/", "/sections/No%20Such%20Section/"],
      ["/sections/secret-section", "/sections/no-such-section"],
      ["/tags/embargo-only-tag/", "/tags/no-such-tag/"],
    ]) {
      const real = await embed.request(secret!);
      const fake = await embed.request(made!);
      expect(real.status, secret).toBe(404);
      expect([...real.headers]).toEqual([...fake.headers]);
    }
    // …and it appears once its article is out.
    const later = appOver({ source: fixtureSource(), site: fixtureSite(), now: () => new Date("2025-06-02T00:00:00Z"), log: () => {} });
    expect((await later.request("/sections/secret-section/")).status).toBe(200);
  });

  it("is cached no longer than the feeds, up to the site's next embargoed article", async () => {
    const embed = appOver({ source: fixtureSource(), site: fixtureSite(), now: () => new Date("2025-06-01T08:58:30Z"), log: () => {} });
    const page = await embed.request("/sections/news/");
    const feed = await embed.request("/sections/news/rss.xml");
    expect(page.headers.get("cache-control")).toBe(feed.headers.get("cache-control"));
    expect(page.headers.get("cache-control")).toMatch(/max-age=(30|90),/); // the minute boundary before 09:00
  });
});

describe("feeds and the OPML point at the page", () => {
  it.each([
    ["/tags/energy/", "https://news.example.com/tags/energy/"],
    ["/", "https://news.example.com/"],
  ])("the %s feeds name %s as their home (RSS link, Atom alternate, JSON Feed home_page_url, HTTP Link)", async (base, page) => {
    const rss = await app.request(`${base}rss.xml`);
    expect(await rss.text()).toContain(`<link>${page}</link>`);
    expect(rss.headers.get("link")).toBe(`<${page}>; rel="alternate"; type="text/html"`);
    expect(await (await app.request(`${base}atom.xml`)).text()).toContain(`<link rel="alternate" type="text/html" href="${page}"/>`);
    expect(((await (await app.request(`${base}feed.json`)).json()) as { home_page_url: string }).home_page_url).toBe(page);
  });

  it("each OPML outline's htmlUrl is its feed's page, and each page answers", async () => {
    const opml = await (await app.request("/feeds.opml")).text();
    const outlines = [...opml.matchAll(/xmlUrl="([^"]+)" htmlUrl="([^"]+)"/g)].map((m) => ({ xml: m[1]!, html: m[2]! }));
    expect(outlines.length).toBeGreaterThan(10);
    for (const { xml, html } of outlines) {
      expect(html).toBe(xml.replace(/rss\.xml$/, ""));
      expect((await app.request(html.slice(BASE.length) || "/")).status, html).toBe(200);
    }
    expect(outlines.map((o) => o.html)).toContain(`${BASE}${TEHRAN}`);
  });
});

describe("the index and article pages link to the facet pages", () => {
  it("the index lists the newest headlines in their languages, and links each facet's page", async () => {
    const { html } = await get("/");
    expect(headlines(html).map((h) => [h.lang, h.dir])).toEqual([
      ["en", "ltr"],
      ["en", "ltr"],
      ["en-GB", "ltr"],
      ["en", "ltr"],
      ["fa", "rtl"],
    ]);
    expect(html).toContain(`<strong dir="auto"><a href="${BASE}${TEHRAN}">تهران</a></strong>`);
  });

  it.each(["iran-azerbaijan-de-escalation", "tehran-metro-fa", "q-and-a-instc", "caspian-corridor-analysis"])(
    "every section, tag and author link on /articles/%s leads to a page that answers",
    async (slug) => {
      const { html } = await get(`/articles/${slug}`);
      const links = [...html.matchAll(/href="(https:\/\/news\.example\.com\/(?:sections|tags|authors)\/[^"]+\/)"/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThanOrEqual(2);
      for (const link of new Set(links)) expect((await app.request(link.slice(BASE.length))).status, link).toBe(200);
    },
  );
});
