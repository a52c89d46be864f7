// The rules of old URLs (src/core/redirects.ts): the keys paths are stored and looked up under, the permalink rule
// (LEGACY_PERMALINKS) and its setting, what a request's path is asked as, and which answer the rows found give.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import {
  choosePathTarget,
  matchPermalink,
  type PathRow,
  pagePathKey,
  parsePermalinkRule,
  pathKey,
  pathQuery,
} from "../../src/core/redirects.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { SITE_INPUT } from "../support/site.ts";

const site = parseSettings({ ...SITE_INPUT, SITE_TIMEZONE: "Asia/Tehran", LEGACY_PERMALINKS: "/{year}/{month}/{slug}/" });

describe("keys", () => {
  it.each([
    { path: "/2024/05/story/", key: "/2024/05/story" },
    { path: "/2024/05/story", key: "/2024/05/story" },
    { path: "/2024/05/%73tory", key: "/2024/05/story" },
    { path: "/2024/05/caf%c3%a9", key: "/2024/05/caf%C3%A9" },
    { path: "/2024/05/café", key: "/2024/05/caf%C3%A9" },
    { path: "/a/./b/../c", key: "/a/c" },
    { path: "/", key: "/" },
  ])("$path → $key", ({ path, key }) => {
    expect(pathKey(path)).toBe(key);
  });

  it.each([
    { slug: "story", key: "/articles/story" },
    { slug: "café", key: "/articles/caf%C3%A9" },
    { slug: "a:b", key: "/articles/a%3Ab" },
    { slug: "سلام", key: "/articles/%D8%B3%D9%84%D8%A7%D9%85" },
  ])("the page of $slug is $key", ({ slug, key }) => {
    expect(pagePathKey(slug)).toBe(key);
  });
});

describe("the permalink rule", () => {
  it.each([
    { rule: "/{year}/{month}/{slug}/", path: "/2024/05/story/", found: { year: "2024", month: "05", slug: "story" } },
    { rule: "/{year}/{month}/{slug}/", path: "/2024/05/story", found: { year: "2024", month: "05", slug: "story" } },
    { rule: "/{year}/{month}/{slug}/", path: "/2024/5/story/", found: undefined },
    { rule: "/{year}/{month}/{slug}/", path: "/2024/05/a/b/", found: undefined },
    { rule: "/{slug}.html", path: "/story.html", found: { slug: "story" } },
    { rule: "/{slug}.html", path: "/storyxhtml", found: undefined },
    { rule: "/news/{year}/{slug}", path: "/news/2024/caf%C3%A9", found: { year: "2024", slug: "café" } },
    { rule: "/{year}{month}{day}-{slug}/", path: "/20240503-story/", found: { year: "2024", month: "05", day: "03", slug: "story" } },
    { rule: "/{slug}/", path: "/%E0%A4%A/", found: undefined },
  ])("$rule reads $path", ({ rule, path, found }) => {
    const parsed = parsePermalinkRule(rule);
    if (!parsed.ok) throw new Error(parsed.found);
    expect(matchPermalink(parsed.rule, path)).toEqual(found);
  });

  it.each([
    ["{year}/{slug}", "neither"],
    ["/{year}/{month}/", "without {slug}"],
    ["/{slug}/{slug}/", "{slug} twice"],
    ["/{category}/{slug}/", "{category} is not a token"],
    ["/archive/{slug}/", "/archive"],
    ["/articles/{slug}", "/articles"],
    ["/{slug}/?p=1", "neither"],
  ])("refuses %s as LEGACY_PERMALINKS, naming the setting", (rule) => {
    expect(() => parseSettings({ ...SITE_INPUT, LEGACY_PERMALINKS: rule })).toThrow(ConfigError);
    expect(() => parseSettings({ ...SITE_INPUT, LEGACY_PERMALINKS: rule })).toThrow(/^LEGACY_PERMALINKS: /);
  });

  it("is off when unset or empty", () => {
    expect(parseSettings(SITE_INPUT).legacyPermalinks).toBeUndefined();
    expect(parseSettings({ ...SITE_INPUT, LEGACY_PERMALINKS: " " }).legacyPermalinks).toBeUndefined();
  });
});

describe("what a path is asked as", () => {
  const url = (path: string, host = "https://news.example.com") => new URL(path, host);

  it.each([
    {
      path: "/2024/05/story/",
      query: { paths: ["/2024/05/story", "https://news.example.com/2024/05/story"], rule: { year: "2024", month: "05", slug: "story" } },
    },
    { path: "/old-page", query: { paths: ["/old-page", "https://news.example.com/old-page"] } },
    { path: "/articles/old-slug", query: { paths: ["/articles/old-slug"] } },
    { path: "/articles/caf%C3%A9/", query: { paths: ["/articles/caf%C3%A9"] } },
    // The service's own paths: their routes answer them, and no alias may be one.
    { path: "/sections/energy/", query: undefined },
    { path: "/images/x.jpg", query: undefined },
    { path: "/api/manifest", query: undefined },
    { path: "/rss.xml", query: undefined },
    { path: "/articles/a/b", query: undefined },
  ])("$path", ({ path, query }) => {
    expect(pathQuery(url(path), site)).toEqual(query);
  });

  it("asks for an absolute alias on the host the request came to", () => {
    expect(pathQuery(url("/2024/05/story/", "https://old.example.org"), site)?.paths).toEqual([
      "/2024/05/story",
      "https://old.example.org/2024/05/story",
    ]);
  });

  it("reads paths below SITE_URL's base path", () => {
    const based = parseSettings({ ...SITE_INPUT, SITE_URL: "https://example.com/news" });
    expect(pathQuery(url("/news/2024/05/story", "https://example.com"), based)?.paths[0]).toBe("/2024/05/story");
    expect(pathQuery(url("/news/articles/x", "https://example.com"), based)).toBeUndefined();
  });
});

describe("the answer a path gets", () => {
  const published = new Date("2024-05-31T21:00:00Z"); // 1 June 00:30 in Tehran
  const query = (rule?: { year?: string; month?: string; slug: string }) => ({ paths: ["/x"], ...(rule ? { rule } : {}) });
  it.each<{ name: string; rows: PathRow[]; rule?: { year?: string; month?: string; slug: string }; target: unknown }>([
    { name: "an old URL stored for an article", rows: [{ source: "path", slug: "a", published }], target: { kind: "moved", slug: "a" } },
    {
      name: "an old URL before a gone one and the rule",
      rows: [{ source: "gone" }, { source: "rule", slug: "b", published }, { source: "path", slug: "a", published }],
      rule: { year: "2024", month: "06", slug: "b" },
      target: { kind: "moved", slug: "a" },
    },
    {
      name: "the rule, its date in SITE_TIMEZONE",
      rows: [{ source: "rule", slug: "b", published }],
      rule: { year: "2024", month: "06", slug: "b" },
      target: { kind: "moved", slug: "b" },
    },
    {
      name: "the rule, another month",
      rows: [{ source: "rule", slug: "b", published }],
      rule: { year: "2024", month: "05", slug: "b" },
      target: undefined,
    },
    {
      name: "a live article before a gone one",
      rows: [{ source: "gone" }, { source: "rule", slug: "b", published }],
      rule: { slug: "b" },
      target: { kind: "moved", slug: "b" },
    },
    { name: "gone", rows: [{ source: "gone" }], target: { kind: "gone" } },
    { name: "nothing", rows: [], target: undefined },
  ])("$name", ({ rows, rule, target }) => {
    expect(choosePathTarget(rows, query(rule), site)).toEqual(target);
  });
});
