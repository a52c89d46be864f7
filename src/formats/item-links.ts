// Adds a query (FEED_LINK_QUERY, a partner's `feed.utm`) to the links of stored items as a feed is served: to the
// link only, never to the guid or id (an RSS guid with isPermaLink="true" stays the bare canonical URL), and only to
// links on this site (the rule: `addLinkQuery` in src/core/link-query.ts).
import { addLinkQuery } from "../core/link-query.ts";
import type { FeedFormat, ItemText } from "./format.ts";

/**
 * `items` with `query` (a valid query, src/core/link-query.ts, for this format) added to their links as
 * `addLinkQuery` says. An item whose link gets nothing stays the stored string; one whose link changes is three
 * pieces: the stored text before the link, the new link escaped as the format writes that place, and the rest, so no
 * stored item is copied. The link is read back unescaped and written again whole, so the rule never has to reason
 * about a format's escapes (`&#38;` holds a `#` that is no fragment).
 */
export function withLinkQuery(format: FeedFormat, items: readonly string[], query: string, siteUrl: string): ItemText[] {
  return items.map((item) => {
    const range = format.itemLink(item);
    if (!range) return item;
    const link = format.unescapeLink(item.slice(range.start, range.end));
    const next = addLinkQuery(link, query, siteUrl);
    if (next === link) return item;
    return [item.slice(0, range.start), format.escapeLink(next), item.slice(range.end)];
  });
}
