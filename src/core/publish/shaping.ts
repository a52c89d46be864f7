// The settings that shape what publishing stores, as one short hash written with every article and registry, so a
// change of them is noticed and the scheduled run brings what was stored under other settings up to date
// (publisher.ts, `refreshShaping`; docs/publishing.md, "Settings that shape stored items").
import { hashText } from "../hash.ts";
import type { SiteSettings } from "../settings.ts";

/**
 * The settings parsing reads into what it stores (src/core/article.ts, authors.ts): SITE_URL (every link, image and
 * page URL, the default author's link, authors' avatars), SITE_TITLE (the publisher, the author of an article that names
 * none), SITE_LANGUAGE (an article's `lang` and the language list it is in) and SITE_TIMEZONE (naive front-matter
 * times). Settings applied when a feed is read (FEED_CONTENT, FEED_LINK_QUERY, the feed heads' title, icon and rights)
 * shape no stored byte and are not in it, so changing them re-publishes nothing.
 */
export function shapingOf(site: Pick<SiteSettings, "url" | "title" | "language" | "timeZone">): string {
  return hashText(JSON.stringify([site.url, site.title, site.language, site.timeZone]));
}

/**
 * Articles the scheduled run publishes again from their stored source, at most, when they were stored under other
 * settings: one publish group (PUBLISH_GROUP), a run a minute. 10,000 stale articles are current within 50 minutes, a
 * million within about 3.5 days; the newest go first (what feeds show), so every feed's items are current after the
 * first run or two. A re-publish costs what a publish of the folder costs per article (about 1 s of the run for 200).
 */
export const SHAPING_STEP = 200;
