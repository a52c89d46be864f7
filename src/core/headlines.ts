// The headline list behind /headlines.json, the iframe page and the embed script: selection, links, relative times.
import type { ArticleRecord } from "./article.ts";
import { type ArticleEntry, type Catalog, firstPublishedIndex } from "./catalog.ts";
import { formatRfc3339 } from "./dates.ts";
import type { HeadlinesPlan } from "./partners.ts";
import type { SiteSettings } from "./settings.ts";

export interface Headline {
  id: string;
  title: string;
  /** The article's URL, with the partner's `utm_*` parameters. */
  url: string;
  /** RFC 3339. */
  date_published: string;
  section?: string;
  image?: { url: string; alt?: string; width?: number; height?: number };
}

export interface HeadlinesDocument {
  title: string;
  home_page_url: string;
  partner: string | null;
  sections: readonly string[] | null;
  items: Headline[];
}

/**
 * The newest published articles in the plan's sections, at most `plan.limit`. Read from the section lists (each in
 * catalog order), so only the entries are needed and the cost does not grow with the archive.
 */
export function selectHeadlines<E extends ArticleEntry>(catalog: Catalog<E>, now: Date, plan: HeadlinesPlan): readonly E[] {
  if (!plan.sections) {
    const start = firstPublishedIndex(catalog, now);
    return catalog.articles.slice(start, start + plan.limit);
  }
  const candidates: E[] = [];
  for (const slug of new Set(plan.sections)) {
    const list = catalog.facets.sections.get(slug)?.articles;
    if (!list) continue;
    const start = firstPublishedIndex(catalog, now, list);
    candidates.push(...list.slice(start, start + plan.limit));
  }
  // The catalog's own order: newest first, ties by slug.
  candidates.sort((a, b) => b.published.getTime() - a.published.getTime() || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  return candidates.slice(0, plan.limit);
}

/** Appends `utm_*` parameters, replacing any the URL already has, so links stay stable for the same plan. */
export function withUtm(url: string, utm: HeadlinesPlan["utm"]): string {
  if (!utm.length) return url;
  const u = new URL(url);
  for (const [name, value] of utm) u.searchParams.set(name, value);
  return u.href;
}

export function buildHeadlines(site: SiteSettings, records: readonly ArticleRecord[], plan: HeadlinesPlan): HeadlinesDocument {
  return {
    title: site.title,
    home_page_url: site.url + "/",
    partner: plan.partner?.key ?? null,
    sections: plan.sections ?? null,
    items: records.map((r) => ({
      id: r.id,
      title: r.title,
      url: withUtm(r.url, plan.utm),
      date_published: formatRfc3339(r.published),
      section: r.section,
      image: r.image ? { url: r.image.url, alt: r.image.alt, width: r.image.width, height: r.image.height } : undefined,
    })),
  };
}

const UNITS: readonly (readonly [Intl.RelativeTimeFormatUnit, number])[] = [
  ["second", 1],
  ["minute", 60],
  ["hour", 3_600],
  ["day", 86_400],
  ["week", 604_800],
  ["month", 2_629_800],
  ["year", 31_557_600],
];

/** "3 hours ago" in `locale`: the largest unit that fits. The embed script carries the same rule for the reader's clock. */
export function formatRelativeTime(date: Date, now: Date, locale: string): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  let unit = UNITS[0]!;
  for (const candidate of UNITS) if (abs >= candidate[1]) unit = candidate;
  // numeric "auto" reads "yesterday" and "now" where the locale has such words
  return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(Math.round(seconds / unit[1]), unit[0]);
}
