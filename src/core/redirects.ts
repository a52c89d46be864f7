// Old URLs that lead to articles: the key each is stored and looked up under (an alias, the page of a slug an article
// had), the site-wide permalink rule (LEGACY_PERMALINKS), and which answer a path gets from what the store found.
import { aliasKey, isReservedPath, normaliseAliasPath } from "./aliases.ts";
import { quote } from "./describe-value.ts";
import type { SiteSettings } from "./settings.ts";

/** Where the redirect table is looked up from: a base URL only the key computations see (never served). */
const KEY_BASE = "https://key.invalid";

/** The key of a path on this site (relative to SITE_URL's base): its RFC 3986 normal form, without a trailing slash. */
export function pathKey(path: string): string {
  return aliasKey(normaliseAliasPath(new URL(path, KEY_BASE).pathname));
}

/** The key of an article's page `/articles/{slug}`, as a slug it had is stored (and a request for it looked up). */
export function pagePathKey(slug: string): string {
  return pathKey(`/articles/${encodeURIComponent(slug)}`);
}

/**
 * The site-wide rule mapping an old permalink scheme to articles (LEGACY_PERMALINKS, e.g. `/{year}/{month}/{slug}/`):
 * `{slug}` once (the article's slug), and optionally `{year}` (4 digits), `{month}` and `{day}` (2 digits each), which
 * must then be the article's publication date in SITE_TIMEZONE; the rest is literal. A trailing slash is optional.
 */
export interface PermalinkRule {
  /** The rule as set. */
  pattern: string;
  /** The whole path, anchored: one group per token, in `tokens` order. */
  regex: RegExp;
  tokens: readonly PermalinkToken[];
}

export type PermalinkToken = "year" | "month" | "day" | "slug";

const TOKEN_PATTERNS: Readonly<Record<PermalinkToken, string>> = {
  year: "(\\d{4})",
  month: "(\\d{2})",
  day: "(\\d{2})",
  slug: "([^/]+)",
};

/** What a permalink rule must be, in the words a configuration error prints. */
export const PERMALINK_RULE_EXPECTED =
  "a root-relative path with {slug} once and optionally {year}, {month}, {day} (e.g. /{year}/{month}/{slug}/), no query or fragment, " +
  "not under this service's own paths";

