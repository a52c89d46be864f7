// Security probes, as an attacker or a careless client would send them, against the app in-process (app.request: no
// socket, loopback only) over test/fixtures/content (a draft and an embargoed article among them). Bounded in time:
// each test has a time-out and every probe is one in-process request. Run with `npm run test:security` or `npm test`.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import type { ContentSource } from "../../src/sources/source.ts";
import { appOver } from "../support/app.ts";
import { NOW as EMBED_NOW, fixtureSite, fixtureSource } from "../support/embed-fixture.ts";
import { FIXTURE_DIR, NOW, site } from "../support/site.ts";
import { withAssets } from "../support/static-assets.ts";

/** Generous per-test bound: the whole suite runs in a few seconds; a hang or a pathological input fails here. */
const TIME_LIMIT = 30_000;
const PARTNER = "https://partner.example";
const PREVIEW_TOKEN = "security-probe-token-0123456789";

/** The fixture folder with a partners.yaml (and any other files) laid over it. */
function fixturesWith(extra: MemoryFiles): ContentSource {
  const base = createDirectorySource(FIXTURE_DIR);
  const over = createMemorySource(extra);
  return {
    name: "fixtures+probes",
    list: async () => [...new Set([...(await base.list()), ...(await over.list())])].sort(),
    read: async (path) => (await over.read(path)) ?? base.read(path),
  };
}

const PARTNERS_YAML = `acme:\n  name: Acme\n  origins: [${PARTNER}]\n  limit: 5\n  feed: { content: excerpt, utm: { source: acme } }\n`;
const SVG = new Uint8Array(readFileSync(new URL("../fixtures/http/svg-with-script.svg", import.meta.url)));

function makeApp(now: Date = NOW, extra: MemoryFiles = {}) {
  const logs: string[] = [];
  const app = appOver({
    source: fixturesWith({ "partners.yaml": PARTNERS_YAML, ...extra }),
    site: { ...site, previewToken: PREVIEW_TOKEN },
    now: () => now,
    log: (m) => logs.push(m),
  });
  return { app, logs };
}

const { app } = makeApp();
/** The app behind the static assets (/embed.js, /feed.css, /assets/…), as Cloudflare serves them. */
const platform = withAssets((req) => app.fetch(req));
const request = (path: string, init: RequestInit = {}) => platform(new Request(`https://news.example.com${path}`, init));

/** What must never be readable before publication: the draft's and the embargoed article's words, slugs and photo. */
const SECRETS = [
  "DRAFT: summit preview",
  "embargoed-summit-preview",
  "Embargoed preview of the regional summit",
  "must not appear in any feed until the draft flag",
  "Embargoed: leaders to sign corridor treaty",
  "embargoed-summit",
  "it must not appear, nor its photo",
  "embargoed-photo",
];

/** Every header and the body of a response, as one text to search. */
async function everything(res: Response): Promise<string> {
  const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  return `${headers}\n\n${await res.text()}`;
}

// Loopback only: nothing in this suite may reach the network.
const outbound = vi.fn(() => Promise.reject(new Error("security probes must not use the network")));
beforeAll(() => {
  vi.stubGlobal("fetch", outbound);
});
afterAll(() => {
  vi.unstubAllGlobals();
  expect(outbound).not.toHaveBeenCalled();
});

/** Every public feed URL path, from the OPML list (as a client would find them), in every format, plus archive page 1. */
async function publicFeedPaths(): Promise<string[]> {
  const opml = await (await request("/feeds.opml")).text();
  const rss = [...opml.matchAll(/xmlUrl="([^"]+)"/g)].map((m) => new URL(m[1]!.replaceAll("&amp;", "&")).pathname);
  expect(rss.length).toBeGreaterThan(10);
  return rss.flatMap((path) => {
    const base = path.replace(/rss\.xml$/, "");
    return ["rss.xml", "atom.xml", "feed.json"].flatMap((file) => [
      `${base}${file}`,
      `${base}${file}?limit=100`,
      `${base}archive/1/${file}`,
    ]);
  });
}

