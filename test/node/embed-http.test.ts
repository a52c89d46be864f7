// Partner embeds and human pages over HTTP (app.request): data, CORS, CSP frame-ancestors, content types, escaping.
import { describe, expect, it } from "vitest";
import { ASSET_PATHS } from "../../src/assets/paths.ts";
import { EMBED_SCRIPT } from "../../src/embed/widget.ts";
import { appOver } from "../support/app.ts";
import { fixtureSite, fixtureSource, HOSTILE_TITLE, NEWS_TITLES, NOW, PREVIEW_TOKEN } from "../support/embed-fixture.ts";
import { withAssets } from "../support/static-assets.ts";

const PARTNER = "https://partner.example";

function makeApp(extra: Record<string, string> = {}) {
  const logs: string[] = [];
  const app = appOver({
    source: fixtureSource([PARTNER]),
    site: fixtureSite(undefined, extra),
    now: () => NOW,
    log: (m) => logs.push(m),
  });
  return { app, logs };
}

const { app, logs } = makeApp({ PREVIEW_TOKEN });

async function json(path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  return { res, body: (await res.json()) as { items: { title: string; url: string }[]; detail?: string; partner: string | null } };
}

describe("/headlines.json", () => {
  it("serves the public defaults to any origin: newest published first, five items, CORS *", async () => {
    const { res, body } = await json("/headlines.json", { Origin: "https://anyone.example" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(body.partner).toBeNull();
    expect(body.items.map((i) => i.title)).toEqual([
      HOSTILE_TITLE,
      "Gas exports rise",
      "Ministers meet in Tbilisi",
      "Ferry link reopens",
      "Analysis: the corridor",
    ]);
    expect(body.items.map((i) => i.title)).not.toContain("Draft story");
    expect(body.items.map((i) => i.title)).not.toContain("Embargoed summit story");
  });

  it.each([
    ["?section=news", NEWS_TITLES],
    ["?section=News&limit=2", NEWS_TITLES.slice(0, 2)],
    ["?section=business,analysis", ["Gas exports rise", "Analysis: the corridor"]],
    [
      "?limit=50",
      [HOSTILE_TITLE, "Gas exports rise", "Ministers meet in Tbilisi", "Ferry link reopens", "Analysis: the corridor", "Port strike ends"],
    ],
  ])("public %s", async (query, titles) => {
    const { res, body } = await json(`/headlines.json${query}`);
    expect(res.status).toBe(200);
    expect(body.items.map((i) => i.title)).toEqual(titles);
  });

  it.each([
    ["?limit=abc", 400, /limit "abc"/],
    ["?limit=0", 400, /limit "0"/],
    ["?section=sport", 404, /no section "sport"/],
    ["?section=secret-section", 404, /no section "secret-section"/],
    ["?key=nope", 403, /unknown partner key "nope"/],
    ["?key=broken", 403, /unknown partner key "broken"/],
    ["?key=acme&section=analysis", 403, /section "analysis" is not among partner "acme"'s sections/],
  ])("refuses %s with %i and says why", async (query, status, message) => {
    const { res, body } = await json(`/headlines.json${query}`);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(body).toMatchObject({ status, instance: "/headlines.json" });
    expect(body.detail).toMatch(message);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("applies a partner's sections, item cap and utm values, and answers CORS only for its origins", async () => {
    const { res, body } = await json("/headlines.json?key=acme&limit=10", { Origin: PARTNER });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(res.headers.get("vary")).toContain("Origin");
    expect(body.partner).toBe("acme");
    expect(body.items.map((i) => i.title)).toEqual([HOSTILE_TITLE, "Gas exports rise", "Ministers meet in Tbilisi"]);
    expect(body.items[1]!.url).toBe("https://feeds.example.com/articles/gas?utm_source=acme&utm_medium=widget&utm_campaign=headlines");

    const other = await json("/headlines.json?key=acme", { Origin: "https://evil.example" });
    expect(other.res.status).toBe(403);
    expect(other.body.detail).toMatch(/origin https:\/\/evil.example is not allowed/);

    const server = await json("/headlines.json?key=acme"); // no Origin: not a browser, nothing to enforce
    expect(server.res.status).toBe(200);
    expect(server.res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reports bad partners.yaml entries in the log and leaves them out", async () => {
    await app.request("/headlines.json?key=broken");
    expect(logs.join("\n")).toMatch(/partners\.yaml.*broken\.origins.*not an origin/);
  });
});

describe("/embed/headlines (iframe page)", () => {
  it("is a self-contained HTML page any site may frame by default", async () => {
    const res = await app.request("/embed/headlines?section=news&limit=2&lang=de");
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors *");
    expect(csp).toContain("default-src 'none'");
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(body).toContain('<html lang="de" dir="ltr">');
    expect(body).toContain("Ministers meet in Tbilisi");
    expect(body).toContain(`><bdi lang="de">gestern</bdi></time>`); // 2025-05-04T10:00Z seen at 2025-05-05T12:00Z, in German
    expect(body).toContain(`><bdi lang="de">vor 3 Stunden</bdi></time>`);
    expect(body).not.toMatch(/<script|<link|src="http/); // nothing to fetch but itself
  });

  it("escapes hostile headlines", async () => {
    const body = await (await app.request("/embed/headlines?section=news")).text();
    expect(body).not.toContain("<script>window.__pwned");
    expect(body).not.toContain("<img src=x");
    expect(body).toContain("&lt;script&gt;window.__pwned = 1&lt;/script&gt; &quot;onerror=window.__pwned=2");
  });

  it("lets only the partner's origins frame it with a key", async () => {
    const res = await app.request("/embed/headlines?key=acme");
    expect(res.headers.get("content-security-policy")).toContain(`frame-ancestors 'self' ${PARTNER}`);
    expect(await res.text()).toContain("utm_source=acme");
  });

  it("refuses an unknown key with 403", async () => {
    const res = await app.request("/embed/headlines?key=nope");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("unknown partner key");
  });
});

/** The app behind the static assets, as Cloudflare serves them (test/support/static-assets.ts). */
const platform = withAssets((request) => app.fetch(request));
const served = (path: string, init?: RequestInit) => platform(new Request(`https://feeds.example.com${path}`, init));

describe("/embed.js", () => {
  it.each(["/embed.js", ASSET_PATHS.embedJs])(
    "%s is JavaScript that builds its DOM without innerHTML and sets no cookies",
    async (path) => {
      const res = await served(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(res.headers.get("set-cookie")).toBeNull();
      const body = await res.text();
      expect(body).toBe(EMBED_SCRIPT);
      expect(body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|cookie|localStorage|eval\(/);
      expect(body).toContain('credentials: "omit"');
      expect(() => new Function(body)).not.toThrow(); // parses
    },
  );
});

describe("feeds opened in a browser", () => {
  const navigate = { "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate", Accept: "text/html,application/xhtml+xml" };
  it.each([
    ["/rss.xml", "application/rss+xml; charset=utf-8"],
    ["/atom.xml", "application/atom+xml; charset=utf-8"],
  ])("%s: readers get the feed type, browsers the same bytes as application/xml", async (path, type) => {
    const reader = await app.request(path, { headers: { Accept: "application/rss+xml, application/atom+xml, */*" } });
    const browser = await app.request(path, { headers: navigate });
    const body = await reader.text();
    expect(reader.headers.get("content-type")).toBe(type);
    expect(browser.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    expect(await browser.text()).toBe(body);
    expect(reader.headers.get("vary")).toContain("Sec-Fetch-Dest");
    expect(body.split("\n")[1]).toBe('<?xml-stylesheet type="text/css" href="https://feeds.example.com/feed.css"?>');
  });

  it("repeats Vary: Sec-Fetch-Dest on a 304", async () => {
    const first = await app.request("/rss.xml");
    const again = await app.request("/rss.xml", { headers: { ...navigate, "If-None-Match": first.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("vary")).toContain("Sec-Fetch-Dest");
  });

  it("leaves JSON Feed alone and serves the stylesheet", async () => {
    const res = await app.request("/feed.json", { headers: navigate });
    expect(res.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
    const css = await served("/feed.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await css.text()).toContain("@namespace atom url(http://www.w3.org/2005/Atom);");
  });
});

describe("human pages", () => {
  it("/ lists home, section, tag and author feeds with copy buttons and autodiscovery, hiding embargoed-only facets", async () => {
    const res = await app.request("/");
    const body = await res.text();
    expect(res.status).toBe(200);
    for (const url of [
      "https://feeds.example.com/rss.xml",
      "https://feeds.example.com/sections/news/atom.xml",
      "https://feeds.example.com/tags/diplomacy/feed.json",
      "https://feeds.example.com/authors/jane/rss.xml",
    ]) {
      expect(body).toContain(`href="${url}"`);
    }
    expect(body).toContain('<link rel="alternate" type="application/rss+xml"');
    expect(body).toContain('data-copy="https://feeds.example.com/sections/news/rss.xml"');
    expect(body).not.toMatch(/secret-section|Embargo-only/i);
    const hash = /script-src '(sha256-[^']+)'/.exec(res.headers.get("content-security-policy")!)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(body)![1]!;
    const digest = Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script))).toString("base64");
    expect(hash).toBe(`sha256-${digest}`);
  });

  it("/articles/{slug} shows a published article with byline, local time, figure, caption and credit", async () => {
    const res = await app.request("/articles/hostile");
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(body).toContain('<time datetime="2025-05-05T09:00:00.000Z">5 May 2025 at 10:00 BST</time>');
    expect(body).toContain('By <a rel="author" href="https://feeds.example.com/authors/jane/"><bdi>Jane Doe</bdi></a>');
    expect(body).toContain('Section: <a href="https://feeds.example.com/sections/news/"><bdi>News</bdi></a>');
    expect(body).toContain('Tags: <a rel="tag" href="https://feeds.example.com/tags/security/"><bdi>Security</bdi></a>');
    expect(body).toContain('<figcaption>The port at dusk. <small class="credit">Photo: Jane Doe</small></figcaption>');
    expect(body).not.toContain("<script>window");
    expect(body).toContain("<h1>&lt;script&gt;window.__pwned = 1&lt;/script&gt;");
  });

  it.each(["embargoed", "draft", "missing"])("/articles/%s is 404", async (slug) => {
    expect((await app.request(`/articles/${slug}`)).status).toBe(404);
  });
});

describe("/preview/{slug}", () => {
  it("shows a published article's items, image picks, excerpt and warnings without a token", async () => {
    const res = await app.request("/preview/hostile");
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("x-robots-tag")).toBe("noindex");
    expect(body).toContain("<h3>RSS 2.0</h3>");
    expect(body).toContain("&lt;item&gt;");
    expect(body).toContain("&lt;entry&gt;");
    expect(body).toContain("&quot;content_html&quot;");
    expect(body).toMatch(/<tr data-reader="FreshRSS"><td>FreshRSS<\/td><td><a href="https:\/\/feeds.example.com\/images\/photo.jpg">/);
    expect(body).toContain('<blockquote class="excerpt" data-source="summary" dir="ltr">A hostile headline test.</blockquote>');
    expect(body).toContain("<code>title</code>: the title has");
    expect(body).not.toContain("<script>window");
  });

  // The token in the query string is ignored (test/node/preview-access.test.ts covers it and the session cookie).
  it.each([
    ["/preview/embargoed", {}, 404],
    ["/preview/draft", {}, 404],
    ["/preview/embargoed", { Authorization: `Bearer ${PREVIEW_TOKEN}` }, 200],
    ["/preview/draft", { Authorization: `Bearer ${PREVIEW_TOKEN}` }, 200],
    ["/preview/draft", { Authorization: "Bearer wrong-token-0123456789" }, 403],
    ["/preview/hostile", { Authorization: "Bearer wrong-token-0123456789" }, 403],
  ])("%s %o → %i", async (path, headers, status) => {
    const res = await app.request(path, { headers });
    expect(res.status).toBe(status);
    if (status === 200) {
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("shows drafts to nobody when PREVIEW_TOKEN is not set", async () => {
    const { app: open } = makeApp();
    expect((await open.request("/preview/draft")).status).toBe(404);
    expect((await open.request("/preview/draft", { headers: { Authorization: `Bearer ${PREVIEW_TOKEN}` } })).status).toBe(403);
    expect((await open.request("/preview/hostile")).status).toBe(200);
  });

  it("labels drafts and embargoed articles", async () => {
    const bearer = { headers: { Authorization: `Bearer ${PREVIEW_TOKEN}` } };
    const draft = await (await app.request("/preview/draft", bearer)).text();
    expect(draft).toContain("<strong>Draft</strong>");
    const embargoed = await (await app.request("/preview/embargoed", bearer)).text();
    expect(embargoed).toContain("<strong>Embargoed</strong> until 1 June 2025 at 10:00 BST");
  });
});
