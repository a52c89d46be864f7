// Site settings: read once from a flat string record (wrangler [vars], or CLI flags) and validated.

import { quote } from "./describe-value.ts";
import { ConfigError } from "./errors.ts";
import { LINK_QUERY_EXPECTED, parseLinkQuery } from "./link-query.ts";
import type { FeedContent } from "./model.ts";
import { PERMALINK_RULE_EXPECTED, type PermalinkRule, parsePermalinkRule } from "./redirects.ts";
import { cleanText } from "./text.ts";

export interface SiteSettings {
  /** Absolute origin (and optional base path) of the public site, without a trailing slash. */
  url: string;
  title: string;
  description: string;
  /** BCP 47 language of the site, the default for every article. */
  language: string;
  /** IANA time zone in which naive front-matter times are read. */
  timeZone: string;
  /** Items in a feed when the request does not ask for another number. */
  feedItems: number;
  /** Items per archive page (RFC 5005); pages are counted from the oldest article, so full ones never change. */
  archiveItems: number;
  /** Cache-Control for feeds, in seconds (each clamped to the next scheduled publication). */
  cache: { maxAge: number; sMaxAge: number; staleWhileRevalidate: number; archiveMaxAge: number };
  /** WebSub hub every feed advertises, if any. */
  websubHub?: string;
  /** Secret that unlocks /preview for drafts and embargoed articles (PREVIEW_TOKEN); without it only published ones. */
  previewToken?: string;
  /** The publisher's square icon, an absolute URL (SITE_ICON): Atom `icon`, JSON Feed `icon` and `favicon`, RSS `image`. */
  icon?: string;
  /** The publisher's logo, an absolute URL (SITE_LOGO): Atom `logo`, and RSS `image` when set. */
  logo?: string;
  /** The rights statement (SITE_RIGHTS): RSS `copyright`, Atom `rights`. */
  rights?: string;
  /** An old permalink scheme whose paths answer 301 to the article they name (LEGACY_PERMALINKS; src/core/redirects.ts). */
  legacyPermalinks?: PermalinkRule;
  /** How the site's feeds carry articles (FEED_CONTENT): whole, or as excerpts (summary and lead image). */
  feedContent: FeedContent;
  /** The query added to the site's feeds' item links on this site (FEED_LINK_QUERY), `{format}` still in it. */
  feedLinkQuery?: string;
}

export type SettingsInput = Readonly<Record<string, unknown>>;

export const FEED_ITEMS_MAX = 100;
/** Longest cache lifetime a setting may ask for: one year. */
export const CACHE_SECONDS_MAX = 31_536_000;

/** Defaults of the optional settings, as strings, the way wrangler [vars] would give them. */
export const SETTING_DEFAULTS = {
  FEED_ITEMS: "20",
  ARCHIVE_ITEMS: "50",
  CACHE_MAX_AGE: "300",
  CACHE_S_MAXAGE: "300",
  CACHE_STALE_WHILE_REVALIDATE: "600",
  ARCHIVE_MAX_AGE: "86400",
} as const;

