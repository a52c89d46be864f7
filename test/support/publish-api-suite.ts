// The publish API's suite, over any store: publish, edit, delete, rename, drafts, registries and images, each seen
// through the served feeds and pages; refusals use check's messages and change nothing. It runs over the memory store
// on Node (test/node/publish-api.test.ts: every rule in milliseconds), and inside workerd over real local D1 and R2,
// with every part in the catalog database (test/worker/publish-api.test.ts) and with parts written to a parts
// database (test/worker/publish-api-shards.test.ts; src/store/d1/parts.ts).
import { beforeEach, describe, expect, it } from "vitest";
import type { Catalog } from "../../src/core/catalog.ts";
import { loadContent } from "../../src/core/content.ts";
import type { ContentIssue } from "../../src/core/errors.ts";
import { hashSource } from "../../src/core/publish/publication.ts";
import type { PublishChange, Publisher } from "../../src/core/publishing.ts";
import { parseSettings, type SiteSettings } from "../../src/core/settings.ts";
import { createApp } from "../../src/http/app.ts";
import { BATCH_CONTROL, type PublishEvent } from "../../src/http/publish.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import { apiPath, type Fetch, publishFiles, send as sendWith } from "./api-client.ts";

/** What the suite needs of a store: a fresh catalog and publisher over it, and a few looks inside. */
export interface PublishApiStore {
  /** Empties the store before each test. */
  reset(): Promise<void>;
  /** The catalog the app reads (knowing authors' avatars by the suite's SITE_URL) and a publisher over the same store. */
  open(): { catalog: Catalog; publisher: Publisher };
  /** Publishable articles stored. */
  articleCount(): Promise<number>;
  /** Image objects stored (R2's keys), sorted. */
  objects(): Promise<string[]>;
  /** Where the parts of an article are (D1: the shard its row names) and where this run writes them. */
  parts?: { of(slug: string): Promise<unknown>; expected: unknown };
}

export interface PublishApiRun {
  /** The worker itself, with its own environment and PUBLISH_TOKEN (inside workerd): its routes are checked too. */
  worker?: { fetch: Fetch; token: string };
}

/** The publish API's secret in the suite's apps. */
const TOKEN = "suite-publish-token-0123456789abcdef";
const send = (fetch: Fetch, base: string, method: "PUT" | "DELETE", path: string, body?: string | Uint8Array, query = "") =>
  sendWith(fetch, base, TOKEN, method, path, body, query);

const SITE_VARS = {
  SITE_URL: "https://news.example.com",
  SITE_TITLE: "Test News",
  SITE_DESCRIPTION: "Test feeds",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "Europe/London",
};
const site = parseSettings(SITE_VARS);
const BASE = "https://news.example.com";
const NOW = new Date("2026-01-01T00:00:00Z");

const base64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
/** A 1×1 and a 3×2 PNG: real images, measured from their bytes. */
const PNG_1x1 = base64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");
const PNG_3x2 = base64("iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGP4z8AAQQxwFgBB0gX7h/C5SAAAAABJRU5ErkJggg==");

/** An article in section News tagged Oil; `fields` are front-matter lines to add or replace. */
function article(title: string, fields: Record<string, string> = {}): string {
  const all: Record<string, string> = { title, date: "2025-05-01 09:00", section: "News", tags: "[Oil]", ...fields };
  const lines = Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
  return `---\n${lines}---\nBody of ${title}.\n`;
}

/** The store of this run of the suite: set by describePublishApi. */
let store: PublishApiStore;
const reset = () => store.reset();

function setup() {
  const changes: PublishChange[] = [];
  const logs: string[] = [];
  const events: PublishEvent[] = [];
  const { catalog, publisher } = store.open();
  const app = createApp({
    catalog,
    site,
    now: () => NOW,
    log: (m) => logs.push(m),
    publish: {
      publisher,
      token: TOKEN,
      onChange: (c) => void changes.push(c),
      logEvent: (e) => void events.push(e),
    },
  });
  const fetch: Fetch = async (input, init) => app.request(input, init);
  const put = (path: string, body: string | Uint8Array, query = "") => send(fetch, BASE, "PUT", path, body, query);
  const del = (path: string) => send(fetch, BASE, "DELETE", path);
  const get = (path: string, init?: RequestInit) => fetch(BASE + path, init);
  const text = async (path: string) => (await get(path)).text();
  /** A reader's GET (of a path, or a whole URL) at another instant, or with other settings, over the same store. */
  const getAt = (at: Date, path: string, settings: SiteSettings = site, init?: RequestInit) =>
    createApp({ catalog, site: settings, now: () => at, log: () => {} }).request(path.startsWith("https:") ? path : BASE + path, init);
  return { app, fetch, put, del, get, getAt, text, changes, logs, events };
}

/** Everything a reader can see, byte for byte: the feeds of every list, the OPML, the index and the article pages. */
async function snapshot(get: (path: string) => Promise<Response>, slugs: readonly string[]): Promise<Record<string, string>> {
  const paths = [
    "/rss.xml",
    "/atom.xml",
    "/feed.json",
    "/sections/news/rss.xml",
    "/tags/oil/atom.xml",
    "/feeds.opml",
    "/",
    ...slugs.map((s) => `/articles/${s}`),
  ];
  const out: Record<string, string> = {};
  for (const path of paths) {
    const res = await get(path);
    out[path] = `${res.status} ${res.headers.get("ETag")} ${await res.text()}`;
  }
  return out;
}

/** What `npm run check` reports for `file` in a tree holding `files`: the issues publishing must repeat exactly. */
async function checkIssues(files: MemoryFiles, file: string): Promise<ContentIssue[]> {
  const content = await loadContent(createMemorySource(files), site);
  return content.issues.filter((i) => i.file === file);
}

/** Where a redirect leads. */
const location = (res: Response) => res.headers.get("Location");

async function problemOf(res: Response): Promise<{ status: number; issues: ContentIssue[]; detail: string }> {
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const body = (await res.json()) as { status: number; issues: ContentIssue[]; detail: string };
  return body;
}

