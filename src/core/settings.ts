// Site settings: read once from a flat string record (wrangler [vars], or CLI flags) and validated.
import { ConfigError } from "./errors.ts";

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
}

export type SettingsInput = Readonly<Record<string, unknown>>;

export const FEED_ITEMS_MAX = 100;

function requireString(input: SettingsInput, key: string): string {
  const value = input[key];
  if (typeof value !== "string" || value.trim() === "") throw new ConfigError(key, "is required (set it in wrangler.toml [vars])");
  return value.trim();
}

/** Validates settings; throws ConfigError naming the first bad one. */
export function parseSettings(input: SettingsInput): SiteSettings {
  const rawUrl = requireString(input, "SITE_URL");
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ConfigError("SITE_URL", `"${rawUrl}" is not an absolute URL (e.g. https://news.example.com)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConfigError("SITE_URL", "must be http or https");
  if (url.search || url.hash) throw new ConfigError("SITE_URL", "must not have a query or fragment");

  const language = requireString(input, "SITE_LANGUAGE");
  try {
    Intl.getCanonicalLocales(language);
  } catch {
    throw new ConfigError("SITE_LANGUAGE", `"${language}" is not a BCP 47 language tag (e.g. en-GB)`);
  }

  const timeZone = requireString(input, "SITE_TIMEZONE");
  if (!isTimeZone(timeZone)) throw new ConfigError("SITE_TIMEZONE", `"${timeZone}" is not an IANA time zone (e.g. Europe/London)`);

  const rawItems = input.FEED_ITEMS ?? "20";
  const feedItems = Number(rawItems);
  if (!Number.isInteger(feedItems) || feedItems < 1 || feedItems > FEED_ITEMS_MAX) {
    throw new ConfigError("FEED_ITEMS", `"${String(rawItems)}" is not a whole number from 1 to ${FEED_ITEMS_MAX}`);
  }

  return {
    url: (url.origin + url.pathname).replace(/\/+$/, ""),
    title: requireString(input, "SITE_TITLE"),
    description: requireString(input, "SITE_DESCRIPTION"),
    language: Intl.getCanonicalLocales(language)[0]!,
    timeZone,
    feedItems,
  };
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
