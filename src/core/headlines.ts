// The headline list behind /headlines.json, the iframe page and the embed script: selection, links, relative times.
import { type Catalog, compareEntries, type Entry, HOME } from "./catalog.ts";
import { formatRfc3339 } from "./dates.ts";
import { type TextDirection, textDirection } from "./language.ts";
import type { Article } from "./model.ts";
import type { HeadlinesPlan } from "./partners.ts";
import type { SiteSettings } from "./settings.ts";

export interface Headline {
  id: string;
  title: string;
  /** The article's URL, with the partner's `utm_*` parameters. */
  url: string;
  /** RFC 3339. */
  date_published: string;
  /** BCP 47 language of the title (the article's, else the site's). */
  language: string;
  /** Direction the title is written in, from its language, for `dir` where headlines of several languages mix. */
  dir: TextDirection;
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
 * The newest published articles in the plan's sections, at most `plan.limit`: the newest few of each section, merged
 * in the catalog's order, so the cost does not grow with the archive.
 */
export async function selectHeadlines(catalog: Catalog, now: Date, plan: HeadlinesPlan): Promise<readonly Entry[]> {
  if (!plan.sections) return catalog.newest(HOME, now, plan.limit);
  const lists = await Promise.all(
    [...new Set(plan.sections)].map(async (slug) => {
      const facet = await catalog.facet("sections", slug, now);
      return facet ? catalog.newest(facet, now, plan.limit) : [];
    }),
  );
  // An article is in one section only, so the lists never share an entry.
  return lists.flat().sort(compareEntries).slice(0, plan.limit);
}

/** Appends `utm_*` parameters, replacing any the URL already has, so links stay stable for the same plan. */
export function withUtm(url: string, utm: HeadlinesPlan["utm"]): string {
  if (!utm.length) return url;
  const u = new URL(url);
  for (const [name, value] of utm) u.searchParams.set(name, value);
  return u.href;
}

export function buildHeadlines(site: SiteSettings, articles: readonly Article[], plan: HeadlinesPlan): HeadlinesDocument {
  return {
    title: site.title,
    home_page_url: site.url + "/",
    partner: plan.partner?.key ?? null,
    sections: plan.sections ?? null,
    items: articles.map((r) => ({
      id: r.id,
      title: r.title,
      url: withUtm(r.url, plan.utm),
      date_published: formatRfc3339(r.published),
      language: r.lang ?? site.language,
      dir: textDirection(r.lang ?? site.language),
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