/** Declares the suite over the store `make` gives (a fresh one for each test). */
export function describePublishApi(name: string, make: () => PublishApiStore, run: PublishApiRun = {}): void {
  describe(name, () => {
    beforeEach(async () => {
      store = make();
      await reset();
    });

    describe("publish API: authentication and availability", () => {
      it("asks for the token (401 with a Bearer challenge), refuses a wrong one (403), and answers the right one", async () => {
        const { fetch, events } = setup();
        const none = await fetch(`${BASE}/api/manifest`);
        expect(none.status).toBe(401);
        expect(none.headers.get("WWW-Authenticate")).toBe('Bearer realm="publish"');
        const basic = await fetch(`${BASE}/api/manifest`, { headers: { Authorization: `Basic ${btoa(`x:${TOKEN}`)}` } });
        expect(basic.status).toBe(401);
        for (const wrong of [`${TOKEN}x`, TOKEN.slice(0, -1), "x".repeat(TOKEN.length), `${TOKEN.slice(0, -1)}~`]) {
          const res = await fetch(`${BASE}/api/manifest`, { headers: { Authorization: `Bearer ${wrong}` } });
          expect(res.status, wrong).toBe(403);
          expect(res.headers.get("WWW-Authenticate"), wrong).toBeNull();
        }
        // A bearer token with characters no token may hold is a malformed request (RFC 6750 §3.1), not a wrong token.
        const malformed = await fetch(`${BASE}/api/manifest`, { headers: { Authorization: `Bearer ${TOKEN.slice(0, -1)}!` } });
        expect(malformed.status).toBe(400);
        expect(malformed.headers.get("WWW-Authenticate")).toBe('Bearer realm="publish", error="invalid_request"');
        expect(((await malformed.json()) as { detail: string }).detail).toMatch(/not a bearer token/);
        const put = await fetch(`${BASE}/api/articles/a.md`, { method: "PUT", body: article("A") });
        expect(put.status).toBe(401);
        expect(await store.articleCount()).toBe(0);
        const ok = await fetch(`${BASE}/api/manifest`, { headers: { Authorization: `Bearer ${TOKEN}` } });
        expect(ok.status).toBe(200);
        expect(events.map((e) => (e.event === "rejection" ? e.reason : e.event))).toEqual([
          "GET /api/manifest without a publish token",
          "GET /api/manifest without a publish token",
          ...Array(4).fill("GET /api/manifest with a wrong publish token"),
          "GET /api/manifest with a malformed publish token",
          "PUT /api/articles/a.md without a publish token",
        ]);
        expect(await ok.json()).toEqual({ entries: [], next: null });
      });

      it("does not exist without publish options: /api/* is a 404 even with the token", async () => {
        const app = createApp({ catalog: store.open().catalog, site, now: () => NOW });
        for (const [method, path] of [
          ["GET", "/api/manifest"],
          ["PUT", "/api/articles/a.md"],
        ] as const) {
          const res = await app.request(`${BASE}${path}`, {
            method,
            headers: { Authorization: `Bearer ${TOKEN}` },
            body: method === "PUT" ? "x" : undefined,
          });
          expect(res.status, path).toBe(404);
        }
      });

      // Only inside workerd: the worker itself, with its own environment.
      const worker = run.worker;
      if (worker) {
        it("is served by the worker itself with the PUBLISH_TOKEN secret", async () => {
          const { fetch: workerFetch, token } = worker;
          expect((await workerFetch("http://localhost:8787/api/manifest")).status).toBe(401);
          const res = await workerFetch("http://localhost:8787/api/manifest", { headers: { Authorization: `Bearer ${token}` } });
          expect(res.status).toBe(200);
          expect(res.headers.get("Cache-Control")).toBe("no-store");
        });
      }
    });

    describe("publish API: articles", () => {
      it("publishes an article with its image: it appears in every feed of its lists, its page and its image are served", async () => {
        const { put, get, text, changes } = setup();
        expect((await put("images/photo.png", PNG_1x1)).status).toBe(201);
        // Stored, but no published article uses it yet: not served.
        expect((await get("/images/photo.png")).status).toBe(404);
        const res = await put("2025/a.md", article("Alpha", { image: "/images/photo.png" }));
        expect(res.status).toBe(201);
        expect(await res.json()).toEqual({ file: "2025/a.md", slug: "a", draft: false, result: "created", warnings: [] });
        // Its parts are where this run of the suite writes them.
        if (store.parts) expect(await store.parts.of("a")).toEqual(store.parts.expected);
        for (const path of ["/rss.xml", "/sections/news/atom.xml", "/tags/oil/feed.json"])
          expect(await text(path), path).toContain("Alpha");
        expect(await text("/rss.xml")).toContain(
          '<enclosure url="https://news.example.com/images/photo.png" length="69" type="image/png"/>',
        );
        expect((await get("/articles/a")).status).toBe(200);
        const image = await get("/images/photo.png");
        expect(image.status).toBe(200);
        expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG_1x1);
        const last = changes.at(-1)!;
        expect(last.scopes).toEqual(["authors/publisher", "home", "languages/en", "sections/news", "tags/oil"]);
        expect(last.slugs).toEqual(["a"]);
      });

      it("never shows an article before its image is stored: a missing image is refused, naming it, with check's message", async () => {
        const { put, get } = setup();
        await put("b.md", article("Bravo"));
        const before = await snapshot(get, ["a", "b"]);
        const text = article("Alpha", { image: "/images/later.png" });
        const res = await put("a.md", text);
        expect(res.status).toBe(422);
        const body = await problemOf(res);
        expect(body.issues).toEqual(await checkIssues({ "a.md": text, "b.md": article("Bravo") }, "a.md"));
        expect(body.issues[0]!.found).toContain("images/later.png");
        expect(await snapshot(get, ["a", "b"])).toEqual(before);
        expect((await put("images/later.png", PNG_1x1)).status).toBe(201);
        expect((await put("a.md", text)).status).toBe(201);
        expect((await get("/images/later.png")).status).toBe(200);
      });

      it("edits in place (a new version and ETag); an identical re-publish changes no version, no ETag and tells no one", async () => {
        const { put, get, changes } = setup();
        await put("a.md", article("Alpha"));
        const first = await snapshot(get, ["a"]);
        const edited = await put("a.md", article("Alpha, revised"));
        expect(edited.status).toBe(200);
        expect(((await edited.json()) as { result: string }).result).toBe("updated");
        const second = await snapshot(get, ["a"]);
        for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/articles/a"]) expect(second[path], path).toContain("Alpha, revised");
        for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/sections/news/rss.xml", "/tags/oil/atom.xml"]) {
          expect(second[path]!.split(" ")[1], path).toMatch(/^"/);
          expect(second[path]!.split(" ")[1], path).not.toBe(first[path]!.split(" ")[1]);
        }
        const count = changes.length;
        const again = await put("a.md", article("Alpha, revised"));
        expect(((await again.json()) as { result: string }).result).toBe("unchanged");
        expect(await snapshot(get, ["a"])).toEqual(second);
        expect(changes.length).toBe(count);
        for (const path of ["/rss.xml", "/atom.xml", "/feed.json"]) {
          const etag = (await get(path)).headers.get("ETag")!;
          expect((await get(path, { headers: { "If-None-Match": etag } })).status, path).toBe(304);
        }
      });

      it("warns when a published article's body changes without a later `updated:`, from the stored text", async () => {
        const { put, text } = setup();
        const warningsOf = async (res: Response) =>
          ((await res.json()) as { warnings: ContentIssue[] }).warnings.filter((w) => w.field === "updated");
        const body = (words: string, fields: Record<string, string> = {}) => article("Alpha", fields).replace("Body of Alpha.", words);
        await put("a.md", body("First words."));
        // The title changed, not the body: nothing to warn about.
        expect(await warningsOf(await put("a.md", body("First words.", { title: "Alpha, retitled" })))).toEqual([]);
        const corrected = await warningsOf(await put("a.md", body("Corrected words.", { title: "Alpha, retitled" })));
        expect(corrected).toEqual([
          {
            file: "a.md",
            field: "updated",
            found: "a changed body, but no `updated`, as when it was last published",
            expected: expect.stringContaining("`updated:` set to the time of the correction"),
          },
        ]);
        // Stored with the article, as the preview shows check warnings.
        expect(await text("/preview/a")).toContain("a changed body, but no `updated`");
        // Whitespace alone is no change readers see; a later `updated:` is what the warning asks for.
        expect(await warningsOf(await put("a.md", body("Corrected   words.\n\n", { title: "Alpha, retitled" })))).toEqual([]);
        const marked = { title: "Alpha, retitled", updated: "2025-06-01 10:00" };
        expect(await warningsOf(await put("a.md", body("Corrected again.", marked)))).toEqual([]);
        expect(await warningsOf(await put("a.md", body("And again.", marked)))).toEqual([
          expect.objectContaining({ found: "a changed body, but `updated` is still 2025-06-01T09:00:00Z, as when it was last published" }),
        ]);
        // An article no reader has seen yet (embargoed) can change freely.
        await put("b.md", article("Beta", { date: "2027-01-01 09:00" }));
        expect(await warningsOf(await put("b.md", article("Beta", { date: "2027-01-01 09:00" }).replace("Body of Beta.", "New.")))).toEqual(
          [],
        );
      });

      it("leaves one whole version when the same article is published twice at once", async () => {
        for (let round = 0; round < 4; round++) {
          await reset();
          const { put, text } = setup();
          await put("a.md", article("Alpha"));
          const one = article("Alpha in Business", { section: "Business", tags: "[Rail, Iran]" });
          const two = article("Alpha in Culture", { section: "Culture", tags: "[Film]" });
          const answers = await Promise.all([put("a.md", one), put("a.md", two)]);
          expect(answers.map((r) => r.status).sort()).toEqual([200, 200]);
          const home = await text("/rss.xml");
          const winner = home.includes("Alpha in Business") ? "business" : "culture";
          expect(home.includes("Alpha in Culture")).toBe(winner === "culture");
          // Every list holds the winner's version, and no list holds the other's: one whole version, never a mixture.
          const lists = {
            business: ["/sections/business/rss.xml", "/tags/rail/rss.xml", "/tags/iran/rss.xml"],
            culture: ["/sections/culture/rss.xml", "/tags/film/rss.xml"],
          };
          for (const path of lists[winner])
            expect(await text(path), path).toContain(winner === "business" ? "Alpha in Business" : "Alpha in Culture");
          for (const path of lists[winner === "business" ? "culture" : "business"]) expect(await text(path), path).not.toContain("<item>");
          expect(await text("/sections/news/rss.xml")).not.toContain("<item>");
        }
      });

      it("refuses a broken file with exactly check's issues and changes nothing", async () => {
        const { put, get, events } = setup();
        await put("a.md", article("Alpha"));
        const before = await snapshot(get, ["a"]);
        const cases: Record<string, string | Uint8Array> = {
          "a.md": "---\ndate: 2025-05-01\nsummery: typo\n---\nNo title.\n",
          "bad-date.md": "---\ntitle: Bad\ndate: 2025-02-30\n---\nx\n",
          "bad-yaml.md": '---\ntitle: "open\ndate: 2025-01-01\n---\nx\n',
          "no-front-matter.md": "Just text.\n",
          "latin1.md": new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a]),
          "body-image.md": `${article("Body image")}![x](/images/nowhere.png)\n`,
        };
        for (const [file, text] of Object.entries(cases)) {
          const res = await put(file, text);
          expect(res.status, file).toBe(422);
          const body = await problemOf(res);
          const expected = await checkIssues({ [file]: text }, file);
          expect(expected.length, file).toBeGreaterThan(0);
          expect(body.issues, file).toEqual(expected);
          expect(body.detail).toContain(`${file} was not published; nothing was changed`);
        }
        expect(await snapshot(get, ["a"])).toEqual(before);
        const manifest = await (await get("/api/manifest", { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
        expect((manifest as { entries: { path: string }[] }).entries.map((e) => e.path)).toEqual(["a.md"]);
        const rejections = events.filter((e) => e.event === "rejection");
        expect(rejections.map((e) => e.file)).toEqual(Object.keys(cases));
        expect(rejections[0]).toMatchObject({
          reason: "a.md: 1 problem(s); nothing was changed",
          issues: [expect.stringMatching(/^a\.md \[title\]/)],
        });
      });

      it("refuses a slug or an id another stored file holds, naming both files", async () => {
        const { put, get } = setup();
        await put("one/a.md", article("Alpha", { id: "tag:news.example.com,2025:alpha" }));
        const before = await snapshot(get, ["a", "b"]);
        const sameSlug = await problemOf(await put("two/a.md", article("Other A")));
        expect(sameSlug.issues).toEqual([
          expect.objectContaining({ file: "two/a.md", field: "slug", found: 'slug "a", already used by one/a.md' }),
        ]);
        const sameId = await problemOf(await put("b.md", article("Bravo", { id: "tag:news.example.com,2025:alpha" })));
        expect(sameId.issues).toEqual([
          expect.objectContaining({ file: "b.md", field: "id", found: 'id "tag:news.example.com,2025:alpha", already used by one/a.md' }),
        ]);
        expect(await snapshot(get, ["a", "b"])).toEqual(before);
      });

      it("deletes: gone from every feed, list and page; its id is never given to another article", async () => {
        const { put, del, get, text, changes } = setup();
        await put("a.md", article("Alpha", { id: "tag:news.example.com,2025:alpha", tags: "[Oil, Rail]" }));
        await put("b.md", article("Bravo"));
        expect(await text("/tags/rail/rss.xml")).toContain("Alpha");
        const res = await del("a.md");
        expect(await res.json()).toEqual({ path: "a.md", result: "deleted" });
        expect(changes.at(-1)!.scopes).toEqual(["authors/publisher", "home", "languages/en", "sections/news", "tags/oil", "tags/rail"]);
        for (const path of [
          "/rss.xml",
          "/atom.xml",
          "/feed.json",
          "/sections/news/rss.xml",
          "/tags/oil/rss.xml",
          "/authors/publisher/feed.json",
        ]) {
          const body = await text(path);
          expect(body, path).not.toContain("Alpha");
          expect(body, path).toContain("Bravo");
        }
        for (const path of ["/feeds.opml", "/"]) expect(await text(path), path).not.toContain("tags/rail");
        // Its page is gone for good (410), and says so as the 404 does: a problem, or a page for a browser.
        const gone = await get("/articles/a");
        expect(gone.status).toBe(410);
        expect(gone.headers.get("Content-Type")).toBe("application/problem+json");
        expect(gone.headers.get("Cache-Control")).toMatch(/^public, max-age=\d+$/);
        expect((await get("/tags/rail/rss.xml")).status).toBe(404);
        expect(((await (await del("a.md")).json()) as { result: string }).result).toBe("absent");
        const reuse = await problemOf(await put("c.md", article("Charlie", { id: "tag:news.example.com,2025:alpha" })));
        expect(reuse.issues).toEqual([
          expect.objectContaining({ file: "c.md", field: "id", found: expect.stringContaining('deleted article "a"') }),
        ]);
      });

      it("renames with ?replaces=: one article, same slug and id, the old file gone; without it the slug is taken", async () => {
        const { put, get, text } = setup();
        await put("2025/a.md", article("Alpha"));
        const refused = await problemOf(await put("2026/a.md", article("Alpha")));
        expect(refused.issues[0]!.found).toBe('slug "a", already used by 2025/a.md');
        const res = await put("2026/a.md", article("Alpha"), "?replaces=2025%2Fa.md");
        expect(res.status).toBe(201);
        const rss = await text("/rss.xml");
        expect(rss.match(/<item>/g)).toHaveLength(1);
        expect(rss).toContain('<guid isPermaLink="true">https://news.example.com/articles/a</guid>');
        const manifest = (await (await get("/api/manifest", { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as {
          entries: { path: string }[];
        };
        expect(manifest.entries.map((e) => e.path)).toEqual(["2026/a.md"]);
        // A retried rename (the old file is already gone) is simply a publish.
        expect(((await (await put("2026/a.md", article("Alpha"), "?replaces=2025%2Fa.md")).json()) as { result: string }).result).toBe(
          "unchanged",
        );
        // ?replaces= must name the same article: the same slug, id, text or date.
        await put("b.md", article("Bravo"));
        const wrong = await problemOf(await put("c.md", article("Charlie", { date: "2025-05-02 09:00" }), "?replaces=b.md"));
        expect(wrong.issues[0]!.found).toContain("?replaces=b.md");
        expect(await text("/rss.xml")).toContain("Bravo");
      });

      it("keeps drafts out of every feed; a published article made a draft leaves, and comes back with its own id", async () => {
        const { put, get, text, changes } = setup();
        const draft = await put("d.md", article("Delta", { draft: "true" }));
        expect(await draft.json()).toEqual({ file: "d.md", slug: "d", draft: true, result: "created", warnings: [] });
        expect(await text("/rss.xml")).not.toContain("Delta");
        expect((await get("/articles/d")).status).toBe(404);
        expect(changes).toEqual([]); // nothing a reader can see changed
        await put("a.md", article("Alpha", { id: "tag:news.example.com,2025:alpha" }));
        await put("a.md", article("Alpha", { id: "tag:news.example.com,2025:alpha", draft: "true" }));
        expect(await text("/rss.xml")).not.toContain("Alpha");
        expect(changes.at(-1)).toMatchObject({
          scopes: ["authors/publisher", "home", "languages/en", "sections/news", "tags/oil"],
          slugs: ["a"],
        });
        const back = await put("a.md", article("Alpha", { id: "tag:news.example.com,2025:alpha" }));
        expect(((await back.json()) as { result: string }).result).toBe("created"); // created again as an article
        expect(await text("/rss.xml")).toContain("tag:news.example.com,2025:alpha");
        const manifest = (await (await get("/api/manifest", { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as {
          entries: { path: string; kind: string }[];
        };
        expect(manifest.entries.map((e) => [e.path, e.kind])).toEqual([
          ["a.md", "article"],
          ["d.md", "draft"],
        ]);
      });

      it("reports the scopes a change touched, before and after: a move between sections names both", async () => {
        const { put, changes } = setup();
        await put("a.md", article("Alpha"));
        await put("a.md", article("Alpha", { section: "Business", tags: "[Gas]" }));
        expect(changes.at(-1)!.scopes).toEqual([
          "authors/publisher",
          "home",
          "languages/en",
          "sections/business",
          "sections/news",
          "tags/gas",
          "tags/oil",
        ]);
      });

      it("runs the change hook's deferred work, and a failing hook neither fails nor undoes the publish", async () => {
        const events: PublishEvent[] = [];
        const done: string[] = [];
        const { catalog, publisher } = store.open();
        const app = createApp({
          catalog,
          site,
          now: () => NOW,
          publish: {
            publisher,
            token: TOKEN,
            logEvent: (e) => void events.push(e),
            onChange: (change, waitUntil) => {
              waitUntil(Promise.resolve().then(() => void done.push(`later ${change.slugs.join()}`)));
              if (change.slugs.includes("b")) throw new Error("hub down");
            },
          },
        });
        const fetch: Fetch = async (input, init) => app.request(input, init);
        expect((await send(fetch, BASE, "PUT", "a.md", article("Alpha"))).status).toBe(201);
        expect(done).toEqual(["later a"]); // without an ExecutionContext the deferred work is awaited before the answer
        expect((await send(fetch, BASE, "PUT", "b.md", article("Bravo"))).status).toBe(201);
        expect(events.at(-2)).toMatchObject({ event: "error", message: expect.stringContaining("hub down"), path: "b.md" });
        expect(events.at(-1)).toEqual({ event: "publish", file: "b.md", result: "created", slug: "b" });
        expect(await (await fetch(`${BASE}/rss.xml`)).text()).toContain("Bravo");
      });

      it("refuses paths that are no article file", async () => {
        const { fetch } = setup();
        const putRaw = (path: string) =>
          fetch(`${BASE}/api/articles/${path}`, { method: "PUT", headers: { Authorization: `Bearer ${TOKEN}` }, body: article("X") });
        for (const path of ["notes.txt", ".hidden.md", "images/x.md", "a/.git/b.md", "a//b.md"]) {
          const res = await putRaw(path);
          expect(res.status, path).toBe(422);
          expect((await problemOf(res)).issues[0]!.found, path).toContain(decodeURIComponent(path));
        }
        expect((await putRaw("a%2Fb.md")).status).toBe(400);
        expect((await putRaw("a%ZZ.md")).status).toBe(400);
      });
    });

    describe("publish API: old URLs", () => {
      /** The guid (RSS), id (Atom) and id (JSON Feed) each format gives the article titled `title`. */
      async function idsOf(text: (path: string) => Promise<string>, title: string): Promise<string[]> {
        const rss = await text("/rss.xml");
        const item = rss.split("<item>").find((i) => i.includes(title)) ?? "";
        const atom = (await text("/atom.xml")).split("<entry>").find((e) => e.includes(title)) ?? "";
        const json = (JSON.parse(await text("/feed.json")) as { items: { id: string; title: string }[] }).items.find(
          (i) => i.title === title,
        );
        return [/<guid[^>]*>([^<]*)<\/guid>/.exec(item)?.[1] ?? "", /<id>([^<]*)<\/id>/.exec(atom)?.[1] ?? "", json?.id ?? ""];
      }

      it("keeps a renamed article's id, and its old page answers 301 to the new one", async () => {
        const { put, get, text } = setup();
        await put("2025/alpha.md", article("Alpha"));
        const first = await idsOf(text, "Alpha");
        expect(first).toEqual(Array(3).fill("https://news.example.com/articles/alpha"));
        // Moved and renamed: the file name gives another slug; the date tells the same article.
        const res = await put("2026/alpha-story.md", article("Alpha, moved"), "?replaces=2025%2Falpha.md");
        expect(res.status).toBe(201);
        expect(await idsOf(text, "Alpha, moved")).toEqual(first);
        // No longer its URL: not a permalink.
        expect(await text("/rss.xml")).toContain('<guid isPermaLink="false">https://news.example.com/articles/alpha</guid>');
        const old = await get("/articles/alpha");
        expect(old.status).toBe(301);
        expect(location(old)).toBe("https://news.example.com/articles/alpha-story");
        expect(old.headers.get("Cache-Control")).toMatch(/^public, max-age=\d+$/);
        expect((await get("/articles/alpha-story")).status).toBe(200);
      });

      it("keeps a re-slugged article's id; every slug it had leads to its page, without chains", async () => {
        const { put, get, text } = setup();
        await put("a.md", article("Alpha"));
        await put("a.md", article("Alpha", { slug: "alpha-two" }));
        await put("a.md", article("Alpha", { slug: "alpha-three" }));
        expect(await idsOf(text, "Alpha")).toEqual(Array(3).fill("https://news.example.com/articles/a"));
        for (const old of ["/articles/a", "/articles/alpha-two", "/articles/alpha-two/"]) {
          const res = await get(old);
          expect(res.status, old).toBe(301);
          expect(location(res), old).toBe("https://news.example.com/articles/alpha-three");
        }
        // Back to a slug it had: that page is its page again, and the others lead to it.
        await put("a.md", article("Alpha", { slug: "a" }));
        expect((await get("/articles/a")).status).toBe(200);
        expect(location(await get("/articles/alpha-three"))).toBe("https://news.example.com/articles/a");
        // `id:` set by the front matter wins over the first one.
        await put("a.md", article("Alpha", { slug: "a", id: "tag:news.example.com,2025:alpha" }));
        expect(await idsOf(text, "Alpha")).toEqual(Array(3).fill("tag:news.example.com,2025:alpha"));
        expect(location(await get("/articles/alpha-two"))).toBe("https://news.example.com/articles/a");
      });

      it("answers 410 for a deleted article's page and aliases, and for an article renamed into a draft, whose id is retired", async () => {
        const { put, del, get, getAt } = setup();
        await put("a.md", article("Alpha", { aliases: "[/2025/05/alpha/]" }));
        expect(location(await get("/2025/05/alpha/"))).toBe("https://news.example.com/articles/a");
        await del("a.md");
        for (const path of ["/articles/a", "/2025/05/alpha/", "/2025/05/alpha"]) expect((await get(path)).status, path).toBe(410);
        const page = await getAt(NOW, "/articles/a", site, { headers: { Accept: "text/html" } });
        expect(page.status).toBe(410);
        expect(page.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
        expect(await page.text()).toContain("<h1>Gone</h1>");
        // Renamed into a draft: the old article is retired as a delete retires it.
        await put("b.md", article("Bravo"));
        const drafted = await put("drafts/b-draft.md", article("Bravo", { draft: "true" }), "?replaces=b.md");
        expect(drafted.status).toBe(201);
        expect((await get("/articles/b")).status).toBe(410);
        const reuse = await problemOf(await put("c.md", article("Charlie", { id: "https://news.example.com/articles/b" })));
        expect(reuse.issues[0]!.found).toContain('deleted article "b"');
        // Never the draft: nothing leads to it.
        expect((await get("/articles/b-draft")).status).toBe(404);
      });

      it("stores aliases with one owner, serves each as a 301, and lists them nowhere public", async () => {
        const { put, get, getAt, text } = setup();
        await put("a.md", article("Alpha", { aliases: "[/2024/05/alpha/, https://old.example.com/2024/05/alpha-story/]" }));
        for (const path of ["/2024/05/alpha/", "/2024/05/alpha", "/2024/05/%61lpha/"]) {
          const res = await get(path);
          expect(res.status, path).toBe(301);
          expect(location(res), path).toBe("https://news.example.com/articles/a");
        }
        // An alias on another host answers where that host is routed to this worker.
        expect((await getAt(NOW, "/2024/05/alpha-story/")).status).toBe(404);
        const routed = await getAt(NOW, "https://old.example.com/2024/05/alpha-story/");
        expect(routed.status).toBe(301);
        expect(location(routed)).toBe("https://news.example.com/articles/a");
        // Another article claiming it is refused, both files named, in the words the client retries on.
        const clash = await problemOf(await put("b.md", article("Bravo", { aliases: "[/2024/05/alpha]" })));
        expect(clash.issues).toEqual([
          expect.objectContaining({ file: "b.md", field: "aliases", found: 'the alias "/2024/05/alpha", already used by a.md' }),
        ]);
        // Given up by its owner, it is free: the old path no longer leads anywhere, and another article may take it.
        await put("a.md", article("Alpha"));
        expect((await get("/2024/05/alpha/")).status).toBe(404);
        expect((await put("b.md", article("Bravo", { aliases: "[/2024/05/alpha]" }))).status).toBe(201);
        expect(location(await get("/2024/05/alpha/"))).toBe("https://news.example.com/articles/b");
        for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/sitemap.xml", "/articles/b", "/", "/feeds.opml"]) {
          expect(await text(path), path).not.toContain("2024/05/alpha");
        }
      });

      it("answers WordPress's plain permalink /?p=ID 301 when an article holds it; else the home page, whoever holds it", async () => {
        const { put, del, get, getAt, text } = setup();
        const later = "2026-02-01T09:00:00Z";
        await put("a.md", article("Alpha", { aliases: "[/?p=123, https://old.example.com/?p=77]" }));
        await put("d.md", article("Drafted", { draft: "true", aliases: "[/?p=124]" }));
        await put("e.md", article("Embargoed", { date: later, aliases: "[/?p=125]" }));
        for (const path of ["/?p=123", "/?p=123&utm_source=x", "/?utm_medium=feed&p=123"]) {
          const res = await get(path);
          expect(res.status, path).toBe(301);
          expect(location(res), path).toBe("https://news.example.com/articles/a");
        }
        const routed = await getAt(NOW, "https://old.example.com/?p=77");
        expect(location(routed)).toBe("https://news.example.com/articles/a");
        // The home page, byte for byte as for a post id nobody holds: a draft's, an embargoed article's, a malformed or
        // ambiguous query, one too long to read.
        const home = await text("/?p=999");
        expect(home).toContain("<h1>");
        const long = `/?${"x=1&".repeat(60)}p=123`;
        for (const path of ["/?p=124", "/?p=125", "/?p=0123", "/?p=123&p=124", "/?p=12a", "/?P=123", long, "/?p=77"]) {
          const res = await get(path);
          expect(res.status, path).toBe(200);
          expect(await res.text(), path).toBe(home);
        }
        // Released, the embargoed article's leads to it; deleted, an article's answers 410.
        expect(location(await getAt(new Date(later), "/?p=125"))).toBe("https://news.example.com/articles/e");
        await del("a.md");
        const gone = await get("/?p=123");
        expect(gone.status).toBe(410);
        expect(((await gone.json()) as { detail: string }).detail).toMatch(/^What was at \/\?p=123 has been removed\./);
        expect(await text("/feeds.opml")).not.toContain("?p=");
      });

      it("never leads to an embargoed article before its release, reading as an unknown path", async () => {
        const { put, getAt } = setup();
        const later = "2026-02-01T09:00:00Z";
        await put("e.md", article("Embargoed", { date: later, aliases: "[/2025/12/embargoed/]" }));
        await put("e.md", article("Embargoed", { date: later, slug: "embargoed-story", aliases: "[/2025/12/embargoed/]" }));
        const rule = {
          ...site,
          legacyPermalinks: parseSettings({ ...SITE_VARS, LEGACY_PERMALINKS: "/{year}/{month}/{slug}/" }).legacyPermalinks!,
        };
        for (const path of ["/2025/12/embargoed/", "/articles/e", "/2026/02/embargoed-story/"]) {
          const before = await getAt(NOW, path, rule);
          expect(before.status, path).toBe(404);
          expect(before.headers.get("Cache-Control"), path).toMatch(/^public, max-age=\d+$/);
          const unknown = await getAt(NOW, path.replace("embargoed", "nothing-here"), rule);
          expect(
            [...before.headers].filter(([k]) => k !== "content-length"),
            path,
          ).toEqual([...unknown.headers].filter(([k]) => k !== "content-length"));
          const after = await getAt(new Date(later), path, rule);
          expect(after.status, path).toBe(301);
          expect(location(after), path).toBe("https://news.example.com/articles/embargoed-story");
        }
      });

      it("maps the old permalink scheme (LEGACY_PERMALINKS) to articles, their date in SITE_TIMEZONE, and slugs they had", async () => {
        const { put, getAt } = setup();
        const rule = {
          ...site,
          legacyPermalinks: parseSettings({ ...SITE_VARS, LEGACY_PERMALINKS: "/{year}/{month}/{day}/{slug}/" }).legacyPermalinks!,
        };
        // 00:30 in London on 1 May is 30 April in UTC: the rule reads the site's calendar.
        await put("late.md", article("Late", { date: "2025-05-01 00:30" }));
        const res = await getAt(NOW, "/2025/05/01/late/", rule);
        expect(res.status).toBe(301);
        expect(location(res)).toBe("https://news.example.com/articles/late");
        expect((await getAt(NOW, "/2025/05/01/late", rule)).status).toBe(301);
        for (const wrong of ["/2025/04/30/late/", "/2025/05/02/late/", "/2025/05/01/nothing/", "/2025/05/late/"]) {
          expect((await getAt(NOW, wrong, rule)).status, wrong).toBe(404);
        }
        // Re-slugged since: the permalink names a slug it had.
        await put("late.md", article("Late", { date: "2025-05-01 00:30", slug: "late-night" }));
        expect(location(await getAt(NOW, "/2025/05/01/late/", rule))).toBe("https://news.example.com/articles/late-night");
        // Without the setting, nothing.
        expect((await getAt(NOW, "/2025/05/01/late-night/", site)).status).toBe(404);
      });
    });

    describe("publish API: preconditions (no lost updates)", () => {
      const auth = { Authorization: `Bearer ${TOKEN}` };
      /** What the manifest says `path` holds (its hash), as the publish client reads it. */
      async function held(fetch: Fetch, path: string): Promise<string | undefined> {
        const page = (await (await fetch(`${BASE}/api/manifest`, { headers: auth })).json()) as {
          entries: { path: string; hash: string }[];
        };
        return page.entries.find((e) => e.path === path)?.hash;
      }
      const putWith = (fetch: Fetch, path: string, body: string | Uint8Array, headers: Record<string, string>, query = "") =>
        fetch(BASE + apiPath(path) + query, {
          method: "PUT",
          headers: { ...auth, ...headers },
          body: (typeof body === "string" ? new TextEncoder().encode(body) : body) as Uint8Array<ArrayBuffer>,
        });
      const deleteWith = (fetch: Fetch, path: string, headers: Record<string, string>) =>
        fetch(BASE + apiPath(path), { method: "DELETE", headers: { ...auth, ...headers } });

      it("stores an article only while it holds what the change was based on (If-Match), and answers 412 naming the file", async () => {
        const { fetch, put, text } = setup();
        await put("a.md", article("Alpha"));
        const base = await held(fetch, "a.md");
        expect(base).toBe(hashSource(article("Alpha")));
        // Someone else publishes an edit; a change based on the first version is refused, and changes nothing.
        await put("a.md", article("Alpha, their edit"));
        const stale = await putWith(fetch, "a.md", article("Alpha, my edit"), { "If-Match": `"${base}"` });
        expect(stale.status).toBe(412);
        const problem = (await stale.json()) as { title: string; file: string; stored: string; detail: string };
        expect(problem).toMatchObject({ title: "Precondition Failed", file: "a.md", stored: hashSource(article("Alpha, their edit")) });
        expect(problem.detail).toContain("a.md changed on the worker since it was read");
        expect(await text("/rss.xml")).toContain("their edit");
        // Based on what is stored now, it goes.
        const fresh = await putWith(fetch, "a.md", article("Alpha, my edit"), { "If-Match": `"${await held(fetch, "a.md")}", "other"` });
        expect(fresh.status).toBe(200);
        expect(await text("/rss.xml")).toContain("my edit");
        // A retried request whose first attempt went through (the file holds exactly what is sent): not a lost update.
        const retried = await putWith(fetch, "a.md", article("Alpha, my edit"), { "If-Match": `"${base}"` });
        expect(retried.status).toBe(200);
        expect(((await retried.json()) as { result: string }).result).toBe("unchanged");
        // A weak tag never matches strongly; `*` is any stored version.
        expect((await putWith(fetch, "a.md", article("Alpha, weak"), { "If-Match": `W/"${await held(fetch, "a.md")}"` })).status).toBe(412);
        expect((await putWith(fetch, "a.md", article("Alpha, any"), { "If-Match": "*" })).status).toBe(200);
        expect((await putWith(fetch, "new.md", article("New"), { "If-Match": "*" })).status).toBe(412);
      });

      it("creates a file only while it does not exist (If-None-Match: *)", async () => {
        const { fetch, put, text } = setup();
        expect((await putWith(fetch, "a.md", article("Alpha"), { "If-None-Match": "*" })).status).toBe(201);
        await put("b.md", article("Bravo"));
        const taken = await putWith(fetch, "b.md", article("Bravo, mine"), { "If-None-Match": "*" });
        expect(taken.status).toBe(412);
        expect(await text("/rss.xml")).not.toContain("Bravo, mine");
      });

      it("deletes only what the change was based on; a file already gone is absent", async () => {
        const { fetch, put, get } = setup();
        await put("a.md", article("Alpha"));
        const base = await held(fetch, "a.md");
        await put("a.md", article("Alpha, edited"));
        expect((await deleteWith(fetch, "a.md", { "If-Match": `"${base}"` })).status).toBe(412);
        expect((await get("/articles/a")).status).toBe(200);
        const now = await held(fetch, "a.md");
        expect(await (await deleteWith(fetch, "a.md", { "If-Match": `"${now}"` })).json()).toEqual({ path: "a.md", result: "deleted" });
        expect(await (await deleteWith(fetch, "a.md", { "If-Match": `"${now}"` })).json()).toEqual({ path: "a.md", result: "absent" });
      });

      it("holds images and registries to their base too", async () => {
        const { fetch, put } = setup();
        await put("images/p.png", PNG_1x1);
        const image = await held(fetch, "images/p.png");
        await put("images/p.png", PNG_3x2);
        expect((await putWith(fetch, "images/p.png", PNG_1x1, { "If-Match": `"${image}"` })).status).toBe(412);
        expect((await deleteWith(fetch, "images/p.png", { "If-Match": `"${image}"` })).status).toBe(412);
        await put("authors.yaml", "sara:\n  name: Sara\n");
        const registry = await held(fetch, "authors.yaml");
        await put("authors.yaml", "sara:\n  name: Sara Ahmadi\n");
        const stale = await putWith(fetch, "authors.yaml", "sara:\n  name: S. Ahmadi\n", { "If-Match": `"${registry}"` });
        expect(stale.status).toBe(412);
        expect(await held(fetch, "authors.yaml")).toBe(hashSource("sara:\n  name: Sara Ahmadi\n"));
      });

      it("refuses a malformed precondition (400) rather than ignore it", async () => {
        const { fetch } = setup();
        expect((await putWith(fetch, "a.md", article("Alpha"), { "If-Match": "abc" })).status).toBe(400);
        expect((await putWith(fetch, "a.md", article("Alpha"), { "If-None-Match": '"abc"' })).status).toBe(400);
        expect(await held(fetch, "a.md")).toBeUndefined();
      });

      it("reads a batch's .batch part: preconditions, renames and deletions, each file answered on its own", async () => {
        const { fetch, put, get, text } = setup();
        await put("2025/a.md", article("Alpha"));
        await put("2025/b.md", article("Bravo", { date: "2025-05-02 09:00" }));
        await put("2025/c.md", article("Charlie", { date: "2025-05-03 09:00" }));
        await put("images/old.png", PNG_1x1);
        const hashOf = async (path: string) => `"${await held(fetch, path)}"`;
        const stale = `"${hashSource("not what is stored")}"`;
        const form = batchBody([
          // Renamed (its name gives another slug), based on what the old file held.
          ["2026/alpha-moved.md", article("Alpha")],
          // An edit based on an old version: refused alone.
          ["2025/b.md", article("Bravo, edited")],
          ["2025/d.md", article("Delta", { date: "2025-05-04 09:00" })],
        ]);
        form.append(
          BATCH_CONTROL,
          JSON.stringify({
            "if-match": {
              "2025/a.md": await hashOf("2025/a.md"),
              "2025/b.md": stale,
              "2025/c.md": await hashOf("2025/c.md"),
              "images/old.png": await hashOf("images/old.png"),
            },
            "if-none-match": { "2026/alpha-moved.md": "*", "2025/d.md": "*" },
            replaces: { "2026/alpha-moved.md": "2025/a.md" },
            delete: ["2025/c.md", "images/old.png"],
          }),
        );
        const res = await fetch(`${BASE}/api/batch`, { method: "POST", headers: auth, body: form });
        expect(res.status).toBe(200);
        const { results } = (await res.json()) as { results: BatchResult[] };
        expect(results.map((r) => [r.path, r.status, r.result ?? "refused"])).toEqual([
          ["2026/alpha-moved.md", 201, "created"],
          ["2025/b.md", 412, "refused"],
          ["2025/d.md", 201, "created"],
          ["2025/c.md", 200, "deleted"],
          ["images/old.png", 200, "deleted"],
        ]);
        expect(results[1]).toMatchObject({ file: "2025/b.md", detail: expect.stringContaining("changed on the worker") });
        expect(location(await get("/articles/a"))).toBe("https://news.example.com/articles/alpha-moved");
        expect((await get("/articles/c")).status).toBe(410);
        const rss = await text("/rss.xml");
        expect(rss).toContain("https://news.example.com/articles/a</guid>");
        expect(rss).not.toContain("Bravo, edited");
        // A rename whose old file changed meanwhile is refused, naming that file.
        await put("2025/e.md", article("Echo", { date: "2025-05-05 09:00" }));
        const moved = batchBody([["2026/e.md", article("Echo", { date: "2025-05-05 09:00" })]]);
        moved.append(BATCH_CONTROL, JSON.stringify({ "if-match": { "2025/e.md": stale }, replaces: { "2026/e.md": "2025/e.md" } }));
        const refused = (await (await fetch(`${BASE}/api/batch`, { method: "POST", headers: auth, body: moved })).json()) as {
          results: BatchResult[];
        };
        expect(refused.results).toEqual([expect.objectContaining({ path: "2026/e.md", status: 412, file: "2025/e.md" })]);
      });

      it.each([
        ["not JSON", "{"],
        ["an unknown member", JSON.stringify({ "if-matches": {} })],
        ["a path the batch does not change", JSON.stringify({ "if-match": { "elsewhere.md": "*" } })],
        ["a rename of a file not sent", JSON.stringify({ replaces: { "x.md": "y.md" } })],
        ["a deletion of a file also sent", JSON.stringify({ delete: ["2025/a.md"] })],
        ["a malformed If-Match", JSON.stringify({ "if-match": { "2025/a.md": "abc" } })],
      ])("refuses a .batch part with %s (400), storing nothing", async (_case, control) => {
        const { fetch } = setup();
        const form = batchBody([["2025/a.md", article("Alpha")]]);
        form.append(BATCH_CONTROL, control);
        expect((await fetch(`${BASE}/api/batch`, { method: "POST", headers: auth, body: form })).status).toBe(400);
        expect(await held(fetch, "2025/a.md")).toBeUndefined();
      });
    });

    describe("publish API: size limits", () => {
      it("refuses an article over 4 MiB and an image over 10 MiB with 413, declared or streamed, storing nothing", async () => {
        const { put, fetch } = setup();
        const big = `${article("Big")}${"x".repeat(4 * 1024 * 1024)}`;
        expect((await put("big.md", big)).status).toBe(413);
        // No Content-Length: the body is read up to the limit and no further.
        let pulled = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 1;
            if (pulled > 200) controller.close();
            else controller.enqueue(new Uint8Array(64 * 1024).fill(120));
          },
        });
        const streamed = await fetch(`${BASE}/api/articles/streamed.md`, {
          method: "PUT",
          headers: { Authorization: `Bearer ${TOKEN}` },
          body: stream,
          duplex: "half",
        } as RequestInit);
        expect(streamed.status).toBe(413);
        expect(pulled).toBeLessThan(200); // cancelled soon after 4 MiB (64 chunks of 64 KiB), not read to the end
        const image = new Uint8Array(10 * 1024 * 1024 + 1);
        image.set(PNG_1x1);
        expect((await put("images/big.png", image)).status).toBe(413);
        const manifest = (await (await fetch(`${BASE}/api/manifest`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as {
          entries: unknown[];
        };
        expect(manifest.entries).toEqual([]);
        expect(await store.objects()).toEqual([]);
      });
    });

    /** A multipart/form-data batch of `files` (path → bytes), each a file part named by its path. */
    function batchBody(files: readonly (readonly [string, string | Uint8Array])[]): FormData {
      const form = new FormData();
      for (const [path, bytes] of files) form.append(path, new Blob([bytes as Uint8Array<ArrayBuffer>]), path.split("/").at(-1));
      return form;
    }

    type BatchResult = { path: string; status: number } & Record<string, unknown>;

    describe("publish API: batches", () => {
      const files: [string, string | Uint8Array][] = [
        ["images/photo.png", PNG_1x1],
        ["authors.yaml", "sara:\n  name: Sara Ahmadi\n"],
        ["2025/a.md", article("Alpha", { image: "/images/photo.png", authors: "[sara]" })],
        ["2025/b.md", article("Bravo", { date: "2025-05-02 09:00", section: "Business", tags: "[Gas]" })],
        ["2025/c.md", article("Charlie", { draft: "true" })],
      ];
      const post = (fetch: Fetch, body: BodyInit, headers: Record<string, string> = {}) =>
        fetch(`${BASE}/api/batch`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, ...headers }, body });

      it("stores every file exactly as its own PUT would: the same answers, and the same feeds, pages and manifest", async () => {
        const one = setup();
        const single: BatchResult[] = [];
        for (const [path, bytes] of files) {
          const res = await one.put(path, bytes);
          single.push({ path, status: res.status, ...((await res.json()) as object) });
        }
        const slugs = ["a", "b", "c"];
        const expected = await snapshot(one.get, slugs);
        const manifest = await (await one.fetch(`${BASE}/api/manifest`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();

        await reset();
        const two = setup();
        const res = await post(two.fetch, batchBody(files));
        expect(res.status).toBe(200);
        expect(res.headers.get("Cache-Control")).toBe("no-store");
        expect(((await res.json()) as { results: BatchResult[] }).results).toEqual(single);
        expect(await snapshot(two.get, slugs)).toEqual(expected);
        expect(await (await two.fetch(`${BASE}/api/manifest`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text()).toBe(manifest);
        expect(two.events.filter((e) => e.event === "publish").map((e) => e.file)).toEqual(files.map(([path]) => path));
      });

      it("refuses a file with check's issues, changing nothing for it, while the others are stored", async () => {
        const { fetch, get } = setup();
        const broken = article("Delta", { image: "/images/missing.png" });
        const res = await post(
          fetch,
          batchBody([
            ["2025/a.md", article("Alpha")],
            ["2025/d.md", broken],
            ["notes.txt", "not an article"],
            ["2025/b.md", article("Bravo")],
          ]),
        );
        const { results } = (await res.json()) as { results: BatchResult[] };
        expect(results.map((r) => [r.path, r.status])).toEqual([
          ["2025/a.md", 201],
          ["2025/d.md", 422],
          ["notes.txt", 422],
          ["2025/b.md", 201],
        ]);
        expect(results[1]!.issues).toEqual(await checkIssues({ "2025/d.md": broken }, "2025/d.md"));
        expect(results[1]!.detail).toContain("2025/d.md was not published; nothing was changed");
        const feed = await (await get("/rss.xml")).text();
        expect(feed).toContain("Alpha");
        expect(feed).toContain("Bravo");
        expect(feed).not.toContain("Delta");
      });

      it("forgets the touched feeds and tells the hook once, naming everything the batch changed", async () => {
        const { fetch, get, changes } = setup();
        await post(fetch, batchBody([["2025/a.md", article("Alpha")]]));
        expect(await (await get("/sections/business/rss.xml")).text()).not.toContain("Bravo");
        const before = changes.length;
        await post(
          fetch,
          batchBody([
            ["2025/b.md", article("Bravo", { section: "Business", tags: "[Gas]" })],
            ["2025/e.md", article("Echo", { section: "Culture" })],
          ]),
        );
        expect(changes.length).toBe(before + 1);
        expect(changes.at(-1)!.scopes).toEqual([
          "authors/publisher",
          "home",
          "languages/en",
          "sections/business",
          "sections/culture",
          "tags/gas",
          "tags/oil",
        ]);
        expect(changes.at(-1)!.slugs).toEqual(["b", "e"]);
        expect(await (await get("/sections/business/rss.xml")).text()).toContain("Bravo");
      });

      it("keeps every file's own size limit and bounds the batch: files, bytes, and the body's type", async () => {
        const { fetch, events } = setup();
        const big = `${article("Big")}${"x".repeat(4 * 1024 * 1024)}`;
        const res = await post(
          fetch,
          batchBody([
            ["big.md", big],
            ["2025/a.md", article("Alpha")],
          ]),
        );
        const { results } = (await res.json()) as { results: BatchResult[] };
        expect(results.map((r) => r.status)).toEqual([413, 201]);
        expect(events).toContainEqual(expect.objectContaining({ event: "rejection", file: "big.md" }));
        const many = batchBody(Array.from({ length: 1001 }, (_, i) => [`${i}.md`, "x"] as const));
        expect((await post(fetch, many)).status).toBe(413);
        expect((await post(fetch, "a.md=x", { "Content-Type": "application/x-www-form-urlencoded" })).status).toBe(415);
        const huge = new Request(`${BASE}/api/batch`, { method: "POST", body: batchBody([["huge.md", "x".repeat(17 * 1024 * 1024)]]) });
        const declared = await fetch(`${BASE}/api/batch`, {
          method: "POST",
          headers: {
            Authorization: `Bearer ${TOKEN}`,
            "Content-Type": huge.headers.get("Content-Type")!,
            "Content-Length": String(17 * 1024 * 1024),
          },
          body: huge.body,
          duplex: "half",
        } as RequestInit);
        expect(declared.status).toBe(413);
        expect((await fetch(`${BASE}/api/batch`, { method: "POST", body: batchBody(files) })).status).toBe(401);
        expect(await store.articleCount()).toBe(1);
      });
    });

    describe("publish API: images", () => {
      it("stores only JPEG, PNG, GIF, WebP and AVIF, measured from the bytes", async () => {
        const { put } = setup();
        const svg = await problemOf(await put("images/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'));
        expect(svg.issues[0]).toMatchObject({ file: "images/logo.svg", found: expect.stringMatching(/svg/i) });
        const text = await problemOf(await put("images/fake.jpg", "not an image"));
        expect(text.issues[0]!.found).toBe("bytes of no known image format");
        // 33 bytes of PNG header claiming 2147483647 × 2147483647 pixels: the claim would be announced to every reader.
        const claim = await problemOf(await put("images/claim.png", base64("iVBORw0KGgoAAAANSUhEUn////9/////CAIAAACbq5wx")));
        expect(claim.issues[0]!.found).toBe(
          "a PNG file of 2,147,483,647 × 2,147,483,647 pixels, over the limit of 16,384 pixels a side and 100 megapixels in all",
        );
        const ok = await put("images/ok.png", PNG_3x2);
        expect(await ok.json()).toEqual({
          path: "images/ok.png",
          result: "created",
          republished: [],
          type: "image/png",
          width: 3,
          height: 2,
          length: 73,
        });
      });

      it("re-publishes the articles that use an image whose bytes change, so enclosures carry the new facts", async () => {
        const { put, text } = setup();
        await put("images/p.png", PNG_1x1);
        await put("a.md", article("Alpha", { image: "/images/p.png" }));
        expect(await text("/rss.xml")).toContain('length="69"');
        const res = await put("images/p.png", PNG_3x2);
        expect(await res.json()).toMatchObject({ result: "updated", republished: [{ file: "a.md", result: "updated" }] });
        expect(await text("/rss.xml")).toContain('length="73"');
        expect(((await (await put("images/p.png", PNG_3x2)).json()) as { result: string }).result).toBe("unchanged");
      });

      it("serves an author's local avatar from the start, though no article uses it", async () => {
        const { put, get } = setup();
        const avatar = `${BASE}/images/authors/leyla%20a.png`;
        expect((await put("images/authors/leyla a.png", PNG_1x1)).status).toBe(201);
        // Stored, but named by nobody yet: private, like an embargoed article's photo.
        expect((await get("/images/authors/leyla%20a.png")).status).toBe(404);
        expect((await put("authors.yaml", "leyla:\n  name: Leyla Aliyeva\n  avatar: /images/authors/leyla a.png\n")).status).toBe(201);
        const served = await get("/images/authors/leyla%20a.png");
        expect(served.status).toBe(200);
        expect(served.headers.get("Content-Type")).toBe("image/png");
        expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG_1x1);
        // The URL JSON Feed gives the author is that one.
        expect((await put("2025/l.md", article("By Leyla", { author: "leyla" }))).status).toBe(201);
        const feed = (await (await get("/feed.json")).json()) as { items: { authors: { avatar?: string }[] }[] };
        expect(feed.items[0]!.authors[0]!.avatar).toBe(avatar);
        // Gone from the registry: private again.
        expect((await put("authors.yaml", "leyla:\n  name: Leyla Aliyeva\n")).status).toBe(200);
        expect((await get("/images/authors/leyla%20a.png")).status).toBe(404);
      });

      it("deletes an image only when no stored article uses it", async () => {
        const { put, del } = setup();
        await put("images/p.png", PNG_1x1);
        await put("a.md", article("Alpha", { image: "/images/p.png" }));
        const refused = await del("images/p.png");
        expect(refused.status).toBe(409);
        expect(((await refused.json()) as { detail: string }).detail).toContain("a.md");
        await del("a.md");
        expect(await (await del("images/p.png")).json()).toEqual({ path: "images/p.png", result: "deleted" });
        expect(await store.objects()).not.toContain("images/p.png");
      });
    });

    describe("publish API: registries", () => {
      it("publishes authors.yaml and re-publishes the articles naming an author whose entry changed", async () => {
        const { put, text, changes } = setup();
        await put("authors.yaml", "sara:\n  name: Sara Ahmadi\nomid:\n  name: Omid R\n");
        await put("a.md", article("Alpha", { authors: "[sara]" }));
        await put("b.md", article("Bravo", { authors: "[omid]" }));
        expect(await text("/authors/sara/rss.xml")).toContain("Sara Ahmadi");
        const res = await put("authors.yaml", "sara:\n  name: Sara Ahmadi-Karimi\nomid:\n  name: Omid R\n");
        const body = (await res.json()) as { result: string; republished: { file: string; result: string }[] };
        expect(body.result).toBe("updated");
        // Only Sara's article: Omid's entry did not change.
        expect(body.republished).toEqual([{ file: "a.md", result: "updated" }]);
        expect(await text("/rss.xml")).toContain("Sara Ahmadi-Karimi");
        expect(changes.at(-1)).toMatchObject({ registries: ["authors.yaml"], slugs: ["a"] });
        expect(changes.at(-1)!.scopes).toContain("authors/sara");
      });

      it("re-publishes an article that named a free-form author once the registry gains that author", async () => {
        const { put, text } = setup();
        await put("a.md", article("Alpha", { authors: '["Omid R"]' }));
        expect(await text("/authors/omid-r/rss.xml")).toContain("Alpha");
        const res = await put("authors.yaml", '"Omid R":\n  name: Omid Rahimi\n  url: https://omid.example/\n');
        expect(((await res.json()) as { republished: unknown[] }).republished).toEqual([{ file: "a.md", result: "updated" }]);
        expect(await text("/rss.xml")).toContain("Omid Rahimi");
      });

      it("refuses a registry with check's issues and keeps the stored one", async () => {
        const { put, text } = setup();
        await put("authors.yaml", "sara:\n  name: Sara Ahmadi\n");
        await put("a.md", article("Alpha", { authors: "[sara]" }));
        const bad = "sara:\n  name: Sara\n  email: not-an-email\n";
        const res = await put("authors.yaml", bad);
        expect(res.status).toBe(422);
        expect((await problemOf(res)).issues).toEqual(await checkIssues({ "authors.yaml": bad }, "authors.yaml"));
        expect(await text("/rss.xml")).toContain("Sara Ahmadi");
      });

      it("publishes partners.yaml, which the headlines read", async () => {
        const { put, get } = setup();
        await put("a.md", article("Alpha"));
        expect((await get("/headlines.json?key=acme")).status).toBe(403);
        await put("partners.yaml", "acme:\n  name: Acme\n  origins: [https://acme.example]\n");
        expect((await get("/headlines.json?key=acme")).status).toBe(200);
      });
    });

    describe("publish API: manifest", () => {
      it("pages by path with a cursor, each page bounded, and lists hashes the client can compare", async () => {
        const { fetch } = setup();
        const files: Record<string, string | Uint8Array> = { "images/p.png": PNG_1x1, "authors.yaml": "sara:\n  name: Sara\n" };
        for (const name of ["c", "a", "e", "b", "d"]) files[`2025/${name}.md`] = article(name.toUpperCase());
        files["2025/f.md"] = article("F", { draft: "true" });
        await publishFiles(files, fetch, BASE, TOKEN);
        const seen: { path: string; kind: string; hash: string; slug?: string }[] = [];
        let after = "";
        for (let page = 0; page < 10; page++) {
          const res = await fetch(`${BASE}/api/manifest?limit=3&after=${encodeURIComponent(after)}`, {
            headers: { Authorization: `Bearer ${TOKEN}` },
          });
          const body = (await res.json()) as { entries: typeof seen; next: string | null };
          expect(body.entries.length).toBeLessThanOrEqual(3);
          seen.push(...body.entries);
          if (body.next === null) break;
          after = body.next;
        }
        expect(seen.map((e) => e.path)).toEqual([
          "2025/a.md",
          "2025/b.md",
          "2025/c.md",
          "2025/d.md",
          "2025/e.md",
          "2025/f.md",
          "authors.yaml",
          "images/p.png",
        ]);
        expect(seen.find((e) => e.path === "2025/f.md")).toMatchObject({ kind: "draft", slug: "f" });
        expect(seen.find((e) => e.path === "2025/a.md")).toMatchObject({
          kind: "article",
          slug: "a",
          id: "https://news.example.com/articles/a",
        });
        expect(seen.find((e) => e.path === "images/p.png")!.hash).toMatch(/^[0-9a-f]{64}$/);
        const bad = await fetch(`${BASE}/api/manifest?limit=5000`, { headers: { Authorization: `Bearer ${TOKEN}` } });
        expect(bad.status).toBe(400);
      });
    });
  });
}