describe("drafts and embargoed articles do not leak", { timeout: TIME_LIMIT }, () => {
  it("through any feed, archive page, list, page, embed or asset", async () => {
    const paths = [
      ...(await publicFeedPaths()),
      // the same feeds in a partner's own form (excerpts, its UTM), under its folder
      ...(await publicFeedPaths()).map((p) => `/partners/acme${p}`),
      "/feeds.opml",
      "/",
      "/feed.css",
      "/embed.js",
      "/headlines.json?limit=50",
      "/headlines.json?section=news&limit=50",
      `/headlines.json?key=acme&limit=50`,
      "/embed/headlines?limit=50&thumbnails=true",
      "/embed/headlines?section=news&limit=50",
      "/articles/iran-azerbaijan-de-escalation-as-pezeshkian-visits-baku",
      "/preview/oil-gas-baku-energy-week",
      "/sitemap.xml",
      "/sitemaps/pages-1.xml",
      "/sitemaps/articles-1.xml",
      "/sitemap-news.xml",
      "/robots.txt",
      // each section, tag and author page (the folder of its RSS feed)
      ...(await publicFeedPaths())
        .filter((p) => p.endsWith("/rss.xml") && !p.includes("/archive/"))
        .map((p) => p.slice(0, -"rss.xml".length)),
      "/authors.yaml",
      "/partners.yaml",
      "/2025/05/",
    ];
    expect(paths.length).toBeGreaterThan(100);
    expect(paths).toEqual(expect.arrayContaining(["/languages/fa/rss.xml", "/partners/acme/languages/en/archive/1/feed.json"]));
    for (const path of paths) {
      const text = await everything(await request(path, { headers: { Origin: PARTNER } }));
      for (const secret of SECRETS) expect(text.includes(secret), `${path} shows "${secret}"`).toBe(false);
    }
  });

  it.each([
    ["/articles/", ""],
    ["/preview/", ""],
    ["/preview/", `?token=${PREVIEW_TOKEN}`], // the token in the query string unlocks nothing
    ["/images/", ".jpg"],
  ])("answers %s{secret}%s exactly as for a name that does not exist", async (prefix, suffix) => {
    for (const secret of ["embargoed-summit-preview", "embargoed-summit", "embargoed-photo"]) {
      const real = await request(`${prefix}${secret}${suffix}`);
      const made = await request(`${prefix}no-such-thing${suffix}`);
      expect(real.status, secret).toBe(404);
      expect(real.status).toBe(made.status);
      expect([...real.headers]).toEqual([...made.headers]);
      expect((await real.text()).replaceAll(secret, "X")).toBe((await made.text()).replaceAll("no-such-thing", "X"));
    }
  });

  it("does not tell sections, tags or authors that only embargoed articles use from ones that do not exist", async () => {
    const embed = appOver({ source: fixtureSource([PARTNER]), site: fixtureSite(), now: () => EMBED_NOW, log: () => {} });
    for (const [secret, made] of [
      ["/sections/secret-section/rss.xml", "/sections/no-such-section/rss.xml"],
      ["/sections/Secret%20Section/rss.xml", "/sections/No%20Such%20Section/rss.xml"], // no 301 to the real slug
      ["/tags/embargo-only-tag/atom.xml", "/tags/no-such-tag/atom.xml"],
      ["/sections/secret-section/", "/sections/no-such-section/"],
      ["/sections/Secret%20Section", "/sections/No%20Such%20Section"], // no 301 to the real page either
      ["/headlines.json?section=secret-section", "/headlines.json?section=no-such-section"],
      ["/embed/headlines?section=secret-section", "/embed/headlines?section=no-such-section"],
    ] as const) {
      const a = await embed.request(secret);
      const b = await embed.request(made);
      expect(a.status, secret).toBe(b.status);
      expect(a.status).toBeGreaterThanOrEqual(400);
      expect(a.headers.get("cache-control")).toBe(b.headers.get("cache-control"));
      expect(a.headers.get("location")).toBeNull();
    }
  });

  it("gives every feed the same Cache-Control before a release, so none tells where the embargoed article goes", async () => {
    const release = new Date("2027-01-01T06:00:00Z");
    const soon = makeApp(new Date(release.getTime() - 90_000)).app;
    const hints = new Map<string, string[]>();
    for (const path of (await publicFeedPaths()).filter((p) => !p.includes("/archive/"))) {
      const hint = (await soon.request(path)).headers.get("cache-control")!;
      hints.set(hint, [...(hints.get(hint) ?? []), path]);
    }
    expect([...hints.keys()]).toEqual(["public, max-age=90, s-maxage=90, stale-while-revalidate=0"]);
  });
});

