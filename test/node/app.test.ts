// The Hono app in-process (app.request): feeds, embargo by the clock, images, privacy, bad content, parse-once.
import { describe, expect, it, vi } from "vitest";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import type { ContentSource } from "../../src/sources/source.ts";
import { appOver } from "../support/app.ts";
import { BROKEN_DIR, FIXTURE_DIR, NOW, site } from "../support/site.ts";

function makeApp(options: { now?: () => Date; source?: ContentSource; log?: (m: string) => void } = {}) {
  return appOver({
    source: options.source ?? createDirectorySource(FIXTURE_DIR),
    site,
    now: options.now ?? (() => NOW),
    log: options.log ?? (() => {}),
  });
}

const EMBARGO_TITLE = "Embargoed: leaders to sign corridor treaty";
const RELEASE = new Date("2027-01-01T06:00:00Z"); // 06:00 in London in winter

describe("feeds", () => {
  it.each([
    ["/rss.xml", "application/rss+xml; charset=utf-8"],
    ["/atom.xml", "application/atom+xml; charset=utf-8"],
    ["/feed.json", "application/feed+json; charset=utf-8"],
  ])("%s answers 200 with %s", async (path, type) => {
    const res = await makeApp().request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    const body = await res.text();
    expect(body).toContain("Iran, Azerbaijan chart path to de-escalation");
    expect(body).not.toContain("DRAFT: summit preview");
    expect(body).not.toContain(EMBARGO_TITLE);
  });

  it("lists items newest first by publication time", async () => {
    const doc = (await (await makeApp().request("/feed.json")).json()) as { items: { date_published: string }[] };
    const dates = doc.items.map((i) => i.date_published);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it("publishes an embargoed article once its time comes, without a restart", async () => {
    let now = new Date(RELEASE.getTime() - 1000);
    const app = makeApp({ now: () => now });
    expect(await (await app.request("/rss.xml")).text()).not.toContain(EMBARGO_TITLE);
    now = RELEASE;
    const rss = await (await app.request("/rss.xml")).text();
    expect(rss).toContain(EMBARGO_TITLE);
    expect(rss).toContain("<lastBuildDate>Fri, 01 Jan 2027 06:00:00 GMT</lastBuildDate>");
  });

  it("gives the same bytes for the same content however often it is asked", async () => {
    const app = makeApp();
    const first = await (await app.request("/atom.xml")).text();
    expect(await (await app.request("/atom.xml")).text()).toBe(first);
  });

  it("parses the archive once per app, not per request", async () => {
    const disk = createDirectorySource(FIXTURE_DIR);
    const source: ContentSource = { name: "counting", list: vi.fn(() => disk.list()), read: (p) => disk.read(p) };
    const app = makeApp({ source });
    await Promise.all([app.request("/rss.xml"), app.request("/atom.xml"), app.request("/feed.json")]);
    await app.request("/rss.xml");
    expect(source.list).toHaveBeenCalledTimes(1);
  });

  it("retries a source that failed to load instead of caching the failure", async () => {
    const disk = createDirectorySource(FIXTURE_DIR);
    let fail = true;
    const source: ContentSource = {
      name: "flaky",
      list: () => (fail ? Promise.reject(new Error("bucket unavailable")) : disk.list()),
      read: (p) => disk.read(p),
    };
    const log = vi.fn();
    const app = makeApp({ source, log });
    expect((await app.request("/rss.xml")).status).toBe(500);
    expect(log).toHaveBeenCalledWith(expect.stringContaining("bucket unavailable"));
    fail = false;
    expect((await app.request("/rss.xml")).status).toBe(200);
  });
});

describe("bad content never takes a feed down", () => {
  it("serves the good articles and logs each bad file once", async () => {
    const log = vi.fn();
    const app = makeApp({ source: createDirectorySource(BROKEN_DIR), log });
    const res = await app.request("/rss.xml");
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("The one good article");
    await app.request("/feed.json");
    const messages = log.mock.calls.map((c) => String(c[0]));
    for (const file of ["missing-title.md", "impossible-date.md", "malformed-yaml.md", "not-utf8.md", "unknown-image.md"]) {
      expect(messages.filter((m) => m.includes(file))).toHaveLength(1);
    }
  });
});

describe("images", () => {
  it.each([
    ["/images/pezeshkian-aliyev-baku.jpg", "image/jpeg", 19279],
    ["/images/caspian-port.jpg", "image/webp", 3668],
  ])("%s is served as %s (read from its bytes)", async (path, type, length) => {
    const res = await makeApp().request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect((await res.arrayBuffer()).byteLength).toBe(length);
  });

  it("keeps an embargoed article's photo private until the article is out", async () => {
    let now = NOW;
    const app = makeApp({ now: () => now });
    expect((await app.request("/images/embargoed-photo.jpg")).status).toBe(404);
    now = RELEASE;
    expect((await app.request("/images/embargoed-photo.jpg")).status).toBe(200);
  });
});

describe("nothing private is reachable", () => {
  it.each([
    "/images/missing.jpg",
    "/images/../authors.yaml",
    "/images/%2e%2e/authors.yaml",
    "/images/%E0%A4%A",
    "/authors.yaml",
    "/2025/04/iran-azerbaijan-de-escalation.md",
    "/articles/iran-azerbaijan-de-escalation.md",
    "/2025/05/embargoed-summit-preview.md",
    "/edge/embargoed-summit.md",
  ])("%s is 404", async (path) => {
    const res = await makeApp().request(path);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/^---/);
  });
});

describe("index page", () => {
  it("names the feeds and carries autodiscovery links", async () => {
    const res = await makeApp().request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(
      `<link rel="alternate" type="application/rss+xml" title="The New Region (RSS 2.0)" href="https://news.example.com/rss.xml">`,
    );
    expect(html).toContain(`type="application/atom+xml"`);
    expect(html).toContain(`type="application/feed+json"`);
  });
});

describe("404s and embargoes", () => {
  it("caches a 404 no longer than until the next embargoed article comes out", async () => {
    const cacheControl = async (now: Date, path: string) => {
      const res = await makeApp({ now: () => now }).request(path);
      expect(res.status).toBe(404);
      return res.headers.get("cache-control");
    };
    expect(await cacheControl(NOW, "/nothing-here")).toBe("public, max-age=60");
    expect(await cacheControl(new Date(RELEASE.getTime() - 30_000), "/images/embargoed-photo.jpg")).toBe("public, max-age=30");
    expect(await cacheControl(new Date(RELEASE.getTime() + 1_000), "/nothing-here")).toBe("public, max-age=60");
  });
});
