// Adds a query (FEED_LINK_QUERY, a partner's `feed.utm`) to the links of stored items as a feed is served: to the
// link only, never to the guid or id (an RSS guid with isPermaLink="true" stays the bare canonical URL), and only to
// links on this site.
import type { FeedFormat, ItemText } from "./format.ts";

/**
 * `items` with `query` (a valid query, src/core/link-query.ts, for this format) added to their links. Only a link on
 * this site (under `siteUrl`, which ends in `/`) gets it: an article whose canonical URL is elsewhere (syndicated from
 * its first publisher) keeps its link as it is, since the query would count this site's readers in another site's
 * analytics. The query goes before the link's fragment and after its own query (joined with `&`); a parameter whose
 * name the link's own query already has is left out, so an article's own link wins. An item that gets nothing stays
 * the stored string; one that gets a query is three pieces: the stored text up to the link's end (or its `#`), the
 * query escaped as the format writes that place, and the rest, so no stored item is copied.
 */
export function withLinkQuery(format: FeedFormat, items: readonly string[], query: string, siteUrl: string): ItemText[] {
  const prefix = format.escapeLink(siteUrl);
  const amp = format.escapeLink("&");
  const params = query.split("&");
  const names = params.map((p) => p.slice(0, p.indexOf("=")));
  return items.map((item) => {
    const range = format.itemLink(item);
    if (!range) return item;
    const link = item.slice(range.start, range.end);
    if (!link.startsWith(prefix)) return item;
    const hash = link.indexOf("#");
    const end = hash < 0 ? link.length : hash;
    const mark = link.indexOf("?");
    const own = mark >= 0 && mark < end ? link.slice(mark + 1, end) : undefined;
    let added = params;
    if (own) {
      const taken = new Set(own.split(amp).map((p) => (p.includes("=") ? p.slice(0, p.indexOf("=")) : p)));
      added = params.filter((_p, i) => !taken.has(names[i]!));
      if (added.length === 0) return item;
    }
    const joint = own === undefined ? "?" : own === "" ? "" : "&";
    const at = range.start + end;
    return [item.slice(0, at), format.escapeLink(joint + added.join("&")), item.slice(at)];
  });
}