describe("strict input", { timeout: TIME_LIMIT }, () => {
  it.each(
    ["0", "101", "abc", "1.5", "-1", "1e2", " 5", "5 ", "0x10", "", "٥", "9".repeat(100_000)].map((limit) => [limit.slice(0, 12), limit]),
  )("refuses ?limit=%s on a feed with a short 400 problem", async (_label, limit) => {
    const res = await request(`/rss.xml?limit=${encodeURIComponent(limit)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.text()).length).toBeLessThan(1000);
  });

  it("refuses a repeated ?limit", async () => {
    expect((await request("/atom.xml?limit=1&limit=2")).status).toBe(400);
  });

  it.each([
    { case: "a bad limit", path: "/headlines.json?limit=abc", status: 400 },
    { case: "a 50 KB limit", path: `/headlines.json?limit=${"9".repeat(50_000)}x`, status: 400 },
    { case: "a 50 KB key", path: `/headlines.json?key=${"k".repeat(50_000)}`, status: 403 },
    { case: "a 50 KB section", path: `/headlines.json?section=${"s".repeat(50_000)}`, status: 404 },
  ])("answers headlines.json with $case: $status and a short message", async ({ path, status }) => {
    const res = await request(path);
    expect(res.status).toBe(status);
    expect((await res.text()).length).toBeLessThan(1000);
  });
});

describe("exact CORS", { timeout: TIME_LIMIT }, () => {
  const EVIL = "https://evil.example";

  it("never reflects an unlisted Origin and never allows credentials, on any route", async () => {
    for (const path of [
      ...(await publicFeedPaths()).slice(0, 30),
      "/feeds.opml",
      "/headlines.json",
      "/headlines.json?key=acme",
      "/embed.js",
      "/",
    ]) {
      for (const method of ["GET", "OPTIONS"]) {
        const res = await request(path, { method, headers: { Origin: EVIL, "Access-Control-Request-Method": "GET" } });
        const allow = res.headers.get("access-control-allow-origin");
        expect(allow === null || allow === "*", `${method} ${path}: ${allow}`).toBe(true);
        expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      }
    }
  });

  it.each([
    { key: "", origin: EVIL, status: 204, allow: "*" },
    { key: "acme", origin: PARTNER, status: 204, allow: PARTNER },
    { key: "acme", origin: EVIL, status: 403, allow: null },
    { key: "acme", origin: `${PARTNER}:443`, status: 403, allow: null },
    { key: "acme", origin: "http://partner.example", status: 403, allow: null },
    { key: "nope", origin: PARTNER, status: 403, allow: null },
  ])("preflights headlines.json?key=$key from $origin: $status, $allow", async ({ key, origin, status, allow }) => {
    const res = await request(`/headlines.json${key ? `?key=${key}` : ""}`, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "GET" },
    });
    expect(res.status).toBe(status);
    expect(res.headers.get("access-control-allow-origin")).toBe(allow);
  });

  it("refuses the GET from an unlisted origin for a partner key", async () => {
    const res = await request("/headlines.json?key=acme", { headers: { Origin: EVIL } });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).not.toBe(EVIL);
  });
});

describe("no header injection", { timeout: TIME_LIMIT }, () => {
  it.each([
    "/sections/News%0d%0aSet-Cookie:%20injected=1/rss.xml",
    "/sections/NEWS/rss.xml?x=%0d%0aSet-Cookie:%20injected=1",
    "/sections/News%E5%98%8A%E5%98%8DSet-Cookie:injected=1/rss.xml", // CRLF look-alikes (U+560A, U+560D)
    "/tags/INSTC/atom.xml?limit=%0d%0aX-Injected:%201",
    "/headlines.json?key=%0d%0aSet-Cookie:%20injected=1",
    "/headlines.json?section=%0d%0aX-Injected:%201",
    "/embed/headlines?lang=en%0d%0aX-Injected:%201&title=%0d%0aX-Injected:%201",
    "/embed/headlines?key=acme&title=%0d%0aX-Injected:%201",
    "/preview/x%0d%0aX-Injected:%201",
    "/images/x%0d%0aX-Injected:%201.jpg",
    "/preview?slug=%0d%0aX-Injected:%201",
  ])("%s", async (path) => {
    const res = await request(path, { headers: { Accept: "text/html" } });
    expect(res.status).toBeLessThan(500);
    for (const [name, value] of res.headers) {
      expect(value, name).not.toMatch(/[\r\n]/);
      expect(name).not.toMatch(/^x-injected$/i);
    }
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("location") ?? "").not.toMatch(/[\r\n\u560a\u560d]/);
  });

  it("keeps CR and LF out of the preview sign-in redirect", async () => {
    const res = await request("/preview", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: PREVIEW_TOKEN, slug: "x\r\nX-Injected: 1" }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("preview");
    expect(res.headers.get("x-injected")).toBeNull();
  });
});

describe("methods", { timeout: TIME_LIMIT }, () => {
  const routes = [
    "/rss.xml",
    "/sections/news/atom.xml",
    "/archive/1/feed.json",
    "/feeds.opml",
    "/",
    "/headlines.json",
    "/embed/headlines",
    "/embed.js",
    "/articles/oil-gas-baku-energy-week",
    "/preview/oil-gas-baku-energy-week",
    "/images/caspian-port.jpg",
    "/feed.css",
  ];

  it.each(["POST", "PUT", "DELETE", "PATCH", "PROPFIND", "X-ANYTHING"])("%s is refused on every route, never served", async (method) => {
    for (const path of routes) {
      const res = await request(path, { method, body: method === "DELETE" ? undefined : "x" });
      expect([404, 405], `${method} ${path}`).toContain(res.status);
      if (/\.(xml|json|opml)$/.test(path) && path !== "/headlines.json") {
        expect(res.status).toBe(405);
        expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
      }
    }
  });

  it("answers HEAD with headers and no body", async () => {
    for (const path of routes) {
      const res = await request(path, { method: "HEAD" });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe("");
    }
  });
});

describe("oversize requests", { timeout: TIME_LIMIT }, () => {
  it.each<[string, string, Record<string, string>]>([
    ["a 200 KB query string of ignored parameters", `/rss.xml?${"a=1&".repeat(50_000)}`, {}],
    ["a 64 KB If-None-Match list", "/rss.xml", { "If-None-Match": '"x", '.repeat(12_000) }],
    ["a 64 KB malformed If-None-Match", "/atom.xml", { "If-None-Match": "x".repeat(64_000) }],
    ["a 64 KB If-Modified-Since", "/feed.json", { "If-Modified-Since": "Mon, ".repeat(12_000) }],
    ["a 64 KB Accept", "/no-such-page", { Accept: "text/html;q=0.1, ".repeat(4_000) }],
    ["a 64 KB Origin", "/headlines.json?key=acme", { Origin: `https://${"o".repeat(64_000)}.example` }],
    ["a 64 KB Authorization", "/preview/embargoed-summit-preview", { Authorization: `Bearer ${"t".repeat(64_000)}` }],
    ["a 64 KB Cookie", "/preview/embargoed-summit-preview", { Cookie: `edge_feeds_preview=${"c".repeat(64_000)}` }],
    ["a 10,000-segment path", `/images/${"a/".repeat(10_000)}x.jpg`, {}],
  ])("%s: a short, well-formed answer, not a 500", async (_case, path, headers) => {
    const res = await request(path, { headers });
    expect(res.status).toBeLessThan(500);
    expect(res.status).not.toBe(304);
    const body = await res.text();
    if (res.status >= 400) expect(body.length).toBeLessThan(2000);
    for (const [, value] of res.headers) expect(value.length).toBeLessThan(2000);
  });
});

describe("path traversal under /images/", { timeout: TIME_LIMIT }, () => {
  it.each([
    "/images/../authors.yaml",
    "/images/%2e%2e/authors.yaml",
    "/images/%2e%2e%2fauthors.yaml",
    "/images/..%2fauthors.yaml",
    "/images/..%5cauthors.yaml",
    "/images/%252e%252e%252fauthors.yaml",
    "/images/..%2f..%2f..%2fetc%2fpasswd",
    "/images/%2fetc%2fpasswd",
    "/images//etc/passwd",
    "/images/..%2f2025%2f05%2fembargoed-summit-preview.md",
    "/images/caspian-port.jpg%00.md",
    "/images/caspian-port.jpg/..%2f..%2fauthors.yaml",
    "/images/%c0%ae%c0%ae/authors.yaml",
    "/images/%",
    "/images/embargoed-photo.jpg",
    "/images/%65mbargoed-photo.jpg",
    "/images/./embargoed-photo.jpg",
    "/images/EMBARGOED-PHOTO.JPG",
  ])("%s is 404 and shows no file", async (path) => {
    const res = await request(path);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toMatch(/^---|root:|name: The New Region|\xff\xd8/m);
  });

  it("serves a published image inert: sandboxing CSP, nosniff, the type of its bytes", async () => {
    const res = await request("/images/caspian-port.jpg");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp"); // the fixture is a WebP named .jpg
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("never serves an SVG with a script, even one an article uses", async () => {
    const { app: withSvg } = makeApp(NOW, {
      "images/probe.svg": SVG,
      "2025/05/svg-probe.md":
        "---\ntitle: SVG probe\ndate: 2025-05-01T00:00:00Z\nimage: /images/probe.svg\n---\nBody ![x](/images/probe.svg)\n",
    });
    const res = await withSvg.request("/images/probe.svg");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type") ?? "").not.toContain("svg");
    expect(await res.text()).not.toContain("<script");
  });
});

describe("the other cases of issue 9", { timeout: TIME_LIMIT }, () => {
  it("ignores If-Modified-Since when If-None-Match is present, even malformed (RFC 9110 §13.1.3)", async () => {
    for (const inm of ["unquoted", '"a" "b"', "", 'W/"', "*,"]) {
      const res = await request("/rss.xml", { headers: { "If-None-Match": inm, "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT" } });
      expect(res.status, JSON.stringify(inm)).toBe(200);
    }
  });

  it("does not put a ?title= on the publisher's page without a partner key", async () => {
    const body = await (await request("/embed/headlines?title=We%20have%20been%20hacked")).text();
    expect(body).not.toContain("hacked");
  });

  it("unlocks a preview only with a header or the sign-in cookie, answering private, no-store", async () => {
    const draft = "/preview/embargoed-summit-preview";
    expect((await request(`${draft}?token=${PREVIEW_TOKEN}`)).status).toBe(404);
    const bearer = await request(draft, { headers: { Authorization: `Bearer ${PREVIEW_TOKEN}` } });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get("cache-control")).toBe("private, no-store");
    expect((await request(draft, { headers: { Authorization: "Bearer wrong-token-0123456789" } })).status).toBe(403);
  });

  it("keeps .dev.vars and .dev.vars.* out of git, but not .dev.vars.example", () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const ignored = (file: string): boolean => {
      try {
        execFileSync("git", ["check-ignore", "--no-index", "-q", file], { cwd: root, stdio: "ignore" });
        return true;
      } catch {
        return false; // exit status 1: not ignored
      }
    };
    expect(ignored(".dev.vars")).toBe(true);
    expect(ignored(".dev.vars.production")).toBe(true);
    expect(ignored(".dev.vars.staging")).toBe(true);
    expect(ignored(".dev.vars.example")).toBe(false);
  });
});
