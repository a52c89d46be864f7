// The `aliases` front-matter field: normal forms, refusals, the service's own routes, conflicts, and feeds that do not move.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALIAS_LIMITS, aliasKey, isReservedPath, normaliseAlias, plainPermalinkKey } from "../../src/core/aliases.ts";
import { loadContent } from "../../src/core/content.ts";
import { createMemoryCatalog } from "../../src/core/memory-catalog.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { createApp } from "../../src/http/app.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { fixtureApp } from "../support/feeds.ts";
import { FIXTURE_DIR, GOLDEN_DIR, NOW, SITE_INPUT, site } from "../support/site.ts";

const SITE = "https://news.example.com";

describe("normaliseAlias", () => {
  it.each([
    { input: "/2024/05/old-story/", expected: "/2024/05/old-story/" },
    { input: "  /2024/05/old-story  ", expected: "/2024/05/old-story" },
    { input: "https://news.example.com/2024/05/old-story/", expected: "/2024/05/old-story/" },
    { input: "HTTPS://NEWS.EXAMPLE.COM/2024/05/Old-Story/", expected: "/2024/05/Old-Story/" },
    { input: "https://old.example.org/2024/05/old-story/", expected: "https://old.example.org/2024/05/old-story/" },
    { input: "http://news.example.com/x", expected: "http://news.example.com/x" },
    { input: "/fa/%d8%a7%db%8c%d8%b1%d8%a7%d9%86/", expected: "/fa/%D8%A7%DB%8C%D8%B1%D8%A7%D9%86/" },
    { input: "/fa/ایران/", expected: "/fa/%D8%A7%DB%8C%D8%B1%D8%A7%D9%86/" },
    { input: "/%7Euser/%41bc", expected: "/~user/Abc" },
    { input: "/a/./b/../c", expected: "/a/c" },
    { input: "/feed/", expected: "/feed/" },
    { input: "/archives/123", expected: "/archives/123" },
    // WordPress's plain permalink: the one query an alias may have, on a home page only.
    { input: "/?p=123", expected: "/?p=123" },
    { input: "https://news.example.com/?p=123", expected: "/?p=123" },
    { input: "https://news.example.com?p=123", expected: "/?p=123" },
    { input: "https://old.example.org/?p=9", expected: "https://old.example.org/?p=9" },
  ])("$input → $expected", ({ input, expected }) => {
    expect(normaliseAlias(input, SITE)).toEqual({ ok: true, alias: expected });
  });

  it.each([
    { input: "2024/05/old-story", why: /neither a path/ },
    { input: "//cdn.example.com/x", why: /neither a path/ },
    { input: "ftp://news.example.com/x", why: /neither a path/ },
    { input: "/?p=0123", why: /query or fragment/ },
    { input: "/?p=1&x=2", why: /query or fragment/ },
    { input: "/?p=123#top", why: /query or fragment/ },
    { input: `/?p=1${"0".repeat(20)}`, why: /query or fragment/ },
    { input: "/blog/?p=123", why: /not on a home page/ },
    { input: "https://old.example.org/blog/?p=9", why: /not on a home page/ },
    { input: "/story#top", why: /query or fragment/ },
    { input: "https://news.example.com/x?p=1", why: /not on a home page/ },
    { input: "/", why: /own path "\/"/ },
    { input: "/rss.xml", why: /own path/ },
    { input: "https://news.example.com/feed.json", why: /own path/ },
    { input: "/articles/some-story", why: /own path/ },
    { input: "/api/manifest", why: /own path/ },
    { input: "/images/x.jpg", why: /own path/ },
    { input: "/%61pi/manifest", why: /own path "\/api\/manifest"/ },
    { input: "/sections/news/", why: /own path/ },
    { input: "/x/../articles/y", why: /own path/ },
    { input: `/${"a".repeat(ALIAS_LIMITS.length)}`, why: /longer than 2000/ },
  ])("refuses $input", ({ input, why }) => {
    const result = normaliseAlias(input, SITE);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.found).toMatch(why);
  });

  it("reduces same-site URLs below SITE_URL's base path, and only those", () => {
    const base = "https://example.com/edition";
    expect(normaliseAlias("https://example.com/edition/2024/x/", base)).toEqual({ ok: true, alias: "/2024/x/" });
    expect(normaliseAlias("https://example.com/other/2024/x/", base)).toEqual({ ok: true, alias: "https://example.com/other/2024/x/" });
    expect(normaliseAlias("https://example.com/edition/rss.xml", base).ok).toBe(false);
    expect(normaliseAlias("https://example.com/edition/?p=5", base)).toEqual({ ok: true, alias: "/?p=5" });
    expect(normaliseAlias("https://example.com/?p=5", base)).toEqual({ ok: true, alias: "https://example.com/?p=5" });
  });

  it.each([
    { search: "?p=123", key: "/?p=123" },
    { search: "?utm_source=feed&p=123", key: "/?p=123" },
    { search: "?p=0", key: undefined },
    { search: "?p=123&p=124", key: undefined },
    { search: "?page_id=5", key: undefined },
    { search: "?p=", key: undefined },
    { search: "", key: undefined },
    { search: `?${"a=1&".repeat(16)}p=1`, key: undefined },
    { search: `?x=${"a".repeat(260)}&p=1`, key: undefined },
  ])("reads the home page's query $search as $key", ({ search, key }) => {
    expect(plainPermalinkKey(search)).toBe(key);
  });

  it("treats a trailing slash as the same alias", () => {
    expect(aliasKey("/2024/05/x/")).toBe(aliasKey("/2024/05/x"));
    expect(aliasKey("/")).toBe("/");
  });
});

