// Old URLs an article used to have (front-matter `aliases`, as Hugo's): normalised, kept off this service's own routes, one owner each.
import { quote } from "./describe-value.ts";
import type { ContentIssue } from "./errors.ts";
import { type Claim, claimsFirst } from "./namespace.ts";

/** At most this many aliases per article, each at most this many characters (browsers and CDNs cut URLs near 2,000). */
export const ALIAS_LIMITS = { count: 50, length: 2000 } as const;

/**
 * Paths this service answers itself (src/http/: feeds, pages, images, the publish API…), which an alias must never
 * shadow: whole paths, and first segments under which every path is the service's. test/node/aliases.test.ts checks
 * that every route the app registers is covered.
 */
const RESERVED_PATHS: ReadonlySet<string> = new Set([
  "/",
  "/rss.xml",
  "/atom.xml",
  "/feed.json",
  "/feeds.opml",
  "/feed.css",
  "/embed.js",
  "/headlines.json",
  "/sitemap.xml",
  "/sitemap-news.xml",
  "/robots.txt",
]);
const RESERVED_SEGMENTS: ReadonlySet<string> = new Set([
  "api",
  "archive",
  "articles",
  "authors",
  "embed",
  "images",
  "languages",
  "partners",
  "preview",
  "sections",
  "sitemaps",
  "tags",
]);

export const ALIAS_EXPECTED =
  "a list of old URLs of the article: root-relative paths (/2024/05/old-story/) or absolute http(s) URLs, " +
  "without query or fragment (but WordPress's plain permalink /?p=123), " +
  "none of this service's own paths (/rss.xml, /articles/…, /api/…, /images/…)";

/**
 * WordPress's plain permalink, `/?p={post id}` on the site's home: the one query an alias may have. Every WordPress
 * post answers it whatever the permalink setting (and pages carry it as their shortlink), so old links use it. A post
 * id is a positive 64-bit integer (MySQL BIGINT UNSIGNED): at most 20 digits.
 */
const PLAIN_PERMALINK = /^\?p=([1-9]\d{0,19})$/;

/** The alias of WordPress's plain permalink for a post id: `/?p=123`. */
export const plainPermalinkAlias = (postId: string): string => `/?p=${postId}`;

/**
 * The key a request for the home page is looked up under when its query names a post as WordPress's plain permalink
 * does (`?p=123`, its other parameters such as utm_* ignored), else undefined. Bounded: a query longer than 256
 * characters, or with more than 16 parameters, is not read.
 */
export function plainPermalinkKey(search: string): string | undefined {
  if (search.length < 4 || search.length > 256) return undefined;
  const params = search.slice(1).split("&");
  if (params.length > 16) return undefined;
  const p = params.filter((param) => param.startsWith("p="));
  if (p.length !== 1) return undefined;
  const m = PLAIN_PERMALINK.exec(`?${p[0]}`);
  return m ? plainPermalinkAlias(m[1]!) : undefined;
}

export type AliasResult = { ok: true; alias: string } | { ok: false; found: string };

/**
 * One alias in its normal form: a path on this site (a same-site absolute URL, under SITE_URL and its base path, is
 * reduced to its path below the base), or an absolute URL on another host. Paths are normalised as RFC 3986 §6.2.2
 * says (dot segments removed, percent-escapes upper-cased, unreserved characters decoded, non-ASCII escaped as UTF-8),
 * so `/a/%d8%a7` and `/a/ا` are one alias; whoever serves them normalises the request's path with `normaliseAliasPath`.
 */