/** An optional whole-number setting within bounds. */
function wholeNumber(input: SettingsInput, key: keyof typeof SETTING_DEFAULTS, min: number, max: number): number {
  const raw = input[key] ?? SETTING_DEFAULTS[key];
  const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(key, `${quote(String(raw))} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function requireString(input: SettingsInput, key: string): string {
  const value = input[key];
  if (typeof value !== "string" || value.trim() === "") throw new ConfigError(key, "is required (set it in wrangler.toml [vars])");
  return cleanText(value).trim();
}

/** Validates settings; throws ConfigError naming the first bad one. */
export function parseSettings(input: SettingsInput): SiteSettings {
  const rawUrl = requireString(input, "SITE_URL");
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ConfigError("SITE_URL", `${quote(rawUrl)} is not an absolute URL (e.g. https://news.example.com)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConfigError("SITE_URL", "must be http or https");
  if (url.search || url.hash) throw new ConfigError("SITE_URL", "must not have a query or fragment");

  const language = requireString(input, "SITE_LANGUAGE");
  try {
    Intl.getCanonicalLocales(language);
  } catch {
    throw new ConfigError("SITE_LANGUAGE", `${quote(language)} is not a BCP 47 language tag (e.g. en-GB)`);
  }

  const timeZone = requireString(input, "SITE_TIMEZONE");
  if (!isTimeZone(timeZone)) throw new ConfigError("SITE_TIMEZONE", `${quote(timeZone)} is not an IANA time zone (e.g. Europe/London)`);

  const feedItems = wholeNumber(input, "FEED_ITEMS", 1, FEED_ITEMS_MAX);
  const archiveItems = wholeNumber(input, "ARCHIVE_ITEMS", 1, FEED_ITEMS_MAX);
  const cache = {
    maxAge: wholeNumber(input, "CACHE_MAX_AGE", 0, CACHE_SECONDS_MAX),
    sMaxAge: wholeNumber(input, "CACHE_S_MAXAGE", 0, CACHE_SECONDS_MAX),
    staleWhileRevalidate: wholeNumber(input, "CACHE_STALE_WHILE_REVALIDATE", 0, CACHE_SECONDS_MAX),
    archiveMaxAge: wholeNumber(input, "ARCHIVE_MAX_AGE", 0, CACHE_SECONDS_MAX),
  };

  const rawHub = input.WEBSUB_HUB;
  let websubHub: string | undefined;
  if (typeof rawHub === "string" && rawHub.trim() !== "") {
    const hub = URL.canParse(rawHub.trim()) ? new URL(rawHub.trim()) : undefined;
    if (!hub || (hub.protocol !== "https:" && hub.protocol !== "http:")) {
      throw new ConfigError("WEBSUB_HUB", `${quote(rawHub)} is not an absolute http(s) URL (e.g. https://pubsubhubbub.appspot.com/)`);
    }
    websubHub = hub.href;
  } else if (rawHub !== undefined && typeof rawHub !== "string") {
    throw new ConfigError("WEBSUB_HUB", "must be a URL string");
  }

  const previewToken =
    typeof input.PREVIEW_TOKEN === "string" && input.PREVIEW_TOKEN.trim() !== "" ? input.PREVIEW_TOKEN.trim() : undefined;
  if (previewToken !== undefined && previewToken.length < 16) {
    throw new ConfigError("PREVIEW_TOKEN", "must be at least 16 characters (set it with `wrangler secret put PREVIEW_TOKEN`)");
  }

  const siteUrl = (url.origin + url.pathname).replace(/\/+$/, "");
  const icon = optionalImageUrl(input, "SITE_ICON", siteUrl);
  const logo = optionalImageUrl(input, "SITE_LOGO", siteUrl);
  const rights = typeof input.SITE_RIGHTS === "string" ? cleanText(input.SITE_RIGHTS).trim() || undefined : undefined;
  const legacyPermalinks = optionalPermalinkRule(input);
  const feedContent = parseFeedContent(input.FEED_CONTENT);
  const feedLinkQuery = parseFeedLinkQuery(input.FEED_LINK_QUERY);

  return {
    url: siteUrl,
    title: requireString(input, "SITE_TITLE"),
    description: requireString(input, "SITE_DESCRIPTION"),
    language: Intl.getCanonicalLocales(language)[0]!,
    timeZone,
    feedItems,
    archiveItems,
    cache,
    ...(websubHub ? { websubHub } : {}),
    ...(previewToken !== undefined ? { previewToken } : {}),
    ...(icon ? { icon } : {}),
    ...(logo ? { logo } : {}),
    ...(rights ? { rights } : {}),
    ...(legacyPermalinks ? { legacyPermalinks } : {}),
    feedContent,
    ...(feedLinkQuery ? { feedLinkQuery } : {}),
  };
}

/** LEGACY_PERMALINKS, when set: the old permalink scheme whose paths lead to articles. */
function optionalPermalinkRule(input: SettingsInput): PermalinkRule | undefined {
  const raw = input.LEGACY_PERMALINKS;
  if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) return undefined;
  const parsed = typeof raw === "string" ? parsePermalinkRule(raw) : { ok: false as const, found: "not a string" };
  if (!parsed.ok) throw new ConfigError("LEGACY_PERMALINKS", `${parsed.found} is not ${PERMALINK_RULE_EXPECTED}`);
  return parsed.rule;
}

/** FEED_CONTENT: `full` (the default) or `excerpt`. */
function parseFeedContent(raw: unknown): FeedContent {
  const value = typeof raw === "string" ? raw.trim().toLowerCase() : raw;
  if (value === undefined || value === "" || value === "full") return "full";
  if (value === "excerpt") return "excerpt";
  throw new ConfigError("FEED_CONTENT", `${quote(String(raw))} is neither "full" nor "excerpt"`);
}

/** FEED_LINK_QUERY: a query string (src/core/link-query.ts), or nothing. */
function parseFeedLinkQuery(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string") throw new ConfigError("FEED_LINK_QUERY", "must be a string");
  const parsed = parseLinkQuery(raw);
  if ("problem" in parsed)
    throw new ConfigError(
      "FEED_LINK_QUERY",
      `${quote(raw.slice(0, 200))} is not a query string (${parsed.problem}); expected ${LINK_QUERY_EXPECTED}`,
    );
  return parsed.query;
}

/** The shortest PUBLISH_TOKEN accepted: long enough that guessing it over the network is hopeless. */
export const PUBLISH_TOKEN_MIN = 32;

/** The characters of a bearer token (RFC 6750 §2.1, `b64token`). */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * PUBLISH_TOKEN, the secret the publish API requires (`wrangler secret put PUBLISH_TOKEN`): undefined when unset (the
 * API is off), a ConfigError when shorter than PUBLISH_TOKEN_MIN, like every other bad setting. Not a site setting: no
 * route but the publish API ever sees it.
 */
export function parsePublishToken(input: SettingsInput): string | undefined {
  const raw = input.PUBLISH_TOKEN;
  const token = typeof raw === "string" ? raw.trim() : "";
  if (token === "") return undefined;
  if (token.length < PUBLISH_TOKEN_MIN) {
    throw new ConfigError(
      "PUBLISH_TOKEN",
      `must be at least ${PUBLISH_TOKEN_MIN} characters (e.g. \`openssl rand -base64 32\`, set with \`wrangler secret put PUBLISH_TOKEN\`)`,
    );
  }
  // A token a client could never send as `Authorization: Bearer` (RFC 6750 §2.1: token68) would lock the API for good.
  if (!TOKEN68.test(token)) {
    throw new ConfigError("PUBLISH_TOKEN", "must be letters, digits and - . _ ~ + / only, then any = (a bearer token, RFC 6750 §2.1)");
  }
  return token;
}

/** An optional image setting: a root-relative path (resolved under SITE_URL, which may have a base path) or an absolute http(s) URL. */
function optionalImageUrl(input: SettingsInput, key: "SITE_ICON" | "SITE_LOGO", siteUrl: string): string | undefined {
  const raw = input[key];
  if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) return undefined;
  const value = typeof raw === "string" ? raw.trim() : "";
  const candidate = value.startsWith("/") && !value.startsWith("//") ? siteUrl + value : value;
  const parsed = URL.canParse(candidate) ? new URL(candidate) : undefined;
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new ConfigError(key, `"${String(raw).slice(0, 200)}" is not a root-relative path (/images/logo.png) or an absolute http(s) URL`);
  }
  return parsed.href;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