/** A permalink rule, or why the text cannot be one. */
export function parsePermalinkRule(text: string): { ok: true; rule: PermalinkRule } | { ok: false; found: string } {
  const pattern = text.trim();
  if (pattern.length > 200) return { ok: false, found: "a rule longer than 200 characters" };
  if (!pattern.startsWith("/") || /[?#\\\s]/.test(pattern)) return { ok: false, found: quote(pattern) };
  const tokens: PermalinkToken[] = [];
  let regex = "";
  let rest = pattern;
  for (;;) {
    const m = /\{([a-z]+)\}/.exec(rest);
    const literal = m ? rest.slice(0, m.index) : rest;
    regex += literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (!m) break;
    const token = m[1] as PermalinkToken;
    if (!(token in TOKEN_PATTERNS)) return { ok: false, found: `${quote(pattern)}, whose {${m[1]}} is not a token` };
    if (tokens.includes(token)) return { ok: false, found: `${quote(pattern)}, with {${token}} twice` };
    tokens.push(token);
    regex += TOKEN_PATTERNS[token];
    rest = rest.slice(m.index + m[0].length);
  }
  if (!tokens.includes("slug")) return { ok: false, found: `${quote(pattern)}, without {slug}` };
  // Its first segment must be the site's own, not the service's: the rule is looked up only where no route answers,
  // and never for the service's paths (feeds, pages, the API).
  const first = pattern.split("/")[1] ?? "";
  if (!first.includes("{") && isReservedPath(`/${first}`)) return { ok: false, found: `${quote(pattern)}, under this service's /${first}` };
  return { ok: true, rule: { pattern, regex: new RegExp(`^${regex.replace(/\/$/, "")}/?$`), tokens } };
}

/** What a path gives under the rule: the slug, and the date parts it names; undefined when it does not match. */
export function matchPermalink(
  rule: PermalinkRule,
  path: string,
): { slug: string; year?: string; month?: string; day?: string } | undefined {
  const m = rule.regex.exec(path);
  if (!m) return undefined;
  const found: Partial<Record<PermalinkToken, string>> = {};
  for (const [i, token] of rule.tokens.entries()) found[token] = m[i + 1]!;
  let slug: string;
  try {
    slug = decodeURIComponent(found.slug!).normalize("NFC");
  } catch {
    return undefined;
  }
  return { ...found, slug };
}

/**
 * What the store is asked for a path no route answers: the keys the path may be stored under (on this site, and as
 * an absolute URL for an alias on another host routed here), and the slug the permalink rule gives.
 */
export interface PathQuery {
  paths: readonly string[];
  /**
   * What the permalink rule reads in the path: the slug (looked up as a slug, and as a slug an article had) and the
   * date parts the article's publication date must have.
   */
  rule?: { slug: string; year?: string; month?: string; day?: string };
}

/** A row the store found for a path query. */
export type PathRow =
  /** A path stored for a published article (an alias, or a page it had). */
  | { source: "path"; slug: string; published: Date }
  /** A path stored for an article whose id is retired (deleted or unpublished): it is gone. */
  | { source: "gone" }
  /** A published article the rule's slug names (its slug now, or one it had). */
  | { source: "rule"; slug: string; published: Date };

/** What a path no route answers is: an article's old URL (301 to its page), a deleted article's (410), or nothing. */
export type PathTarget = { kind: "moved"; slug: string } | { kind: "gone" };

/**
 * The questions for a request's path, or undefined when no old URL can be there: the service's own paths (its
 * routes answer them; an alias may not be one) but an article's page (`/articles/{slug}`: a slug the article had).
 */
export function pathQuery(url: URL, site: SiteSettings): PathQuery | undefined {
  const raw = url.pathname;
  if (raw.length > 2048) return undefined;
  const page = /^\/articles\/([^/]+)\/?$/.exec(raw);
  if (page) {
    let slug: string;
    try {
      slug = decodeURIComponent(page[1]!).normalize("NFC");
    } catch {
      return undefined;
    }
    return { paths: [pagePathKey(slug)] };
  }
  const base = new URL(site.url).pathname.replace(/\/+$/, "");
  const below = base && (raw === base || raw.startsWith(`${base}/`)) ? raw.slice(base.length) || "/" : raw;
  if (isReservedPath(below)) return undefined;
  const key = pathKey(below);
  // An absolute alias names another host (the old site's, routed to this worker); on this site's host a path is a path.
  const paths = [key, aliasKey(url.origin + normaliseAliasPath(raw))];
  const rule = site.legacyPermalinks;
  const match = rule && matchPermalink(rule, normaliseAliasPath(below));
  return { paths, ...(match ? { rule: match } : {}) };
}

/**
 * The answer to a path from the rows found: an article it leads to first (an old URL stored for it, then the
 * permalink rule's, whose date tokens must be the article's publication date in SITE_TIMEZONE), else gone, else none.
 */
export function choosePathTarget(rows: readonly PathRow[], query: PathQuery, site: SiteSettings): PathTarget | undefined {
  const stored = rows.find((r) => r.source === "path");
  if (stored) return { kind: "moved", slug: stored.slug };
  if (query.rule) {
    for (const row of rows) {
      if (row.source === "rule" && datesMatch(query.rule, row.published, site.timeZone)) return { kind: "moved", slug: row.slug };
    }
  }
  return rows.some((r) => r.source === "gone") ? { kind: "gone" } : undefined;
}

/** Whether the date tokens a permalink gave are the article's publication date in `timeZone`. */
function datesMatch(match: { year?: string; month?: string; day?: string }, published: Date, timeZone: string): boolean {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(published);
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return (
    (match.year === undefined || match.year === part("year")) &&
    (match.month === undefined || match.month === part("month")) &&
    (match.day === undefined || match.day === part("day"))
  );
}