describe("every route the app answers is reserved", () => {
  const app = createApp({
    catalog: createMemoryCatalog(
      {
        records: [],
        drafts: [],
        issues: [],
        warnings: [],
        authors: new Map(),
        partners: new Map(),
        images: new Map(),
        fileCount: 0,
        language: "en",
      },
      createMemorySource({}),
    ),
    site: parseSettings({ ...SITE_INPUT, PREVIEW_TOKEN: "a-preview-token-of-enough-length" }),
    now: () => NOW,
  });
  const samples = [
    ...new Set(
      app.routes
        .map((r) => r.path)
        .filter((p) => p !== "*" && p !== "/*")
        .map(samplePath),
    ),
  ];
  it("has routes to check", () => {
    expect(samples.length).toBeGreaterThan(15);
  });
  it.each(samples.concat(["/api/manifest", "/api/articles/x.md"]))("%s", (path) => {
    expect(isReservedPath(path)).toBe(true);
  });
});

/** A concrete path a Hono route pattern matches: each `:param{regex}` filled with a value its regex accepts. */
function samplePath(pattern: string): string {
  const candidates = ["sections", "1", "pages-1.xml", "articles-1.xml", "authors.yaml", "sample"];
  let out = "";
  for (let i = 0; i < pattern.length; ) {
    if (pattern[i] === "*") {
      out += "x";
      i++;
    } else if (pattern[i] === ":") {
      const name = /^:[a-z]+/i.exec(pattern.slice(i))![0];
      i += name.length;
      let regex = "[^/]+";
      if (pattern[i] === "{") {
        let depth = 0;
        const start = i + 1;
        for (; i < pattern.length; i++) {
          if (pattern[i] === "{") depth++;
          else if (pattern[i] === "}" && --depth === 0) break;
        }
        regex = pattern.slice(start, i++);
      }
      out += candidates.find((c) => new RegExp(`^(?:${regex})$`).test(c)) ?? "sample";
    } else out += pattern[i++];
  }
  return out;
}

const article = (title: string, date: string, aliases?: string) =>
  `---\ntitle: ${title}\ndate: ${date}\n${aliases ? `aliases: ${aliases}\n` : ""}---\nBody of ${title}.\n`;

describe("aliases in content", () => {
  it("are carried on the record, normalised, and absent when not set", async () => {
    const content = await loadContent(
      createMemorySource({
        "a.md": article("A", "2025-01-01", '["https://news.example.com/2024/01/a/", /2024/01/a, "https://old.example.org/a"]'),
        "b.md": article("B", "2025-01-02"),
      }),
      site,
    );
    expect(content.issues).toEqual([]);
    const a = content.records.find((r) => r.slug === "a")!;
    const b = content.records.find((r) => r.slug === "b")!;
    expect(a.aliases).toEqual(["/2024/01/a/", "https://old.example.org/a"]);
    expect("aliases" in b).toBe(false);
  });

  it("names every bad alias, and two articles claiming one alias as a conflict", async () => {
    const content = await loadContent(
      createMemorySource({
        "bad.md": article("Bad", "2025-01-01", '["/rss.xml", "/?s=1", "relative"]'),
        "first.md": article("First", "2025-01-01", "[/2024/old/]"),
        "second.md": article("Second", "2025-01-02", "[/2024/old]"),
        "many.md": article("Many", "2025-01-03", JSON.stringify(Array.from({ length: 51 }, (_, i) => `/x/${i}`))),
      }),
      site,
    );
    const bad = content.issues.filter((i) => i.file === "bad.md");
    expect(bad.map((i) => i.field)).toEqual(["aliases", "aliases", "aliases"]);
    expect(bad.map((i) => i.found).join(" ")).toMatch(/own path.*query or fragment.*neither a path/);
    const conflict = content.issues.find((i) => i.file === "second.md")!;
    expect(conflict.found).toMatch(/"\/2024\/old", also claimed by first\.md/);
    expect(content.issues.find((i) => i.file === "many.md")?.field).toBe("aliases");
    expect(content.records.map((r) => r.slug)).toEqual(["first"]);
  });

  it("do not change any served byte or ETag", async () => {
    // The fixture articles with an alias added to one: the feeds, their ETags and the article page stay the same.
    const plain = createDirectorySource(FIXTURE_DIR);
    const files: Record<string, Uint8Array> = {};
    for (const path of await plain.list()) files[path] = (await plain.read(path))!;
    const file = "2025/05/baku-energy-week.md";
    const text = new TextDecoder().decode(files[file]);
    files[file] = new TextEncoder().encode(text.replace(/^---\n/, "---\naliases: [/2024/05/baku-energy-week/]\n"));
    const withAlias = await loadContent(createMemorySource(files), site);
    expect(withAlias.issues).toEqual([]);
    expect(withAlias.records.find((r) => r.file === file)?.aliases).toEqual(["/2024/05/baku-energy-week/"]);
    const app = createApp({ catalog: createMemoryCatalog(withAlias, createMemorySource(files)), site, now: () => NOW });
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/sections/business/rss.xml", "/articles/oil-gas-baku-energy-week"]) {
      const res = await app.request(site.url + path);
      const before = await fixtureApp().request(site.url + path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe(await before.text());
      expect(res.headers.get("ETag"), path).toBe(before.headers.get("ETag"));
    }
    for (const format of ["rss.xml", "atom.xml", "feed.json"]) {
      expect(await (await app.request(`${site.url}/${format}`)).text()).toBe(await readFile(join(GOLDEN_DIR, format), "utf8"));
    }
  });
});