export function normaliseAlias(value: string, siteUrl: string): AliasResult {
  const text = value.trim();
  if (text.length > ALIAS_LIMITS.length) return { ok: false, found: `${quote(text)}, longer than ${ALIAS_LIMITS.length} characters` };
  const absolute = /^https?:\/\//i.test(text);
  if (!absolute && !/^\/(?!\/)/.test(text)) return { ok: false, found: `${quote(text)}, which is neither a path /… nor an http(s) URL` };
  let url: URL;
  try {
    url = new URL(text, "https://alias.invalid");
  } catch {
    return { ok: false, found: `${quote(text)}, which is not a valid URL` };
  }
  const site = new URL(siteUrl);
  const base = site.pathname.replace(/\/+$/, "");
  let path = normaliseAliasPath(url.pathname);
  // WordPress's plain permalink: `?p=123` on the home page (this site's, below its base path, or another host's root).
  const plain = !url.hash && !text.includes("#") && PLAIN_PERMALINK.exec(url.search);
  if (plain) {
    const alias = plainPermalinkAlias(plain[1]!);
    if (!absolute || (url.origin === site.origin && (path === `${base}/` || path === base))) {
      if (absolute || path === "/") return { ok: true, alias };
    } else if (path === "/") return { ok: true, alias: url.origin + alias };
    return { ok: false, found: `${quote(text)}, whose ?p= is not on a home page` };
  }
  if (url.search || url.hash || /[?#]/.test(text)) return { ok: false, found: `${quote(text)}, with a query or fragment` };
  if (absolute) {
    const sameSite = url.origin === site.origin && (path === base || path.startsWith(base + "/"));
    if (!sameSite) return { ok: true, alias: url.origin + path };
    path = path.slice(base.length) || "/";
  }
  if (isReservedPath(path)) return { ok: false, found: `${quote(text)}, which is this service's own path ${quote(path)}` };
  return { ok: true, alias: path };
}

/** A URL path in RFC 3986 §6.2.2 normal form: percent-escapes upper-cased, escapes of unreserved characters decoded. */
export function normaliseAliasPath(path: string): string {
  return path.replace(/%[0-9a-f]{2}/gi, (percent) => {
    const char = String.fromCharCode(Number.parseInt(percent.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : percent.toUpperCase();
  });
}

/** Whether this service answers `path` (relative to SITE_URL) itself. */
export function isReservedPath(path: string): boolean {
  const bare = path.replace(/\/+$/, "") || "/";
  return RESERVED_PATHS.has(bare) || RESERVED_SEGMENTS.has(path.split("/")[1] ?? "");
}

/** The key two aliases share when they name the same page: a trailing slash does not make another alias. */
export function aliasKey(alias: string): string {
  return alias.replace(/\/+$/, "") || "/";
}

/** An article's aliases, normalised and without repeats, or the problems with them (one per bad entry). */
export function resolveAliases(values: readonly string[], siteUrl: string): { aliases: string[]; problems: string[] } {
  const aliases: string[] = [];
  const keys = new Set<string>();
  const problems: string[] = [];
  for (const value of values) {
    const result = normaliseAlias(value, siteUrl);
    if (!result.ok) problems.push(result.found);
    else if (!keys.has(aliasKey(result.alias))) {
      keys.add(aliasKey(result.alias));
      aliases.push(result.alias);
    }
  }
  return { aliases, problems };
}

/**
 * Each alias goes to the article that claims it first (`claimsFirst`, as slugs and ids do); an article that loses one
 * is left out, with an issue naming the file that kept it. `articles` are publishable ones (drafts claim nothing).
 */
export function resolveAliasClaims<C extends Claim & { aliases?: readonly string[] }>(
  articles: readonly C[],
): { kept: C[]; issues: ContentIssue[] } {
  const ordered = [...articles].sort((a, b) => (claimsFirst(a, b) ? -1 : claimsFirst(b, a) ? 1 : 0));
  const owners = new Map<string, C>();
  const lost = new Set<C>();
  const issues: ContentIssue[] = [];
  for (const article of ordered) {
    const taken = (article.aliases ?? []).find((alias) => owners.has(aliasKey(alias)));
    if (taken !== undefined) {
      const owner = owners.get(aliasKey(taken))!;
      lost.add(article);
      issues.push({
        file: article.file,
        field: "aliases",
        found: `the alias ${quote(taken)}, also claimed by ${owner.file}, which was published first and is served; this file is left out`,
        expected: "an alias unique across the archive: remove it from one of the two files",
      });
      continue;
    }
    for (const alias of article.aliases ?? []) owners.set(aliasKey(alias), article);
  }
  return { kept: articles.filter((a) => !lost.has(a)), issues };
}
